"""The camera-to-zone mapping as a table: cameras × zones of the shown zoning.

A ticked cell maps the camera to the zone. Cells that
:func:`~csu_console.core.mapping.suggest_mapping` proposes from the fields of view
are tinted and say why (share of the field of view in the zone, or the camera
standing in it); « Accepter les suggestions » takes them for one camera or all.
Suggestions are recomputed shortly after a change (a drag changes a camera many
times a second).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.schema import Camera, Zone
from csu_console.core.mapping import suggest_mapping, zone_shares
from csu_console.ui.setup.model import SetupModel

SUGGESTED_ONLY = QColor("#ffe082")  # suggested, not mapped yet: look here
SUGGESTED_MAPPED = QColor("#c8e6c9")  # suggested and mapped: agreed
MAPPED_ONLY = QColor("#bbdefb")  # mapped by hand against the suggestion
RECOMPUTE_MS = 150

Index = QModelIndex | QPersistentModelIndex


class MappingModel(QAbstractTableModel):
    """Rows: the model's cameras; columns: the zones of the shown zoning."""

    def __init__(self, model: SetupModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._cameras: list[Camera] = []
        self._zones: list[Zone] = []
        self.suggestions: dict[str, tuple[str, ...]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_MS)
        self._timer.timeout.connect(self.recompute)
        model.cameras_changed.connect(self.recompute)
        model.zones_changed.connect(self.recompute)
        model.shown_zoning_changed.connect(self.recompute)
        model.camera_changed.connect(self._on_model_camera_changed)
        model.zone_changed.connect(self._on_model_zone_changed)
        model.selection_changed.connect(self._on_model_selection_changed)
        self.recompute()

    @Slot()
    def _on_model_selection_changed(self) -> None:
        if self._cameras:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._cameras) - 1)

    def shown_zones(self) -> list[Zone]:
        return list(self._zones)

    @Slot()
    def recompute(self) -> None:
        """Re-read the cameras and zones and compute the suggestions now."""
        self._timer.stop()
        self.beginResetModel()
        self._cameras = list(self._model.cameras)
        shown = self._model.shown_zoning
        self._zones = [z for z in self._model.zones if z.zoning == shown]
        self.suggestions = suggest_mapping(self._cameras, self._zones)
        self.endResetModel()

    @Slot(str)
    def _on_model_camera_changed(self, camera_id: str) -> None:
        """Show the camera's mapping at once; suggestions follow a little later."""
        row, cam = self.row_of(camera_id), self._model.camera(camera_id)
        if row >= 0 and cam is not None:
            self._cameras[row] = cam
            last = max(0, len(self._zones) - 1)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)
        self._timer.start()

    @Slot(str)
    def _on_model_zone_changed(self, zone_id: str) -> None:
        for col, zone in enumerate(self._zones):
            new = self._model.zone(zone_id)
            if zone.id == zone_id and new is not None:
                self._zones[col] = new
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, col, col)
        self._timer.start()

    def camera_at(self, row: int) -> Camera:
        return self._cameras[row]

    def row_of(self, camera_id: str) -> int:
        return next((i for i, c in enumerate(self._cameras) if c.id == camera_id), -1)

    # -- Qt model ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cameras)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._zones)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and section < len(self._zones):
                return self._zones[section].name
            return None
        if section >= len(self._cameras):
            return None
        cam = self._cameras[section]
        selected = cam.id == self._model.selected_camera
        if role == Qt.ItemDataRole.DisplayRole:
            # The selected camera is marked in its header: a selected row would hide
            # the tints that matter.
            return ("▶ " if selected else "") + cam.name
        if role == Qt.ItemDataRole.ForegroundRole and selected:
            return QBrush(QColor("#1565c0"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return cam.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cam, zone = self._cameras[index.row()], self._zones[index.column()]
        mapped = zone.id in cam.zones
        suggested = zone.id in self.suggestions.get(cam.id, ())
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if mapped else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("suggérée") if suggested else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            if suggested:
                return QBrush(SUGGESTED_MAPPED if mapped else SUGGESTED_ONLY)
            return QBrush(MAPPED_ONLY) if mapped else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.why(cam, zone)
        return None

    def why(self, cam: Camera, zone: Zone) -> str:
        """Why a cell is (not) suggested, for the tooltip."""
        share = zone_shares(cam, [zone])[zone.id]
        inside = zone.area.contains(cam.lon, cam.lat)
        suggested = zone.id in self.suggestions.get(cam.id, ())
        parts = [
            self.tr("{p} % du champ de vision de {cam} dans « {zone} »").format(
                p=round(share * 100), cam=cam.id, zone=zone.name
            )
        ]
        if inside:
            parts.append(self.tr("la caméra est dans la zone"))
        head = self.tr("Suggérée") if suggested else self.tr("Non suggérée")
        return f"{head} : " + " ; ".join(parts)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        cam, zone = self._cameras[index.row()], self._zones[index.column()]
        self._model.set_mapped(cam.id, zone.id, checked)
        return True

    # -- accepting -------------------------------------------------------------

    def accepted_zones(self, cam: Camera) -> tuple[str, ...]:
        """The camera's zones once the shown zoning's suggestions are accepted
        (its zones of other zonings are kept)."""
        shown = {z.id for z in self._zones}
        kept = tuple(z for z in cam.zones if z not in shown)
        return kept + self.suggestions.get(cam.id, ())

    def accept(self, camera_ids: list[str]) -> None:
        """Take the suggestions for these cameras (one undo step)."""
        self.recompute()
        mapping = {
            c.id: self.accepted_zones(c)
            for c in self._cameras
            if c.id in camera_ids and self.accepted_zones(c) != c.zones
        }
        if mapping:
            self._model.set_mappings(mapping)


class MappingPanel(QWidget):
    """The table with its legend and the « Accepter les suggestions » buttons."""

    camera_activated = Signal(str)

    def __init__(self, model: SetupModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.table_model = MappingModel(model, self)
        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.verticalHeader().sectionClicked.connect(self._on_row_header_clicked)
        legend = QLabel(
            self.tr(
                "<span style='background:{a}'>&nbsp;suggérée&nbsp;</span> "
                "<span style='background:{b}'>&nbsp;suggérée et affectée&nbsp;</span> "
                "<span style='background:{c}'>&nbsp;affectée sans suggestion&nbsp;</span>"
            ).format(a=SUGGESTED_ONLY.name(), b=SUGGESTED_MAPPED.name(), c=MAPPED_ONLY.name()),
            self,
        )
        self.accept_one = QPushButton(self.tr("Accepter les suggestions de la caméra"), self)
        self.accept_one.clicked.connect(self._on_accept_one_clicked)
        self.accept_all = QPushButton(self.tr("Accepter toutes les suggestions"), self)
        self.accept_all.clicked.connect(self._on_accept_all_clicked)
        legend.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_one)
        buttons.addWidget(self.accept_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        layout.addLayout(buttons)
        model.selection_changed.connect(self._on_model_selection_changed)
        self.table_model.modelReset.connect(self._on_model_selection_changed)
        self._on_model_selection_changed()

    @Slot()
    def _on_model_selection_changed(self) -> None:
        row = self.table_model.row_of(self._model.selected_camera or "")
        self.accept_one.setEnabled(row >= 0)
        if row >= 0:
            self.table.scrollTo(self.table_model.index(row, 0))

    @Slot(QModelIndex)
    def _on_table_clicked(self, index: QModelIndex) -> None:
        self._model.select_camera(self.table_model.camera_at(index.row()).id)

    @Slot(int)
    def _on_row_header_clicked(self, row: int) -> None:
        self._model.select_camera(self.table_model.camera_at(row).id)

    @Slot()
    def _on_accept_one_clicked(self) -> None:
        if self._model.selected_camera is not None:
            self.table_model.accept([self._model.selected_camera])

    @Slot()
    def _on_accept_all_clicked(self) -> None:
        self.table_model.accept([c.id for c in self._model.cameras])
