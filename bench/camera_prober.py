"""The background prober's CPU for a site of many cameras.

    .venv/bin/python bench/camera_prober.py [--cameras 200] [--seconds 60]

The real RTSP test server serves ``--cameras`` mounts (320x180, 10 fps: the
server's own CPU is not what is measured and must not starve the machine); the
real :class:`~csu_console.media.probe.prober.CameraProber` checks all of them
with the site's default ``[prober]`` settings (a DESCRIBE per camera every 30 s,
a key-frame decode every 300 s, the first ones spread over the first 30 s). The
figure is the CPU time (user + system, from ``/proc/self/task/<tid>/stat``) of
the prober's own threads — its scheduler and its workers — over ``--seconds``,
as a percentage of one core. Last line: ``prober_cpu_percent=… light_checks=…
decodes=… cameras_ok=…``. Goal: < 5 % of one core for 200 cameras.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from csu_console.config.schema import Camera, ProberConfig
from csu_console.core.camera_state import CameraHealthBook, CameraState
from csu_console.media.probe.prober import CameraProber
from csu_console.media.stream_server.control import RtspServerProcess, StreamMount

TICK = os.sysconf("SC_CLK_TCK")


def thread_cpu_s(threads: list[threading.Thread]) -> float:
    """User + system seconds of ``threads`` (ended ones are lost: the pools keep theirs)."""
    total = 0
    for t in threads:
        try:
            fields = Path(f"/proc/self/task/{t.native_id}/stat").read_text().rsplit(")", 1)[1]
        except (OSError, IndexError):
            continue
        parts = fields.split()
        total += int(parts[11]) + int(parts[12])  # utime, stime (fields 14, 15)
    return total / TICK


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cameras", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    mounts = [StreamMount(f"cam{i:03d}", f"CAM {i}", 320, 180, 10) for i in range(args.cameras)]
    server = RtspServerProcess(mounts).start(timeout=60)
    try:
        cams = [
            Camera(m.name, m.label, "fixe", 24.94, 60.17, 0.0, 60.0, 50.0, server.url(m), None)
            for m in mounts
        ]
        settings = ProberConfig()
        book = CameraHealthBook([c.id for c in cams], offline_after_s=300)
        prober = CameraProber(cams, book, settings)
        wall0, proc0 = time.monotonic(), time.process_time()
        prober.start()
        time.sleep(args.seconds)
        threads = list(prober.threads)
        cpu = thread_cpu_s(threads)
        wall = time.monotonic() - wall0
        proc = time.process_time() - proc0
        stats = prober.stats
        prober.stop()
        counts = book.counts()
    finally:
        server.close()
    print(f"cameras={args.cameras} seconds={wall:.1f} threads={len(threads)}")
    print(f"process_cpu_percent={100 * proc / wall:.2f} (whole bench process, for comparison)")
    print(" ".join(f"{s.name.lower()}={n}" for s, n in counts.items()))
    print(
        f"prober_cpu_percent={100 * cpu / wall:.2f} light_checks={stats.light}"
        f" decodes={stats.decodes} cameras_ok={counts[CameraState.OK]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
