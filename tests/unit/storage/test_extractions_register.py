"""The register of video extractions (migration 9, ``storage.extractions``) on a real
database file: one transaction for the row, its event and its legal hold; the
listing and its CSV; the release; the purge; the recorder's segment holds."""

from __future__ import annotations

import codecs
import json
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from csu_console.core.holds import HoldError, HoldTarget
from csu_console.core.logbook import EventKind
from csu_console.core.recording import (
    ExtractedFile,
    ExtractionRequest,
    Gap,
    GapReason,
    Requisition,
    RequisitionError,
)
from csu_console.core.retention import RetentionPolicy
from csu_console.errors import StorageError
from csu_console.recorder.index import RecordingIndex
from csu_console.storage import extractions as ext
from csu_console.storage.extractions import (
    chain_head,
    export_register,
    get_extraction,
    hold_segments,
    list_extractions,
    record_extraction,
    record_extraction_failed,
    register_csv,
    release_extraction,
)
from csu_console.storage.holds import list_holds, place_hold, release_hold
from csu_console.storage.store import Store

PARIS = ZoneInfo("Europe/Paris")
REQ = Requisition("2026/4567", "Commissariat de Nîmes", "Lt Martin", date(2026, 12, 1))
T0 = datetime(2026, 12, 4, 10, 15, tzinfo=UTC)
NAME = "cam-01_20261204_101500-102000_UTC.mp4"


def a_request(
    cameras: tuple[str, ...] = ("cam-01", "cam-02"), requisition: Requisition = REQ
) -> ExtractionRequest:
    return ExtractionRequest(cameras, T0, T0 + timedelta(minutes=5), requisition)


def files(folder: Path) -> list[ExtractedFile]:
    gap = Gap(T0 + timedelta(minutes=2), T0 + timedelta(minutes=3), GapReason.CAMERA_DOWN)
    return [
        ExtractedFile("cam-01", folder / NAME, "a" * 64, 12_345_678,
                      T0 - timedelta(seconds=0.6), T0 + timedelta(seconds=299.96), (gap,)),
        ExtractedFile("cam-02", Path(), "", 0, T0, T0, (Gap(T0, T0 + timedelta(minutes=5)),)),
    ]  # fmt: skip


def record(store: Store, folder: Path = Path("/media/cle"), **kw: Any) -> Any:
    head = chain_head(store)
    return record_extraction(
        store, kw.pop("request", a_request()), folder, files(folder), "PV_2026-4567.pdf",
        "b" * 64, head, station="poste-1", operator="durand",
        at=kw.pop("at", T0 + timedelta(hours=1)),
    )  # fmt: skip


def count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def events(store: Store, kind: str) -> list[dict[str, Any]]:
    rows = store.conn.execute("SELECT details FROM events WHERE kind = ? ORDER BY pk", (kind,))
    return [json.loads(r[0]) for r in rows.fetchall()]


def test_an_extraction_is_its_row_its_event_and_its_hold_in_one_transaction(store: Store) -> None:
    head = chain_head(store)
    rec = record(store)
    assert rec.pk == 1 and rec.chain_head == head and rec.report_name == "PV_2026-4567.pdf"
    [details] = events(store, EventKind.EXTRACTION.value)
    assert details["extraction"] == 1 and details["requisition"] == "2026/4567"
    assert details["cameras"] == ["cam-01", "cam-02"]
    assert details["start"] == "2026-12-04T10:15:00.000+00:00"
    assert details["files"] == [
        {"camera": "cam-01", "name": NAME, "sha256": "a" * 64, "size": 12_345_678}
    ]
    assert details["report_sha256"] == "b" * 64 and details["chain_head"] == head
    assert "Lt Martin" not in json.dumps(details)  # no personal data in the book
    [hold] = list_holds(store.conn, active_only=True)
    assert (hold.target, hold.target_ref, hold.reference) == (
        HoldTarget.EXTRACTION,
        "1",
        "2026/4567",
    )
    [held] = events(store, EventKind.LEGAL_HOLD.value)
    assert held["target"] == "extraction" and held["target_ref"] == "1"
    assert store.verify_chain().ok
    # The head given to the next extraction is the book's, after this one's events.
    assert chain_head(store) == store.verify_chain().head != head


