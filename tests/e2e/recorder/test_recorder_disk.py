"""The disk budget rotates the oldest segments not under a legal hold, never a
held one; when nothing more can be freed the recording is interrupted (gap
« disque plein », status « disk_full ») until room comes back."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support import RecordedSite, wait_until

from csu_console.config.recorder_section import RecorderConfig
from csu_console.core.recording import GapReason, Segment
from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.recorder.disk import GB
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.service import RecordedCamera, RecorderService
from csu_console.recorder.status import read_status

AGES_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _copy_site(site: RecordedSite, tmp_path: Path) -> Path:
    root = tmp_path / "rec"
    shutil.copytree(site.root, root)
    return root


def _service(root: Path, server: RtspServerProcess, budget: int) -> RecorderService:
    config = RecorderConfig(segment_s=2, disk_budget_gb=budget / GB, min_free_gb=0)
    cams = [RecordedCamera("cam-09", "CAM-09", server.url("cam09"))]
    return RecorderService(root, cams, config, 30, status_every=0.5)


@pytest.mark.expected_logs("csu.recorder")
def test_budget_rotates_oldest_unheld_and_never_a_held_one(
    recorded_site: RecordedSite,
    tmp_path: Path,
    make_rtsp_server: Callable[..., RtspServerProcess],
) -> None:
    root = _copy_site(recorded_site, tmp_path)
    console = RecordingIndex(root)  # the console's side: an extraction's hold
    everything = _all(console, recorded_site)
    oldest = min(everything, key=lambda s: s.start)
    held = console.hold([oldest.camera_id], oldest.start, oldest.end, "PV 2026/123")
    assert [s.pk for s in held] == [oldest.pk]
    before = console.total_size()
    server = make_rtsp_server([StreamMount("cam09", "CAM-09")])
    # Two segments too many now, and the live camera adds more: rotation.
    service = _service(root, server, before - 2 * oldest.size + oldest.size // 2)
    service.start()
    try:
        wait_until(
            lambda: sum(not s.path.exists() for s in everything) >= 3, 60, "trois segments tournés"
        )
    finally:
        service.stop()
    left = {s.pk for s in _all(console, recorded_site)}
    gone = [s for s in everything if s.pk not in left]
    assert len(gone) >= 3 and all(not s.path.exists() for s in gone)
    # The held one, the oldest of all, survives; what went was the oldest of the rest.
    assert held[0].path.is_file() and held[0].pk in left
    newest_gone = max(s.start for s in gone)
    rest = [s for s in everything if s.pk in left and s.pk != oldest.pk]
    assert rest and all(s.start >= newest_gone for s in rest)
    assert console.segments("cam-09", AGES_AGO, datetime.now(UTC))  # still recording
    console.close()


def _all(index: RecordingIndex, site: RecordedSite) -> list[Segment]:
    return [s for c in site.cameras for s in index.segments(c, AGES_AGO, datetime.now(UTC))]


@pytest.mark.expected_logs("csu.recorder")
def test_nothing_to_free_interrupts_recording_until_room_comes_back(
    recorded_site: RecordedSite,
    tmp_path: Path,
    make_rtsp_server: Callable[..., RtspServerProcess],
) -> None:
    root = _copy_site(recorded_site, tmp_path)
    console = RecordingIndex(root)
    everything = [
        s for c in recorded_site.cameras for s in console.segments(c, AGES_AGO, datetime.now(UTC))
    ]
    console.hold(recorded_site.cameras, AGES_AGO, datetime.now(UTC), "PV 2026/7")
    server = make_rtsp_server([StreamMount("cam09", "CAM-09")])
    service = _service(root, server, console.total_size() // 2)  # held alone: over budget
    service.start()
    try:
        wait_until(lambda: read_status(root).cameras[0].state == "disk_full", 20, "disque plein")
        st = read_status(root)
        assert st.disk_full and st.interrupted() == list(st.cameras)
        (cam,) = st.cameras
        assert cam.state == "disk_full" and cam.interrupted
        assert cam.gap_reason == GapReason.DISK_FULL.value
        assert all(s.path.is_file() for s in everything)  # holds survive the rotation
        cov = console.coverage(
            "cam-09", datetime.now(UTC) - timedelta(minutes=1), datetime.now(UTC)
        )
        assert any(g.reason is GapReason.DISK_FULL for g in cov.gaps)
        assert console.segments("cam-09", AGES_AGO, datetime.now(UTC)) == []
        # The requisition's hold is lifted: its segments can go, recording resumes.
        console.release("PV 2026/7")
        wait_until(lambda: read_status(root).cameras[0].state == "recording", 40, "reprise")
        assert not read_status(root).disk_full
    finally:
        service.stop()
    assert not any(s.path.exists() for s in everything[:3])
    gaps = console._db.execute("SELECT end, reason FROM gaps WHERE camera_id = 'cam-09'").fetchall()
    assert [r for _e, r in gaps] == [GapReason.DISK_FULL.value]
    assert all(e is not None for e, _r in gaps)
    console.close()


@pytest.mark.expected_logs("csu.recorder")  # the camera of this test does not answer
def test_retention_at_start_deletes_old_unheld_and_keeps_held(tmp_path: Path) -> None:
    from csu_console.media.stream_server.recordings import make_recording

    root = tmp_path / "rec"
    old = datetime.now(UTC).replace(microsecond=0) - timedelta(days=31)
    index = RecordingIndex(root)
    segs = make_recording(root, "cam-01", old, 6, segment_s=2, index=index)
    recent = make_recording(root, "cam-01", old + timedelta(days=29), 2, segment_s=2, index=index)
    index.hold(["cam-01"], segs[1].start, segs[1].end, "PV 2026/9")
    config = RecorderConfig(segment_s=2, min_free_gb=0)
    cams = [RecordedCamera("cam-01", "CAM-01", "rtsp://127.0.0.1:9/absente")]
    service = RecorderService(root, cams, config, 30)
    service.start()
    service.stop()
    left = index.segments("cam-01", AGES_AGO, datetime.now(UTC))
    assert [s.pk for s in left] == [segs[1].pk, *(s.pk for s in recent)]
    assert segs[1].path.is_file() and not segs[0].path.exists() and not segs[2].path.exists()
    index.close()
