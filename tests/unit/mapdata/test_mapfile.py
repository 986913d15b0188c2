"""The ``.csumap`` file: import of the real Helsinki extract, viewport queries, errors."""

from __future__ import annotations

import math
import sqlite3
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from csu_console.errors import MapDataError
from csu_console.mapdata.classify import ROAD_RANK
from csu_console.mapdata.mapfile import ImportReport, MapFile, import_osm
from csu_console.mapdata.mercator import lonlat_to_mercator, mercator_to_lonlat
from csu_console.mapdata.rings import join_rings
from csu_console.paths import assets_dir

DEMO_PBF = assets_dir() / "osm" / "helsinki-centre.osm.pbf"
# Mannerheimintie at the Kaivopiha / Stockmann corner.
MANNERHEIMINTIE = lonlat_to_mercator(24.9395, 60.1690)
LAYERS = ("water", "park", "building", "rail", "road")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> ImportReport:
    out = tmp_path_factory.mktemp("map") / "helsinki.csumap"
    return import_osm(DEMO_PBF, out)


@pytest.fixture
def mapfile(imported: ImportReport) -> Iterator[MapFile]:
    m = MapFile(imported.path)
    yield m
    m.close()


def _around(point: tuple[float, float], half: float) -> tuple[float, float, float, float]:
    x, y = point
    return x - half, y - half, x + half, y + half


def test_report_and_meta(imported: ImportReport, mapfile: MapFile) -> None:
    assert set(imported.counts) == set(LAYERS)
    assert imported.counts["road"] > 1000 and imported.counts["building"] > 300
    assert imported.size_bytes == imported.path.stat().st_size
    assert mapfile.meta["format"] == "csumap" and mapfile.meta["version"] == "1"
    assert mapfile.meta["source"] == DEMO_PBF.name
    assert mapfile.meta["attribution"] == "© OpenStreetMap contributors"
    assert mapfile.bbox == pytest.approx((24.9352, 60.1642, 24.9534, 60.1791), abs=1e-4)
    assert mapfile.count() == imported.counts


