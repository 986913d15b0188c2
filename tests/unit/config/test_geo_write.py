"""Writing cameras and zones back to GeoJSON: exact round trip, stable text, no secrets."""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from csu_console.config import check_site, default_config_dir, load_site
from csu_console.config.geo_write import (
    cameras_document,
    dumps_geojson,
    write_geo,
    zones_document,
)
from csu_console.config.schema import Camera, Zone
from csu_console.core.geo import Area


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def test_demo_round_trip_gives_the_same_values(site_dir: Path) -> None:
    before = load_site(site_dir)
    write_geo(site_dir, before.cameras, before.zones)
    after, problems = check_site(site_dir)
    assert problems == []
    assert after is not None
    assert after.cameras == before.cameras
    assert after.zones == before.zones


def test_writing_twice_gives_the_same_bytes(site_dir: Path) -> None:
    site = load_site(site_dir)
    write_geo(site_dir, site.cameras, site.zones)
    first = [(site_dir / n).read_bytes() for n in ("cameras.geojson", "zones.geojson")]
    again = load_site(site_dir)
    write_geo(site_dir, again.cameras, again.zones)
    assert [(site_dir / n).read_bytes() for n in ("cameras.geojson", "zones.geojson")] == first


def test_drawn_positions_come_back_rounded_to_7_decimals(site_dir: Path) -> None:
    site = load_site(site_dir)
    cam = replace(site.cameras[0], lon=24.943312345678, lat=60.170598765432, heading_deg=12.5)
    write_geo(site_dir, [cam, *site.cameras[1:]], site.zones)
    loaded = load_site(site_dir).cameras[0]
    assert (loaded.lon, loaded.lat) == (24.9433123, 60.1705988)
    assert loaded == replace(cam, lon=24.9433123, lat=60.1705988)


def test_properties_in_the_loaders_order_and_integral_numbers_as_ints() -> None:
    site = load_site(default_config_dir())
    feature = cameras_document(site.cameras)["features"][1]
    assert list(feature["properties"]) == [
        "id",
        "name",
        "kind",
        "heading_deg",
        "fov_deg",
        "range_m",
        "stream_main",
        "zones",
    ]  # cam-02 has no sub stream: the key is left out
    assert feature["properties"]["heading_deg"] == 75
    assert isinstance(feature["properties"]["heading_deg"], int)
    assert feature["geometry"] == {"type": "Point", "coordinates": [24.93966, 60.17183]}
    zone = zones_document(site.zones)["features"][0]
    assert list(zone["properties"]) == ["id", "name", "commune", "insee", "zoning"]


def test_one_position_per_line() -> None:
    site = load_site(default_config_dir())
    text = dumps_geojson(cameras_document(site.cameras[:1]))
    assert '"coordinates": [24.9433, 60.1706]' in text
    assert text.endswith("}\n")
    assert json.loads(text) == cameras_document(site.cameras[:1])


def test_multipolygon_and_holes_survive(site_dir: Path) -> None:
    square = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0))
    hole = ((0.2, 0.2), (0.2, 0.4), (0.4, 0.4), (0.4, 0.2), (0.2, 0.2))
    far = tuple((x + 5.0, y) for x, y in square)
    zone = Zone("z", "Z", "", "secteur_pm", Area(((square, hole), (far,))))
    geometry = zones_document([zone])["features"][0]["geometry"]
    assert geometry["type"] == "MultiPolygon"
    assert Area.from_geojson(geometry) == zone.area


def test_no_credentials_in_the_geojson(site_dir: Path) -> None:
    site = load_site(site_dir)
    cam = replace(
        site.cameras[0],
        stream_main="rtsp://admin:s3cr%2Fet@10.0.0.5:554/live",
        stream_sub="rtsp://admin:s3cr%2Fet@10.0.0.5:554/sub",
    )
    write_geo(site_dir, [cam, *site.cameras[1:]], site.zones)
    text = (site_dir / "cameras.geojson").read_text(encoding="utf-8")
    assert "s3cr" not in text and "admin" not in text
    loaded = load_site(site_dir).cameras[0]
    assert loaded.stream_main == "rtsp://10.0.0.5:554/live"
    assert loaded.stream_sub == "rtsp://10.0.0.5:554/sub"


def test_write_is_atomic_and_keeps_the_file_mode(site_dir: Path) -> None:
    os.chmod(site_dir / "zones.geojson", 0o640)
    site = load_site(site_dir)
    write_geo(site_dir, site.cameras, site.zones)
    assert stat.S_IMODE((site_dir / "zones.geojson").stat().st_mode) == 0o640
    assert stat.S_IMODE((site_dir / "cameras.geojson").stat().st_mode) == 0o644
    assert sorted(p.name for p in site_dir.iterdir() if p.name.startswith(".")) == []


def test_new_directory_files_are_0644(tmp_path: Path) -> None:
    cam = Camera("c", "C", "fixe", 2.35, 48.85, 90.0, 60.0, 50.0, "rtsp://h/x")
    write_geo(tmp_path, [cam], [])
    assert stat.S_IMODE((tmp_path / "cameras.geojson").stat().st_mode) == 0o644
    assert json.loads((tmp_path / "zones.geojson").read_text()) == {
        "type": "FeatureCollection",
        "features": [],
    }
