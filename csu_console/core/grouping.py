"""Grouping of reports (« signaux faibles »): same category, same place, same time.

A report joins the first open group of its category whose *first* report is within
``radius_m`` metres and ``window`` of it; otherwise it opens a new group, keyed by
its own key. Groups are tried in the order they were opened, so the result does
not depend on anything but the order of :meth:`Grouper.add` calls. Reports without
position are never grouped. Every report keeps its own key (and its own log
entries): a group only says under which report the console shows it.

A group stops taking reports once the newest ``at`` seen is more than ``window``
past its first report; it is then dropped from the search, so an add costs
O(open groups of that category). Memberships stay readable until :meth:`forget`.
"""

from __future__ import annotations

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
    members: list[AlertKey] = field(default_factory=list)


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
        self._open: dict[str, dict[AlertKey, _Group]] = {}  # category -> open groups
        self._members: dict[AlertKey, list[AlertKey]] = {}
        self._group_of: dict[AlertKey, AlertKey] = {}
        self._newest: datetime | None = None

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
                group = _Group(key, lon, lat, at)
                self._open.setdefault(category, {})[key] = group
            if group is not None:
                group_key = group.key
        self._members.setdefault(group_key, []).append(key)
        self._group_of[key] = group_key
        return group_key

    def _find(self, category: str, lon: float, lat: float, at: datetime) -> _Group | None:
        """The first open group that takes the report; drops expired groups on the way."""
        groups = self._open.get(category)
        if not groups or self._newest is None:
            return None
        horizon = self._newest - self.window
        found = None
        for group_key, group in list(groups.items()):
            if group.at < horizon:
                del groups[group_key]
                continue
            if (
                found is None
                and abs(at - group.at) <= self.window
                and haversine_m(group.lon, group.lat, lon, lat) <= self.radius_m + _EPS_M
            ):
                found = group
        if not groups:
            del self._open[category]
        return found

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
        return sum(len(g) for g in self._open.values())

    def forget(self, group_key: AlertKey) -> None:
        """Drop a group and its memberships (its reports left the console's view)."""
        for key in self._members.pop(group_key, []):
            self._group_of.pop(key, None)
        for groups in self._open.values():
            groups.pop(group_key, None)
