"""A camera that drops is a gap « caméra hors service » in the index, the recorder
retries until it comes back, and the gap closes when segments flow again; a camera
that stops sending without closing (frozen) is caught by the watchdog."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support import wait_until

from csu_console.core.recording import GapReason
from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.job import CameraJob, JobState


@pytest.fixture
def index(tmp_path: Path) -> Iterator[RecordingIndex]:
    idx = RecordingIndex(tmp_path / "rec")
    yield idx
    idx.close()


def _count(index: RecordingIndex, since: datetime) -> int:
    return len(index.segments("cam-01", since, datetime.now(UTC) + timedelta(minutes=1)))


def _gaps(index: RecordingIndex, since: datetime) -> list[tuple[float, float | None, str]]:
    rows = index._db.execute(
        "SELECT start, end, reason FROM gaps WHERE start >= ? ORDER BY start",
        (since.timestamp() - 60,),
    ).fetchall()
    return [(float(a), None if b is None else float(b), str(r)) for a, b, r in rows]


@pytest.mark.expected_logs("csu.recorder")
def test_camera_killed_is_a_gap_then_recording_resumes(
    make_rtsp_server: Callable[..., RtspServerProcess], index: RecordingIndex
) -> None:
    server = make_rtsp_server([StreamMount("cam01", "CAM-01")])
    began = datetime.now(UTC)
    job = CameraJob("cam-01", server.url("cam01"), index.root, index, segment_s=2, stall_s=6)
    job.start()
    try:
        wait_until(lambda: _count(index, began) >= 2, 30, "deux segments")
        server.kill()
        wait_until(lambda: job.status().state is JobState.DOWN, 20, "caméra vue hors service")
        (gap,) = _gaps(index, began)
        assert gap[1] is None and gap[2] == GapReason.CAMERA_DOWN.value
        st = job.status()
        assert st.open_gap is not None and st.open_gap[1] == GapReason.CAMERA_DOWN.value
        # The gap starts where the recording stopped: the last segment's end.
        assert st.last_segment_end is not None
        assert abs(gap[0] - st.last_segment_end) < 0.01
        down_for = datetime.now(UTC)
        wait_until(lambda: (datetime.now(UTC) - down_for).total_seconds() > 3, 10, "3 s")
        assert _count(index, down_for) == 0  # nothing recorded while down
        n = _count(index, began)
        server.start()
        wait_until(lambda: _count(index, began) >= n + 2, 60, "segments de nouveau")
        assert job.status().state is JobState.RECORDING
        assert job.status().open_gap is None
    finally:
        job.stop()
    (gap,) = _gaps(index, began)
    assert gap[1] is not None and gap[1] - gap[0] > 3
    cov = index.coverage("cam-01", began - timedelta(seconds=5), datetime.now(UTC))
    down = [g for g in cov.gaps if g.reason is GapReason.CAMERA_DOWN]
    assert len(down) == 1 and len(cov.spans) == 2
    assert cov.spans[0].end <= down[0].start < down[0].end <= cov.spans[1].start


@pytest.mark.expected_logs("csu.recorder")
def test_frozen_camera_is_caught_by_the_watchdog(
    make_rtsp_server: Callable[..., RtspServerProcess], index: RecordingIndex
) -> None:
    server = make_rtsp_server([StreamMount("cam01", "CAM-01")])
    assert server.proc is not None
    began = datetime.now(UTC)
    job = CameraJob("cam-01", server.url("cam01"), index.root, index, segment_s=2, stall_s=4)
    job.start()
    try:
        wait_until(lambda: _count(index, began) >= 1, 30, "un segment")
        os.kill(server.proc.pid, signal.SIGSTOP)  # connection open, nothing sent
        try:
            wait_until(lambda: job.status().state is JobState.DOWN, 30, "gel détecté")
        finally:
            os.kill(server.proc.pid, signal.SIGCONT)
        n = _count(index, began)
        wait_until(lambda: _count(index, began) >= n + 2, 60, "segments de nouveau")
    finally:
        job.stop()
    gaps = _gaps(index, began)
    assert gaps and all(g[2] == GapReason.CAMERA_DOWN.value and g[1] is not None for g in gaps)


@pytest.mark.expected_logs("csu.recorder")
def test_a_disk_error_is_said_and_retried_never_the_end_of_recording(
    make_rtsp_server: Callable[..., RtspServerProcess], index: RecordingIndex
) -> None:
    server = make_rtsp_server([StreamMount("cam01", "CAM-01")])
    began = datetime.now(UTC)
    # Where today's segments go is taken by a file: filing them fails (OSError).
    blocker = index.root / "cam-01" / f"{began:%Y%m%d}"
    blocker.parent.mkdir(parents=True)
    blocker.write_bytes(b"")
    job = CameraJob("cam-01", server.url("cam01"), index.root, index, segment_s=2)
    job.start()
    try:
        wait_until(lambda: job.status().detail.startswith("erreur :"), 30, "erreur dite")
        assert job.status().state is JobState.DOWN and job.status().open_gap is not None
        blocker.unlink()
        wait_until(lambda: _count(index, began) >= 2, 40, "l'enregistrement reprend")
        assert job.status().state is JobState.RECORDING
    finally:
        job.stop()
    # What could not be filed then was filed later: nothing left behind.
    assert not list((index.root / "cam-01" / ".incoming").iterdir())
