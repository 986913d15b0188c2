"""The ``[ui]`` section of site.toml (scale, theme): the demo's values, defaults, every
error collected, and hints for the words an installer would type."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csu_console.config import ConfigProblem, check_site, default_config_dir, load_site
from csu_console.config.schema import UiConfig


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


def test_the_demo_site_is_dark_at_scale_one() -> None:
    assert load_site(default_config_dir()).ui == UiConfig(scale=1.0, theme="sombre")


def test_defaults_when_absent_a_dim_control_room(site_dir: Path) -> None:
    assert problems(site_dir, "") == []
    assert load_site(site_dir).ui == UiConfig(1.0, "sombre")


def test_values_are_read(site_dir: Path) -> None:
    assert problems(site_dir, '[ui]\nscale = 1.5\ntheme = "clair"') == []
    assert load_site(site_dir).ui == UiConfig(1.5, "clair")


@pytest.mark.parametrize(
    ("toml", "field", "words"),
    [
        ("[ui]\nscale = 0.5", "scale", ("0.75", "0.5")),
        ("[ui]\nscale = 3", "scale", ("2", "3")),
        ('[ui]\nscale = "grand"', "scale", ("grand",)),
        ('[ui]\ntheme = "nuit"', "theme", ("sombre", "clair")),
        ("[ui]\ntheme = 1", "theme", ("sombre",)),
    ],
)
def test_each_bad_value_is_refused(
    site_dir: Path, toml: str, field: str, words: tuple[str]
) -> None:
    (p,) = problems(site_dir, toml)
    assert (p.file, p.where, p.field) == ("site.toml", "[ui]", field)
    for word in words:
        assert word in p.message, p.message


def test_every_error_is_collected(site_dir: Path) -> None:
    found = problems(site_dir, '[ui]\nscale = 9\ntheme = "nuit"\n[site]\nlanguage = "de"')
    assert {(p.where, p.field) for p in found} == {
        ("[ui]", "scale"),
        ("[ui]", "theme"),
        ("[site]", "language"),
    }


@pytest.mark.parametrize(
    ("toml", "hint"),
    [
        ("[affichage]\nscale = 1", "vouliez-vous dire « ui » ?"),
        ('[ui]\n"échelle" = 1.2', "vouliez-vous dire « scale » ?"),
        ('[ui]\n"thème" = "clair"', "vouliez-vous dire « theme » ?"),
        ("[ui]\nscal = 1.2", "vouliez-vous dire « scale » ?"),
    ],
)
def test_a_misspelt_or_french_key_gets_a_hint(site_dir: Path, toml: str, hint: str) -> None:
    (p,) = problems(site_dir, toml)
    assert p.hint == hint
