"""« Alerte test ici »: the cameras a real alert at a point would open, in order.

The ranking is the console's own call (:func:`~csu_console.core.ranking.rank_cameras`
with the wall's size, as the map and the wall do for a real alert), run on the
configuration being edited. A point can be saved as a check: its expected cameras
are re-run at every start and after every change, and a check that no longer holds
is shown in red.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.schema import Camera
from csu_console.core.ranking import DEFAULT_WALL_SIZE, RankedCamera, rank_cameras
from csu_console.ui.setup.checks_list import ChecksList
from csu_console.ui.setup.model import SetupModel


def rank_for_point(model: SetupModel, lon: float, lat: float) -> list[RankedCamera[Camera]]:
    """The ranking a real alert at (lon, lat) would get from the console."""
    return rank_cameras(model.cameras, model.zones, lon, lat, limit=DEFAULT_WALL_SIZE)


class TestAlertPanel(QWidget):
    """The ranking at the last test point, and the saved checks."""

    __test__ = False  # not a pytest class, whatever its name
    test_requested = Signal()
    ranks_changed = Signal(object)  # dict[str, int]: camera id -> rank

    def __init__(
        self, model: SetupModel, checks: ChecksList, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self.checks = checks
        self.point: tuple[float, float] | None = None
        self.ranked: list[RankedCamera[Camera]] = []
        self.test_button = QPushButton(self.tr("Alerte test ici…"), self)
        self.test_button.setToolTip(self.tr("Puis cliquer sur la carte ; Échap pour finir"))
        self.test_button.clicked.connect(self.test_requested)
        self.point_label = QLabel(self.tr("Cliquer « Alerte test ici… » puis un point."), self)
        self.point_label.setWordWrap(True)
        self.result_list = QListWidget(self)
        self.save_button = QPushButton(self.tr("Enregistrer comme contrôle"), self)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.name_dialog: QInputDialog | None = None
        top = QHBoxLayout()
        top.addWidget(self.test_button)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.point_label)
        layout.addWidget(self.result_list, 2)
        layout.addWidget(QLabel(self.tr("Contrôles enregistrés"), self))
        layout.addWidget(checks, 1)
        model.cameras_changed.connect(self._rerun)
        model.zones_changed.connect(self._rerun)
        model.camera_changed.connect(self._rerun)
        model.zone_changed.connect(self._rerun)

    @Slot(float, float)
    def test_at(self, lon: float, lat: float) -> None:
        """Rank the cameras for an alert at (lon, lat) and show them."""
        self.point = (lon, lat)
        self._show()

    def clear(self) -> None:
        self.point = None
        self.ranked = []
        self.result_list.clear()
        self.save_button.setEnabled(False)
        self.ranks_changed.emit({})

    @Slot()
    def _rerun(self, _changed: str = "") -> None:
        if self.point is not None:
            self._show()

    def _show(self) -> None:
        assert self.point is not None
        lon, lat = self.point
        self.ranked = rank_for_point(self._model, lon, lat)
        self.point_label.setText(
            self.tr("Alerte test en {lat:.5f}, {lon:.5f} : {n} caméra(s)").format(
                lat=lat, lon=lon, n=len(self.ranked)
            )
        )
        self.result_list.clear()
        for r in self.ranked:
            item = QListWidgetItem(f"{r.rank}. {r.camera.name} — {r.reason}", self.result_list)
            item.setData(Qt.ItemDataRole.UserRole, r.camera.id)
            if r.sees:
                item.setForeground(QColor("#1b5e20"))
        self.save_button.setEnabled(True)
        self.ranks_changed.emit({r.camera.id: r.rank for r in self.ranked})

    @Slot()
    def _on_save_clicked(self) -> None:
        if self.point is None:
            return
        dialog = QInputDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr("Enregistrer comme contrôle"))
        dialog.setLabelText(self.tr("Nom du contrôle (lieu) :"))
        dialog.setTextValue(self.tr("Contrôle {n}").format(n=len(self.checks.points) + 1))
        dialog.textValueSelected.connect(self.save_check)
        self.name_dialog = dialog
        dialog.open()

    @Slot(str)
    def save_check(self, name: str) -> None:
        """Save the current point and its ranking as a check called ``name``."""
        if self.point is None or not name.strip():
            return
        lon, lat = self.point
        self.checks.add(name.strip(), lon, lat, tuple(r.camera.id for r in self.ranked))
