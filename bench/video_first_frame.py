"""Time to the first decoded frame, RTSP through OpenCV/FFmpeg: tuned probing vs defaults.

Starts the RTSP test server with 9 mounts (640x360, 25 fps, a keyframe a second),
then, for several rounds, opens 4 streams at once and 9 streams at once with the
console's real source (:class:`OpenCvSource`): tuned (``analyzeduration;0|
probesize;32``) and FFmpeg's default probing (``tuned=False``; opens with the same
options run together, see ``ffmpeg_env.OptionsGate``, so both run in this process).
Every stream's time from ``start()`` to its first frame is kept; prints p50/max per
case, the speedup, the CPU used to decode 9 streams, and a last line of
``name=value`` pairs. ``--serial`` keeps OpenCV's process-wide open mutex
(``OPENCV_FFMPEG_IS_THREAD_SAFE=0``), for comparison.

    .venv/bin/python bench/video_first_frame.py [--rounds 3] [--hd] [--serial]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import threading
import time

from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.media.video.opencv_source import OpenCvSource
from csu_console.media.video.source import CameraSource, HealthSettings, SourceStatus

HEALTH = HealthSettings(open_timeout_s=15.0, read_timeout_s=5.0, freeze_after_s=5.0)
CPU_WINDOW_S = 5.0


class FirstFrame:
    """Listener: notes when the first frame of the source arrives."""

    def __init__(self) -> None:
        self.at: float | None = None
        self.done = threading.Event()
        self.frames = 0

    def frame_ready(self, source: CameraSource) -> None:
        self.frames += 1
        if self.at is None:
            self.at = time.monotonic()
            self.done.set()

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        pass


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one_round(urls: list[str], tuned: bool, measure_cpu: bool = False) -> tuple[list[float], float]:
    """Times to first frame of ``urls`` opened at once, and the decode CPU (% of a core)."""
    listeners = [FirstFrame() for _ in urls]
    sources = [
        OpenCvSource(u, lst, HEALTH, tuned=tuned) for u, lst in zip(urls, listeners, strict=True)
    ]
    began = time.monotonic()
    for source in sources:
        source.start()
    try:
        for lst in listeners:
            if not lst.done.wait(HEALTH.open_timeout_s + 5):
                raise SystemExit("ÉCHEC : un flux n'a donné aucune image")
        cpu_pct = 0.0
        if measure_cpu:
            cpu0, wall0, frames0 = _cpu_s(), time.monotonic(), sum(x.frames for x in listeners)
            time.sleep(CPU_WINDOW_S)  # a measuring window, not a wait for a condition
            wall = time.monotonic() - wall0
            cpu_pct = 100.0 * (_cpu_s() - cpu0) / wall
            fps = (sum(x.frames for x in listeners) - frames0) / wall / len(urls)
            n = len(urls)
            print(f"  décodage de {n} flux : {cpu_pct:.0f} % d'un cœur, {fps:.1f} i/s par flux")
    finally:
        for source in sources:
            source.stop()
        for source in sources:
            source.join(HEALTH.read_timeout_s + 1)
    return [lst.at - began for lst in listeners if lst.at is not None], cpu_pct


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hd", action="store_true", help="1280x720 au lieu de 640x360")
    parser.add_argument(
        "--serial", action="store_true", help="ouvertures une à une (verrou OpenCV)"
    )
    args = parser.parse_args()
    if args.serial:
        os.environ["OPENCV_FFMPEG_IS_THREAD_SAFE"] = "0"  # before the first open
    width, height = (1280, 720) if args.hd else (640, 360)
    mounts = [StreamMount(f"cam{i:02d}", f"CAM-{i:02d} Banc", width, height) for i in range(1, 10)]
    server = RtspServerProcess(mounts).start()
    results: dict[str, list[float]] = {}
    cpu_pct = 0.0
    try:
        urls = [server.url(m) for m in mounts]
        one_round(urls[:1], tuned=True)  # warm-up: FFmpeg's first open loads its codecs
        for r in range(args.rounds):
            for tuned in (True, False):
                prefix = "" if tuned else "default_"
                for name, count in (("top4", 4), ("all9", 9)):
                    last_tuned_all9 = tuned and count == 9 and r == args.rounds - 1
                    times, cpu = one_round(urls[:count], tuned, measure_cpu=last_tuned_all9)
                    cpu_pct = cpu or cpu_pct
                    results.setdefault(f"{prefix}{name}", []).extend(times)
                    print(
                        f"tour {r + 1} {'réglé ' if tuned else 'défaut'} {count} flux : "
                        + " ".join(f"{t:.2f}" for t in sorted(times))
                    )
    finally:
        server.close()

    summary: dict[str, float] = {}
    mode = "une à une" if args.serial else "en parallèle"
    print(
        f"\n{width}x{height}, ouvertures {mode}, {args.rounds} tours ; s de start() à la 1re image"
    )
    print(f"{'':14}{'réglé p50':>11}{'réglé max':>11}{'défaut p50':>12}{'défaut max':>12}")
    for name, label in (("top4", "4 à la fois"), ("all9", "9 à la fois")):
        row = []
        for prefix in ("", "default_"):
            times = results[f"{prefix}{name}"]
            summary[f"{prefix}{name}_p50_s"] = statistics.median(times)
            summary[f"{prefix}{name}_max_s"] = max(times)
            row += [summary[f"{prefix}{name}_p50_s"], summary[f"{prefix}{name}_max_s"]]
        print(f"{label:14}{row[0]:>11.2f}{row[1]:>11.2f}{row[2]:>12.2f}{row[3]:>12.2f}")
    # The headline: the 4 cameras nearest an alert, opened at once (p50).
    summary["speedup"] = summary["default_top4_p50_s"] / summary["top4_p50_s"]
    summary["speedup_all9_max"] = summary["default_all9_max_s"] / summary["all9_max_s"]
    summary["cpu9_pct"] = cpu_pct
    print(
        f"accélération : p50 à 4 flux {summary['speedup']:.1f}x, "
        f"mur de 9 complet {summary['speedup_all9_max']:.1f}x"
    )
    print(" ".join(f"{k}={v:.2f}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
