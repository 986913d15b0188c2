"""site.toml edited by the administration window (csu_console.config.site_edit):
keys replaced with their comments kept, units added and removed, the same problems
as ``config check`` (nothing written), atomic write, and the permissions each
section needs (settings, privacy, units)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csu_console.config import site_edit as edit
from csu_console.config.loader import check_site
from csu_console.core.roles import PermissionDenied, Role
from csu_console.errors import UserFacingError


@pytest.fixture
def site_dir(tmp_path: Path, config_dir: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(config_dir, target)
    return target


def test_set_key_keeps_comments_and_layout() -> None:
    text = "[alarm]\n# avant\nrepeat_p1_s = 5       # 1 = urgente\nrepeat_p2_s = 15\n\n[ui]\n"
    out = edit.set_key(text, "alarm", "repeat_p1_s", 8)
    assert out == (
        "[alarm]\n# avant\nrepeat_p1_s = 8       # 1 = urgente\nrepeat_p2_s = 15\n\n[ui]\n"
    )
    added = edit.set_key(out, "alarm", "mute_max_s", 90)
    assert "repeat_p2_s = 15\nmute_max_s = 90\n\n[ui]" in added
    assert edit.set_key("", "ui", "theme", "clair") == '\n[ui]\ntheme = "clair"\n'


def test_multiline_values_are_replaced_whole(site_dir: Path) -> None:
    text = edit.read_site_text(site_dir)
    periods = [{"id": "jour", "name": "Jour", "start": "06:00", "end": "18:00"},
               {"id": "nuit", "name": "Nuit", "start": "18:00", "end": "06:00"}]  # fmt: skip
    out = edit.set_key(text, "shifts", "periods", periods)
    site, problems = check_site(site_dir, out)
    assert problems == [] and site is not None
    assert [p.id for p in site.shifts.periods] == ["jour", "nuit"]
    assert [c.key for c in edit.diff(text, out)] == ["shifts.periods"]


def test_units_added_and_removed(site_dir: Path) -> None:
    text = edit.read_site_text(site_dir)
    out = edit.remove_unit(edit.add_unit(text, "pm-delta", "Delta", "moto"), "pm-cyno")
    site, problems = check_site(site_dir, out)
    assert problems == [] and site is not None
    ids = [u.id for u in site.dispatch.units]
    assert "pm-delta" in ids and "pm-cyno" not in ids
    assert "# Mur d'images et flux caméras." in out  # the next section's comment stays
    with pytest.raises(UserFacingError, match="absente"):
        edit.remove_unit(out, "pm-cyno")


def test_apply_writes_atomically_and_reports_the_diff(site_dir: Path) -> None:
    before = edit.read_site_text(site_dir)
    after = edit.set_key(before, "alarm", "repeat_p1_s", 8)
    outcome = edit.apply_edit(site_dir, before, after, Role.ADMIN)
    assert outcome.written and outcome.site is not None
    assert outcome.site.alarm.repeat_p1_s == 8
    assert [(c.key, c.before, c.after, c.live) for c in outcome.changes] == [
        ("alarm.repeat_p1_s", "5", "8", True)
    ]
    assert edit.read_site_text(site_dir) == after
    assert not list(site_dir.glob(".site.toml.*"))  # no temporary file left


def test_invalid_edit_lists_config_check_problems_and_writes_nothing(site_dir: Path) -> None:
    before = edit.read_site_text(site_dir)
    after = edit.set_key(before, "retention", "video_days", 45)
    outcome = edit.apply_edit(site_dir, before, after, Role.ADMIN)
    assert not outcome.written
    assert [(p.where, p.field) for p in outcome.problems] == [("[retention]", "video_days")]
    assert "CNIL" in outcome.problems[0].message
    assert edit.read_site_text(site_dir) == before


def test_a_file_changed_meanwhile_is_not_overwritten(site_dir: Path) -> None:
    before = edit.read_site_text(site_dir)
    (site_dir / "site.toml").write_text(before + "\n# retouche\n", encoding="utf-8")
    after = edit.set_key(before, "alarm", "repeat_p1_s", 8)
    with pytest.raises(UserFacingError, match="modifié entre-temps"):
        edit.apply_edit(site_dir, before, after, Role.ADMIN)


@pytest.mark.parametrize(
    ("section", "key", "value", "label"),
    [
        ("alarm", "repeat_p1_s", 8, "modifier les réglages du site"),
        ("retention", "video_days", 20, "modifier les durées de conservation"),
        ("accounts", "max_failures", 4, "modifier les durées de conservation"),
    ],
)
@pytest.mark.parametrize("role", [Role.OPERATEUR, Role.SUPERVISEUR, Role.INSTALLATEUR])
def test_settings_need_edit_settings_or_edit_privacy(
    site_dir: Path, role: Role, section: str, key: str, value: int, label: str
) -> None:
    before = edit.read_site_text(site_dir)
    after = edit.set_key(before, section, key, value)
    with pytest.raises(PermissionDenied, match=label):
        edit.apply_edit(site_dir, before, after, role)
    assert edit.read_site_text(site_dir) == before
    assert edit.apply_edit(site_dir, before, after, Role.ADMIN).written


@pytest.mark.parametrize("role", [Role.OPERATEUR, Role.SUPERVISEUR, Role.INSTALLATEUR])
def test_units_need_manage_units(site_dir: Path, role: Role) -> None:
    before = edit.read_site_text(site_dir)
    after = edit.add_unit(before, "pm-delta", "Delta", "moto")
    with pytest.raises(PermissionDenied, match="ajouter ou retirer des unités"):
        edit.apply_edit(site_dir, before, after, role)
    assert edit.apply_edit(site_dir, before, after, Role.ADMIN).written
