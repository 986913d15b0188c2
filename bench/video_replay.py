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

import sys

from bench_parts import run_parts

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


if __name__ == "__main__":
    sys.exit(run_parts(__doc__ or "", PARTS, QUICK))
