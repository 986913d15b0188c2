"""The end-of-shift digest: what the next shift inherits (alerts still open, units
still engaged, cameras still down) and the period's muted alarms. Shown in the
review window and in the dialog before a shift is closed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import PRIORITY_LABELS, STATE_LABELS
from csu_console.core.dispatch import STAGE_LABELS, Stage
from csu_console.core.review.digest import ShiftDigest, duration
from csu_console.core.review.filter import category_label
from csu_console.ui.labels import tr_label
from csu_console.ui.review.tables import fill, local_time, make_table
from csu_console.ui.theme import current

_TITLE = "font-weight: bold; font-size: 13pt;"


# Open alerts listed in the digest (a month can leave thousands open: the list
# and the indicators have them all; filling a table with them froze the screen).
DIGEST_ROWS = 300


class DigestView(QWidget):
    """Four lists, each titled with its count (red when something is left)."""

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.headline = QLabel(self)
        self.headline.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.headline.setWordWrap(True)
        self.open_alerts = make_table(
            [
                self.tr("N°"),
                self.tr("Reçue à"),
                self.tr("Priorité"),
                self.tr("Catégorie"),
                self.tr("État"),
                self.tr("Titre"),
            ],
            self,
        )
        self.dispatches = make_table(
            [self.tr("Unité"), self.tr("Alerte"), self.tr("Étape"), self.tr("Depuis")], self
        )
        self.cameras = make_table([self.tr("Caméra"), self.tr("Hors service depuis")], self)
        self.mutes = make_table(
            [
                self.tr("Poste"),
                self.tr("De"),
                self.tr("À"),
                self.tr("Durée"),
                self.tr("Opérateurs"),
            ],
            self,
        )
        self.titles: dict[str, QLabel] = {}
        grid = QGridLayout()
        # Alerts across the top (what matters most), units and cameras, then mutes.
        places = {"open": (0, 0, 1, 2), "units": (2, 0, 1, 1), "cameras": (2, 1, 1, 1),
                  "mutes": (4, 0, 1, 2)}  # fmt: skip
        tables = {"open": self.open_alerts, "units": self.dispatches, "cameras": self.cameras,
                  "mutes": self.mutes}  # fmt: skip
        for key, (row, col, rows, cols) in places.items():
            title = QLabel(self)
            title.setStyleSheet(_TITLE)
            self.titles[key] = title
            grid.addWidget(title, row, col, 1, cols)
            grid.addWidget(tables[key], row + 1, col, rows, cols)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)
        grid.setRowStretch(5, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(grid, 1)

    def _title(self, key: str, text: str, count: int) -> None:
        label = self.titles[key]
        label.setText(f"{text} ({count})")
        alarm = count and key != "mutes"
        label.setStyleSheet(_TITLE + (f" color: {current().danger_text};" if alarm else ""))

    def show_digest(self, digest: ShiftDigest) -> None:
        """Fill the lists from ``digest``."""
        tz, end = self._tz, digest.end.isoformat(timespec="milliseconds")
        self.headline.setText(
            self.tr("À la relève du {at} : {n} alerte(s) ouverte(s), {u} intervention(s) "
                    "en cours, {c} caméra(s) hors service.").format(
                at=local_time(digest.end, tz, "%d/%m/%Y %H:%M"), n=len(digest.open_alerts),
                u=len(digest.open_dispatches), c=len(digest.cameras_down),
            )
        )  # fmt: skip
        self._title("open", self.tr("Alertes ouvertes"), len(digest.open_alerts))
        # The most urgent first (P1s on top), then the oldest: what to take first.
        by_urgency = sorted(digest.open_alerts, key=lambda r: (r.priority, r.received_at))
        shown = by_urgency[:DIGEST_ROWS]
        if len(shown) < len(digest.open_alerts):
            self.titles["open"].setText(
                self.tr("Alertes ouvertes ({n} ; les {k} premières ici, toutes dans la liste)")
                .format(n=len(digest.open_alerts), k=len(shown))
            )  # fmt: skip
        fill(self.open_alerts, [
            (str(r.pk), local_time(r.received_at, tz),
             tr_label(PRIORITY_LABELS.get(r.priority, str(r.priority))),
             tr_label(category_label(r.category)), tr_label(STATE_LABELS[r.state_at(end)]),
             r.title)
            for r in shown
        ], [r.pk for r in shown])  # fmt: skip
        self._title("units", self.tr("Interventions non terminées"), len(digest.open_dispatches))
        fill(self.dispatches, [
            (d.unit_name, str(d.alert_pk), self._stage(d.stage), local_time(d.since, tz))
            for d in digest.open_dispatches
        ])  # fmt: skip
        self._title("cameras", self.tr("Caméras hors service"), len(digest.cameras_down))
        fill(self.cameras, [(o.camera_name, local_time(o.down_since, tz))
                            for o in digest.cameras_down])  # fmt: skip
        self._title("mutes", self.tr("Alarme en sourdine"), len(digest.mutes))
        fill(self.mutes, [
            (m.station or "?", local_time(m.start, tz, "%H:%M:%S"),
             local_time(m.end, tz, "%H:%M:%S"), duration(m.seconds), ", ".join(m.operators))
            for m in digest.mutes
        ])  # fmt: skip

    @staticmethod
    def _stage(stage: str) -> str:
        try:
            return tr_label(STAGE_LABELS[Stage(stage)])
        except ValueError:
            return stage


class ShiftDigestDialog(QDialog):
    """The digest before a shift is closed: « Clôturer la vacation » or « Annuler »."""

    def __init__(
        self, digest: ShiftDigest, station: str, tz: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Relève – poste {s}").format(s=station))
        self.resize(1200, 700)
        intro = QLabel(
            self.tr("Avant de clôturer la vacation, voici ce que la vacation suivante reprend."),
            self,
        )
        intro.setStyleSheet("font-size: 13pt;")
        self.view = DigestView(tz, self)
        self.view.show_digest(digest)
        buttons = QDialogButtonBox(self)
        self.confirm_button = QPushButton(self.tr("Clôturer la vacation"), self)
        self.confirm_button.setDefault(True)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Annuler"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)
