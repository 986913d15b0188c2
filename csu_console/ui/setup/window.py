"""The installer's setup screen: the map with its editing tools, and beside it the
selected camera, the zones, the camera-to-zone mapping and the test alerts.

A separate top-level window, opened from « Installation › Configuration du
site… » for the roles allowed to edit the site. It composes the parts and wires
them; the state is in :class:`~csu_console.ui.setup.model.SetupModel`, disk and
main courante in :class:`~csu_console.ui.setup.persistence.SetupStorage`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QWidget,
)

from csu_console.config.history import Version
from csu_console.config.loader import site_zonings
from csu_console.config.schema import Camera, ConfigProblem, SiteConfig
from csu_console.config.secrets import SecretStore
from csu_console.core.roles import Permission
from csu_console.media.video.backend import Preference
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.gates import ActionGates
from csu_console.ui.console.session import Session
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.map.map_pane import site_bbox
from csu_console.ui.map.map_view import MapView
from csu_console.ui.setup.camera_form import CameraForm
from csu_console.ui.setup.camera_items import CameraOverlay
from csu_console.ui.setup.checks_list import ChecksList
from csu_console.ui.setup.legend import HandleLegend
from csu_console.ui.setup.map_tools import MapTools, Tool
from csu_console.ui.setup.mapping_table import MappingPanel
from csu_console.ui.setup.model import SetupModel
from csu_console.ui.setup.persistence import GeoState, SetupStorage, validate
from csu_console.ui.setup.setup_actions import SetupActions
from csu_console.ui.setup.stream_test import StreamTester
from csu_console.ui.setup.test_alert import TestAlertPanel
from csu_console.ui.setup.zone_form import ZonePanel
from csu_console.ui.setup.zone_items import ZoneOverlay

TOOLBAR_STYLE = "QToolBar QToolButton { font-size: 13pt; padding: 6px 10px; }"


@dataclass(frozen=True)
class SetupContext:
    """What the setup screen needs from the console."""

    config_dir: Path
    tasks: DbTasks
    session: Session
    secrets: SecretStore
    station: str
    tz: ZoneInfo
    commune: str = ""
    basemap: BasemapSource | None = None
    backend: Preference = "auto"


class SetupWindow(QMainWindow):
    """See the module docstring. ``config_saved(GeoState)`` follows every save and
    restore (the console tells the operator to restart, see app.py)."""

    config_saved = Signal(object)
    closed = Signal()

    def __init__(self, ctx: SetupContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Configuration du site — caméras et zones"))
        self.resize(1700, 980)
        self.storage = SetupStorage(ctx.config_dir, ctx.tasks, ctx.secrets, ctx.station, self)
        disk = self.storage.on_disk
        self.model = SetupModel(disk.cameras, disk.zones, self)
        self.model.credentials = dict(disk.credentials)

        self.view = MapView(ctx.basemap, self)
        self.zones_overlay = ZoneOverlay(self.view.scene(), self.model)
        self.cameras_overlay = CameraOverlay(self.view.scene(), self.model)
        self.tools = MapTools(self.view)
        self.tester = StreamTester(ctx.tz, ctx.backend, self)
        self.camera_form = CameraForm(self.model, self.tester, self)
        zonings, declared = site_zonings(ctx.config_dir)
        self.zone_panel = ZonePanel(self.model, self, zonings=zonings, declared=declared)
        self.mapping = MappingPanel(self.model, self)
        self.checks = ChecksList(self.model, ctx.config_dir, self)
        self.test_alert = TestAlertPanel(self.model, self.checks, self)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.camera_form, self.tr("Caméra"))
        self.tabs.addTab(self.zone_panel, self.tr("Zones"))
        self.tabs.addTab(self.mapping, self.tr("Affectation caméras → zones"))
        self.tabs.addTab(self.test_alert, self.tr("Alerte test"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([1100, 700])
        self.setCentralWidget(self.splitter)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        self.gates = ActionGates(ctx.session, self)
        self.gates_permission = Permission.EDIT_SITE
        self.gates.refused.connect(self.show_message)
        self.actions_ = SetupActions(self)
        self._build_toolbar()

        self.tools.camera_placed.connect(self.add_camera_at)
        self.tools.zone_drawn.connect(self.actions_.add_zone)
        self.tools.hole_drawn.connect(self.actions_.add_hole)
        self.tools.test_point_chosen.connect(self.test_alert.test_at)
        self.tools.background_clicked.connect(self._on_tools_background_clicked)
        self.tools.tool_changed.connect(self._on_tools_tool_changed)
        self.zone_panel.draw_zone_requested.connect(lambda: self.tools.set_tool(Tool.DRAW_ZONE))
        self.zone_panel.draw_hole_requested.connect(lambda: self.tools.set_tool(Tool.DRAW_HOLE))
        self.test_alert.test_requested.connect(self._on_test_requested)
        self.test_alert.ranks_changed.connect(self.cameras_overlay.set_ranks)
        self.checks.point_activated.connect(self._on_check_activated)
        self.model.selection_changed.connect(self._on_model_selection_changed)
        self.model.dirty_changed.connect(self._on_model_dirty_changed)
        self.model.history_changed.connect(self._on_model_history_changed)
        self.storage.saved.connect(self._on_storage_saved)
        self.storage.restored.connect(self._on_storage_restored)
        self.storage.failed.connect(self._on_storage_failed)
        self.reason_dialog: QInputDialog | None = None
        self.close_box: QMessageBox | None = None
        self._close_confirmed = False
        self.legend = HandleLegend(self)
        self.statusBar().addPermanentWidget(self.legend)
        self._on_model_dirty_changed(False)
        if disk.problems:
            self.actions_.show_problems(
                self.tr("Configuration actuelle : problèmes"),
                self.tr(
                    "{n} problème(s) dans les fichiers actuels ; seul ce qui est valide est chargé."
                ),
                list(disk.problems),
            )

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Outils"), self)
        bar.setStyleSheet(TOOLBAR_STYLE)
        bar.setMovable(False)
        self.addToolBar(bar)
        a = self.actions_
        self.add_camera_action = self._action(
            bar, self.tr("Ajouter une caméra"), None, lambda: self.tools.set_tool(Tool.PLACE_CAMERA)
        )
        self.draw_zone_action = self._action(
            bar, self.tr("Dessiner une zone"), None, lambda: self.tools.set_tool(Tool.DRAW_ZONE)
        )
        self.test_action = self._action(
            bar, self.tr("Alerte test ici"), None, self._on_test_requested
        )
        bar.addSeparator()
        # « Défaire »: « Annuler » is the Cancel of every dialog (issue 14).
        self.undo_action = self._action(bar, self.tr("Défaire"), "Ctrl+Z", self.model.undo)
        self.redo_action = self._action(bar, self.tr("Rétablir"), "Ctrl+Shift+Z", self.model.redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.fit_action = self._action(bar, self.tr("Ajuster au site"), None, self.fit_site)
        bar.addSeparator()
        self.save_action = self._action(bar, self.tr("Enregistrer…"), "Ctrl+S", self.save)
        self.import_action = self._action(bar, self.tr("Importer GeoJSON…"), None, a.import_dialog)
        self.export_action = self._action(bar, self.tr("Exporter…"), None, a.export_dialog)
        self.history_action = self._action(bar, self.tr("Historique…"), None, a.history_dialog)
        for action in (self.save_action, self.import_action, self.history_action):
            self.gates.guard_action(action, Permission.EDIT_SITE)

    def _action(self, bar: QToolBar, text: str, key: str | None, slot: object) -> QAction:
        action = bar.addAction(text)
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        return action

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        """The mapping table wants width (one column per zone), the forms less."""
        total = sum(self.splitter.sizes())
        share = 0.6 if self.tabs.currentWidget() is self.mapping else 0.4
        self.splitter.setSizes([int(total * (1 - share)), int(total * share)])

    # -- map -----------------------------------------------------------------------

    def fit_site(self) -> None:
        """Show every camera and zone being edited."""
        site = SiteConfig(self.ctx.config_dir, cameras=self.model.cameras, zones=self.model.zones)
        bbox = site_bbox(site, self.ctx.basemap)
        if bbox is not None:
            self.view.fit_site(bbox)

    @Slot(float, float)
    def add_camera_at(self, lon: float, lat: float) -> None:
        """A new fixed camera at (lon, lat), facing north; its form is shown."""
        cam_id = self.model.new_id("cam")
        camera = Camera(
            id=cam_id,
            name=cam_id,
            kind="fixe",
            lon=lon,
            lat=lat,
            heading_deg=0.0,
            fov_deg=60.0,
            range_m=60.0,
            stream_main=f"rtsp://0.0.0.0:554/{cam_id}",
        )
        self.model.add_camera(camera)
        self.tabs.setCurrentWidget(self.camera_form)
        self.camera_form.main_edit.setFocus()
        self.show_message(
            self.tr("Caméra {id} placée : régler son champ avec les poignées.").format(id=cam_id)
        )

    @Slot(float, float)
    def _on_tools_background_clicked(self, lon: float, lat: float) -> None:
        """A click on the map's background: select the zone there (shown zoning)."""
        shown = self.model.shown_zoning
        here = [z for z in self.model.zones if z.zoning == shown and z.contains(lon, lat)]
        self.model.select_camera(None)
        self.model.select_zone(here[-1].id if here else None)

    @Slot(str)
    def _on_tools_tool_changed(self, tool: str) -> None:
        hints = {
            Tool.PLACE_CAMERA: self.tr(
                "Cliquer sur la carte pour placer la caméra (Échap : annuler)."
            ),
            Tool.DRAW_ZONE: self.tr(
                "Cliquer les sommets ; double-clic ou Entrée ferme la zone, Échap annule."
            ),
            Tool.DRAW_HOLE: self.tr(
                "Cliquer les sommets du trou dans la zone sélectionnée ; "
                "double-clic ou Entrée ferme, Échap annule."
            ),
            Tool.TEST_ALERT: self.tr("Cliquer où simuler une alerte (Échap : terminer)."),
        }
        self.show_message(hints.get(Tool(tool), ""))
        if Tool(tool) is not Tool.TEST_ALERT and self.test_alert.point is None:
            self.cameras_overlay.set_ranks({})

    @Slot()
    def _on_test_requested(self) -> None:
        self.tabs.setCurrentWidget(self.test_alert)
        self.tools.set_tool(Tool.TEST_ALERT)

    @Slot(float, float)
    def _on_check_activated(self, lon: float, lat: float) -> None:
        self.test_alert.test_at(lon, lat)
        self.view.center_on(lon, lat)

    @Slot()
    def _on_model_selection_changed(self) -> None:
        if (
            self.model.selected_camera is not None
            and self.tools.tool is Tool.NONE
            and self.tabs.currentWidget() is self.zone_panel
        ):
            self.tabs.setCurrentWidget(self.camera_form)

    @Slot(bool)
    def _on_model_dirty_changed(self, dirty: bool) -> None:
        mark = self.tr(" — modifications non enregistrées") if dirty else ""
        self.setWindowTitle(self.tr("Configuration du site — caméras et zones") + mark)
        self._on_model_history_changed()

    @Slot()
    def _on_model_history_changed(self) -> None:
        self.undo_action.setEnabled(self.model.can_undo())
        self.redo_action.setEnabled(self.model.can_redo())

    # -- saving ------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        """Validate, then ask why, then save (history, files, secrets, main courante)."""
        if not self.gates.check(Permission.EDIT_SITE):
            return
        problems = validate(self.model.cameras, self.model.zones, self.zone_panel.declared_ids)
        if problems:
            self.actions_.show_problems(
                self.tr("Enregistrement impossible"),
                self.tr("{n} problème(s) à corriger avant d'enregistrer :"),
                problems,
            )
            return
        self.reason_dialog = ask_reason(
            self,
            self.tr("Enregistrer la configuration"),
            self.tr("Motif de la modification (journalisé dans la main courante) :"),
            self.save_with_reason,
            lambda: self.show_message(self.tr("Enregistrement annulé : un motif est obligatoire.")),
        )

    def save_with_reason(self, reason: str, action: str = "save") -> None:
        """Save now (the configuration was validated) in the installer's name."""
        self.storage.save(
            self.model.cameras,
            self.model.zones,
            self.model.credentials,
            author=self.ctx.session.operator,
            reason=reason,
            action=action,
        )

    def _on_storage_saved(self, state: GeoState, version: Version) -> None:
        self.model.mark_saved()
        self.checks.rerun()
        self.show_message(
            self.tr(
                "Configuration enregistrée (version précédente n° {n} conservée). "
                "Redémarrer la console pour l'appliquer au classement et au mur."
            ).format(n=version.number)
        )
        self.config_saved.emit(state)

    def _on_storage_restored(self, state: GeoState, kept: Version) -> None:
        self.model.load(state.cameras, state.zones, state.credentials)
        self.checks.reload()
        self.fit_site()
        self.show_message(
            self.tr("Version restaurée ; la configuration remplacée est la version n° {n}.").format(
                n=kept.number
            )
        )
        self.config_saved.emit(state)

    def _on_storage_failed(self, message: str, problems: list[ConfigProblem]) -> None:
        if problems:
            self.actions_.show_problems(
                self.tr("Enregistrement refusé"), "{n} : " + message, problems
            )
        else:
            QMessageBox.warning(self, self.tr("Configuration"), message)

    def show_message(self, message: str) -> None:
        """A message for the installer in the status bar (15 s)."""
        self.statusBar().showMessage(message, 15_000)

    # -- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.model.dirty and not self._close_confirmed:
            event.ignore()
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Modifications non enregistrées"),
                self.tr("Fermer sans enregistrer ? Les modifications seront perdues."),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                self,
            )
            box.finished.connect(self._on_close_box_finished)
            self.close_box = box
            box.open()
            return
        self.tester.shutdown()
        self.view.shutdown()
        self.closed.emit()
        super().closeEvent(event)

    def _on_close_box_finished(self, result: int) -> None:
        if result == QMessageBox.StandardButton.Discard.value:
            self._close_confirmed = True
            self.close()
