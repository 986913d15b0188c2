"""Frame time of the map with 2,000 cameras and 500 alerts on the demo map.

Runs ~60 pan and zoom steps; after each, waits for the basemap worker to deliver
the new view's geometry, then times one synchronous ``viewport().repaint()``.
Prints p50/p95 and a last line ``map_frame_ms p50=… p95=…``.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/map_render.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QPointF
from PySide6.QtWidgets import QApplication

from csu_console.config.loader import load_site
from csu_console.config.schema import Camera
from csu_console.ui.map import MapAlert, MapPane
from csu_console.ui.map.basemap import BasemapSource

REPO = Path(__file__).resolve().parents[1]
CAMERAS, ALERTS, STEPS = 2_000, 500, 60


def _basemap(tmp: Path) -> tuple[BasemapSource | None, str]:
    try:
        from csu_console.mapdata.mapfile import import_osm
        from csu_console.ui.map.basemap_file import ThreadedMapFile
    except ImportError as exc:
        return None, f"pas de MapFile ({exc}) : fond de carte vide"
    report = import_osm(REPO / "assets/osm/helsinki-centre.osm.pbf", tmp / "demo.csumap")
    return ThreadedMapFile(report.path), f"MapFile réel : {report.summary()}"


def _cameras(rng: random.Random, lon0: float, lat0: float) -> list[Camera]:
    cams = []
    for i in range(CAMERAS):
        dome = rng.random() < 0.3
        cams.append(
            Camera(
                id=f"bench-{i:04d}",
                name=f"CAM-{i:04d}",
                kind="dome" if dome else "fixe",
                lon=lon0 + rng.uniform(-0.009, 0.009),
                lat=lat0 + rng.uniform(-0.0075, 0.0075),
                heading_deg=rng.uniform(0, 360),
                fov_deg=360.0 if dome else rng.uniform(40, 90),
                range_m=rng.uniform(30, 120),
                stream_main=f"rtsp://127.0.0.1:8554/bench{i}",
            )
        )
    return cams


def _wait_basemap(pane: MapPane, timeout_s: float = 2.0) -> None:
    deadline = time.monotonic() + timeout_s
    while pane.view.basemap.pending and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    QCoreApplication.processEvents()


def main() -> int:
    app = QApplication(sys.argv)
    rng = random.Random(42)
    site = load_site(REPO / "config")
    lon0, lat0 = 24.9443, 60.1716
    with tempfile.TemporaryDirectory() as tmp:
        basemap, what = _basemap(Path(tmp))
        print(f"fond de carte : {what}")
        pane = MapPane(site, basemap)
        pane.resize(1600, 1000)
        pane.show()
        pane.overlays.set_cameras(_cameras(rng, lon0, lat0))
        pane.overlays.set_alerts(
            [
                MapAlert(
                    f"A-{i}",
                    lon0 + rng.uniform(-0.009, 0.009),
                    lat0 + rng.uniform(-0.0075, 0.0075),
                    rng.randint(1, 4),
                    count=rng.choice((1, 1, 1, 2, 5)),
                )
                for i in range(ALERTS)
            ]
        )
        view = pane.view
        failures: list[str] = []
        view.basemap.query_failed.connect(failures.append)
        pane.fit_site()
        _wait_basemap(pane)
        view.viewport().repaint()  # warm-up: fonts, pens
        frames: list[float] = []
        for step in range(STEPS):
            if step % 3 == 2:
                target = min(19.0, max(14.5, view.zoom() + rng.choice((-0.5, 0.5, 1.0, -1.0))))
                anchor = QPointF(rng.uniform(200, 1400), rng.uniform(150, 850))
                view.set_zoom(target, anchor)
            else:
                h, v = view.horizontalScrollBar(), view.verticalScrollBar()
                h.setValue(h.value() + rng.randint(-300, 300))
                v.setValue(v.value() + rng.randint(-200, 200))
            _wait_basemap(pane)
            t0 = time.perf_counter()
            view.viewport().repaint()
            frames.append((time.perf_counter() - t0) * 1000.0)
        view.shutdown()
    if failures:
        print(f"ÉCHEC : {len(failures)} rendus du fond de carte en erreur : {failures[0]}")
        return 1
    frames.sort()
    p50 = statistics.median(frames)
    p95 = frames[min(len(frames) - 1, round(0.95 * len(frames)) - 1)]
    print(f"{CAMERAS} caméras, {ALERTS} alertes, {len(frames)} pas (panoramique et zoom)")
    print(f"repaint : min={frames[0]:.2f} ms  max={frames[-1]:.2f} ms")
    print(f"map_frame_ms p50={p50:.2f} p95={p95:.2f}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
