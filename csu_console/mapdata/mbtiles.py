"""A read-only MBTiles reader: raster tiles (PNG/JPEG) in one SQLite file.

An MBTiles file holds ``tiles(zoom_level, tile_column, tile_row, tile_data)`` with
rows in the TMS convention (row 0 at the south), and ``metadata(name, value)`` with
``bounds``, ``minzoom``, ``maxzoom`` and ``format``. This reader speaks the XYZ
convention of web maps (row 0 at the north) and Web Mercator metres.

A SQLite connection is usable only from the thread that opened it: :class:`MBTiles`
opens one per calling thread (the GUI thread reads the extent, the basemap worker
reads the tiles). Qt-free.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from pathlib import Path

from csu_console.errors import MapDataError
from csu_console.mapdata.mercator import HALF_WORLD, lonlat_to_mercator, mercator_to_lonlat

#: Largest number of tiles one :meth:`MBTiles.tiles_for` call returns.
MAX_TILES = 1024

Tile = tuple[int, int, int, bytes]
"""(zoom, x, y in the XYZ convention, encoded image)."""


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) in Web Mercator metres of XYZ tile (z, x, y)."""
    size = 2 * HALF_WORLD / 2**z
    minx = -HALF_WORLD + x * size
    maxy = HALF_WORLD - y * size
    return minx, maxy - size, minx + size, maxy


class MBTiles:
    """An ``.mbtiles`` file, opened read-only once per calling thread.

    Raises ``MapDataError`` at construction when the file is not an MBTiles file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        if not self.path.is_file():
            raise MapDataError(f"Fichier MBTiles introuvable : {self.path}")
        try:
            conn = self._conn()
            meta = dict(conn.execute("SELECT name, value FROM metadata").fetchall())
            row = conn.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        except sqlite3.Error as exc:
            raise MapDataError(f"{self.path.name} n'est pas un fichier MBTiles : {exc}") from exc
        self.meta: dict[str, str] = {str(k): str(v) for k, v in meta.items()}
        self.format = self.meta.get("format", "png").lower()
        try:
            minzoom = int(self.meta["minzoom"]) if "minzoom" in self.meta else row[0]
            maxzoom = int(self.meta["maxzoom"]) if "maxzoom" in self.meta else row[1]
        except ValueError as exc:
            raise MapDataError(f"{self.path.name} : niveaux de zoom illisibles") from exc
        if minzoom is None or maxzoom is None:
            raise MapDataError(f"{self.path.name} ne contient aucune tuile")
        self._zoom_range = (int(minzoom), int(maxzoom))
        self._bounds = self._read_bounds(conn)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            except sqlite3.Error as exc:
                raise MapDataError(f"{self.path.name} illisible : {exc}") from exc
            self._local.conn = conn
        return conn

    def _read_bounds(self, conn: sqlite3.Connection) -> tuple[float, float, float, float]:
        text = self.meta.get("bounds")
        if text:
            try:
                west, south, east, north = (float(v) for v in text.split(","))
                return west, south, east, north
            except ValueError as exc:
                raise MapDataError(f"{self.path.name} : bornes illisibles ({text})") from exc
        # No bounds in the metadata: the extent of the tiles at the highest zoom.
        z = self._zoom_range[1]
        row = conn.execute(
            "SELECT MIN(tile_column), MAX(tile_column), MIN(tile_row), MAX(tile_row)"
            " FROM tiles WHERE zoom_level = ?",
            (z,),
        ).fetchone()
        if row is None or row[0] is None:
            return -180.0, -85.0511, 180.0, 85.0511
        top = (1 << z) - 1 - row[3]
        bottom = (1 << z) - 1 - row[2]
        minx, _, _, maxy = tile_bounds(z, row[0], top)
        _, miny, maxx, _ = tile_bounds(z, row[1], bottom)
        west, south = mercator_to_lonlat(minx, miny)
        east, north = mercator_to_lonlat(maxx, maxy)
        return west, south, east, north

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        return self._bounds

    @property
    def zoom_range(self) -> tuple[int, int]:
        """(min zoom, max zoom) of the tiles."""
        return self._zoom_range

    @property
    def bbox_mercator(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of the tiles in Web Mercator metres."""
        west, south, east, north = self._bounds
        minx, miny = lonlat_to_mercator(west, south)
        maxx, maxy = lonlat_to_mercator(east, north)
        return minx, miny, maxx, maxy

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The encoded image of XYZ tile (z, x, y), None when the file lacks it."""
        row = (
            self._conn()
            .execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ?"
                " AND tile_row = ?",
                (z, x, (1 << z) - 1 - y),
            )
            .fetchone()
        )
        return bytes(row[0]) if row is not None and row[0] is not None else None

    def tiles_for(
        self, minx: float, miny: float, maxx: float, maxy: float, zoom: int
    ) -> list[Tile]:
        """Every tile of the file covering the mercator box, at ``zoom`` clamped to the file.

        Tiles come as (z, x, y XYZ, bytes), at most :data:`MAX_TILES` of them.
        """
        lo, hi = self._zoom_range
        z = max(lo, min(hi, int(zoom)))
        n = 1 << z
        size = 2 * HALF_WORLD / n
        x0 = max(0, math.floor((minx + HALF_WORLD) / size))
        x1 = min(n - 1, math.floor((maxx + HALF_WORLD) / size))
        y0 = max(0, math.floor((HALF_WORLD - maxy) / size))
        y1 = min(n - 1, math.floor((HALF_WORLD - miny) / size))
        if x1 < x0 or y1 < y0:
            return []
        # TMS rows: row = n - 1 - y.
        rows = (
            self._conn()
            .execute(
                "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ?"
                " AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?"
                " ORDER BY tile_row DESC, tile_column LIMIT ?",
                (z, x0, x1, n - 1 - y1, n - 1 - y0, MAX_TILES),
            )
            .fetchall()
        )
        return [(z, int(col), n - 1 - int(row), bytes(data)) for col, row, data in rows if data]
