"""Render the map pane on the demo site, focused on an alert, into docs/screenshot-map.png.

Run under Xvfb::

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/map_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QApplication

from csu_console.config.loader import load_site
from csu_console.core.geo import destination_point
from csu_console.core.ranking import rank_cameras
from csu_console.mapdata.mapfile import import_osm
from csu_console.ui.map import CameraHealth, MapAlert, MapPane
from csu_console.ui.map.basemap_file import ThreadedMapFile
from csu_console.ui.theme import STYLESHEET

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshot-map.png"


def _wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main() -> int:
    app = QApplication(sys.argv)
    app.setStyleSheet(STYLESHEET)
    site = load_site(REPO / "config")
    with tempfile.TemporaryDirectory() as tmp:
        mapfile = ThreadedMapFile(
            import_osm(REPO / "assets/osm/helsinki-centre.osm.pbf", Path(tmp) / "demo.csumap").path
        )
        pane = MapPane(site, mapfile)
        pane.resize(1600, 1000)
        pane.setWindowTitle("CSU Console — carte")
        pane.show()
        for i, cam in enumerate(site.cameras):
            health = (CameraHealth.OK, CameraHealth.OK, CameraHealth.OK, CameraHealth.OFFLINE)[
                i % 4
            ]
            pane.overlays.set_camera_health(cam.id, health)
        cam = next(c for c in site.cameras if c.kind == "fixe")
        lon, lat = destination_point(cam.lon, cam.lat, cam.heading_deg + 5, cam.range_m * 0.6)
        other = site.cameras[-1]
        pane.overlays.set_alerts(
            [
                MapAlert("A-1", lon, lat, 1, label="Rixe — 3 signalements", count=3),
                MapAlert("A-2", other.lon + 0.0015, other.lat - 0.0006, 3, label="Dégradation"),
            ]
        )
        pane.overlays.focus_alert(
            lon, lat, rank_cameras(site.cameras, site.zones, lon, lat, limit=9)
        )
        view = pane.view
        _wait_until(lambda: False, 0.4)  # the health changes are batched on a timer
        _wait_until(
            lambda: not view.basemap.pending and view.basemap_item.geometry.image is not None
        )
        _wait_until(lambda: 0.25 < pane.overlays.pulse_phase < 0.4, 2.0)  # a visible pulse
        pane.grab().save(str(OUT))
        view.shutdown()
    print(f"écrit : {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
