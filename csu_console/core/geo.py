"""Plane and sphere geometry on WGS84 positions, in GeoJSON's (lon, lat) order.

Everything here is small-area geometry for a city: point-in-polygon works on raw
degrees (fine at the scale of a commune), distances and bearings on a sphere.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Mean Earth radius (IUGG), in metres.
EARTH_RADIUS_M = 6_371_008.8

Position = tuple[float, float]
"""A (lon, lat) pair in degrees, GeoJSON order."""

Ring = tuple[Position, ...]
"""A closed ring: the first position is repeated at the end."""

PolygonCoords = tuple[Ring, ...]
"""An outer ring followed by zero or more holes."""

_EPS = 1e-9


@dataclass(frozen=True)
class Area:
    """A GeoJSON Polygon or MultiPolygon, as a tuple of polygons (outer ring + holes).

    Build it with :meth:`from_geojson`; the coordinates are assumed valid (the config
    loader checks them first and reports problems in French).
    """

    polygons: tuple[PolygonCoords, ...]

    @classmethod
    def from_geojson(cls, geometry: Mapping[str, object]) -> Area:
        """Parse a GeoJSON ``Polygon`` or ``MultiPolygon`` geometry object.

        Raises ``ValueError`` for any other type or for malformed coordinates.
        """
        kind = geometry.get("type")
        coords = geometry.get("coordinates")
        try:
            if kind == "Polygon":
                return cls((_polygon(coords),))
            if kind == "MultiPolygon":
                if not isinstance(coords, Sequence):
                    raise TypeError(coords)
                return cls(tuple(_polygon(p) for p in coords))
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError(f"malformed {kind} coordinates") from exc
        raise ValueError(f"unsupported geometry type: {kind!r}")

    def to_geojson(self) -> dict[str, object]:
        """The geometry as a GeoJSON object (Polygon when there is a single polygon)."""
        as_lists = [[[list(p) for p in ring] for ring in poly] for poly in self.polygons]
        if len(as_lists) == 1:
            return {"type": "Polygon", "coordinates": as_lists[0]}
        return {"type": "MultiPolygon", "coordinates": as_lists}

    def contains(self, lon: float, lat: float) -> bool:
        """True if (lon, lat) is inside one polygon and outside that polygon's holes."""
        return any(point_in_polygon(lon, lat, poly) for poly in self.polygons)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(min_lon, min_lat, max_lon, max_lat) of the outer rings."""
        lons = [p[0] for poly in self.polygons for p in poly[0]]
        lats = [p[1] for poly in self.polygons for p in poly[0]]
        return (min(lons), min(lats), max(lons), max(lats))


def _polygon(coords: object) -> PolygonCoords:
    if not isinstance(coords, Sequence) or not coords:
        raise ValueError("a polygon needs at least an outer ring")
    rings: list[Ring] = []
    for ring in coords:
        if not isinstance(ring, Sequence):
            raise TypeError(ring)
        rings.append(tuple((float(p[0]), float(p[1])) for p in ring))
    return tuple(rings)


def point_in_ring(lon: float, lat: float, ring: Sequence[Position]) -> bool:
    """Even-odd ray casting; points exactly on an edge may fall either side."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def point_in_polygon(lon: float, lat: float, polygon: Sequence[Sequence[Position]]) -> bool:
    """Inside the outer ring (``polygon[0]``) and inside none of the holes."""
    if not polygon or not point_in_ring(lon, lat, polygon[0]):
        return False
    return not any(point_in_ring(lon, lat, hole) for hole in polygon[1:])


def point_in_geometry(lon: float, lat: float, geometry: Area | Mapping[str, object]) -> bool:
    """Point-in-polygon for an :class:`Area` or a GeoJSON Polygon/MultiPolygon mapping."""
    area = geometry if isinstance(geometry, Area) else Area.from_geojson(geometry)
    return area.contains(lon, lat)


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two (lon, lat) positions."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bearing_deg(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Initial bearing from point 1 to point 2, in [0, 360): 0 = north, 90 = east."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlmb = math.radians(lon2 - lon1)
    y = math.sin(dlmb) * math.cos(phi2)
    x = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlmb)
    bearing = math.degrees(math.atan2(y, x)) % 360.0
    return 0.0 if bearing >= 360.0 else bearing  # -1e-300 % 360.0 == 360.0


def destination_point(lon: float, lat: float, bearing: float, distance_m: float) -> Position:
    """The (lon, lat) reached from (lon, lat) going ``distance_m`` metres at ``bearing``.

    Useful to draw a camera's view sector or to place a point near a camera.
    """
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    theta, delta = math.radians(bearing), distance_m / EARTH_RADIUS_M
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    )
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    return ((math.degrees(lmb2) + 540.0) % 360.0 - 180.0, math.degrees(phi2))


