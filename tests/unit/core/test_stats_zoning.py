"""Zones of alerts at query time (csu_console.core.review.zoning): the numpy test
agrees with core.geo's point-in-polygon point for point, holes included."""

from __future__ import annotations

import random

from csu_console.core.geo import Area
from csu_console.core.review.zoning import bbox_of, zones_of

SQUARE = Area.from_geojson(
    {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
            [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],  # a hole
        ],
    }
)
STAR = Area.from_geojson(
    {
        "type": "MultiPolygon",
        "coordinates": [
            [[[5, -3], [7, 3], [13, 3], [8, 6], [10, 12], [5, 8], [0, 12], [2, 6], [-3, 3],
              [3, 3], [5, -3]]],
            [[[20, 20], [21, 20], [21, 21], [20, 20]]],
        ],
    }
)  # fmt: skip


def test_zones_agree_with_geo_point_by_point() -> None:
    rng = random.Random(3)
    points = [(rng.uniform(-5, 22), rng.uniform(-5, 22)) for _ in range(5000)]
    points += [(5, 5), (0, 0), (10, 5), (4, 5), (20.5, 20.2)]  # hole, corners, edges
    zones = [("carre", SQUARE), ("etoile", STAR)]
    found = zones_of(points, zones)
    for (lon, lat), ids in zip(points, found, strict=True):
        expected = tuple(z for z, area in zones if area.contains(lon, lat))
        assert ids == expected, (lon, lat)
    assert found[-5] == ("etoile",)  # in the square's hole, inside the star


def test_zones_of_alerts_without_position_or_zones() -> None:
    assert zones_of([(None, None), (5.0, 1.0)], [("carre", SQUARE)]) == [(), ("carre",)]
    assert zones_of([(1.0, 1.0)], []) == [()]
    assert zones_of([], [("carre", SQUARE)]) == []
    assert bbox_of([("carre", SQUARE), ("etoile", STAR)]) == (-3, -3, 21, 21)
    assert bbox_of([]) is None


def test_more_zones_than_bits() -> None:
    many = [(f"z{i}", SQUARE) for i in range(70)]
    [ids] = zones_of([(1.0, 1.0)], many)
    assert ids == tuple(f"z{i}" for i in range(70))
