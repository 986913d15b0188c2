"""Tests for the ``[alarm]`` and ``[grouping]`` sections of site.toml."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from csu_console.config import (
    AlarmConfig,
    ConfigProblem,
    GroupingConfig,
    check_site,
    default_config_dir,
    load_site,
)
from csu_console.core.interrupt import AlarmPolicy


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A writable copy of the demo configuration."""
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def _write(site_dir: Path, toml: str) -> list[ConfigProblem]:
    (site_dir / "site.toml").write_text(toml + "\n", encoding="utf-8")
    config, problems = check_site(site_dir)
    assert (config is None) == bool(problems)
    return problems


def test_demo_site_documents_the_defaults() -> None:
    config = load_site(default_config_dir())
    assert config.alarm == AlarmConfig()
    assert config.grouping == GroupingConfig()


def test_defaults_are_those_of_the_issue() -> None:
    policy = AlarmConfig().policy()
    assert policy == AlarmPolicy()
    assert dict(policy.repeat_s) == {1: 5.0, 2: 15.0, 3: 30.0, 4: 0.0}
    assert (policy.escalation_after_s, policy.mute_max_s) == (60.0, 120.0)
    grouper = GroupingConfig().grouper()
    assert (grouper.radius_m, grouper.window) == (150.0, timedelta(minutes=15))


def test_values_from_the_file(site_dir: Path) -> None:
    _write(
        site_dir,
        "[alarm]\nrepeat_p1_s = 0.5\nrepeat_p3_s = 0\nescalation_after_s = 2\n"
        "mute_max_s = 30\nlink_lost_repeat_s = 3\n[grouping]\nradius_m = 80\nwindow_min = 5\n",
    )
    config = load_site(site_dir)
    policy = config.alarm.policy()
    assert dict(policy.repeat_s) == {1: 0.5, 2: 15.0, 3: 0.0, 4: 0.0}
    assert (policy.escalation_after_s, policy.mute_max_s, policy.link_lost_repeat_s) == (
        2.0,
        30.0,
        3.0,
    )
    grouper = config.grouping.grouper()
    assert (grouper.radius_m, grouper.window) == (80.0, timedelta(minutes=5))


def test_zero_turns_grouping_off(site_dir: Path) -> None:
    _write(site_dir, "[grouping]\nradius_m = 0\n")
    assert not load_site(site_dir).grouping.grouper().enabled


@pytest.mark.parametrize(
    ("toml", "field", "fragment"),
    [
        ("[alarm]\nrepeat_p1_s = -5", "repeat_p1_s", "0 (désactivé) ou nombre 0.1–3600 attendu"),
        ("[alarm]\nrepeat_p2_s = 0.01", "repeat_p2_s", "reçu 0.01"),
        ('[alarm]\nrepeat_p3_s = "30"', "repeat_p3_s", 'reçu "30"'),
        ("[alarm]\nrepeat_p4_s = true", "repeat_p4_s", "reçu true"),
        ("[alarm]\nrepeat_p1_s = 7200", "repeat_p1_s", "reçu 7200"),
        ("[alarm]\nrepeat_p1_s = nan", "repeat_p1_s", "0 (désactivé) ou nombre"),
        ("[alarm]\nescalation_after_s = -1", "escalation_after_s", "0 (désactivé) ou nombre"),
        ("[alarm]\nmute_max_s = 0", "mute_max_s", "nombre > 0 et ≤ 600 attendu, reçu 0"),
        ("[alarm]\nmute_max_s = inf", "mute_max_s", "nombre > 0 et ≤ 600"),
        ("[alarm]\nmute_max_s = 3600", "mute_max_s", "reçu 3600"),
        ("[alarm]\nlink_lost_repeat_s = [10]", "link_lost_repeat_s", "reçu [10]"),
        ("[grouping]\nradius_m = -1", "radius_m", "nombre 0–2000 attendu, reçu -1"),
        ('[grouping]\nradius_m = "150 m"', "radius_m", 'reçu "150 m"'),
        ("[grouping]\nwindow_min = 2000", "window_min", "nombre 0–1440 attendu"),
    ],
)
def test_bad_values(site_dir: Path, toml: str, field: str, fragment: str) -> None:
    [problem] = _write(site_dir, toml)
    section = toml.split("\n", 1)[0]
    assert (problem.file, problem.where, problem.field) == ("site.toml", section, field)
    assert fragment in str(problem)


@pytest.mark.parametrize(
    ("toml", "where", "field", "hint"),
    [
        ("[alarm]\nrepeat_p1 = 5", "[alarm]", "repeat_p1", "« repeat_p1_s »"),
        ("[alarm]\nrepeat_s_p2 = 5", "[alarm]", "repeat_s_p2", "« repeat_p2_s »"),
        ("[alarm]\nescalade = 60", "[alarm]", "escalade", "« escalation_after_s »"),
        ("[alarm]\nsourdine = 60", "[alarm]", "sourdine", "« mute_max_s »"),
        ("[alarm]\nmute_max = 60", "[alarm]", "mute_max", "« mute_max_s »"),
        ("[grouping]\nrayon = 100", "[grouping]", "rayon", "« radius_m »"),
        ('[grouping]\n"fenêtre" = 10', "[grouping]", "fenêtre", "« window_min »"),
        ("[grouping]\nwindow_s = 600", "[grouping]", "window_s", "« window_min »"),
        ("[retention]\ncitoyens = 30", "[retention]", "citoyens", "« citizen_days »"),
        ("[retention]\ncitizens_days = 30", "[retention]", "citizens_days", "« citizen_days »"),
        ("[retention]\ncitizen = 30", "[retention]", "citizen", "« citizen_days »"),
        ("[alarme]\nrepeat_p1_s = 5", "[alarme]", "", "« alarm »"),
        ("[regroupement]\nradius_m = 5", "[regroupement]", "", "« grouping »"),
        ("[groupings]\nradius_m = 5", "[groupings]", "", "« grouping »"),
    ],
)
def test_unknown_keys_get_a_hint(
    site_dir: Path, toml: str, where: str, field: str, hint: str
) -> None:
    [problem] = _write(site_dir, toml)
    assert (problem.where, problem.field) == (where, field)
    assert hint in problem.hint


def test_key_outside_its_section_is_placed(site_dir: Path) -> None:
    [problem] = _write(site_dir, "mute_max_s = 60\n[alarm]\n")
    assert problem.message == "clé hors de toute section"
    assert problem.hint == "à placer dans la section [alarm] ?"


def test_every_bad_value_reported_at_once(site_dir: Path) -> None:
    problems = _write(
        site_dir,
        "[alarm]\nrepeat_p1_s = -1\nmute_max_s = 0\nsonnerie = 1\n[grouping]\nradius_m = -3\n",
    )
    assert [p.field for p in problems] == ["repeat_p1_s", "mute_max_s", "sonnerie", "radius_m"]
