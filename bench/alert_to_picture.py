"""From alert received to pictures on the wall, in the real console.

    .venv/bin/python bench/alert_to_picture.py [--rounds 8]

A real ``csu-sim`` sends one alert at a time at a point of the demo site; the real
console (offscreen Qt, the receiving process, SQLite, the wall in 3×3, nothing
selected so the wall follows the new alert) pre-warms the alert's top 4 cameras and
fills the wall with its 9 ranked cameras. The demo site's streams come from the
GStreamer RTSP test server (the wall plays the 640x360 substreams when a camera has
one, else its 1280x720 main stream). Before each round every decoder is stopped:
each round is a cold start. For each round: from the frame's arrival in the
receiving process (``Outcome.received_mono``, one monotonic clock for all
processes) to the first decoded frame of each of the top 4 cameras, and to the
moment all 9 tiles have a picture. Last line: ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from csu_console.app import Console
from csu_console.config import check_site
from csu_console.core.intake import Outcome
from csu_console.core.ranking import rank_cameras
from csu_console.media.stream_server.control import serve_cameras
from csu_console.media.video.source import CameraSource
from csu_console.sim.control import SimProcess
from csu_console.startup import RunOptions

REPO = Path(__file__).resolve().parents[1]


def run_until(predicate: object, timeout_s: float) -> bool:
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: predicate() and loop.quit())  # type: ignore[operator]
    timer.start(5)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    timer.stop()
    return bool(predicate())  # type: ignore[operator]


def best_point(site: object) -> tuple[float, float]:
    """A point of the demo site with the most ranked cameras (the wall's 9 if any)."""
    cams, zones = site.cameras, site.zones  # type: ignore[attr-defined]
    lon0 = statistics.fmean(c.lon for c in cams)
    lat0 = statistics.fmean(c.lat for c in cams)
    best = (lon0, lat0)
    best_n = len(rank_cameras(cams, zones, lon0, lat0, limit=9))
    for c in cams:
        n = len(rank_cameras(cams, zones, c.lon, c.lat, limit=9))
        if n > best_n:
            best, best_n = (c.lon, c.lat), n
    return best


def alert_frame(i: int, lon: float, lat: float) -> dict[str, object]:
    return {
        "json": {
            "type": "alert",
            "seq": "auto",
            "alert": {
                "id": f"banc-image-{i}-{time.time_ns()}",
                "source": "voisins-vigilants",
                "sent": datetime.now(UTC).isoformat(),
                "category": "cambriolage",
                "priority": 1,
                "title": "Cambriolage en cours",
                "location": {"lat": lat, "lon": lon, "address": "banc d'essai"},
            },
        },
        "expect": "ack",
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    site, problems = check_site(REPO / "config")
    assert site is not None and not problems, problems
    lon, lat = best_point(site)
    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="csu-picture-"))
    sim = SimProcess(REPO / "config", state=tmp / "sim.sqlite3", nice=10).start()
    streams, cams = serve_cameras(site.cameras, tmp / "rtsp.log")
    moved = cams[0].stream_main != site.cameras[0].stream_main
    console = Console(
        app,
        RunOptions(REPO / "config", tmp / "data", gateway=sim.url, station="bench",
                   autologin="banc", stream_port=streams.port if moved else None),
    )  # fmt: skip
    console.wall.set_columns(3)
    received: list[float] = []
    first_frame: dict[CameraSource, float] = {}  # by source: a stopped one may still post

    def on_committed(outcomes: list[Outcome]) -> None:
        received.extend(o.received_mono for o in outcomes if o.stored is not None)

    def on_frame(source: CameraSource) -> None:
        first_frame.setdefault(source, time.monotonic())

    console.bridge.frames_committed.connect(on_committed)
    console.video_bridge.frame_available.connect(on_frame)
    console.start()
    if not run_until(lambda: console.link.status.phase.value == "connected", 20):
        raise SystemExit("liaison non établie")
    ranked = rank_cameras(console.site.cameras, console.site.zones, lon, lat, limit=9)
    top4_urls = [r.camera.stream_sub or r.camera.stream_main for r in ranked[:4]]
    top4: list[float] = []
    all9: list[float] = []
    for i in range(args.rounds):
        console.pool.stop_all()
        console.wall.show_entries([], "")
        first_frame.clear()
        received.clear()
        sim.command("inject", frames=[alert_frame(i, lon, lat)])
        tiles = console.wall.visible_tiles()

        def wall_full(tiles: list[Any] = tiles) -> bool:
            shown = [t for t in tiles if t.camera is not None]
            return len(shown) == len(ranked) and all(t.current_frame() for t in shown)

        if not run_until(lambda: received and wall_full(), 20):
            raise SystemExit(f"tour {i} : mur incomplet")
        t0 = received[0]
        pool = console.pool
        top4 += [first_frame[s] - t0 for u in top4_urls if (s := pool.source(u))]
        shown = [t for t in tiles if t.camera is not None]
        all9.append(max(first_frame[t.source] for t in shown if t.source) - t0)
        console.alarm.acknowledged(console.alarm.scheduler.ringing_keys()[0]) if (
            console.alarm.scheduler.ringing_keys()
        ) else None
        print(f"tour {i + 1} : 4 premières {max(top4[-4:]):.2f} s, mur de {len(shown)} "
              f"{all9[-1]:.2f} s")  # fmt: skip
    # The whole site on a 3×3 wall, from cold: all 9 cameras asked at once.
    from csu_console.ui.wall.wall import WallEntry

    nine: list[float] = []
    entries = [WallEntry(c, i + 1) for i, c in enumerate(console.site.cameras[:9])]
    for _ in range(args.rounds):
        console.pool.stop_all()
        console.wall.show_entries([], "")
        first_frame.clear()
        asked = time.monotonic()
        console.wall.show_entries(entries, "banc d'essai : 9 caméras")
        shown = console.wall.visible_tiles()[: len(entries)]
        if not run_until(lambda: all(t.current_frame() for t in shown), 20):  # noqa: B023
            raise SystemExit("mur de 9 incomplet")
        nine.append(max(first_frame[t.source] for t in shown if t.source) - asked)
    console.stop()
    console.window.close()
    streams.close()
    sim.close()
    q = statistics.quantiles
    print(
        f"alert_to_picture top4_p50_s={statistics.median(top4):.3f} "
        f"top4_p90_s={q(top4, n=10)[-1]:.3f} top4_max_s={max(top4):.3f} "
        f"wall{len(ranked)}_p50_s={statistics.median(all9):.3f} wall_max_s={max(all9):.3f} "
        f"all9_p50_s={statistics.median(nine):.3f} all9_max_s={max(nine):.3f} "
        f"rounds={args.rounds}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
