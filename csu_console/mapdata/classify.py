"""Which OpenStreetMap objects become map features, in which layer, from which zoom.

The table is the console's cartographic choice, kept in one place so that the importer and
the map widget agree. ``minzoom`` is the web-map zoom (0–20; at zoom 13 a 1 km street is
about 170 px long at 60° N, 340 px at the equator) from which a feature is worth drawing.

=========  ==============================================================  =======
layer      class (OSM value; ``*_link`` roads take their main class)       minzoom
=========  ==============================================================  =======
road       motorway 8, trunk 9, primary 10, secondary 11, tertiary 12,
           residential / living_street / unclassified 13, service /
           pedestrian / track 14, footway / cycleway / path / steps 15
rail       rail, subway, light_rail 12; tram, narrow_gauge, monorail 13
building   building (any ``building=*`` except ``no``)                      14
water      polygons: water, riverbank, reservoir, basin, pond 11;
           lines: river 11, canal 12, stream 14, ditch / drain 15
park       park, garden, grass, wood, forest, meadow, scrub, heath,
           village_green, recreation_ground, cemetery, playground,
           nature_reserve, grassland, pitch 11 (pitch, playground 14)
=========  ==============================================================  =======

Drawing order (see :data:`LAYER_ORDER`, :data:`ROAD_RANK`): water, park, building, rail,
then roads from the smallest class to the largest, so that major roads are drawn on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LAYER_ORDER = ("water", "park", "building", "rail", "road")

ROAD_MINZOOM = {
    "motorway": 8,
    "trunk": 9,
    "primary": 10,
    "secondary": 11,
    "tertiary": 12,
    "residential": 13,
    "living_street": 13,
    "unclassified": 13,
    "service": 14,
    "pedestrian": 14,
    "track": 14,
    "footway": 15,
    "cycleway": 15,
    "path": 15,
    "steps": 15,
}
#: Draw rank of road classes: smallest first (drawn below), motorway last (on top).
ROAD_RANK = {cls: rank for rank, cls in enumerate(reversed(ROAD_MINZOOM))}
_LINKS = {f"{c}_link": c for c in ("motorway", "trunk", "primary", "secondary", "tertiary")}

RAIL_MINZOOM = {
    "rail": 12,
    "subway": 12,
    "light_rail": 12,
    "tram": 13,
    "narrow_gauge": 13,
    "monorail": 13,
}
WATER_AREA_MINZOOM = {"water": 11, "riverbank": 11, "reservoir": 11, "basin": 11, "pond": 11}
WATER_LINE_MINZOOM = {"river": 11, "canal": 12, "stream": 14, "ditch": 15, "drain": 15}
PARK_MINZOOM = {
    "park": 11,
    "garden": 11,
    "grass": 11,
    "wood": 11,
    "forest": 11,
    "meadow": 11,
    "scrub": 11,
    "heath": 11,
    "grassland": 11,
    "village_green": 11,
    "recreation_ground": 11,
    "cemetery": 11,
    "nature_reserve": 11,
    "playground": 14,
    "pitch": 14,
}
BUILDING_MINZOOM = 14


@dataclass(frozen=True)
class Style:
    """Where a feature goes: layer, class, kind ("line" or "polygon") and minzoom."""

    layer: str
    cls: str
    kind: str
    minzoom: int

    @property
    def order(self) -> tuple[int, int]:
        """Sort key for drawing order (lower is drawn first)."""
        return LAYER_ORDER.index(self.layer), ROAD_RANK.get(self.cls, 0)


def classify(tags: Mapping[str, str], closed: bool) -> Style | None:
    """The style of a way (``closed``: first node == last node) or multipolygon; None to skip.

    Area-only classes (buildings, water areas, parks) need a closed way.
    """
    highway = tags.get("highway")
    if highway is not None:
        cls = _LINKS.get(highway, highway)
        if cls in ROAD_MINZOOM and tags.get("area") != "yes":
            return Style("road", cls, "line", ROAD_MINZOOM[cls])
        return None
    railway = tags.get("railway")
    if railway in RAIL_MINZOOM:
        return Style("rail", railway, "line", RAIL_MINZOOM[railway])
    waterway = tags.get("waterway")
    if waterway in WATER_LINE_MINZOOM:
        return Style("water", waterway, "line", WATER_LINE_MINZOOM[waterway])
    if not closed:
        return None
    building = tags.get("building")
    if building is not None and building != "no":
        return Style("building", "building", "polygon", BUILDING_MINZOOM)
    for key in ("natural", "landuse", "water"):
        value = tags.get(key)
        if value in WATER_AREA_MINZOOM:
            return Style("water", value, "polygon", WATER_AREA_MINZOOM[value])
    if waterway == "riverbank":
        return Style("water", "riverbank", "polygon", WATER_AREA_MINZOOM["riverbank"])
    for key in ("leisure", "landuse", "natural", "boundary"):
        value = tags.get(key)
        if value in PARK_MINZOOM:
            return Style("park", value, "polygon", PARK_MINZOOM[value])
    return None
