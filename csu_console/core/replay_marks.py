"""The moments of an alert marked on the replay timeline (Qt-free).

From the alert itself (the citizen's report, its reception) and from its
timeline in the main courante (acknowledgement, dispatch, arrival on site): the
first of each, as the operator reads the alert's chronology.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from csu_console.core.alerts import StoredAlert
from csu_console.core.logbook import EventKind
from csu_console.core.recording import MarkKind, ReplayMark

#: Which main courante events stand for which mark (the first one counts).
_EVENT_MARKS = {
    EventKind.ACKNOWLEDGED.value: MarkKind.ACKNOWLEDGED,
    EventKind.TAKEN_OVER.value: MarkKind.ACKNOWLEDGED,
    EventKind.DISPATCHED.value: MarkKind.DISPATCHED,
    EventKind.ON_SITE.value: MarkKind.ON_SITE,
}


def _instant(value: object) -> datetime | None:
    if isinstance(value, datetime):
        at = value
    elif isinstance(value, str):
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    if at.tzinfo is None:
        return None  # an instant without its zone is not placed on the timeline
    return at.astimezone(UTC)


def replay_marks(item: StoredAlert, events: Iterable[Mapping[str, Any]] = ()) -> list[ReplayMark]:
    """The alert's report and reception, then the first acknowledgement, dispatch and
    arrival on site among ``events`` (rows of ``Store.events_for``: ``kind``, ``at``
    as ISO text), in time order. Unreadable times are left out, never guessed."""
    marks: dict[MarkKind, datetime] = {}
    reported = _instant(item.alert.sent)
    if reported is not None:
        marks[MarkKind.REPORTED] = reported
    received = _instant(item.received_at)
    if received is not None:
        marks[MarkKind.RECEIVED] = received
    for event in events:
        kind = _EVENT_MARKS.get(str(event.get("kind", "")))
        at = _instant(event.get("at"))
        if kind is None or at is None:
            continue
        if kind not in marks or at < marks[kind]:
            marks[kind] = at
    return sorted((ReplayMark(k, at) for k, at in marks.items()), key=lambda m: m.at)
