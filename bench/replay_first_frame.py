"""Time from « Relecture » to the first picture, from the recorder's local segments.

    .venv/bin/python bench/replay_first_frame.py [--runs 60] [--minutes 5] [--dir DIR]

Makes ``--minutes`` of two cameras faster than real time (``make_recording``,
one-minute segments, H.264 with a keyframe a second, 25 fps): ``cam-hd`` in
1280×720 and ``cam-sd`` in 640×360, filed and indexed as ``csu-recorder`` does
(``--dir`` keeps them for a next run). Then, ``--runs`` times, alternating the
cameras, at a random reported time T: what « Relecture » does — a new
:class:`ReplayClock` at T − 60 s, playing, and :func:`open_replay` on the console's
:class:`ReplayFeeds` — and the time until the source publishes its first frame
(listener's ``frame_ready``), then stop and join. Each first frame's ``at`` is
checked against T − 60 s (within 1 s). Prints p50/p99/max per camera and in all
(goals: p50 ≤ 0.3 s, p99 ≤ 0.6 s); then ``--runs``/2 « Relecture du mur »: both
cameras on one clock, until both show a frame. Last line ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from csu_console.config import Camera
from csu_console.core.recording import replay_start
from csu_console.media.replay.clock import ReplayClock
from csu_console.media.replay.source import ReplayFeeds, open_replay
from csu_console.media.stream_server.recordings import make_recording
from csu_console.media.video.source import CameraSource, SourceStatus
from csu_console.recorder.index import INDEX_FILE, RecordingIndex

CAMERAS = {"cam-hd": (1280, 720), "cam-sd": (640, 360)}
BEFORE_S = 60.0


class FirstFrame:
    """Listener: notes when the first frame is published."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.at: float | None = None
        self.mono: float | None = None

    def frame_ready(self, source: CameraSource) -> None:
        if not self.done.is_set():
            frame = source.latest()
            if frame is not None:
                self.at, self.mono = frame.at, time.monotonic()
                self.done.set()

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        pass


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def record(root: Path, minutes: int) -> datetime:
    """The recordings (made once per folder); their origin."""
    stamp = root / "origin.txt"
    if (root / INDEX_FILE).is_file() and stamp.is_file():
        return datetime.fromtimestamp(float(stamp.read_text()), UTC)
    origin = (datetime.now(UTC) - timedelta(minutes=minutes + 5)).replace(microsecond=0)
    index = RecordingIndex(root)
    try:
        for camera, (width, height) in CAMERAS.items():
            t0 = time.monotonic()
            make_recording(
                root,
                camera,
                origin,
                minutes * 60,
                segment_s=60,
                width=width,
                height=height,
                index=index,
            )
            made = time.monotonic() - t0
            print(f"{camera} : {minutes} min en {width}×{height} faites en {made:.1f} s")
    finally:
        index.close()
    stamp.write_text(f"{origin.timestamp():.3f}")
    return origin


def _camera(camera_id: str) -> Camera:
    return Camera(camera_id, camera_id, "fixe", 4.36, 43.84, 0.0, 60.0, 50.0, "rtsp://h/x")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--minutes", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="garder les enregistrements ici")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="csu-replay-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    origin = record(root, args.minutes)
    feeds = ReplayFeeds(root)  # the console's, made once
    rng = random.Random(args.seed)
    times: dict[str, list[float]] = {c: [] for c in CAMERAS}
    wall: list[float] = []
    off: list[float] = []
    try:
        for run in range(args.runs):
            camera = list(CAMERAS)[run % len(CAMERAS)]
            # A reported time with a full minute before it, and a few seconds after.
            reported = origin + timedelta(seconds=rng.uniform(BEFORE_S, args.minutes * 60 - 5))
            listener = FirstFrame()
            t0 = time.monotonic()
            clock = ReplayClock(replay_start(reported, BEFORE_S))
            source = open_replay(_camera(camera), clock, listener, feeds)
            ok = listener.done.wait(10)
            source.stop()
            source.join(5)
            if not ok or listener.mono is None or listener.at is None:
                print(f"essai {run} ({camera}) : pas d'image en 10 s")
                times[camera].append(10.0)
                continue
            times[camera].append(listener.mono - t0)
            off.append(listener.at - replay_start(reported, BEFORE_S).timestamp())
        for _run in range(args.runs // 2):
            # « Relecture du mur »: every camera on one clock, until all show a frame.
            reported = origin + timedelta(seconds=rng.uniform(BEFORE_S, args.minutes * 60 - 5))
            listeners = [FirstFrame() for _ in CAMERAS]
            t0 = time.monotonic()
            clock = ReplayClock(replay_start(reported, BEFORE_S))
            sources = [
                open_replay(_camera(c), clock, lis, feeds)
                for c, lis in zip(CAMERAS, listeners, strict=True)
            ]
            ok = all(lis.done.wait(10) for lis in listeners)
            for source in sources:
                source.stop()
            for source in sources:
                source.join(5)
            monos = [lis.mono for lis in listeners if lis.mono is not None]
            wall.append(max(monos) - t0 if ok and len(monos) == len(CAMERAS) else 10.0)
    finally:
        feeds.close()
        if args.dir is None:
            shutil.rmtree(root, ignore_errors=True)
    summary: dict[str, float] = {}
    every = [t for ts in times.values() for t in ts]
    print(f"\n{args.runs} relectures à T − {BEFORE_S:.0f} s, s de « Relecture » à la 1re image")
    print(f"{'':22}{'p50':>8}{'p99':>8}{'max':>8}")
    for name, values in (*times.items(), ("ensemble", every), ("mur", wall)):
        label = f"{name} {CAMERAS[name][0]}×{CAMERAS[name][1]}" if name in CAMERAS else name
        if name == "mur":
            label = f"mur ({len(CAMERAS)} à la fois)"
        p50, p99 = statistics.median(values), percentile(values, 99)
        print(f"{label:22}{p50:>8.3f}{p99:>8.3f}{max(values):>8.3f}")
        key = name.replace("cam-", "")
        summary[f"{key}_p50_s"], summary[f"{key}_p99_s"] = p50, p99
    summary["first_frame_off_max_s"] = max(abs(o) for o in off) if off else float("nan")
    print(f"écart de l'image à T − 60 s : max {summary['first_frame_off_max_s']:.3f} s")
    print(" ".join(f"{k}={v:.3f}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
