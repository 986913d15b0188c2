"""Recordings made faster than real time, indexed as the recorder would index them
(for the tests and the benchmarks: a day of four cameras in seconds).

``make_recording`` runs ``make_recording.py`` under Debian's Python (GStreamer),
then files each segment as the recorder does — ``<root>/<camera>/<YYYYMMDD>/
<HHMMSS>.mkv`` — and adds it to the folder's :class:`RecordingIndex`. Each frame
carries a QR timecode: it was « filmed » at ``origin + its timestamp``
(:mod:`csu_console.media.stream_server.timecode`).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from csu_console.core.recording import Segment
from csu_console.media.stream_server.control import SYSTEM_PYTHON, StreamServerError
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.probe import probe_segment

SCRIPT = Path(__file__).with_name("make_recording.py")


def segment_path(root: Path, camera_id: str, start: datetime) -> Path:
    """Where the recorder keeps the segment of ``camera_id`` starting at ``start``
    (UTC): ``<root>/<camera>/<YYYYMMDD>/<HHMMSS>.mkv``."""
    return root / camera_id / f"{start:%Y%m%d}" / f"{start:%H%M%S}.mkv"


def make_recording(
    root: Path,
    camera_id: str,
    origin: datetime,
    seconds: int,
    *,
    segment_s: int = 60,
    width: int = 640,
    height: int = 360,
    fps: int = 25,
    index: RecordingIndex | None = None,
) -> list[Segment]:
    """``seconds`` of ``camera_id`` from ``origin`` (aware UTC) filed and indexed
    under ``root``; the segments, in time order."""
    own = index is None
    index = index or RecordingIndex(root)
    try:
        with tempfile.TemporaryDirectory(prefix="csu-rec-") as tmp:
            args = [SYSTEM_PYTHON, "-I", str(SCRIPT), "--out", tmp, "--label", camera_id]
            args += ["--origin", f"{origin.timestamp():.3f}", "--seconds", str(seconds)]
            args += ["--segment-s", str(segment_s), "--width", str(width)]
            args += ["--height", str(height), "--fps", str(fps)]
            done = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)
            if done.returncode != 0 or "DONE" not in done.stdout:
                raise StreamServerError(f"enregistrement de test non créé : {done.stdout[-500:]}")
            segments: list[Segment] = []
            for file in sorted(Path(tmp).glob("*.mkv")):
                probe = probe_segment(file)
                start = origin + timedelta(seconds=probe.first_s)
                end = start + timedelta(seconds=probe.duration_s)
                target = segment_path(root, camera_id, start)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(file, target)
                size = target.stat().st_size
                pk = index.add_segment(camera_id, start, end, target, size)
                segments.append(Segment(pk, camera_id, start, end, target, size))
            return segments
    finally:
        if own:
            index.close()
