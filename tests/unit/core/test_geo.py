"""Tests for csu_console.core.geo: point-in-polygon, distances, bearings, fields of view."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csu_console.core import geo
from csu_console.core.geo import Area

SQUARE = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0))
HOLE = ((4.0, 4.0), (4.0, 6.0), (6.0, 6.0), (6.0, 4.0), (4.0, 4.0))
FAR_SQUARE = ((20.0, 0.0), (22.0, 0.0), (22.0, 2.0), (20.0, 2.0), (20.0, 0.0))

POLYGON_WITH_HOLE = {"type": "Polygon", "coordinates": [list(SQUARE), list(HOLE)]}
MULTI = {"type": "MultiPolygon", "coordinates": [[list(SQUARE), list(HOLE)], [list(FAR_SQUARE)]]}

# Central Helsinki, as in the demo site.
STATION = (24.94146, 60.17132)


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        (1.0, 1.0, True),
        (9.9, 5.0, True),
        (5.0, 5.0, False),  # in the hole
        (3.9, 5.0, True),  # just outside the hole
        (-0.1, 5.0, False),
        (5.0, 10.1, False),
        (21.0, 1.0, False),  # the MultiPolygon's second part, not this polygon's
    ],
)
def test_point_in_polygon_with_hole(lon: float, lat: float, inside: bool) -> None:
    assert geo.point_in_geometry(lon, lat, POLYGON_WITH_HOLE) is inside
    assert geo.point_in_polygon(lon, lat, (SQUARE, HOLE)) is inside


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [(1.0, 1.0, True), (5.0, 5.0, False), (21.0, 1.0, True), (15.0, 1.0, False)],
)
def test_point_in_multipolygon(lon: float, lat: float, inside: bool) -> None:
    area = Area.from_geojson(MULTI)
    assert area.contains(lon, lat) is inside
    assert geo.point_in_geometry(lon, lat, MULTI) is inside


def test_concave_polygon() -> None:
    l_shape = ((0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 2.0), (0.0, 2.0), (0.0, 0.0))
    assert geo.point_in_ring(0.5, 1.5, l_shape)
    assert not geo.point_in_ring(1.5, 1.5, l_shape)


def test_area_bbox_and_geojson_round_trip() -> None:
    area = Area.from_geojson(MULTI)
    assert area.bbox == (0.0, 0.0, 22.0, 10.0)
    assert Area.from_geojson(area.to_geojson()) == area
    single = Area.from_geojson(POLYGON_WITH_HOLE)
    assert single.to_geojson()["type"] == "Polygon"


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [0, 0]},
        {"type": "Polygon", "coordinates": 3},
        {"type": "Polygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": [[[["a", "b"]]]]},
        {"coordinates": []},
    ],
)
def test_area_rejects_bad_geometry(geometry: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Area.from_geojson(geometry)


def test_haversine_known_distances() -> None:
    # One degree of latitude on the mean sphere.
    assert geo.haversine_m(0, 0, 0, 1) == pytest.approx(111_195, rel=1e-4)
    # Paris (Notre-Dame) to London (Charing Cross): about 343.5 km.
    assert geo.haversine_m(2.3499, 48.8530, -0.1246, 51.5080) == pytest.approx(343_500, rel=0.005)
    # Helsinki central station to the cathedral: about 600 m.
    assert geo.haversine_m(*STATION, 24.95223, 60.17050) == pytest.approx(600, abs=30)
    assert geo.haversine_m(*STATION, *STATION) == 0.0


@pytest.mark.parametrize(
    ("lon2", "lat2", "expected"),
    [(0.0, 1.0, 0.0), (1.0, 0.0, 90.0), (0.0, -1.0, 180.0), (-1.0, 0.0, 270.0), (1.0, 1.0, 45.0)],
)
def test_bearing_from_origin(lon2: float, lat2: float, expected: float) -> None:
    assert geo.bearing_deg(0.0, 0.0, lon2, lat2) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("bearing", "distance"), [(0.0, 80.0), (45.0, 10.0), (200.0, 150.0), (359.0, 1000.0)]
)
def test_destination_point_inverts_bearing_and_distance(bearing: float, distance: float) -> None:
    lon, lat = geo.destination_point(*STATION, bearing, distance)
    assert geo.haversine_m(*STATION, lon, lat) == pytest.approx(distance, rel=1e-6)
    assert geo.bearing_deg(*STATION, lon, lat) == pytest.approx(bearing, abs=1e-3)


@pytest.mark.parametrize(
    ("a", "b", "diff"), [(10, 350, 20), (350, 10, -20), (180, 0, 180), (0, 0, 0), (370, 0, 10)]
)
def test_angle_diff_wraps(a: float, b: float, diff: float) -> None:
    assert geo.angle_diff_deg(a, b) == pytest.approx(diff)


def _at(bearing: float, distance: float) -> tuple[float, float]:
    return geo.destination_point(*STATION, bearing, distance)


@pytest.mark.parametrize(
    ("bearing", "seen"),
    [
        (350, True),
        (0, True),
        (9.5, True),
        (331, True),
        (11, False),
        (329, False),
        (90, False),
        (180, False),
    ],
)
def test_field_of_view_wraps_across_north(bearing: float, seen: bool) -> None:
    lon, lat = _at(bearing, 50)
    assert geo.in_field_of_view(*STATION, 350, 40, 100, lon, lat) is seen


@pytest.mark.parametrize(("distance", "seen"), [(10, True), (99, True), (101, False), (500, False)])
def test_field_of_view_range_limit(distance: float, seen: bool) -> None:
    lon, lat = _at(90, distance)
    assert geo.in_field_of_view(*STATION, 90, 60, 100, lon, lat) is seen


@pytest.mark.parametrize("bearing", [0, 90, 179, 180, 270, 359])
def test_field_of_view_360_sees_all_around(bearing: float) -> None:
    lon, lat = _at(bearing, 60)
    assert geo.in_field_of_view(*STATION, 0, 360, 100, lon, lat)
    assert not geo.in_field_of_view(*STATION, 0, 360, 50, lon, lat)


def test_field_of_view_sees_its_own_position() -> None:
    assert geo.in_field_of_view(*STATION, 0, 10, 100, *STATION)


def test_random_point_avoids_holes_and_reaches_every_part() -> None:
    rng = random.Random(42)
    area = Area.from_geojson(MULTI)
    points = [geo.random_point_in(area, rng) for _ in range(500)]
    assert all(area.contains(lon, lat) for lon, lat in points)
    assert not any(4 < lon < 6 and 4 < lat < 6 for lon, lat in points)
    assert any(lon >= 20 for lon, _ in points)
    assert any(lon <= 10 for lon, _ in points)


def test_random_point_is_reproducible_and_accepts_geojson() -> None:
    first = geo.random_point_in(POLYGON_WITH_HOLE, random.Random(7))
    again = geo.random_point_in(POLYGON_WITH_HOLE, random.Random(7))
    assert first == again


def test_random_point_gives_up_on_degenerate_area() -> None:
    flat = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]}
    with pytest.raises(ValueError):
        geo.random_point_in(flat, random.Random(1), max_tries=100)


@given(seed=st.integers(0, 2**32 - 1))
def test_random_point_always_inside(seed: int) -> None:
    area = Area.from_geojson(MULTI)
    assert area.contains(*geo.random_point_in(area, random.Random(seed)))


@given(lon=st.floats(-180, 180), lat=st.floats(-89, 89))
def test_bearing_stays_in_range(lon: float, lat: float) -> None:
    # Regression: a tiny negative angle made ``% 360.0`` return exactly 360.0.
    assert 0.0 <= geo.bearing_deg(24.9, 60.1, lon, lat) < 360.0
    assert 0.0 <= geo.bearing_deg(0.0, 0.0, lon, lat) < 360.0


@pytest.mark.parametrize(
    ("ring", "crosses"),
    [
        (SQUARE, False),
        (HOLE, False),
        (((0, 0), (1, 0), (0, 1), (0, 0)), False),  # triangle
        (((0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2), (0, 0)), False),  # concave L
        (((0, 0), (1, 0), (1, 0), (1, 1), (0, 1), (0, 0)), False),  # repeated position
        (((0, 0), (1, 1), (1, 0), (0, 1), (0, 0)), True),  # bow tie
        (((0, 0), (2, 0), (2, 2), (1, 0), (0, 2), (0, 0)), True),  # touches its own edge
        (((0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 1), (0, 0)), True),  # figure eight
        (((0, 0), (2, 0), (3, 0), (2, 0), (2, 2), (0, 2), (0, 0)), True),  # spike back
        (((0, 0), (1, 0), (0, 0)), True),  # not a ring
    ],
)
def test_ring_self_intersection(ring: tuple[tuple[float, float], ...], crosses: bool) -> None:
    assert geo.ring_self_intersects(ring) is crosses


def test_ring_area_sign() -> None:
    assert geo.ring_area(SQUARE) == pytest.approx(100.0)
    assert geo.ring_area(HOLE) == pytest.approx(-4.0)
