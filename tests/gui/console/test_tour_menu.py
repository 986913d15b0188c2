"""Free viewing in the real console window (the demo site's configuration): the
browser, layouts and tours in the shared « Vidéo » menu with their keys, gated on
VIEW_CAMERAS; Ctrl+B opens the browser over the site's cameras, searched by name,
zone and commune; the station's tours and layouts are read from its database."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from csu_console.config import load_site
from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.core.viewing import Tour
from csu_console.media.video.backend import create_source
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import HealthSettings
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.extraction_assembly import VIDEO_MENU, assemble_extraction
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.session import Session
from csu_console.ui.wall.camera_browser import CameraBrowser
from csu_console.ui.wall.controller import WallController, WallSettings
from csu_console.ui.wall.video_bridge import VideoBridge
from csu_console.ui.wall.viewing_assembly import assemble_viewing
from csu_console.ui.wall.wall import CameraWall

CONFIG = Path(__file__).resolve().parents[3] / "config"
TZ = ZoneInfo("Europe/Paris")


def test_the_video_menu_opens_the_browser_layouts_and_tours(
    qtbot: Any, writer: StorageWriter, tmp_path: Path
) -> None:
    site = load_site(CONFIG)
    writer.submit(lambda s: s.save_tour("poste-1", Tour("Nuit", ("cam-01", "cam-05")), "x"))
    session = Session()
    tasks = DbTasks(writer)
    bridge = VideoBridge()
    pool = StreamPool(create_source, bridge, HealthSettings())
    wall = CameraWall(pool, bridge, TZ)
    window = MainWindow(
        AlertTableModel(TZ), tasks, TZ, site.site.name, "poste-1", session=session, wall=wall
    )
    qtbot.addWidget(window)
    session.setParent(window)
    tasks.setParent(window)
    assemble_extraction(site, tmp_path, tasks, window, "poste-1")
    walls = WallController(
        wall, pool, bridge, site.cameras, site.zones, tasks, "poste-1",
        WallSettings(evidence_dir=tmp_path / "evidence"), lambda _a: None, wall,
        session=session,
    )  # fmt: skip
    parts = assemble_viewing(
        window,
        walls,
        wall,
        site,
        tasks,
        "poste-1",
        walls.message,  # any signal
    )
    menus = window.menuBar().findChildren(QMenu, VIDEO_MENU)
    assert len(menus) == 1 and parts.menu is menus[0]  # one « Vidéo » menu, shared
    titles = [a.text() for a in parts.menu.actions() if not a.isSeparator()]
    assert titles[-5:] == [
        "Parcourir les caméras…",
        "Dispositions du mur…",
        "Rondes de caméras…",
        "Reprendre la ronde",
        "Arrêter la ronde",
    ]
    keys = [a.shortcut().toString() for a in (parts.browse_action, parts.layouts_action,
            parts.tours_action, parts.resume_action, parts.stop_action)]  # fmt: skip
    assert keys == ["Ctrl+B", "Ctrl+Shift+B", "Ctrl+Shift+T", "Ctrl+Shift+R", "Ctrl+Shift+X"]
    qtbot.waitUntil(lambda: [t.name for t in parts.controller.tours] == ["Nuit"], timeout=5000)

    assert not parts.browse_action.isEnabled()  # nobody logged in
    session.log_in(Account("adm", "Adèle", Role.ADMIN))  # no VIEW_CAMERAS
    assert not parts.browse_action.isEnabled() and not parts.tours_action.isEnabled()
    session.log_out()
    session.log_in(Account("op", "Olivier", Role.OPERATEUR))
    assert parts.browse_action.isEnabled() and parts.tours_action.isEnabled()

    window.show()
    parts.browse_action.trigger()
    browser = parts.dialogs["browser"]
    assert isinstance(browser, CameraBrowser) and browser.isVisible()
    assert browser.table.rowCount() == len(site.cameras) == 9
    qtbot.keyClicks(browser.search_edit, "marche")  # « Place du Marché », no accent typed
    assert [r.id for r in browser.rows] == ["cam-05"]
    browser.search_edit.clear()
    commune = next(r.communes[0] for r in browser.rows if r.communes)
    browser.search_edit.setText(commune)  # accented: keyClicks types ASCII only
    assert browser.rows and all(commune in r.communes for r in browser.rows)
    qtbot.keyClick(browser, Qt.Key.Key_Escape)
    assert not browser.isVisible()
    parts.tours_action.trigger()
    tours = parts.dialogs["tours"]
    assert tours.isVisible()
    tours.close()
    walls.stop()
