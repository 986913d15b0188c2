"""CAP ``<area>`` geometry → :class:`~csu_console.core.geo.Area` (GeoJSON (lon, lat)).

CAP writes ``lat,lon`` pairs; polygons are rings of pairs, circles ``lat,lon radius_km``.
Every area's polygons and circles are kept (a circle as a 32-vertex polygon). What is
malformed is ignored with a French warning, never a reason to refuse the alert:

- empty polygon, unreadable number, pair that is not ``lat,lon`` (a third value, the
  altitude, is tolerated), coordinates out of range: ignored;
- a ring not closed is closed when it has at least 3 distinct vertices (with a
  warning); fewer than 3 distinct vertices, or all aligned (no area): ignored;
- an unreadable circle or a negative, infinite or oversized radius: ignored; a radius
  of 0 is a point: it places the alert but draws nothing.

An area without usable geometry is resolved through its geocodes
(:class:`~csu_console.core.cap_facts.GeocodeResolver`); else it stays « sans
localisation » (its ``areaDesc`` in :attr:`CapFacts.unplaced`).
"""

from __future__ import annotations

import heapq
import itertools
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from xml.etree.ElementTree import Element

from csu_console.core import validate as v
from csu_console.core.cap._xml import SPACES, XML_SPACE, child_text, children, cut, q, text
from csu_console.core.cap_facts import CapArea, GeocodeResolver
from csu_console.core.geo import (
    Area,
    PolygonCoords,
    Position,
    Ring,
    destination_point,
    haversine_m,
    point_in_polygon,
)
from csu_console.errors import ValidationError

MAX_CIRCLE_RADIUS_KM = 20_000.0
CIRCLE_VERTICES = 32
_MAX_GEOCODE = 200

T = TypeVar("T")
_POLYGON_TAG, _CIRCLE_TAG, _GEOCODE_TAG, _DESC_TAG = (
    q(n) for n in ("polygon", "circle", "geocode", "areaDesc")
)
_CIRCLE = re.compile(r"([^ \t\r\n,]+) *, *([^ \t\r\n]+)[ \t\r\n]+([^ \t\r\n]+)")
_COMMA_SPACES = re.compile(r"[ \t\r\n]*,[ \t\r\n]*")
_N = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_PAIRS = re.compile(rf"[ \t\r\n]*{_N},{_N}(?:[ \t\r\n]+{_N},{_N})*[ \t\r\n]*", re.ASCII)
_NUMBER = re.compile(
    r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|[+-]?(?:nan|inf|infinity)", re.IGNORECASE | re.ASCII
)


@dataclass
class Placement:
    """The geometry of some ``<area>`` elements, and what could not be placed."""

    polygons: list[PolygonCoords] = field(default_factory=list)
    circles: list[tuple[Position, float]] = field(default_factory=list)  # centre, radius m
    unplaced: dict[str, None] = field(default_factory=dict)  # ordered set
    placed_descs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


#: Shapes already read in one document, by their text: translated blocks repeat the
#: same areas (DWD: 8 languages × 1,352 areas); each is read once, warned each time.
ShapeCache = dict[str, tuple[object, tuple[str, ...], str]]


def _cached(
    seen: ShapeCache,
    raw: str,
    path: str,
    warnings: list[str],
    read: Callable[[str, str, list[str]], T],
) -> T:
    hit = seen.get(raw)
    if hit is None:
        warned: list[str] = []
        value = read(raw, path, warned)
        seen[raw] = (value, tuple(warned), path)
        warnings.extend(warned)
        return value
    cached, warned_before, first_path = hit
    warnings.extend(w.replace(first_path, path, 1) for w in warned_before)
    return cached  # type: ignore[return-value]


def read_areas(
    info: Element,
    path: str,
    geocodes: GeocodeResolver | None,
    placement: Placement,
    seen: ShapeCache,
) -> list[CapArea]:
    """Read every ``<area>`` of ``info`` into ``placement``; the areas as received."""
    found: list[CapArea] = []
    warnings = placement.warnings
    for n, element in enumerate(children(info, "area")):
        where = f"{path}.area[{n}]" if n else f"{path}.area"
        desc = ""
        polygons = circles = 0
        codes: list[tuple[str, str]] = []
        for geometry in element:
            tag = geometry.tag
            if tag == _POLYGON_TAG:
                raw = "p" + text(geometry)
                ring = _cached(seen, raw, f"{where}.polygon", warnings, _polygon_of)
                if ring is not None:
                    placement.polygons.append((ring,))
                    polygons += 1
            elif tag == _CIRCLE_TAG:
                raw = "c" + text(geometry)
                circle = _cached(seen, raw, f"{where}.circle", warnings, _circle_of)
                if circle is not None:
                    placement.circles.append(circle[0])
                    if circle[1] is not None:
                        placement.polygons.append((circle[1],))
                    circles += 1
            elif tag == _GEOCODE_TAG:
                name = (child_text(geometry, "valueName") or "")[:_MAX_GEOCODE]
                value = (child_text(geometry, "value") or "")[:_MAX_GEOCODE]
                if name or value:
                    codes.append((name, value))
            elif tag == _DESC_TAG and not desc:
                desc = cut(text(geometry), v.MAX_ADDRESS)
                desc = v.check_text(desc, f"{where}.areaDesc", v.MAX_ADDRESS) or ""
        resolved = bool(polygons or circles)
        if not resolved and geocodes is not None:
            for name, value in codes:
                shape = geocodes.resolve(name, value)
                if shape is not None and shape.polygons:
                    placement.polygons.extend(shape.polygons)
                    resolved = True
        if resolved:
            placement.placed_descs.append(desc)
        else:
            placement.unplaced[desc or "zone sans description"] = None
        found.append(CapArea(desc, polygons, circles, tuple(codes), resolved))
    return found


