"""The MBTiles reader: TMS rows, tiles of a mercator box, zoom clamping, errors."""

from __future__ import annotations

import math
import sqlite3
import threading
from pathlib import Path

import pytest

from csu_console.errors import MapDataError
from csu_console.mapdata.mbtiles import MBTiles, tile_bounds
from csu_console.mapdata.mercator import HALF_WORLD, lonlat_to_mercator

SITE = (24.9433, 60.1706)


def _xyz(lon: float, lat: float, z: int) -> tuple[int, int]:
    x, y = lonlat_to_mercator(lon, lat)
    size = 2 * HALF_WORLD / 2**z
    return math.floor((x + HALF_WORLD) / size), math.floor((HALF_WORLD - y) / size)


def _make(path: Path, zooms: tuple[int, ...] = (15, 16), radius: int = 2) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    conn.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [
            ("name", "test"),
            ("format", "png"),
            ("minzoom", str(min(zooms))),
            ("maxzoom", str(max(zooms))),
            ("bounds", "24.90,60.15,24.98,60.19"),
        ],
    )
    for z in zooms:
        cx, cy = _xyz(*SITE, z)
        for x in range(cx - radius, cx + radius + 1):
            for y in range(cy - radius, cy + radius + 1):
                tms = (1 << z) - 1 - y
                conn.execute(
                    "INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, tms, f"{z}/{x}/{y}".encode())
                )
    conn.commit()
    conn.close()


@pytest.fixture
def mbtiles(tmp_path: Path) -> MBTiles:
    path = tmp_path / "site.mbtiles"
    _make(path)
    return MBTiles(path)


def test_metadata(mbtiles: MBTiles) -> None:
    assert mbtiles.zoom_range == (15, 16)
    assert mbtiles.bounds == pytest.approx((24.90, 60.15, 24.98, 60.19))
    minx, miny, maxx, maxy = mbtiles.bbox_mercator
    x, y = lonlat_to_mercator(*SITE)
    assert minx < x < maxx and miny < y < maxy


def test_tile_flips_the_tms_row(mbtiles: MBTiles) -> None:
    x, y = _xyz(*SITE, 16)
    assert mbtiles.tile(16, x, y) == f"16/{x}/{y}".encode()
    assert mbtiles.tile(16, x + 10, y) is None


def test_tiles_for_a_mercator_box(mbtiles: MBTiles) -> None:
    x, y = _xyz(*SITE, 16)
    minx, miny, maxx, maxy = tile_bounds(16, x, y)
    # A box inside one tile gets that tile only.
    inner = (minx + 10, miny + 10, maxx - 10, maxy - 10)
    assert mbtiles.tiles_for(*inner, 16) == [(16, x, y, f"16/{x}/{y}".encode())]
    # A box over the corner of four tiles gets the four.
    got = mbtiles.tiles_for(maxx - 10, miny - 10, maxx + 10, miny + 10, 16)
    assert sorted((t[1], t[2]) for t in got) == [(x, y), (x, y + 1), (x + 1, y), (x + 1, y + 1)]
    for z, tx, ty, data in got:
        assert data == f"{z}/{tx}/{ty}".encode()


def test_tiles_for_clamps_the_zoom(mbtiles: MBTiles) -> None:
    x, y = lonlat_to_mercator(*SITE)
    assert {t[0] for t in mbtiles.tiles_for(x - 5, y - 5, x + 5, y + 5, 19)} == {16}
    assert {t[0] for t in mbtiles.tiles_for(x - 5, y - 5, x + 5, y + 5, 3)} == {15}
    assert mbtiles.tiles_for(x + 1e6, y, x + 1e6 + 10, y + 10, 16) == []


def test_one_connection_per_thread(mbtiles: MBTiles) -> None:
    x, y = _xyz(*SITE, 15)
    results: list[bytes | None] = []
    thread = threading.Thread(target=lambda: results.append(mbtiles.tile(15, x, y)))
    thread.start()
    thread.join()
    assert results == [f"15/{x}/{y}".encode()]


def test_garbage_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "garbage.mbtiles"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(MapDataError):
        MBTiles(path)


def test_sqlite_without_tiles_raises(tmp_path: Path) -> None:
    path = tmp_path / "other.mbtiles"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE foo (a)")
    conn.commit()
    conn.close()
    with pytest.raises(MapDataError):
        MBTiles(path)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(MapDataError):
        MBTiles(tmp_path / "absent.mbtiles")
