"""The station's side of the hub extension (``docs/protocol.md`` § 9) in SQLite.

Mixed into :class:`~csu_console.storage.store.Store`. **Claims from the hub**
(``sync``, ``claim``, an alert frame's ``claim``, a refused ``status_result``) are
authoritative: applied *as is* to the alert's row with an ``update_received``
event in one transaction; a claim for an alert this station has not stored yet is
kept (``hub_pending_claims``) and applied when it arrives
(:meth:`HubStateMixin.take_pending_claims`, called inside ``commit_batch``).

The outbox of the station's own messages is :mod:`csu_console.storage.outbox`.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from csu_console.core.alerts import StoredAlert
from csu_console.core.hub_protocol import ClaimRecord
from csu_console.core.logbook import EventKind
from csu_console.core.states import Claim, stamp
from csu_console.storage.claims import ClaimsMixin
from csu_console.storage.codec import iso

#: A claim kept for an alert not stored yet is forgotten after this long.
PENDING_KEEP = timedelta(days=30)


@dataclass(frozen=True)
class ClaimApplied:
    """What :meth:`HubStateMixin.apply_claim` did.

    ``effect``: ``applied`` (the row changed), ``same`` (already that state and
    holder: nothing written) or ``kept`` (no such alert yet: kept for later).
    ``stored`` is the alert as it now stands (None when kept).
    """

    effect: str
    stored: StoredAlert | None = None


def claim_of(record: ClaimRecord) -> Claim:
    """The store's :class:`Claim` of a hub claim record."""
    return Claim(record.state, record.station, record.operator, record.at)


class HubStateMixin(ClaimsMixin):
    """Claims from the hub; needs ``conn`` and ``_transaction`` from the store."""

    conn: sqlite3.Connection

    def _transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    # -- claims ---------------------------------------------------------------

    def apply_claim(self, record: ClaimRecord) -> ClaimApplied:
        """Set the alert to the hub's claim (row + event, one transaction), or keep
        the claim until the alert arrives. Nothing is written when identical."""
        with self._transaction() as cur:
            row = cur.execute(
                "SELECT pk FROM alerts WHERE source = ? AND alert_id = ?",
                (record.source, record.id),
            ).fetchone()
            if row is None:
                now = datetime.now(UTC)
                cur.execute(
                    "INSERT INTO hub_pending_claims (source, alert_id, claim, at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (source, alert_id) DO UPDATE"
                    " SET claim = excluded.claim, at = excluded.at",
                    (record.source, record.id, json.dumps(record.to_obj()), iso(now)),
                )
                # An alert that never came (beyond the hub's retention) is not awaited for ever.
                cur.execute(
                    "DELETE FROM hub_pending_claims WHERE at < ?",
                    (iso(now - PENDING_KEEP),),
                )
                return ClaimApplied("kept")
            pk = int(row[0])
            changed = self._claim_row(cur, pk, record)
            return ClaimApplied("applied" if changed else "same", self._stored(cur, pk))

    def _claim_row(self, cur: sqlite3.Cursor, pk: int, record: ClaimRecord) -> bool:
        """Write ``record`` on alert ``pk`` with its event; False when already so."""
        current = self._claim(cur, pk)
        wanted = claim_of(record)
        at = stamp(record.at)
        if (current.state, current.station or "", current.operator or "", current.at) == (
            wanted.state,
            wanted.station or "",
            wanted.operator or "",
            at,
        ):
            return False
        self._write_state(cur, pk, record.state, record.station, record.operator, record.at)
        details: dict[str, Any] = {
            "from_state": current.state.value,
            "from_station": current.station,
            "from_operator": current.operator,
            "hub": True,
            "kind": record.kind,
            "sid": record.sid,
        }
        if record.reason:
            details["reason"] = record.reason
        self._insert_event(
            cur,
            pk,
            record.at,
            EventKind.UPDATE_RECEIVED.value,
            record.station,
            record.operator,
            details,
        )
        return True

    def take_pending_claims(
        self, cur: sqlite3.Cursor, new_pks: dict[tuple[str, str], int]
    ) -> dict[int, ClaimRecord]:
        """Inside ``commit_batch``: the kept claims of alerts just inserted, removed
        from the table (the caller applies them)."""
        if (
            not new_pks
            or cur.execute("SELECT 1 FROM hub_pending_claims LIMIT 1").fetchone() is None
        ):
            return {}
        keys = json.dumps([[s, a] for s, a in new_pks])
        rows = cur.execute(
            "SELECT p.source, p.alert_id, p.claim FROM hub_pending_claims p"
            " JOIN json_each(?) k ON p.source = k.value ->> 0 AND p.alert_id = k.value ->> 1",
            (keys,),
        ).fetchall()
        found: dict[int, ClaimRecord] = {}
        for source, alert_id, text in rows:
            cur.execute(
                "DELETE FROM hub_pending_claims WHERE source = ? AND alert_id = ?",
                (source, alert_id),
            )
            found[new_pks[(source, alert_id)]] = ClaimRecord.from_obj(json.loads(text))
        return found

    def pending_claims_count(self) -> int:
        """Claims kept for alerts not stored yet (tests, diagnostics)."""
        return int(self.conn.execute("SELECT count(*) FROM hub_pending_claims").fetchone()[0])
