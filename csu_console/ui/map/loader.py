"""Prepares the site's basemap off the GUI thread (importing the OSM extract once)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from csu_console.errors import MapDataError
from csu_console.mapdata.site_map import ensure_map

log = logging.getLogger("csu.map")


class BasemapLoader(QObject):
    """``ready(path | None)`` once the map file exists; ``failed(message)`` otherwise."""

    ready = Signal(object)
    failed = Signal(str)

    def start(self, file: Path | None, source: Path | None) -> None:
        """Check or build the map file on a worker thread."""

        def work() -> None:
            try:
                self.ready.emit(ensure_map(file, source))
            except (MapDataError, OSError) as exc:
                log.error("fond de carte indisponible : %s", exc)
                self.failed.emit(str(exc))

        threading.Thread(target=work, name="csu-map-loader", daemon=True).start()
