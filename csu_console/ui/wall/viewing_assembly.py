"""Free viewing in the console: the « Vidéo » menu (browser Ctrl+B, layouts
Ctrl+Maj+B, tours Ctrl+Maj+T, resume an interrupted tour Ctrl+Maj+R, stop it
Ctrl+Maj+X; Échap in the queue clears the selection), its dialogs, and the
controller wired to the queue's selection, the banner and the session. Built by
:func:`assemble_viewing` (a few lines in app.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, SignalInstance
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMenu

from csu_console.config import SiteConfig
from csu_console.core.roles import Permission
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.extraction_assembly import video_menu
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.wall.camera_browser import CameraBrowser
from csu_console.ui.wall.controller import WallController
from csu_console.ui.wall.viewing import ViewingController
from csu_console.ui.wall.viewing_dialogs import LayoutsDialog, ToursDialog
from csu_console.ui.wall.wall import CameraWall

BROWSE_KEY, LAYOUTS_KEY, TOURS_KEY, RESUME_TOUR_KEY, STOP_TOUR_KEY = (
    "Ctrl+B",
    "Ctrl+Shift+B",
    "Ctrl+Shift+T",
    "Ctrl+Shift+R",
    "Ctrl+Shift+X",
)


@dataclass
class ViewingParts:
    """The controller, the menu's actions and the dialogs (made on first use)."""

    controller: ViewingController
    window: MainWindow  # the dialogs' parent
    menu: QMenu
    browse_action: QAction
    layouts_action: QAction
    tours_action: QAction
    resume_action: QAction
    stop_action: QAction
    dialogs: dict[str, QDialog] = field(default_factory=dict)

    def open(self, which: str) -> QDialog:
        """The browser (``"browser"``), layouts or tours dialog, shown and raised."""
        dialog = self.dialogs.get(which)
        if dialog is None or not shiboken6.isValid(dialog):
            parent = self.window
            kinds = {"browser": CameraBrowser, "layouts": LayoutsDialog, "tours": ToursDialog}
            dialog = kinds[which](self.controller, parent)
            self.dialogs[which] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog


def _action(window: MainWindow, menu: QMenu, text: str, key: str) -> QAction:
    action = menu.addAction(text)
    action.setShortcut(QKeySequence(key))
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    action.setAutoRepeat(False)
    window.addAction(action)
    return action


def assemble_viewing(
    window: MainWindow,
    walls: WallController,
    wall: CameraWall,
    site: SiteConfig,
    tasks: DbTasks,
    station: str,
    top_changed: SignalInstance,
    camera_clicked: SignalInstance | None = None,
) -> ViewingParts:
    """The « Vidéo » menu and its controller, wired; the station's lists loaded."""
    session = walls.session
    controller = ViewingController(
        walls, wall, site.cameras, site.zones, tasks, station, session, window
    )
    menu = video_menu(window)  # the « Vidéo » menu the extractions share
    if menu.actions():
        menu.addSeparator()
    parts = ViewingParts(
        controller,
        window,
        menu,
        _action(
            window,
            menu,
            QCoreApplication.translate("ViewingMenu", "Parcourir les caméras…"),
            BROWSE_KEY,
        ),
        _action(
            window,
            menu,
            QCoreApplication.translate("ViewingMenu", "Dispositions du mur…"),
            LAYOUTS_KEY,
        ),
        _action(
            window, menu, QCoreApplication.translate("ViewingMenu", "Rondes de caméras…"), TOURS_KEY
        ),
        _action(
            window,
            menu,
            QCoreApplication.translate("ViewingMenu", "Reprendre la ronde"),
            RESUME_TOUR_KEY,
        ),
        _action(
            window,
            menu,
            QCoreApplication.translate("ViewingMenu", "Arrêter la ronde"),
            STOP_TOUR_KEY,
        ),
    )
    parts.browse_action.triggered.connect(lambda: parts.open("browser"))
    parts.layouts_action.triggered.connect(lambda: parts.open("layouts"))
    parts.tours_action.triggered.connect(lambda: parts.open("tours"))
    parts.resume_action.triggered.connect(controller.resume_tour)
    parts.stop_action.triggered.connect(lambda: controller.stop_tour("arrêtée"))
    # Échap in the queue clears the selection: the wall is free again (a tour that
    # an alert interrupted resumes once nothing new rings).
    clear = QShortcut(QKeySequence("Escape"), window.table, window.table.clearSelection)
    clear.setContext(Qt.ShortcutContext.WidgetShortcut)
    for action in (parts.browse_action, parts.layouts_action, parts.tours_action):
        window.gates.guard_action(action, Permission.VIEW_CAMERAS)
    controller.message.connect(window.show_message)
    window.alert_selected.connect(controller.on_alert_selected)
    top_changed.connect(controller.on_top_alert)
    if camera_clicked is not None:  # the map's camera click
        camera_clicked.connect(controller.on_camera_clicked)
    if session is not None:
        session.changed.connect(controller.on_session_changed)
    controller.load()
    return parts
