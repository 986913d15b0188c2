"""The console's disk state, from its own writes and the link's (Qt-free)."""

from __future__ import annotations

from datetime import UTC, datetime

from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.storage.backlog import DiskState, EventBacklog
from csu_console.storage.console_disk import ConsoleDisk
from csu_console.storage.logbook import NewEvent

NOW = datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
FULL = "Base de données indisponible : database or disk is full"


def _status(phase: LinkPhase, error: str = "") -> LinkStatus:
    return LinkStatus(phase, "ws://127.0.0.1:1", NOW, error=error)


def test_the_link_failing_for_room_is_a_full_disk_until_it_commits_again() -> None:
    disk = ConsoleDisk().with_link(_status(LinkPhase.STORAGE_DOWN, FULL))
    assert disk.full and disk.failing and disk.error == FULL
    assert disk.with_link(_status(LinkPhase.LOST)).full  # nothing learnt
    assert not disk.with_link(_status(LinkPhase.CONNECTED)).failing
    locked = ConsoleDisk().with_link(_status(LinkPhase.STORAGE_DOWN, "database is locked"))
    assert locked.failing and not locked.full


def test_the_writers_state_and_the_links_add_up() -> None:
    disk = ConsoleDisk().with_writer(DiskState(full=True, failing=True, pending=3))
    assert disk.full and disk.pending == 3
    disk = disk.with_link(_status(LinkPhase.CONNECTED))
    assert disk.full  # the console's own writes still fail
    assert not disk.with_writer(DiskState()).full


def test_the_backlog_keeps_the_oldest_and_counts_the_rest() -> None:
    backlog = EventBacklog(limit=3)
    events = [NewEvent("displayed", NOW, i) for i in range(5)]
    assert backlog.keep(events) == 3 and backlog.dropped == 2
    assert [e.alert_pk for e in backlog.head(2)] == [0, 1]
    backlog.written(2)
    assert backlog.keep(events[3:]) == 2 and backlog.dropped == 2
    backlog.written(3)
    assert len(backlog) == 0 and backlog.dropped == 0
