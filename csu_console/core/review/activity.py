"""What the logbook says about the room during a period (Qt-free, pure): muted
alarms, cameras down, operators' load, units still engaged.

- *Muted*: a ``muted`` event silences its station's alarm for ``seconds``; muting
  again restarts the silence from then, and an ``unmuted`` event (« son rétabli »
  before the end) ends it, so each mute lasts until its own end or the station's
  next mute or unmute, whichever comes first. (Logbooks written before the
  ``unmuted`` event existed give an upper bound.)
- *Camera down*: from the « caméra hors service » alert (down since the time in
  its id) to the camera's next ``camera_online`` event; still down when none.
- *Load*: events with an operator, per operator and kind.
- *Units still engaged*: folded like :func:`~csu_console.core.dispatch.apply_event`:
  a unit's latest ``dispatched`` wins, ``dispatch_ended`` on that alert frees it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from csu_console.core.logbook import EventKind
from csu_console.core.review.period import Period
from csu_console.core.review.rows import CameraBack, MuteEvent, OutageAlert, UnitStep


@dataclass(frozen=True)
class MutePeriod:
    """The alarm of ``station`` silent from ``start`` to ``end`` (clipped to the period)."""

    start: datetime
    end: datetime
    station: str | None
    operators: tuple[str, ...]

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return (self.end - self.start).total_seconds()


def mute_periods(events: Iterable[MuteEvent], period: Period) -> list[MutePeriod]:
    """Silent spans per station within ``period``, adjacent ones merged, by start."""
    by_station: dict[str | None, list[MuteEvent]] = defaultdict(list)
    for e in events:
        by_station[e.station].append(e)
    out: list[MutePeriod] = []
    for station, mutes in by_station.items():
        mutes.sort(key=lambda e: e.at)
        spans: list[tuple[datetime, datetime, str | None]] = []
        for i, e in enumerate(mutes):
            if e.unmute:
                continue  # it only ends the mute before it
            end = e.at + timedelta(seconds=max(0.0, e.seconds))
            if i + 1 < len(mutes):
                # Muted again (restarts from there) or sound back early (ends here).
                end = min(end, mutes[i + 1].at)
            start, end = max(e.at, period.start), min(end, period.end)
            if start < end:
                spans.append((start, end, e.operator))
        merged: list[MutePeriod] = []
        for start, end, operator in spans:
            who = (operator,) if operator else ()
            last = merged[-1] if merged else None
            if last is not None and start <= last.end:
                ops = last.operators + tuple(o for o in who if o not in last.operators)
                merged[-1] = MutePeriod(last.start, max(last.end, end), station, ops)
            else:
                merged.append(MutePeriod(start, end, station, who))
        out += merged
    return sorted(out, key=lambda m: (m.start, m.station or ""))


def muted_seconds(periods: Iterable[MutePeriod]) -> float:
    """Total silent seconds, summed over stations."""
    return sum(p.seconds for p in periods)


@dataclass(frozen=True)
class CameraOutage:
    """A camera without pictures from ``down_since`` to ``back_at`` (None: still down)."""

    camera_id: str
    camera_name: str
    down_since: datetime
    back_at: datetime | None
    alert_pk: int

    def down_at(self, at: datetime) -> bool:
        """True when the camera had no picture at ``at``."""
        return self.down_since <= at and (self.back_at is None or at < self.back_at)

    def seconds_in(self, period: Period) -> float:
        """Seconds of the outage within ``period``."""
        end = period.end if self.back_at is None else min(self.back_at, period.end)
        return max(0.0, (end - max(self.down_since, period.start)).total_seconds())


def camera_outages(
    alerts: Iterable[OutageAlert], backs: Iterable[CameraBack], period: Period
) -> list[CameraOutage]:
    """Outages overlapping ``period``: each alert ends at its camera's next return."""
    returns: dict[str, list[datetime]] = defaultdict(list)
    for b in backs:
        returns[b.camera_id].append(b.at)
    for times in returns.values():
        times.sort()
    out: list[CameraOutage] = []
    for a in sorted(alerts, key=lambda a: a.down_since):
        back = next((t for t in returns.get(a.camera_id, ()) if t >= a.down_since), None)
        outage = CameraOutage(a.camera_id, a.camera_name, a.down_since, back, a.alert_pk)
        if outage.down_since < period.end and (back is None or back > period.start):
            out.append(outage)
    return out


