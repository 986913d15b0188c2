"""The console's reads and sweeps of partners' CAP alerts (mixed into
:class:`~csu_console.storage.store.Store`): the expiry sweep, the partners' log,
an alert's previous versions, the raw documents. What a message does when it
arrives is :mod:`csu_console.storage.cap_lifecycle`, called by ``commit_batch``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, tzinfo
from typing import Any

from csu_console.core.alerts import IssuerState, StoredAlert
from csu_console.core.cap_facts import FeedLogEntry
from csu_console.core.logbook import EventKind
from csu_console.storage import cap_lifecycle
from csu_console.storage.codec import iso, row_to_stored
from csu_console.storage.logbook import NewEvent, append_events

log = logging.getLogger("csu.storage.cap")

#: Before the summary of an Update or Cancel dropped by the purge, its original
#: never received (the partners' log shows it as ``logged``).
_DROPPED = "Abandonné, original jamais reçu : "
_FEED_COLUMNS = (
    "pk, received_at, sender, identifier, sent, msg_type, status, disposition, summary,"
    " alert_pk, document_sha256"
)


def _entry(r: Sequence[Any]) -> FeedLogEntry:
    """A ``cap_messages`` row (:data:`_FEED_COLUMNS`) as a line of the partners' log."""
    dropped = r[7] == "dropped"
    return FeedLogEntry(
        pk=r[0],
        received_at=datetime.fromisoformat(r[1]),
        sender=r[2],
        identifier=r[3],
        sent=r[4],
        msg_type=r[5],
        status=r[6],
        kind="logged" if dropped else r[7],
        summary=f"{_DROPPED}{r[8]}" if dropped else r[8],
        alert_pk=r[9],
        document_sha256=r[10],
    )


#: Alerts past their ``expires`` still to mark (the ``alerts_expiring`` index's terms).
_EXPIRING = (
    "SELECT pk FROM alerts WHERE expires IS NOT NULL AND issuer_state IS NULL"
    " AND state != 'closed' AND expires <= ? ORDER BY expires, pk"
)


class CapStoreMixin:
    """Needs ``conn``, ``tz`` and ``_transaction`` from the store."""

    conn: sqlite3.Connection
    tz: tzinfo | None

    def _transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    def expire_due(self, now: datetime | None = None) -> list[StoredAlert]:
        """Mark EXPIRED the alerts past their CAP ``expires`` (not closed, neither
        cancelled nor expired yet), each with an ``expired`` event; them, as they
        are now. One indexed read when nothing is due (the minute's sweep)."""
        now = now or datetime.now(UTC)
        at = iso(now)
        due = _EXPIRING + " LIMIT 1"
        if self.conn.execute(due, (at,)).fetchone() is None:
            return []
        with self._transaction() as cur:
            pks = [int(r[0]) for r in cur.execute(_EXPIRING, (at,)).fetchall()]
            if not pks:
                return []
            cur.executemany(
                "UPDATE alerts SET issuer_state = ?, issuer_state_at = ? WHERE pk = ?",
                [(IssuerState.EXPIRED.value, at, pk) for pk in pks],
            )
            stored = cap_lifecycle.read_stored(cur, pks)
            events = [
                NewEvent(
                    EventKind.EXPIRED,
                    now,
                    pk,
                    None,
                    details={"expires": iso(stored[pk].alert.expires or now)},
                )
                for pk in pks
            ]
            append_events(cur, events, self.tz)
        log.info("%d alertes expirées", len(pks))
        return [stored[pk] for pk in pks]

    def partner_feed(self, limit: int = 500) -> list[FeedLogEntry]:
        """The partners' log, newest first: every CAP message that is not a new
        alert of the queue — Ack, Error, Test, System (``logged``), an Update or
        Cancel waiting for its original (``pending``) or applied (``updated``,
        ``cancelled``)."""
        rows = self.conn.execute(
            f"SELECT {_FEED_COLUMNS} FROM cap_messages"
            " WHERE disposition != 'new' ORDER BY pk DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_entry(r) for r in rows]

    def alert_messages(self, pk: int) -> list[FeedLogEntry]:
        """The CAP messages that made alert ``pk`` what it is, oldest first: the
        original (``kind`` "new"), then its Updates and Cancels (``updated``,
        ``cancelled``; ``logged`` for an Update older than the content)."""
        rows = self.conn.execute(
            f"SELECT {_FEED_COLUMNS} FROM cap_messages WHERE alert_pk = ? ORDER BY pk", (pk,)
        ).fetchall()
        return [_entry(r) for r in rows]

    def alert_versions(self, pk: int) -> list[cap_lifecycle.AlertVersion]:
        """The contents CAP Updates replaced on alert ``pk``, oldest first (the
        current one is the alert itself)."""
        rows = self.conn.execute(
            "SELECT version, row, replaced_at, by_sender, by_identifier FROM alert_versions"
            " WHERE alert_pk = ? ORDER BY version",
            (pk,),
        ).fetchall()
        out = []
        for version, text, replaced_at, by_sender, by_identifier in rows:
            row = json.loads(text)
            stored = row_to_stored(list(row.values()), [(n,) for n in row])
            out.append(
                cap_lifecycle.AlertVersion(
                    version, datetime.fromisoformat(replaced_at), by_sender, by_identifier, stored
                )
            )
        return out

    def cap_document(self, sha256: str) -> bytes | None:
        """A CAP document's raw bytes by their SHA-256 (None: unknown or purged)."""
        row = self.conn.execute(
            "SELECT bytes FROM cap_documents WHERE sha256 = ?", (sha256.lower(),)
        ).fetchone()
        return None if row is None else bytes(row[0])
