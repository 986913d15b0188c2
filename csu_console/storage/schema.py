"""Schema migrations, numbered and tracked with ``PRAGMA user_version``.

Append a migration to :data:`MIGRATIONS`; never edit one that has shipped.
"""

from __future__ import annotations

import logging
import sqlite3

from csu_console.errors import StorageBugError

log = logging.getLogger("csu.storage")

MIGRATIONS: list[str] = [
    # 1: alerts, rejected frames, the events timeline, link metadata
    """
    CREATE TABLE alerts (
        pk INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        alert_id TEXT NOT NULL,
        seq INTEGER,
        fmt TEXT NOT NULL,
        sent TEXT NOT NULL,
        received_at TEXT NOT NULL,
        category TEXT NOT NULL,
        category_raw TEXT,
        priority INTEGER NOT NULL,
        priority_from_rules INTEGER NOT NULL DEFAULT 0,
        title TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        lat REAL,
        lon REAL,
        address TEXT,
        accuracy_m REAL,
        commune TEXT,
        reporter_pseudonym TEXT,
        reporter_verified INTEGER,
        attachments TEXT NOT NULL DEFAULT '[]',
        extra TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'new',
        state_station TEXT,
        state_operator TEXT,
        state_at TEXT,
        UNIQUE (source, alert_id)
    );
    CREATE INDEX alerts_received_at ON alerts (received_at);
    CREATE INDEX alerts_state ON alerts (state, priority);
    CREATE TABLE rejected (
        pk INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        seq INTEGER,
        reason TEXT NOT NULL,
        is_text INTEGER NOT NULL,
        raw_size INTEGER NOT NULL,
        raw_sha256 TEXT NOT NULL,
        raw BLOB NOT NULL
    );
    CREATE INDEX rejected_received_at ON rejected (received_at);
    CREATE INDEX rejected_seq ON rejected (seq, raw_sha256);
    CREATE TABLE events (
        pk INTEGER PRIMARY KEY,
        alert_pk INTEGER REFERENCES alerts (pk),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        station TEXT,
        operator TEXT,
        details TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_alert ON events (alert_pk, at);
    CREATE INDEX events_at ON events (at);
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT
    );
    """,
    # 2: the events timeline is append-only, enforced by the database itself
    """
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`; returns the version found."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise StorageBugError(
            f"base de données en version {found}, plus récente que ce logiciel "
            f"({SCHEMA_VERSION}) : mettez la console à jour"
        )
    for version in range(found, SCHEMA_VERSION):
        log.info("migration du schéma %d -> %d", version, version + 1)
        conn.executescript(
            "BEGIN;" + MIGRATIONS[version] + f";PRAGMA user_version={version + 1};COMMIT;"
        )
    return found
