"""The saved « alerte test » checks and whether each still holds.

Checks live in the config directory (:mod:`csu_console.config.test_points`); they
are re-run with :func:`~csu_console.config.test_points.run_checks` on the
configuration being edited after every change, so the installer sees at once which
one a move of a camera breaks.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from csu_console.config.test_points import (
    DEFAULT_TOP,
    PointCheck,
    TestPoint,
    check_points,
    load_points,
    run_checks,
    save_points,
)
from csu_console.ui.setup.model import SetupModel

log = logging.getLogger("csu.ui")
RERUN_MS = 200


class ChecksList(QWidget):
    """The list of checks with their status; a warning line when one fails."""

    point_activated = Signal(float, float)  # lon, lat of a check double-clicked
    failures_changed = Signal(int)

    def __init__(self, model: SetupModel, config_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._config_dir = config_dir
        self.points: list[TestPoint] = []
        self.results: list[PointCheck] = []
        self.failures: list[str] = []
        self.list = QListWidget(self)
        self.list.itemDoubleClicked.connect(self._on_item_double_clicked)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "color: white; background: #c62828; font-weight: bold; padding: 4px;"
        )
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warning)
        layout.addWidget(self.list, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RERUN_MS)
        self._timer.timeout.connect(self.rerun)
        for signal in (model.cameras_changed, model.zones_changed):
            signal.connect(self.rerun)
        for item_signal in (model.camera_changed, model.zone_changed):
            item_signal.connect(self._timer.start)
        self.reload()

    def reload(self) -> None:
        """Read the saved checks again (after a load or a restore)."""
        self.points, problems = load_points(self._config_dir)
        for problem in problems:
            log.error("contrôles « alerte test » : %s", problem)
        self.rerun()

    def add(self, name: str, lon: float, lat: float, expected: tuple[str, ...]) -> None:
        """Save a new check (written at once: it is not part of the site's files)."""
        self.points.append(TestPoint(name, lon, lat, expected[:DEFAULT_TOP]))
        save_points(self._config_dir, self.points)
        self.rerun()

    @Slot()
    def rerun(self) -> None:
        """Run every check on the configuration being edited."""
        self._timer.stop()
        cameras, zones = self._model.cameras, self._model.zones
        self.results = check_points(self.points, cameras, zones, DEFAULT_TOP)
        self.list.clear()
        self.failures = [f.point.name for f in run_checks(self.points, cameras, zones)]
        for result in self.results:
            point = result.point
            mark = "✔" if result.ok else "✘"
            item = QListWidgetItem(f"{mark} {point.name} — {self.describe(result)}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, (point.lon, point.lat))
            item.setForeground(QColor("#1b5e20" if result.ok else "#c62828"))
        if self.failures:
            self.warning.setText(
                self.tr("{n} contrôle(s) ne tien(nen)t plus : {names}").format(
                    n=len(self.failures), names=", ".join(self.failures)
                )
            )
        self.warning.setVisible(bool(self.failures))
        self.failures_changed.emit(len(self.failures))

    def describe(self, result: PointCheck) -> str:
        """A check's outcome in words."""
        expected = ", ".join(result.expected)
        if result.ok:
            return self.tr("conforme : {exp}").format(exp=expected)
        return self.tr("NE TIENT PLUS : attendu {exp}, maintenant {act}").format(
            exp=expected, act=", ".join(result.actual) or self.tr("aucune caméra")
        )

    @Slot(QListWidgetItem)
    def _on_item_double_clicked(self, item: QListWidgetItem) -> None:
        lon, lat = item.data(Qt.ItemDataRole.UserRole)
        self.point_activated.emit(lon, lat)
