"""The console's SQLite database: open, classify errors, write batches, read back.

A :class:`Store` is used by one thread only: the writer thread owns the
read-write instance (see :mod:`csu_console.storage.writer`); command-line tools
open their own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from csu_console.core.alerts import (
    Alert,
    AlertState,
    Category,
    Location,
    Reporter,
    StoredAlert,
)
from csu_console.core.protocol import AlertMessage, Rejection
from csu_console.errors import StorageBugError, StorageError
from csu_console.storage.schema import migrate

log = logging.getLogger("csu.storage")

DB_NAME = "csu.sqlite3"

_ENVIRONMENT_MARKERS = (
    "disk is full",
    "database or disk is full",
    "database is locked",
    "readonly",
    "read-only",
    "unable to open",
    "disk i/o error",
    "malformed",
    "not a database",
    "no space",
)


def classify(exc: sqlite3.Error) -> Exception:
    """Split SQLite failures into the environment's fault and ours (a bug)."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and any(
        m in text for m in _ENVIRONMENT_MARKERS
    ):
        return StorageError(f"Base de données indisponible : {exc}")
    return StorageBugError(f"erreur SQLite inattendue : {exc}")


def _close_quietly(conn: sqlite3.Connection | None) -> None:
    """Close a connection that failed to open fully (its own error is secondary)."""
    if conn is None:
        return
    try:
        conn.close()
    except sqlite3.Error as exc:
        log.info("fermeture après échec d'ouverture : %s", exc)


def iso(dt: datetime) -> str:
    """UTC timestamp text with milliseconds; sorts as time."""
    return dt.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Outcome:
    """What happened to one frame of a committed batch."""

    seq: int | None
    kind: str  # "stored" | "duplicate" | "rejected"
    alert_id: str | None = None
    stored: StoredAlert | None = None
    rejection: Rejection | None = None


