"""Write cameras and zones back as the GeoJSON files the loader reads.

:func:`cameras_document` and :func:`zones_document` build the FeatureCollections
(same properties as :data:`~csu_console.config.schema.CAMERA_PROPERTIES` and
:data:`~csu_console.config.schema.ZONE_PROPERTIES`, in that key order, coordinates
rounded to 7 decimals — about a centimetre); :func:`write_geo` writes both files
atomically. Stream URLs are always written without credentials: those live in
:mod:`csu_console.config.secrets`, never in a file that is exported or versioned.

Round trip: for values already at 7 decimals (anything loaded from a file written
here), ``check_site`` after ``write_geo`` gives the same ``Camera`` and ``Zone``
values; a position drawn on the map comes back rounded, and writing it again gives
the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from csu_console.config.atomic import write_atomic
from csu_console.config.schema import CAMERAS_FILE, ZONES_FILE, Camera, Zone
from csu_console.config.secrets import split_credentials
from csu_console.core.geo import Area

#: Decimals kept for a longitude or latitude (1e-7° ≈ 1 cm).
COORD_DECIMALS = 7


def _num(value: float) -> float | int:
    """An integral float as an int (``75`` rather than ``75.0``): same value once loaded."""
    return int(value) if float(value).is_integer() else float(value)


def _coord(value: float) -> float | int:
    return _num(round(float(value), COORD_DECIMALS))


def _url(url: str) -> str:
    return split_credentials(url)[0]


def camera_feature(camera: Camera) -> dict[str, Any]:
    """One camera as a GeoJSON Feature (credentials stripped from its URLs)."""
    props: dict[str, Any] = {
        "id": camera.id,
        "name": camera.name,
        "kind": camera.kind,
        "heading_deg": _num(camera.heading_deg),
        "fov_deg": _num(camera.fov_deg),
        "range_m": _num(camera.range_m),
        "stream_main": _url(camera.stream_main),
    }
    if camera.stream_sub is not None:
        props["stream_sub"] = _url(camera.stream_sub)
    props["zones"] = list(camera.zones)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [_coord(camera.lon), _coord(camera.lat)]},
        "properties": props,
    }


def area_geometry(area: Area) -> dict[str, Any]:
    """An :class:`Area` as a GeoJSON geometry, coordinates rounded to 7 decimals."""
    polygons = [
        [[[_coord(lon), _coord(lat)] for lon, lat in ring] for ring in polygon]
        for polygon in area.polygons
    ]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def zone_feature(zone: Zone) -> dict[str, Any]:
    """One zone as a GeoJSON Feature."""
    props: dict[str, Any] = {"id": zone.id, "name": zone.name, "commune": zone.commune}
    if zone.insee:
        props["insee"] = zone.insee
    props["zoning"] = zone.zoning
    return {"type": "Feature", "geometry": area_geometry(zone.area), "properties": props}


def cameras_document(cameras: Sequence[Camera]) -> dict[str, Any]:
    """``cameras.geojson`` as a FeatureCollection, cameras in the given order."""
    return {"type": "FeatureCollection", "features": [camera_feature(c) for c in cameras]}


def zones_document(zones: Sequence[Zone]) -> dict[str, Any]:
    """``zones.geojson`` as a FeatureCollection, zones in the given order."""
    return {"type": "FeatureCollection", "features": [zone_feature(z) for z in zones]}


# A list holding only numbers, spread over several lines by json.dumps(indent=2).
_NUMBER_LIST = re.compile(r"\[\s*(-?[0-9][0-9.eE+-]*(?:,\s*-?[0-9][0-9.eE+-]*)*)\s*\]")


def dumps_geojson(document: dict[str, Any]) -> str:
    """Stable text of a document: 2-space indent, one position per line, final newline."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    text = _NUMBER_LIST.sub(lambda m: "[" + ", ".join(re.split(r",\s*", m[1])) + "]", text)
    return text + "\n"


def write_geo(config_dir: Path, cameras: Sequence[Camera], zones: Sequence[Zone]) -> None:
    """Write ``zones.geojson`` then ``cameras.geojson`` in ``config_dir``, each atomically.

    Zones first: a crash between the two leaves new zones with the old cameras,
    whose zone ids still exist unless a zone was removed (the history keeps both
    previous files, see :mod:`csu_console.config.history`).
    """
    config_dir = Path(config_dir)
    zones_text = dumps_geojson(zones_document(zones))
    cameras_text = dumps_geojson(cameras_document(cameras))
    write_atomic(config_dir / ZONES_FILE, zones_text.encode("utf-8"))
    write_atomic(config_dir / CAMERAS_FILE, cameras_text.encode("utf-8"))
