"""CAP areas → Alert.area and Alert.location: polygons, circles, geocodes, and the
malformed shapes real feeds send (ignored with a warning, never a refusal)."""

from __future__ import annotations

import pytest
from cap_support import area, cap, circle, geocode, info, polygon

from csu_console.core.alerts import Alert
from csu_console.core.cap import parse_cap
from csu_console.core.cap.areas import CIRCLE_VERTICES
from csu_console.core.geo import Area, haversine_m

SQUARE = "48.0,2.0 48.0,2.2 48.2,2.2 48.2,2.0 48.0,2.0"


def parse(*areas: str, geocodes: object = None) -> Alert:
    return parse_cap(cap(info(areas="".join(areas))), geocodes=geocodes)  # type: ignore[arg-type]


def test_polygon_becomes_a_geojson_area_in_lon_lat_order() -> None:
    alert = parse(area(polygon(SQUARE)))

    ring = ((2.0, 48.0), (2.2, 48.0), (2.2, 48.2), (2.0, 48.2), (2.0, 48.0))
    assert alert.area == Area(((ring,),))
    assert alert.area.to_geojson()["type"] == "Polygon"
    assert alert.cap is not None and alert.cap.warnings == ()
    assert alert.cap.infos[0].areas[0].polygons == 1


def test_every_area_and_every_shape_is_kept() -> None:
    alert = parse(
        area(polygon(SQUARE), polygon("43.0,4.0 43.0,4.1 43.1,4.1 43.0,4.0"), desc="Deux zones"),
        area(circle("45.0,5.0 1"), desc="Un cercle"),
    )

    assert alert.area is not None
    assert len(alert.area.polygons) == 3
    assert alert.area.to_geojson()["type"] == "MultiPolygon"
    assert alert.location is not None
    assert alert.location.address == "Deux zones"
    assert alert.cap is not None
    assert [(a.polygons, a.circles, a.resolved) for a in alert.cap.infos[0].areas] == [
        (2, 0, True),
        (0, 1, True),
    ]


def test_circle_is_a_32_vertex_polygon_and_its_centre_the_location() -> None:
    alert = parse(area(circle("48.8566,2.3522 0.25"), desc="Quai"))

    assert alert.area is not None
    (ring,) = alert.area.polygons[0]
    assert len(ring) == CIRCLE_VERTICES + 1 and ring[0] == ring[-1]
    for lon, lat in ring:
        assert haversine_m(2.3522, 48.8566, lon, lat) == pytest.approx(250.0, rel=1e-6)
    assert alert.area.contains(2.3522, 48.8566)
    assert alert.location is not None
    assert (alert.location.lat, alert.location.lon) == (48.8566, 2.3522)
    assert alert.location.accuracy_m == pytest.approx(250.0)


def test_location_of_a_concave_area_lies_inside_it() -> None:
    # A "U": its centroid falls in the notch, outside the area.
    u_shape = "0,0 0,3 3,3 3,2 1,2 1,1 3,1 3,0 0,0"
    alert = parse(area(polygon(u_shape)))

    assert alert.area is not None and alert.location is not None
    assert alert.area.contains(alert.location.lon, alert.location.lat)
    farthest = max(
        haversine_m(alert.location.lon, alert.location.lat, lon, lat)
        for lon, lat in alert.area.polygons[0][0]
    )
    assert alert.location.accuracy_m == pytest.approx(farthest, rel=1e-6)


def test_identical_polygons_of_translated_blocks_are_drawn_once() -> None:
    geometry = area(polygon(SQUARE))
    xml = cap(info(areas=geometry), info(language="en-GB", event="Thunderstorms", areas=geometry))

    alert = parse_cap(xml)

    assert alert.area is not None and len(alert.area.polygons) == 1


# --- tolerated shapes ------------------------------------------------------------


def test_unclosed_ring_with_three_points_is_closed_with_a_warning() -> None:
    alert = parse(area(polygon("48.0,2.0 48.0,2.2 48.2,2.2")))

    assert alert.area is not None
    assert alert.area.polygons[0][0][-1] == alert.area.polygons[0][0][0]
    assert alert.cap is not None
    assert alert.cap.warnings == (
        "cap.info.area.polygon : anneau non fermé, refermé sur son premier sommet",
    )


