"""Kept versions of the cameras and zones: save, list, restore (byte for byte), prune."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from csu_console.config import default_config_dir, load_site
from csu_console.config.history import ConfigHistory, HistoryError
from csu_console.errors import ConfigError, UserFacingError

FILES = ("cameras.geojson", "zones.geojson")


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    return target


def _bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_save_keeps_the_previous_files_and_restore_brings_them_back(site_dir: Path) -> None:
    original = _bytes(site_dir)
    site = load_site(site_dir)
    history = ConfigHistory(site_dir)
    moved = replace(site.cameras[0], heading_deg=45.0)
    kept = history.save(
        [moved, *site.cameras[1:]], site.zones, author="installateur", reason="cam-01 tournée"
    )
    assert load_site(site_dir).cameras[0].heading_deg == 45.0
    assert _bytes(site_dir / "history" / kept.id) == original
    meta = json.loads((site_dir / "history" / kept.id / "meta.json").read_text())
    assert meta["author"] == "installateur" and meta["reason"] == "cam-01 tournée"
    assert set(meta["files"]) == set(FILES) and all(len(h) == 64 for h in meta["files"].values())

    after_save = _bytes(site_dir)
    undo = history.restore(kept.id, author="chef")
    assert _bytes(site_dir) == original
    # The restore kept what it replaced: restoring that undoes the restore.
    assert _bytes(site_dir / "history" / undo.id) == after_save
    assert undo.action == "restore" and kept.id in undo.reason
    history.restore(undo.id, author="chef")
    assert _bytes(site_dir) == after_save


def test_versions_newest_first(site_dir: Path) -> None:
    site = load_site(site_dir)
    history = ConfigHistory(site_dir)
    assert history.versions() == []
    ids = [
        history.save(site.cameras, site.zones, author=f"a{i}", reason=f"r{i}").id for i in range(3)
    ]
    versions = history.versions()
    assert [v.id for v in versions] == ids[::-1]
    assert [v.author for v in versions] == ["a2", "a1", "a0"]
    assert [v.number for v in versions] == [3, 2, 1]
    assert all(v.saved_at.tzinfo is not None for v in versions)


def test_pruning_keeps_the_newest(site_dir: Path) -> None:
    site = load_site(site_dir)
    history = ConfigHistory(site_dir, keep=3)
    ids = [history.save(site.cameras, site.zones, author="a", reason=str(i)).id for i in range(5)]
    assert [v.id for v in history.versions()] == ids[:1:-1]
    folders = sorted(p.name for p in (site_dir / "history").iterdir() if p.is_dir())
    assert folders == sorted(ids[2:])
    with pytest.raises(HistoryError, match="introuvable"):
        history.restore(ids[0], author="a")


def test_invalid_configuration_is_not_saved(site_dir: Path) -> None:
    site = load_site(site_dir)
    before = _bytes(site_dir)
    bad = replace(site.cameras[0], id=site.cameras[1].id)
    with pytest.raises(ConfigError) as info:
        ConfigHistory(site_dir).save([bad, *site.cameras[1:]], site.zones, author="a", reason="r")
    assert "en double" in str(info.value)
    assert _bytes(site_dir) == before
    assert not (site_dir / "history").exists() or ConfigHistory(site_dir).versions() == []


def test_missing_version(site_dir: Path) -> None:
    with pytest.raises(HistoryError) as info:
        ConfigHistory(site_dir).restore("20240101T000000Z-1", author="a")
    assert isinstance(info.value, UserFacingError)
    assert "« 20240101T000000Z-1 » introuvable" in str(info.value)
    with pytest.raises(HistoryError, match="introuvable"):
        ConfigHistory(site_dir).restore("../../etc", author="a")


@pytest.mark.expected_logs("csu.config.history")
def test_corrupt_versions_fail_clearly_and_change_nothing(site_dir: Path) -> None:
    site = load_site(site_dir)
    history = ConfigHistory(site_dir)
    tampered = history.save(site.cameras, site.zones, author="a", reason="r1")
    broken_meta = history.save(site.cameras, site.zones, author="a", reason="r2")
    (site_dir / "history" / tampered.id / "zones.geojson").write_text("{}", encoding="utf-8")
    (site_dir / "history" / broken_meta.id / "meta.json").write_text("{", encoding="utf-8")
    before = _bytes(site_dir)
    with pytest.raises(HistoryError, match=r"corrompue : zones\.geojson ne correspond plus"):
        history.restore(tampered.id, author="a")
    with pytest.raises(HistoryError, match=r"corrompue : meta\.json illisible"):
        history.restore(broken_meta.id, author="a")
    assert _bytes(site_dir) == before
    assert [v.id for v in history.versions()] == [tampered.id]  # the unreadable one skipped
