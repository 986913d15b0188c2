"""A full disk on the storage thread (csu_console.storage.writer): the console's own
events are kept in memory, in order, and written — chained — when room returns;
other writes are refused with a French message meanwhile; nothing is silent.

The disk is filled for real with SQLite's own ceiling (``PRAGMA max_page_count``:
SQLite answers ``SQLITE_FULL``, « database or disk is full », exactly as on a full
filesystem); the end-to-end test on a real full filesystem is
``tests/e2e/test_disk_full.py (and tests/gui/console/test_disk_full_console.py)``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support import wait_until

from csu_console.errors import DiskFullError
from csu_console.storage.backlog import DiskState
from csu_console.storage.codec import classify, is_disk_full
from csu_console.storage.logbook import NewEvent
from csu_console.storage.store import Store
from csu_console.storage.writer import HELD_MESSAGE, Recorded, StorageWriter

T0 = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
BIG = "x" * 6000  # more than a page: every such event needs room


def _event(i: int, kind: str = "displayed") -> NewEvent:
    at = T0 + timedelta(seconds=i)
    return NewEvent(kind, at, None, "poste-1", "martin", {"n": i, "pad": BIG})


def _fill(store: Store) -> None:
    """No more pages for the database: SQLite answers SQLITE_FULL from now on."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


def _free(store: Store) -> None:
    store.conn.execute("PRAGMA max_page_count = 1073741823")


@pytest.fixture
def states() -> list[DiskState]:
    return []


@pytest.fixture
def disk(tmp_path: Path, states: list[DiskState]) -> Iterator[StorageWriter]:
    w = StorageWriter(tmp_path / "csu.sqlite3", backlog_limit=20)
    w.watch(states.append)
    w.start()
    yield w
    w.close()


def _numbers(w: StorageWriter) -> list[int]:
    rows = w.submit(
        lambda s: s.conn.execute(
            "SELECT json_extract(details, '$.n') FROM events WHERE kind = 'displayed' ORDER BY pk"
        ).fetchall()
    ).result()
    return [r[0] for r in rows]


def test_classify_names_a_full_disk() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as info:
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 20000,))
    err = classify(info.value)
    assert isinstance(err, DiskFullError)
    assert "database or disk is full" in str(err)
    assert is_disk_full(str(err))
    assert not is_disk_full("Base de données indisponible : database is locked")


@pytest.mark.expected_logs("csu.storage")
def test_own_events_wait_in_memory_and_are_written_in_order(
    disk: StorageWriter, states: list[DiskState], caplog: pytest.LogCaptureFixture
) -> None:
    assert disk.record([_event(0)]).result().pks  # room: written at once
    disk.submit(_fill).result()
    results = [disk.record([_event(i)]).result() for i in range(1, 6)]
    assert results == [Recorded((), 1, 0)] * 5
    state = disk.disk_state
    assert state.full and state.failing and state.pending == 5 and state.since is not None
    assert _numbers(disk) == [0]  # nothing written meanwhile…
    # …and nothing else may take their place in the chain: the operator is told.
    with pytest.raises(DiskFullError) as refused:
        disk.submit(lambda s: s.add_event("acknowledged", None, "poste-1", "martin")).result()
    assert str(refused.value) == HELD_MESSAGE
    assert disk.submit(lambda s: s.count("events")).result() == 1  # reads go on
    # One error line for all those failures (the retries included), not one each.
    failures = [r for r in caplog.records if "écriture refusée" in r.getMessage()]
    assert len(failures) == 1, [r.getMessage() for r in failures]
    assert failures[0].getMessage().startswith("disque plein : ")
    kept = [r for r in caplog.records if "gardés en mémoire" in r.getMessage()]
    assert [r.getMessage() for r in kept] == [
        "événements de la console gardés en mémoire, écrits dans l'ordre dès qu'il y aura "
        "de la place (1 en attente)"
    ]
    disk.submit(_free).result()
    # The retry (on its backoff) writes them, oldest first, before anything newer.
    wait_until(lambda: disk.disk_state.pending == 0, 10, "les événements gardés écrits")
    assert disk.record([_event(6)]).result().pks
    assert _numbers(disk) == [0, 1, 2, 3, 4, 5, 6]
    report = disk.submit(lambda s: s.verify_chain()).result()
    assert report.broken is None and report.count == 7
    assert not disk.disk_state.failing and not disk.disk_state.full
    assert any(s.full for s in states) and not states[-1].full
    assert disk.submit(lambda s: s.add_event("acknowledged", None, "poste-1", "m")).result()


