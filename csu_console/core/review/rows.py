"""The records the review's queries hand to the indicators (Qt-free, plain data).

Times of :class:`AlertRow` stay ISO 8601 UTC text as stored (``…T14:02:03.120+00:00``,
which sorts as time): a month of a busy centre is a million rows, and text costs
less than ``datetime`` objects; delays are already in seconds.

Definitions (the review's, documented for the supervisor):

- *received*: the alert's arrival at this console (``received_at``);
- *acknowledged*: the first ``acknowledged``, ``taken_over`` or ``dispatched``
  event, or the first ``update_received`` that moved it out of « nouvelle »
  (another station acknowledged it); an alert closed unread has no acknowledgement;
- *dispatched*: the first ``dispatched`` event (a unit engaged from this console);
- *closed*: the first ``closed`` event (or takeover to « clôturée »); for an alert
  closed by another station, the time its state last changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from csu_console.core.alerts import AlertState


class AlertRow(NamedTuple):
    """One alert of the review, with what its events say about it (a named tuple:
    a month is a million of them, and a frozen dataclass costs 10 µs each to build)."""

    pk: int
    received_at: str
    category: str
    priority: int
    title: str
    address: str | None
    commune: str | None
    lat: float | None
    lon: float | None
    source: str
    alert_id: str
    category_raw: str | None
    reporter: str | None  # the platform's pseudonym: personal data
    state: str  # state now (not at the end of the period: see state_at)
    ack_at: str | None
    dispatch_at: str | None
    closed_at: str | None
    ack_s: float | None  # acknowledged − received, seconds
    dispatch_s: float | None  # dispatched − received, seconds
    escalated: bool
    outcomes: tuple[str, ...]  # distinct, corrections applied, in order of ending
    operators: tuple[str, ...]  # who handled it (acknowledged, dispatched, closed, noted…)
    zones: tuple[str, ...] = ()  # ids of the site zones containing its position

    def state_at(self, end: str) -> AlertState:
        """Its state just before ``end`` (ISO UTC text), from the times above."""
        if self.closed_at is not None and self.closed_at < end:
            return AlertState.CLOSED
        if self.dispatch_at is not None and self.dispatch_at < end:
            return AlertState.DISPATCHED
        if self.ack_at is not None and self.ack_at < end:
            return AlertState.ACKNOWLEDGED
        return AlertState.NEW

    def open_at(self, end: str) -> bool:
        """True when received before ``end`` and not closed by then."""
        return self.received_at < end and not (self.closed_at is not None and self.closed_at < end)


class AlertFacts(NamedTuple):
    """What the indicators need of an alert: a lighter :class:`AlertRow` (a month of
    them is read for a summary; the list shows full rows, a page at a time)."""

    pk: int
    received_at: str
    category: str
    priority: int
    lat: float | None
    lon: float | None
    ack_s: float | None
    dispatch_s: float | None
    escalated: bool
    outcomes: tuple[str, ...]
    zones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MuteEvent:
    """A ``muted`` event: the alarm of ``station`` silenced for ``seconds``; or, with
    ``unmute``, an ``unmuted`` event: its sound back early (``seconds`` unused)."""

    at: datetime
    station: str | None
    operator: str | None
    seconds: float
    unmute: bool = False


@dataclass(frozen=True, slots=True)
class OutageAlert:
    """A « caméra hors service » alert raised by the console (see core.camera_health)."""

    alert_pk: int
    camera_id: str
    camera_name: str
    down_since: datetime
    raised_at: datetime


@dataclass(frozen=True, slots=True)
class CameraBack:
    """A ``camera_online`` event: a camera reported down has pictures again."""

    at: datetime
    camera_id: str


@dataclass(frozen=True, slots=True)
class UnitStep:
    """A ``dispatched``, ``on_site`` or ``dispatch_ended`` event of one unit."""

    pk: int
    at: datetime
    kind: str
    alert_pk: int | None
    unit: str
    unit_name: str


@dataclass(frozen=True, slots=True)
class LogLine:
    """One event of the main courante as printed: times as stored, details parsed."""

    pk: int
    at: str
    at_local: str | None
    kind: str
    alert_pk: int | None
    station: str | None
    operator: str | None
    details: dict[str, Any]
