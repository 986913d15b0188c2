"""Schema migrations, numbered and tracked with ``PRAGMA user_version``.

Append a migration to :data:`MIGRATIONS`; never edit one that has shipped. A
migration is one SQL script, or a sequence of steps (SQL scripts and Python
functions of the connection) run in one transaction.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence

from csu_console.errors import StorageBugError
from csu_console.storage.logbook_audit import chain_existing
from csu_console.storage.review_schema import REVIEW_BACKFILL, REVIEW_TRIGGER, REVIEW_TRIGGER_5

log = logging.getLogger("csu.storage")

Step = str | Callable[[sqlite3.Connection], None]

# The only UPDATE of an event the database lets through: the purge, which seals
# the personal values of ``details`` (marked with "_purged") and forgets the salt;
# every chained column stays as it was (see csu_console.storage.logbook).
_PURGE_SHAPE = """
    NEW.pk = OLD.pk AND NEW.alert_pk IS OLD.alert_pk AND NEW.at = OLD.at
    AND NEW.at_local IS OLD.at_local AND NEW.kind = OLD.kind
    AND NEW.station IS OLD.station AND NEW.operator IS OLD.operator
    AND NEW.details_sha256 IS OLD.details_sha256 AND NEW.prev_hash IS OLD.prev_hash
    AND NEW.hash IS OLD.hash
    AND OLD.details_salt IS NOT NULL AND NEW.details_salt IS NULL
    AND json_valid(NEW.details) AND json_type(NEW.details, '$._purged') = 'array'
