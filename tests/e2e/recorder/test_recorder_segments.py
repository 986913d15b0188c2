"""FFmpeg records the RTSP test server into segments that the index dates right:
each frame's time as the index says is within 1 s of the time it was filmed, read
from the QR timecode the test stream burns into every frame."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from recorder_support import files_under, filmed_offsets
from support import wait_until

from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.media.stream_server.timecode import origins_in
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.job import CameraJob, JobState


@pytest.fixture
def index(tmp_path: Path) -> Iterator[RecordingIndex]:
    idx = RecordingIndex(tmp_path / "rec")
    yield idx
    idx.close()


def test_segments_are_filed_indexed_and_dated_within_a_second(
    make_rtsp_server: Callable[..., RtspServerProcess], index: RecordingIndex
) -> None:
    server = make_rtsp_server([StreamMount("cam01", "CAM-01")], timecode=True)
    job = CameraJob("cam-01", server.url("cam01"), index.root, index, segment_s=2)
    job.start()
    try:
        now = datetime.now(UTC)
        wait_until(
            lambda: (
                len(
                    index.segments("cam-01", now - timedelta(minutes=1), now + timedelta(minutes=1))
                )
                >= 4
            ),
            40,
            "quatre segments indexés",
        )
        assert job.status().state is JobState.RECORDING
    finally:
        job.stop()
    assert job.status().state is JobState.STOPPED
    segments = index.segments("cam-01", now - timedelta(minutes=1), datetime.now(UTC))
    assert len(segments) >= 4
    # Filed in the index layout, nothing left in the incoming folder.
    for seg in segments:
        rel = seg.path.relative_to(index.root)
        assert rel.parts[0] == "cam-01"
        assert rel.parts[1] == f"{seg.start:%Y%m%d}"
        assert seg.path.is_file() and seg.size == seg.path.stat().st_size
    # Cut at the clock (the first and the last, at stop, are shorter).
    for seg in segments[1:-1]:
        assert 1.0 < (seg.end - seg.start).total_seconds() < 4.5
    assert files_under(index.root) == sorted(s.path for s in segments)
    assert not list((index.root / "cam-01" / ".incoming").glob("*.mkv"))
    # Consecutive segments touch: one span over the whole recording.
    cov = index.coverage("cam-01", segments[0].start, segments[-1].end)
    assert len(cov.spans) == 1 and not cov.gaps
    # Time proven by the QR timecode: index time vs filmed time, every segment.
    (t0,) = origins_in(server.log_path)["cam01"]
    offsets = [o for seg in segments for o in filmed_offsets(seg, t0, frames=12)]
    assert len(offsets) >= 2 * len(segments)
    worst = max(offsets, key=abs)
    assert abs(worst) < 1.0, f"écart de {worst:+.3f} s entre l'index et l'image"
    assert not index.coverage("cam-01", segments[0].start, segments[-1].end).gaps
