"""Time from ``NvrFeed.open(T)`` to the first decoded frame, RTSP replay from an NVR.

Makes a recording (``--seconds``, 640x360 by default, 25 fps, a keyframe a second,
QR timecodes), joins its segments into one file and serves it with the GStreamer
RTSP test server as an NVR does (``?starttime=``, Hikvision form). Then, ``--runs``
times, an alert at a random instant T of the recording is replayed from T − 60 s
(``[video] replay_before_s``): the time from :meth:`NvrFeed.open` to the first
decoded BGR frame is kept, and the first frame's QR timecode is read to say how far
the time the replay gives it is from the time it was filmed. Prints p50/p99/max and
a last line of ``name=value`` pairs (goal: p50 and p99 ≤ 1.5 s).

    .venv/bin/python bench/replay_first_frame_rtsp.py [--runs 30] [--hd]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from csu_console.media.replay.nvr import NvrFeed
from csu_console.media.replay.source import RecordedFrame
from csu_console.media.stream_server.control import (
    RecordingMount,
    RtspServerProcess,
    join_segments,
)
from csu_console.media.stream_server.recordings import make_recording
from csu_console.media.stream_server.timecode import read_timecode

BEFORE_S = 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=180, help="length of the recording")
    parser.add_argument("--hd", action="store_true", help="1280x720 instead of 640x360")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    width, height = (1280, 720) if args.hd else (640, 360)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="csu-bench-nvr-") as tmp:
        root = Path(tmp)
        origin = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
        began = time.monotonic()
        segments = make_recording(
            root, "cam", origin, args.seconds, segment_s=60, width=width, height=height
        )
        file = join_segments([s.path for s in segments], root / "track.mkv")
        print(f"enregistrement de {args.seconds} s {width}x{height} fait en "
              f"{time.monotonic() - began:.1f} s")  # fmt: skip
        mount = RecordingMount("Streaming/tracks/101", file, origin.timestamp())
        with RtspServerProcess([], recordings=[mount]) as server:
            feed = NvrFeed("cam", server.url(mount) + "?starttime={start:%Y%m%dT%H%M%SZ}")
            times: list[float] = []
            errors: list[float] = []
            for _ in range(args.runs):
                alert = origin + timedelta(seconds=rng.randint(BEFORE_S, args.seconds - 5))
                at = alert - timedelta(seconds=BEFORE_S)
                t = time.monotonic()
                frames = feed.open(at)
                try:
                    first = next(iter(frames))
                    took = time.monotonic() - t
                finally:
                    frames.close()
                assert isinstance(first, RecordedFrame), first
                times.append(took)
                code = read_timecode(first.image)
                if code is not None:
                    errors.append(first.at - code.unix(origin.timestamp()))
    p50, p99, worst = percentile(times, 0.5), percentile(times, 0.99), max(times)
    print(f"relecture RTSP (NVR GStreamer), {args.runs} ouvertures à T−{BEFORE_S} s :")
    print(f"  premier frame : p50 {p50:.3f} s, p99 {p99:.3f} s, max {worst:.3f} s "
          f"(moyenne {statistics.fmean(times):.3f} s)")  # fmt: skip
    if errors:
        print(f"  heure dite − heure filmée (QR, {len(errors)} lus) : "
              f"max |écart| {max(abs(e) for e in errors):.3f} s")  # fmt: skip
    max_error = max((abs(e) for e in errors), default=float("nan"))
    print(
        f"rtsp_first_frame_p50_s={p50:.3f} rtsp_first_frame_p99_s={p99:.3f} "
        f"rtsp_first_frame_max_s={worst:.3f} rtsp_time_error_max_s={max_error:.3f} "
        f"runs={args.runs}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