def test_spaces_after_commas_and_an_altitude_are_tolerated() -> None:
    alert = parse(area(polygon("48.0, 2.0 48.0 ,2.2 48.2,2.2,120 48.0,2.0")))

    assert alert.area is not None
    assert len(alert.area.polygons[0][0]) == 4


# --- malformed shapes: ignored with a warning, the alert kept ---------------------

BAD_SHAPES = [
    pytest.param(polygon(""), "cap.info.area.polygon : polygone vide ignoré", id="empty-polygon"),
    pytest.param("<polygon/>", "cap.info.area.polygon : polygone vide ignoré", id="self-closed"),
    pytest.param(
        polygon("48.0,2.0 48.0,2.2 48.0,2.0"),
        "cap.info.area.polygon : 2 sommet(s) distinct(s), au moins 3 attendus",
        id="too-few-points",
    ),
    pytest.param(
        polygon("48.0,2.0"), "cap.info.area.polygon : 1 sommet(s) distinct(s)", id="one-point"
    ),
    pytest.param(
        polygon("48.0,2.0 48.1,2.1 48.2,2.2 48.0,2.0"),
        "cap.info.area.polygon : sommets alignés",
        id="aligned",
    ),
    pytest.param(
        polygon("48.0,2.0 NaN,2.2 48.2,2.2 48.0,2.0"),
        "cap.info.area.polygon[1].lat : nombre non fini",
        id="polygon-nan",
    ),
    pytest.param(
        polygon("48.0,2.0 48.0;2.2 48.2,2.2 48.0,2.0"),
        "cap.info.area.polygon[1] : paire « lat,lon » attendue",
        id="polygon-bad-pair",
    ),
    pytest.param(
        polygon("48.0,2.0 48.0,abc 48.2,2.2 48.0,2.0"),
        "cap.info.area.polygon[1] : nombre illisible",
        id="polygon-bad-number",
    ),
    pytest.param(
        polygon("48.0,2.0 48.0,2_2 48.2,2.2 48.0,2.0"),
        "cap.info.area.polygon[1] : nombre illisible",
        id="polygon-underscore",
    ),
    pytest.param(
        polygon("48.0,2.0 48.0,200 48.2,2.2 48.0,2.0"),
        "cap.info.area.polygon[1].lon : hors plage",
        id="polygon-lon-200",
    ),
    pytest.param(
        polygon("48.0,2.0 48.0,2.2 98.2,2.2 48.0,2.0"),
        "cap.info.area.polygon[2].lat : hors plage",
        id="polygon-lat-98",
    ),
    pytest.param(circle("95,2.35 1"), "cap.info.area.circle.lat : hors plage", id="circle-lat-95"),
    pytest.param(
        circle("48.8,2.35 -1"), "cap.info.area.circle.rayon_km : hors plage", id="circle-negative"
    ),
    pytest.param(
        circle("48.8,2.35 1e9"), "cap.info.area.circle.rayon_km : hors plage", id="circle-huge"
    ),
    pytest.param(
        circle("nan,2.35 1"), "cap.info.area.circle.lat : nombre non fini", id="circle-nan"
    ),
    pytest.param(
        circle("au coin de la rue"), "cap.info.area.circle : cercle illisible", id="circle-garbage"
    ),
    pytest.param(
        circle("48.8,abc 1"), "cap.info.area.circle : nombre illisible", id="circle-bad-number"
    ),
    pytest.param(
        circle("48.8,2.3 1_0"), "cap.info.area.circle : nombre illisible", id="circle-1_0"
    ),
    pytest.param("<circle/>", "cap.info.area.circle : cercle illisible", id="circle-empty"),
]


@pytest.mark.parametrize(("shape", "warning"), BAD_SHAPES)
def test_malformed_shape_is_ignored_with_a_warning(shape: str, warning: str) -> None:
    alert = parse(area(shape, desc="Zone abîmée"), area(polygon(SQUARE), desc="Zone saine"))

    assert alert.cap is not None
    assert len(alert.cap.warnings) == 1
    assert alert.cap.warnings[0].startswith(warning)
    assert alert.cap.warnings[0].endswith("ignoré")
    assert alert.area is not None and len(alert.area.polygons) == 1  # the sound one
    assert alert.location is not None and alert.location.address == "Zone saine"
    assert alert.cap.unplaced == ("Zone abîmée",)


