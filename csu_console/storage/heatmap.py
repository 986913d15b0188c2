"""The positions of the stored alerts of a period, for the heatmap (numpy arrays).

Only what the map needs is read (longitude, latitude, category), through the
``received_at`` index. An alert whose personal data the retention policy purged
has no position any more and is not counted: a heatmap never reaches past the
retention of positions.

:func:`heatmap_page` reads one page after a cursor, so that the console reads a
month of alerts in short storage tasks with incoming alerts committed between
them (the storage thread is the alert queue's: it must never be held long);
:func:`heatmap_points` reads them all at once (the review, the bench, tests).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from csu_console.storage.codec import iso
from csu_console.storage.store import Store

#: Alerts read by one storage task (≈ 10 ms on a modest disk).
PAGE_ROWS = 5_000

Cursor = tuple[str, int]
"""(received_at, pk) of the last alert read: the next page starts after it."""


@dataclass(frozen=True)
class HeatmapPoints:
    """Positions (degrees) and categories of alerts, in the order received."""

    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    categories: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.lon.shape[0])

    @staticmethod
    def empty() -> HeatmapPoints:
        """No point."""
        return HeatmapPoints(np.zeros(0), np.zeros(0), ())

    def extended(self, other: HeatmapPoints) -> HeatmapPoints:
        """These points, then ``other``'s."""
        return HeatmapPoints(
            np.concatenate([self.lon, other.lon]),
            np.concatenate([self.lat, other.lat]),
            self.categories + other.categories,
        )


def _query(
    since: datetime,
    until: datetime,
    categories: Collection[str] | None,
    after: Cursor | None,
    limit: int | None,
) -> tuple[str, dict[str, Any]]:
    if until <= since:
        raise ValueError(f"période vide : {iso(since)} → {iso(until)}")
    where = [
        "received_at >= :since",
        "received_at < :until",
        "lat IS NOT NULL",
        "lon IS NOT NULL",
    ]
    params: dict[str, Any] = {"since": iso(since), "until": iso(until)}
    if categories is not None:
        names = sorted(set(categories))
        where.append(f"category IN ({', '.join(f':c{i}' for i in range(len(names)))})")
        params.update({f"c{i}": c for i, c in enumerate(names)})
    if after is not None:
        where.append("(received_at, pk) > (:after_at, :after_pk)")
        params["after_at"], params["after_pk"] = after
    sql = (
        "SELECT received_at, pk, lon, lat, category FROM alerts"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY received_at, pk"
    )
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return sql, params


def _points(rows: list[tuple[Any, ...]]) -> HeatmapPoints:
    if not rows:
        return HeatmapPoints.empty()
    lon = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    lat = np.fromiter((r[3] for r in rows), dtype=np.float64, count=len(rows))
    return HeatmapPoints(lon, lat, tuple(str(r[4]) for r in rows))


def heatmap_page(
    store: Store,
    since: datetime,
    until: datetime,
    categories: Collection[str] | None = None,
    after: Cursor | None = None,
    limit: int = PAGE_ROWS,
) -> tuple[HeatmapPoints, Cursor | None]:
    """Up to ``limit`` alerts with a position received in ``[since, until)`` after
    ``after``, of ``categories`` (None: all; empty: none), and the cursor of the next
    page (None when this one was the last)."""
    if categories is not None and not categories:
        return HeatmapPoints.empty(), None
    sql, params = _query(since, until, categories, after, limit)
    rows = store.conn.execute(sql, params).fetchall()
    cursor = (str(rows[-1][0]), int(rows[-1][1])) if len(rows) == limit else None
    return _points(rows), cursor


def heatmap_points(
    store: Store,
    since: datetime,
    until: datetime,
    categories: Collection[str] | None = None,
) -> HeatmapPoints:
    """Every alert with a position received in ``[since, until)``, of ``categories``
    (None: all; empty: none)."""
    if categories is not None and not categories:
        return HeatmapPoints.empty()
    sql, params = _query(since, until, categories, None, None)
    return _points(store.conn.execute(sql, params).fetchall())
