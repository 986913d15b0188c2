"""The installer's setup screen on the demo site, into docs/screenshot-setup.png
(a camera selected, its field-of-view handles out) and docs/screenshot-mapping.png
(the camera-to-zone mapping table with its suggestions).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/setup_screenshot.py

Works on a copy of ``config/`` and a throwaway database: nothing of the demo changes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication
from screenshots import wait_for

from csu_console.config.secrets import Credentials, SecretStore
from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.mapdata.mapfile import import_osm
from csu_console.storage.store import DB_NAME
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session
from csu_console.ui.map.basemap_file import ThreadedMapFile
from csu_console.ui.setup.window import SetupContext, SetupWindow
from csu_console.ui.theme import STYLESHEET

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
DEMO_MAP = REPO / "var" / "maps" / "helsinki-centre.csumap"
OSM = REPO / "assets" / "osm" / "helsinki-centre.osm.pbf"


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLESHEET)
    with tempfile.TemporaryDirectory(prefix="csu-setup-") as tmp_name:
        tmp = Path(tmp_name)
        config = tmp / "config"
        shutil.copytree(REPO / "config", config, ignore=shutil.ignore_patterns("history"))
        map_path = DEMO_MAP if DEMO_MAP.exists() else import_osm(OSM, tmp / "demo.csumap").path
        writer = StorageWriter(tmp / "data" / DB_NAME)
        writer.start()
        try:
            session = Session()
            session.log_in(Account("jdupont", "Jean Dupont", Role.INSTALLATEUR))
            ctx = SetupContext(
                config,
                DbTasks(writer),
                session,
                SecretStore(tmp / "data" / "secrets" / "stream-credentials.json"),
                "poste-1",
                ZoneInfo("Europe/Paris"),
                "Helsinki (démo)",
                ThreadedMapFile(map_path),
            )
            shoot(app, SetupWindow(ctx))
        finally:
            writer.close()
    return 0


def wait_for_basemap(app: QApplication, window: SetupWindow) -> None:
    window.view.refresh_basemap()
    wait_for(app, lambda: not window.view.basemap.pending)
    app.processEvents()


def grab(app: QApplication, window: SetupWindow, name: str) -> None:
    app.processEvents()
    path = DOCS / name
    window.grab().save(str(path))
    print(f"écrit {path}")


def shoot(app: QApplication, window: SetupWindow) -> None:
    window.setGeometry(0, 0, 1920, 1080)
    window.show()
    wait_for(app, window.isVisible)
    model = window.model

    # The setup screen: cam-02 selected, its handles out, credentials masked.
    model.select_camera("cam-02")
    model.set_credentials("cam-02", Credentials("operateur", "demo-2024"))
    cam = model.camera("cam-02")
    assert cam is not None
    window.view.center_on(cam.lon + 0.0004, cam.lat + 0.0001, zoom=17.6)
    window.tabs.setCurrentWidget(window.camera_form)
    window.camera_form._refresh()
    model.mark_saved()
    wait_for_basemap(app, window)
    grab(app, window, "screenshot-setup.png")

    # The mapping table: cam-02 turned south, so its suggestions differ from its zones.
    model.update_camera("cam-02", heading_deg=200.0, range_m=140.0)
    window.tabs.setCurrentWidget(window.mapping)
    window.mapping.table_model.recompute()
    model.select_camera("cam-02")
    window.fit_site()
    wait_for_basemap(app, window)
    grab(app, window, "screenshot-mapping.png")
    model.mark_saved()
    window.close()


if __name__ == "__main__":
    sys.exit(main())
