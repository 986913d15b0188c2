"""Grouping of reports (« signaux faibles »): same category, same place, same time.

A report joins the first open group of its category whose *first* report is within
``radius_m`` metres and ``window`` of it; otherwise it opens a new group, keyed by
its own key. Groups are tried in the order they were opened, so the result does
not depend on anything but the order of :meth:`Grouper.add` calls. Reports without
position are never grouped. Every report keeps its own key (and its own log
entries): a group only says under which report the console shows it.

A group stops taking reports once the newest ``at`` seen is more than ``window``
past its first report; it is then dropped from the search. Open groups are kept
in a grid of cells about ``radius_m`` wide, so an add only looks at the groups of
the neighbouring cells (an alert storm would otherwise cost O(groups) per report
on the GUI thread). Memberships stay readable until :meth:`forget`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from csu_console.core.geo import haversine_m

AlertKey = tuple[str, str]
"""(source, id), as :attr:`csu_console.core.alerts.Alert.key`."""

DEFAULT_RADIUS_M = 150.0
DEFAULT_WINDOW = timedelta(minutes=15)

_EPS_M = 1e-6  # a report exactly at the radius is in


@dataclass
class _Group:
    key: AlertKey
    lon: float
    lat: float
    at: datetime
    seq: int = 0  # opening order: the earliest matching group wins
    at_s: float = 0.0  # ``at`` as a POSIX timestamp (what the search compares)
    cell: tuple[str, int, int] = ("", 0, 0)
    members: list[AlertKey] = field(default_factory=list)


_M_PER_DEG_LAT = 111_320.0
_SWEEP_EVERY = 256
#: The flat-earth pre-test lets through up to this much over the radius (its error
#: at city scale is far smaller); the great-circle distance decides.
_PREFILTER = 1.01


class Grouper:
    """Groups reports as they arrive; see the module docstring for the rule.

    ``radius_m`` or ``window`` of 0 turns grouping off (every report alone).
    Times must be timezone-aware; use the time the console received the report,
    which only moves forward (a citizen's own clock does not).
    """

    def __init__(
        self, radius_m: float = DEFAULT_RADIUS_M, window: timedelta = DEFAULT_WINDOW
    ) -> None:
        if radius_m < 0 or window < timedelta(0):
            raise ValueError("rayon et fenêtre de regroupement positifs attendus")
        self.radius_m = radius_m
        self.window = window
        self._window_s = window.total_seconds()
        self._open: dict[str, dict[AlertKey, _Group]] = {}  # category -> open groups
        self._members: dict[AlertKey, list[AlertKey]] = {}
        self._group_of: dict[AlertKey, AlertKey] = {}
        self._newest: datetime | None = None
        self._cells: dict[tuple[str, int, int], list[_Group]] = {}
        self._seq = 0
        self._adds = 0

    @property
    def enabled(self) -> bool:
        """False when the settings turned grouping off."""
        return self.radius_m > 0 and self.window > timedelta(0)

    def add(
        self, key: AlertKey, category: str, lon: float | None, lat: float | None, at: datetime
    ) -> AlertKey:
        """Place a report; returns its group's key (its own key when it opens a group).

        Adding a key again returns its group unchanged.
        """
        known = self._group_of.get(key)
        if known is not None:
            return known
        if self._newest is None or at > self._newest:
            self._newest = at
        group_key = key
        if lon is not None and lat is not None:
            group = self._find(category, lon, lat, at)
            if group is None and self.enabled:
                self._seq += 1
                cell = self._cell(category, lon, lat)
                group = _Group(key, lon, lat, at, self._seq, at.timestamp(), cell)
                self._open.setdefault(category, {})[key] = group
                self._cells.setdefault(cell, []).append(group)
            if group is not None:
                group_key = group.key
        self._members.setdefault(group_key, []).append(key)
        self._group_of[key] = group_key
        return group_key

    def place(
        self,
        key: AlertKey,
        group_key: AlertKey,
        category: str,
        lon: float | None,
        lat: float | None,
        at: datetime,
    ) -> None:
        """Record a decision taken before (the hub's stored one, replayed at its
        start): ``key`` opens a group (``group_key == key``) or is in ``group_key``'s."""
        if key in self._group_of:
            return
        if self._newest is None or at > self._newest:
            self._newest = at
        if group_key == key and lon is not None and lat is not None and self.enabled:
            self._seq += 1
            cell = self._cell(category, lon, lat)
            group = _Group(key, lon, lat, at, self._seq, at.timestamp(), cell)
            self._open.setdefault(category, {})[key] = group
            self._cells.setdefault(cell, []).append(group)
        self._members.setdefault(group_key, []).append(key)
        self._group_of[key] = group_key

    def _cell(self, category: str, lon: float, lat: float) -> tuple[str, int, int]:
        deg_lat = self.radius_m / _M_PER_DEG_LAT
        deg_lon = deg_lat / max(math.cos(math.radians(lat)), 0.01)
        return (category, math.floor(lon / deg_lon), math.floor(lat / deg_lat))

    def _find(self, category: str, lon: float, lat: float, at: datetime) -> _Group | None:
        """The earliest open group that takes the report (neighbouring cells only)."""
        if self._newest is None or not self.enabled:
            return None
        horizon = self._newest - self.window
        self._adds += 1
        if self._adds % _SWEEP_EVERY == 0:
            self._sweep(horizon)
        _, cx, cy = self._cell(category, lon, lat)
        # A flat-earth distance first (two multiply-adds), the great-circle one only
        # near the radius: a storm puts many groups in each cell, on the GUI thread.
        kx = _M_PER_DEG_LAT * math.cos(math.radians(lat))
        near2 = (self.radius_m * _PREFILTER + 1.0) ** 2
        at_s, horizon_s, window_s = at.timestamp(), horizon.timestamp(), self._window_s
        found: _Group | None = None
        # Two cells of longitude each way: cells are computed at each point's own
        # latitude, so allow for the (city-scale, tiny) difference.
        for dx in range(-2, 3):
            for dy in (-1, 0, 1):
                for group in self._cells.get((category, cx + dx, cy + dy), ()):
                    if group.at_s < horizon_s or (found is not None and group.seq > found.seq):
                        continue
                    ex = (group.lon - lon) * kx
                    ey = (group.lat - lat) * _M_PER_DEG_LAT
                    if (
                        ex * ex + ey * ey <= near2
                        and abs(at_s - group.at_s) <= window_s
                        and haversine_m(group.lon, group.lat, lon, lat) <= self.radius_m + _EPS_M
                    ):
                        found = group
        return found

    def _sweep(self, horizon: datetime) -> None:
        """Drop groups past the window from the search structures."""
        for category, groups in list(self._open.items()):
            for group_key, group in list(groups.items()):
                if group.at < horizon:
                    del groups[group_key]
                    cell = self._cells.get(group.cell)
                    if cell is not None:
                        cell.remove(group)
                        if not cell:
                            del self._cells[group.cell]
            if not groups:
                del self._open[category]

    def close(self, group_key: AlertKey) -> None:
        """Take no more reports into this group (its first report was cancelled by its
        issuer, or expired: a new report starts a group of its own); its members stay."""
        for category, groups in list(self._open.items()):
            group = groups.pop(group_key, None)
            if group is None:
                continue
            cell = self._cells.get(group.cell)
            if cell is not None and group in cell:
                cell.remove(group)
                if not cell:
                    del self._cells[group.cell]
            if not groups:
                del self._open[category]

    def group_of(self, key: AlertKey) -> AlertKey | None:
        """The key of ``key``'s group (itself for a first report); None if never added."""
        return self._group_of.get(key)

    def members(self, group_key: AlertKey) -> tuple[AlertKey, ...]:
        """Every report of a group, first report first; empty for an unknown key."""
        return tuple(self._members.get(group_key, ()))

    def count(self, group_key: AlertKey) -> int:
        """How many reports a group holds (0 for an unknown key)."""
        return len(self._members.get(group_key, ()))

    def open_groups(self) -> int:
        """Groups still taking reports (as of the last add), for tests and stats."""
        if self._newest is not None:
            self._sweep(self._newest - self.window)
        return sum(len(g) for g in self._open.values())

    def forget(self, group_key: AlertKey) -> None:
        """Drop a group and its memberships (its reports left the console's view)."""
        for key in self._members.pop(group_key, []):
            self._group_of.pop(key, None)
        for groups in self._open.values():
            group = groups.pop(group_key, None)
            if group is not None and group in self._cells.get(group.cell, []):
                self._cells[group.cell].remove(group)
