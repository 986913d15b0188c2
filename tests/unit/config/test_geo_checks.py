"""Validation of cameras and zones documents: every fault of an import listed at once."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from csu_console.config import check_site, default_config_dir, load_site
from csu_console.config.geo_checks import check_geo, geo_kind, import_geo
from csu_console.config.geo_write import cameras_document, zones_document

Json = dict[str, Any]
SITE = load_site(default_config_dir())
ZONES = zones_document(SITE.zones)
CAMERAS = cameras_document(SITE.cameras)
FAR_AWAY = [24.9600, 60.1800]  # north-east of every demo zone


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def _cameras_with_every_fault() -> Json:
    doc = copy.deepcopy(CAMERAS)
    f = doc["features"]
    f[1]["properties"]["id"] = "cam-01"  # duplicate id
    f[2]["geometry"]["coordinates"] = FAR_AWAY  # outside every zone
    f[3]["properties"]["stream_main"] = "10.0.0.5/live"  # URL without scheme
    f[4]["properties"]["fov_deg"] = 400  # field of view over 360°
    f[5]["properties"]["fov_deg"] = 0  # field of view of 0
    f[6]["properties"]["zones"] = ["secteur-gar"]  # unknown zone id
    return doc


def _zones_with_every_fault() -> Json:
    doc = copy.deepcopy(ZONES)
    f = doc["features"]
    f[6]["properties"]["id"] = "quartier-kluuvi"  # duplicate id (kamppi keeps its outline)
    bow_tie = [[24.94, 60.17], [24.95, 60.175], [24.95, 60.17], [24.94, 60.175], [24.94, 60.17]]
    f[3]["geometry"]["coordinates"][0] = bow_tie  # self-intersecting (kaisaniemi, cam-08's)
    return doc


def test_every_fault_of_both_documents_is_listed_together() -> None:
    cameras, zones, problems = check_geo(_cameras_with_every_fault(), _zones_with_every_fault())
    found = {(p.file, p.where.split(" ")[1], p.field) for p in problems}
    assert found == {
        ("cameras.geojson", "2", "id"),
        ("cameras.geojson", "3", "geometry"),
        ("cameras.geojson", "4", "stream_main"),
        ("cameras.geojson", "5", "fov_deg"),
        ("cameras.geojson", "6", "fov_deg"),
        ("cameras.geojson", "7", "zones"),
        # cam-08's secteur lost its outline, but its commune's outline still holds it
        ("cameras.geojson", "9", "zones"),  # cam-09's quartier-kamppi was renamed
        ("zones.geojson", "4", "geometry"),
        ("zones.geojson", "7", "id"),
    }, "\n".join(map(str, problems))
    text = "\n".join(map(str, problems))
    assert "identifiant « cam-01 » en double" in text
    assert "caméra hors de toute zone de zones.geojson" in text
    assert "URL avec un schéma" in text
    assert "nombre > 0 et ≤ 360 attendu, reçu 400" in text
    assert "reçu 0" in text
    assert (
        "zone « secteur-gar » absente de zones.geojson — vouliez-vous dire « secteur-gare » ?"
        in text
    )
    assert "l'anneau se recoupe lui-même" in text
    assert "identifiant « quartier-kluuvi » en double" in text
    # Cameras first then zones, each in feature order.
    assert [p.file for p in problems] == ["cameras.geojson"] * 7 + ["zones.geojson"] * 2
    assert [c.id for c in cameras] == ["cam-01", "cam-08"]
    assert len(zones) == 8  # 10 demo zones (7 + 3 communes), 2 bad


def test_outside_every_zone_names_the_nearest_zone() -> None:
    doc = copy.deepcopy(CAMERAS)
    doc["features"][7]["geometry"]["coordinates"] = [24.9470, 60.1785]  # north of cam-08
    _, _, problems = check_geo(doc, ZONES)
    assert len(problems) == 1
    assert problems[0].where == "feature 8 (cam-08)"
    assert problems[0].hint.startswith("zone la plus proche : « Secteur Kaisaniemi », à ")


def test_no_zone_check_when_the_zones_are_unusable() -> None:
    cameras, zones, problems = check_geo(CAMERAS, {"type": "Feature"})
    assert [p.file for p in problems] == ["zones.geojson"]
    assert len(cameras) == 9 and zones == []


def test_none_documents_are_skipped() -> None:
    assert check_geo(None, None) == ([], [], [])
    cameras, _, problems = check_geo(CAMERAS, None)
    assert problems == [] and len(cameras) == 9


def test_outside_every_zone_is_reported_by_config_check(site_dir: Path) -> None:
    data = json.loads((site_dir / "cameras.geojson").read_text(encoding="utf-8"))
    data["features"][0]["geometry"]["coordinates"] = FAR_AWAY
    (site_dir / "cameras.geojson").write_text(json.dumps(data), encoding="utf-8")
    _, problems = check_site(site_dir)
    assert [(p.file, p.where, p.field) for p in problems] == [
        ("cameras.geojson", "feature 1 (cam-01)", "geometry")
    ]


# --- import_geo ---------------------------------------------------------------------


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_cameras_file_detected_and_checked_against_current_zones(tmp_path: Path) -> None:
    path = _write(tmp_path / "nouvelles.geojson", _cameras_with_every_fault())
    result = import_geo(path, cameras=SITE.cameras, zones=SITE.zones)
    assert result.kind == "cameras"
    assert not result.ok
    assert {p.file for p in result.problems} == {"nouvelles.geojson"}
    assert len(result.problems) == 6
    assert result.zones == list(SITE.zones)


def test_import_zones_reports_cameras_left_without_their_zone(tmp_path: Path) -> None:
    doc = copy.deepcopy(ZONES)
    del doc["features"][6]  # quartier-kamppi, used by cam-09
    path = _write(tmp_path / "zones-2025.geojson", doc)
    result = import_geo(path, cameras=SITE.cameras, zones=SITE.zones)
    assert result.kind == "zones"
    assert [(p.file, p.where, p.field) for p in result.problems] == [
        ("cameras.geojson", "feature 9 (cam-09)", "zones")
    ]
    assert "absente de zones-2025.geojson" in result.problems[0].message


def test_valid_import_is_ok(tmp_path: Path) -> None:
    doc = copy.deepcopy(CAMERAS)
    doc["features"][0]["properties"]["heading_deg"] = 45
    result = import_geo(_write(tmp_path / "c.geojson", doc), zones=SITE.zones)
    assert result.ok
    assert result.cameras[0].heading_deg == 45.0
    assert len(result.cameras) == 9


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"type": "FeatureCollection", "features": []}', "ni caméras"),
        ("[1, 2]", "ni caméras"),
        ('{"type": "FeatureCollection", "features": [,]}', "JSON invalide"),
    ],
)
def test_import_of_an_unusable_file(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "x.geojson"
    path.write_text(content, encoding="utf-8")
    result = import_geo(path, cameras=SITE.cameras, zones=SITE.zones)
    assert result.kind is None and not result.ok
    assert len(result.problems) == 1
    assert fragment in str(result.problems[0])
    assert result.problems[0].file == "x.geojson"


def test_import_of_a_missing_file(tmp_path: Path) -> None:
    result = import_geo(tmp_path / "absent.geojson")
    assert "fichier absent" in str(result.problems[0])


def test_mixed_file_goes_by_majority_and_reports_the_odd_feature() -> None:
    doc = copy.deepcopy(CAMERAS)
    doc["features"].append(copy.deepcopy(ZONES["features"][0]))
    assert geo_kind(doc) == "cameras"
    _, _, problems = check_geo(doc, ZONES)
    assert {(p.where.split(" ")[1], p.field) for p in problems} >= {("10", "geometry")}
