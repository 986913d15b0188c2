"""How the basemap looks: one style per (layer, OSM class), in drawing order.

Widths are in ground-ish metres (mercator metres at the demo's latitude are about
twice as long, which the view's scale already accounts for) and are clamped to a
minimum in pixels, so a street stays visible when zoomed out.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt


@dataclass(frozen=True)
class FeatureStyle:
    """Fill or stroke of one class of features; ``order`` sorts the drawing."""

    key: str
    order: int
    fill: str | None = None
    stroke: str | None = None
    casing: str | None = None
    width_m: float = 0.0
    min_px: float = 1.0
    max_px: float = 40.0
    dashed: bool = False
    min_zoom: float = 0.0
    pen_style: Qt.PenStyle = Qt.PenStyle.SolidLine


WATER = FeatureStyle("water", 0, fill="#aad3df")
PARK = FeatureStyle("park", 1, fill="#c8facc")
BUILDING = FeatureStyle("building", 2, fill="#ddd6cf", stroke="#c4b6ab", min_zoom=13.0)
WATERWAY = FeatureStyle("waterway", 2, stroke="#7fb6d1", width_m=4, min_px=1.5, max_px=8)
RAIL = FeatureStyle("rail", 3, stroke="#8d8d8d", width_m=3, min_px=1.0, dashed=True)
MAJOR = FeatureStyle("major", 6, stroke="#fcb96b", casing="#b9782a", width_m=26, min_px=3)
SECONDARY = FeatureStyle("secondary", 5, stroke="#f7fabf", casing="#a5a57a", width_m=22, min_px=2.5)
MINOR = FeatureStyle("minor", 4, stroke="#ffffff", casing="#a9a9a9", width_m=16, min_px=2)
SERVICE = FeatureStyle(
    "service", 3, stroke="#ffffff", casing="#bdbdbd", width_m=9, min_px=1.2, min_zoom=15
)
PATH = FeatureStyle(
    "path", 7, stroke="#d98a78", width_m=2, min_px=1.0, max_px=1.8, dashed=True, min_zoom=16.0
)

_ROAD_CLASSES: dict[str, FeatureStyle] = {
    **dict.fromkeys(
        ("motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link"), MAJOR
    ),
    **dict.fromkeys(("secondary", "secondary_link", "tertiary", "tertiary_link"), SECONDARY),
    **dict.fromkeys(("residential", "unclassified", "living_street", "road"), MINOR),
    **dict.fromkeys(("service", "track"), SERVICE),
    **dict.fromkeys(
        ("footway", "path", "pedestrian", "cycleway", "steps", "bridleway", "corridor"), PATH
    ),
}

#: Every style, in drawing order (areas first, then roads from minor to major).
STYLES: tuple[FeatureStyle, ...] = tuple(
    sorted(
        {WATER, PARK, BUILDING, WATERWAY, RAIL, MAJOR, SECONDARY, MINOR, SERVICE, PATH},
        key=lambda s: (s.fill is None, s.order),
    )
)


def style_for(layer: str, cls: str, kind: str = "polygon") -> FeatureStyle | None:
    """The style of a feature, or None when it is not drawn."""
    if layer == "water" and kind == "line":
        return WATERWAY
    if layer == "rail" and cls == "subway":
        return None  # underground
    if layer == "road":
        return _ROAD_CLASSES.get(cls, MINOR)
    return {"water": WATER, "park": PARK, "building": BUILDING, "rail": RAIL}.get(layer)


#: Names are drawn from this zoom level on.
LABEL_MIN_ZOOM = 16.0
LABEL_COLOR = "#333333"
LABEL_HALO = "#ffffff"
BACKGROUND = "#f2efe9"