def _polygon_of(raw: str, path: str, warnings: list[str]) -> Ring | None:
    return parse_polygon(raw[1:], path, warnings)


def _circle_of(
    raw: str, path: str, warnings: list[str]
) -> tuple[tuple[Position, float], Ring | None] | None:
    circle = parse_circle(raw[1:], path, warnings)
    if circle is None:
        return None
    return circle, (circle_ring(*circle) if circle[1] > 0 else None)


def _pair_error(token: str, index: int, path: str) -> str:
    """The precise reason a ``lat,lon`` token is unusable (for the warning)."""
    parts = token.split(",")
    pair_path = f"{path}[{index}]"
    if len(parts) not in (2, 3):
        return f"{pair_path} : paire « lat,lon » attendue, reçu {v.describe(token[:60])}"
    try:
        for part in parts[:2]:
            if not _NUMBER.fullmatch(part):
                raise ValidationError(f"{pair_path} : nombre illisible ({v.describe(part[:60])})")
        v.check_position(float(parts[0]), float(parts[1]), pair_path)
    except ValidationError as exc:
        return exc.reason
    return f"{pair_path} : paire illisible"


def parse_polygon(raw: str, path: str, warnings: list[str]) -> Ring | None:
    """A closed (lon, lat) ring from CAP's ``lat,lon lat,lon …``; None (warned) if unusable."""
    if not raw:
        warnings.append(f"{path} : polygone vide ignoré")
        return None
    points: list[Position] | None = None
    if _PAIRS.fullmatch(raw):
        # The common case, at C speed: well-formed pairs, only the ranges to check.
        numbers = list(map(float, raw.replace(",", " ").split()))
        lats, lons = numbers[0::2], numbers[1::2]
        if min(lats) >= -90.0 and max(lats) <= 90.0 and min(lons) >= -180.0 and max(lons) <= 180.0:
            points = list(zip(lons, lats, strict=True))  # (lon, lat): GeoJSON order
    if points is None:
        points = []
        for i, token in enumerate(SPACES.split(_COMMA_SPACES.sub(",", raw))):
            parts = token.split(",")
            ok = len(parts) in (2, 3) and all(_NUMBER.fullmatch(p) for p in parts)
            lat, lon = (float(parts[0]), float(parts[1])) if ok else (math.nan, math.nan)
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                warnings.append(f"{_pair_error(token, i, path)} : polygone ignoré")
                return None
            points.append((lon, lat))
    distinct = len(set(points))
    if distinct < 3:
        warnings.append(
            f"{path} : {distinct} sommet(s) distinct(s), au moins 3 attendus : polygone ignoré"
        )
        return None
    if points[0] != points[-1]:
        points.append(points[0])
        warnings.append(f"{path} : anneau non fermé, refermé sur son premier sommet")
    ring = tuple(points)
    if ring_stats(ring).area == 0.0:
        warnings.append(f"{path} : sommets alignés (aire nulle) : polygone ignoré")
        return None
    return ring


def parse_circle(raw: str, path: str, warnings: list[str]) -> tuple[Position, float] | None:
    """(centre (lon, lat), radius in metres) of ``lat,lon radius_km``; None (warned) if bad."""
    try:
        m = _CIRCLE.fullmatch(raw.strip(XML_SPACE))
        if not m:
            raise ValidationError(
                f"{path} : cercle illisible ({v.describe(raw[:60])}), attendu « lat,lon rayon_km »"
            )
        for part in m.groups():
            if not _NUMBER.fullmatch(part):
                raise ValidationError(f"{path} : nombre illisible ({v.describe(part[:60])})")
        lat, lon = v.check_position(float(m[1]), float(m[2]), path)
        radius = v.check_number(float(m[3]), f"{path}.rayon_km", 0.0, MAX_CIRCLE_RADIUS_KM)
    except ValidationError as exc:
        warnings.append(f"{exc.reason} : cercle ignoré")
        return None
    return (lon, lat), radius * 1000.0


def circle_ring(centre: Position, radius_m: float) -> Ring:
    """A circle as a closed ring of :data:`CIRCLE_VERTICES` vertices."""
    lon, lat = centre
    ring = [
        destination_point(lon, lat, 360.0 * i / CIRCLE_VERTICES, radius_m)
        for i in range(CIRCLE_VERTICES)
    ]
    return (*ring, ring[0])


