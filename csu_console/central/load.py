"""A station's SQLite book into the central PostgreSQL without the hub: for a
site that starts its central review with its history, for the tests (the same
data on both sides) and the benchmark.

:func:`copy_station` goes through the collector's own inserts (triggers, links
re-checked); :func:`bulk_copy` uses ``COPY`` with the triggers off, then folds
the review's columns of every alert in one statement (:data:`~csu_console.central.schema.FOLD`).
Each event keeps its book (the station's id), its sequence (its pk there) and
its own ``station`` column; its alert is named by (source, id).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from csu_console.central.schema import DDL, FOLD, ensure_schema
from csu_console.central.store import (
    EVENT_COLUMNS,
    event_values,
    insert_alerts,
    insert_events,
    link_ok,
)
from csu_console.core.book_wire import EventRecord
from csu_console.storage.store import ALERT_COLUMNS

_EVENTS = """
SELECT e.pk, e.alert_pk, a.source, a.alert_id, e.at, e.at_local, e.kind, e.station, e.operator,
       e.details, e.details_salt, e.details_sha256, e.prev_hash, e.hash
FROM events e LEFT JOIN alerts a ON a.pk = e.alert_pk
WHERE e.pk > ? ORDER BY e.pk
"""
_ALERTS = f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts WHERE pk > ? ORDER BY pk"


def sqlite_records(conn: sqlite3.Connection, book: str, after: int = 0) -> Iterator[EventRecord]:
    """The events of a station's database as they travel (``book``: the station's id)."""
    for r in conn.execute(_EVENTS, (after,)):
        pk, alert_pk, source, alert_id, at, local, kind, station, operator = r[:9]
        details, salt, digest, prev_hash, h = r[9:]
        yield EventRecord(
            book, pk, at, local, kind, operator, json.loads(details or "{}"), salt,
            digest or "", prev_hash or "", h or "", alert_pk, source, alert_id,
            event_station="" if station == book else station,
        )  # fmt: skip


def copy_station(sqlite_conn: sqlite3.Connection, pg_conn: Any, book: str) -> tuple[int, int]:
    """Alerts then events of one station's database, through the collector's
    inserts, committed; (new alerts, new events)."""
    ensure_schema(pg_conn)
    with pg_conn.transaction(), pg_conn.cursor() as cur:
        alerts = insert_alerts(cur, sqlite_conn.execute(_ALERTS, (0,)).fetchall())
        events = len(insert_events(cur, list(sqlite_records(sqlite_conn, book))))
    return alerts, events


_ALERT_COPY = ("pk", *ALERT_COLUMNS)
_EVENT_COPY = ("pk", "alert_pk", *EVENT_COLUMNS)


def bulk_copy(
    sqlite_conn: sqlite3.Connection,
    pg_conn: Any,
    book: str,
    *,
    check_links: bool = False,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Every alert and event of a station's database by ``COPY`` into an empty
    central database (same pks), its indexes built after, the review's columns
    folded at the end; committed. ``check_links`` recomputes each link (slower)."""
    say = progress or (lambda _text: None)
    ensure_schema(pg_conn)
    with pg_conn.transaction():
        pg_conn.execute("ALTER TABLE alerts DISABLE TRIGGER USER")
        pg_conn.execute("ALTER TABLE events DISABLE TRIGGER USER")
        indexes = pg_conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename IN ('alerts', 'events') AND indexname NOT LIKE '%%pkey'"
            " AND indexname NOT LIKE '%%_key'"
        ).fetchall()
        for (name,) in indexes:
            pg_conn.execute(f'DROP INDEX "{name}"')
    with pg_conn.transaction(), pg_conn.cursor() as cur:
        cols = ", ".join(_ALERT_COPY)
        with cur.copy(f"COPY alerts ({cols}) FROM STDIN") as copy:
            for row in sqlite_conn.execute(f"SELECT pk, {', '.join(ALERT_COLUMNS)} FROM alerts"):
                copy.write_row(row)
        say("alertes copiées")
        with cur.copy(f"COPY events ({', '.join(_EVENT_COPY)}) FROM STDIN") as copy:
            for r in sqlite_records(sqlite_conn, book):
                ok = link_ok(r) if check_links else True
                values = event_values(r, ok)
                copy.write_row([r.seq, r.alert_pk, *values])
        say("événements copiés")
    with pg_conn.transaction():
        pg_conn.execute(DDL)  # the indexes again, and the triggers
        pg_conn.execute("ALTER TABLE alerts ENABLE TRIGGER USER")
        pg_conn.execute("ALTER TABLE events ENABLE TRIGGER USER")
        for table in ("alerts", "events"):
            pg_conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'pk'),"
                f" (SELECT coalesce(max(pk), 0) + 1 FROM {table}), false)"
            )
    say("index construits")
    with pg_conn.transaction():
        pg_conn.execute(FOLD.format(where="true"))
    pg_conn.execute("ANALYZE alerts")
    pg_conn.execute("ANALYZE events")
    say("colonnes de la revue calculées")
