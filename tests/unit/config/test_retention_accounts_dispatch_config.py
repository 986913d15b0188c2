"""The ``[retention]``, ``[accounts]`` and ``[dispatch]`` sections of site.toml: the
demo site's values, defaults, and one test per bad shape."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csu_console.config import ConfigProblem, check_site, default_config_dir, load_site
from csu_console.core.accounts import LockoutPolicy
from csu_console.core.dispatch import DispatchSettings, Unit, UnitKind
from csu_console.core.retention import RetentionPolicy


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A writable copy of the demo configuration."""
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def problems(site_dir: Path, toml: str) -> list[ConfigProblem]:
    (site_dir / "site.toml").write_text(toml + "\n", encoding="utf-8")
    config, found = check_site(site_dir)
    assert (config is None) == bool(found)
    return found


def only(site_dir: Path, toml: str) -> ConfigProblem:
    found = problems(site_dir, toml)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def test_the_demo_site() -> None:
    site = load_site(default_config_dir())
    assert site.retention == RetentionPolicy(30, 90, 30)
    assert site.accounts == LockoutPolicy(5, 300)
    assert site.dispatch.units[0] == Unit("pm-alpha-1", "Alpha 1", UnitKind.VEHICULE)
    assert {u.kind for u in site.dispatch.units} >= {UnitKind.VELO, UnitKind.CYNOPHILE}
    assert site.dispatch.unit("pm-bravo") is not None and site.dispatch.unit("x") is None


def test_defaults_when_absent(site_dir: Path) -> None:
    assert problems(site_dir, "") == []
    site = load_site(site_dir)
    assert (site.retention, site.accounts, site.dispatch) == (
        RetentionPolicy(), LockoutPolicy(), DispatchSettings(),
    )  # fmt: skip


def test_video_over_thirty_days_is_refused_citing_the_cnil(site_dir: Path) -> None:
    p = only(site_dir, "[retention]\nvideo_days = 45")
    assert (p.where, p.field) == ("[retention]", "video_days")
    assert p.message.startswith("30 jours au plus (CNIL")
    assert p.message.endswith("reçu 45")


@pytest.mark.parametrize(
    ("toml", "field", "message"),
    [
        ("[retention]\nvideo_days = 0", "video_days", "entier 1–30 attendu, reçu 0"),
        ("[retention]\nvideo_days = 7.5", "video_days", "entier 1–30 attendu, reçu 7.5"),
        ('[retention]\npersonal_data_days = "90"', "personal_data_days", "entier 1–3650"),
        ("[retention]\nrejected_days = -1", "rejected_days", "entier 1–3650"),
        ("[retention]\ncitizen_days = 0", "citizen_days", "entier 1–3650"),
        ("[retention]\ncitizen_days = 7.5", "citizen_days", "entier 1–3650"),
        ("[accounts]\nmax_failures = 0", "max_failures", "entier 1–100 attendu"),
        ("[accounts]\nlockout_s = 0", "lockout_s", "nombre 1–86400 attendu"),
    ],
)
def test_bad_values(site_dir: Path, toml: str, field: str, message: str) -> None:
    p = only(site_dir, toml)
    assert p.field == field
    assert message in p.message


U = "[[dispatch.units]]\n"


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ('[[dispatch.units]]\nid = "a"\nkind = "char"', "unité 1 (a) : kind : valeur parmi"),
        ('[[dispatch.units]]\nname = "Alpha"', "unité 1 : id : texte non vide attendu"),
        ('[[dispatch.units]]\nid = ""', "unité 1 : id : texte non vide attendu"),
        (U + 'id = "a"\n' + U + 'id = "a"', "unité 2 (a) : identifiant en double"),
        (U + 'id = "a"\nindicatif = "A"', "unité 1 (a) : clé « indicatif » inconnue"),
        ('[[dispatch.units]]\nid = "a"\nname = 3', "unité 1 (a) : name : texte non vide attendu"),
        ("[dispatch]\nunits = 3", "liste d'unités [[dispatch.units]] attendue"),
        ("[dispatch]\nunits = [3]", "unité 1 : table { id, name, kind } attendue"),
    ],
)  # fmt: skip
def test_bad_units(site_dir: Path, units: str, message: str) -> None:
    p = only(site_dir, units)
    assert (p.where, p.field) == ("[dispatch]", "units")
    assert message in p.message


def test_every_bad_unit_is_listed(site_dir: Path) -> None:
    toml = '[[dispatch.units]]\nid = "a"\nkind = "x"\n[[dispatch.units]]\nid = "b"\nkind = "y"'
    p = only(site_dir, toml)
    assert "unité 1 (a)" in p.message and "unité 2 (b)" in p.message


def test_unit_name_and_kind_default(site_dir: Path) -> None:
    problems(site_dir, '[[dispatch.units]]\nid = "pm-1"')
    assert load_site(site_dir).dispatch.units == (Unit("pm-1", "pm-1", UnitKind.VEHICULE),)


def test_a_french_section_name_gets_a_hint(site_dir: Path) -> None:
    p = only(site_dir, "[conservation]\nvideo_days = 30")
    assert p.message == "section inconnue"
    assert p.hint == "vouliez-vous dire « retention » ?"
