"""Migration 4 (csu_console.storage.schema): the review's columns on each alert row,
kept by the ``events_review`` trigger as events are logged, and filled from the
events for a database migrated from version 3 — both ways give the same values."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from test_review import build

from csu_console.core.alerts import Alert, Category
from csu_console.core.protocol import AlertMessage
from csu_console.storage import schema
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.review_schema import REVIEW_BACKFILL
from csu_console.storage.store import Store

COLUMNS = "pk, ack_at, dispatch_at, closed_at, escalated, outcomes, handlers, ack_s, dispatch_s"
T = datetime(2025, 6, 2, 4, tzinfo=UTC)


def review_columns(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    rows = conn.execute(f"SELECT {COLUMNS} FROM alerts ORDER BY pk").fetchall()
    # handlers are a set: the backfill does not know the order they came in
    return [(*r[:6], frozenset((r[6] or "").split("\x1f")) - {""}, *r[7:]) for r in rows]


def test_backfill_gives_what_the_trigger_gave(store: Store) -> None:
    data = build(store)
    by_trigger = review_columns(store.conn)
    a3 = next(r for r in by_trigger if r[0] == data.pks["A3"])
    assert a3[1:5] == (
        "2025-06-02T06:00:10.000+00:00",
        "2025-06-02T06:05:00.000+00:00",
        "2025-06-02T06:40:00.000+00:00",
        0,
    )
    assert a3[5] == f"{data.ended_a3}:rien_a_signaler" and a3[6] == {"durand"}
    assert a3[7:] == (10.0, 300.0)  # seconds from reception
    store.conn.executescript(
        "BEGIN; DROP TRIGGER events_review; UPDATE alerts SET ack_at = NULL, dispatch_at = NULL,"
        " closed_at = NULL, escalated = 0, outcomes = NULL, handlers = NULL, ack_s = NULL,"
        " dispatch_s = NULL;" + REVIEW_BACKFILL + " COMMIT;"
    )
    assert review_columns(store.conn) == by_trigger


def test_a_version_3_database_is_filled(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    for version, migration in enumerate(schema.MIGRATIONS[:3]):
        if isinstance(migration, str):
            conn.executescript(f"BEGIN;{migration};PRAGMA user_version={version + 1};COMMIT;")
        else:
            schema._run_steps(conn, migration, version + 1)
    conn.execute(
        "INSERT INTO alerts (source, alert_id, fmt, sent, received_at, category, priority)"
        " VALUES ('p', 'old', 'json', ?, ?, 'rixe', 1)",
        (T.isoformat(), T.isoformat()),
    )
    cur = conn.cursor()
    cur.execute("BEGIN")
    append_events(cur, [
        NewEvent("received", T, 1, "p1"),
        NewEvent("displayed", T, 1, "p1", "martin"),
        NewEvent("escalated", T.replace(minute=1), 1, "p1"),
        NewEvent("taken_over", T.replace(minute=2), 1, "p1", "durand",
                 {"state": "acknowledged", "reason": "absent"}),
        NewEvent("dispatch_ended", T.replace(minute=30), 1, "p1", "durand",
                 {"unit": "a", "outcome": "verbalisation"}),
        NewEvent("taken_over", T.replace(minute=40), 1, "p2", "leroy", {"state": "closed"}),
    ])  # fmt: skip
    cur.execute("COMMIT")
    conn.close()
    store = Store(db_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 4
    [(pk, ack, dispatch, closed, escalated, outcomes, handlers, ack_s, dispatch_s)] = (
        review_columns(store.conn)
    )
    assert (pk, ack_s, dispatch_s) == (1, 120.0, None)
    assert (ack, dispatch, closed) == (
        "2025-06-02T04:02:00.000+00:00",
        None,
        "2025-06-02T04:40:00.000+00:00",
    )
    assert (escalated, outcomes, handlers) == (1, "5:verbalisation", {"durand", "leroy"})
    indexes = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"events_kind_at", "events_operator_kind_at", "alerts_closed_late"} <= indexes
    assert "events_kind" not in indexes
    store.close()


def test_the_trigger_keeps_the_earliest_and_ignores_other_kinds(store: Store) -> None:
    alert = Alert("p", "A", T, Category.RIXE, 1)
    [out] = store.commit_batch([AlertMessage(1, alert)], "p1", T)
    assert out.stored is not None
    pk = out.stored.pk
    store.add_event("displayed", pk, "p1", "martin", {}, T.replace(second=1))
    store.add_event("camera_viewed", pk, "p1", "martin", {"camera": "c"}, T.replace(second=2))
    assert review_columns(store.conn)[0][1:] == (None, None, None, 0, None, frozenset(), None, None)
    store.add_event("acknowledged", pk, "p1", "durand", {}, T.replace(minute=5))
    # another station's acknowledgement, logged later but dated earlier, wins
    late = {"from_state": "new", "from_station": None, "from_operator": None}
    store.add_event("update_received", pk, "p2", "leroy", late, T.replace(minute=3))
    # an update that did not come out of « new » is not an acknowledgement
    other = {"from_state": "acknowledged"}
    store.add_event("update_received", pk, "p2", "leroy", other, T.replace(minute=1))
    store.add_event("note", pk, "p1", "durand", {"text": "rappel"}, T.replace(minute=6))
    row = review_columns(store.conn)[0]
    assert (row[1], row[7]) == ("2025-06-02T04:03:00.000+00:00", 180.0)
    assert row[6] == {"durand", "leroy"}
    raw = store.conn.execute("SELECT handlers FROM alerts").fetchone()[0]
    assert raw == "durand\x1fleroy"  # each once, in order of appearance
    assert json.loads(store.events_for(pk)[-1]["details"]) == {"text": "rappel"}
    assert store.verify_chain().ok


def test_the_review_statements_use_their_indexes(store: Store) -> None:
    """What bench/review_query.py shows on a million alerts, checked on an empty base:
    the planner has no statistics there either."""
    from csu_console.core.review.filter import ReviewFilter
    from csu_console.storage import review_sql as q

    f = ReviewFilter(T, T.replace(hour=12))

    def plan(sql: str, params: dict[str, object]) -> str:
        return " | ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))

    assert "USING INDEX alerts_received_at" in plan(*q.alerts_query(f, None, facts=True))
    opened = plan(*q.alerts_query(f, None, open_at_end=True))
    assert "alerts_closed_late" in opened and "alerts_received_at" in opened
    category = plan(*q.alerts_query(f.narrowed(categories={"rixe"}), None))
    assert "alerts_category_received" in category
    bounds = {"start": "a", "end": "b", "since": "a"}
    assert "COVERING INDEX events_operator_kind_at" in plan(
        q.OPERATOR_LOAD.format(extra="", only=""), bounds
    )
    assert "events_kind_at (kind=? AND at>? AND at<?)" in plan(q.MUTES.format(extra=""), bounds)
    steps = plan(q.UNIT_STEPS, {"pks": "[1]", "end": "b"})
    assert "events_alert (alert_pk=? AND at<?)" in steps
    for sql, params in (
        (q.LOGBOOK.format(extra=""), bounds),
        (q.CAMERA_BACKS, bounds),
        (q.OUTAGE_ALERTS, bounds),
        (q.LATER_DISPATCH, {**bounds, "unit": "u"}),
    ):
        assert "SCAN events" not in plan(sql, params) and "SCAN alerts" not in plan(sql, params)
