"""Indicators of the alerts of a period (Qt-free, pure): counts and delays.

Delays (see :mod:`~csu_console.core.review.rows` for what « acknowledged » and
« dispatched » mean) are summarised by:

- the *median*: the middle value, or the mean of the two middle values;
- the *p90*, by nearest rank: the smallest delay that at least 90 % of the
  alerts did not exceed (``sorted[ceil(0.9 × n) − 1]``);
- the *max*.

Alerts never acknowledged (or never dispatched) are counted apart, not as a
delay. A negative delay (another station's clock ahead of ours) counts as 0.

:class:`AlertTally` takes rows one at a time, so a month of alerts is summarised
without keeping the rows.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from csu_console.core.review.filter import NO_OUTCOME
from csu_console.core.review.rows import AlertFacts, AlertRow

#: Upper bounds (seconds) of the delay histogram's bins; a last bin takes the rest.
DELAY_BINS_S: tuple[float, ...] = (30, 60, 120, 300, 600, 1800)
DELAY_BIN_LABELS: tuple[str, ...] = (
    "< 30 s", "30 s – 1 min", "1 – 2 min", "2 – 5 min", "5 – 10 min", "10 – 30 min", "≥ 30 min",
)  # fmt: skip


@dataclass(frozen=True)
class DelayStats:
    """How many delays, their median, p90 (nearest rank) and max, in seconds."""

    count: int
    median_s: float | None = None
    p90_s: float | None = None
    max_s: float | None = None


def nearest_rank(ordered: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0 < q ≤ 1) of sorted values, by nearest rank."""
    if not ordered:
        raise ValueError("aucune valeur")
    # round: 0.9 × 70 is 63.00000000000001 in binary floating point, rank 63 all the same
    return ordered[max(0, math.ceil(round(q * len(ordered), 9)) - 1)]


def delay_stats(values: Iterable[float]) -> DelayStats:
    """Median, p90 and max of delays (negative ones count as 0)."""
    return _delay_stats(_clamped(values))


def _clamped(values: Iterable[float]) -> list[float]:
    """Sorted, negative values (clocks of other stations ahead) raised to 0."""
    ordered = sorted(values)
    negatives = bisect_left(ordered, 0.0)
    ordered[:negatives] = [0.0] * negatives
    return ordered


def _delay_stats(ordered: list[float]) -> DelayStats:
    n = len(ordered)
    if n == 0:
        return DelayStats(0)
    mid = n // 2
    median = ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return DelayStats(n, median, nearest_rank(ordered, 0.9), ordered[-1])


def histogram(values: Iterable[float], bounds: Sequence[float] = DELAY_BINS_S) -> tuple[int, ...]:
    """Counts per bin: ``[0, b0)``, ``[b0, b1)``, … ``[b_last, ∞)``."""
    return _histogram(sorted(values), bounds)


def _histogram(ordered: list[float], bounds: Sequence[float] = DELAY_BINS_S) -> tuple[int, ...]:
    cuts = [0, *(bisect_left(ordered, b) for b in bounds), len(ordered)]
    return tuple(hi - lo for lo, hi in pairwise(cuts))


def hour_start(received_at: str) -> datetime:
    """The UTC hour an ISO time falls in (``2025-03-30T14:…`` → 14:00 UTC)."""
    return datetime.fromisoformat(received_at[:13] + ":00:00").replace(tzinfo=UTC)


@dataclass(frozen=True)
class AlertIndicators:
    """Counts and delays of the alerts of a review.

    An alert in several zones (one per zoning) counts once in each; one whose
    interventions ended in several ways counts once per outcome, and one with
    none under :data:`~csu_console.core.review.filter.NO_OUTCOME`. ``by_hour``
    maps each UTC hour start to counts per category (hours without alerts absent).
    """

    count: int
    by_category: dict[str, int]
    by_priority: dict[int, int]
    by_zone: dict[str, int]
    by_outcome: dict[str, int]
    by_hour: dict[datetime, dict[str, int]]
    ack: DelayStats
    dispatch: DelayStats
    ack_histogram: tuple[int, ...]
    dispatch_histogram: tuple[int, ...]
    escalated: int
    never_acknowledged: int
    never_dispatched: int
    #: Alerts per tuple of zones containing them (what places them in a commune:
    #: see :meth:`~csu_console.core.review.places.ReviewZones.commune_key`).
    by_zone_set: dict[tuple[str, ...], int] = field(default_factory=dict)


