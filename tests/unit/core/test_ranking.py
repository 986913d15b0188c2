"""Tests for csu_console.core.ranking: which cameras to show for a point, in which order."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from csu_console.config.loader import check_site
from csu_console.config.schema import Camera, Zone
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.geo import Area, Position, angle_diff_deg, destination_point
from csu_console.core.ranking import (
    RankedCamera,
    cameras_for_alert,
    format_distance,
    rank_cameras,
)

HERE = (24.94146, 60.17132)  # central Helsinki, as in the demo site
CONFIG_DIR = Path(__file__).resolve().parents[3] / "config"


def at(metres: float, bearing: float, origin: Position = HERE) -> Position:
    """The position ``metres`` from ``origin`` at ``bearing``."""
    return destination_point(*origin, bearing, metres)


def cam(
    cam_id: str,
    pos: Position = HERE,
    *,
    heading: float = 0.0,
    fov: float = 60.0,
    range_m: float = 100.0,
    zones: tuple[str, ...] = (),
) -> Camera:
    return Camera(
        id=cam_id,
        name=cam_id.upper(),
        kind="dome" if fov >= 360 else "fixe",
        lon=pos[0],
        lat=pos[1],
        heading_deg=heading,
        fov_deg=fov,
        range_m=range_m,
        stream_main=f"rtsp://127.0.0.1:8554/{cam_id}",
        zones=zones,
    )


def box(center: Position, half_deg: float) -> list[list[float]]:
    lon, lat = center
    return [
        [lon - half_deg, lat - half_deg],
        [lon + half_deg, lat - half_deg],
        [lon + half_deg, lat + half_deg],
        [lon - half_deg, lat + half_deg],
        [lon - half_deg, lat - half_deg],
    ]


def zone(zone_id: str, name: str, geometry: Mapping[str, object]) -> Zone:
    return Zone(zone_id, name, "Test", "secteur_pm", Area.from_geojson(geometry))


CENTRE = zone("centre", "Secteur Centre", {"type": "Polygon", "coordinates": [box(HERE, 0.005)]})


def ids(ranked: list[RankedCamera[Camera]]) -> list[str]:
    return [r.camera.id for r in ranked]


def test_seeing_beats_mapping_beats_distance() -> None:
    seer = cam("a-seer", at(150, 180), heading=0, range_m=200)  # south, looking north
    mapped = cam("b-mapped", at(50, 90), heading=90, zones=("centre",))  # looking away
    near = cam("c-near", at(20, 270), heading=270)  # closest, looking away, unmapped
    ranked = rank_cameras([near, mapped, seer], [CENTRE], *HERE)

    assert ids(ranked) == ["a-seer", "b-mapped", "c-near"]
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert [(r.sees, r.mapped) for r in ranked] == [(True, False), (False, True), (False, False)]
    assert [r.reason for r in ranked] == [
        "voit le point (à 150 m)",
        "Secteur Centre (à 50 m)",
        "proche (à 20 m)",
    ]
    assert ranked[0].distance_m == pytest.approx(150, abs=0.01)
    assert abs(angle_diff_deg(ranked[0].bearing_deg, 0.0)) < 0.01
    assert ranked[1].bearing_deg == pytest.approx(270, abs=0.01)
    assert ranked[1].mapped_zones == ("centre",)


def test_seeing_and_mapped_beats_seeing_only_even_farther() -> None:
    seer = cam("seer", at(30, 180), heading=0)
    seer_mapped = cam("seer-mapped", at(90, 180), heading=0, zones=("centre",))
    ranked = rank_cameras([seer, seer_mapped], [CENTRE], *HERE)
    assert ids(ranked) == ["seer-mapped", "seer"]
    assert ranked[0].reason == "voit le point (à 90 m)"


@pytest.mark.parametrize(
    ("bearing", "sees"),
    [(5.0, True), (25.0, False), (335.0, True), (325.0, False), (170.0, False)],
)
def test_field_of_view_across_north(bearing: float, sees: bool) -> None:
    north = cam("north", heading=350, fov=40, range_m=200)
    ranked = rank_cameras([north], [], *at(100, bearing), nearby_m=0)
    assert len(ranked) == int(sees)
    if sees:
        assert ranked[0].sees
        assert ranked[0].bearing_deg == pytest.approx(bearing, abs=0.01)


def test_out_of_range_is_not_seeing() -> None:
    camera = cam("c", heading=0, fov=60, range_m=100)
    point = at(150, 0)
    (ranked,) = rank_cameras([camera], [], *point)
    assert not ranked.sees
    assert ranked.reason == "proche (à 150 m)"
    assert rank_cameras([camera], [], *point, nearby_m=100) == []


@pytest.mark.parametrize("bearing", [0.0, 90.0, 180.0, 270.0, 359.0])
def test_dome_sees_all_around_within_range(bearing: float) -> None:
    dome = cam("dome", fov=360, range_m=100)
    assert rank_cameras([dome], [], *at(80, bearing), nearby_m=0)[0].sees
    assert rank_cameras([dome], [], *at(120, bearing), nearby_m=0) == []


def test_camera_at_the_point_sees_it() -> None:
    (ranked,) = rank_cameras([cam("here", heading=90, fov=10)], [], *HERE)
    assert ranked.sees
    assert ranked.distance_m == 0.0
    assert ranked.bearing_deg == 0.0


def test_point_in_a_zone_hole_is_not_mapped() -> None:
    ring = {"type": "Polygon", "coordinates": [box(HERE, 0.01), box(HERE, 0.002)]}
    holed = zone("holed", "Secteur Troué", ring)
    far = cam("far", at(1000, 45), heading=45, zones=("holed",))  # looking away, not nearby

    assert rank_cameras([far], [holed], *HERE) == []  # in the hole
    (ranked,) = rank_cameras([far], [holed], HERE[0] + 0.005, HERE[1])  # in the ring
    assert ranked.mapped
    assert ranked.reason.startswith("Secteur Troué (à ")


def test_multipolygon_zone_maps_both_parts() -> None:
    other = (HERE[0] + 0.05, HERE[1])
    multi = {"type": "MultiPolygon", "coordinates": [[box(HERE, 0.002)], [box(other, 0.002)]]}
    two_parts = zone("two", "Secteur Double", multi)
    camera = cam("c", heading=180, zones=("two",))

    assert rank_cameras([camera], [two_parts], *other)[0].mapped
    between = (HERE[0] + 0.025, HERE[1])
    assert rank_cameras([camera], [two_parts], *between) == []


def test_first_mapped_zone_in_zone_order_names_the_reason() -> None:
    quartier = zone(
        "quartier", "Quartier Nord", {"type": "Polygon", "coordinates": [box(HERE, 0.01)]}
    )
    camera = cam("c", at(2000, 90), heading=90, zones=("centre", "quartier"))
    (ranked,) = rank_cameras([camera], [quartier, CENTRE], *HERE)
    assert ranked.mapped_zones == ("quartier", "centre")
    assert ranked.reason == "Quartier Nord (à 2,0 km)"


def test_unknown_zone_id_in_mapping_is_ignored() -> None:
    camera = cam("c", at(1000, 90), heading=90, zones=("nowhere",))
    assert rank_cameras([camera], [CENTRE], *HERE) == []


def test_ties_broken_by_id() -> None:
    domes = [cam("cam-b", fov=360), cam("cam-c", fov=360), cam("cam-a", fov=360)]
    assert ids(rank_cameras(domes, [], *HERE)) == ["cam-a", "cam-b", "cam-c"]

    # Equal distances east and west, neither sees nor is mapped.
    east, west = cam("z-east", at(100, 90), heading=90), cam("y-west", at(100, 270), heading=270)
    ranked = rank_cameras([east, west], [], *HERE)
    assert ranked[0].distance_m == pytest.approx(ranked[1].distance_m, abs=1e-6)
    assert ids(ranked) == ["y-west", "z-east"]


def test_nearby_radius() -> None:
    cameras = [cam(f"c{d}", at(d, 90), heading=90) for d in (350, 250, 100)]
    assert ids(rank_cameras(cameras, [], *HERE)) == ["c100", "c250"]
    assert ids(rank_cameras(cameras, [], *HERE, nearby_m=120)) == ["c100"]
    assert ids(rank_cameras(cameras, [], *HERE, nearby_m=400)) == ["c100", "c250", "c350"]
    assert rank_cameras(cameras, [], *HERE, nearby_m=0) == []


def test_limit() -> None:
    cameras = [cam(f"c{i}", at(10 * i, 90), heading=90) for i in range(1, 6)]
    assert ids(rank_cameras(cameras, [], *HERE, limit=2)) == ["c1", "c2"]
    assert [r.rank for r in rank_cameras(cameras, [], *HERE, limit=3)] == [1, 2, 3]
    assert len(rank_cameras(cameras, [], *HERE, limit=50)) == 5
    assert rank_cameras(cameras, [], *HERE, limit=0) == []


@pytest.mark.parametrize(
    "kwargs",
    [{"limit": -1}, {"nearby_m": -1.0}, {"nearby_m": float("nan")}],
)
def test_bad_arguments_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        rank_cameras([cam("c")], [], *HERE, **kwargs)


def test_non_finite_position_is_rejected() -> None:
    with pytest.raises(ValueError):
        rank_cameras([cam("c")], [], float("nan"), HERE[1])


def test_point_outside_every_zone() -> None:
    outside = at(2000, 0)  # ~0.018° north: outside CENTRE
    seer = cam("seer", at(50, 180, outside), heading=0, zones=("centre",))
    near = cam("near", at(200, 90, outside), heading=90, zones=("centre",))
    mapped_far = cam("mapped-far", HERE, heading=180, zones=("centre",))
    ranked = rank_cameras([mapped_far, near, seer], [CENTRE], *outside)

    assert ids(ranked) == ["seer", "near"]
    assert [(r.sees, r.mapped) for r in ranked] == [(True, False), (False, False)]
    assert ranked[1].reason == "proche (à 200 m)"


def test_no_cameras() -> None:
    assert rank_cameras([], [CENTRE], *HERE) == []


@pytest.mark.parametrize(
    ("metres", "text"),
    [(0.0, "0 m"), (45.4, "45 m"), (999.4, "999 m"), (999.6, "1,0 km"), (1234.0, "1,2 km")],
)
def test_format_distance(metres: float, text: str) -> None:
    assert format_distance(metres) == text


def _alert(location: Location | None) -> Alert:
    return Alert(
        source="plateforme",
        id="a-1",
        sent=datetime(2024, 6, 1, 21, 0, tzinfo=UTC),
        category=Category.CAMBRIOLAGE,
        priority=2,
        location=location,
    )


def test_cameras_for_alert() -> None:
    domes = [cam(f"d{i:02}", at(5 * i, 90), fov=360) for i in range(12)]
    ranked = cameras_for_alert(_alert(Location(lat=HERE[1], lon=HERE[0])), domes, [])
    assert ids(ranked) == [f"d{i:02}" for i in range(9)]  # a 3×3 wall
    assert len(cameras_for_alert(_alert(Location(HERE[1], HERE[0])), domes, [], limit=4)) == 4
    assert cameras_for_alert(_alert(None), domes, []) == []


def _demo_cameras() -> list[str]:
    site, problems = check_site(CONFIG_DIR)
    assert site is not None, problems
    return [c.id for c in site.cameras]


@pytest.mark.parametrize("cam_id", _demo_cameras())
def test_demo_camera_ranks_first_for_a_point_in_front_of_it(cam_id: str) -> None:
    site, problems = check_site(CONFIG_DIR)
    assert site is not None, problems
    camera = next(c for c in site.cameras if c.id == cam_id)
    point = destination_point(camera.lon, camera.lat, camera.heading_deg, camera.range_m / 2)

    ranked = rank_cameras(site.cameras, site.zones, *point)
    assert ranked[0].camera.id == cam_id
    assert ranked[0].sees
    assert ranked[0].reason == f"voit le point (à {round(camera.range_m / 2)} m)"
