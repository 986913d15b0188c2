"""Communes and zonings in the site configuration (issue 19): ``[zonings.<id>]``,
zone property ``insee``, ``[station] communes``, each checked with a precise problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from csu_console.config import check_site, default_config_dir, load_site
from csu_console.core.territory import COMMUNE_ZONING, DEFAULT_ZONINGS, Commune, Zoning


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(site_dir: Path) -> list[str]:
    config, problems = check_site(site_dir)
    assert config is None
    return [str(p) for p in problems]


def test_demo_site_is_intercommunal() -> None:
    site = load_site(default_config_dir())
    assert [z.id for z in site.zonings] == ["secteur_pm", "quartier", COMMUNE_ZONING]
    assert site.zonings[0] == Zoning("secteur_pm", "Secteurs de police municipale", "#4a90d9")
    territory = site.territory
    assert territory.communes == (
        Commune("30901", "Bourg-Centre (démo)"),
        Commune("30902", "Port-Kaisan (démo)"),
        Commune("30903", "Val-de-Gare (démo)"),
    )
    assert len(territory.zones_of(COMMUNE_ZONING)) == 3
    # Every secteur lies in the commune it names.
    for zone in site.zones:
        if zone.zoning == "secteur_pm":
            lon0, lat0, lon1, lat1 = zone.area.bbox
            inner = [(lon, lat) for lon, lat in zone.area.polygons[0][0]]
            cx = sum(p[0] for p in inner[:-1]) / (len(inner) - 1)
            cy = sum(p[1] for p in inner[:-1]) / (len(inner) - 1)
            placed = territory.place(cx, cy)
            assert placed.commune is not None and placed.commune.insee == zone.insee, zone.id
            assert lon0 < cx < lon1 and lat0 < cy < lat1


def test_no_declaration_keeps_the_default_zonings(site_dir: Path) -> None:
    site_toml = site_dir / "site.toml"
    text = site_toml.read_text(encoding="utf-8")
    start = text.index("[zonings.secteur_pm]")
    end = text.index("[gateway]")
    site_toml.write_text(text[:start] + text[end:], encoding="utf-8")
    # An old site: no insee, a zoning of its own — still valid.
    zones = json.loads((site_dir / "zones.geojson").read_text(encoding="utf-8"))
    for feature in zones["features"]:
        feature["properties"].pop("insee")
    zones["features"][0]["properties"]["zoning"] = "ilot"
    (site_dir / "zones.geojson").write_text(json.dumps(zones), encoding="utf-8")
    site = load_site(site_dir)
    assert site.zonings == DEFAULT_ZONINGS
    assert all(z.insee == "" for z in site.zones)
    assert Commune("", "Bourg-Centre (démo)") in site.territory.communes


def test_bad_zoning_declarations_are_named(site_dir: Path) -> None:
    site_toml = site_dir / "site.toml"
    _edit(site_toml, 'colour = "#9b6ad6"', 'colour = "violet"\ncolor = "#000000"')
    _edit(site_toml, 'label = "Communes"\n', "")
    _edit(
        site_toml,
        "[gateway]",
        '[zonings."mauvais id"]\nlabel = "x"\n\n[zonings]\nilot = 3\n\n[gateway]',
    )
    problems = _problems(site_dir)
    assert problems == [
        "site.toml: [zonings.quartier]: colour : couleur #rrggbb attendue "
        '(ex. « #4a90d9 »), reçu "violet"',
        "site.toml: [zonings.quartier]: color : clé inconnue — vouliez-vous dire « colour » ?",
        "site.toml: [zonings.commune]: label : obligatoire, absent (texte non vide attendu)",
        "site.toml: [zonings.mauvais id]: identifiant de zonage attendu "
        "(lettres, chiffres, « _ » ou « - »), reçu 'mauvais id'",
        "site.toml: [zonings.ilot]: table attendue ([zonings.ilot] puis ses clés), reçu 3",
    ]  # and no cascade: the zones of quartier and commune are not « non déclaré »


def test_colour_defaults_to_the_palette(site_dir: Path) -> None:
    _edit(site_dir / "site.toml", 'colour = "#e0a030"\n', "")
    site = load_site(site_dir)
    assert site.zonings[2] == Zoning("commune", "Communes", "#e0a030")  # third palette colour


def test_a_zone_of_an_undeclared_zoning_is_named(site_dir: Path) -> None:
    _edit(site_dir / "zones.geojson", '"zoning": "quartier"', '"zoning": "quartiers"')
    problems = _problems(site_dir)
    assert problems == [
        "zones.geojson: feature 5 (quartier-kluuvi): zoning : zonage « quartiers » non déclaré "
        "dans site.toml (zonages déclarés : « secteur_pm », « quartier », « commune ») — "
        "vouliez-vous dire « quartier » ?"
    ]


@pytest.mark.parametrize("code", ["3090", "309011", "AB123", "2C001", ""])
def test_bad_insee_codes(site_dir: Path, code: str) -> None:
    _edit(site_dir / "zones.geojson", '"insee": "30901"', f'"insee": "{code}"')
    [problem] = _problems(site_dir)
    assert problem.startswith("zones.geojson: feature 1 (secteur-centre): insee : code INSEE")
    assert "5 caractères" in problem and f'reçu "{code}"' in problem


def test_corsican_codes_and_lower_case_are_accepted(site_dir: Path) -> None:
    zones = site_dir / "zones.geojson"
    zones.write_text(zones.read_text(encoding="utf-8").replace('"30901"', '"2a004"'), "utf-8")
    site = load_site(site_dir)
    assert site.territory.communes[0] == Commune("2A004", "Bourg-Centre (démo)")


def test_one_code_for_two_communes_is_a_problem(site_dir: Path) -> None:
    _edit(site_dir / "zones.geojson", '"insee": "30902"', '"insee": "30901"')
    [problem] = _problems(site_dir)
    assert problem == (
        "zones.geojson: feature 2 (secteur-port): insee : code INSEE « 30901 » déjà donné à la "
        "commune « Bourg-Centre (démo) », reçu « Port-Kaisan (démo) »"
    )


def test_station_communes_by_code_or_name(site_dir: Path) -> None:
    _edit(
        site_dir / "site.toml",
        'name = "Poste opérateur 1"\n',
        'name = "Poste opérateur 1"\ncommunes = ["30901", "Port-Kaisan (démo)", "30901"]\n',
    )
    assert load_site(site_dir).station.communes == ("30901", "30902")  # as keys, once


def test_unknown_station_communes_are_named(site_dir: Path) -> None:
    site_toml = site_dir / "site.toml"
    _edit(
        site_toml,
        'name = "Poste opérateur 1"\n',
        'name = "Poste opérateur 1"\ncommunes = ["30909", "Val-de-Gare"]\n',
    )
    problems = _problems(site_dir)
    listed = "Bourg-Centre (démo) (30901), Port-Kaisan (démo) (30902), Val-de-Gare (démo) (30903)"
    assert problems == [
        f"site.toml: [station]: communes : commune « 30909 » absente des zones (communes du "
        f"territoire : {listed}) — vouliez-vous dire « 30903 » ?",
        f"site.toml: [station]: communes : commune « Val-de-Gare » absente des zones (communes "
        f"du territoire : {listed}) — vouliez-vous dire « Val-de-Gare (démo) » ?",
    ]
    _edit(site_toml, 'communes = ["30909", "Val-de-Gare"]', "communes = [30901]")
    [problem] = _problems(site_dir)
    assert problem.startswith("site.toml: [station]: communes : liste de communes (codes INSEE")
