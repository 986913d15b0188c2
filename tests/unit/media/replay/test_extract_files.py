"""Extraction on requisition: the MP4s written from a copy of the session's
recordings (real PyAV demux/mux and decode), their times proved by the frames' QR
timecodes, their bytes compared with the recorder's segments."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import os
import shutil
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import av
import pytest

from csu_console.core.recording import (
    ExtractedFile,
    ExtractionRecord,
    ExtractionRequest,
    GapReason,
    Requisition,
)
from csu_console.media.replay import extract
from csu_console.media.replay.extract import (
    ExtractionCancelled,
    ExtractionError,
    extract_files,
    sidecar_json,
    write_sidecar,
)
from csu_console.media.stream_server.timecode import read_timecode
from csu_console.recorder.index import RecordingIndex

FPS = 25
REQ = Requisition("2026/4567", "Commissariat de Nîmes", "Lt Martin", date(2026, 12, 1))
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def site(recorded_site: Any, tmp_path: Path) -> Any:
    """A private copy of the session's recordings (this test may change it)."""
    root = tmp_path / "recordings"
    shutil.copytree(recorded_site.root, root)
    return dataclasses.replace(recorded_site, root=root)


@pytest.fixture
def index(site: Any) -> Any:
    idx = RecordingIndex(site.root, create=False)
    yield idx
    idx.close()


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "cle-usb"
    folder.mkdir()
    return folder


def request(site: Any, a: float, b: float, *cameras: str) -> ExtractionRequest:
    start = site.origin + timedelta(seconds=a)
    return ExtractionRequest(cameras, start, site.origin + timedelta(seconds=b), REQ)


def filmed(image: Any, site: Any) -> float | None:
    code = read_timecode(image)
    return None if code is None else code.unix(site.origin.timestamp())


def decoded(path: Path) -> list[tuple[float, Any]]:
    """Every frame of the file: (its time in the file, BGR image)."""
    with av.open(str(path)) as container:
        return [
            (float(f.time or 0.0), f.to_ndarray(format="bgr24")) for f in container.decode(video=0)
        ]


def first_readable(
    frames: list[tuple[float, Any]], site: Any, reverse: bool = False
) -> tuple[int, float]:
    """The index of the first (last) frame whose QR reads, and the time it shows."""
    order = range(len(frames) - 1, -1, -1) if reverse else range(len(frames))
    for n in list(order)[:15]:
        t = filmed(frames[n][1], site)
        if t is not None:
            return n, t
    raise AssertionError("aucun QR lisible")


def packets(path: Path) -> list[Any]:
    with av.open(str(path)) as container:
        return [p for p in container.demux(video=0) if p.size]


