"""Scene coordinates of the map: Web Mercator metres with Y flipped so north is up.

A scene point is ``(x, -y)`` for the EPSG:3857 point ``(x, y)``; zoom levels follow
the web map convention (zoom 0 shows the world on 256 pixels).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF

from csu_console.mapdata.mercator import lonlat_to_mercator, mercator_to_lonlat

#: Mercator metres per pixel at zoom 0 (256-pixel tiles).
METRES_PER_PIXEL_Z0 = 2 * math.pi * 6_378_137.0 / 256.0

MercatorBBox = tuple[float, float, float, float]
"""(min_x, min_y, max_x, max_y) in EPSG:3857 metres."""


def to_scene(lon: float, lat: float) -> QPointF:
    """The scene point of a WGS84 (lon, lat)."""
    x, y = lonlat_to_mercator(lon, lat)
    return QPointF(x, -y)


def scene_to_lonlat(point: QPointF) -> tuple[float, float]:
    """The (lon, lat) of a scene point."""
    return mercator_to_lonlat(point.x(), -point.y())


def bbox_to_scene(bbox: MercatorBBox) -> QRectF:
    """A mercator bbox as a scene rectangle."""
    min_x, min_y, max_x, max_y = bbox
    return QRectF(min_x, -max_y, max_x - min_x, max_y - min_y)


def scene_to_bbox(rect: QRectF) -> MercatorBBox:
    """A scene rectangle as a mercator bbox."""
    return (rect.left(), -rect.bottom(), rect.right(), -rect.top())


def zoom_for_scale(pixels_per_metre: float) -> float:
    """The web zoom level for a view scale (device pixels per mercator metre)."""
    return math.log2(METRES_PER_PIXEL_Z0 * pixels_per_metre)


def scale_for_zoom(zoom: float) -> float:
    """Device pixels per mercator metre at a web zoom level."""
    return float(2.0**zoom / METRES_PER_PIXEL_Z0)


def ground_metres_per_mercator_metre(lat: float) -> float:
    """Mercator stretches distances by 1/cos(lat): a scale bar must undo it."""
    return math.cos(math.radians(lat))
