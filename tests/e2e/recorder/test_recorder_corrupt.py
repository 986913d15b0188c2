"""A segment PyAV cannot read is kept on disk (evidence), filed, marked corrupt in
the index (a gap « segment illisible »), logged, and skipped by readers; the
recording goes on."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support import wait_until

from csu_console.core.recording import GapReason
from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.job import INCOMING, CameraJob


@pytest.mark.expected_logs("csu.recorder")
def test_corrupt_segment_is_kept_marked_and_skipped(
    make_rtsp_server: Callable[..., RtspServerProcess],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    root = tmp_path / "rec"
    incoming = root / "cam-01" / INCOMING
    incoming.mkdir(parents=True)
    # What a crash leaves: a segment cut short, its header torn off.
    bad = incoming / "18c0ffee-000003.mkv"
    garbage = os.urandom(20_000)
    bad.write_bytes(garbage)
    written = datetime.now(UTC) - timedelta(minutes=5)
    os.utime(bad, (written.timestamp(), written.timestamp()))
    server = make_rtsp_server([StreamMount("cam01", "CAM-01")])
    index = RecordingIndex(root)
    job = CameraJob("cam-01", server.url("cam01"), root, index, segment_s=4)
    job.start()
    try:
        now = datetime.now(UTC)
        wait_until(lambda: len(index.segments("cam-01", now, now + timedelta(minutes=1))) >= 1,
                   30, "l'enregistrement continue")  # fmt: skip
    finally:
        job.stop()
    everything = index.segments("cam-01", written - timedelta(minutes=1), datetime.now(UTC),
                                with_corrupt=True)  # fmt: skip
    readable = index.segments("cam-01", written - timedelta(minutes=1), datetime.now(UTC))
    (corrupt,) = [s for s in everything if s not in readable]
    assert corrupt.path.read_bytes() == garbage  # kept as it was
    assert corrupt.size == 20_000 and not bad.exists()
    assert corrupt.path.relative_to(root).parts[:2] == ("cam-01", f"{written:%Y%m%d}")
    assert abs((corrupt.end - written).total_seconds()) < 1  # it ended when last written
    # Taken as one segment long, ending when it was last written: a gap with its reason.
    assert abs((corrupt.start - written).total_seconds() + 4) < 1
    cov = index.coverage("cam-01", written - timedelta(seconds=30), written + timedelta(seconds=30))
    gap = cov.gap_at(written - timedelta(seconds=2))
    assert gap is not None and gap.reason is GapReason.CORRUPT
    assert index.segment_at("cam-01", corrupt.start) != corrupt
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("segment illisible de cam-01" in r.getMessage() for r in warned)
    index.close()
