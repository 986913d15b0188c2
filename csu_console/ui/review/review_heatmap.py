"""The review map's heatmap: the density of the filtered alerts of the period.

« Carte de chaleur » (off by default) on the review's map tab: the alerts the
review lists (its period and filters, read on the review's worker) feed the map
pane's :class:`~csu_console.ui.map.heatmap_layer.HeatmapLayer`. Their positions
are gathered only while the heatmap is on, and again when the list changes.

Past :data:`MARKERS_UNDER_HEAT` alerts, the heatmap replaces their markers while it
is on: three thousand discs cover the map whole and hide the very density asked
for (the live map keeps its markers: they are the open alerts, a few).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
from PySide6.QtCore import QObject

from csu_console.core.review.rows import AlertRow
from csu_console.ui.map.heatmap_toggle import HeatmapToggle
from csu_console.ui.map.map_pane import MapPane

#: Up to this many alerts, their markers stay over the heatmap.
MARKERS_UNDER_HEAT = 300


class ReviewHeatmap(QObject):
    """Feeds ``pane``'s heatmap with the review's alerts (see the module docstring)."""

    def __init__(self, pane: MapPane, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else pane)
        self._pane, self._layer, self._tz = pane, pane.heatmap, tz
        self._rows: Sequence[AlertRow] = ()
        self._stale = True
        self.toggle = HeatmapToggle()
        pane.add_tool(self.toggle)
        self.toggle.toggled.connect(self._on_toggle_toggled)

    def show_rows(self, rows: Sequence[AlertRow]) -> None:
        """The review's alerts changed (a period, a filter)."""
        self._rows, self._stale = rows, True
        if self.toggle.is_on():
            self._feed()
        self._show_markers()

    def _feed(self) -> None:
        placed = [r for r in self._rows if r.lon is not None and r.lat is not None]
        lon = np.fromiter((r.lon for r in placed), dtype=np.float64, count=len(placed))
        lat = np.fromiter((r.lat for r in placed), dtype=np.float64, count=len(placed))
        self._layer.set_points(lon, lat, label=self._label(placed))
        self._stale = False

    def _label(self, rows: Sequence[AlertRow]) -> str:
        if not rows:
            return self.tr("Alertes filtrées de la période")
        times = sorted(r.received_at for r in rows)
        first, last = (
            datetime.fromisoformat(t).astimezone(self._tz).strftime("%d/%m/%Y")
            for t in (times[0], times[-1])
        )
        if first == last:
            return self.tr("Alertes filtrées du {day}").format(day=first)
        return self.tr("Alertes filtrées du {a} au {b}").format(a=first, b=last)

    def _show_markers(self) -> None:
        many = len(self._rows) > MARKERS_UNDER_HEAT
        self._pane.overlays.set_alert_markers_visible(not (self.toggle.is_on() and many))

    def _on_toggle_toggled(self, on: bool) -> None:
        if on and self._stale:
            self._feed()
        self._layer.set_visible(on)
        self._show_markers()
