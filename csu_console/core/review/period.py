"""Periods of time in UTC, and how local wall-clock times become instants (Qt-free).

Every query of the review works on a :class:`Period` ``[start, end)`` in UTC;
the site's time zone only matters when a person picks a day or a shift, and when
times are shown. Local times are converted with :func:`local_instant`, which is
defined for the two awkward nights of the year (see there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from csu_console.errors import UserFacingError

_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


class PeriodError(UserFacingError):
    """A period that cannot be reviewed (end before start, naive times)."""


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in UTC; both ends timezone-aware (converted to UTC here)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise PeriodError("Période : heures sans fuseau horaire.")
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))
        if self.end <= self.start:
            raise PeriodError("Période : la fin doit suivre le début.")

    @property
    def seconds(self) -> float:
        """Length in seconds (a night shift over a DST change is 7 or 9 hours)."""
        return (self.end - self.start).total_seconds()

    def contains(self, at: datetime) -> bool:
        """True when ``start <= at < end``."""
        return self.start <= at < self.end

    def label(self, tz: tzinfo) -> str:
        """« du lundi 31 mars 2025 06:00 au lundi 31 mars 2025 14:00 » in local time."""
        return f"du {long_datetime(self.start, tz)} au {long_datetime(self.end, tz)}"


def local_instant(day: date, wall: time, tz: tzinfo) -> datetime:
    """The UTC instant of wall-clock time ``wall`` on ``day`` in ``tz``.

    A time repeated when clocks go back is taken at its first occurrence (summer
    time); a time skipped when they go forward is read with the offset in force
    before the change (02:30 on the spring night is 03:30 summer time). The same
    rule on both sides of a boundary keeps consecutive shifts back to back.
    """
    local = datetime.combine(day, wall.replace(tzinfo=None), tzinfo=tz).replace(fold=0)
    return local.astimezone(UTC)


def day_period(first: date, last: date | None, tz: tzinfo) -> Period:
    """Local days ``first`` to ``last`` (inclusive), midnight to midnight: 23 or 25
    hours for a day whose clocks change."""
    last = last or first
    if last < first:
        raise PeriodError("Période : le dernier jour précède le premier.")
    return Period(
        local_instant(first, time(0), tz), local_instant(last + timedelta(days=1), time(0), tz)
    )


def long_date(day: date) -> str:
    """« lundi 31 mars 2025 »."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def long_datetime(at: datetime, tz: tzinfo) -> str:
    """« lundi 31 mars 2025 06:00 » in local time."""
    local = at.astimezone(tz)
    return f"{long_date(local.date())} {local:%H:%M}"
