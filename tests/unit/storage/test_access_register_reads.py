"""The access register's reads (csu_console.storage.access_register) on a real
database: camera views, snapshots, exports and review openings of this station and
of the others (``peer_events``), filtered by period, operator and camera; the CSV
export logged as an ``export`` event."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from csu_console.core.access_register import (
    AccessFilter,
    action_label,
    alert_label,
    who_label,
    why_text,
)
from csu_console.core.logbook import EventKind
from csu_console.storage.access_register import export_access_csv, read_access
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_export import record_export
from csu_console.storage.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
DAY = AccessFilter(T0 - timedelta(hours=1), T0 + timedelta(hours=23))


@pytest.fixture
def book(store: Store) -> Store:
    """A morning of accesses at poste-1, one at poste-2 (a peer's copy), and noise."""
    add = store.add_event
    add(
        "camera_viewed",
        None,
        "poste-1",
        "durand",
        {"cameras": ["cam-01"], "reason": "rixe signalée par radio"},
        at=T0,
    )
    add(
        "camera_viewed",
        None,
        "poste-1",
        None,
        {"cameras": ["cam-02", "cam-03"], "context": "Alerte n° 4 – Rixe", "auto": True},
        at=T0 + timedelta(minutes=1),
    )
    add(
        "snapshot",
        None,
        "poste-1",
        "durand",
        {"camera_id": "cam-02", "file": "cam-02-0901.png", "sha256": "ab"},
        at=T0 + timedelta(minutes=2),
    )
    add(
        "export",
        None,
        "poste-1",
        "chef",
        {"format": "csv", "rows": 12, "reason": "demande OPJ", "file": "revue.csv"},
        at=T0 + timedelta(minutes=3),
    )
    add(
        "review_opened", None, "poste-1", "chef", {"screen": "review"}, at=T0 + timedelta(minutes=4)
    )
    add("note", None, "poste-1", "durand", {"text": "pas un accès"}, at=T0)
    add(
        "camera_viewed",
        None,
        "poste-1",
        "durand",
        {"cameras": ["cam-01"], "context": "x"},
        at=T0 - timedelta(days=2),
    )  # before the period
    store.conn.execute(
        "INSERT INTO peer_events (station, seq, alert_id, at, kind, operator, details,"
        " details_sha256, prev_hash, hash, received_at) VALUES ('poste-2', 7, 'SIG-9', ?,"
        " 'camera_viewed', 'martin', ?, 'd', 'p', 'h', ?)",
        (
            (T0 + timedelta(minutes=5)).isoformat(timespec="milliseconds"),
            json.dumps({"cameras": ["cam-01"], "context": "Alerte SIG-9"}),
            T0.isoformat(),
        ),
    )  # fmt: skip
    return store


@pytest.fixture
def reader(book: Store) -> Iterator[ReviewReader]:
    ro = Store(book.path, readonly=True)
    yield ReviewReader(ro.conn)
    ro.close()


def test_the_register_lists_every_access_newest_first(reader: ReviewReader) -> None:
    page = read_access(reader, DAY)
    assert not page.truncated
    assert [(e.kind, e.station, who_label(e)) for e in page.entries] == [
        ("camera_viewed", "poste-2", "martin"),
        ("review_opened", "poste-1", "chef"),
        ("export", "poste-1", "chef"),
        ("snapshot", "poste-1", "durand"),
        ("camera_viewed", "poste-1", "(affichage automatique)"),
        ("camera_viewed", "poste-1", "durand"),
    ]
    assert page.operators == ("chef", "durand", "martin")
    texts = [(action_label(e), e.cameras, alert_label(e), why_text(e)) for e in page.entries]
    assert texts == [
        ("Caméra consultée", ("cam-01",), "SIG-9", "Alerte SIG-9"),
        ("Consultation de la revue", (), "", "Revue des vacations"),
        ("Export des enregistrements", (), "",
         "CSV alertes – 12 lignes – motif : demande OPJ – fichier revue.csv"),
        ("Capture d'image", ("cam-02",), "", "fichier cam-02-0901.png"),
        ("Caméra consultée", ("cam-02", "cam-03"), "",
         "Affichage automatique – Alerte n° 4 – Rixe"),
        ("Caméra consultée", ("cam-01",), "", "Hors alerte – motif : rixe signalée par radio"),
    ]  # fmt: skip


def test_filters_by_camera_operator_and_action(reader: ReviewReader) -> None:
    by_camera = read_access(reader, AccessFilter(DAY.start, DAY.end, camera="cam-02"))
    assert [e.kind for e in by_camera.entries] == ["snapshot", "camera_viewed"]
    by_operator = read_access(reader, AccessFilter(DAY.start, DAY.end, operator="durand"))
    assert [e.kind for e in by_operator.entries] == ["snapshot", "camera_viewed"]
    both = read_access(reader, AccessFilter(DAY.start, DAY.end, "martin", "cam-01"))
    assert [(e.station, e.peer) for e in both.entries] == [("poste-2", True)]
    views = AccessFilter(DAY.start, DAY.end, kinds=frozenset({EventKind.CAMERA_VIEWED}))
    assert len(read_access(reader, views).entries) == 3
    nothing = AccessFilter(DAY.start, DAY.end, kinds=frozenset())
    assert read_access(reader, nothing).entries == ()


def test_replays_and_extractions_are_accesses_to_the_images(book: Store) -> None:
    """CNIL: replaying recordings and copying them out for a requisition are in the
    register like live viewing, with the filmed period in the site's time."""
    at = T0 + timedelta(hours=2)
    book.add_event(
        "recording_viewed", None, "poste-1", "durand",
        {"phase": "end", "cameras": ["cam-02"], "from": "2026-03-02T08:55:00+00:00",
         "to": "2026-03-02T08:57:10+00:00", "wall": False, "context": "Alerte n° 4 – Rixe"},
        at=at,
    )  # fmt: skip
    book.add_event(
        "recording_viewed", None, "poste-1", "durand",
        {"phase": "start", "cameras": ["cam-01"], "from": "2026-03-02T06:00:00+00:00",
         "to": "2026-03-02T06:00:00+00:00", "wall": False, "reason": "vol signalé au guichet"},
        at=at + timedelta(minutes=1),
    )  # fmt: skip
    book.add_event(
        "extraction", None, "poste-1", "chef",
        {"requisition": "2026/118", "service": "Commissariat de Nîmes", "issued_on": "2026-03-02",
         "cameras": ["cam-02", "cam-03"], "start": "2026-03-02T08:50:00+00:00",
         "end": "2026-03-02T09:10:00+00:00", "extraction": 1},
        at=at + timedelta(minutes=2),
    )  # fmt: skip
    ro = Store(book.path, readonly=True)
    try:
        reader = ReviewReader(ro.conn)
        page = read_access(reader, DAY)
        cam02 = read_access(reader, AccessFilter(DAY.start, DAY.end, camera="cam-02")).entries
    finally:
        ro.close()
    latest = page.entries[:3]
    assert [(action_label(e), who_label(e), why_text(e, PARIS)) for e in latest] == [
        ("Extraction sur réquisition", "chef", "réquisition n° 2026/118 – Commissariat de Nîmes"
         " – du 02/03 09:50:00 au 02/03 10:10:00 – extraction n° 1"),
        ("Enregistrement consulté", "durand", "filmé du 02/03 07:00:00 au 02/03 07:00:00"
         " – hors alerte – motif : vol signalé au guichet"),
        ("Enregistrement consulté", "durand", "filmé du 02/03 09:55:00 au 02/03 09:57:10"
         " – Alerte n° 4 – Rixe"),
    ]  # fmt: skip
    assert [e.kind for e in cam02][:2] == ["extraction", "recording_viewed"]


def test_a_sealed_reason_reads_as_purged(book: Store) -> None:
    book.add_event("camera_viewed", None, "p", "durand",
                   {"cameras": ["cam-01"], "reason": "sha256:" + "0" * 64}, at=T0)  # fmt: skip
    ro = Store(book.path, readonly=True)
    try:
        page = read_access(ReviewReader(ro.conn), AccessFilter(T0, T0 + timedelta(seconds=1)))
    finally:
        ro.close()
    assert {why_text(e) for e in page.entries} == {
        "Hors alerte – motif : (purgé)", "Hors alerte – motif : rixe signalée par radio",
    }  # fmt: skip


def test_the_page_is_bounded(reader: ReviewReader) -> None:
    page = read_access(reader, DAY, limit=4)
    assert len(page.entries) == 4 and page.truncated


def test_the_csv_export_has_every_row_and_is_logged(
    reader: ReviewReader, book: Store, tmp_path: Path
) -> None:
    target = tmp_path / "registre.csv"

    def record(rows: int, sha256: str) -> int:
        details = {"format": "csv", "what": "access_register", "rows": rows,
                   "reason": "contrôle CNIL", "sha256": sha256, "file": target.name,
                   "filter": DAY.to_details()}  # fmt: skip
        return record_export(book, "poste-1", "chef", details)

    result = export_access_csv(
        reader, DAY, target, tz=PARIS, record=record, camera_names={"cam-02": "Gare nord"}
    )
    assert result.rows == 6
    lines = target.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[0] == "date et heure;poste;opérateur;action;caméras;alerte;motif ou contexte"
    assert lines[4] == "2026-03-02 10:02:00;poste-1;durand;Capture d'image;Gare nord;;" + (
        "fichier cam-02-0901.png"
    )
    assert lines[5].endswith(";Gare nord · cam-03;;Affichage automatique – Alerte n° 4 – Rixe")
    [(operator, details)] = book.conn.execute(
        "SELECT operator, details FROM events WHERE kind = 'export' AND pk = ?",
        (result.event_pk,),
    ).fetchall()
    logged = json.loads(details)
    assert (operator, logged["what"], logged["rows"]) == ("chef", "access_register", 6)
    assert logged["sha256"] == result.sha256
    # The export shows in the register itself.
    after = read_access(reader, AccessFilter(DAY.start, datetime.now(UTC) + timedelta(days=1)))
    assert why_text(after.entries[0]).startswith("CSV registre des accès – 6 lignes – motif")
