"""The review's reading side on the data set of test_review: each alert's timeline,
the main courante of a period, the period's hash chain, a read-only reader beside
the writer, interrupting a review, an empty base, summary and list separately."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from test_review import DAY, DURAND, NORD, PARIS, SHIFT, ZONES, Shift, add, move, t

from csu_console.core.alerts import AlertState, Category
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.shifts import DEFAULT_SHIFTS, shift_period
from csu_console.core.review.stats import DelayStats
from csu_console.storage.review import ReviewCancelled, ReviewReader
from csu_console.storage.review_load import (
    list_alerts,
    load_review,
    load_summary,
    verify_period,
)
from csu_console.storage.store import Store


def review_of(reader: ReviewReader) -> int:
    return len(load_review(reader, ReviewFilter.for_period(SHIFT), ZONES).rows)


def test_summary_then_list_equal_one_review(reader: ReviewReader) -> None:
    f = ReviewFilter.for_period(SHIFT, zones={"nord"})
    whole = load_review(reader, f, ZONES)
    summary = load_summary(reader, f, ZONES)
    rows, more = list_alerts(reader, f, ZONES)
    assert (summary.indicators, summary.digest) == (whole.indicators, whole.digest)
    assert rows == whole.rows and not more
    assert list_alerts(reader, f, ZONES, max_rows=2) == (whole.rows[:2], True)
    facts = list(reader.facts(f, ZONES))
    assert [x.pk for x in facts] == [r.pk for r in rows]
    assert [(x.lat, x.lon, x.zones) for x in facts] == [(r.lat, r.lon, r.zones) for r in rows]


def test_timeline_and_main_courante(reader: ReviewReader, data: Shift) -> None:
    kinds = [e.kind for e in reader.timeline(data.pks["A3"])]
    assert kinds == [
        "received", "acknowledged", "dispatched", "on_site", "dispatch_ended", "correction",
        "closed",
    ]  # fmt: skip
    f = ReviewFilter.for_period(SHIFT)
    lines = list(reader.logbook(f))
    assert len(lines) == reader.logbook_count(f)
    assert lines[0].at.startswith("2025-06-02T04:10:00") and lines[0].kind == "received"
    assert lines[0].at_local is not None and lines[0].at_local.startswith("2025-06-02T06:10:00")
    assert [x.at for x in lines] == sorted(x.at for x in lines)
    assert all(SHIFT.start.isoformat() <= x.at < SHIFT.end.isoformat() for x in lines)
    only_a3 = list(reader.logbook(f, {data.pks["A3"]}))
    assert [x.kind for x in only_a3] == kinds
    martin = ReviewFilter.for_period(SHIFT, operators={"martin"})
    assert {x.operator for x in reader.logbook(martin)} == {"martin"}


def test_the_period_chain_verifies_then_names_a_tampered_event(
    store: Store, reader: ReviewReader, data: Shift
) -> None:
    seen: list[float] = []
    report = verify_period(reader, SHIFT, seen.append)
    # events are logged in time order here: the pk range is the period's events
    assert report.ok and seen[-1] == 1.0
    assert report.count == reader.logbook_count(ReviewFilter.for_period(SHIFT)) == 30
    empty = verify_period(reader, shift_period(DEFAULT_SHIFTS[2], date(2025, 6, 3), PARIS))
    assert empty.ok and empty.count == 0
    store.conn.executescript(
        "DROP TRIGGER events_no_update;"
        f" UPDATE events SET operator = 'dupont' WHERE pk = {data.ended_a3};"
    )
    broken = verify_period(reader, SHIFT)
    assert not broken.ok and broken.broken is not None and broken.broken.pk == data.ended_a3


def test_a_readonly_reader_does_not_block_the_writer(store: Store, reader: ReviewReader) -> None:
    f = ReviewFilter.for_period(SHIFT)
    rows = reader.alerts(f, ZONES)
    next(rows)  # a read under way on the reader's connection…
    store.add_event("note", None, "poste-1", "durand", {"text": "pendant la revue"})  # …no wait
    assert len(list(rows)) == 7


def test_interrupt_cancels_a_review(reader: ReviewReader) -> None:
    f = ReviewFilter.for_period(SHIFT)
    rows = reader.alerts(f, ZONES)
    next(rows)
    reader.interrupt()
    with pytest.raises(ReviewCancelled):
        list(rows)
    reader.begin()  # the next review runs
    assert review_of(reader) == 8


def test_an_unmigrated_reader_path(tmp_path: Path) -> None:
    # the reader needs nothing but the tables: an empty database reviews to zeros
    s = Store(tmp_path / "empty.sqlite3")
    r = load_review(ReviewReader(s.conn), ReviewFilter.for_period(SHIFT), ZONES)
    assert r.rows == () and r.indicators.alerts.count == 0 and r.indicators.open_at_end == 0
    assert r.indicators.alerts.ack == DelayStats(0) and r.digest.open_dispatches == ()
    s.close()
    assert SHIFT.end - SHIFT.start == timedelta(hours=8)


def test_open_at_the_end_whenever_they_came(store: Store, data: Shift) -> None:
    """Alerts closed long after they came (alerts_closed_late) and those of the last
    3 hours (alerts_received_at) both count, whenever they came."""
    old = add(store, "OLD", Category.RIXE, 1, DAY - timedelta(days=2), NORD)  # closed 3 days on
    gone = add(store, "GONE", Category.RIXE, 1, DAY - timedelta(days=2, hours=-1), NORD)
    move(store, old, DURAND, AlertState.ACKNOWLEDGED, DAY - timedelta(days=2, minutes=-1))
    move(store, gone, DURAND, AlertState.CLOSED, DAY - timedelta(days=1))
    move(store, old, DURAND, AlertState.CLOSED, DAY + timedelta(days=1))
    late = add(store, "LATE", Category.RIXE, 1, t(10, 30), NORD)  # within 3 h of the end
    move(store, late, DURAND, AlertState.CLOSED, t(12, 20))
    ro = Store(store.path, readonly=True)
    r = load_review(ReviewReader(ro.conn), ReviewFilter.for_period(SHIFT), ZONES)
    names = {pk: name for name, pk in data.pks.items()} | {old: "OLD", gone: "GONE", late: "LATE"}
    assert [names[a.pk] for a in r.digest.open_alerts] == [
        "OLD", "A7", "LATE", "CAM3", "A5", "A6",
    ]  # fmt: skip
    ro.close()


def test_a_snapshot_does_not_see_what_the_writer_adds(store: Store, reader: ReviewReader) -> None:
    f = ReviewFilter.for_period(SHIFT)
    with reader.snapshot():
        before = len(list(reader.alerts(f)))
        add(store, "NEW", Category.RIXE, 1, t(11), NORD)  # the writer is not blocked…
        assert len(list(reader.alerts(f))) == before  # …and the review does not see it
        with reader.snapshot():  # nested: still the same view
            assert len(list(reader.facts(f))) == before
    assert len(list(reader.alerts(f))) == before + 1