@pytest.mark.parametrize(("shape", "warning"), BAD_SHAPES)
def test_alert_with_only_a_malformed_shape_is_kept_without_location(
    shape: str, warning: str
) -> None:
    alert = parse(area(shape, desc="Secteur"))

    assert alert.location is None and alert.area is None
    assert alert.extra["areaDesc"] == "Secteur"
    assert alert.cap is not None and alert.cap.unplaced == ("Secteur",)


def test_second_block_paths_name_their_block() -> None:
    xml = cap(info(), info(event="Vent violent", areas=area(polygon(""))))

    alert = parse_cap(xml)

    assert alert.cap is not None
    assert alert.cap.warnings[0].startswith("cap.info[1].area.polygon : polygone vide")


# --- geocodes --------------------------------------------------------------------

NIMES_RING = ((4.3, 43.8), (4.4, 43.8), (4.4, 43.9), (4.3, 43.8))
COMMUNE = Area(((NIMES_RING,),))


class TableResolver:
    """A GeocodeResolver over a dict (helper C builds the real one from site.toml)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def resolve(self, value_name: str, value: str) -> Area | None:
        self.asked.append((value_name, value))
        return COMMUNE if (value_name, value) == ("INSEE", "30189") else None


def test_geocode_only_area_is_resolved_through_the_resolver() -> None:
    resolver = TableResolver()

    alert = parse(area(geocode("INSEE", "30189"), desc="Nîmes"), geocodes=resolver)

    assert resolver.asked == [("INSEE", "30189")]
    assert alert.area == COMMUNE
    assert alert.location is not None and alert.location.address == "Nîmes"
    assert alert.area.contains(alert.location.lon, alert.location.lat)
    assert alert.cap is not None
    assert alert.cap.infos[0].areas[0].geocodes == (("INSEE", "30189"),)
    assert alert.cap.infos[0].areas[0].resolved
    assert alert.cap.unplaced == ()


def test_unresolved_geocode_area_is_sans_localisation() -> None:
    alert = parse(
        area(geocode("INSEE", "99999"), desc="Commune inconnue"),
        area(geocode("EMMA_ID", "FR433"), desc="Gard"),
        geocodes=TableResolver(),
    )

    assert alert.location is None and alert.area is None
    assert alert.extra["areaDesc"] == "Commune inconnue"
    assert alert.cap is not None
    assert alert.cap.unplaced == ("Commune inconnue", "Gard")


def test_own_geometry_wins_over_geocodes() -> None:
    resolver = TableResolver()

    alert = parse(area(polygon(SQUARE), geocode("INSEE", "30189")), geocodes=resolver)

    assert resolver.asked == []
    assert alert.area is not None and len(alert.area.polygons) == 1


def test_geocodes_without_resolver_are_recorded_unplaced() -> None:
    alert = parse(area(geocode("INSEE", "30189"), desc="Nîmes"))

    assert alert.cap is not None
    assert alert.cap.unplaced == ("Nîmes",)
    assert alert.cap.infos[0].areas[0].geocodes == (("INSEE", "30189"),)


class OddResolver:
    """A resolver whose shape is degenerate (two points): never a crash."""

    def resolve(self, value_name: str, value: str) -> Area | None:
        return Area(((((4.3, 43.8), (4.4, 43.8)),),))


def test_a_degenerate_resolved_shape_does_not_break_the_location() -> None:
    alert = parse(area(geocode("INSEE", "30189"), desc="Nîmes"), geocodes=OddResolver())

    assert alert.location is None
    assert alert.cap is not None and alert.cap.infos[0].areas[0].resolved


def test_warnings_are_bounded() -> None:
    alert = parse(*(area(polygon(""), desc=f"Zone {n}") for n in range(80)))

    assert alert.cap is not None
    assert len(alert.cap.warnings) == 50
    assert alert.cap.warnings[-1] == "… et 31 autres avertissements"
    assert len(alert.cap.unplaced) == 80