def test_schema_is_format_v1(imported: ImportReport) -> None:
    conn = sqlite3.connect(imported.path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        lines = conn.execute(
            "SELECT count(*) FROM features WHERE kind = 'line' AND rings IS NOT NULL"
        )
        assert lines.fetchone() == (0,)
        coords, rings = conn.execute(
            "SELECT coords, rings FROM features WHERE kind = 'polygon' LIMIT 1"
        ).fetchone()
        counts = struct.unpack(f"<{len(rings) // 4}I", rings)
        assert sum(counts) * 16 == len(coords)
        n_rtree = conn.execute("SELECT count(*) FROM features_rtree").fetchone()[0]
        assert n_rtree == conn.execute("SELECT count(*) FROM features").fetchone()[0]
    finally:
        conn.close()


def test_bbox_mercator_covers_all_features(mapfile: MapFile) -> None:
    minx, miny, maxx, maxy = mapfile.bbox_mercator
    everything = mapfile.query(-math.inf, -math.inf, math.inf, math.inf, 20)
    inside = mapfile.query(minx, miny, maxx, maxy, 20)
    assert len(inside) == len(everything)


def test_query_finds_mannerheimintie(mapfile: MapFile) -> None:
    features = mapfile.query(*_around(MANNERHEIMINTIE, 300), zoom=16)
    roads = [f for f in features if f.layer == "road"]
    assert any(f.cls == "primary" and f.name == "Mannerheimintie" for f in roads)
    assert all(f.kind == "line" and f.rings == () and len(f.coords) >= 2 for f in roads)


def test_drawing_order(mapfile: MapFile) -> None:
    features = mapfile.query(*_around(MANNERHEIMINTIE, 500), zoom=18)
    keys = [(LAYERS.index(f.layer), ROAD_RANK.get(f.cls, 0)) for f in features]
    assert keys == sorted(keys)
    assert {f.layer for f in features} >= {"road", "building", "rail"}


def test_minzoom_filtering(mapfile: MapFile) -> None:
    view = _around(MANNERHEIMINTIE, 800)
    at = {z: mapfile.query(*view, zoom=z) for z in (9, 10, 13, 15)}
    assert at[9] == []
    assert {f.cls for f in at[10]} <= {"primary", "motorway", "trunk"} and at[10]
    assert "footway" not in {f.cls for f in at[13]} and "residential" in {f.cls for f in at[13]}
    assert "footway" in {f.cls for f in at[15]}
    assert len(at[10]) < len(at[13]) < len(at[15])
    for z, features in at.items():
        assert all(f.minzoom <= z for f in features)


def test_rtree_culls_to_the_view(mapfile: MapFile) -> None:
    view = _around(MANNERHEIMINTIE, 100)
    near = mapfile.query(*view, zoom=20)
    total = len(mapfile.query(*mapfile.bbox_mercator, zoom=20))
    assert 0 < len(near) < total / 5
    for f in near:
        xs = [p[0] for p in f.coords]
        ys = [p[1] for p in f.coords]
        assert min(xs) <= view[2] + 1 and max(xs) >= view[0] - 1
        assert min(ys) <= view[3] + 1 and max(ys) >= view[1] - 1
    far = lonlat_to_mercator(2.35, 48.85)  # Paris: nothing there
    assert mapfile.query(*_around(far, 1000), zoom=20) == []


def test_polygons_and_holes(mapfile: MapFile) -> None:
    polygons = [f for f in mapfile.query(*mapfile.bbox_mercator, zoom=20) if f.kind == "polygon"]
    assert {f.layer for f in polygons} == {"building", "water", "park"}
    for f in polygons:
        assert sum(f.rings) == len(f.coords)
        assert all(part[0] == part[-1] for part in f.parts())
    assert any(len(f.rings) > 1 for f in polygons), "multipolygons with holes are kept"


def test_viewport_query_is_fast(mapfile: MapFile) -> None:
    mapfile.query(*mapfile.bbox_mercator, zoom=16)  # warm the page cache
    start = time.perf_counter()
    mapfile.query(*_around(MANNERHEIMINTIE, 600), zoom=16)
    assert time.perf_counter() - start < 0.1  # < 20 ms measured; slack for loaded CI


def test_bbox_import_keeps_only_that_area(tmp_path: Path) -> None:
    bbox = (24.938, 60.168, 24.942, 60.171)
    report = import_osm(DEMO_PBF, tmp_path / "small.csumap", bbox=bbox)
    with MapFile(report.path) as small:
        assert small.bbox == pytest.approx(bbox)
        minx, miny = lonlat_to_mercator(bbox[0], bbox[1])
        maxx, maxy = lonlat_to_mercator(bbox[2], bbox[3])
        features = small.query(-math.inf, -math.inf, math.inf, math.inf, 20)
        assert features
        for f in features:
            xs = [p[0] for p in f.coords]
            ys = [p[1] for p in f.coords]
            assert min(xs) <= maxx and max(xs) >= minx and min(ys) <= maxy and max(ys) >= miny


def test_bad_import_leaves_no_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(DEMO_PBF.read_bytes()[:5000])
    with pytest.raises(MapDataError):
        import_osm(bad, tmp_path / "bad.csumap")
    assert list(tmp_path.iterdir()) == [bad]
    with pytest.raises(MapDataError, match="emprise"):
        import_osm(DEMO_PBF, tmp_path / "x.csumap", bbox=(25.0, 60.0, 24.0, 61.0))


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100], ids=["empty", "text"])
def test_open_a_file_that_is_not_a_map(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.csumap"
    path.write_bytes(content)
    with pytest.raises(MapDataError, match="n'est pas une carte"):
        MapFile(path)


def test_open_missing_or_newer(tmp_path: Path, imported: ImportReport) -> None:
    with pytest.raises(MapDataError, match="introuvable"):
        MapFile(tmp_path / "absent.csumap")
    newer = tmp_path / "newer.csumap"
    newer.write_bytes(imported.path.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    with pytest.raises(MapDataError, match="plus récent"):
        MapFile(newer)


@pytest.mark.parametrize("lonlat", [(0.0, 0.0), (2.3522, 48.8566), (24.94, 60.17), (-180, -80)])
def test_mercator_round_trip(lonlat: tuple[float, float]) -> None:
    x, y = lonlat_to_mercator(*lonlat)
    assert mercator_to_lonlat(x, y) == pytest.approx(lonlat, abs=1e-9)


def test_mercator_known_values() -> None:
    assert lonlat_to_mercator(180, 0) == pytest.approx((20037508.342789244, 0), abs=1e-6)
    assert lonlat_to_mercator(0, 89.9)[1] == pytest.approx(20037508.342789244)


def test_join_rings_in_any_direction() -> None:
    assert join_rings([[1, 2, 3], [1, 4, 3]]) == [[1, 4, 3, 2, 1]]
    assert join_rings([[1, 2], [2, 3]]) == []  # cannot be closed
