"""The map file's address index: kept by the OSM import, re-imported when missing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from csu_console.core.address_search import AddressIndex
from csu_console.mapdata.mapfile import MapFile, import_osm
from csu_console.mapdata.site_map import ensure_map
from csu_console.paths import assets_dir

DEMO_PBF = assets_dir() / "osm" / "helsinki-centre.osm.pbf"


@pytest.fixture(scope="module")
def demo_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("addresses") / "helsinki.csumap"
    report = import_osm(DEMO_PBF, out)
    assert report.addresses > 600 and "adresses et rues" in report.summary()
    return out


def test_the_import_keeps_house_numbers_and_street_names(demo_map: Path) -> None:
    with MapFile(demo_map) as mapfile:
        assert mapfile.has_addresses
        rows = mapfile.addresses()
        assert int(mapfile.meta["addresses"]) == len(rows)
    streets = {a.street for a in rows if a.number is None}
    assert {"Mannerheimintie", "Aleksanterinkatu", "Eteläranta"} <= streets
    ateneum = [a for a in rows if a.street == "Kaivokatu" and a.number == "2"]
    assert len(ateneum) == 1  # a building way: at the mean of its nodes
    assert 24.940 < ateneum[0].lon < 24.948 and 60.168 < ateneum[0].lat < 60.172
    assert sum(1 for a in rows if a.number is not None) > 500


def test_the_demo_index_finds_a_real_address(demo_map: Path) -> None:
    with MapFile(demo_map) as mapfile:
        index = AddressIndex((a.street, a.number, a.lon, a.lat) for a in mapfile.addresses())
    best = index.search("13 aleksanterinkatu")[0]
    assert best.label == "13 Aleksanterinkatu" and best.exact
    assert index.search("Mannerheimintie 22")[0].number == "22-24"


def test_ensure_map_reimports_a_file_written_before_the_index(
    demo_map: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.csumap"
    old.write_bytes(demo_map.read_bytes())
    conn = sqlite3.connect(old)
    conn.execute("DROP TABLE addresses")
    conn.execute("DELETE FROM meta WHERE key = 'addresses'")
    conn.commit()
    conn.close()
    with MapFile(old) as mapfile:
        assert not mapfile.has_addresses and mapfile.addresses() == []
    assert ensure_map(old, None) == old  # no extract: the old file is drawn as it is
    with MapFile(old) as mapfile:
        assert not mapfile.has_addresses
    assert ensure_map(old, DEMO_PBF) == old
    with MapFile(old) as mapfile:
        assert mapfile.has_addresses and len(mapfile.addresses()) > 500
    before = old.stat().st_mtime_ns
    assert ensure_map(old, DEMO_PBF) == old  # indexed now: not imported again
    assert old.stat().st_mtime_ns == before
