"""The offline map: a Web Mercator ``QGraphicsView`` with basemap, zones, cameras, alerts."""

from __future__ import annotations

from csu_console.ui.map.basemap import BasemapFeature, BasemapSource
from csu_console.ui.map.items import CameraHealth
from csu_console.ui.map.map_pane import MapPane
from csu_console.ui.map.map_view import MapView
from csu_console.ui.map.overlays import MapAlert, MapOverlays

__all__ = [
    "BasemapFeature",
    "BasemapSource",
    "CameraHealth",
    "MapAlert",
    "MapOverlays",
    "MapPane",
    "MapView",
]
