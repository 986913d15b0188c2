"""Who holds an alert: state changes and other stations' updates, each written with
its event in one transaction (mixed into :class:`~csu_console.storage.store.Store`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.protocol import UpdateMessage
from csu_console.core.states import Claim, Transition, UpdateEffect, apply_update
from csu_console.errors import StorageBugError
from csu_console.storage.codec import iso, row_to_stored
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.outbox import write_status


@dataclass(frozen=True)
class UpdateResult:
    """What :meth:`Store.apply_update` did, and the alert as it now stands (None if unknown)."""

    effect: UpdateEffect
    stored: StoredAlert | None = None
    claim: Claim | None = None


class ClaimsMixin:
    """State and holder of alerts; needs ``conn`` and ``_transaction`` from the store."""

    conn: sqlite3.Connection
    tz: tzinfo | None

    def _transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    def set_state(
        self,
        pk: int,
        state: AlertState,
        station: str,
        operator: str,
        at: datetime,
        kind: str,
        details: Mapping[str, Any] | None = None,
        *,
        expect: Claim | None = None,
    ) -> bool:
        """Set an alert's state and holder and append one event, in one transaction.

        With ``expect``, nothing is written and False is returned when the row no
        longer has that state and holder (and ``state_at``, when ``expect.at`` is
        set): another station's update got there first, decide again. An unknown
        ``pk`` is a bug (:class:`StorageBugError`).
        """
        with self._transaction() as cur:
            if expect is not None and not _matches(self._claim(cur, pk), expect):
                return False  # the context manager ends the (read-only) transaction
            self._write_state(cur, pk, state, station, operator, at)
            self._insert_event(cur, pk, at, kind, station, operator, details)
        return True

    def apply_transition(self, pk: int, transition: Transition, sid: str | None = None) -> bool:
        """Store a :func:`~csu_console.core.states.plan` result; False if the row moved on.

        With ``sid``, its durable ``status`` goes into the outbox in the same
        transaction (:mod:`csu_console.storage.outbox`): sent to the hub until answered.
        """
        after = transition.after
        assert after.station is not None and after.at is not None
        if sid is None:
            return self.set_state(
                pk,
                after.state,
                after.station,
                after.operator or "",
                after.at,
                transition.kind,
                transition.details,
                expect=transition.before,
            )
        with self._transaction() as cur:
            current = self._claim(cur, pk)
            if not _matches(current, transition.before):
                return False
            self._write_state(cur, pk, after.state, after.station, after.operator or "", after.at)
            self._insert_event(
                cur, pk, after.at, transition.kind, after.station, after.operator or "",
                transition.details,
            )  # fmt: skip
            write_status(cur, pk, transition, sid, current)
        return True

    def apply_update(self, update: UpdateMessage) -> UpdateResult:
        """Merge another station's ``update`` (see :func:`~csu_console.core.states.apply_update`).

        In one transaction: read the row, decide, then either write the new holder
        with an ``update_received`` event, log an ``update_ignored`` event (stale or
        backwards), or write nothing (a duplicate, such as our own status echoed).
        """
        with self._transaction() as cur:
            row = cur.execute(
                "SELECT pk FROM alerts WHERE source = ? AND alert_id = ?",
                (update.source, update.id),
            ).fetchone()
            if row is None:
                return UpdateResult(UpdateEffect.UNKNOWN_ALERT)
            pk = int(row[0])
            current = self._claim(cur, pk)
            decision = apply_update(current, update)
            after = decision.after
            if decision.effect is UpdateEffect.APPLIED:
                assert after.at is not None
                self._write_state(cur, pk, update.state, update.station, update.operator, after.at)
                details = {
                    "from_state": current.state.value,
                    "from_station": current.station,
                    "from_operator": current.operator,
                }
                self._insert_event(
                    cur, pk, after.at, "update_received", update.station, update.operator, details
                )
            elif decision.effect is not UpdateEffect.DUPLICATE:
                details = {
                    "effect": decision.effect.value,
                    "state": update.state.value,
                    "at": iso(update.at),
                }
                self._insert_event(
                    cur, pk, datetime.now(UTC), "update_ignored", update.station,
                    update.operator, details,
                )  # fmt: skip
            stored = self._stored(cur, pk)
        return UpdateResult(decision.effect, stored, after)

    @staticmethod
    def _write_state(
        cur: sqlite3.Cursor, pk: int, state: AlertState, station: str, operator: str, at: datetime
    ) -> None:
        cur.execute(
            "UPDATE alerts SET state = ?, state_station = ?, state_operator = ?, state_at = ?"
            " WHERE pk = ?",
            (state.value, station, operator, iso(at), pk),
        )
        if cur.rowcount != 1:
            raise StorageBugError(f"alerte {pk} inconnue")

    def _insert_event(
        self,
        cur: sqlite3.Cursor,
        pk: int | None,
        at: datetime,
        kind: str,
        station: str | None,
        operator: str | None,
        details: Mapping[str, Any] | None,
    ) -> int:
        """One event on the chain, inside the caller's transaction; its pk."""
        [event_pk] = append_events(
            cur, [NewEvent(kind, at, pk, station, operator, details)], self.tz
        )
        return event_pk

    @staticmethod
    def _claim(cur: sqlite3.Cursor, pk: int) -> Claim:
        row = cur.execute(
            "SELECT state, state_station, state_operator, state_at FROM alerts WHERE pk = ?",
            (pk,),
        ).fetchone()
        if row is None:
            raise StorageBugError(f"alerte {pk} inconnue")
        at = None if row[3] is None else datetime.fromisoformat(row[3])
        return Claim(AlertState(row[0]), row[1], row[2], at)

    @staticmethod
    def _stored(cur: sqlite3.Cursor, pk: int) -> StoredAlert:
        rows = cur.execute("SELECT * FROM alerts WHERE pk = ?", (pk,))
        return row_to_stored(rows.fetchone(), rows.description)

    # -- reads --------------------------------------------------------------

    def claim(self, pk: int) -> Claim:
        """An alert's state, holder and ``state_at``; :class:`StorageBugError` if unknown."""
        return self._claim(self.conn.cursor(), pk)

    def open_alerts(self) -> list[StoredAlert]:
        """Alerts not closed, most urgent then newest first (to restore the alarm at start)."""
        rows = self.conn.execute(
            "SELECT * FROM alerts WHERE state IN ('new', 'acknowledged', 'dispatched')"
            " ORDER BY priority, received_at DESC, pk DESC"
        )
        return [row_to_stored(r, rows.description) for r in rows.fetchall()]


def _matches(found: Claim, expect: Claim) -> bool:
    """Same state and holder, and the same ``state_at`` when ``expect`` gives one."""
    same = (found.state, found.station or None, found.operator or None) == (
        expect.state,
        expect.station or None,
        expect.operator or None,
    )
    return same and (expect.at is None or found.at == expect.at)
