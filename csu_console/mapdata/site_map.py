"""The site's basemap file: use it, or build it from the configured OSM extract."""

from __future__ import annotations

import logging
from pathlib import Path

from csu_console.errors import MapDataError
from csu_console.mapdata.mapfile import MapFile, import_osm

log = logging.getLogger("csu.map")


def ensure_map(file: Path | None, source: Path | None) -> Path | None:
    """The ``.csumap`` to draw, importing ``source`` into ``file`` when it is missing.

    Returns None when there is nothing to draw (no file and no extract): the console
    then shows its overlays without a basemap. A file written before the address
    index (:mod:`.addresses`) is imported again when its extract is there, so an
    upgraded console searches addresses without anyone deleting the cached map.
    A bad extract raises
    :class:`~csu_console.errors.MapDataError` (French message). Slow for a large
    region: call it off the GUI thread.
    """
    if file is not None and file.is_file():
        if source is None or not source.is_file() or _has_index(file):
            return file
        log.info("carte %s sans index d'adresses : nouvel import de %s", file, source)
    if file is None or source is None:
        return None
    if not source.is_file():
        log.info("fond de carte indisponible : ni %s ni l'extrait %s", file, source)
        return None
    file.parent.mkdir(parents=True, exist_ok=True)
    report = import_osm(source, file)
    log.info("fond de carte construit : %s", report.summary())
    return file


def _has_index(file: Path) -> bool:
    """True when the map file has its address index (or cannot be read: left as is,
    the basemap then says why)."""
    try:
        with MapFile(file) as mapfile:
            return mapfile.has_addresses
    except MapDataError:
        return True