def angle_diff_deg(a: float, b: float) -> float:
    """Signed smallest difference ``a - b`` in (-180, 180], handling the wrap at north."""
    d = (a - b) % 360.0
    return d - 360.0 if d > 180.0 else d


def in_field_of_view(
    cam_lon: float,
    cam_lat: float,
    heading_deg: float,
    fov_deg: float,
    range_m: float,
    lon: float,
    lat: float,
) -> bool:
    """True if a camera at (cam_lon, cam_lat) looking at ``heading_deg`` sees (lon, lat).

    The field of view is the sector ``heading ± fov/2`` (wrapping across north:
    heading 350 with fov 40 covers bearings 330..10) up to ``range_m`` metres;
    ``fov_deg >= 360`` means all around. The camera's own position is always seen.
    """
    distance = haversine_m(cam_lon, cam_lat, lon, lat)
    if distance > range_m + _EPS:
        return False
    if fov_deg >= 360.0 or distance < 1e-6:
        return True
    off_axis = abs(angle_diff_deg(bearing_deg(cam_lon, cam_lat, lon, lat), heading_deg))
    return off_axis <= fov_deg / 2.0 + _EPS


def random_point_in(
    geometry: Area | Mapping[str, object], rng: random.Random, max_tries: int = 10_000
) -> Position:
    """A random (lon, lat) inside ``geometry``, by rejection sampling in its bbox.

    Uniform in degrees, which is close enough to uniform in area at city scale.
    Raises ``ValueError`` when no point is found in ``max_tries`` draws (a
    degenerate polygon with no area).
    """
    area = geometry if isinstance(geometry, Area) else Area.from_geojson(geometry)
    min_lon, min_lat, max_lon, max_lat = area.bbox
    for _ in range(max_tries):
        lon = rng.uniform(min_lon, max_lon)
        lat = rng.uniform(min_lat, max_lat)
        if area.contains(lon, lat):
            return (lon, lat)
    raise ValueError(f"no point found inside the area after {max_tries} draws")


def ring_area(ring: Sequence[Position]) -> float:
    """Signed shoelace area in square degrees (positive when counter-clockwise)."""
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        total += x1 * y2 - x2 * y1
    return total / 2.0


def _orient(a: Position, b: Position, c: Position) -> int:
    cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    if abs(cross) <= 1e-15:
        return 0
    return 1 if cross > 0 else -1


def _on_segment(a: Position, b: Position, p: Position) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def segments_intersect(a: Position, b: Position, c: Position, d: Position) -> bool:
    """True if segment ab and segment cd share at least one point (touching counts)."""
    o1, o2, o3, o4 = _orient(a, b, c), _orient(a, b, d), _orient(c, d, a), _orient(c, d, b)
    if o1 != o2 and o3 != o4:
        return True
    return (
        (o1 == 0 and _on_segment(a, b, c))
        or (o2 == 0 and _on_segment(a, b, d))
        or (o3 == 0 and _on_segment(c, d, a))
        or (o4 == 0 and _on_segment(c, d, b))
    )


def ring_self_intersects(ring: Sequence[Position]) -> bool:
    """True if a closed ring crosses or touches itself (O(n²), fine for zone outlines).

    Repeated consecutive positions are ignored; a spike that doubles back along
    its own edge counts as an intersection.
    """
    pts: list[Position] = []
    for p in ring:
        if not pts or pts[-1] != p:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    n = len(pts)
    if n < 3:
        return True
    segs = [(pts[i], pts[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        a, b = segs[i]
        # The next edge shares b: only a fold back along ab is a problem.
        c = segs[(i + 1) % n][1]
        if (
            _orient(a, b, c) == 0
            and (a[0] - b[0]) * (c[0] - b[0]) + (a[1] - b[1]) * (c[1] - b[1]) > 0
        ):
            return True
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # first and last edges share pts[0]
            if segments_intersect(a, b, *segs[j]):
                return True
    return False


def distance_to_segment_m(lon: float, lat: float, a: Position, b: Position) -> float:
    """Metres from (lon, lat) to segment ab, on a local flat projection (city scale)."""
    kx = math.cos(math.radians(lat)) * math.pi * EARTH_RADIUS_M / 180.0
    ky = math.pi * EARTH_RADIUS_M / 180.0
    ax, ay = (a[0] - lon) * kx, (a[1] - lat) * ky
    bx, by = (b[0] - lon) * kx, (b[1] - lat) * ky
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0.0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    return math.hypot(ax + t * dx, ay + t * dy)


def distance_to_area_m(lon: float, lat: float, area: Area) -> float:
    """Metres from (lon, lat) to the nearest edge of ``area`` (0 inside it)."""
    if area.contains(lon, lat):
        return 0.0
    return min(
        distance_to_segment_m(lon, lat, a, b)
        for polygon in area.polygons
        for ring in polygon
        for a, b in itertools.pairwise(ring)
    )
