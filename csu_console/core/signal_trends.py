"""Trends over the stored history, for the « Signaux faibles » screen (Qt-free).

- :func:`signal_weeks`: the weekly counts of a signal's cell (its category, its zones,
  its term) over the last weeks up to the end of its window, and the mean of the
  weeks before its window (what it is compared with);
- :func:`compare_periods`: a chosen period against the same-length periods before
  it, by category and by commune (« Tendances »).

Both work on a :class:`PlacedHistory`: the history's columns and, per row, the zones
and the commune the territory places it in (worked out once, off the GUI thread).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from csu_console.core.territory import Territory
from csu_console.core.weak_signals.model import AlertHistory, Signal, SignalKind
from csu_console.core.weak_signals.text import content_words

Mask = npt.NDArray[np.bool_]
WEEK = timedelta(days=7)
#: The label of alerts outside every zone, in the commune table.
OUTSIDE = "hors territoire"


class PlacedHistory:
    """A history and where each row falls: the placement's index per row (rows in
    the same zones share one), and per placement its zone ids and commune key."""

    def __init__(
        self,
        history: AlertHistory,
        combo: npt.NDArray[np.int64],
        combo_zones: list[tuple[str, ...]],
        combo_communes: list[str | None],
    ) -> None:
        self.history = history
        self.combo = combo
        self.combo_zones = combo_zones
        self.combo_communes = combo_communes
        self._words: list[str] | None = None  # each row's content words, when asked

    @classmethod
    def place(cls, history: AlertHistory, territory: Territory) -> PlacedHistory:
        placements = territory.place_many(history.lon, history.lat)
        index: dict[tuple[str, ...], int] = {}
        zones: list[tuple[str, ...]] = []
        communes: list[str | None] = []
        combo = np.empty(len(placements), dtype=np.int64)
        for i, p in enumerate(placements):
            key = p.zone_ids
            k = index.get(key)
            if k is None:
                k = index[key] = len(zones)
                zones.append(key)
                communes.append(None if p.commune is None else p.commune.key)
            combo[i] = k
        return cls(history, combo, zones, communes)

    @property
    def communes(self) -> list[str | None]:
        """Each row's commune key (None: outside every zone)."""
        return [self.combo_communes[k] for k in self.combo.tolist()]

    def _rows_where(self, keep: list[bool]) -> Mask:
        """Rows whose placement is kept (``keep[k]`` for placement ``k``)."""
        if not keep:
            return np.zeros(len(self.combo), dtype=bool)
        return np.asarray(keep, dtype=bool)[self.combo]

    def _content(self) -> list[str]:
        if self._words is None:
            texts = self.history.text or [""] * len(self.history)
            self._words = [f" {' '.join(content_words(t))} " for t in texts]
        return self._words

    def mask_for(self, signal: Signal) -> Mask:
        """The rows of the signal's cell: its category, in its zones (a cluster: in the
        square around its places, which crosses zone borders), with its term."""
        h = self.history
        mask = np.ones(len(h), dtype=bool)
        if signal.category is not None:
            code = h.categories.index(signal.category) if signal.category in h.categories else -1
            mask &= h.category == code
        if signal.kind is SignalKind.CLUSTER and signal.places:
            lon = np.array([p[0] for p in signal.places])
            lat = np.array([p[1] for p in signal.places])
            d_lat = CLUSTER_MARGIN_M / 111_320.0
            d_lon = d_lat / max(math.cos(math.radians(float(lat.mean()))), 0.01)
            with np.errstate(invalid="ignore"):  # NaN: no position, never inside
                mask &= (
                    (h.lon >= lon.min() - d_lon) & (h.lon <= lon.max() + d_lon)
                    & (h.lat >= lat.min() - d_lat) & (h.lat <= lat.max() + d_lat)
                )  # fmt: skip
        elif signal.zone_ids:
            wanted = set(signal.zone_ids)
            mask &= self._rows_where([not wanted.isdisjoint(z) for z in self.combo_zones])
        elif signal.communes:
            communes = set(signal.communes)
            mask &= self._rows_where([c in communes for c in self.combo_communes])
        if signal.term:
            # As the detector reads texts: folded content words, the term's in a row.
            needle = f" {' '.join(content_words(signal.term))} "
            words = self._content()
            mask &= np.fromiter((needle in w for w in words), dtype=bool, count=len(h))
        return mask


