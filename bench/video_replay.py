"""Recorded video, the issue's four figures in one run.

Runs each part as its own process, one after the other (they would compete for the
two cores otherwise), and gathers their last lines:

* ``bench/replay_first_frame.py`` — « Relecture » to the first frame at T−60 s from
  local segments (goal p50 ≤ 0.3 s, p99 ≤ 0.6 s);
* ``bench/replay_first_frame_rtsp.py`` — the same from an NVR's RTSP replay (the
  GStreamer test server; goal ≤ 1.5 s);
* ``bench/replay_extract.py`` — extraction of 10 minutes of 4 cameras (goal ≤ 5 s);
* ``bench/replay_recorder_cpu.py`` — ``csu-recorder``'s CPU for 9 cameras (goal < 10 %
  of one core: copying, not decoding).

    PYTHONPATH=$PWD .venv/bin/python bench/video_replay.py [--quick]

``--quick`` gives each part fewer runs and shorter recordings (see ``QUICK``).
Last line: every part's ``name=value`` pairs, prefixed by the part.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PARTS = (
    ("local", "replay_first_frame.py"),
    ("rtsp", "replay_first_frame_rtsp.py"),
    ("extract", "replay_extract.py"),
    ("recorder", "replay_recorder_cpu.py"),
)
#: ``--quick``: fewer runs, shorter recordings (a check that the parts run, not figures).
QUICK = {
    "local": ["--runs", "15", "--minutes", "2"],
    "rtsp": ["--runs", "8", "--seconds", "90"],
    "extract": ["--minutes", "2", "--runs", "1"],
    "recorder": ["--seconds", "15", "--cameras", "3"],
}


def _pairs(line: str) -> dict[str, str]:
    pairs = {}
    for token in line.split():
        name, sep, value = token.partition("=")
        if sep:
            pairs[name] = value
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=[p for p, _ in PARTS], action="append")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(BENCH.parent)}
    gathered: dict[str, str] = {}
    failed = []
    for part, script in PARTS:
        if args.only and part not in args.only:
            continue
        command = [sys.executable, str(BENCH / script), *(QUICK[part] if args.quick else [])]
        print(f"== {part}: {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        print(done.stdout.rstrip(), flush=True)
        if done.returncode != 0:
            print(done.stderr.rstrip()[-2000:], file=sys.stderr)
            failed.append(part)
            continue
        lines = [line for line in done.stdout.splitlines() if "=" in line]
        for name, value in _pairs(lines[-1] if lines else "").items():
            gathered[name if name.startswith(part) else f"{part}_{name}"] = value
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    if failed:
        print(f"parties en échec : {', '.join(failed)}", file=sys.stderr)
    print(" ".join(f"{k}={v}" for k, v in gathered.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
