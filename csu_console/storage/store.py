"""The console's SQLite database: open, classify errors, write batches, read back.

A :class:`Store` is used by one thread only: the writer thread owns the
read-write instance (see :mod:`csu_console.storage.writer`); command-line tools
open their own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from csu_console.core.alerts import StoredAlert
from csu_console.core.hub_protocol import ClaimRecord
from csu_console.core.intake import Outcome
from csu_console.core.protocol import AlertMessage, Rejection
from csu_console.errors import StorageBugError, StorageError
from csu_console.storage import alert_seal, cap_lifecycle
from csu_console.storage.cap_store import CapStoreMixin
from csu_console.storage.codec import classify, iso, row_to_stored
from csu_console.storage.dispatch import DispatchMixin
from csu_console.storage.groups import GroupsMixin
from csu_console.storage.hub_state import HubStateMixin
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.logbook_audit import ChainReport, verify_chain
from csu_console.storage.outbox import OutboxMixin
from csu_console.storage.retention import RetentionMixin
from csu_console.storage.schema import migrate
from csu_console.storage.users import UsersMixin
from csu_console.storage.viewing import ViewingMixin

log = logging.getLogger("csu.storage")

DB_NAME = "csu.sqlite3"


def _close_quietly(conn: sqlite3.Connection | None) -> None:
    """Close a connection that failed to open fully (its own error is secondary)."""
    if conn is None:
        return
    try:
        conn.close()
    except sqlite3.Error as exc:
        log.info("fermeture après échec d'ouverture : %s", exc)


ALERT_COLUMNS = (
    "source", "alert_id", "seq", "fmt", "sent", "received_at", "category", "category_raw",
    "priority", "priority_from_rules", "title", "description", "lat", "lon", "address",
    "accuracy_m", "commune", "reporter_pseudonym", "reporter_verified", "attachments", "extra",
)  # fmt: skip
_INSERTED_COLUMNS = (*ALERT_COLUMNS, "fields_salt")
_BULK_INSERT = (
    f"INSERT OR IGNORE INTO alerts ({', '.join(_INSERTED_COLUMNS)}) SELECT "
    + ", ".join(f"value ->> {i}" for i in range(len(_INSERTED_COLUMNS)))
    + " FROM json_each(?) ORDER BY key"
)


def _alert_row(msg: AlertMessage, at: str) -> list[Any]:
    """One alert as a JSON array in :data:`ALERT_COLUMNS` order."""
    a, loc, rep = msg.alert, msg.alert.location, msg.alert.reporter
    return [
        a.source, a.id, msg.seq, a.fmt, iso(a.sent), at, a.category.value, a.category_raw,
        a.priority, int(a.priority_from_rules), a.title, a.description,
        loc.lat if loc else None, loc.lon if loc else None,
        loc.address if loc else None, loc.accuracy_m if loc else None,
        a.commune, rep.pseudonym if rep else None,
        None if rep is None else int(rep.verified),
        json.dumps(list(a.attachments)), json.dumps(a.extra, ensure_ascii=False),
    ]  # fmt: skip


def _received_details(msg: AlertMessage, row: list[Any], salt: str) -> dict[str, Any]:
    """The ``received`` event's details: the frame's and the stored fields' digests."""
    whole, parts = alert_seal.new_row_digest(row, msg.alert.extra, salt)
    details: dict[str, Any] = {"seq": msg.seq, "fmt": msg.alert.fmt}
    raw = msg.raw_sha256
    if raw is not None:
        details["raw_sha256"] = raw
    details["alert_sha256"] = whole
    details["alert_parts"] = parts
    return details


def _cap_outcome(
    item: AlertMessage, result: cap_lifecycle.CapResult, shown: Mapping[int, StoredAlert]
) -> Outcome:
    """A CAP message's outcome: the alert(s) it shows as they are after the batch."""
    stored = shown.get(result.pk) if result.pk is not None else None
    others = tuple(shown[p] for p in result.others if p in shown)
    rings = result.rings and (stored is None or stored.issuer_state is None)
    return Outcome(item.seq, result.kind, item.alert.id, stored, rings=rings, others=others)


#: The zone of ``at_local`` for stores opened without one: see :func:`use_timezone`.
_process_tz: tzinfo | None = None


@contextlib.contextmanager
def use_timezone(name: str | None) -> Iterator[None]:
    """While in the block, every :class:`Store` opened without a zone writes its
    events' local time in ``name`` (the site's ``[site] timezone``). For the
    command line, whose sub-commands open stores in many places."""
    global _process_tz  # noqa: PLW0603 - one site, one zone per command
    previous, _process_tz = _process_tz, ZoneInfo(name) if name else None
    try:
        yield
    finally:
        _process_tz = previous


