"""The site's basemap file: use it, or build it from the configured OSM extract."""

from __future__ import annotations

import logging
from pathlib import Path

from csu_console.mapdata.mapfile import import_osm

log = logging.getLogger("csu.map")


def ensure_map(file: Path | None, source: Path | None) -> Path | None:
    """The ``.csumap`` to draw, importing ``source`` into ``file`` when it is missing.

    Returns None when there is nothing to draw (no file and no extract): the console
    then shows its overlays without a basemap. A bad extract raises
    :class:`~csu_console.errors.MapDataError` (French message). Slow for a large
    region: call it off the GUI thread.
    """
    if file is not None and file.is_file():
        return file
    if file is None or source is None:
        return None
    if not source.is_file():
        log.info("fond de carte indisponible : ni %s ni l'extrait %s", file, source)
        return None
    file.parent.mkdir(parents=True, exist_ok=True)
    report = import_osm(source, file)
    log.info("fond de carte construit : %s", report.summary())
    return file