def test_the_mp4_plays_matches_its_sha256_and_covers_the_period(
    site: Any, index: RecordingIndex, usb: Path
) -> None:
    req = request(site, 12.5, 31.3, "cam-01", "cam-02")
    seen: list[float] = []
    files = extract_files(index, req, usb, camera_names={"cam-01": "Place du marché"},
                          progress=seen.append)  # fmt: skip
    assert [f.camera_id for f in files] == ["cam-01", "cam-02"]
    assert all(f.written and not f.gaps for f in files)
    assert sorted(p.name for p in usb.iterdir()) == sorted(f.path.name for f in files)
    assert files[0].path.name == f"cam-01_{req.start:%Y%m%d_%H%M%S}-{req.end:%H%M%S}_UTC.mp4"
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 3
    for f in files:
        data = f.path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == f.sha256 and len(data) == f.size
        assert data.find(b"moov") < data.find(b"mdat")  # faststart: the index first
        frames = decoded(f.path)
        # It plays: every frame decodes, as many as the period holds from the keyframe.
        expected = (req.end - f.start).total_seconds() * FPS
        assert abs(len(frames) - expected) <= 2, (len(frames), expected)
        # The first frame: the keyframe at or before the start (one a second).
        n, shown = first_readable(frames, site)
        first = shown - n / FPS
        assert req.start.timestamp() - 1.5 <= first <= req.start.timestamp() + 0.02
        assert abs(first - f.start.timestamp()) < 0.05
        # The last frame reaches the end of the period (within a frame).
        n, shown = first_readable(frames, site, reverse=True)
        last = shown + (len(frames) - 1 - n) / FPS
        assert req.end.timestamp() - 0.1 <= last < req.end.timestamp() + 0.02
        assert abs(last - f.end.timestamp()) < 0.05
        # Position t in the file was filmed at start + t (rebased across segments).
        for k in (len(frames) // 3, 2 * len(frames) // 3):
            t = filmed(frames[k][1], site) or filmed(frames[k + 1][1], site)
            assert t is not None
            offset = 0.0 if filmed(frames[k][1], site) else 1 / FPS
            assert abs(t - (f.start.timestamp() + frames[k][0] + offset)) < 0.05
    with av.open(str(files[0].path)) as container:
        assert container.metadata.get("title") == "Place du marché (cam-01)"


def test_the_packets_are_copied_not_re_encoded(site: Any, index: RecordingIndex, usb: Path) -> None:
    req = request(site, 14.2, 27.0, "cam-03")
    [f] = extract_files(index, req, usb)
    out = packets(f.path)
    source: list[Any] = []
    for seg in index.segments("cam-03", req.start - timedelta(seconds=2), req.end):
        source += packets(seg.path)
    with (
        av.open(str(f.path)) as a,
        av.open(str(index.segments("cam-03", req.start, req.end)[0].path)) as b,
    ):
        assert a.streams.video[0].codec_context.name == b.streams.video[0].codec_context.name
        assert a.streams.video[0].codec_context.width == b.streams.video[0].codec_context.width
    # The file's first packet is a keyframe of the source, byte for byte, and the
    # packets that follow are the source's in order (same sizes, same bytes).
    assert out[0].is_keyframe
    first = next(i for i, p in enumerate(source) if bytes(p) == bytes(out[0]))
    assert source[first].is_keyframe
    assert [p.size for p in out] == [p.size for p in source[first : first + len(out)]]
    assert bytes(out[len(out) // 2]) == bytes(source[first + len(out) // 2])


def test_a_gap_inside_the_period_is_reported_and_kept_as_a_jump(
    site: Any, index: RecordingIndex, usb: Path
) -> None:
    gone = index.segments(
        "cam-01", site.origin + timedelta(seconds=25), site.origin + timedelta(seconds=26)
    )
    [seg] = gone
    index.remove([seg.pk])
    seg.path.unlink()
    req = request(site, 12.0, 45.0, "cam-01")
    [f] = extract_files(index, req, usb)
    # The start falls on a keyframe: the file starts there, not a second before.
    assert abs((f.start - req.start).total_seconds()) < 0.02
    [gap] = f.gaps
    assert gap.reason is GapReason.NONE
    assert abs((gap.start - seg.start).total_seconds()) < 0.1
    assert abs((gap.end - seg.end).total_seconds()) < 0.1
    frames = decoded(f.path)
    assert abs(len(frames) - (33 - 10) * FPS) <= 3
    # The file's time jumps over the gap: durations in the file are true durations.
    jumps = [b[0] - a[0] for a, b in itertools.pairwise(frames) if b[0] - a[0] > 0.5]
    assert len(jumps) == 1 and abs(jumps[0] - 10.04) < 0.1


@pytest.mark.expected_logs("csu.extract")
def test_a_corrupt_segment_is_skipped_and_reported(
    site: Any, index: RecordingIndex, usb: Path, caplog: pytest.LogCaptureFixture
) -> None:
    [seg] = index.segments(
        "cam-02", site.origin + timedelta(seconds=35), site.origin + timedelta(seconds=36)
    )
    seg.path.write_bytes(b"\x00garbage, not Matroska" * 100)  # the index still lists it
    req = request(site, 22.0, 48.0, "cam-02")
    with caplog.at_level(logging.WARNING, logger="csu.extract"):
        [f] = extract_files(index, req, usb)
    assert f.written
    [gap] = f.gaps
    assert gap.reason is GapReason.CORRUPT
    assert abs((gap.start - seg.start).total_seconds()) < 0.1
    assert abs((gap.end - seg.end).total_seconds()) < 0.1
    assert any("illisible" in r.getMessage() for r in caplog.records)
    frames = decoded(f.path)
    assert abs(len(frames) - (26 - 10) * FPS) <= 3
    # After the gap, the pictures are those filmed then.
    _n, shown = first_readable(frames[10 * FPS - 25 :], site)
    assert shown > seg.end.timestamp() - 0.1


def test_a_camera_with_nothing_recorded_is_reported_without_a_file(
    site: Any, index: RecordingIndex, usb: Path
) -> None:
    req = request(site, 5.0, 15.0, "cam-09", "cam-01")
    missing, written = extract_files(index, req, usb)
    assert not missing.written and missing.camera_id == "cam-09" and missing.size == 0
    [gap] = missing.gaps
    assert (gap.start, gap.end, gap.reason) == (req.start, req.end, GapReason.NONE)
    assert written.written
    assert [p.name for p in usb.iterdir()] == [written.path.name]
    # Before the recordings began: also no file, the whole period a gap.
    early = request(site, -120.0, -60.0, "cam-01")
    [none] = extract_files(index, early, usb)
    assert not none.written and len(list(usb.iterdir())) == 1


def test_not_enough_room_is_said_in_french(
    site: Any, index: RecordingIndex, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.disk_usage

    def small(path: Any) -> Any:
        total, used, _free = real(path)
        return type(real(path))(total, used, 3_000_000)

    monkeypatch.setattr(extract.shutil, "disk_usage", small)
    with pytest.raises(
        ExtractionError, match=r"Place insuffisante sur .*cle-usb : \d+ Mo nécessaires, 3 Mo libres"
    ):
        extract_files(index, request(site, 0, 60, "cam-01", "cam-02"), usb)
    assert list(usb.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_said_in_french(
    site: Any, index: RecordingIndex, tmp_path: Path
) -> None:
    req = request(site, 10, 20, "cam-01")
    with pytest.raises(ExtractionError, match="Dossier de destination introuvable"):
        extract_files(index, req, tmp_path / "absent")
    if os.geteuid() == 0:  # root writes through permissions: a kernel folder refuses it
        locked = Path("/sys/kernel")
    else:
        locked = tmp_path / "ro"
        locked.mkdir()
        locked.chmod(0o555)
    with pytest.raises(ExtractionError, match="Écriture impossible dans"):
        extract_files(index, req, locked)


def test_cancel_removes_every_file_of_the_extraction(
    site: Any, index: RecordingIndex, usb: Path
) -> None:
    cancel = threading.Event()

    def progress(value: float) -> None:
        if value > 0.6:  # the first camera done, the second half written
            cancel.set()

    req = request(site, 0, 60, "cam-01", "cam-02")
    with pytest.raises(ExtractionCancelled, match="Extraction annulée"):
        extract_files(index, req, usb, progress=progress, cancel=cancel)
    assert list(usb.iterdir()) == []


def test_the_sidecar_json_holds_the_facts_of_the_proces_verbal(
    site: Any, index: RecordingIndex, usb: Path
) -> None:
    req = request(site, 5.0, 15.0, "cam-01", "cam-09")
    files = extract_files(index, req, usb)
    at = datetime(2026, 12, 5, 9, 30, tzinfo=PARIS)
    record = ExtractionRecord(7, at, "poste-1", "durand", req, str(usb), tuple(files),
                              "ab" * 32, "cd" * 32, None, "PV_2026-4567.pdf")  # fmt: skip
    path = usb / "PV_2026-4567.json"
    sha = write_sidecar(path, record, {"cam-01": "Place du marché"}, PARIS)
    raw = path.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == sha and raw == sidecar_json(
        record, {"cam-01": "Place du marché"}, PARIS
    )
    facts = json.loads(raw)
    assert facts["extraction"] == 7 and facts["operator"] == "durand"
    assert facts["requisition"] == {"number": "2026/4567", "service": "Commissariat de Nîmes",
                                    "opj": "Lt Martin", "issued_on": "2026-12-01"}  # fmt: skip
    assert facts["period"]["start"]["utc"].endswith("Z")
    assert facts["period"]["start"]["local"].endswith(("+01:00", "+02:00"))
    assert facts["at"]["utc"] == "2026-12-05T08:30:00.000Z"
    cam1, cam9 = facts["cameras"]
    assert cam1["name"] == "Place du marché" and cam1["file"]["sha256"] == files[0].sha256
    assert cam1["file"]["name"] == files[0].path.name and cam1["file"]["size"] == files[0].size
    assert cam9["file"] is None and cam9["gaps"][0]["reason"] == "pas d'enregistrement"
    assert facts["main_courante_chain_head"] == "cd" * 32
    assert facts["proces_verbal"] == {"name": "PV_2026-4567.pdf", "sha256": "ab" * 32}


def test_a_file_name_never_overwrites_an_earlier_extraction(
    site: Any, index: RecordingIndex, usb: Path
) -> None:
    req = request(site, 5.0, 9.0, "cam-01")
    [a] = extract_files(index, req, usb)
    [b] = extract_files(index, req, usb)
    assert a.path != b.path and a.path.exists() and b.path.name.endswith("_UTC-2.mp4")
    assert a.sha256 == b.sha256  # the same copy, byte for byte
    assert isinstance(a, ExtractedFile)
