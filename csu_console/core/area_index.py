"""An alert's area against many cameras at once: vectorised geometry (numpy, no Qt).

:class:`AreaIndex` projects an :class:`~csu_console.core.geo.Area` onto a local flat
frame in metres (equirectangular around a chosen origin: exact enough at the scale
of a commune or a département) and answers, for arrays of positions:

* :meth:`AreaIndex.contains` — inside one polygon and outside its holes (each
  polygon has its own parity, so overlapping polygons of a union stay inside);
* :meth:`AreaIndex.distance` — metres to the nearest edge (0 inside), and the
  nearest point;
* :meth:`AreaIndex.sector_meets` — a camera's view sector (apex, heading ± fov/2,
  range) meets the area: for an apex outside the area, some edge has an end in the
  sector, or crosses one of its two radii or its arc (exact, no arc approximation);
* :meth:`AreaIndex.meets` — two areas share a point (a zone and the alert's area).

Positions are handled in spatially compact groups (sorted by cells of the area's
size / 16), each against only the edges near its bounding box (within the range of
its cameras, the reach of the distance, or the latitudes a ray crosses): a commune
outline of thousands of points over thousands of cameras stays fast and within a
few megabytes.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from csu_console.core.geo import EARTH_RADIUS_M, Area

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

#: Position × edge pairs computed at once (bounds the temporary arrays' size).
CHUNK_PAIRS = 200_000

_M_PER_DEG = math.pi * EARTH_RADIUS_M / 180.0


@dataclass(frozen=True)
class Frame:
    """A local flat frame: metres east (x) and north (y) of ``(lon0, lat0)``."""

    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        return math.cos(math.radians(self.lat0)) * _M_PER_DEG

    def project(self, lons: Floats, lats: Floats) -> tuple[Floats, Floats]:
        """(x, y) in metres of arrays of longitudes and latitudes."""
        return (lons - self.lon0) * self.kx, (lats - self.lat0) * _M_PER_DEG

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        """(lon, lat) of a point of the frame."""
        return (self.lon0 + x / self.kx, self.lat0 + y / _M_PER_DEG)


def frame_for(area: Area) -> Frame:
    """The frame centred on the area's bounding box."""
    min_lon, min_lat, max_lon, max_lat = area.bbox
    return Frame((min_lon + max_lon) / 2.0, (min_lat + max_lat) / 2.0)


#: Positions handled together: a spatially compact group (see :func:`_groups`).
GROUP = 64


def _groups(x: Floats, y: Floats) -> Iterator[npt.NDArray[np.intp]]:
    """Indices of the positions in spatially compact groups: square cells sized to
    hold about :data:`GROUP` positions on average (a crowded cell is split), so each
    group's bounding box is small and only the edges near it are looked at."""
    n = len(x)
    if not n:
        return
    width, height = float(x.max() - x.min()), float(y.max() - y.min())
    cell = max(math.sqrt(max(width, 1.0) * max(height, 1.0) * GROUP / n), 1.0)
    cx, cy = np.floor(x / cell), np.floor(y / cell)
    order = np.lexsort((cx, cy))
    key = cy[order] * 1e9 + cx[order]
    bounds = [0, *(np.flatnonzero(np.diff(key)) + 1).tolist(), n]
    for start, stop in itertools.pairwise(bounds):
        for part in range(start, stop, 4 * GROUP):
            yield order[part : min(stop, part + 4 * GROUP)]