"""

MIGRATIONS: list[str | Sequence[Step]] = [
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
    # 3: the logbook's hash chain (existing events are chained here), local time,
    # local accounts, purge marks, snapshots
    (
        """
        DROP TRIGGER events_no_update;
        ALTER TABLE events ADD COLUMN at_local TEXT;
        ALTER TABLE events ADD COLUMN details_salt TEXT;
        ALTER TABLE events ADD COLUMN details_sha256 TEXT;
        ALTER TABLE events ADD COLUMN prev_hash TEXT;
        ALTER TABLE events ADD COLUMN hash TEXT;
        CREATE INDEX events_kind ON events (kind);
        ALTER TABLE alerts ADD COLUMN purged_at TEXT;
        CREATE TABLE users (
            login TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            pw_scheme TEXT NOT NULL,
            pw_salt TEXT NOT NULL,
            pw_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            failed_count INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            created_at TEXT NOT NULL,
            password_changed_at TEXT
        );
        CREATE TABLE snapshots (pk INTEGER PRIMARY KEY, at TEXT NOT NULL, camera_id TEXT NOT NULL, alert_pk INTEGER REFERENCES alerts (pk), path TEXT NOT NULL, sha256 TEXT NOT NULL, width INTEGER, height INTEGER, station TEXT, operator TEXT);
        CREATE INDEX snapshots_alert ON snapshots (alert_pk);
        """,  # noqa: E501 - the snapshots table exactly as agreed with its user
        chain_existing,
        f"""
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events WHEN NOT ({_PURGE_SHAPE})
        BEGIN SELECT RAISE(ABORT, 'events are append-only (only the purge may seal details)');
        END;
        CREATE TRIGGER events_chained BEFORE INSERT ON events
        WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL OR NEW.details_sha256 IS NULL
        BEGIN SELECT RAISE(ABORT, 'events are chained: hash missing'); END;
        """,
    ),
    # 4: the supervisor review (csu_console.storage.review_sql): what each alert's
    # events say, kept on its row by a trigger (and filled here for existing rows);
    # indexes: events by kind then time (replaces events_kind), by operator, kind
    # and time (the operators' load, counted in the index); alerts by category then
    # time, and the few closed more than 3 hours after they came (with the alerts of
    # the last 3 hours, those still open at the end of a past period). Steps, not a
    # script: the console and its link's process may both migrate at once.
    (
        f"""
        DROP INDEX events_kind;
        CREATE INDEX events_kind_at ON events (kind, at);
        CREATE INDEX events_operator_kind_at ON events (operator, kind, at);
        CREATE INDEX alerts_category_received ON alerts (category, received_at);
        CREATE INDEX alerts_closed_late ON alerts (state_at, received_at)
            WHERE state = 'closed' AND julianday(state_at) - julianday(received_at) > 0.125;
        ALTER TABLE alerts ADD COLUMN ack_at TEXT;
        ALTER TABLE alerts ADD COLUMN ack_s REAL;
        ALTER TABLE alerts ADD COLUMN dispatch_at TEXT;
        ALTER TABLE alerts ADD COLUMN dispatch_s REAL;
        ALTER TABLE alerts ADD COLUMN closed_at TEXT;
        ALTER TABLE alerts ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE alerts ADD COLUMN outcomes TEXT;
        ALTER TABLE alerts ADD COLUMN handlers TEXT;
        {REVIEW_BACKFILL}
        {REVIEW_TRIGGER}
        """,
    ),
    # 5: closing qualifications and reopenings in the review (issue 14): the review
    # trigger also reads ``closed`` events' qualification and ``reopened`` events.
    # Nothing to backfill: neither existed before.
    (REVIEW_TRIGGER_5,),
    # 6: the hub extension (docs/protocol.md § 9): the station's outbox of durable
    # ``status`` / ``unit`` / ``escalate`` messages, sent until answered (written in
    # the same transaction as the state change), and the hub's claims of alerts this
    # station has not stored yet (applied when the alert arrives).
    (
        """
        CREATE TABLE status_outbox (
            pk INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            sent_at TEXT,
            answered_at TEXT,
            result TEXT,
            message TEXT
        );
        CREATE INDEX status_outbox_waiting ON status_outbox (pk) WHERE answered_at IS NULL;
        CREATE INDEX status_outbox_answered ON status_outbox (answered_at);
        CREATE TABLE hub_pending_claims (
            source TEXT NOT NULL,
            alert_id TEXT NOT NULL,
            claim TEXT NOT NULL,
            at TEXT NOT NULL, -- when it was kept

            PRIMARY KEY (source, alert_id)
        );
        """,
    ),
    # 7: one main courante for the CSU (issue 16). Alerts: the salt of their sealed
    # personal fields (the ``received`` event carries the digest of the fields in
    # sealed form, like an event's details) and the zone kept for the statistics
    # once the exact place is sealed. ``peer_events``: the read-only copy of the
    # other stations' events, chained per station (``seq`` is the event's pk at its
    # station, ``alert_pk`` the alert's pk there, ``alert_source``/``alert_id`` its
    # key). ``witness_heads``: chain heads signed by a station (Ed25519), witnessed
    # here. ``peer_events.event_station``: the event's own ``station`` column when
    # it is not the publishing station's id (the command line's ``cli``, NULL for
    # ``chain_started``; '' when the same): the link's hash covers it.
    # ``legal_holds``: records under a judicial requisition, exempt from the
    # purge until released.
    (
        """
        ALTER TABLE alerts ADD COLUMN fields_salt TEXT;
        ALTER TABLE alerts ADD COLUMN zone TEXT;
        CREATE TABLE peer_events (
            station TEXT NOT NULL,
            seq INTEGER NOT NULL,
            alert_pk INTEGER,
            alert_source TEXT,
            alert_id TEXT,
            at TEXT NOT NULL,
            at_local TEXT,
            kind TEXT NOT NULL,
            operator TEXT,
            details TEXT NOT NULL,
            details_salt TEXT,
            details_sha256 TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            received_at TEXT NOT NULL,
            event_station TEXT DEFAULT '',
            PRIMARY KEY (station, seq)
        );
        CREATE INDEX peer_events_at ON peer_events (at);
        CREATE INDEX peer_events_alert ON peer_events (alert_source, alert_id);
        CREATE TABLE witness_heads (
            station TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            at TEXT NOT NULL,
            reason TEXT NOT NULL,
            public_key TEXT NOT NULL,
            signature TEXT NOT NULL,
            received_at TEXT NOT NULL,
            event_station TEXT DEFAULT '',
            PRIMARY KEY (station, seq)
        );
        CREATE TABLE legal_holds (
            pk INTEGER PRIMARY KEY,
            target TEXT NOT NULL CHECK (target IN ('alert', 'snapshot', 'extraction')),
            target_ref TEXT NOT NULL,
            reference TEXT NOT NULL,
            held_at TEXT NOT NULL,
            held_by TEXT,
            station TEXT,
            released_at TEXT,
            released_by TEXT,
            release_reason TEXT
        );
        CREATE INDEX legal_holds_active ON legal_holds (target, target_ref)
            WHERE released_at IS NULL;
        -- the hourly purge reads only what it still has to seal: events (ours and the
        -- other stations) with personal details in clear, alerts not purged or
        -- still holding their salt. alerts_legacy_max_pk: the last alert stored
        -- without a digest (emptied, not sealed, by the purge)
        CREATE INDEX events_salted ON events (at) WHERE details_salt IS NOT NULL;
        CREATE INDEX alerts_unpurged ON alerts (received_at) WHERE purged_at IS NULL;
        CREATE INDEX alerts_salted ON alerts (received_at) WHERE fields_salt IS NOT NULL;
        CREATE INDEX peer_events_salted ON peer_events (at) WHERE details_salt IS NOT NULL;
        INSERT OR REPLACE INTO meta (key, value)
            SELECT 'alerts_legacy_max_pk', coalesce(max(pk), 0) FROM alerts
            WHERE fields_salt IS NULL;
        """,
    ),
    # 8: partners' CAP alerts as real feeds send them (issue 17). Alerts: their area
    # (GeoJSON), ``expires``, the message's facts (CapFacts JSON), what the issuer
    # made of them (cancelled, expired) and how many Updates replaced their content.
    # ``cap_messages``: every CAP message by (sender, identifier), so a repeat is a
    # duplicate and a reference to an Update's own identifier finds its alert (the
    # CAP alerts already stored are entered here). ``alert_versions``: the content an
    # Update replaced. ``cap_pending`` (+ ``cap_pending_refs``): an Update or Cancel
    # waiting for the alerts it references. ``cap_documents``: the raw documents'
    # bytes, once per SHA-256. The expiry sweep reads only what may still expire.
    (
        """
        ALTER TABLE alerts ADD COLUMN area TEXT;
        ALTER TABLE alerts ADD COLUMN expires TEXT;
        ALTER TABLE alerts ADD COLUMN cap TEXT;
        ALTER TABLE alerts ADD COLUMN issuer_state TEXT;
        ALTER TABLE alerts ADD COLUMN issuer_state_at TEXT;
        ALTER TABLE alerts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX alerts_expiring ON alerts (expires)
            WHERE expires IS NOT NULL AND issuer_state IS NULL AND state != 'closed';
        CREATE TABLE cap_messages (
            pk INTEGER PRIMARY KEY,
            sender TEXT NOT NULL,
            identifier TEXT NOT NULL,
            sent TEXT NOT NULL,
            msg_type TEXT NOT NULL,
            status TEXT NOT NULL,
            disposition TEXT NOT NULL,
            alert_pk INTEGER REFERENCES alerts (pk),
            document_sha256 TEXT,
            received_at TEXT NOT NULL,
            seq INTEGER,
            summary TEXT NOT NULL DEFAULT '',
            UNIQUE (sender, identifier)
        );
        CREATE INDEX cap_messages_alert ON cap_messages (alert_pk);
        CREATE INDEX cap_messages_document ON cap_messages (document_sha256);
        CREATE INDEX cap_messages_feed ON cap_messages (pk) WHERE disposition != 'new';
        CREATE TABLE alert_versions (
            alert_pk INTEGER NOT NULL REFERENCES alerts (pk),
            version INTEGER NOT NULL,
            row TEXT NOT NULL,
            replaced_at TEXT NOT NULL,
            by_sender TEXT NOT NULL,
            by_identifier TEXT NOT NULL,
            purged_at TEXT,
            PRIMARY KEY (alert_pk, version)
        );
        CREATE INDEX alert_versions_unpurged ON alert_versions (replaced_at)
            WHERE purged_at IS NULL;
        CREATE TABLE cap_pending (
            message_pk INTEGER PRIMARY KEY REFERENCES cap_messages (pk),
            sent_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            frame TEXT NOT NULL,
            applied TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX cap_pending_received ON cap_pending (received_at);
        CREATE TABLE cap_pending_refs (
            message_pk INTEGER NOT NULL REFERENCES cap_pending (message_pk),
            sender TEXT NOT NULL,
            identifier TEXT NOT NULL,
            PRIMARY KEY (sender, identifier, message_pk)
        );
        CREATE INDEX cap_pending_refs_message ON cap_pending_refs (message_pk);
        CREATE TABLE cap_documents (
            sha256 TEXT PRIMARY KEY,
            bytes BLOB NOT NULL,
            size INTEGER NOT NULL,
            stored_at TEXT NOT NULL
        );
        CREATE INDEX cap_documents_stored ON cap_documents (stored_at);
        INSERT OR IGNORE INTO cap_messages (sender, identifier, sent, msg_type, status,
            disposition, alert_pk, document_sha256, received_at, seq, summary)
            SELECT a.source, a.alert_id, a.sent, 'Alert', 'Actual', 'new', a.pk,
                (SELECT e.details ->> 'raw_sha256' FROM events e
                 WHERE e.alert_pk = a.pk AND e.kind = 'received' ORDER BY e.pk LIMIT 1),
                a.received_at, a.seq, a.title
            FROM alerts a WHERE a.fmt = 'cap' ORDER BY a.pk;
        """,
    ),
    # 9: video extractions on judicial requisition (issue 18): the register. One row
    # per extraction (written with its ``extraction`` event and its legal hold, one
    # transaction): the requisition (every field required), the cameras and the
    # period (JSON array, ISO UTC), the destination folder, the files written (JSON:
    # name, sha256, size, first and last frame, gaps), the procès-verbal's name and
    # SHA-256, the main courante's chain head when it was made. Never purged: the
    # register of extractions is what the CNIL asks for (no citizen data in it).
    (
        """
        CREATE TABLE extractions (
            pk INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            station TEXT,
            operator TEXT,
            requisition_number TEXT NOT NULL CHECK (trim(requisition_number) != ''),
            requisition_service TEXT NOT NULL CHECK (trim(requisition_service) != ''),
            requisition_opj TEXT NOT NULL CHECK (trim(requisition_opj) != ''),
            requisition_issued_on TEXT NOT NULL CHECK (requisition_issued_on != ''),
            cameras TEXT NOT NULL CHECK (json_array_length(cameras) > 0),
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL CHECK (period_end > period_start),
            folder TEXT NOT NULL,
            files TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files)),
            report_name TEXT NOT NULL DEFAULT '',
            report_sha256 TEXT NOT NULL DEFAULT '',
            chain_head TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX extractions_at ON extractions (at);
        CREATE INDEX extractions_period ON extractions (period_start);
        """,
    ),
    # 10: weak signals (issue 19): one row per finding of the detector, by its stable
    # id (``core.weak_signals.model.signal_id``). A rescan that finds it again updates
    # the figures and ``last_seen`` and keeps the supervisor's decision: ``status``
    # (nouveau, suivi, sans_suite), who made it, where, when, and the comment. Lists
    # (zones, communes, alerts as [source, id], places as [lon, lat]) are JSON.
    (
        """
        CREATE TABLE signals (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            test TEXT NOT NULL,
            strength REAL NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            observed INTEGER NOT NULL,
            expected REAL NOT NULL,
            p_value REAL NOT NULL,
            category TEXT,
            zone_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(zone_ids)),
            communes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(communes)),
            term TEXT,
            alerts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(alerts)),
            places TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(places)),
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            station TEXT,
            status TEXT NOT NULL DEFAULT 'nouveau'
                CHECK (status IN ('nouveau', 'suivi', 'sans_suite')),
            status_by TEXT,
            status_station TEXT,
            status_at TEXT,
            comment TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX signals_last_seen ON signals (last_seen);
        CREATE INDEX signals_status ON signals (status);
        """,
    ),
    # 11: groups shared across stations (issue 19, docs/protocol.md § 9.9): every
    # group change known here (this station's merges and splits, the other stations'
    # and the hub's automatic decisions), as JSON, with the hub's sequence number
    # once the hub stored it (NULL: made here, not confirmed yet). Replayed at start
    # in that order (core.group_ledger), so a restarted console shows the same
    # groups before the hub answers. ``meta.groups_from_hub``: the last connection
    # was to a hub that decides the automatic groups (the local rule stays off).
    """
    CREATE TABLE IF NOT EXISTS group_changes (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
        change TEXT NOT NULL CHECK (json_valid(change)),
        at TEXT NOT NULL,
        station TEXT NOT NULL,
        hub_seq INTEGER,
        stored_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS group_changes_seq ON group_changes (hub_seq);
    """,
    # 12: free viewing (issue 20, storage/viewing.py): per station, the saved wall
    # layouts (grid and the camera of each tile, JSON), the tours (cameras in turn,
    # dwell, grid) and the favourite cameras of the browser. By name per station.
    """
    CREATE TABLE IF NOT EXISTS wall_layouts (
        station TEXT NOT NULL,
        name TEXT NOT NULL,
        columns INTEGER NOT NULL CHECK (columns BETWEEN 1 AND 4),
        cameras TEXT NOT NULL CHECK (json_valid(cameras)),
        saved_at TEXT NOT NULL,
        saved_by TEXT,
        PRIMARY KEY (station, name)
    );
    CREATE TABLE IF NOT EXISTS tours (
        station TEXT NOT NULL,
        name TEXT NOT NULL,
        cameras TEXT NOT NULL CHECK (json_valid(cameras)),
        dwell_s REAL NOT NULL CHECK (dwell_s > 0),
        columns INTEGER NOT NULL CHECK (columns BETWEEN 1 AND 4),
        saved_at TEXT NOT NULL,
        saved_by TEXT,
        PRIMARY KEY (station, name)
    );
    CREATE TABLE IF NOT EXISTS camera_favourites (
        station TEXT NOT NULL,
        camera_id TEXT NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (station, camera_id)
    );
    """,
    # 13: a password given by someone else (an administrator's new account or reset,
    # storage/users.py) is to be changed by its holder at the next login. A step, not
    # a script: adding a column is not re-runnable, the step checks first.
    (lambda conn: _add_column(conn, "users", "must_change", "INTEGER NOT NULL DEFAULT 0"),),
]


def _add_column(conn: sqlite3.Connection, table: str, column: str, decl: str) -> None:
    """``ALTER TABLE … ADD COLUMN`` unless ``table`` has it already."""
    have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    if column not in have:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")


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
        migration = MIGRATIONS[version]
        if isinstance(migration, str):
            conn.executescript("BEGIN;" + migration + f";PRAGMA user_version={version + 1};COMMIT;")
        else:
            _run_steps(conn, migration, version + 1)
    return found


def _statements(script: str) -> list[str]:
    """Split a script into statements (``;`` inside trigger bodies and strings kept)."""
    out: list[str] = []
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\n;"):
                out.append(buf.strip())
            buf = ""
    if buf.strip(" \t\n;"):
        raise StorageBugError(f"migration : instruction incomplète {buf.strip()[:60]!r}")
    return out


def _run_steps(conn: sqlite3.Connection, steps: Sequence[Step], version: int) -> None:
    """Every step, then the new ``user_version``, in one transaction (``executescript``
    would commit between steps)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # The console and its alert link's process open the file at the same time:
        # the other one may have migrated while we waited for the write lock.
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= version:
            conn.execute("COMMIT")
            return
        for step in steps:
            if isinstance(step, str):
                for statement in _statements(step):
                    conn.execute(statement)
            else:
                step(conn)
        conn.execute(f"PRAGMA user_version={version}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
