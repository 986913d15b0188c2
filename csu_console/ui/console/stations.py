"""The room's stations for the chef de salle (F10): who is where, since when, looking
at which alert, as the hub reports them (protocol § 9.5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.roles import ROLE_LABELS
from csu_console.core.team import ROLES_FROM_HUB, StationView
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import LINK_LOST, LINK_OK, pt

# (source, id) → « n° 12 · Cambriolage · … », or None when not here.
AlertNamer = Callable[[tuple[str, str]], str | None]


class StationListDialog(QDialog):
    """A table of the stations, refreshed whenever the hub says something changed."""

    def __init__(
        self,
        station: str,
        tz: ZoneInfo,
        name_alert: AlertNamer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._station, self._tz, self._name_alert = station, tz, name_alert
        self.setWindowTitle(self.tr("Postes de la salle"))
        self.resize(1100, 420)
        self.headline = QLabel(self)
        self.headline.setStyleSheet(f"font-size: {pt(13)}pt; font-weight: bold;")
        self.headline.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Poste"),
                self.tr("Opérateur"),
                self.tr("Rôle"),
                self.tr("État"),
                self.tr("Consulte"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setStyleSheet(f"QTableWidget {{ font-size: {pt(12)}pt; }}")
        header = self.table.horizontalHeader()
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.show_stations([], "")

    def _time(self, at: datetime) -> str:
        return at.astimezone(self._tz).strftime("%H:%M:%S")

    def show_stations(self, views: list[StationView], hub: str) -> None:
        """Every station the hub knows, online ones first."""
        online = sum(1 for v in views if v.presence.online)
        if not hub:
            self.headline.setText(
                self.tr("Pas de serveur d'alertes connecté : la liste des postes est indisponible.")
            )
        else:
            self.headline.setText(
                self.tr("{n} poste(s) en ligne sur {total} – serveur {hub}").format(
                    n=online, total=len(views), hub=hub
                )
            )
        self.table.setRowCount(len(views))
        for row, view in enumerate(views):
            for col, (text, color) in enumerate(self._cells(view)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if color is not None:
                    item.setForeground(QColor(color))
                self.table.setItem(row, col, item)

    def _cells(self, view: StationView) -> list[tuple[str, str | None]]:
        p = view.presence
        station = p.station
        if station == self._station:
            station = self.tr("{s} (ce poste)").format(s=station)
        role = ROLES_FROM_HUB.get(p.role)
        role_text = tr_label(ROLE_LABELS[role]) if role is not None else (p.role or "—")
        if p.online:
            state = self.tr("En ligne depuis {t}").format(t=self._time(view.since))
            state_color: str | None = LINK_OK
        else:
            state = self.tr("HORS LIGNE depuis {t}").format(t=self._time(view.since))
            state_color = LINK_LOST
        viewing = "—"
        if p.online and p.viewing is not None:
            viewing = self._name_alert(p.viewing) or self.tr("alerte {id} (pas à ce poste)").format(
                id=p.viewing[1]
            )
        operator = p.operator or self.tr("personne")
        return [
            (station, None),
            (operator, None),
            (role_text if p.operator else "—", None),
            (state, state_color),
            (viewing, None),
        ]

    def row_texts(self, row: int) -> list[str]:
        """The texts of one row (tests)."""
        return [
            item.text() if (item := self.table.item(row, c)) is not None else ""
            for c in range(self.table.columnCount())
        ]
