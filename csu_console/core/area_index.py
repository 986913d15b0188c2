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

Work is done in chunks of positions so that a commune outline of thousands of
points over thousands of cameras stays within a few megabytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

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


def _chunks(count: int, edges: int) -> Iterator[slice]:
    step = max(1, CHUNK_PAIRS // max(1, edges))
    for start in range(0, count, step):
        yield slice(start, min(count, start + step))


def _cross(ax: Floats, ay: Floats, bx: Floats, by: Floats) -> Floats:
    return ax * by - ay * bx


class AreaIndex:
    """An area's edges in a flat frame, ready for vectorised queries (see the module)."""

    def __init__(self, area: Area, frame: Frame | None = None) -> None:
        self.area = area
        self.frame = frame or frame_for(area)
        starts: list[int] = []
        starts_x: list[Floats] = []
        ends_x: list[Floats] = []
        starts_y: list[Floats] = []
        ends_y: list[Floats] = []
        count = 0
        for polygon in area.polygons:
            first = count
            for ring in polygon:
                if not ring:
                    continue
                closed = list(ring) if ring[0] == ring[-1] else [*ring, ring[0]]
                pts = np.asarray(closed, dtype=np.float64).reshape(-1, 2)
                x, y = self.frame.project(pts[:, 0], pts[:, 1])
                # Edges of the ring: each point to the next (the ring is closed).
                starts_x.append(x[:-1])
                ends_x.append(x[1:])
                starts_y.append(y[:-1])
                ends_y.append(y[1:])
                count += len(x) - 1
            if count > first:
                starts.append(first)  # this polygon's edges start here (its own parity)
        empty = np.zeros(0)
        self.ax = np.concatenate(starts_x) if starts_x else empty
        self.bx = np.concatenate(ends_x) if ends_x else empty
        self.ay = np.concatenate(starts_y) if starts_y else empty
        self.by = np.concatenate(ends_y) if ends_y else empty
        self.dx, self.dy = self.bx - self.ax, self.by - self.ay
        self.len2 = self.dx * self.dx + self.dy * self.dy
        with np.errstate(divide="ignore"):
            self.inv_len2 = np.where(self.len2 > 0, 1.0 / self.len2, 0.0)
            self.slope = np.where(self.dy != 0, self.dx / np.where(self.dy != 0, self.dy, 1), 0.0)
        self.starts = np.asarray(starts, dtype=np.intp)
        if len(self.ax):
            self.bbox = (
                float(min(self.ax.min(), self.bx.min())),
                float(min(self.ay.min(), self.by.min())),
                float(max(self.ax.max(), self.bx.max())),
                float(max(self.ay.max(), self.by.max())),
            )
        else:
            self.bbox = (0.0, 0.0, 0.0, 0.0)

    @property
    def edges(self) -> int:
        return len(self.ax)

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
        for part in _chunks(len(todo), self.edges):
            idx = todo[part]
            px, py = x[idx, None], y[idx, None]
            spans = (self.ay > py) != (self.by > py)
            x_cross = self.ax + (py - self.ay) * self.slope
            hits = (spans & (px < x_cross)).astype(np.int32)
            parity = np.add.reduceat(hits, self.starts, axis=1) % 2
            inside[idx] = parity.any(axis=1)
        return inside

    def distance(self, x: Floats, y: Floats) -> tuple[Floats, Floats, Floats]:
        """Metres from each point to the nearest edge (0 inside), and that nearest
        point's (x, y) (the point itself inside)."""
        n = len(x)
        dist = np.zeros(n)
        nx, ny = x.astype(np.float64, copy=True), y.astype(np.float64, copy=True)
        if not self.edges or not n:
            return dist, nx, ny
        inside = self.contains(x, y)
        todo = np.flatnonzero(~inside)
        for part in _chunks(len(todo), self.edges):
            idx = todo[part]
            px, py = x[idx, None], y[idx, None]
            t = ((px - self.ax) * self.dx + (py - self.ay) * self.dy) * self.inv_len2
            np.clip(t, 0.0, 1.0, out=t)
            qx = self.ax + t * self.dx
            qy = self.ay + t * self.dy
            d2 = (qx - px) ** 2 + (qy - py) ** 2
            best = d2.argmin(axis=1)
            rows = np.arange(len(idx))
            dist[idx] = np.sqrt(d2[rows, best])
            nx[idx], ny[idx] = qx[rows, best], qy[rows, best]
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
        for part in _chunks(n, self.edges):
            c = (slice(part.start, part.stop), None)
            pax, pay = self.ax - x[c], self.ay - y[c]
            pbx, pby = self.bx - x[c], self.by - y[c]
            r2 = (range_m[c]) ** 2
            ucx, ucy, cosh = ux[c], uy[c], cos_half[c]
            # (i) an edge's first end (every vertex is one) inside the sector.
            la2 = pax * pax + pay * pay
            hit = (la2 <= r2) & (ucx * pax + ucy * pay >= np.sqrt(la2) * cosh)
            # (ii) an edge crossing a bounding radius (apex → arc end).
            for rx, ry in ((r1x[c], r1y[c]), (r2x[c], r2y[c])):
                o1 = _cross(rx, ry, pax, pay)
                o2 = _cross(rx, ry, pbx, pby)
                o3 = _cross(self.dx, self.dy, -pax, -pay)
                o4 = _cross(self.dx, self.dy, rx - pax, ry - pay)
                hit |= (o1 * o2 <= 0) & (o3 * o4 <= 0)
            # (iii) an edge crossing the arc: |pa + t·d| = range, t in [0, 1], in the fov.
            b = pax * self.dx + pay * self.dy
            cc = la2 - r2
            disc = b * b - self.len2 * cc
            ok = (disc >= 0) & (self.len2 > 0)
            root = np.sqrt(np.where(ok, disc, 0.0))
            for sign in (-1.0, 1.0):
                t = (-b + sign * root) * self.inv_len2
                qx, qy = pax + t * self.dx, pay + t * self.dy
                in_fov = ucx * qx + ucy * qy >= np.sqrt(r2) * cosh - 1e-9
                hit |= ok & (t >= 0) & (t <= 1) & in_fov
            meets[part] = hit.any(axis=1)
        return meets

    def vertices(self) -> tuple[Floats, Floats]:
        """Every vertex of the area in the frame (each edge's first end)."""
        return self.ax, self.ay

    def meets(self, other: AreaIndex) -> bool:
        """True if the two areas share a point (same frame expected): a vertex of one
        inside the other, or two edges crossing."""
        a0, b0, a1, b1 = self.bbox
        c0, d0, c1, d1 = other.bbox
        if a0 > c1 or c0 > a1 or b0 > d1 or d0 > b1 or not self.edges or not other.edges:
            return False
        if other.contains(*self.vertices()).any() or self.contains(*other.vertices()).any():
            return True
        for part in _chunks(other.edges, self.edges):
            oax, oay = other.ax[part, None], other.ay[part, None]
            obx, oby = other.bx[part, None], other.by[part, None]
            o1 = _cross(self.dx, self.dy, oax - self.ax, oay - self.ay)
            o2 = _cross(self.dx, self.dy, obx - self.ax, oby - self.ay)
            odx, ody = obx - oax, oby - oay
            o3 = _cross(odx, ody, self.ax - oax, self.ay - oay)
            o4 = _cross(odx, ody, self.bx - oax, self.by - oay)
            if ((o1 * o2 <= 0) & (o3 * o4 <= 0)).any():
                return True
        return False
