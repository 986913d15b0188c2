"""The station's outbox to the hub (``status_outbox``, ``docs/protocol.md`` § 9.3).

Every ``status`` the operator produces is written here **in the same transaction
as the state change** (:func:`write_status`, called by ``apply_transition`` and
``record_dispatch``), before the action shows as done; ``unit`` requests and
escalations too. The receiving process reads the rows still unanswered and sends
them at each connection and every few seconds until the hub answers, across link
restarts and ``kill -9`` of either process (the two share the WAL database file).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import ClaimRecord, StatusRequest
from csu_console.core.states import Claim, Transition
from csu_console.storage.codec import iso

#: Answered rows are kept this long (diagnostics), then deleted.
OUTBOX_KEEP = timedelta(days=7)


@dataclass(frozen=True)
class OutboxRow:
    """One message waiting for its answer (``key``: its sid, uid or eid)."""

    key: str
    kind: str  # "status" | "unit" | "escalate"
    text: str  # the JSON text, sent as is
    created_at: datetime
    attempts: int = 0


def status_request(
    sid: str, source: str, alert_id: str, transition: Transition, before: Claim
) -> StatusRequest:
    """The durable ``status`` of a transition; ``before`` is the row's claim read in
    the same transaction (with its ``state_at``): the claim the operator acted on."""
    after = transition.after
    assert after.station is not None and after.at is not None
    expect = None
    if before.state is not AlertState.NEW and before.station:
        expect = ClaimRecord(
            source=source,
            id=alert_id,
            state=before.state,
            station=before.station,
            operator=before.operator or "",
            at=before.at or after.at,
        )
    return StatusRequest(
        sid=sid,
        source=source,
        id=alert_id,
        state=after.state,
        kind=transition.kind,
        station=after.station,
        operator=after.operator or "",
        at=after.at,
        reason=str(transition.details.get("reason", "")),
        expect=expect,
    )


def write_status(
    cur: sqlite3.Cursor, pk: int, transition: Transition, sid: str, before: Claim
) -> StatusRequest:
    """Inside the caller's transaction: the ``status`` of alert ``pk``'s transition."""
    source, alert_id = cur.execute(
        "SELECT source, alert_id FROM alerts WHERE pk = ?", (pk,)
    ).fetchone()
    request = status_request(sid, source, alert_id, transition, before)
    insert(cur, sid, "status", request.to_json())
    return request


def insert(cur: sqlite3.Cursor, key: str, kind: str, text: str) -> bool:
    """One row (inside the caller's transaction); False when ``key`` is there already."""
    cur.execute(
        "INSERT OR IGNORE INTO status_outbox (key, kind, text, created_at) VALUES (?, ?, ?, ?)",
        (key, kind, text, iso(datetime.now(UTC))),
    )
    return cur.rowcount == 1


class OutboxMixin:
    """Reads and answers of the outbox; needs ``conn`` and ``_transaction``."""

    conn: sqlite3.Connection

    def _transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    def outbox_add(self, key: str, kind: str, text: str) -> bool:
        """One message (its own transaction); False if ``key`` is there already."""
        with self._transaction() as cur:
            return insert(cur, key, kind, text)

    def outbox_pending(self) -> list[OutboxRow]:
        """Every message not answered yet, oldest first."""
        rows = self.conn.execute(
            "SELECT key, kind, text, created_at, attempts FROM status_outbox"
            " WHERE answered_at IS NULL ORDER BY pk"
        ).fetchall()
        return [OutboxRow(k, kind, t, datetime.fromisoformat(c), n) for k, kind, t, c, n in rows]

    def outbox_sent(self, keys: list[str]) -> None:
        """Count one more sending of each of ``keys``."""
        if not keys:
            return
        with self._transaction() as cur:
            cur.execute(
                "UPDATE status_outbox SET attempts = attempts + 1, sent_at = ?"
                " WHERE key IN (SELECT value FROM json_each(?))",
                (iso(datetime.now(UTC)), json.dumps(keys)),
            )

    def outbox_answer(self, keys: list[str], result: str, message: str = "") -> int:
        """Answered: ``applied`` / ``refused`` (the hub), ``sent`` (written to a plain
        v1 gateway, which answers nothing), ``written`` (an escalation on a hub
        connection), ``dropped`` (not spoken by a plain gateway). Returns how many
        were still waiting; answered rows older than :data:`OUTBOX_KEEP` go."""
        if not keys:
            return 0
        now = datetime.now(UTC)
        with self._transaction() as cur:
            cur.execute(
                "UPDATE status_outbox SET answered_at = ?, result = ?, message = ?"
                " WHERE key IN (SELECT value FROM json_each(?)) AND answered_at IS NULL",
                (iso(now), result, message, json.dumps(keys)),
            )
            count = cur.rowcount
            cur.execute(
                "DELETE FROM status_outbox WHERE answered_at < ?", (iso(now - OUTBOX_KEEP),)
            )
        return count

    def outbox_row(self, key: str) -> dict[str, Any] | None:
        """One row as a dict (tests, diagnostics)."""
        cur = self.conn.execute("SELECT * FROM status_outbox WHERE key = ?", (key,))
        row = cur.fetchone()
        if row is None:
            return None
        return {d[0]: v for d, v in zip(cur.description, row, strict=True)}
