"""Fixtures of the map tests: the demo site, its real map file, and a spy basemap."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from map_fakes import SpyBasemap
from pytestqt.qtbot import QtBot
from support import CONFIG_DIR, REPO_DIR

from csu_console.config.loader import load_site
from csu_console.config.schema import SiteConfig
from csu_console.mapdata.mapfile import import_osm
from csu_console.ui.map import MapPane
from csu_console.ui.map.basemap_file import ThreadedMapFile

PBF = REPO_DIR / "assets" / "osm" / "helsinki-centre.osm.pbf"


@pytest.fixture(scope="session")
def demo_site() -> SiteConfig:
    """The demo site's configuration (cameras and zones on Helsinki's streets)."""
    return load_site(CONFIG_DIR)


@pytest.fixture(scope="session")
def demo_mapfile(tmp_path_factory: pytest.TempPathFactory) -> ThreadedMapFile:
    """The demo's real map file, imported once from the shipped OSM extract."""
    path: Path = tmp_path_factory.mktemp("map") / "helsinki.csumap"
    import_osm(PBF, path)
    return ThreadedMapFile(path)


@pytest.fixture
def spy_basemap() -> SpyBasemap:
    """A basemap source that records its queries."""
    return SpyBasemap()


@pytest.fixture
def pane(qtbot: QtBot, demo_site: SiteConfig, spy_basemap: SpyBasemap) -> Iterator[MapPane]:
    """A shown map pane of the demo site, fitted to the site."""
    widget = MapPane(demo_site, spy_basemap)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.fit_site()
    yield widget
    widget.view.shutdown()
