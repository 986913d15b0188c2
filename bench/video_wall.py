"""CPU and memory of the camera wall with 4 and 9 live streams, 360p and 720p.

For each case, a real RTSP server (GStreamer, its own process) serves N streams at
25 fps; a separate process runs the console's wall — StreamPool, OpenCV/FFmpeg
decoders, VideoBridge, CameraTile painting — in a 1,040x560 window, waits until
every tile shows a picture, then measures its own CPU time (user + system, all
threads) and peak RSS over a fixed window. The server's CPU is not counted:
cameras are not on the console's machine.

    .venv/bin/python bench/video_wall.py [--seconds 10]

Prints a table and a last line of ``name=value`` pairs (cpu in % of ONE core;
``free_2cores_9x360p`` is the share of the two cores left with 9 × 360p).
Offscreen Qt: painting is software rasterisation, as under Xvfb.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = [(4, 640, 360), (9, 640, 360), (16, 640, 360), (4, 1280, 720), (9, 1280, 720)]


def child(urls: list[str], seconds: float) -> dict[str, float]:
    """Run the wall on ``urls``; returns CPU % of one core, RSS, frames painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from csu_console.config import Camera
    from csu_console.media.video.backend import create_source
    from csu_console.media.video.pool import StreamPool
    from csu_console.ui.wall.video_bridge import VideoBridge
    from csu_console.ui.wall.wall import CameraWall, WallEntry

    app = QApplication(sys.argv[:1])
    bridge = VideoBridge()
    pool = StreamPool(create_source, bridge)
    columns = next(c for c in (1, 2, 3, 4) if c * c >= len(urls))
    wall = CameraWall(pool, bridge, ZoneInfo("Europe/Paris"), columns=columns)
    wall.resize(1040, 560)
    wall.show()
    cams = [
        Camera(f"c{i}", f"Caméra {i}", "fixe", 24.94, 60.17, 0.0, 60.0, 100.0, url)
        for i, url in enumerate(urls)
    ]
    wall.show_entries([WallEntry(c, i + 1) for i, c in enumerate(cams)], "banc d'essai")

    def run_until(predicate: object, timeout_s: float) -> None:
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: predicate() and loop.quit())  # type: ignore[operator]
        timer.start(20)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        timer.stop()

    tiles = wall.visible_tiles()[: len(urls)]
    run_until(lambda: all(t.current_frame() is not None for t in tiles), 30)
    if not all(t.current_frame() is not None for t in tiles):
        raise SystemExit("les flux ne sont pas tous arrivés")
    run_until(lambda: False, 2.0)  # settle
    painted0 = sum(t.frames_painted for t in tiles)
    decoded0 = sum(f.seq for t in tiles if t.source and (f := t.source.latest()))
    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)
    ticker.start()
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    run_until(lambda: False, seconds)
    r1, t1 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    painted = sum(t.frames_painted for t in tiles) - painted0
    decoded = sum(f.seq for t in tiles if t.source and (f := t.source.latest())) - decoded0
    cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / (t1 - t0) * 100
    result = {
        "cpu_pct": cpu,
        "rss_mb": r1.ru_maxrss / 1024,
        "fps_per_tile": painted / (t1 - t0) / len(tiles),
        "decoded_fps_per_stream": decoded / (t1 - t0) / len(tiles),
        "dropped": float(bridge.dropped),
        "gui_gap_max_ms": max(gaps) * 1000,
        "gui_gap_p99_ms": sorted(gaps)[int(len(gaps) * 0.99)] * 1000,
    }
    pool.stop_all()
    app.quit()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child), args.seconds)))
        return 0

    from csu_console.media.stream_server.control import RtspServerProcess, StreamMount

    results: dict[str, dict[str, float]] = {}
    for n, w, h in CASES:
        mounts = [StreamMount(f"cam{i:02d}", f"CAM-{i:02d}", w, h, 25) for i in range(n)]
        with RtspServerProcess(mounts, pattern="smpte") as server:
            urls = [server.url(m) for m in mounts]
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    json.dumps(urls),
                    "--seconds",
                    str(args.seconds),
                ],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
        key = f"{n}x{h}p"
        results[key] = json.loads(out.stdout.strip().splitlines()[-1])
        r = results[key]
        print(
            f"{n} flux {w}x{h} 25 i/s : CPU {r['cpu_pct']:5.1f} % d'un cœur, "
            f"RSS max {r['rss_mb']:6.1f} Mo, {r['decoded_fps_per_stream']:4.1f} i/s décodées "
            f"et {r['fps_per_tile']:4.1f} peintes par tuile, "
            f"{int(r['dropped'])} notifications sautées, boucle GUI : p99 "
            f"{r['gui_gap_p99_ms']:.0f} ms, max {r['gui_gap_max_ms']:.0f} ms"
        )
    free = 100 - results["9x360p"]["cpu_pct"] / 2
    pairs = [f"cpu_{k}={v['cpu_pct']:.1f}" for k, v in results.items()]
    pairs += [f"rss_mb_{k}={v['rss_mb']:.0f}" for k, v in results.items()]
    print(" ".join([*pairs, f"free_2cores_9x360p={free:.1f}"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
