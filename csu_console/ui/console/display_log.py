"""« Alerte affichée » : when each alert first reached an operator's screen.

The queue reports alerts once they are merged into it (painted at the next tick);
their ``displayed`` events are written in one transaction per batch, and only for
alerts that have none yet (a restart reloads the queue: not a first display).
They are the console's own events: with the disk full they wait in memory and are
written, in order, when there is room (``StorageWriter.record``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QObject, Slot

from csu_console.core.alerts import StoredAlert
from csu_console.core.logbook import EventKind
from csu_console.storage.logbook import NewEvent
from csu_console.storage.store import Store
from csu_console.ui.console.context import StationContext


def first_display_events(
    store: Store, pks: list[int], at: datetime, station: str, operator: str | None
) -> list[NewEvent]:
    """The ``displayed`` events of the alerts of ``pks`` never displayed before (reads)."""
    seen: set[int] = set()
    for i in range(0, len(pks), 500):
        chunk = pks[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT DISTINCT alert_pk FROM events WHERE kind = ? AND alert_pk IN ({marks})",
            (EventKind.DISPLAYED.value, *chunk),
        )
        seen.update(r[0] for r in rows)
    fresh = [pk for pk in pks if pk not in seen]
    return [NewEvent(EventKind.DISPLAYED.value, at, pk, station, operator) for pk in fresh]


def log_first_display(
    store: Store, pks: list[int], at: datetime, station: str, operator: str | None
) -> list[int]:
    """Write ``displayed`` for the alerts of ``pks`` never displayed before; their pks."""
    events = first_display_events(store, pks, at, station, operator)
    store.add_events(events)
    return [e.alert_pk for e in events if e.alert_pk is not None]


class DisplayLogger(QObject):
    """Subscribes to the queue's ``alerts_added``."""

    def __init__(self, ctx: StationContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tasks = ctx.tasks
        self._station = ctx.station

    @property
    def operator(self) -> str:
        """Who is logged in (the station's context says)."""
        return self._ctx.operator

    @Slot(list)
    def on_alerts_added(self, alerts: list[StoredAlert]) -> None:
        pks = [a.pk for a in alerts]
        if not pks:
            return
        at, station, operator = datetime.now(UTC), self._station, self.operator or None
        self._tasks.record(lambda s: first_display_events(s, pks, at, station, operator))