def test_nothing_is_written_when_a_part_fails(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_a: Any, **_k: Any) -> Any:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ext, "insert_holds", broken)
    with pytest.raises(StorageError):
        record(store)
    assert count(store, "extractions") == 0 and count(store, "legal_holds") == 0
    assert store.count("events") == 0


@pytest.mark.parametrize(
    ("requisition", "message"),
    [
        (Requisition(" ", "Commissariat", "Lt Martin", date(2026, 12, 1)), "N° de réquisition"),
        (Requisition("R-1", "", "Lt Martin", date(2026, 12, 1)), "Service requérant"),
        (Requisition("R-1", "Commissariat", "\t", date(2026, 12, 1)), "OPJ"),
    ],
)
def test_the_register_refuses_a_partial_requisition(
    store: Store, requisition: Requisition, message: str
) -> None:
    with pytest.raises(RequisitionError, match=message):
        record(store, request=a_request(requisition=requisition))
    assert count(store, "extractions") == 0 and store.count("events") == 0
    # The table itself refuses it too (a writer that would bypass the checks).
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO extractions (at, requisition_number, requisition_service,"
            " requisition_opj, requisition_issued_on, cameras, period_start, period_end, folder)"
            " VALUES ('x', '', 's', 'o', '2026-12-01', '[\"cam-01\"]', 'a', 'b', '/')"
        )


def test_a_failed_extraction_is_logged(store: Store) -> None:
    error = "Place insuffisante sur /media/cle : 900 Mo nécessaires, 12 Mo libres."
    record_extraction_failed(store, a_request(), error, station="poste-1", operator="durand")
    [details] = events(store, EventKind.EXTRACTION_FAILED.value)
    assert details["requisition"] == "2026/4567" and details["cameras"] == ["cam-01", "cam-02"]
    assert details["error"].startswith("Place insuffisante") and "files" not in details
    assert count(store, "extractions") == 0


def test_the_register_lists_reads_back_and_exports(store: Store, tmp_path: Path) -> None:
    first = record(store, at=T0 + timedelta(hours=1))
    second = record(store, request=a_request(("cam-03",)), at=T0 + timedelta(hours=3))
    listed = list_extractions(store)
    assert [r.pk for r in listed] == [second.pk, first.pk]  # newest first
    back = get_extraction(store.conn, first.pk)
    assert back is not None and back.request == first.request and back.released_at is None
    assert back.files[0].path == Path("/media/cle") / first.files[0].path.name
    assert back.files[0].gaps == first.files[0].gaps and back.files[0].start == first.files[0].start
    assert not back.files[1].written and back.files[1].gaps[0].reason is GapReason.NONE
    assert [r.pk for r in list_extractions(store, T0 + timedelta(hours=2))] == [second.pk]
    assert [r.pk for r in list_extractions(store, None, T0 + timedelta(hours=2))] == [first.pk]

    text = register_csv(list_extractions(store), PARIS)
    header, row2, row1 = text.split("\r\n")[:3]
    assert header.split(";")[:6] == [
        "N°",
        "Date",
        "Heure",
        "Poste",
        "Opérateur",
        "N° de réquisition",
    ]
    cells = row1.split(";")
    assert cells[:9] == ["1", "04/12/2026", "12:15:00", "poste-1", "durand", "2026/4567",
                         "Commissariat de Nîmes", "Lt Martin", "01/12/2026"]  # fmt: skip
    assert cells[9] == "cam-01, cam-02" and cells[10] == "04/12/2026 11:15:00"
    assert "a" * 64 in cells[12] and cells[13] == "cam-02" and cells[14] == "PV_2026-4567.pdf"
    assert row2.startswith("2;")

    out = tmp_path / "registre.csv"
    result = export_register(store, out, PARIS, station="poste-1", operator="chef")
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and raw[3:].decode() == text and result.rows == 2
    [exported] = events(store, EventKind.EXPORT.value)
    assert exported["what"] == "extractions" and exported["sha256"] == result.sha256
    assert exported["rows"] == 2 and exported["file"] == "registre.csv"