@pytest.mark.expected_logs("csu.storage")
def test_a_write_waits_for_the_kept_events_when_room_returns(disk: StorageWriter) -> None:
    """Room back, and an operator's action comes before the retry: the kept events
    go first, then the action (the chain's order is the order things happened)."""
    disk.submit(_fill).result()
    for i in range(3):
        disk.record([_event(i)]).result()
    disk.submit(_free).result()
    pk = disk.submit(
        lambda s: s.add_event("acknowledged", None, "poste-1", "martin", at=T0)
    ).result()
    kinds = disk.submit(
        lambda s: [r[0] for r in s.conn.execute("SELECT kind FROM events ORDER BY pk")]
    ).result()
    assert kinds == ["displayed", "displayed", "displayed", "acknowledged"]
    assert pk == 4


@pytest.mark.expected_logs("csu.storage")
def test_beyond_the_bound_the_newest_are_counted_and_said(
    disk: StorageWriter, caplog: pytest.LogCaptureFixture
) -> None:
    disk.submit(_fill).result()
    first = disk.record([_event(i) for i in range(15)]).result()
    second = disk.record([_event(i) for i in range(15, 30)]).result()
    assert (first.kept, first.dropped) == (15, 0)
    assert (second.kept, second.dropped) == (5, 10)  # the bound is 20
    assert disk.disk_state.dropped == 10
    lost = [r for r in caplog.records if "perdus" in r.getMessage()]
    assert len(lost) == 1 and lost[0].levelno == logging.ERROR
    disk.submit(_free).result()
    wait_until(lambda: disk.disk_state.pending == 0, 10, "écriture des 20 gardés")
    assert _numbers(disk) == list(range(20))  # the record from the moment it filled
    assert any("10 n'avaient pas pu être gardés" in r.getMessage() for r in caplog.records)


@pytest.mark.expected_logs("csu.storage")
def test_a_refused_action_with_nothing_kept_still_shows_the_full_disk(
    disk: StorageWriter,
) -> None:
    disk.submit(_fill).result()
    with pytest.raises(DiskFullError) as refused:
        disk.submit(
            lambda s: s.add_event("closed", None, "poste-1", "martin", {"pad": BIG})
        ).result()
    assert "database or disk is full" in str(refused.value)
    assert disk.disk_state.full and disk.disk_state.pending == 0
    disk.submit(_free).result()
    # A small write on the backoff finds the room again.
    wait_until(lambda: not disk.disk_state.full, 10, "DISQUE PLEIN retiré")


@pytest.mark.expected_logs("csu.storage")
def test_closing_with_the_disk_still_full_says_what_is_lost(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    w = StorageWriter(tmp_path / "csu.sqlite3")
    w.start()
    w.submit(_fill).result()
    w.record([_event(i) for i in range(4)]).result()
    w.close()
    assert any("4 événements de la console jamais écrits" in r.getMessage() for r in caplog.records)


@pytest.mark.expected_logs("csu.storage")
def test_a_bad_event_kept_while_others_waited_does_not_block_them(
    disk: StorageWriter, caplog: pytest.LogCaptureFixture
) -> None:
    disk.submit(_fill).result()
    disk.record([_event(0)]).result()  # fails: the disk is full, kept
    bad = NewEvent("displayed", T0, None, "poste-1", None, {"n": float("nan")})
    disk.record([_event(1), bad, _event(2)]).result()  # kept behind, never tried
    disk.submit(_free).result()
    wait_until(lambda: disk.disk_state.pending == 0, 10, "les bons écrits")
    assert _numbers(disk) == [0, 1, 2]
    assert any("écarté" in r.getMessage() for r in caplog.records)
