"""« Caméras »: every camera of the site with its state, since when and its last check.

A non-modal window (Supervision > État des caméras…) over the
:class:`~csu_console.ui.console.camera_watch.CameraWatch`: sortable columns, the
cameras down first, and a double-click shows the camera on the wall (the wall
asks for a reason and checks the permission, as a click on the map does).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.schema import Camera, Zone
from csu_console.core.camera_state import CameraState, CameraStatus
from csu_console.ui.console.camera_watch import MAP_HEALTH, CameraWatch
from csu_console.ui.map.items import HEALTH_COLORS

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_COLUMN = 1
#: How often the open window reads the checks again (:meth:`CameraListModel.refresh`).
REFRESH_MS = 2000
# Down first in the « État » column's sort: what needs someone comes first.
STATE_ORDER = {
    CameraState.OFFLINE: 0,
    CameraState.BLACK: 1,
    CameraState.FROZEN: 2,
    CameraState.UNKNOWN: 3,
    CameraState.OK: 4,
}


class CameraListModel(QAbstractTableModel):
    """One row per camera; rows repaint when the watch says they changed."""

    def __init__(
        self, watch: CameraWatch, zones: Sequence[Zone], tz: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tz = tz
        self._cameras: list[Camera] = list(watch.cameras)
        self._row = {c.id: i for i, c in enumerate(self._cameras)}
        by_zone = {z.id: z for z in zones}
        self._places = {c.id: self._place(c, by_zone) for c in self._cameras}
        self._watch = watch
        self._status = {s.camera_id: s for s in watch.statuses()}
        watch.changed.connect(self._on_watch_changed)
        self._headers = [
            self.tr("Caméra"),
            self.tr("État"),
            self.tr("Depuis"),
            self.tr("Dernière vérification"),
            self.tr("Détail"),
            self.tr("Zone / commune"),
        ]

    @staticmethod
    def _place(camera: Camera, zones: dict[str, Zone]) -> str:
        found = [zones[z] for z in camera.zones if z in zones]
        names = sorted({z.name for z in found})
        communes = sorted({z.commune for z in found if z.commune})
        return " / ".join(p for p in (", ".join(names), ", ".join(communes)) if p)

    def camera_id(self, row: int) -> str:
        return self._cameras[row].id

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cameras)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def _when(self, at: datetime | None) -> str:
        if at is None:
            return "—"
        local = at.astimezone(self._tz)
        today = datetime.now(self._tz).date()
        return local.strftime("%H:%M:%S" if local.date() == today else "%d/%m %H:%M")

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        camera = self._cameras[index.row()]
        status = self._status.get(camera.id, CameraStatus(camera.id))
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                camera.name,
                self.tr_state(status.state),
                self._when(status.since),
                self._when(status.last_check),
                status.detail,
                self._places[camera.id],
            )[col]
        if role == SORT_ROLE:
            epoch = datetime.min.replace(tzinfo=self._tz)
            return (
                camera.name.casefold(),
                STATE_ORDER[status.state],
                (status.since or epoch).timestamp() if status.since else 0.0,
                (status.last_check or epoch).timestamp() if status.last_check else 0.0,
                status.detail,
                self._places[camera.id].casefold(),
            )[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == STATE_COLUMN:
            return QColor(HEALTH_COLORS[MAP_HEALTH[status.state]])
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == len(self._headers) - 1:
                return self._places[camera.id]
            if col == 0:
                return f"{camera.name} ({camera.id})"
            return f"{camera.id} — {status.detail}" if status.detail else camera.id
        return None

    def tr_state(self, state: CameraState) -> str:
        labels = {
            CameraState.OK: self.tr("en service"),
            CameraState.OFFLINE: self.tr("hors service"),
            CameraState.BLACK: self.tr("image noire"),
            CameraState.FROZEN: self.tr("image figée"),
            CameraState.UNKNOWN: self.tr("inconnu"),
        }
        return labels[state]

    def refresh(self) -> None:
        """Read every status again: a check that changes no state (a new « dernière
        vérification », another detail) is not announced by the watch."""
        self._on_watch_changed(
            tuple(s for s in self._watch.statuses() if s != self._status.get(s.camera_id))
        )

    def _on_watch_changed(self, changed: tuple[CameraStatus, ...]) -> None:
        for s in changed:
            self._status[s.camera_id] = s
            row = self._row.get(s.camera_id)
            if row is not None:
                last = self.columnCount() - 1
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def count(self, state: CameraState) -> int:
        return sum(1 for c in self._cameras if self._status[c.id].state is state)


class CameraListDialog(QDialog):
    """The « Caméras » window; ``camera_requested`` asks the wall to show a camera."""

    camera_requested = Signal(str)

    def __init__(
        self, watch: CameraWatch, zones: Sequence[Zone], tz: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Caméras"))
        self.model = CameraListModel(watch, zones, tz, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.summary = QLabel(self)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(STATE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_double_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        hint = QLabel(self.tr("Double-clic : afficher la caméra sur le mur."), self)
        layout.addWidget(hint)
        watch.changed.connect(self._refresh_summary)
        self._refresh_summary()
        # The last checks and their details, kept current while the window is open.
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.model.refresh)
        self.table.resizeColumnsToContents()
        # Long texts are elided (the tooltip has them): every column, the zone and
        # commune too, fits the window's 1,100 px without scrolling sideways.
        for col, widest in ((0, 280), (4, 240), (5, 240)):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), widest))
        self.resize(min(1100, max(800, self.table.horizontalHeader().length() + 60)), 560)

    def showEvent(self, event: QShowEvent) -> None:
        self.model.refresh()
        self._refresh.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._refresh.stop()
        super().hideEvent(event)

    def _refresh_summary(self, *_args: object) -> None:
        m = self.model
        self.summary.setText(
            self.tr(
                "{ok} en service, {off} hors service, {black} image noire, "  # lupdate joins them
                "{frozen} image figée, {unknown} inconnue(s)"
            ).format(
                ok=m.count(CameraState.OK),
                off=m.count(CameraState.OFFLINE),
                black=m.count(CameraState.BLACK),
                frozen=m.count(CameraState.FROZEN),
                unknown=m.count(CameraState.UNKNOWN),
            )
        )
        self.proxy.invalidate()

    def _on_double_clicked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.camera_requested.emit(self.model.camera_id(source.row()))
