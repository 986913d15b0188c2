"""The live map's heatmap: the stored alerts of a recent period, read page by page.

« Carte de chaleur » (off by default) shows where the alerts of the last days
were, under the open alerts' markers. The points are read by
:func:`~csu_console.storage.heatmap.heatmap_page` on the storage thread through
:class:`~csu_console.ui.bridge.DbTasks`, one short page per task, so that the
alerts arriving meanwhile are committed between two pages: a month of history
never holds the alert queue. They are read again every :data:`REFRESH_MS` while
the heatmap is on; a newer load makes an older one stale (its pages are dropped).
The periods offered stay within the retention of positions (``[retention]
personal_data_days``): older alerts no longer have one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from csu_console.core.retention import RetentionPolicy
from csu_console.storage.heatmap import PAGE_ROWS, Cursor, HeatmapPoints, heatmap_page
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks
from csu_console.ui.map.heatmap_toggle import HeatmapToggle
from csu_console.ui.map.map_pane import MapPane

log = logging.getLogger("csu.ui")

#: Periods offered, in days (those within the retention of positions).
PERIODS = (1, 7, 30, 90)
DEFAULT_DAYS = 7
#: The heatmap is read again this often while it is on.
REFRESH_MS = 5 * 60 * 1000


def offered_periods(retention: RetentionPolicy) -> tuple[int, ...]:
    """The periods within the retention of positions (at least the retention itself)."""
    keep = retention.personal_data_days
    periods = tuple(d for d in PERIODS if d <= keep)
    return periods if periods else (keep,)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class LiveHeatmap(QObject):
    """Feeds ``pane``'s heatmap from the station's store (see the module docstring).

    ``loaded(n)`` follows each complete load of ``n`` points; ``failed(message)`` a
    read that failed (logged, the previous heatmap stays).
    """

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        pane: MapPane,
        tasks: DbTasks,
        retention: RetentionPolicy,
        *,
        now: Callable[[], datetime] = _utcnow,
        refresh_ms: int = REFRESH_MS,
        page_rows: int = PAGE_ROWS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else pane)
        self._layer = pane.heatmap
        self._tasks, self._now, self._page_rows = tasks, now, page_rows
        periods = offered_periods(retention)
        default = DEFAULT_DAYS if DEFAULT_DAYS in periods else periods[-1]
        self.toggle = HeatmapToggle(periods, default)
        pane.add_tool(self.toggle)
        self._load = 0  # the current load; pages of older ones are dropped
        self.pages_read = 0  # storage tasks run (tests see the paging)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.reload)
        self.toggle.toggled.connect(self._on_toggle_toggled)
        self.toggle.period_changed.connect(self._on_toggle_period_changed)

    def reload(self) -> None:
        """Read the chosen period's points again (when the heatmap is on)."""
        if not self.toggle.is_on():
            return
        days = self.toggle.days() or DEFAULT_DAYS
        until = self._now()
        since = until - timedelta(days=days)
        self._load += 1
        label = self.toggle.period_label(days)
        self._read(self._load, since, until, label, [], None)

    def _read(
        self,
        load: int,
        since: datetime,
        until: datetime,
        label: str,
        pages: list[HeatmapPoints],
        after: Cursor | None,
    ) -> None:
        limit = self._page_rows

        def page(store: Store) -> tuple[HeatmapPoints, Cursor | None]:
            return heatmap_page(store, since, until, None, after, limit)

        def done(result: tuple[HeatmapPoints, Cursor | None]) -> None:
            if load != self._load:
                return  # a newer load (or the toggle off) made this one stale
            self.pages_read += 1
            points, cursor = result
            pages.append(points)
            if cursor is not None:
                self._read(load, since, until, label, pages, cursor)
                return
            lon = np.concatenate([p.lon for p in pages])
            lat = np.concatenate([p.lat for p in pages])
            self._layer.set_points(lon, lat, label=label)
            self.loaded.emit(len(lon))

        self._tasks.run(page, done, self._on_read_failed, owner=self)

    def _on_read_failed(self, exc: BaseException) -> None:
        log.warning("carte de chaleur : lecture des alertes impossible : %s", exc)
        self.failed.emit(self.tr("Carte de chaleur : lecture impossible ({m})").format(m=exc))

    def _on_toggle_toggled(self, on: bool) -> None:
        self._layer.set_visible(on)
        if on:
            self._timer.start()
            self.reload()
        else:
            self._timer.stop()
            self._load += 1  # pages under way are dropped

    def _on_toggle_period_changed(self, _days: int) -> None:
        self.reload()