class AlertTally:
    """Takes :class:`AlertRow` (or :class:`AlertFacts`) one by one; :meth:`result`
    gives the indicators.

    A month is a million rows: :meth:`add` only bumps a few plain dicts keyed by
    what repeats (hour and category, the tuple of zones, the tuple of outcomes)
    and appends the delays; the breakdowns are expanded once, in :meth:`result`.
    """

    def __init__(self) -> None:
        self.count = 0
        self.escalated = 0
        self.hour_category: dict[tuple[str, str], int] = {}
        self.by_priority: dict[int, int] = {}
        self.zone_sets: dict[tuple[str, ...], int] = {}
        self.outcome_sets: dict[tuple[str, ...], int] = {}
        self.ack = array("d")
        self.dispatch = array("d")

    def add(self, row: AlertRow | AlertFacts) -> None:
        """Count one alert."""
        self.add_all((row,))

    def add_all(self, rows: Iterable[AlertRow | AlertFacts]) -> AlertTally:
        """Count every row; returns self (one tight loop: a month is a million rows)."""
        hc, by_priority = self.hour_category, self.by_priority
        zone_sets, outcome_sets = self.zone_sets, self.outcome_sets
        ack, dispatch = self.ack.append, self.dispatch.append
        count = escalated = 0
        for row in rows:
            count += 1
            key = (row.received_at[:13], row.category)
            hc[key] = hc.get(key, 0) + 1
            by_priority[row.priority] = by_priority.get(row.priority, 0) + 1
            zone_sets[row.zones] = zone_sets.get(row.zones, 0) + 1
            outcome_sets[row.outcomes] = outcome_sets.get(row.outcomes, 0) + 1
            if row.ack_s is not None:
                ack(row.ack_s)
            if row.dispatch_s is not None:
                dispatch(row.dispatch_s)
            if row.escalated:
                escalated += 1
        self.count += count
        self.escalated += escalated
        return self

    def result(self) -> AlertIndicators:
        """The indicators of every alert added so far."""
        by_category: Counter[str] = Counter()
        by_hour: dict[str, dict[str, int]] = {}
        for (hour, category), n in sorted(self.hour_category.items()):
            by_category[category] += n
            by_hour.setdefault(hour, {})[category] = n
        by_zone: Counter[str] = Counter()
        for zones, n in self.zone_sets.items():
            for zone in zones:
                by_zone[zone] += n
        by_outcome: Counter[str] = Counter()
        for outcomes, n in self.outcome_sets.items():
            for outcome in outcomes or (NO_OUTCOME,):
                by_outcome[outcome] += n
        ack, dispatch = _clamped(self.ack), _clamped(self.dispatch)
        return AlertIndicators(
            count=self.count,
            by_category=dict(by_category.most_common()),
            by_priority=dict(sorted(self.by_priority.items())),
            by_zone=dict(by_zone.most_common()),
            by_outcome=dict(by_outcome.most_common()),
            by_hour={hour_start(h): c for h, c in by_hour.items()},
            ack=_delay_stats(ack),
            dispatch=_delay_stats(dispatch),
            ack_histogram=_histogram(ack),
            dispatch_histogram=_histogram(dispatch),
            escalated=self.escalated,
            never_acknowledged=self.count - len(ack),
            never_dispatched=self.count - len(dispatch),
            by_zone_set=dict(self.zone_sets),
        )


def tally(rows: Iterable[AlertRow | AlertFacts]) -> AlertIndicators:
    """The indicators of ``rows`` (a shortcut for :class:`AlertTally`)."""
    return AlertTally().add_all(rows).result()


#: One colour per category, shared by the review screen's charts and the report.
CATEGORY_COLORS: dict[str, str] = {
    "cambriolage": "#6a1b9a", "comportement_suspect": "#1565c0", "demarchage_abusif": "#00838f",
    "animal_perdu": "#2e7d32", "degradation": "#f9a825", "incendie": "#d84315",
    "accident": "#c62828", "rixe": "#ad1457", "inondation": "#0277bd",
    "feu_de_foret": "#558b2f", "meteo": "#4527a0", "pollution": "#6d4c41",
    "risque_technologique": "#ef6c00", "seisme": "#795548", "alerte_population": "#b71c1c",
    "autre": "#607d8b",
}  # fmt: skip


def hours_of(start: datetime, end: datetime) -> list[datetime]:
    """Every UTC hour start from ``start``'s hour to before ``end`` (the x axis)."""
    hour = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    out = []
    while hour < end:
        out.append(hour)
        hour += timedelta(hours=1)
    return out
