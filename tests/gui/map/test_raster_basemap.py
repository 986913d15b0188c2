"""A raster MBTiles basemap: tiles decoded in the worker, drawn under the overlays."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QImageWriter
from pytestqt.qtbot import QtBot

from csu_console.config.schema import SiteConfig
from csu_console.mapdata.mbtiles import MBTiles, tile_bounds
from csu_console.mapdata.mercator import HALF_WORLD, lonlat_to_mercator, mercator_to_lonlat
from csu_console.ui.map import MapPane, MapView
from csu_console.ui.map.basemap import RasterSource

TILE_COLOR = QColor(200, 30, 160)


def _png(color: QColor) -> bytes:
    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(color)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert QImageWriter(buffer, QByteArray(b"PNG")).write(image)
    buffer.close()
    return bytes(data.data())


def _xyz(lon: float, lat: float, z: int) -> tuple[int, int]:
    x, y = lonlat_to_mercator(lon, lat)
    size = 2 * HALF_WORLD / 2**z
    return math.floor((x + HALF_WORLD) / size), math.floor((HALF_WORLD - y) / size)


def _site_centre(site: SiteConfig) -> tuple[float, float]:
    lons = [c.lon for c in site.cameras]
    lats = [c.lat for c in site.cameras]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


@pytest.fixture
def raster(tmp_path: Path, demo_site: SiteConfig) -> MBTiles:
    """Solid-colour PNG tiles over the demo site at zoom 15 and 16."""
    path = tmp_path / "site.mbtiles"
    png = _png(TILE_COLOR)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    conn.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [("format", "png"), ("minzoom", "15"), ("maxzoom", "16")],
    )
    lon, lat = _site_centre(demo_site)
    for z in (15, 16):
        cx, cy = _xyz(lon, lat, z)
        radius = 3 if z == 15 else 6
        for x in range(cx - radius, cx + radius + 1):
            for y in range(cy - radius, cy + radius + 1):
                conn.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, png))
    conn.commit()
    conn.close()
    return MBTiles(path)


def _tile_centre(lon: float, lat: float, z: int) -> tuple[float, float]:
    minx, miny, maxx, maxy = tile_bounds(z, *_xyz(lon, lat, z))
    return mercator_to_lonlat((minx + maxx) / 2, (miny + maxy) / 2)


def _show(qtbot: QtBot, view: MapView, lon: float, lat: float, zoom: float) -> None:
    """Centre the view and wait until the worker's newest image is drawn."""
    view.center_on(lon, lat, zoom)
    view.refresh_basemap()
    while view.basemap.pending:  # an older request's image may come first
        with qtbot.waitSignal(view.basemap_updated, timeout=5000):
            pass
    assert view.basemap_item.boundingRect().contains(view.center_scene())


def _close(a: QColor, b: QColor) -> bool:
    pairs = ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))
    return all(abs(p - q) <= 3 for p, q in pairs)


@pytest.fixture
def view(qtbot: QtBot, raster: MBTiles) -> Iterator[MapView]:
    widget = MapView(raster)
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def test_mbtiles_is_a_raster_source(raster: MBTiles) -> None:
    assert isinstance(raster, RasterSource)


@pytest.mark.parametrize("zoom", [15.0, 16.0])
def test_raster_tiles_are_drawn(
    qtbot: QtBot, view: MapView, demo_site: SiteConfig, zoom: float
) -> None:
    lon, lat = _tile_centre(*_site_centre(demo_site), int(zoom))
    _show(qtbot, view, lon, lat, zoom)
    image = view.viewport().grab().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert _close(centre, TILE_COLOR), centre.name()


def test_raster_is_drawn_under_the_overlays(
    qtbot: QtBot, demo_site: SiteConfig, raster: MBTiles
) -> None:
    pane = MapPane(demo_site, raster)
    qtbot.addWidget(pane)
    pane.resize(1000, 700)
    pane.show()
    qtbot.waitExposed(pane)
    try:
        view = pane.view
        lon, lat = _tile_centre(*_site_centre(demo_site), 16)
        _show(qtbot, view, lon, lat, 16.0)
        image = view.viewport().grab().toImage()
        colours = {
            image.pixelColor(x, y).rgb()
            for x in range(0, image.width(), 10)
            for y in range(0, image.height(), 10)
        }
        # The tiles fill the view; overlays (zones, cameras) are painted over them.
        hits = sum(_close(QColor.fromRgb(c), TILE_COLOR) for c in colours)
        assert hits >= 1
        assert len(colours) > 1
    finally:
        pane.view.shutdown()
