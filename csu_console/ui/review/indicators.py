"""The indicators tab: key figures in large type, then the breakdowns (category,
zone, outcome, priority), operators' load and cameras down. A click on a row of
category, zone or outcome narrows the filter to it (``narrow_requested``)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import PRIORITY_LABELS
from csu_console.core.review.availability import camera_availability
from csu_console.core.review.digest import Indicators, duration
from csu_console.core.review.filter import NO_OUTCOME, category_label, outcome_label
from csu_console.core.review.places import ReviewZones
from csu_console.core.review.stats import CATEGORY_COLORS, DelayStats
from csu_console.ui.labels import tr_label
from csu_console.ui.review.tables import KEY_ROLE, event_label, fill, local_time, make_table
from csu_console.ui.theme import PRIORITY_COLORS, current

_FIGURE = "font-size: 20pt; font-weight: bold;"
_CAPTION = "font-size: 11pt;"


class _Figure(QFrame):
    """A caption over a big number (and a detail line)."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(caption, self)
        self.caption.setStyleSheet(f"{_CAPTION} color: {current().muted_text};")
        self.caption.setWordWrap(True)
        self.value = QLabel("–", self)
        self.value.setStyleSheet(_FIGURE)
        self.detail = QLabel("", self)
        self.detail.setStyleSheet("font-size: 11pt;")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_value(self, value: str, detail: str = "", alarm: bool = False) -> None:
        self.value.setText(value)
        self.value.setStyleSheet(_FIGURE + (f" color: {current().danger_text};" if alarm else ""))
        self.detail.setText(detail)