#: Written by the console on its own, in the name of whoever is logged in: a
#: presence, not work (« Alerte affichée » when an alert reaches the queue).
AUTOMATIC_KINDS = frozenset({"displayed"})
#: Operators that are the console itself (its start-up purge).
SYSTEM_OPERATORS = frozenset({"console"})
#: The station of the command line's events (``csu-console users …``).
CLI_STATION = "cli"
SYSTEM_LABEL = "système"


def command_line_label(user: str) -> str:
    """« ligne de commande (root) »: who ran a ``csu-console`` sub-command."""
    return f"ligne de commande ({user})"


def actor_label(station: str | None, operator: str | None) -> str:
    """Who an event is by, as the review shows it: the operator's login, « système »
    (the console or the receiving process on their own), « ligne de commande (…) »."""
    if operator is None or operator in SYSTEM_OPERATORS:
        return SYSTEM_LABEL
    if station == CLI_STATION:
        return command_line_label(operator)
    return operator


def split_identities(
    load: dict[str, dict[str, int]], command_line: Iterable[tuple[str, str, int]]
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """``load`` (see :func:`operator_load`) without what is not an operator's work:
    the console's own events (« système ») and the command line's
    (``command_line``: ``(user, kind, count)`` of the events of station « cli »,
    « ligne de commande (root) »). Returns the operators' load and the others' counts."""
    operators = {op: dict(kinds) for op, kinds in load.items() if op not in SYSTEM_OPERATORS}
    others: dict[str, int] = {}
    system = sum(sum(kinds.values()) for op, kinds in load.items() if op in SYSTEM_OPERATORS)
    if system:
        others[SYSTEM_LABEL] = system
    for user, kind, n in command_line:
        if user in SYSTEM_OPERATORS or kind in AUTOMATIC_KINDS:
            continue
        kinds = operators.get(user)
        if kinds is not None and kind in kinds:
            kinds[kind] -= min(n, kinds[kind])
            if not kinds[kind]:
                del kinds[kind]
            if not kinds:
                del operators[user]
        label = command_line_label(user)
        others[label] = others.get(label, 0) + n
    ranked = sorted(operators.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return dict(ranked), others


def operator_load(counts: Iterable[tuple[str | None, str, int]]) -> dict[str, dict[str, int]]:
    """``(operator, kind, count)`` rows → operator → kind → count (no operator and
    automatic kinds: dropped), operators by decreasing total."""
    load: dict[str, dict[str, int]] = defaultdict(dict)
    for operator, kind, n in counts:
        if operator and kind not in AUTOMATIC_KINDS:
            load[operator][kind] = load[operator].get(kind, 0) + n
    return dict(sorted(load.items(), key=lambda item: (-sum(item[1].values()), item[0])))


@dataclass(frozen=True)
class OpenDispatch:
    """A unit still engaged at the end of the period."""

    alert_pk: int
    unit: str
    unit_name: str
    stage: str  # "dispatched" | "on_site"
    since: datetime


def open_dispatches(steps: Iterable[UnitStep], end: datetime) -> list[OpenDispatch]:
    """Units engaged just before ``end``, from their steps (any order; later pk wins)."""
    engaged: dict[str, OpenDispatch] = {}
    for s in sorted(steps, key=lambda s: s.pk):
        if s.at >= end or s.alert_pk is None:
            continue
        current = engaged.get(s.unit)
        here = current is not None and current.alert_pk == s.alert_pk
        if s.kind == EventKind.DISPATCHED:
            engaged[s.unit] = OpenDispatch(s.alert_pk, s.unit, s.unit_name, s.kind, s.at)
        elif s.kind == EventKind.ON_SITE and here and current is not None:
            engaged[s.unit] = OpenDispatch(s.alert_pk, s.unit, current.unit_name, s.kind, s.at)
        elif s.kind == EventKind.DISPATCH_ENDED and here:
            del engaged[s.unit]
    return sorted(engaged.values(), key=lambda d: (d.since, d.unit))
