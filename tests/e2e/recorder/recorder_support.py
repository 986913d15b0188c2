"""Helpers of the recorder's end-to-end tests: read back what a recorded segment
shows (its frames' QR timecodes) and compare it with what the index says."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import av

from csu_console.core.recording import Segment
from csu_console.media.stream_server.timecode import read_timecode


def filmed_offsets(segment: Segment, t0: float, frames: int = 40) -> list[float]:
    """For up to ``frames`` decoded frames of ``segment`` whose QR code reads: the
    time the index gives the frame minus the time it was filmed (seconds)."""
    out: list[float] = []
    start = segment.start.timestamp()
    with av.open(str(segment.path)) as container:
        stream = container.streams.video[0]
        first: float | None = None
        for i, frame in enumerate(container.decode(stream)):
            if i >= frames:
                break
            if frame.pts is None or frame.time is None:
                continue
            first = frame.time if first is None else first
            code = read_timecode(frame.to_ndarray(format="bgr24"))
            if code is None:
                continue
            out.append(start + (frame.time - first) - code.unix(t0))
    return out


def when(ts: float) -> datetime:
    from datetime import UTC

    return datetime.fromtimestamp(ts, UTC)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.mkv") if ".incoming" not in p.parts)
