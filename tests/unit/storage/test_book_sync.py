"""The station's side of the one book in SQLite: own events out from a cursor, other
stations' events in with each chain checked (a break kept and named, never dropped),
witnessed heads kept, the station's key file."""

from __future__ import annotations

import dataclasses
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from csu_console.core.book_wire import EventRecord, parse_event
from csu_console.core.logbook import EventKind
from csu_console.core.witness import head_problem, make_head, public_key_b64
from csu_console.storage import book_sync
from csu_console.storage.logbook import link_hash
from csu_console.storage.station_key import ensure_key, key_path, load_key
from csu_console.storage.store import DB_NAME, Store


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "poste-1" / DB_NAME)
    store.add_event(EventKind.LOGIN, None, "poste-1", "dupont", {})
    store.add_event(EventKind.ENTRY, None, "poste-1", "dupont",
                    {"type": "radio", "text": "Patrouille sur place"})  # fmt: skip
    store.add_event(EventKind.EXPORT, None, "cli", "root", {"rows": 3})  # the command line's
    store.add_event(EventKind.ENTRY, None, "poste-1", "dupont", {"type": "appel", "text": "x"})
    store.add_event(EventKind.PURGED, None, None, None, {"alerts": 0})  # no station at all
    yield store
    store.close()


@pytest.fixture
def copy(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    store = Store(tmp_path / "poste-2" / DB_NAME)
    yield store.conn
    store.close()


def test_own_events_go_out_in_order_from_the_cursor(source: Store) -> None:
    out = book_sync.outgoing_events(source.conn, "poste-1", 3)
    assert [e.seq for e in out] == [1, 2, 3]
    assert out[2].event_station == "cli"  # its own column travels when it differs
    assert parse_event(out[1].to_json()) == out[1]
    book_sync.advance_cursor(source.conn, 3)
    book_sync.advance_cursor(source.conn, 2)  # never back
    rest = book_sync.outgoing_events(source.conn, "poste-1", 10)
    assert [(e.seq, e.event_station) for e in rest] == [(4, ""), (5, None)]
    assert parse_event(rest[1].to_json()) == rest[1]


def test_peer_events_are_stored_with_their_chain_checked(
    source: Store, copy: sqlite3.Connection
) -> None:
    records = book_sync.outgoing_events(source.conn, "poste-1", 10)
    outcome = book_sync.store_peer_events(copy, records, "poste-2")
    assert (outcome.stored, outcome.breaks) == (5, [])
    again = book_sync.store_peer_events(copy, records, "poste-2")
    assert (again.stored, again.duplicates) == (0, 5)
    rows = copy.execute("SELECT seq, kind, event_station FROM peer_events ORDER BY seq").fetchall()
    assert rows == [(1, "login", ""), (2, "entry", ""), (3, "export", "cli"),
                    (4, "entry", ""), (5, "purged", None)]  # fmt: skip
    # The copy is re-checkable on its own: every link recomputes from the stored row.
    prev = "0" * 64
    for r in copy.execute(
        "SELECT seq, alert_pk, at, at_local, kind, CASE event_station WHEN '' THEN station"
        " ELSE event_station END, operator, details_sha256, prev_hash, hash FROM peer_events"
        " ORDER BY seq"
    ):
        assert r[8] == prev and link_hash(prev, list(r[:8])) == r[9]
        prev = r[9]
    assert book_sync.store_peer_events(copy, records, "poste-1").stored == 0  # own: skipped


@pytest.mark.expected_logs("csu.net")
@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (lambda rs: [rs[0], dataclasses.replace(rs[1], details={"type": "radio", "text": "rien"}),
                     rs[2]], "détails modifiés"),
        (lambda rs: [rs[0], dataclasses.replace(rs[1], operator="martin"), rs[2]],
         "empreinte du maillon fausse"),
        (lambda rs: [rs[0], rs[1], _relinked(rs[2], "f" * 64)], "maillon rompu"),
    ],
    ids=["details", "operator", "prev_hash"],
)  # fmt: skip
def test_a_break_is_kept_and_named_not_dropped(
    source: Store, copy: sqlite3.Connection, tamper: object, problem: str
) -> None:
    records = book_sync.outgoing_events(source.conn, "poste-1", 10)
    sent = tamper(records)  # type: ignore[operator]
    outcome = book_sync.store_peer_events(copy, sent, "poste-2")
    assert outcome.stored == len(sent)  # the data is kept
    [found] = outcome.breaks
    assert problem in found.problem
    assert [str(b) for b in book_sync.peer_breaks(copy)] == [str(found)]