class Store:
    """One connection to the console database, migrated and in WAL mode."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        conn: sqlite3.Connection | None = None
        try:
            if readonly:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 5000")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                # FULL: an acknowledged alert survives a power cut, not just a crash.
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                migrate(conn)
        except sqlite3.Error as exc:
            _close_quietly(conn)
            raise classify(exc) from exc
        except OSError as exc:
            raise StorageError(f"Impossible d'ouvrir la base {path} : {exc}") from exc
        except StorageBugError:
            _close_quietly(conn)
            raise
        self.conn = conn
        self.db = sqlite_utils.Database(conn)

    def close(self) -> None:
        """Close the connection (checkpoints the WAL when last)."""
        self.conn.close()

    # -- writes -------------------------------------------------------------

    def commit_batch(
        self,
        items: Sequence[AlertMessage | Rejection],
        station: str,
        received_at: datetime | None = None,
    ) -> list[Outcome]:
        """Store a batch of frames in one transaction; dedupe on (source, id)."""
        now = received_at or datetime.now(UTC)
        at = iso(now)
        outcomes: list[Outcome] = []
        max_seq: int | None = None
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            for item in items:
                if item.seq is not None:
                    max_seq = item.seq if max_seq is None else max(max_seq, item.seq)
                if isinstance(item, Rejection):
                    cur.execute(
                        "INSERT INTO rejected (received_at, seq, reason, is_text, raw_size,"
                        " raw_sha256, raw) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            at,
                            item.seq,
                            item.reason,
                            int(item.is_text),
                            item.raw_size,
                            hashlib.sha256(item.raw).hexdigest(),
                            item.raw,
                        ),
                    )
                    outcomes.append(Outcome(item.seq, "rejected", rejection=item))
                    continue
                stored = self._insert_alert(cur, item, now, at, station)
                kind = "stored" if stored is not None else "duplicate"
                outcomes.append(Outcome(item.seq, kind, item.alert.id, stored))
            if max_seq is not None:
                cur.execute(
                    "INSERT INTO meta (key, value) VALUES ('last_seq', ?) ON CONFLICT(key)"
                    " DO UPDATE SET value = max(CAST(value AS INTEGER), excluded.value)",
                    (max_seq,),
                )
            cur.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise classify(exc) from exc
        except BaseException:
            # Not SQLite's doing (a value it cannot bind...): still leave no open
            # transaction behind, or every later batch would fail to BEGIN.
            self._rollback()
            raise
        return outcomes

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _insert_alert(
        self, cur: sqlite3.Cursor, msg: AlertMessage, now: datetime, at: str, station: str
    ) -> StoredAlert | None:
        a = msg.alert
        loc = a.location
        rep = a.reporter
        cur.execute(
            "INSERT OR IGNORE INTO alerts (source, alert_id, seq, fmt, sent, received_at,"
            " category, category_raw, priority, priority_from_rules, title, description,"
            " lat, lon, address, accuracy_m, commune, reporter_pseudonym, reporter_verified,"
            " attachments, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                a.source,
                a.id,
                msg.seq,
                a.fmt,
                iso(a.sent),
                at,
                a.category.value,
                a.category_raw,
                a.priority,
                int(a.priority_from_rules),
                a.title,
                a.description,
                loc.lat if loc else None,
                loc.lon if loc else None,
                loc.address if loc else None,
                loc.accuracy_m if loc else None,
                a.commune,
                rep.pseudonym if rep else None,
                None if rep is None else int(rep.verified),
                json.dumps(list(a.attachments)),
                json.dumps(a.extra, ensure_ascii=False),
            ),
        )
        if cur.rowcount == 0:
            return None
        pk = int(cur.lastrowid or 0)
        cur.execute(
            "INSERT INTO events (alert_pk, at, kind, station, details) VALUES (?, ?, ?, ?, ?)",
            (pk, at, "received", station, json.dumps({"seq": msg.seq, "fmt": a.fmt})),
        )
        return StoredAlert(pk=pk, alert=a, received_at=now, seq=msg.seq)

    def add_event(
        self,
        kind: str,
        alert_pk: int | None = None,
        station: str | None = None,
        operator: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> int:
        """Append one event to the timeline (its own transaction)."""
        try:
            cur = self.conn.execute(
                "INSERT INTO events (alert_pk, at, kind, station, operator, details)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    alert_pk,
                    iso(datetime.now(UTC)),
                    kind,
                    station,
                    operator,
                    json.dumps(details or {}, ensure_ascii=False),
                ),
            )
        except sqlite3.Error as exc:
            raise classify(exc) from exc
        return int(cur.lastrowid or 0)

    # -- reads --------------------------------------------------------------

    def last_seq(self) -> int | None:
        """Highest sequence number whose frame was committed (stored or rejected)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'last_seq'").fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def count(self, table: str) -> int:
        """Row count of ``alerts``, ``rejected`` or ``events``."""
        if table not in ("alerts", "rejected", "events"):
            raise StorageBugError(f"table inconnue {table}")
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def recent_alerts(self, limit: int = 5000) -> list[StoredAlert]:
        """Open alerts first, then the most recent, for the console at start."""
        rows = self.conn.execute(
            "SELECT * FROM alerts ORDER BY (state = 'closed'), received_at DESC LIMIT ?",
            (limit,),
        )
        return [row_to_stored(r, rows.description) for r in rows.fetchall()]

    def recent_rejected(self, limit: int = 500) -> list[dict[str, Any]]:
        """Most recent rejected frames, for the operator's list."""
        return list(
            self.db.query(
                "SELECT pk, received_at, seq, reason, raw_size FROM rejected"
                " ORDER BY pk DESC LIMIT :limit",
                {"limit": limit},
            )
        )

    def events_for(self, alert_pk: int) -> list[dict[str, Any]]:
        """The timeline of one alert, oldest first."""
        return list(
            self.db.query(
                "SELECT at, kind, station, operator, details FROM events"
                " WHERE alert_pk = :pk ORDER BY pk",
                {"pk": alert_pk},
            )
        )

    def iter_rows(
        self, table: str, since: str | None = None, until: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Rows of a table in time order, optionally within [since, until)."""
        column = {"alerts": "received_at", "rejected": "received_at", "events": "at"}[table]
        where, params = [], {}
        if since:
            where.append(f"{column} >= :since")
            params["since"] = since
        if until:
            where.append(f"{column} < :until")
            params["until"] = until
        sql = f"SELECT * FROM {table}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {column}, pk"
        yield from self.db.query(sql, params)


def row_to_stored(row: Sequence[Any], description: Any) -> StoredAlert:
    """Rebuild a :class:`StoredAlert` from an ``alerts`` row."""
    r = {d[0]: v for d, v in zip(description, row, strict=True)}
    location = None
    if r["lat"] is not None and r["lon"] is not None:
        location = Location(r["lat"], r["lon"], r["address"], r["accuracy_m"])
    reporter = None
    if r["reporter_pseudonym"] is not None or r["reporter_verified"] is not None:
        reporter = Reporter(r["reporter_pseudonym"], bool(r["reporter_verified"]))
    alert = Alert(
        source=r["source"],
        id=r["alert_id"],
        sent=datetime.fromisoformat(r["sent"]),
        category=Category(r["category"]),
        category_raw=r["category_raw"],
        priority=r["priority"],
        priority_from_rules=bool(r["priority_from_rules"]),
        title=r["title"],
        description=r["description"],
        location=location,
        commune=r["commune"],
        reporter=reporter,
        attachments=tuple(json.loads(r["attachments"])),
        fmt=r["fmt"],
        extra=json.loads(r["extra"]),
    )
    return StoredAlert(
        pk=r["pk"],
        alert=alert,
        received_at=datetime.fromisoformat(r["received_at"]),
        seq=r["seq"],
        state=AlertState(r["state"]),
        state_station=r["state_station"],
        state_operator=r["state_operator"],
    )
