"""Frame time of the live map with the heatmap on over 20,000 points, during pan and zoom.

A real ``MapPane`` of the demo site (its real map file, imported from the shipped OSM
extract, its cameras and zones) with 300 alert markers and the heatmap on over
20,000 reports around the site (a few hot spots over a diffuse background). Three
scripted sequences, each frame timed as one synchronous ``viewport().repaint()``
(as ``bench/map_render.py`` does):

- ``settled``: 45 pan and zoom steps; after each, the basemap and the heatmap's new
  images are awaited, then one frame is timed (what the operator sees once the map
  has caught up);
- ``drag``: 60 frames of a hand drag (25 px a frame), nothing awaited: a pan that
  leaves the prefetched margin asks for new images off the GUI thread meanwhile;
- ``wheel``: 24 frames of wheel zooming (half a level a notch, in and out), nothing
  awaited: the frames that show the previous images scaled until the new ones come.

Also the worker's time to compute one density image. ``--off`` runs the same
sequences with the heatmap hidden: the map's own cost, for comparison.
Prints p50/p95/max per sequence and overall; last line ``name=value`` pairs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/weak_signals_heatmap.py [--off]
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

import numpy as np
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QPointF
from PySide6.QtWidgets import QApplication

from csu_console.config.loader import load_site
from csu_console.ui.map import MapAlert, MapPane, heatmap_layer
from csu_console.ui.map.basemap import BasemapSource

REPO = Path(__file__).resolve().parents[1]
POINTS, ALERTS = 20_000, 300
SETTLED_STEPS, DRAG_FRAMES, WHEEL_FRAMES = 45, 60, 24


def _basemap(tmp: Path) -> tuple[BasemapSource | None, str]:
    try:
        from csu_console.mapdata.mapfile import import_osm
        from csu_console.ui.map.basemap_file import ThreadedMapFile
    except ImportError as exc:
        return None, f"pas de MapFile ({exc}) : fond de carte vide"
    report = import_osm(REPO / "assets/osm/helsinki-centre.osm.pbf", tmp / "demo.csumap")
    return ThreadedMapFile(report.path), f"MapFile réel : {report.summary()}"


def _points(rng: np.random.Generator, lon0: float, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    """Hot spots (60 %) over a diffuse background (40 %) around the site."""
    spots = rng.uniform((-0.008, -0.005), (0.008, 0.005), size=(12, 2))
    n_spot = int(POINTS * 0.6)
    which = rng.integers(0, len(spots), n_spot)
    hot = spots[which] + rng.normal(0, (0.0009, 0.0005), size=(n_spot, 2))
    diffuse = rng.normal(0, (0.006, 0.0035), size=(POINTS - n_spot, 2))
    both = np.concatenate([hot, diffuse])
    return lon0 + both[:, 0], lat0 + both[:, 1]


def _settle(pane: MapPane, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    busy = True
    while busy and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        busy = pane.view.basemap.pending or pane.heatmap.pending
    QCoreApplication.processEvents()


def _frame(pane: MapPane) -> float:
    timer = QElapsedTimer()
    timer.start()
    pane.view.viewport().repaint()
    return timer.nsecsElapsed() / 1e6


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def _line(name: str, frames: list[float]) -> str:
    return (
        f"{name:8s} {len(frames):3d} images  p50={statistics.median(frames):6.2f} ms"
        f"  p95={_pct(frames, 0.95):6.2f} ms  max={max(frames):6.2f} ms"
    )


def _timed_compute(durations: list[float]) -> None:
    """Time each density computation in the worker (appending to a list is atomic)."""
    compute = heatmap_layer._compute

    def timed(*args: object) -> object:
        t0 = time.perf_counter()
        try:
            return compute(*args)  # type: ignore[arg-type]
        finally:
            durations.append((time.perf_counter() - t0) * 1000.0)

    heatmap_layer._compute = timed  # type: ignore[assignment]


def main() -> int:
    heat_on = "--off" not in sys.argv[1:]
    app = QApplication(sys.argv)
    rng = random.Random(19)
    nprng = np.random.default_rng(19)
    site = load_site(REPO / "config")
    lon0 = statistics.fmean(c.lon for c in site.cameras)
    lat0 = statistics.fmean(c.lat for c in site.cameras)
    computes: list[float] = []
    _timed_compute(computes)
    with tempfile.TemporaryDirectory() as tmp:
        basemap, what = _basemap(Path(tmp))
        print(f"fond de carte : {what}")
        pane = MapPane(site, basemap)
        pane.resize(1600, 1000)
        pane.show()
        pane.overlays.set_alerts(
            [
                MapAlert(
                    f"A-{i}",
                    lon0 + rng.uniform(-0.009, 0.009),
                    lat0 + rng.uniform(-0.0055, 0.0055),
                    rng.randint(1, 4),
                    count=rng.choice((1, 1, 1, 2, 5)),
                    pulsing=False,
                )
                for i in range(ALERTS)
            ]
        )
        view, heat = pane.view, pane.heatmap
        lon, lat = _points(nprng, lon0, lat0)
        view.center_on(lon0, lat0, 15.5)
        heat.set_points(lon, lat, label="30 derniers jours")
        heat.set_visible(heat_on)
        _settle(pane)
        _frame(pane)  # warm-up: fonts, pens, the legend
        settled: list[float] = []
        for step in range(SETTLED_STEPS):
            if step % 3 == 2:
                target = min(18.0, max(14.0, view.zoom() + rng.choice((-0.5, 0.5, 1.0, -1.0))))
                view.set_zoom(target, QPointF(rng.uniform(200, 1400), rng.uniform(150, 850)))
            else:
                h, v = view.horizontalScrollBar(), view.verticalScrollBar()
                h.setValue(h.value() + rng.randint(-300, 300))
                v.setValue(v.value() + rng.randint(-200, 200))
            _settle(pane)
            settled.append(_frame(pane))
        view.center_on(lon0, lat0, 16.0)
        _settle(pane)
        drag: list[float] = []
        for i in range(DRAG_FRAMES):
            h, v = view.horizontalScrollBar(), view.verticalScrollBar()
            direction = 1 if (i // 20) % 2 == 0 else -1
            h.setValue(h.value() + 25 * direction)
            v.setValue(v.value() + 10)
            QCoreApplication.processEvents()  # what a drag's event loop turn does
            drag.append(_frame(pane))
        _settle(pane)
        wheel: list[float] = []
        for i in range(WHEEL_FRAMES):
            notch = 0.5 if (i // 6) % 2 == 0 else -0.5
            view.set_zoom(view.zoom() + notch, QPointF(800 + 10 * i, 500))
            QCoreApplication.processEvents()
            wheel.append(_frame(pane))
        _settle(pane)
        requests, dropped = heat.requests, heat.dropped
        view.shutdown()
    every = settled + drag + wheel
    state = "affichée" if heat_on else "MASQUÉE (--off : le coût de la carte seule)"
    print(f"{POINTS} points, carte de chaleur {state}, {ALERTS} alertes, viewport 1600×1000")
    for name, frames in (("settled", settled), ("drag", drag), ("wheel", wheel), ("tout", every)):
        print(_line(name, frames))
    computes = computes or [0.0]
    print(
        f"calcul d'une image de densité (fil de travail) : {requests} demandes,"
        f" p50={statistics.median(computes):.0f} ms, max={max(computes):.0f} ms;"
        f" {dropped} résultats périmés écartés"
    )
    print(
        f"heatmap_frame_p50_ms={statistics.median(every):.2f}"
        f" heatmap_frame_p95_ms={_pct(every, 0.95):.2f}"
        f" heatmap_frame_max_ms={max(every):.2f}"
        f" heatmap_settled_p95_ms={_pct(settled, 0.95):.2f}"
        f" heatmap_drag_p95_ms={_pct(drag, 0.95):.2f}"
        f" heatmap_wheel_p95_ms={_pct(wheel, 0.95):.2f}"
        f" heatmap_compute_p50_ms={statistics.median(computes):.0f}"
        f" heatmap_points={POINTS} heatmap_on={int(heat_on)}"
    )
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