def test_a_gap_waits_for_its_redelivery_then_is_checked_on_both_sides(
    source: Store, copy: sqlite3.Connection
) -> None:
    """After a reconnection JetStream redelivers what was not acknowledged after newer
    events: the hole is shown as « pas encore reçus », not as a break, and the late
    event is checked against the one before it and the one after it."""
    records = book_sync.outgoing_events(source.conn, "poste-1", 10)
    early = book_sync.store_peer_events(copy, [records[0], records[1], records[3]], "poste-2")
    assert (early.stored, early.breaks) == (3, [])
    assert book_sync.peer_gaps(copy) == [("poste-1", 3, 3)]
    late = book_sync.store_peer_events(copy, [records[2]], "poste-2")
    assert (late.stored, late.breaks) == (1, [])
    assert book_sync.peer_gaps(copy) == [] and book_sync.peer_breaks(copy) == []


@pytest.mark.expected_logs("csu.net")
def test_a_late_event_that_does_not_lead_to_its_successor_is_a_break(
    source: Store, copy: sqlite3.Connection
) -> None:
    records = book_sync.outgoing_events(source.conn, "poste-1", 10)
    book_sync.store_peer_events(copy, [records[0], records[1], records[3]], "poste-2")
    forged = dataclasses.replace(records[2], details={"type": "radio", "text": "autre"})
    forged = dataclasses.replace(
        forged, details_sha256=book_sync.details_digest(forged.details, forged.details_salt)
    )
    forged = _relinked(forged, forged.prev_hash)  # consistent alone, not with n° 4
    [found] = book_sync.store_peer_events(copy, [forged], "poste-2").breaks
    assert (found.seq, "maillon rompu" in found.problem) == (4, True)


def _relinked(record: EventRecord, prev: str) -> EventRecord:
    """A record whose own link is consistent but does not follow its predecessor."""
    new = dataclasses.replace(record, prev_hash=prev)
    return dataclasses.replace(new, hash=link_hash(prev, new.link_row()))


def test_witnessed_heads_are_kept_once(tmp_path: Path, copy: sqlite3.Connection) -> None:
    key, _ = ensure_key(tmp_path / "poste-1")
    head = make_head(key, "poste-1", 12, "a" * 64, "shift_close")
    assert book_sync.store_witness(copy, head)
    assert not book_sync.store_witness(copy, head)
    assert book_sync.witness_heads(copy, "poste-1") == [head]


def test_shift_closings_after_the_first_run_get_their_heads(source: Store) -> None:
    assert book_sync.pending_shift_heads(source.conn) == []  # first run: from now on
    pk = source.add_event(EventKind.SHIFT_CLOSED, None, "poste-1", "dupont", {})
    [(seq, _h)] = book_sync.pending_shift_heads(source.conn)
    assert seq == pk
    book_sync.shift_head_done(source.conn, pk)
    assert book_sync.pending_shift_heads(source.conn) == []


@pytest.mark.expected_logs("csu.storage")  # the mode put back is logged as a warning
def test_the_station_key_is_private_and_kept(tmp_path: Path) -> None:
    key, created = ensure_key(tmp_path)
    path = key_path(tmp_path)
    assert created and stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created_again = ensure_key(tmp_path)
    assert not created_again and public_key_b64(again) == public_key_b64(key)
    path.chmod(0o644)
    load_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # put back, with a warning


def test_a_head_altered_after_signing_is_refused(tmp_path: Path) -> None:
    key, _ = ensure_key(tmp_path)
    head = make_head(key, "poste-1", 5, "b" * 64, "minute")
    assert head_problem(head) is None
    assert head_problem(head, public_key_b64(key)) is None
    assert head_problem(dataclasses.replace(head, seq=4)) == "signature invalide"
    assert head_problem(head, public_key_b64(ensure_key(tmp_path / "x")[0])) is not None