class Store(
    HubStateMixin,
    OutboxMixin,
    DispatchMixin,
    UsersMixin,
    RetentionMixin,
    CapStoreMixin,
    GroupsMixin,
    ViewingMixin,
):
    """One connection to the console database, migrated and in WAL mode.

    Alerts and frames here; alert states in :mod:`~csu_console.storage.claims`,
    dispatch and shifts in :mod:`~csu_console.storage.dispatch`, accounts in
    :mod:`~csu_console.storage.users`, the purge in :mod:`~csu_console.storage.retention`;
    every event goes through :func:`~csu_console.storage.logbook.append_events`.
    """

    def __init__(self, path: Path, *, readonly: bool = False, tz: tzinfo | None = None) -> None:
        self.path = path
        #: Zone of the events' ``at_local`` (None: the machine's); see ``set_timezone``.
        self.tz = tz if tz is not None else _process_tz
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

    def set_timezone(self, name: str) -> None:
        """Write the events' local time in the site's zone (``[site] timezone``)."""
        self.tz = ZoneInfo(name)

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
        """Store a batch of frames in one transaction; dedupe on (source, id).

        One outcome per item, in order. Partners' CAP messages go through their
        life cycle (:mod:`~csu_console.storage.cap_lifecycle`: ``updated``,
        ``cancelled``, ``pending``, ``logged``, ``duplicate`` by any CAP message's
        (sender, identifier)); the alert a CAP outcome carries is as it is at the
        end of the batch (pending Updates/Cancels applied, claims written); its
        ``rings`` is False once the issuer cancelled it or it expired.

        The alerts of a batch go in with one ``INSERT … SELECT FROM json_each(?)``
        and their "received" events, chained in Python, with one multi-row insert
        (:func:`~csu_console.storage.logbook.append_events`): a handful of SQLite
        calls per batch instead of two per alert, so the storage thread does not
        fight the network and GUI threads for the GIL on every row.
        """
        now = received_at or datetime.now(UTC)
        # As stored (milliseconds): the alert in memory is the one read back later,
        # and a batch's JSON and CAP alerts (the latter read back) share one time.
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        at = iso(now)
        alerts = [i for i in items if isinstance(i, AlertMessage)]
        # Partners' CAP messages go one by one through their life cycle (update,
        # cancel, pending, feed log: storage.cap_lifecycle), the rest in bulk, in
        # the batch's order (runs of bulk alerts between them).
        caps = {
            i
            for i, m in enumerate(items)
            if isinstance(m, AlertMessage) and cap_lifecycle.goes_through(m)
        }
        seqs = [i.seq for i in items if i.seq is not None]
        with self._transaction() as cur:
            new_pks: dict[tuple[str, str], int] = {}
            cap_pks: dict[tuple[str, str], int] = {}
            results: dict[int, cap_lifecycle.CapResult] = {}
            if not caps:
                new_pks = self._insert_bulk(cur, alerts, now, station)
            else:
                cycle = cap_lifecycle.CapLifecycle(cur, now, station, self.tz)
                run: list[AlertMessage] = []
                for i, item in enumerate(items):
                    if not isinstance(item, AlertMessage):
                        continue
                    if i not in caps:
                        run.append(item)
                        continue
                    if run:
                        new_pks.update(self._insert_bulk(cur, run, now, station))
                        run = []
                    done = results[i] = cycle.apply(item)
                    if done.new_pk is not None:
                        cap_pks[item.alert.key] = done.new_pk
                if run:
                    new_pks.update(self._insert_bulk(cur, run, now, station))
            claims = self._claims_for(cur, alerts, {**new_pks, **cap_pks})
            shown = cap_lifecycle.read_stored(
                cur, sorted({p for r in results.values() for p in (r.pk, *r.others) if p})
            )
            outcomes: list[Outcome] = []
            for position, item in enumerate(items):
                if isinstance(item, Rejection):
                    self._insert_rejection(cur, item, at)
                    outcomes.append(Outcome(item.seq, "rejected", rejection=item))
                    continue
                cap_result = results.get(position)
                if cap_result is not None:
                    outcomes.append(_cap_outcome(item, cap_result, shown))
                    continue
                pk = new_pks.pop(item.alert.key, None)  # first occurrence wins
                stored = None
                if pk is not None:
                    stored = StoredAlert(pk=pk, alert=item.alert, received_at=now, seq=item.seq)
                    claim = claims.get(pk)
                    if claim is not None:
                        stored = replace(
                            stored,
                            state=claim.state,
                            state_station=claim.station,
                            state_operator=claim.operator,
                        )
                kind = "stored" if stored is not None else "duplicate"
                outcomes.append(Outcome(item.seq, kind, item.alert.id, stored))
            if seqs:
                # meta.value is TEXT: compare as integers (text sorts above any number).
                cur.execute(
                    "INSERT INTO meta (key, value) VALUES ('last_seq', ?) ON CONFLICT(key)"
                    " DO UPDATE SET value ="
                    " max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                    (max(seqs),),
                )
        return outcomes

    def _insert_bulk(
        self, cur: sqlite3.Cursor, bulk: Sequence[AlertMessage], now: datetime, station: str
    ) -> dict[tuple[str, str], int]:
        """Insert alerts with one statement (new keys only), their "received" events
        with one more; the pks of the keys inserted."""
        if not bulk:
            return {}
        before = int(cur.execute("SELECT coalesce(max(pk), 0) FROM alerts").fetchone()[0])
        at = iso(now)
        rows = [_alert_row(m, at) for m in bulk]
        salts = alert_seal.new_salts(len(rows))
        text = json.dumps([[*r, s] for r, s in zip(rows, salts, strict=True)], ensure_ascii=False)
        cur.execute(_BULK_INSERT, (text,))
        inserted = sorted(
            json.loads(
                cur.execute(
                    "SELECT json_group_array(json_array(pk, source, alert_id, seq, fmt))"
                    " FROM alerts WHERE pk > ?",
                    (before,),
                ).fetchone()[0]
            )
        )
        # The first occurrence of a key in the batch is the one stored.
        index: dict[tuple[str, str], int] = {}
        for i, m in enumerate(bulk):
            index.setdefault(m.alert.key, i)
        # Their "received" events, in alert order, chained in one statement.
        received = []
        for pk, src, aid, _seq, _fmt in inserted:
            i = index[(src, aid)]
            details = _received_details(bulk[i], rows[i], salts[i])
            received.append(NewEvent("received", now, pk, station, details=details))
        append_events(cur, received, self.tz)
        return {(src, aid): pk for pk, src, aid, _seq, _fmt in inserted}

    def _claims_for(
        self,
        cur: sqlite3.Cursor,
        alerts: Sequence[AlertMessage],
        new_pks: Mapping[tuple[str, str], int],
    ) -> dict[int, ClaimRecord]:
        """The hub's claims of the alerts just inserted (the frame's own, else one
        kept from a ``sync`` or ``claim``), written on their rows: an alert handled
        while this station was away is stored handled, and never rings."""
        claims = self.take_pending_claims(cur, dict(new_pks))
        for msg in alerts:
            pk = new_pks.get(msg.alert.key)
            if msg.claim is not None and pk is not None:
                claims[pk] = msg.claim  # the frame's, sent after any kept one
        for pk, record in claims.items():
            self._claim_row(cur, pk, record)
        return claims

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; any failure rolls back (SQLite's is classified)."""
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            yield cur
            cur.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise classify(exc) from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @staticmethod
    def _insert_rejection(cur: sqlite3.Cursor, item: Rejection, at: str) -> None:
        digest = hashlib.sha256(item.raw).hexdigest()
        if (
            item.seq is not None
            and cur.execute(
                "SELECT 1 FROM rejected WHERE seq = ? AND raw_sha256 = ?", (item.seq, digest)
            ).fetchone()
        ):
            return  # the gateway resent a frame we already rejected: keep one copy
        cur.execute(
            "INSERT INTO rejected (received_at, seq, reason, is_text, raw_size,"
            " raw_sha256, raw) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (at, item.seq, item.reason, int(item.is_text), item.raw_size, digest, item.raw),
        )

    def add_event(
        self,
        kind: str,
        alert_pk: int | None = None,
        station: str | None = None,
        operator: str | None = None,
        details: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> int:
        """Append one event to the logbook (its own transaction), e.g. ``muted``; its pk.

        ``at`` defaults to now. Kinds are listed in
        :class:`~csu_console.core.logbook.EventKind`.
        """
        event = NewEvent(kind, at or datetime.now(UTC), alert_pk, station, operator, details)
        with self._transaction() as cur:
            [pk] = append_events(cur, [event], self.tz)
        return pk

    def add_events(self, events: Sequence[NewEvent]) -> list[int]:
        """Append several events in one transaction (e.g. "displayed" for a batch)."""
        with self._transaction() as cur:
            return append_events(cur, events, self.tz)

    def verify_chain(self) -> ChainReport:
        """Check the logbook's hash chain; the first broken link if any."""
        try:
            return verify_chain(self.conn)
        except sqlite3.Error as exc:
            raise classify(exc) from exc

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
