"""Camera-to-zone suggestions from the fields of view, on hand-made geometry.

Coordinates are built in metres around an origin in Helsinki: x east, y north.
A camera at the origin facing east with a 90° field of view and a 100 m range
covers the quarter disc |y| ≤ x, x² + y² ≤ 100²: area π·100²/4 ≈ 7854 m². The
part with x < d is the triangle of area d² (its width at x is 2x), so a zone
covering x in [0, 30] holds 900 / 7854 ≈ 11.5 % of the sector, x in [0, 25]
holds 625 / 7854 ≈ 8.0 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from csu_console.core.geo import Area, destination_point
from csu_console.core.mapping import (
    MappingDiff,
    camera_mapping,
    mapping_changes,
    sector_samples,
    suggest_mapping,
    suggest_zones,
    zone_shares,
)

ORIGIN = (24.94, 60.17)
SECTOR_M2 = math.pi * 100**2 / 4


def at(x_m: float, y_m: float) -> tuple[float, float]:
    """The (lon, lat) x metres east and y metres north of the origin."""
    lon, lat = destination_point(*ORIGIN, 90.0, x_m) if x_m else ORIGIN
    return destination_point(lon, lat, 0.0, y_m) if y_m else (lon, lat)


def box(x0: float, y0: float, x1: float, y1: float) -> Area:
    corners = [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1)]
    return Area(((tuple([*corners, corners[0]]),),))


@dataclass(frozen=True)
class Cam:
    id: str
    lon: float
    lat: float
    heading_deg: float
    fov_deg: float
    range_m: float
    zones: tuple[str, ...] = ()


@dataclass(frozen=True)
class Z:
    id: str
    area: Area


def cam(x: float = 0.0, y: float = 0.0, heading: float = 90.0, fov: float = 90.0) -> Cam:
    lon, lat = at(x, y)
    return Cam("c1", lon, lat, heading, fov, 100.0)


def test_samples_weights_sum_to_one_and_stay_in_range() -> None:
    samples = sector_samples(cam())
    assert math.isclose(sum(w for _, _, w in samples), 1.0)
    assert all(lon >= ORIGIN[0] for lon, _, _ in samples)  # facing east


def test_camera_at_the_border_of_two_squares_facing_east() -> None:
    # The camera stands 1 m inside the west square (the border is at x = 1 m) and
    # looks east into the east one.
    west = Z("ouest", box(-200, -200, 1, 200))
    east = Z("est", box(1, -200, 200, 200))
    shares = zone_shares(cam(), [west, east])
    # The west part of the sector is the triangle x < 1 m: 1 m² of 7854 m².
    assert shares["est"] == pytest.approx(1.0, abs=0.01)
    assert shares["ouest"] < 0.01
    # East by coverage first, west because the camera stands in it.
    assert suggest_zones(cam(), [west, east]) == ("est", "ouest")


def test_share_threshold_on_hand_computed_triangles() -> None:
    # From x = 0.5 m, so that the camera does not stand in them (0.25 m² less).
    near30 = Z("x0-30", box(0.5, -200, 30, 200))
    near25 = Z("x0-25", box(0.5, -200, 25, 200))
    far = Z("x30+", box(30, -200, 300, 200))
    shares = zone_shares(cam(), [near30, near25, far])
    assert shares["x0-30"] == pytest.approx(900 / SECTOR_M2, abs=0.01)
    assert shares["x0-25"] == pytest.approx(625 / SECTOR_M2, abs=0.01)
    assert shares["x30+"] == pytest.approx(1 - 900 / SECTOR_M2, abs=0.01)
    # 11.5 % is kept, 8 % is not.
    assert suggest_zones(cam(), [near30, near25, far]) == ("x30+", "x0-30")
    assert suggest_zones(cam(), [near30, near25, far], min_share=0.05) == (
        "x30+",
        "x0-30",
        "x0-25",
    )


def test_sector_split_in_half_by_a_street() -> None:
    north = Z("nord", box(-0.5, 0, 200, 200))
    south = Z("sud", box(-0.5, -200, 200, 0))
    shares = zone_shares(cam(), [north, south])
    assert shares["nord"] == pytest.approx(0.5, abs=0.02)
    assert shares["sud"] == pytest.approx(0.5, abs=0.02)
    assert set(suggest_zones(cam(), [north, south])) == {"nord", "sud"}


def test_dome_camera_all_around() -> None:
    # 360°, 100 m: the east half-plane x > 0 holds half the disc.
    east = Z("est", box(0, -200, 200, 200))
    west = Z("ouest", box(-200, -200, 0, 200))
    dome = cam(fov=360.0)
    shares = zone_shares(dome, [east, west])
    assert shares["est"] == pytest.approx(0.5, abs=0.02)
    assert shares["ouest"] == pytest.approx(0.5, abs=0.02)


def test_zone_out_of_sight_is_not_suggested() -> None:
    behind = Z("derriere", box(-200, -200, -10, 200))
    assert zone_shares(cam(), [behind]) == {"derriere": 0.0}
    assert suggest_zones(cam(), [behind]) == ()


def test_suggest_mapping_per_camera() -> None:
    east = Z("est", box(1, -200, 200, 200))
    west_cam = Cam("c2", *at(-150, 0), 270.0, 60.0, 100.0)
    mapping = suggest_mapping([cam(), west_cam], [east])
    assert mapping == {"c1": ("est",), "c2": ()}


def test_mapping_changes_lists_added_and_removed_pairs() -> None:
    old = {"cam-01": ("a", "b"), "cam-02": ("a",), "cam-03": ("c",)}
    new = {"cam-01": ("b", "d"), "cam-02": ("a",), "cam-04": ("c",)}
    diff = mapping_changes(old, new)
    assert diff.added == (("cam-01", "d"), ("cam-04", "c"))
    assert diff.removed == (("cam-01", "a"), ("cam-03", "c"))
    assert diff.as_details() == {
        "added": ["cam-01→d", "cam-04→c"],
        "removed": ["cam-01→a", "cam-03→c"],
    }
    assert not mapping_changes(old, dict(old))
    assert mapping_changes(old, dict(old)) == MappingDiff()


def test_camera_mapping_reads_the_cameras_zones() -> None:
    cams = [Cam("a", 0, 0, 0, 90, 10, ("z1",)), Cam("b", 0, 0, 0, 90, 10)]
    assert camera_mapping(cams) == {"a": ("z1",), "b": ()}
