"""A map file usable from the basemap worker thread.

``MapFile`` holds one SQLite connection, usable only from the thread that opened it;
:class:`ThreadedMapFile` opens one per thread (the GUI thread reads the extent, the
worker thread queries).
"""

from __future__ import annotations

import threading
from pathlib import Path

from csu_console.mapdata.mapfile import Feature, MapFile


class ThreadedMapFile:
    """A ``.csumap`` file, opened lazily once per calling thread (read-only).

    Raises ``MapDataError`` at construction when the file cannot be read.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        first = self._file()
        self.meta = dict(first.meta)
        self._bbox = first.bbox_mercator

    def _file(self) -> MapFile:
        mapfile: MapFile | None = getattr(self._local, "mapfile", None)
        if mapfile is None:
            mapfile = MapFile(self.path)
            self._local.mapfile = mapfile
        return mapfile

    @property
    def bbox_mercator(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of the map in Web Mercator metres."""
        return self._bbox

    def query(
        self, minx: float, miny: float, maxx: float, maxy: float, zoom: float
    ) -> list[Feature]:
        """``MapFile.query`` on this thread's connection."""
        return self._file().query(minx, miny, maxx, maxy, zoom)
