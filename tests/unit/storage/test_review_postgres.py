"""The review on the central PostgreSQL reads the same figures as on the station's
SQLite: the known shift of ``test_review`` built through the real store, copied
into a real PostgreSQL (the collector's own inserts and triggers), then every
figure of the review compared — indicators, per hour, zones, outcomes, the
digest, the list, timelines, the logbook, the chain, the CSV of a day byte for
byte — with every filter, and with the events arriving before their alerts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from test_review import PARIS, SHIFT, ZONES, Shift

from csu_console.central.load import copy_station, sqlite_records
from csu_console.central.reader import PgReviewReader, connect
from csu_console.central.schema import ensure_schema
from csu_console.central.store import insert_alerts, insert_events
from csu_console.core.review.filter import NO_OUTCOME, ReviewFilter
from csu_console.core.review.period import day_period
from csu_console.storage.review import ReviewCancelled, ReviewReader
from csu_console.storage.review_export import export_csv
from csu_console.storage.review_load import list_alerts, load_review, load_summary, verify_period
from csu_console.storage.store import ALERT_COLUMNS, Store

FILTERS: list[dict[str, object]] = [
    {},
    {"zones": {"nord"}},
    {"zones": {"sud"}, "categories": {"cambriolage"}},
    {"operators": {"durand"}},
    {"stations": {"poste-2"}},
    {"outcomes": {"verbalisation"}},
    {"outcomes": {NO_OUTCOME}},
    {"priorities": {1}},
    {"communes": {"01053"}},
    {"communes": {"Ville"}, "categories": {"incendie"}},
]


@pytest.fixture
def readers(store: Store, data: Shift, pg_dsn: str) -> Iterator[tuple[ReviewReader, ReviewReader]]:
    del data
    with psycopg.connect(pg_dsn, autocommit=True) as pg:
        assert copy_station(store.conn, pg, "poste-1") == (
            store.count("alerts"), store.count("events"))  # fmt: skip
    ro = Store(store.path, readonly=True)
    central = PgReviewReader(connect(pg_dsn))
    yield ReviewReader(ro.conn), central
    central.conn.close()
    ro.close()


def _days() -> list[ReviewFilter]:
    return [ReviewFilter.for_period(day_period(date(2025, 6, 2), None, PARIS))]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(map(str, f)) or "tout")
def test_same_review(
    readers: tuple[ReviewReader, ReviewReader], filters: dict[str, object]
) -> None:
    local, central = readers
    # A week and more: read through a server-side cursor, a batch at a time.
    weeks = ReviewFilter.for_period(day_period(date(2025, 5, 26), date(2025, 6, 8), PARIS))
    for base in [ReviewFilter.for_period(SHIFT), *_days(), weeks]:
        f = base.narrowed(**filters)  # type: ignore[arg-type]
        expected = load_review(local, f, ZONES)
        got = load_review(central, f, ZONES)
        assert got.indicators == expected.indicators
        assert got.digest == expected.digest
        assert got.rows == expected.rows
        assert load_summary(central, f, ZONES) == load_summary(local, f, ZONES)
        assert list_alerts(central, f, ZONES) == list_alerts(local, f, ZONES)
    # Not an empty comparison: the shift has alerts, delays, outcomes, zones.
    whole = load_review(local, ReviewFilter.for_period(SHIFT), ZONES)
    assert whole.indicators.alerts.count == 8 and whole.indicators.open_at_end > 0


def test_same_timelines_logbook_and_chain(readers: tuple[ReviewReader, ReviewReader]) -> None:
    local, central = readers
    f = _days()[0]
    for pk in range(1, 13):
        assert central.timeline(pk) == local.timeline(pk)
    assert list(central.logbook(f)) == list(local.logbook(f))
    assert central.logbook_count(f) == local.logbook_count(f) > 30
    assert central.pseudonym_key() is not None
    # The book of poste-1 (events of poste-2 and of no station in it) checked again.
    chain, expected = verify_period(central, f.period), verify_period(local, f.period)
    assert chain.ok and expected.ok
    assert (chain.count, chain.head) == (expected.count, expected.head)


def test_same_csv_of_a_day(readers: tuple[ReviewReader, ReviewReader], tmp_path: Path) -> None:
    local, central = readers
    f = _days()[0]
    files = []
    for name, reader in (("local", local), ("central", central)):
        path = tmp_path / f"{name}.csv"
        result = export_csv(reader, f, path, zones=ZONES, tz=PARIS, key=b"k" * 32,
                            record=lambda _rows, _sha: 1, zone_names={"nord": "Nord"})  # fmt: skip
        assert result.rows == 11
        files.append(path.read_bytes())
    assert files[0] == files[1]


def test_events_before_their_alerts(store: Store, data: Shift, pg_dsn: str) -> None:
    """The events stream may be read before the alerts': the same figures once both are in."""
    del data
    records = list(sqlite_records(store.conn, "poste-1"))
    alerts = store.conn.execute(f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts ORDER BY pk")
    with psycopg.connect(pg_dsn, autocommit=True) as pg:
        ensure_schema(pg)
        with pg.transaction(), pg.cursor() as cur:
            assert len(insert_events(cur, records)) == len(records)
            assert insert_events(cur, records) == []  # again: nothing doubled
        with pg.transaction(), pg.cursor() as cur:
            assert insert_alerts(cur, alerts.fetchall()) == store.count("alerts")
    ro = Store(store.path, readonly=True)
    central = PgReviewReader(connect(pg_dsn))
    try:
        f = ReviewFilter.for_period(SHIFT)
        assert load_review(central, f, ZONES) == load_review(ReviewReader(ro.conn), f, ZONES)
    finally:
        central.conn.close()
        ro.close()


def test_an_interrupt_cancels_the_query_on_the_server(pg_dsn: str) -> None:
    """A newer filter stops the older review's query at once, and the connection
    serves the next review."""
    reader = PgReviewReader(connect(pg_dsn))
    timer = threading.Timer(0.3, reader.interrupt)
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(ReviewCancelled), reader.snapshot():
            reader.execute("SELECT pg_sleep(30)")
        assert time.monotonic() - started < 10
        reader.begin()
        with reader.snapshot():
            assert reader.execute("SELECT 1").fetchone() == (1,)
    finally:
        timer.cancel()
        reader.conn.close()
