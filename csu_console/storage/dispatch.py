"""Dispatch and shifts in the logbook (mixed into :class:`~csu_console.storage.store.Store`).

A dispatch planned by :func:`~csu_console.core.dispatch.plan_dispatch` is stored
in one transaction: the alert's new state (if it changes) and its events. Units'
live status is not stored: :meth:`DispatchMixin.unit_events` hands the events to
:func:`~csu_console.core.dispatch.unit_statuses`. Shift opening and closing are
events too; the closing one carries who worked and the counts of the shift.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import UTC, datetime

from csu_console.core.dispatch import UNIT_EVENT_KINDS, DispatchPlan
from csu_console.core.logbook import EventKind, LogbookError, LogEvent
from csu_console.errors import StorageBugError
from csu_console.storage.claims import ClaimsMixin, _matches
from csu_console.storage.codec import iso
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.outbox import write_status

_EVENT = "SELECT pk, kind, at, alert_pk, station, operator, details FROM events"
_CLOSINGS = (EventKind.CLOSED.value, EventKind.TAKEN_OVER.value)


def _log_event(row: tuple[object, ...]) -> LogEvent:
    pk, kind, at, alert_pk, station, operator, details = row
    assert isinstance(pk, int) and isinstance(kind, str) and isinstance(at, str)
    parsed = json.loads(str(details))
    return LogEvent(
        pk, kind, datetime.fromisoformat(at), alert_pk if isinstance(alert_pk, int) else None,
        station if isinstance(station, str) else None,
        operator if isinstance(operator, str) else None,
        parsed if isinstance(parsed, dict) else {},
    )  # fmt: skip


class DispatchMixin(ClaimsMixin):
    """Units' engagements and shifts; needs ``conn``, ``tz`` and ``_transaction``."""

    def record_dispatch(
        self,
        alert_pk: int,
        plan: DispatchPlan,
        station: str,
        operator: str,
        sid: str | None = None,
    ) -> bool:
        """Store an allowed dispatch: the alert's state (when it changes) and its events.

        False, and nothing written, when the alert moved on since the plan (decide
        again). A takeover writes its ``taken_over`` event before ``dispatched``.
        With ``sid``, the state change's durable ``status`` goes into the outbox in
        the same transaction (:mod:`csu_console.storage.outbox`).
        """
        if not plan.allowed or plan.at is None or plan.before is None:
            raise StorageBugError(f"dispatch non autorisé : {plan.verdict}")
        events: list[NewEvent] = []
        with self._transaction() as cur:
            current = self._claim(cur, alert_pk)
            if not _matches(current, plan.before):
                return False
            t = plan.transition
            if t is not None:
                self._write_state(cur, alert_pk, t.after.state, station, operator, plan.at)
                if sid is not None:
                    write_status(cur, alert_pk, t, sid, current)
                if t.kind != EventKind.DISPATCHED:
                    events.append(NewEvent(t.kind, plan.at, alert_pk, station, operator, t.details))
            events.append(
                NewEvent(EventKind.DISPATCHED, plan.at, alert_pk, station, operator, plan.details)
            )
            append_events(cur, events, self.tz)
        return True

    def unit_events(
        self,
        after_pk: int = 0,
        *,
        since: datetime | None = None,
        engaged: Collection[int] | None = None,
    ) -> list[LogEvent]:
        """The events units' status is folded from, oldest first.

        ``after_pk``: only events after the last fold; ``since``: only the units' own
        events from then on (an index range, not the whole history); ``engaged``: the
        alerts with a unit engaged before this read — only their closings (and those
        of alerts dispatched in this read) can change a unit. Without them: every
        own event, and the closings of every alert ever dispatched.
        """
        own = [k for k in UNIT_EVENT_KINDS if k not in _CLOSINGS]
        marks = ", ".join("?" * len(own))
        bound = iso(since) if since is not None else ""
        rows = self.conn.execute(
            f"{_EVENT} WHERE kind IN ({marks}) AND at >= ? AND pk > ?", (*own, bound, after_pk)
        ).fetchall()
        if engaged is None:
            rows += self.conn.execute(
                f"{_EVENT} WHERE kind IN (?, ?) AND pk > ? AND alert_pk IN"
                " (SELECT alert_pk FROM events WHERE kind = ?)",
                (*_CLOSINGS, after_pk, EventKind.DISPATCHED.value),
            ).fetchall()
        else:
            alerts = set(engaged) | {r[3] for r in rows if r[1] == EventKind.DISPATCHED}
            ids = sorted(a for a in alerts if a is not None)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                rows += self.conn.execute(
                    # +kind: look the few alerts up by alert_pk, not every closing by kind
                    f"{_EVENT} WHERE alert_pk IN ({', '.join('?' * len(chunk))})"
                    " AND +kind IN (?, ?) AND pk > ?",
                    (*chunk, *_CLOSINGS, after_pk),
                ).fetchall()
        rows.sort(key=lambda r: int(r[0]))
        return [_log_event(r) for r in rows]

    def events_since(self, pk: int, limit: int = 10_000) -> list[LogEvent]:
        """Events after ``pk``, oldest first (to follow the logbook from a screen)."""
        rows = self.conn.execute(f"{_EVENT} WHERE pk > ? ORDER BY pk LIMIT ?", (pk, limit))
        return [_log_event(r) for r in rows.fetchall()]

    def current_shift(self, station: str) -> LogEvent | None:
        """The ``shift_opened`` event of this station's open shift, or None."""
        row = self.conn.execute(
            f"{_EVENT} WHERE station = ? AND kind IN (?, ?) ORDER BY pk DESC LIMIT 1",
            (station, EventKind.SHIFT_OPENED, EventKind.SHIFT_CLOSED),
        ).fetchone()
        if row is None or row[1] != EventKind.SHIFT_OPENED:
            return None
        return _log_event(row)

    def open_shift(self, station: str, operator: str, at: datetime | None = None) -> int:
        """Open a shift at this station (refused while one is open); the event's pk."""
        at = at or datetime.now(UTC)
        with self._transaction() as cur:
            current = self.current_shift(station)
            if current is not None:
                raise LogbookError(
                    f"Vacation déjà ouverte par {current.operator or '?'} "
                    f"(événement n° {current.pk}) : clôturez-la d'abord."
                )
            event = NewEvent(EventKind.SHIFT_OPENED, at, None, station, operator, {})
            [pk] = append_events(cur, [event], self.tz)
        return pk

    def close_shift(
        self, station: str, operator: str, at: datetime | None = None
    ) -> dict[str, object]:
        """Close this station's shift: who worked, the counts per event kind; the details."""
        at = at or datetime.now(UTC)
        with self._transaction() as cur:
            opened = self.current_shift(station)
            if opened is None:
                raise LogbookError("Aucune vacation ouverte à ce poste.")
            counts = dict(
                cur.execute(
                    "SELECT kind, count(*) FROM events WHERE pk > ? AND station = ?"
                    " GROUP BY kind ORDER BY kind",
                    (opened.pk, station),
                ).fetchall()
            )
            operators = [
                r[0]
                for r in cur.execute(
                    "SELECT DISTINCT operator FROM events WHERE pk > ? AND station = ?"
                    " AND operator IS NOT NULL ORDER BY operator",
                    (opened.pk, station),
                )
            ]
            details: dict[str, object] = {
                "opened_pk": opened.pk,
                "opened_at": opened.at.isoformat(timespec="milliseconds"),
                "opened_by": opened.operator,
                "operators": sorted({*operators, operator} - {""}),
                "counts": counts,
                "events": sum(counts.values()),
            }
            append_events(
                cur, [NewEvent(EventKind.SHIFT_CLOSED, at, None, station, operator, details)],
                self.tz,
            )  # fmt: skip
        return details
