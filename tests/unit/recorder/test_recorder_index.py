"""The recorder's index and disk rules on real SQLite files and real files:
rotation under a budget and the CNIL retention never touch a held segment, a
corrupt segment is a gap, the stream-to-wall calibration, the status file and
the « enregistrement interrompu » alert."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csu_console.config import check_site
from csu_console.config.recorder_checks import recorder_problems
from csu_console.config.recorder_section import RecorderConfig
from csu_console.core.alerts import PRIORITY_MAX
from csu_console.core.recording import GapReason
from csu_console.recorder.disk import GB, DiskGuard, apply_retention
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.job import Calibration, segment_path
from csu_console.recorder.status import StatusError, parse_status, read_status, recording_alert

T0 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[RecordingIndex]:
    idx = RecordingIndex(tmp_path / "rec")
    yield idx
    idx.close()


def _fill(
    index: RecordingIndex, camera: str, start: datetime, count: int, size: int = 1000
) -> list[int]:
    pks = []
    for i in range(count):
        a = start + timedelta(seconds=60 * i)
        path = segment_path(index.root, camera, a)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        pks.append(index.add_segment(camera, a, a + timedelta(seconds=60), path, size))
    return pks


def test_segment_path_is_the_index_layout_in_utc(tmp_path: Path) -> None:
    paris = datetime(2026, 12, 4, 23, 30, 5, tzinfo=UTC).astimezone()
    path = segment_path(tmp_path, "cam-01", paris)
    assert path == tmp_path / "cam-01" / "20261204" / "233005.mkv"
    path.parent.mkdir(parents=True)
    path.touch()
    assert segment_path(tmp_path, "cam-01", paris).name == "233005-1.mkv"


def test_rotation_deletes_oldest_unheld_first_and_never_a_held_one(index: RecordingIndex) -> None:
    a = _fill(index, "cam-01", T0, 5)
    b = _fill(index, "cam-02", T0 + timedelta(seconds=30), 5)
    index.hold(["cam-01"], T0, T0 + timedelta(seconds=1), "PV 1")  # cam-01's first
    guard = DiskGuard(index, 6500 / GB, 0)
    state = guard.check()
    assert not state.full and state.used <= 6500
    left = {
        s.pk for c in ("cam-01", "cam-02") for s in index.segments(c, T0, T0 + timedelta(hours=1))
    }
    # Held a[0] stays; then the oldest of the rest go: b[0], a[1], b[1], a[2].
    assert left == {a[0], b[2], a[3], b[3], a[4], b[4]}
    assert (index.root / "cam-01" / "20261204" / "100000.mkv").is_file()
    assert not (index.root / "cam-02" / "20261204" / "100030.mkv").exists()


@pytest.mark.expected_logs("csu.recorder")  # « disque plein » is an error
def test_nothing_unheld_left_is_a_full_disk(index: RecordingIndex) -> None:
    _fill(index, "cam-01", T0, 3)
    index.hold(["cam-01"], T0, T0 + timedelta(hours=1), "PV 2")
    guard = DiskGuard(index, 1000 / GB, 0)
    assert guard.check().full
    assert len(index.segments("cam-01", T0, T0 + timedelta(hours=1))) == 3
    index.release("PV 2")
    state = guard.check()
    assert not state.full and state.used == 1000


@pytest.mark.expected_logs("csu.recorder")  # « disque plein » is an error
def test_free_space_floor_counts_like_a_budget(index: RecordingIndex) -> None:
    _fill(index, "cam-01", T0, 2)
    guard = DiskGuard(index, 0, 1e9)  # a floor no disk here reaches
    assert guard.check().full
    assert index.segments("cam-01", T0, T0 + timedelta(hours=1)) == []  # all rotated


def test_retention_keeps_recent_and_held(index: RecordingIndex) -> None:
    now = T0 + timedelta(days=31)
    old = _fill(index, "cam-01", T0, 3)
    recent = _fill(index, "cam-01", now - timedelta(days=2), 2)
    index.hold(["cam-01"], T0 + timedelta(seconds=60), T0 + timedelta(seconds=61), "PV 3")
    gap = index.open_gap("cam-01", T0, GapReason.CAMERA_DOWN)
    index.close_gap(gap, T0 + timedelta(seconds=5))
    assert apply_retention(index, 30, now) == 2
    left = [s.pk for s in index.segments("cam-01", T0, now)]
    assert left == [old[1], *recent]
    assert index._db.execute("SELECT COUNT(*) FROM gaps").fetchone() == (0,)
    assert not list((index.root / "cam-01" / f"{T0:%Y%m%d}").glob("100000.mkv"))


def test_corrupt_segment_is_a_gap_and_never_read(index: RecordingIndex) -> None:
    pks = _fill(index, "cam-01", T0, 3)
    index.mark_corrupt(pks[1])
    cov = index.coverage("cam-01", T0, T0 + timedelta(minutes=3))
    assert [g.reason for g in cov.gaps] == [GapReason.CORRUPT]
    assert len(cov.spans) == 2
    assert [s.pk for s in index.segments("cam-01", T0, T0 + timedelta(minutes=3))] == [
        pks[0],
        pks[2],
    ]
    seg = index.segment_at("cam-01", T0 + timedelta(seconds=90))
    assert seg is not None and seg.pk == pks[2]


def test_calibration_keeps_the_earliest_origin() -> None:
    cal = Calibration()
    assert not cal.observe(1000.8, 2.0)  # first estimate: nothing to re-date yet
    assert cal.origin == pytest.approx(998.8)
    assert not cal.observe(1003.0, 4.0)  # later, slower: ignored
    assert cal.observe(1004.5, 6.0)  # 300 ms earlier: re-date
    assert cal.origin == pytest.approx(998.5)
    assert not cal.observe(1006.48, 8.0)  # 20 ms: kept, not worth re-dating
    assert cal.wall(10.0).timestamp() == pytest.approx(1008.48)


def _status(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "written_at": T0.timestamp(), "running": True, "segment_s": 60,
        "cameras": {"cam-01": {
            "name": "Mairie", "state": "disk_full", "since": T0.timestamp() - 120,
            "detail": "disque plein", "last_segment_end": T0.timestamp() - 125,
            "recorded_24h_s": 3600.0,
            "open_gap": {"start": T0.timestamp() - 125, "reason": "disque plein"},
        }},
        "disk": {"used": 10, "free": 5, "budget": 10, "min_free": 0, "full": True},
    }  # fmt: skip
    data.update(changes)
    return data


def test_status_file_read_and_alert(tmp_path: Path) -> None:
    (tmp_path / "status.json").write_text(json.dumps(_status()), encoding="utf-8")
    st = read_status(tmp_path)
    assert st.disk_full and not st.stale(T0 + timedelta(seconds=10))
    assert st.stale(T0 + timedelta(seconds=120))
    (cam,) = st.interrupted()
    alert = recording_alert(cam, 2.0, 48.0, "poste-1", T0)
    assert alert.priority == PRIORITY_MAX
    assert alert.title == "Enregistrement interrompu : Mairie"
    assert alert.id == "recording-interrupted:cam-01:20261204T095755Z"
    assert "depuis 2 min (disque plein)" in alert.description
    assert alert.location is not None and alert.location.lat == 48.0


@pytest.mark.parametrize(
    "bad",
    [b"", b"{", b"[]", json.dumps(_status(cameras=[])).encode(),
     json.dumps(_status(disk={})).encode(), json.dumps(_status(written_at="hier")).encode()],
)  # fmt: skip
def test_bad_status_files_are_refused(tmp_path: Path, bad: bytes) -> None:
    (tmp_path / "status.json").write_bytes(bad)
    with pytest.raises(StatusError, match="illisible"):
        read_status(tmp_path)


def test_missing_status_file(tmp_path: Path) -> None:
    with pytest.raises(StatusError, match="pas d'état"):
        read_status(tmp_path)
    with pytest.raises(StatusError):
        parse_status(None)


def test_record_ids_must_be_cameras_of_the_site(config_dir: Path, tmp_path: Path) -> None:
    problems = recorder_problems(RecorderConfig(record=("cam-01", "cam-1O")), ["cam-01", "cam-10"])
    (p,) = problems
    assert p.field == "record" and "cam-1O" in p.message and "cam-10" in p.hint
    import shutil

    site = tmp_path / "config"
    shutil.copytree(config_dir, site)
    with open(site / "site.toml", "a", encoding="utf-8") as f:
        f.write('\n[recorder]\nrecord = ["cam-01", "cam-99"]\n')
    config, found = check_site(site)
    assert config is None
    assert [str(x) for x in found if "cam-99" in str(x)]
