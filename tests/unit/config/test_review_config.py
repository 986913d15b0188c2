"""The ``[review] source`` of site.toml: empty (the station's database) by default,
a PostgreSQL URL for the central review, anything else refused with the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csu_console.config import ConfigProblem, check_site, default_config_dir, load_site
from csu_console.config.schema import ReviewConfig


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def problems(site_dir: Path, toml: str) -> list[ConfigProblem]:
    (site_dir / "site.toml").write_text(toml + "\n", encoding="utf-8")
    return check_site(site_dir)[1]


def test_the_demo_reviews_its_own_database() -> None:
    review = load_site(default_config_dir()).review
    assert review == ReviewConfig("") and not review.central


def test_a_postgresql_url_is_read(site_dir: Path) -> None:
    url = "postgresql://revue@srv-superviseurs/csu_revue"
    assert problems(site_dir, f'[review]\nsource = " {url} "') == []
    review = load_site(site_dir).review
    assert review.source == url and review.central


@pytest.mark.parametrize("value", ['"mysql://x/y"', '"/var/lib/csu/csu.sqlite3"', "3"])
def test_anything_else_is_refused(site_dir: Path, value: str) -> None:
    (p,) = problems(site_dir, f"[review]\nsource = {value}")
    assert (p.where, p.field) == ("[review]", "source")
    assert "postgresql://" in p.message