@dataclass(frozen=True)
class WeekCounts:
    """Weekly counts ending at ``end`` (oldest first) and the baseline's mean."""

    starts: tuple[datetime, ...]
    counts: tuple[int, ...]
    baseline_mean: float | None  # the mean of the weeks before the signal's window
    window_weeks: int  # the last ``window_weeks`` bars are the signal's window


#: A cluster's weeks are counted in the box around its places, this much wider.
CLUSTER_MARGIN_M = 50.0


def _bins(t: npt.NDArray[np.float64], starts: Sequence[datetime], end: datetime) -> list[int]:
    edges = np.array([s.timestamp() for s in starts] + [end.timestamp()])
    counts, _ = np.histogram(t, bins=edges)
    return [int(c) for c in counts]


def signal_weeks(
    placed: PlacedHistory, signal: Signal, weeks: int = 12, baseline_weeks: int = 8
) -> WeekCounts:
    """The signal's cell, week by week, over ``weeks`` weeks up to the end of its
    window; the baseline is the mean of the ``baseline_weeks`` weeks before it."""
    end = signal.end.astimezone(UTC)
    window = max(1, round((signal.end - signal.start) / WEEK))
    starts = tuple(end - WEEK * (weeks - i) for i in range(weeks))
    t = placed.history.t[placed.mask_for(signal)]
    counts = _bins(t, starts, end)
    before = counts[max(0, weeks - window - baseline_weeks) : max(0, weeks - window)]
    mean = float(np.mean(before)) if before else None
    return WeekCounts(starts, tuple(counts), mean, min(window, weeks))


@dataclass(frozen=True)
class TrendRow:
    """One category or commune: the chosen period, the previous periods' mean and
    range, and the change against the mean (None when the mean is 0)."""

    key: str
    current: int
    mean: float
    low: int
    high: int

    @property
    def change(self) -> float | None:
        return None if self.mean == 0 else (self.current - self.mean) / self.mean


@dataclass(frozen=True)
class PeriodComparison:
    """« Tendances »: the chosen period against the ``previous`` ones before it."""

    start: datetime
    end: datetime
    previous: int
    by_category: tuple[TrendRow, ...]
    by_commune: tuple[TrendRow, ...]
    totals: tuple[int, ...]  # every period, oldest first (the chosen one last)


def _rows(
    keys: Sequence[str | None], periods: npt.NDArray[np.int64], n: int, outside: str
) -> tuple[TrendRow, ...]:
    """Counts per key and period (``periods``: the row's period, −1 outside)."""
    table: dict[str, list[int]] = {}
    for key, p in zip(keys, periods.tolist(), strict=True):
        if p < 0:
            continue
        table.setdefault(outside if key is None else key, [0] * n)[p] += 1
    rows = []
    for key, counts in table.items():
        before = counts[:-1]
        rows.append(
            TrendRow(
                key,
                counts[-1],
                float(np.mean(before)) if before else 0.0,
                min(before, default=0),
                max(before, default=0),
            )
        )
    rows.sort(key=lambda r: (-(r.current - r.mean), -r.current, r.key))
    return tuple(rows)


def compare_periods(
    placed: PlacedHistory, start: datetime, end: datetime, previous: int = 8
) -> PeriodComparison:
    """Counts of [start, end) by category and by commune against the ``previous``
    periods of the same length just before it."""
    length = (end - start).total_seconds()
    if length <= 0:
        raise ValueError("période vide")
    t = placed.history.t
    first = start.timestamp() - previous * length
    index = np.floor((t - first) / length).astype(np.int64)
    index[(t < first) | (t >= end.timestamp())] = -1
    n = previous + 1
    h = placed.history
    categories = [h.categories[c] if 0 <= c < len(h.categories) else "?" for c in h.category]
    totals = np.bincount(index[index >= 0], minlength=n)[:n]
    return PeriodComparison(
        start,
        end,
        previous,
        _rows(categories, index, n, "?"),
        _rows(placed.communes, index, n, OUTSIDE),
        tuple(int(x) for x in totals),
    )