def test_a_released_hold_shows_in_the_register(store: Store) -> None:
    rec = record(store)
    [hold] = list_holds(store.conn, active_only=True)
    at = T0 + timedelta(days=40)
    release_hold(store, hold.pk, "mainlevée du parquet", station="poste-1", operator="chef", at=at)
    [back] = list_extractions(store)
    assert back.pk == rec.pk and back.released_at == at
    # A second requisition on the same extraction keeps it held until released too.
    place_hold(store, HoldTarget.EXTRACTION, rec.pk, "PV 2027/1", station=None, operator="chef")
    assert list_extractions(store)[0].released_at is None


def test_an_extraction_hold_needs_an_extraction(store: Store) -> None:
    with pytest.raises(HoldError, match="Extraction vidéo n° 5 introuvable"):
        place_hold(store, HoldTarget.EXTRACTION, 5, "PV 2026/1", station=None, operator="chef")


def test_the_purge_leaves_the_register_and_its_holds(store: Store) -> None:
    rec = record(store)
    report = store.purge(RetentionPolicy(video_days=30), T0 + timedelta(days=400))
    assert report is not None
    assert [r.pk for r in list_extractions(store)] == [rec.pk]
    assert list_holds(store.conn, active_only=True)[0].target_ref == str(rec.pk)
    assert len(events(store, EventKind.EXTRACTION.value)) == 1
    assert store.verify_chain().ok


# -- the recorder's segments ------------------------------------------------------------


@pytest.fixture
def recordings(recorded_site: Any, tmp_path: Path) -> Path:
    root = tmp_path / "recordings"
    shutil.copytree(recorded_site.root, root)
    return root


def test_an_extractions_segments_are_held_through_the_recorder_retention(
    store: Store, recordings: Path, recorded_site: Any
) -> None:
    start = recorded_site.origin + timedelta(seconds=15)
    request = ExtractionRequest(("cam-01", "cam-03"), start, start + timedelta(seconds=20), REQ)
    rec = record_extraction(store, request, "/media/cle", [], "pv.pdf", "b" * 64,
                            chain_head(store), station="poste-1", operator="durand")  # fmt: skip
    assert hold_segments(recordings, rec) == 6  # 10-s segments at 10, 20, 30 of two cameras
    index = RecordingIndex(recordings, create=False)
    try:
        # The CNIL retention, 30 days later: every segment has expired but the held ones.
        later = datetime.now(UTC) + timedelta(days=31)
        expired = index.expired(later)
        held = {(s.camera_id, s.start) for s in index.segments("cam-01", start, request.end)}
        held |= {(s.camera_id, s.start) for s in index.segments("cam-03", start, request.end)}
        assert len(held) == 6 and not held & {(s.camera_id, s.start) for s in expired}
        assert len(expired) == 3 * 6 - 6
        index.remove(s.pk for s in expired)
        assert {s.pk for s in index.segments("cam-01", start, request.end)} and all(
            s.held for s in index.segments("cam-03", start, request.end)
        )
        assert index.held_references() == [f"extraction:{rec.pk}"]
    finally:
        index.close()
    # Released: the console's hold, then the recorder's; the retention may take them.
    released, count = release_extraction(store, rec.pk, "mainlevée", recordings,
                                         station="poste-1", operator="chef")  # fmt: skip
    assert count == 6 and not released[0].active
    index = RecordingIndex(recordings, create=False)
    try:
        assert index.held_references() == []
        assert len(index.expired(datetime.now(UTC) + timedelta(days=31))) == 6
    finally:
        index.close()
    with pytest.raises(HoldError, match="aucune conservation active"):
        release_extraction(store, rec.pk, "encore", recordings, station=None, operator="chef")


@pytest.mark.expected_logs("csu.extract")
def test_holding_segments_without_a_recorder_index_is_said_in_french(
    store: Store, tmp_path: Path
) -> None:
    rec = record(store)
    with pytest.raises(StorageError, match="Segments de l'extraction n° 1 non conservés"):
        hold_segments(tmp_path / "nowhere", rec)