class KeyFigures(QWidget):
    """The eight figures a supervisor reads first, in large type, always in view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = _Figure(self.tr("Alertes reçues"), self)
        self.ack = _Figure(self.tr("Délai de prise en compte (médiane)"), self)
        self.dispatch = _Figure(self.tr("Délai d'engagement (médiane)"), self)
        self.open_at_end = _Figure(self.tr("Ouvertes en fin de période"), self)
        self.escalated = _Figure(self.tr("Escalades"), self)
        self.muted = _Figure(self.tr("Alarme en sourdine"), self)
        self.cameras = _Figure(self.tr("Caméras hors service"), self)
        self.never = _Figure(self.tr("Jamais prises en compte"), self)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, fig in enumerate(self._figures()):
            grid.addWidget(fig, i // 4, i % 4)

    def _figures(self) -> tuple[_Figure, ...]:
        return (self.count, self.ack, self.dispatch, self.open_at_end, self.never,
                self.escalated, self.muted, self.cameras)  # fmt: skip

    def _delays(self, figure: _Figure, stats: DelayStats) -> None:
        if stats.count == 0:
            figure.show_value("–", self.tr("aucune alerte"))
            return
        figure.show_value(
            duration(stats.median_s),
            self.tr("p90 {p90} · max {max}\n{n} alertes").format(
                p90=duration(stats.p90_s), max=duration(stats.max_s), n=stats.count
            ),
        )

    def show_indicators(self, ind: Indicators) -> None:
        """Fill every figure."""
        a = ind.alerts
        self.count.show_value(str(a.count))
        self._delays(self.ack, a.ack)
        self._delays(self.dispatch, a.dispatch)
        self.open_at_end.show_value(str(ind.open_at_end), alarm=ind.open_at_end > 0)
        self.never.show_value(str(a.never_acknowledged), alarm=a.never_acknowledged > 0)
        self.escalated.show_value(str(a.escalated), alarm=a.escalated > 0)
        periods = self.tr("{n} période(s)").format(n=len(ind.mutes))
        self.muted.show_value(duration(ind.muted_s), periods)
        down = sum(o.seconds_in(ind.period) for o in ind.outages)
        self.cameras.show_value(
            str(len(ind.outages)), duration(down) if ind.outages else "", alarm=bool(ind.outages)
        )

    def texts(self) -> dict[str, Any]:
        """The figures as shown (caption → value), for tests and screenshots."""
        return {f.caption.text(): f.value.text() for f in self._figures()}


class IndicatorPanel(QWidget):
    """The breakdowns of :class:`~csu_console.core.review.digest.Indicators` (the key
    figures are :class:`KeyFigures`).

    ``narrow_requested(field, value)``: ``field`` is a :class:`ReviewFilter` field
    (``categories``, ``zones``, ``outcomes``, ``communes``).
    """

    narrow_requested = Signal(str, object)

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.zone_names: dict[str, str] = {}
        #: The site's zones and communes: alerts counted per commune from them.
        self.places: ReviewZones | None = None
        #: The site's cameras: each one's availability, 100 % when never down.
        self.camera_names: dict[str, str] = {}
        self.by_category = make_table([self.tr("Catégorie"), self.tr("Alertes")], self, stretch=0)
        self.by_zone = make_table([self.tr("Zone"), self.tr("Alertes")], self, stretch=0)
        self.by_outcome = make_table([self.tr("Issue"), self.tr("Alertes")], self, stretch=0)
        self.by_priority = make_table([self.tr("Priorité"), self.tr("Alertes")], self, stretch=0)
        self.by_commune = make_table([self.tr("Commune"), self.tr("Alertes")], self, stretch=0)
        self.load = make_table(
            [self.tr("Opérateur"), self.tr("Événements"), self.tr("Détail")], self
        )
        self.outages = make_table(
            [self.tr("Caméra"), self.tr("Hors service"), self.tr("Durée")], self, stretch=0
        )
        self.availability = make_table(
            [self.tr("Caméra"), self.tr("Disponibilité"), self.tr("Pannes"), self.tr("Durée")],
            self,
            stretch=0,
        )
        clickable = (
            (self.by_category, "categories"),
            (self.by_zone, "zones"),
            (self.by_outcome, "outcomes"),
            (self.by_commune, "communes"),
        )
        for table, name in clickable:
            table.setToolTip(self.tr("Cliquer une ligne : ne garder que ces alertes"))
            table.itemClicked.connect(lambda item, n=name: self._on_row_clicked(n, item))
        grid = QGridLayout()
        tables = (
            (self.tr("Par catégorie"), self.by_category),
            (self.tr("Par zone"), self.by_zone),
            (self.tr("Par issue"), self.by_outcome),
            (self.tr("Par priorité"), self.by_priority),
            (self.tr("Charge par opérateur"), self.load),
            (self.tr("Caméras hors service"), self.outages),
            (self.tr("Par commune (d'après la position)"), self.by_commune),
            (self.tr("Disponibilité des caméras"), self.availability),
        )
        #: The command line and the console itself: shown, but not as operators.
        self.others = QLabel(self)
        self.others.setWordWrap(True)
        self.others.setVisible(False)
        for i, (title, table) in enumerate(tables):
            box = QVBoxLayout()
            label = QLabel(title, self)
            label.setStyleSheet("font-weight: bold; font-size: 13pt;")
            box.addWidget(label)
            box.addWidget(table, 1)
            if table is self.load:
                box.addWidget(self.others)
            grid.addLayout(box, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)

    def _show_communes(self, by_zone_set: dict[tuple[str, ...], int]) -> None:
        """Alerts per commune of the territory, from the zones containing them;
        those outside every zone on a last row (not a filter)."""
        counts: dict[str | None, int] = {}
        places = self.places
        for zones, n in by_zone_set.items():
            key = places.commune_key(zones) if places is not None else None
            counts[key] = counts.get(key, 0) + n
        labels = {c.key: c.label for c in places.communes} if places is not None else {}
        rows = sorted(((k, n) for k, n in counts.items() if k is not None),
                      key=lambda item: (-item[1], labels.get(item[0] or "", "")))  # fmt: skip
        shown: list[tuple[str, str]] = [(labels.get(k or "", k or ""), str(n)) for k, n in rows]
        keys: list[object] = [k for k, _n in rows]
        if counts.get(None):
            shown.append((self.tr("Hors territoire"), str(counts[None])))
            keys.append(None)
        fill(self.by_commune, shown, keys)

    def _on_row_clicked(self, name: str, item: QTableWidgetItem) -> None:
        first = item.tableWidget().item(item.row(), 0)
        key = None if first is None else first.data(KEY_ROLE)
        if key is not None:
            self.narrow_requested.emit(name, key)

    def show_indicators(self, ind: Indicators) -> None:
        """Fill every table."""
        a = ind.alerts
        cats = list(a.by_category.items())
        fill(self.by_category, [(tr_label(category_label(c)), str(n)) for c, n in cats],
             [c for c, _ in cats], colors=[CATEGORY_COLORS.get(c) for c, _ in cats])  # fmt: skip
        zones = list(a.by_zone.items())
        fill(self.by_zone, [(self.zone_names.get(z, z), str(n)) for z, n in zones],
             [z for z, _ in zones])  # fmt: skip
        outcomes = list(a.by_outcome.items())
        fill(self.by_outcome, [(self._outcome(o), str(n)) for o, n in outcomes],
             [o for o, _ in outcomes])  # fmt: skip
        self._show_communes(a.by_zone_set)
        prios = list(a.by_priority.items())
        fill(self.by_priority, [(self._priority(p), str(n)) for p, n in prios],
             colors=[PRIORITY_COLORS.get(p) for p, _ in prios])  # fmt: skip
        fill(self.load, [(op, str(sum(kinds.values())), self._kinds(kinds))
                         for op, kinds in ind.load.items()])  # fmt: skip
        others = " · ".join(f"{who} : {n}" for who, n in ind.others.items())
        self.others.setText(
            self.tr("Hors opérateurs (événements) : {list}").format(list=others) if others else ""
        )
        self.others.setVisible(bool(others))
        fill(self.outages, [
            (o.camera_name, f"{local_time(o.down_since, self._tz)} → " + (
                local_time(o.back_at, self._tz, "%H:%M") if o.back_at else self.tr("toujours")),
             duration(o.seconds_in(ind.period)))
            for o in ind.outages
        ])  # fmt: skip
        avail = camera_availability(ind.outages, ind.period, self.camera_names)
        fill(self.availability, [
            (a.camera_name, f"{a.percent:.1f} %", str(a.outages),
             duration(a.down_s) if a.down_s else "–")
            for a in avail
        ])  # fmt: skip

    @staticmethod
    def _priority(priority: int) -> str:
        return tr_label(PRIORITY_LABELS.get(priority, str(priority)))

    def _outcome(self, outcome: str) -> str:
        if outcome == NO_OUTCOME:
            return self.tr("Sans intervention terminée")
        return tr_label(outcome_label(outcome))

    @staticmethod
    def _kinds(kinds: dict[str, int]) -> str:
        ordered = sorted(kinds.items(), key=lambda kv: -kv[1])[:4]
        return ", ".join(f"{event_label(k)} {n}" for k, n in ordered)


def table_rows(table: QTableWidget) -> list[tuple[str, ...]]:
    """The texts of a table, row by row."""
    out = []
    for r in range(table.rowCount()):
        cells = (table.item(r, c) for c in range(table.columnCount()))
        out.append(tuple("" if cell is None else cell.text() for cell in cells))
    return out