def _chunks(count: int, edges: int) -> Iterator[slice]:
    step = max(1, CHUNK_PAIRS // max(1, edges))
    for start in range(0, count, step):
        yield slice(start, min(count, start + step))


def _cross(ax: Floats, ay: Floats, bx: Floats, by: Floats) -> Floats:
    return ax * by - ay * bx


@dataclass(frozen=True)
class _Edges:
    """Some edges of an area (all, or those near a group of positions)."""

    ax: Floats
    ay: Floats
    bx: Floats
    by: Floats
    dx: Floats
    dy: Floats
    len2: Floats
    inv_len2: Floats
    slope: Floats  # dx / dy (0 for a horizontal edge)
    polygon: npt.NDArray[np.intp]  # which polygon of the area each edge belongs to

    def __len__(self) -> int:
        return len(self.ax)

    def take(self, which: npt.NDArray[np.intp]) -> _Edges:
        return _Edges(*(getattr(self, f)[which] for f in _EDGE_FIELDS))


_EDGE_FIELDS = ("ax", "ay", "bx", "by", "dx", "dy", "len2", "inv_len2", "slope", "polygon")


_RECENT_LOCK = threading.Lock()


class AreaIndex:
    """An area's edges in a flat frame, ready for vectorised queries (see the module).

    :meth:`of` keeps the last few indexes (by identity of the area, which each keeps
    alive): the wall, the pre-warm and the map rank the same alert's area in turn.
    """

    _recent: ClassVar[dict[int, AreaIndex]] = {}
    _RECENT = 8

    @classmethod
    def of(cls, area: Area) -> AreaIndex:
        """The index of ``area`` in its own frame (one of the last few reused)."""
        with _RECENT_LOCK:
            found = cls._recent.get(id(area))
        if found is not None and found.area is area:
            return found
        index = cls(area)
        with _RECENT_LOCK:
            if len(cls._recent) >= cls._RECENT:
                cls._recent.pop(next(iter(cls._recent)))
            cls._recent[id(area)] = index
        return index

    def __init__(self, area: Area, frame: Frame | None = None) -> None:
        self.area = area
        rings: list[tuple[int, Floats]] = []  # (polygon number, closed ring's lon/lat)
        for number, polygon in enumerate(area.polygons):
            for ring in polygon:
                if ring:
                    closed = ring if ring[0] == ring[-1] else (*ring, ring[0])
                    rings.append((number, np.asarray(closed, dtype=np.float64).reshape(-1, 2)))
        if rings:
            every = np.concatenate([r for _, r in rings])
            lo, hi = every.min(axis=0), every.max(axis=0)
            self.lonlat_bbox = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
        else:
            self.lonlat_bbox = (0.0, 0.0, 0.0, 0.0)
        self.frame = frame or Frame(
            (self.lonlat_bbox[0] + self.lonlat_bbox[2]) / 2.0,
            (self.lonlat_bbox[1] + self.lonlat_bbox[3]) / 2.0,
        )
        starts: list[int] = []
        starts_x: list[Floats] = []
        ends_x: list[Floats] = []
        starts_y: list[Floats] = []
        ends_y: list[Floats] = []
        count, current = 0, -1
        for number, pts in rings:
            if len(pts) < 2:
                continue
            if number != current:
                starts.append(count)  # this polygon's edges start here (its own parity)
                current = number
            x, y = self.frame.project(pts[:, 0], pts[:, 1])
            # Edges of the ring: each point to the next (the ring is closed).
            starts_x.append(x[:-1])
            ends_x.append(x[1:])
            starts_y.append(y[:-1])
            ends_y.append(y[1:])
            count += len(x) - 1
        empty = np.zeros(0)
        ax = np.concatenate(starts_x) if starts_x else empty
        bx = np.concatenate(ends_x) if ends_x else empty
        ay = np.concatenate(starts_y) if starts_y else empty
        by = np.concatenate(ends_y) if ends_y else empty
        dx, dy = bx - ax, by - ay
        len2 = dx * dx + dy * dy
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_len2 = np.where(len2 > 0, 1.0 / np.where(len2 > 0, len2, 1.0), 0.0)
            slope = np.where(dy != 0, dx / np.where(dy != 0, dy, 1.0), 0.0)
        owner = np.zeros(len(ax), dtype=np.intp)
        for number, first in enumerate(starts):
            owner[first:] = number
        self.all = _Edges(ax, ay, bx, by, dx, dy, len2, inv_len2, slope, owner)
        self.polygons = len(starts)
        self.lo_x, self.hi_x = np.minimum(ax, bx), np.maximum(ax, bx)
        self.lo_y, self.hi_y = np.minimum(ay, by), np.maximum(ay, by)
        firsts = np.asarray(starts, dtype=np.intp)
        empty_box = np.zeros(0)
        many = len(firsts) > 0
        self.poly_lo_x = np.minimum.reduceat(self.lo_x, firsts) if many else empty_box
        self.poly_hi_x = np.maximum.reduceat(self.hi_x, firsts) if many else empty_box
        self.poly_lo_y = np.minimum.reduceat(self.lo_y, firsts) if many else empty_box
        self.poly_hi_y = np.maximum.reduceat(self.hi_y, firsts) if many else empty_box
        if len(ax):
            self.bbox = (
                float(self.lo_x.min()),
                float(self.lo_y.min()),
                float(self.hi_x.max()),
                float(self.hi_y.max()),
            )
        else:
            self.bbox = (0.0, 0.0, 0.0, 0.0)

    def near(self, x: Floats, y: Floats, margin: float) -> _Edges:
        """The edges whose bounding box comes within ``margin`` of the positions' box."""
        x0, x1 = float(x.min()) - margin, float(x.max()) + margin
        y0, y1 = float(y.min()) - margin, float(y.max()) + margin
        keep = (self.hi_x >= x0) & (self.lo_x <= x1) & (self.hi_y >= y0) & (self.lo_y <= y1)
        return self.all.take(np.flatnonzero(keep))

    def across(self, x: Floats, y: Floats) -> tuple[_Edges, bool]:
        """What a horizontal ray from the positions may cross: the edges whose latitude
        span meets the positions', of the polygons whose bounding box holds some of
        them (a position is inside a polygon only within its box), on the side (east
        or west: True for east) with fewer of them."""
        x0, x1 = float(x.min()), float(x.max())
        y0, y1 = float(y.min()), float(y.max())
        box = self.poly_hi_x >= x0
        box &= self.poly_lo_x <= x1
        box &= self.poly_hi_y >= y0
        box &= self.poly_lo_y <= y1
        rows = box[self.all.polygon] & (self.hi_y >= y0) & (self.lo_y <= y1)
        east = rows & (self.hi_x >= x0)
        west = rows & (self.lo_x <= x1)
        to_east = int(np.count_nonzero(east)) <= int(np.count_nonzero(west))
        return self.all.take(np.flatnonzero(east if to_east else west)), to_east

    @property
    def edges(self) -> int:
        return len(self.all)

    def bbox_distance(self, x: Floats, y: Floats) -> Floats:
        """Metres from each point to the bounding box (0 inside it): a lower bound of
        :meth:`distance`, for cheap prefilters."""
        x0, y0, x1, y1 = self.bbox
        ddx = np.maximum(np.maximum(x0 - x, x - x1), 0.0)
        ddy = np.maximum(np.maximum(y0 - y, y - y1), 0.0)
        return np.hypot(ddx, ddy)

    def contains(self, x: Floats, y: Floats) -> Bools:
        """Inside one of the polygons (even-odd per polygon: holes are outside)."""
        inside = np.zeros(len(x), dtype=bool)
        x0, y0, x1, y1 = self.bbox
        todo = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        if not len(todo) or not self.edges:
            return inside
        for group in _groups(x[todo], y[todo]):
            idx = todo[group]
            px, py = x[idx, None], y[idx, None]
            e, to_east = self.across(x[idx], y[idx])
            if not len(e):
                continue
            spans = (e.ay > py) != (e.by > py)
            x_cross = e.ax + (py - e.ay) * e.slope
            hits = (spans & ((px < x_cross) if to_east else (px > x_cross))).astype(np.int32)
            if self.polygons == 1:
                inside[idx] = hits.sum(axis=1) % 2 == 1
            else:  # the edges keep their order: each polygon's are contiguous
                firsts = np.flatnonzero(np.diff(e.polygon, prepend=-1))
                parity = np.add.reduceat(hits, firsts, axis=1) % 2
                inside[idx] = parity.any(axis=1)
        return inside

    def _nearest(self, e: _Edges, px: Floats, py: Floats) -> tuple[Floats, Floats, Floats]:
        t = ((px[:, None] - e.ax) * e.dx + (py[:, None] - e.ay) * e.dy) * e.inv_len2
        np.clip(t, 0.0, 1.0, out=t)
        qx = e.ax + t * e.dx
        qy = e.ay + t * e.dy
        d2 = (qx - px[:, None]) ** 2 + (qy - py[:, None]) ** 2
        best = d2.argmin(axis=1)
        rows = np.arange(len(px))
        return np.sqrt(d2[rows, best]), qx[rows, best], qy[rows, best]

    def distance(
        self, x: Floats, y: Floats, *, within: float | None = None
    ) -> tuple[Floats, Floats, Floats]:
        """Metres from each point to the nearest edge (0 inside), and that nearest
        point's (x, y) (the point itself inside). With ``within``, only the edges near
        the points are looked at and a point farther than ``within`` gets ``inf`` (and
        itself as nearest point): the fast form for « is it close enough »."""
        n = len(x)
        dist = np.zeros(n)
        nx, ny = x.astype(np.float64, copy=True), y.astype(np.float64, copy=True)
        if not self.edges or not n:
            return dist, nx, ny
        todo = np.flatnonzero(~self.contains(x, y))
        if within is None:
            for part in _chunks(len(todo), self.edges):
                idx = todo[part]
                dist[idx], nx[idx], ny[idx] = self._nearest(self.all, x[idx], y[idx])
            return dist, nx, ny
        dist[todo] = np.inf
        for group in _groups(x[todo], y[todo]):
            idx = todo[group]
            e = self.near(x[idx], y[idx], within)
            if len(e):
                d, qx, qy = self._nearest(e, x[idx], y[idx])
                close = d <= within  # farther: a nearer edge may lie outside the box
                dist[idx[close]], nx[idx[close]], ny[idx[close]] = d[close], qx[close], qy[close]
        return dist, nx, ny

    def sector_meets(
        self,
        x: Floats,
        y: Floats,
        heading_deg: Floats,
        fov_deg: Floats,
        range_m: Floats,
    ) -> Bools:
        """True where a view sector (apex (x, y) *outside the area*, ``heading ± fov/2``
        with 0 = north, up to ``range_m``) meets the area's boundary; a full circle
        (fov ≥ 360) is left to the caller (distance ≤ range)."""
        n = len(x)
        meets = np.zeros(n, dtype=bool)
        if not self.edges or not n:
            return meets
        h = np.radians(heading_deg)
        half = np.radians(np.minimum(fov_deg, 360.0)) / 2.0
        ux, uy = np.sin(h), np.cos(h)
        cos_half = np.cos(half)
        r1x, r1y = range_m * np.sin(h - half), range_m * np.cos(h - half)
        r2x, r2y = range_m * np.sin(h + half), range_m * np.cos(h + half)
        for idx in _groups(x, y):
            e = self.near(x[idx], y[idx], float(range_m[idx].max()))
            if not len(e):
                continue
            c = (idx, None)
            pax, pay = e.ax - x[c], e.ay - y[c]
            pbx, pby = e.bx - x[c], e.by - y[c]
            r2 = range_m[c] ** 2
            ucx, ucy, cosh = ux[c], uy[c], cos_half[c]
            # (i) an edge's first end (every vertex is one) inside the sector.
            la2 = pax * pax + pay * pay
            hit = (la2 <= r2) & (ucx * pax + ucy * pay >= np.sqrt(la2) * cosh)
            # (ii) an edge crossing a bounding radius (apex → arc end).
            for rx, ry in ((r1x[c], r1y[c]), (r2x[c], r2y[c])):
                o1 = _cross(rx, ry, pax, pay)
                o2 = _cross(rx, ry, pbx, pby)
                o3 = _cross(e.dx, e.dy, -pax, -pay)
                o4 = _cross(e.dx, e.dy, rx - pax, ry - pay)
                hit |= (o1 * o2 <= 0) & (o3 * o4 <= 0)
            # (iii) an edge crossing the arc: |pa + t·d| = range, t in [0, 1], in the fov.
            b = pax * e.dx + pay * e.dy
            disc = b * b - e.len2 * (la2 - r2)
            ok = (disc >= 0) & (e.len2 > 0)
            root = np.sqrt(np.where(ok, disc, 0.0))
            for sign in (-1.0, 1.0):
                t = (-b + sign * root) * e.inv_len2
                qx, qy = pax + t * e.dx, pay + t * e.dy
                in_fov = ucx * qx + ucy * qy >= np.sqrt(r2) * cosh - 1e-9
                hit |= ok & (t >= 0) & (t <= 1) & in_fov
            meets[idx] = hit.any(axis=1)
        return meets

    def vertices(self) -> tuple[Floats, Floats]:
        """Every vertex of the area in the frame (each edge's first end)."""
        return self.all.ax, self.all.ay

    def meets(self, other: AreaIndex) -> bool:
        """True if the two areas share a point (same frame expected): a vertex of one
        inside the other, or two edges crossing."""
        a0, b0, a1, b1 = self.bbox
        c0, d0, c1, d1 = other.bbox
        if a0 > c1 or c0 > a1 or b0 > d1 or d0 > b1 or not self.edges or not other.edges:
            return False
        if other.contains(*self.vertices()).any() or self.contains(*other.vertices()).any():
            return True
        s, o = self.all, other.all
        for part in _chunks(len(o), len(s)):
            oax, oay = o.ax[part, None], o.ay[part, None]
            obx, oby = o.bx[part, None], o.by[part, None]
            o1 = _cross(s.dx, s.dy, oax - s.ax, oay - s.ay)
            o2 = _cross(s.dx, s.dy, obx - s.ax, oby - s.ay)
            odx, ody = obx - oax, oby - oay
            o3 = _cross(odx, ody, s.ax - oax, s.ay - oay)
            o4 = _cross(odx, ody, s.bx - oax, s.by - oay)
            if ((o1 * o2 <= 0) & (o3 * o4 <= 0)).any():
                return True
        return False