def to_area(polygons: list[PolygonCoords]) -> Area | None:
    """The polygons as one Area (identical ones kept once), None when there is none."""
    unique = tuple(dict.fromkeys(polygons))
    return Area(unique) if unique else None


@dataclass(frozen=True)
class RingStats:
    """A ring's area centroid, unsigned area (square degrees) and bounding box."""

    centroid: Position
    area: float
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    def covers(self, point: Position) -> bool:
        """The point is within the bounding box."""
        return self.bbox[0] <= point[0] <= self.bbox[2] and self.bbox[1] <= point[1] <= self.bbox[3]


def ring_stats(ring: Ring) -> RingStats:
    """:class:`RingStats` of a closed ring (shoelace formula, at C speed with ``map``)."""
    xs, ys = zip(*ring, strict=True)
    x0, x1, y0, y1 = xs[:-1], xs[1:], ys[:-1], ys[1:]
    crosses = list(map(operator.sub, map(operator.mul, x0, y1), map(operator.mul, x1, y0)))
    twice = sum(crosses)
    bbox = (min(xs), min(ys), max(xs), max(ys))
    if twice == 0.0:
        return RingStats((sum(xs) / len(xs), sum(ys) / len(ys)), 0.0, bbox)
    cx = sum(map(operator.mul, map(operator.add, x0, x1), crosses)) / (3.0 * twice)
    cy = sum(map(operator.mul, map(operator.add, y0, y1), crosses)) / (3.0 * twice)
    return RingStats((cx, cy), abs(twice) / 2.0, bbox)


def _scanline_point(ring: Ring, lat: float) -> Position | None:
    """The middle of the widest stretch of ``ring`` along latitude ``lat``."""
    xs: list[float] = []
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > lat) != (y2 > lat):
            xs.append(x1 + (lat - y1) * (x2 - x1) / (y2 - y1))
    xs.sort()
    best = max(((xs[i + 1] - xs[i], i) for i in range(0, len(xs) - 1, 2)), default=None)
    if best is None:
        return None
    i = best[1]
    return ((xs[i] + xs[i + 1]) / 2.0, lat)


def representative(
    polygons: list[PolygonCoords], circles: list[tuple[Position, float]]
) -> tuple[Position, float] | None:
    """A point standing for the whole area and the distance to its farthest vertex.

    One circle alone: its centre and radius. Else the area centroid of the outer rings
    when it lies inside the area, else the centroid of the largest polygon, else a
    point inside that polygon (the middle of its widest stretch at that latitude).
    """
    polygons = [p for p in polygons if p and len(p[0]) >= 4]  # a resolver's odd shapes
    if not polygons:
        if not circles:
            return None
        lon = sum(c[0][0] for c in circles) / len(circles)
        lat = sum(c[0][1] for c in circles) / len(circles)
        return (lon, lat), max(haversine_m(lon, lat, *c[0]) for c in circles)
    if len(circles) == 1 and len(polygons) <= 1 and circles[0][1] > 0:
        return circles[0]
    stats = [ring_stats(poly[0]) for poly in polygons]
    total = sum(st.area for st in stats)
    if total > 0:
        point = (
            sum(st.centroid[0] * st.area for st in stats) / total,
            sum(st.centroid[1] * st.area for st in stats) / total,
        )
    else:
        point = stats[0].centroid

    def inside(p: Position) -> bool:
        return any(
            st.covers(p) and point_in_polygon(*p, poly)
            for st, poly in zip(stats, polygons, strict=True)
        )

    if not inside(point):
        largest = max(range(len(stats)), key=lambda i: stats[i].area)
        centre = stats[largest].centroid
        point = centre
        if not point_in_polygon(*point, polygons[largest]):
            point = _scanline_point(polygons[largest][0], centre[1]) or centre
    return point, _farthest_m(point, polygons, circles)


def _farthest_m(
    point: Position, polygons: list[PolygonCoords], circles: list[tuple[Position, float]]
) -> float:
    """Metres from ``point`` to the farthest vertex (and point circle)."""
    lon0, lat0 = point
    vertices = [
        *itertools.chain.from_iterable(poly[0] for poly in polygons),
        *(c[0] for c in circles),
    ]
    xs, ys = zip(*vertices, strict=True)
    # A flat estimate picks the candidates (at C speed), the sphere decides among them.
    dx = list(map(operator.sub, xs, itertools.repeat(lon0)))
    dy = list(map(operator.sub, ys, itertools.repeat(lat0)))
    k = math.cos(math.radians(lat0)) ** 2
    flat = list(
        map(
            operator.add,
            map(operator.mul, map(operator.mul, dx, dx), itertools.repeat(k)),
            map(operator.mul, dy, dy),
        )
    )
    candidates = heapq.nlargest(16, range(len(flat)), key=flat.__getitem__)
    return max(haversine_m(lon0, lat0, *vertices[i]) for i in candidates)
