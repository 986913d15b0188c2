"""What every family of tests shares in one scan: the rows of the baseline and
the window, their week, and the zones containing each (computed once, in numpy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from csu_console.core.review.zoning import in_area
from csu_console.core.territory import Territory, ZoneRef
from csu_console.core.weak_signals.model import AlertHistory, AlertKey
from csu_console.core.weak_signals.params import DetectorParams

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

DAY_S = 86_400.0
WEEK_S = 7 * DAY_S


@dataclass
class ScanData:
    """The rows of one scan (``[base_start, now)``), as columns."""

    history: AlertHistory
    territory: Territory
    params: DetectorParams
    now: datetime
    now_s: float
    win_start_s: float
    base_start_s: float
    rows: Ints  # indices into the history
    t: Floats
    lon: Floats
    lat: Floats
    category: Ints
    in_window: Bools
    week: Ints  # baseline week 0 … baseline_weeks − 1 (oldest first); −1 in the window
    zones: tuple[ZoneRef, ...]
    masks: Bools  # (zones, rows): zone z contains row i

    def keys(self, idx: Ints) -> tuple[AlertKey, ...]:
        """The (source, id) of rows ``idx`` of the scan (empty when unknown)."""
        keys = self.history.keys
        if not keys:
            return ()
        return tuple(keys[int(r)] for r in self.rows[idx])

    def places(self, idx: Ints) -> tuple[tuple[float, float], ...]:
        """The (lon, lat) of rows ``idx`` that have a position."""
        lon, lat = self.lon[idx], self.lat[idx]
        ok = ~(np.isnan(lon) | np.isnan(lat))
        return tuple(zip(lon[ok].tolist(), lat[ok].tolist(), strict=True))

    def zone_ids(self, idx: Ints) -> tuple[str, ...]:
        """The zones containing at least one of rows ``idx``, in file order."""
        if not self.zones or idx.size == 0:
            return ()
        hit = [bool(v) for v in np.any(self.masks[:, idx], axis=1)]
        return tuple(z.id for z, h in zip(self.zones, hit, strict=True) if h)

    def communes(self, idx: Ints) -> tuple[str, ...]:
        """The communes (``Commune.key``) of rows ``idx``, as their placement says."""
        if not self.zones or idx.size == 0:
            return ()
        seen: dict[str, None] = {}
        for placement in self.territory.place_many(self.lon[idx], self.lat[idx]):
            if placement.commune is not None:
                seen.setdefault(placement.commune.key, None)
        return tuple(seen)

    def texts(self, idx: Ints) -> list[str]:
        text = self.history.text
        if not text:
            return [""] * int(idx.size)
        return [text[int(r)] for r in self.rows[idx]]


def build_scan(
    history: AlertHistory, territory: Territory, now: datetime, params: DetectorParams
) -> ScanData:
    """Select the rows of ``[now − window − baseline, now)`` and place them."""
    now_s = now.timestamp()
    win_start_s = now_s - params.window_days * DAY_S
    base_start_s = win_start_s - params.baseline_weeks * WEEK_S
    t_all = np.asarray(history.t, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero((t_all >= base_start_s) & (t_all < now_s)).astype(np.int64)
    t = t_all[rows]
    lon = np.asarray(history.lon, dtype=np.float64)[rows]
    lat = np.asarray(history.lat, dtype=np.float64)[rows]
    category = np.asarray(history.category, dtype=np.int64)[rows]
    in_window = t >= win_start_s
    week = np.where(in_window, -1, ((t - base_start_s) // WEEK_S).astype(np.int64))
    week = np.minimum(week, params.baseline_weeks - 1)
    areas = territory.zone_areas
    masks = np.zeros((len(areas), rows.size), dtype=bool)
    for z, (_ref, area) in enumerate(areas):
        masks[z] = in_area(lon, lat, area)
    return ScanData(
        history=history,
        territory=territory,
        params=params,
        now=now,
        now_s=now_s,
        win_start_s=win_start_s,
        base_start_s=base_start_s,
        rows=rows,
        t=t,
        lon=lon,
        lat=lat,
        category=category,
        in_window=in_window,
        week=week.astype(np.int64),
        zones=tuple(ref for ref, _area in areas),
        masks=masks,
    )
