"""The review's filters: one list per :class:`ReviewFilter` field (« Tous » or one
value). ``changed`` fires when the supervisor picks a value; :meth:`set_value`
(a chart's bar clicked) changes one without it.

Given the site's :class:`~csu_console.core.review.places.ReviewZones`, the zones
are listed under their zoning's label (every declared zoning, not only the
secteurs and quartiers) and the communes are the territory's (INSEE code as the
value), not the texts citizens typed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS
from csu_console.core.closing import QUALIFICATION_LABELS
from csu_console.core.dispatch import OUTCOME_LABELS
from csu_console.core.review.filter import NO_OUTCOME
from csu_console.core.review.places import ReviewZones
from csu_console.core.territory import COMMUNE_ZONING, Commune
from csu_console.ui.labels import tr_label

#: The ReviewFilter fields shown, in display order.
FIELDS = ("operators", "stations", "categories", "priorities", "zones", "communes", "outcomes")


def _by_name(commune: Commune) -> tuple[str, str]:
    return (commune.name.casefold(), commune.insee)


class FilterPanel(QWidget):
    """Seven drop-down lists; :meth:`values` gives the ReviewFilter keyword arguments."""

    changed = Signal()

    def __init__(
        self, zones: Sequence[tuple[str, str]] | ReviewZones, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QComboBox] = {}
        labels = {
            "operators": self.tr("Opérateur"),
            "stations": self.tr("Poste"),
            "categories": self.tr("Catégorie"),
            "priorities": self.tr("Priorité"),
            "zones": self.tr("Secteur / zone"),
            "communes": self.tr("Commune"),
            "outcomes": self.tr("Issue"),
        }
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for name in FIELDS:
            box = QComboBox(self)
            box.setMinimumContentsLength(12)
            box.addItem(self.tr("Tous"), None)
            box.activated.connect(lambda _i: self.changed.emit())
            self.boxes[name] = box
            form.addRow(labels[name], box)
        self._add(
            "categories", ((c.value, tr_label(label)) for c, label in CATEGORY_LABELS.items())
        )
        self._add(
            "priorities", ((p, f"{p} – {tr_label(label)}") for p, label in PRIORITY_LABELS.items())
        )
        if isinstance(zones, ReviewZones):
            self._add_zonings(zones)
            self._add("communes", ((c.key, c.label) for c in sorted(zones.communes, key=_by_name)))
        else:
            self._add("zones", zones)
        outcomes = [(o.value, tr_label(label)) for o, label in OUTCOME_LABELS.items()]
        # Closings without any unit count under their qualification (same values
        # for « fausse alerte » and « autre »: listed once).
        known = {value for value, _label in outcomes}
        outcomes += [
            (q.value, tr_label(label))
            for q, label in QUALIFICATION_LABELS.items()
            if q.value not in known
        ]
        self._add("outcomes", [*outcomes, (NO_OUTCOME, self.tr("Sans intervention terminée"))])

    def _add_zonings(self, zones: ReviewZones) -> None:
        """Each zoning's label (a heading, not a value), then its zones, indented.
        The communes' own zoning is left out: the « Commune » list is for that."""
        box = self.boxes["zones"]
        model = box.model()
        box.ensurePolished()  # the window's font size, for the headings too
        heading_font = QFont(box.font())
        heading_font.setBold(True)
        for zoning, refs in zones.zoning_groups():
            if zoning.id == COMMUNE_ZONING:
                continue
            box.addItem(zoning.label, None)
            heading = model.index(box.count() - 1, 0)
            model.setData(heading, 0, Qt.ItemDataRole.UserRole - 1)  # no flags: not a value
            model.setData(heading, heading_font, Qt.ItemDataRole.FontRole)
            # Drawn with this colour even though disabled: a heading, not greyed out.
            ink = QColor(zoning.colour).darker(160)
            model.setData(heading, ink, Qt.ItemDataRole.ForegroundRole)
            for ref in refs:
                box.addItem(f"    {ref.name}", ref.id)
                box.setItemData(
                    box.count() - 1, f"{zoning.label} – {ref.name}", Qt.ItemDataRole.ToolTipRole
                )

    def _add(self, name: str, choices: Iterable[tuple[Any, str]]) -> None:
        box = self.boxes[name]
        for value, label in choices:
            if box.findData(value) < 0:
                box.addItem(label, value)

    def add_choices(self, name: str, values: Iterable[str]) -> None:
        """Offer more values (operators, stations, communes seen in the period)."""
        self._add(name, ((v, v) for v in sorted(set(values)) if v))

    def set_value(self, name: str, value: Any) -> None:
        """Select ``value`` in ``name``'s list (added if unknown); None: « Tous »."""
        box = self.boxes[name]
        if value is not None and box.findData(value) < 0:
            box.addItem(str(value), value)
        box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)

    def clear(self) -> None:
        """Every list back to « Tous » (no signal)."""
        for box in self.boxes.values():
            box.setCurrentIndex(0)

    def values(self) -> dict[str, frozenset[Any]]:
        """ReviewFilter keyword arguments: an empty set for « Tous »."""
        out: dict[str, frozenset[Any]] = {}
        for name, box in self.boxes.items():
            value = box.currentData()
            out[name] = frozenset() if value is None else frozenset({value})
        return out
