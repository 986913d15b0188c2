"""Cameras ranked by an alert's area (a CAP flood polygon): the field of view meets the
area first, then cameras mapped to a zone meeting it, then the distance to it; and
the vectorised geometry behind it (:mod:`csu_console.core.area_index`) against the
plain reference of :mod:`csu_console.core.geo`."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest

from csu_console.config.schema import Camera, Zone
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.area_index import AreaIndex
from csu_console.core.geo import (
    Area,
    Position,
    angle_diff_deg,
    bearing_deg,
    destination_point,
    distance_to_area_m,
    in_field_of_view,
)
from csu_console.core.ranking import (
    RankedCamera,
    cameras_for_alert,
    rank_cameras,
    rank_cameras_for_area,
)

HERE = (24.94146, 60.17132)  # central Helsinki, as in the demo site


def at(dx: float, dy: float, origin: Position = HERE) -> Position:
    """``dx`` metres east and ``dy`` metres north of ``origin``."""
    east = destination_point(*origin, 90.0 if dx >= 0 else 270.0, abs(dx))
    return destination_point(*east, 0.0 if dy >= 0 else 180.0, abs(dy))


def ring(*points: tuple[float, float]) -> tuple[Position, ...]:
    """A closed ring from (dx, dy) offsets in metres."""
    pts = tuple(at(*p) for p in points)
    return (*pts, pts[0])


def square(x0: float, y0: float, x1: float, y1: float) -> tuple[Position, ...]:
    return ring((x0, y0), (x1, y0), (x1, y1), (x0, y1))


#: A 200 m × 200 m flood area centred on HERE.
FLOOD = Area(((square(-100, -100, 100, 100),),))


def cam(
    cam_id: str,
    pos: Position,
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


def zone(zone_id: str, area: Area) -> Zone:
    return Zone(zone_id, zone_id.title(), "Test", "secteur_pm", area)


def ids(ranked: list[RankedCamera[Camera]]) -> list[str]:
    return [r.camera.id for r in ranked]


def alert(area: Area | None, location: Position | None = HERE) -> Alert:
    loc = None if location is None else Location(lat=location[1], lon=location[0])
    return Alert(
        source="vigicrues@example.gouv.fr",
        id="crue-1",
        sent=datetime(2026, 12, 5, 4, 0, tzinfo=UTC),
        category=Category.INONDATION,
        priority=2,
        location=loc,
        area=area,
        fmt="cap",
    )


# --- the order ------------------------------------------------------------------------


def test_inside_then_sector_then_mapped_then_distance() -> None:
    inside = cam("e-inside", at(50, 50), heading=0, fov=10)  # looks out, but stands inside
    crossing = cam("d-crossing", at(0, -150), heading=0, range_m=100)  # south, looking in
    mapped = cam("c-mapped", at(250, 0), heading=90, zones=("est",))  # looks away, mapped
    near = cam("b-near", at(-130, 0), heading=270)  # 30 m west, looking away
    far = cam("a-far", at(-900, 0), heading=90, range_m=100)  # nothing to do with it
    east = zone("est", Area(((square(90, -50, 400, 50),),)))  # meets the flood
    west = zone("ouest", Area(((square(-400, -50, -200, 50),),)))  # does not
    cameras = [far, near, mapped, crossing, inside]
    ranked = rank_cameras_for_area(cameras, [west, east], FLOOD)

    assert ids(ranked) == ["e-inside", "d-crossing", "c-mapped", "b-near"]
    assert [(r.sees, r.mapped) for r in ranked] == [
        (True, False),
        (True, False),
        (False, True),
        (False, False),
    ]
    assert [r.reason for r in ranked] == [
        "dans la zone d'alerte",
        "voit la zone d'alerte (à 50 m)",
        "Est (à 150 m)",
        "proche de la zone d'alerte (à 30 m)",
    ]
    assert ranked[0].distance_m == 0.0 and ranked[0].bearing_deg == 0.0
    assert ranked[1].distance_m == pytest.approx(50, abs=0.5)
    assert abs(angle_diff_deg(ranked[1].bearing_deg, 0.0)) < 0.5  # towards the area
    assert ranked[2].bearing_deg == pytest.approx(270, abs=0.5)
    assert ranked[2].mapped_zones == ("est",)


def test_a_sector_crossing_camera_beats_a_closer_one_looking_away() -> None:
    away = cam("away", at(0, -110), heading=180, range_m=200)  # 10 m, looks south
    crossing = cam("crossing", at(0, -190), heading=0, range_m=200)  # 90 m, looks north
    assert ids(rank_cameras_for_area([away, crossing], [], FLOOD)) == ["crossing", "away"]


def test_only_the_sector_counts_not_the_range_circle() -> None:
    """The area is within range but beside the sector: no."""
    beside = cam("beside", at(-150, 0), heading=270, fov=90, range_m=300)  # looks west
    (ranked,) = rank_cameras_for_area([beside], [], FLOOD)
    assert not ranked.sees
    dome = cam("dome", at(-150, 0), fov=360, range_m=60)
    assert rank_cameras_for_area([dome], [], FLOOD)[0].sees


def test_sector_reaching_only_with_its_arc() -> None:
    """No vertex in the sector, no radius crossing an edge: the arc crosses it."""
    wide = Area(((square(-2000, 100, 2000, 120),),))  # a long thin strip 100 m north
    camera = cam("c", HERE, heading=0, fov=20, range_m=110)
    assert rank_cameras_for_area([camera], [], wide, nearby_m=0)[0].sees
    short = cam("c", HERE, heading=0, fov=20, range_m=99)
    assert rank_cameras_for_area([short], [], wide, nearby_m=0) == []


def test_inside_cameras_start_at_the_alerts_point() -> None:
    cams = [cam(f"c{i}", at(-80 + 40 * i, 0), heading=0, fov=10) for i in range(5)]
    ranked = rank_cameras_for_area(cams, [], FLOOD, point=at(70, 0))
    assert ids(ranked)[:2] == ["c4", "c3"]
    assert all(r.reason == "dans la zone d'alerte" for r in ranked)


def test_area_far_away_keeps_only_mapped_cameras() -> None:
    far_area = Area(((square(20_000, 20_000, 20_500, 20_500),),))
    there = zone("la-bas", far_area)
    cams = [cam("here", HERE, fov=360), cam("mapped", at(10, 10), zones=("la-bas",))]
    ranked = rank_cameras_for_area(cams, [there], far_area)
    assert ids(ranked) == ["mapped"]
    assert ranked[0].distance_m == pytest.approx(
        distance_to_area_m(*at(10, 10), far_area), rel=0.01
    )
    assert rank_cameras_for_area(cams, [], far_area) == []


def test_concave_area_notch() -> None:
    """A U-shaped flood: a camera in the notch is outside; looking across the notch at
    an arm it sees the area, looking out of the notch it does not."""
    u_shape = Area(
        ((ring((-150, -150), (150, -150), (150, 150), (50, 150), (50, -50), (-50, -50),
               (-50, 150), (-150, 150)),),)
    )  # fmt: skip
    notch = at(0, 100)
    looking_east = cam("east", notch, heading=90, fov=30, range_m=80)
    looking_north = cam("north", notch, heading=0, fov=30, range_m=40)
    ranked = {
        r.camera.id: r for r in rank_cameras_for_area([looking_east, looking_north], [], u_shape)
    }
    assert ranked["east"].sees and ranked["east"].distance_m == pytest.approx(50, abs=0.5)
    assert not ranked["north"].sees
    assert ranked["north"].reason == "proche de la zone d'alerte (à 50 m)"


def test_hole_is_outside() -> None:
    holed = Area(((square(-200, -200, 200, 200), square(-50, -50, 50, 50)),))
    in_hole = cam("in-hole", HERE, heading=0, fov=20, range_m=30)  # sees only the hole
    sees_rim = cam("sees-rim", HERE, heading=0, fov=20, range_m=80)
    ranked = {r.camera.id: r for r in rank_cameras_for_area([in_hole, sees_rim], [], holed)}
    assert not ranked["in-hole"].sees
    assert ranked["in-hole"].distance_m == pytest.approx(50, abs=0.5)
    assert ranked["sees-rim"].sees


def test_overlapping_polygons_of_a_union_stay_inside() -> None:
    a, b = square(-100, -100, 100, 100), square(-50, -50, 150, 150)
    union = Area(((a,), (b,)))
    (ranked,) = rank_cameras_for_area([cam("both", at(0, 0), fov=10)], [], union)
    assert ranked.reason == "dans la zone d'alerte"


def test_limit_and_bad_arguments() -> None:
    cams = [cam(f"c{i:02d}", at(-90 + 10 * i, 0), fov=10) for i in range(19)]
    assert len(rank_cameras_for_area(cams, [], FLOOD, limit=9)) == 9
    assert rank_cameras_for_area([], [], FLOOD) == []
    with pytest.raises(ValueError, match="nearby_m"):
        rank_cameras_for_area(cams, [], FLOOD, nearby_m=-1)
    with pytest.raises(ValueError, match="limit"):
        rank_cameras_for_area(cams, [], FLOOD, limit=-1)
    with pytest.raises(ValueError, match="polygons"):
        rank_cameras_for_area(cams, [], Area(()))


# --- the alert chooses ------------------------------------------------------------------


def test_cameras_for_alert_uses_the_area_when_there_is_one() -> None:
    """The point (the area's centre, say) is seen by one camera; the flood's edge by
    another: with the area, the camera inside the flood comes first."""
    at_edge = cam("at-edge", at(90, 90), heading=45, fov=10, range_m=50)
    sees_point = cam("sees-point", at(0, -150), heading=0, range_m=200)
    point_only = cameras_for_alert(alert(None), [at_edge, sees_point], [])
    assert ids(point_only) == ["sees-point", "at-edge"]  # at-edge only nearby
    with_area = cameras_for_alert(alert(FLOOD), [at_edge, sees_point], [])
    assert ids(with_area) == ["at-edge", "sees-point"]
    without_location = cameras_for_alert(alert(FLOOD, location=None), [at_edge], [])
    assert ids(without_location) == ["at-edge"]
    assert cameras_for_alert(alert(None, location=None), [at_edge], []) == []
    empty_area = cameras_for_alert(alert(Area(())), [at_edge, sees_point], [])
    assert ids(empty_area) == ["sees-point", "at-edge"]


def test_demo_site_flood_over_the_station_area() -> None:
    from csu_console.config import default_config_dir, load_site

    site = load_site(default_config_dir())
    gare = next(z for z in site.zones if z.id == "secteur-gare")
    ranked = cameras_for_alert(alert(gare.area), site.cameras, site.zones)
    assert ranked and ranked[0].sees
    assert ranked[0].camera.zones and "secteur-gare" in ranked[0].camera.zones
    seeing = [r for r in ranked if r.sees]
    assert ranked[: len(seeing)] == seeing


# --- the vectorised geometry against the reference ----------------------------------------


def _random_area(rng: random.Random) -> Area:
    """A star-shaped (often concave) polygon of 40–120 vertices, sometimes with a hole."""
    n = rng.randint(40, 120)
    outer = ring(
        *[
            (r * np.sin(2 * np.pi * k / n), r * np.cos(2 * np.pi * k / n))
            for k in range(n)
            for r in [rng.uniform(150, 400)]
        ]
    )
    polygons: list[tuple[tuple[Position, ...], ...]] = [(outer,)]
    if rng.random() < 0.5:
        polygons = [(outer, square(-60, -60, 60, 60))]  # a hole
    if rng.random() < 0.5:  # a union: an island apart and a square overlapping
        polygons += [(square(450, 450, 550, 520),), (square(100, -50, 300, 50),)]
    return Area(tuple(polygons))


@pytest.mark.parametrize("seed", range(6))
def test_contains_and_distance_agree_with_geo(seed: int) -> None:
    rng = random.Random(seed)
    area = _random_area(rng)
    points = [at(rng.uniform(-600, 600), rng.uniform(-600, 600)) for _ in range(300)]
    index = AreaIndex(area)
    x, y = index.frame.project(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
    inside = index.contains(x, y)
    dist, _, _ = index.distance(x, y)
    for k, (lon, lat) in enumerate(points):
        assert inside[k] == area.contains(lon, lat)
        assert dist[k] == pytest.approx(distance_to_area_m(lon, lat, area), abs=0.5)


def _sees_slowly(camera: Camera, area: Area) -> bool:
    """Reference: inside, a vertex in view, or a dense sampling of the sector inside."""
    if area.contains(camera.lon, camera.lat):
        return True
    if distance_to_area_m(camera.lon, camera.lat, area) > camera.range_m:
        return False
    view = (camera.lon, camera.lat, camera.heading_deg, camera.fov_deg, camera.range_m)
    if any(in_field_of_view(*view, *v) for poly in area.polygons for r in poly for v in r):
        return True
    steps = max(8, int(camera.fov_deg / 2))
    for a in range(steps + 1):
        bearing = camera.heading_deg - camera.fov_deg / 2 + camera.fov_deg * a / steps
        for r in range(1, 31):
            point = destination_point(
                camera.lon, camera.lat, bearing % 360, camera.range_m * r / 30
            )
            if area.contains(*point):
                return True
    return False


@pytest.mark.parametrize("seed", range(6))
def test_sees_agrees_with_a_sampled_reference(seed: int) -> None:
    """What a dense sampling finds is always found; a miss of the sampling is allowed
    only where the sector grazes the area (within a metre of its edge or arc)."""
    rng = random.Random(100 + seed)
    area = _random_area(rng)
    cams = [
        cam(
            f"c{i:03d}",
            at(rng.uniform(-700, 700), rng.uniform(-700, 700)),
            heading=rng.uniform(0, 360),
            fov=rng.choice([360.0, rng.uniform(10, 200)]),
            range_m=rng.uniform(30, 300),
        )
        for i in range(80)
    ]
    ranked = {r.camera.id: r for r in rank_cameras_for_area(cams, [], area, nearby_m=0)}
    for camera in cams:
        slow = _sees_slowly(camera, area)
        fast = camera.id in ranked and ranked[camera.id].sees
        if slow:
            assert fast, camera
        elif fast:  # found by the exact test only: the sampling stepped over a sliver
            grazing = cam(camera.id, (camera.lon, camera.lat), heading=camera.heading_deg,
                          fov=camera.fov_deg + 4, range_m=camera.range_m + 5)  # fmt: skip
            assert _sees_slowly(grazing, area), camera


def test_meets_between_areas() -> None:
    base = AreaIndex(FLOOD)
    frame = base.frame
    overlapping = Area(((square(50, 50, 300, 300),),))
    crossing = Area(((square(-300, -10, 300, 10),),))  # no vertex inside either
    inside = Area(((square(-10, -10, 10, 10),),))
    apart = Area(((square(150, 150, 300, 300),),))
    assert base.meets(AreaIndex(overlapping, frame))
    assert base.meets(AreaIndex(crossing, frame))
    assert base.meets(AreaIndex(inside, frame))
    assert AreaIndex(inside, frame).meets(base)
    assert not base.meets(AreaIndex(apart, frame))


def test_bearing_points_to_the_nearest_point() -> None:
    camera = cam("c", at(300, 0), heading=0)
    (ranked,) = rank_cameras_for_area([camera], [], FLOOD, nearby_m=500)
    assert ranked.distance_m == pytest.approx(200, abs=0.5)
    assert ranked.bearing_deg == pytest.approx(bearing_deg(*at(300, 0), *at(100, 0)), abs=0.5)


def test_point_ranking_is_unchanged() -> None:
    """An alert without area keeps the point ranking exactly."""
    cams = [cam("a", at(0, -50), heading=0), cam("b", at(20, 0), heading=90)]
    expected = rank_cameras(cams, [], *HERE, limit=9)
    assert cameras_for_alert(alert(None), cams, []) == expected


def test_a_departement_of_adjacent_communes() -> None:
    """A union of 30 adjacent « communes » (shared edges): inside and distance agree
    with the reference, and a camera in the middle commune is inside."""
    communes = [
        (square(x * 200 - 500, y * 200 - 600, x * 200 - 300, y * 200 - 400),)
        for x in range(5)
        for y in range(6)
    ]
    departement = Area(tuple(communes))
    rng = random.Random(7)
    points = [at(rng.uniform(-800, 800), rng.uniform(-900, 900)) for _ in range(300)]
    index = AreaIndex(departement)
    x, y = index.frame.project(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
    inside = index.contains(x, y)
    dist, _, _ = index.distance(x, y)
    for k, (lon, lat) in enumerate(points):
        assert inside[k] == departement.contains(lon, lat)
        assert dist[k] == pytest.approx(distance_to_area_m(lon, lat, departement), abs=0.5)
    (ranked,) = rank_cameras_for_area([cam("mairie", at(-10, 10), fov=10)], [], departement)
    assert ranked.reason == "dans la zone d'alerte"


def test_the_index_of_an_area_is_reused_while_it_is_ranked_again() -> None:
    area = Area(((square(-100, -100, 100, 100),),))
    assert AreaIndex.of(area) is AreaIndex.of(area)
    twin = Area(((square(-100, -100, 100, 100),),))  # equal, but another alert's
    assert AreaIndex.of(twin) is not AreaIndex.of(area)
    for n in range(10):  # a bounded number is kept
        AreaIndex.of(Area(((square(n, n, n + 50, n + 50),),)))
    assert len(AreaIndex._recent) <= AreaIndex._RECENT
