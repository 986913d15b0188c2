"""Shifts (« vacations ») from the settings and their UTC periods (Qt-free).

A shift is a named span of local wall-clock time, ``06:00–14:00``; one whose end
is not after its start crosses midnight (``22:00–06:00``). A shift *occurrence*
is a shift on a given local date (the date it starts), and its period in UTC
follows the site's time zone: the night of the spring change lasts 7 hours, the
night of the autumn change 9 (see :func:`~csu_console.core.review.period.local_instant`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from csu_console.core.review.period import Period, local_instant, long_date


@dataclass(frozen=True)
class Shift:
    """One shift of the settings: ``id`` is stable, ``name`` is shown (« Nuit »)."""

    id: str
    name: str
    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        """True when the shift ends on the next day."""
        return self.end <= self.start

    @property
    def hours(self) -> str:
        """« 22:00–06:00 »."""
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


DEFAULT_SHIFTS: tuple[Shift, ...] = (
    Shift("matin", "Matin", time(6), time(14)),
    Shift("apres-midi", "Après-midi", time(14), time(22)),
    Shift("nuit", "Nuit", time(22), time(6)),
)


@dataclass(frozen=True)
class ShiftSettings:
    """``[shifts]``: the centre's shifts, in display order."""

    periods: tuple[Shift, ...] = field(default=DEFAULT_SHIFTS)

    def shift(self, shift_id: str) -> Shift | None:
        """The shift with that id, or None."""
        return next((s for s in self.periods if s.id == shift_id), None)


@dataclass(frozen=True)
class ShiftOccurrence:
    """A shift on the local date it starts, and its UTC period."""

    shift: Shift
    day: date
    period: Period

    def label(self) -> str:
        """« Nuit du lundi 31 mars 2025 (22:00–06:00) »."""
        return f"{self.shift.name} du {long_date(self.day)} ({self.shift.hours})"


def shift_period(shift: Shift, day: date, tz: tzinfo) -> Period:
    """The UTC period of ``shift`` starting on local date ``day`` in ``tz``."""
    end_day = day + timedelta(days=1) if shift.crosses_midnight else day
    return Period(local_instant(day, shift.start, tz), local_instant(end_day, shift.end, tz))


def occurrences(
    settings: ShiftSettings, tz: tzinfo, since: datetime, until: datetime
) -> Iterator[ShiftOccurrence]:
    """Every shift occurrence overlapping ``[since, until)``, by start then settings order."""
    first = since.astimezone(tz).date() - timedelta(days=1)
    last = until.astimezone(tz).date()
    found: list[ShiftOccurrence] = []
    day = first
    while day <= last:
        for shift in settings.periods:
            period = shift_period(shift, day, tz)
            if period.start < until and period.end > since:
                found.append(ShiftOccurrence(shift, day, period))
        day += timedelta(days=1)
    order = {s.id: i for i, s in enumerate(settings.periods)}
    yield from sorted(found, key=lambda o: (o.period.start, order[o.shift.id]))


def shift_at(settings: ShiftSettings, tz: tzinfo, at: datetime) -> ShiftOccurrence | None:
    """The shift occurrence containing ``at`` (the first in settings order when shifts
    overlap), or None when the shifts leave that time uncovered."""
    tick = timedelta(microseconds=1)
    for occurrence in occurrences(settings, tz, at, at + tick):
        if occurrence.period.contains(at):
            return occurrence
    return None


def last_completed(settings: ShiftSettings, tz: tzinfo, now: datetime) -> ShiftOccurrence | None:
    """The most recent shift occurrence already over at ``now`` (the screen's default)."""
    done = [
        o for o in occurrences(settings, tz, now - timedelta(days=2), now) if o.period.end <= now
    ]
    return max(done, key=lambda o: o.period.end, default=None)


def default_candidates(settings: ShiftSettings, tz: tzinfo, now: datetime) -> list[ShiftOccurrence]:
    """The shifts the review may open on, in order of preference: the last
    completed one, then the one under way (see :func:`default_shift`)."""
    out: list[ShiftOccurrence] = []
    for o in (last_completed(settings, tz, now), shift_at(settings, tz, now)):
        if o is not None and o not in out:
            out.append(o)
    return out


def default_shift(
    settings: ShiftSettings,
    tz: tzinfo,
    now: datetime,
    has_data: Sequence[bool],
    latest: datetime | None,
) -> ShiftOccurrence | None:
    """The shift the review opens on: the first of :func:`default_candidates` with
    data (``has_data``, in the same order), else the shift of the latest alert
    (``latest``), else the last completed one. A demo, whose alerts are all in the
    shift under way, opens on it rather than on an empty one."""
    candidates = default_candidates(settings, tz, now)
    for occurrence, data in zip(candidates, has_data, strict=False):
        if data:
            return occurrence
    if latest is not None and (found := shift_at(settings, tz, min(latest, now))) is not None:
        return found
    return last_completed(settings, tz, now)
