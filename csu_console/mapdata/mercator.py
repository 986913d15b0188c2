"""Spherical Web Mercator (EPSG:3857), in metres, as used by web maps and the map file.

Qt-free so that the importer, the map widget and the tests share one definition.
"""

from __future__ import annotations

import math

#: WGS84 semi-major axis, the sphere radius of EPSG:3857, in metres.
RADIUS_M = 6_378_137.0
#: Latitude where the square world of web maps ends (degrees).
MAX_LAT = 85.051128779806592
#: Half the width of the world, in metres (x runs from -HALF_WORLD to HALF_WORLD).
HALF_WORLD = math.pi * RADIUS_M


def lonlat_to_mercator(lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) in degrees to (x, y) in Web Mercator metres; latitude clamped to ±85.05°."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = RADIUS_M * math.radians(lon)
    y = RADIUS_M * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return x, y


def mercator_to_lonlat(x: float, y: float) -> tuple[float, float]:
    """(x, y) in Web Mercator metres to (lon, lat) in degrees."""
    lon = math.degrees(x / RADIUS_M)
    lat = math.degrees(2 * math.atan(math.exp(y / RADIUS_M)) - math.pi / 2)
    return lon, lat


def metres_per_pixel(zoom: float, lat: float = 0.0) -> float:
    """Ground resolution of a 256-px-tile web map at ``zoom``, at latitude ``lat``."""
    return 2 * HALF_WORLD / (256 * 2**zoom) * math.cos(math.radians(lat))
