"""The units' status as this station's logbook tells it, folded on the storage thread.

Qt-free; the console's dispatch operations (ui/console/dispatch_ops.py) run it after
every step, the hub's records are laid over it (core/team.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from csu_console.core.dispatch import Unit, UnitState, apply_event, unit_statuses
from csu_console.storage.store import Store


class UnitFold:
    """The units' status, folded incrementally from the logbook on the storage thread
    (the only thread that touches it, so folds never interleave).

    The first fold reads the units' own events of the last :data:`HORIZON` (an
    engagement never ended after that long is over: the logbook says so); later
    folds read only what came since, through indexes — a month of a busy CSU is
    millions of events, and this runs after every dispatch step.
    """

    HORIZON = timedelta(days=7)

    def __init__(self, units: Sequence[Unit]) -> None:
        self.states = unit_statuses(units, [])
        self.last_pk = 0
        self.last_at: datetime | None = None

    def update(self, store: Store) -> dict[str, UnitState]:
        if self.last_at is None:
            since = datetime.now(UTC) - self.HORIZON
        else:  # a little slack: the other process's clock, same-millisecond events
            since = self.last_at - timedelta(minutes=1)
        engaged = {s.alert_pk for s in self.states.values() if s.alert_pk is not None}
        for event in store.unit_events(self.last_pk, since=since, engaged=engaged):
            self.states = apply_event(self.states, event)
            self.last_pk, self.last_at = event.pk, event.at
        if self.last_at is None:
            self.last_at = since
        return dict(self.states)
