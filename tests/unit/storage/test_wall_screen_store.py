"""Where each station's wall is (``storage/wall_screen.py``): saved per station,
read back, and a damaged file read as « in the console » with the reason logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csu_console.storage.wall_screen import (
    ATTACHED,
    WallPlacement,
    load_placement,
    parse_placement,
    save_placement,
)

DETACHED = WallPlacement(True, "HDMI-2", (1920, 0, 1920, 1080), True, 1)


def test_each_station_keeps_its_own_placement(tmp_path: Path) -> None:
    path = tmp_path / "wall-screen.json"
    assert load_placement(path, "poste-1") == ATTACHED  # nothing saved yet
    assert save_placement(path, "poste-1", DETACHED)
    windowed = WallPlacement(True, "DP-3", (100, 50, 1280, 720), False)
    assert save_placement(path, "poste-2", windowed)
    assert load_placement(path, "poste-1") == DETACHED
    assert load_placement(path, "poste-2") == windowed
    assert load_placement(path, "poste-3") == ATTACHED
    assert save_placement(path, "poste-1", ATTACHED)  # back in the console
    assert load_placement(path, "poste-1") == ATTACHED
    assert load_placement(path, "poste-2") == windowed  # the other station untouched
    assert not path.with_suffix(".tmp").exists()


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("oui", "pas un objet"),
        ({"detached": "yes", "screen": "HDMI-2"}, "« detached »"),
        ({"detached": True, "screen": 2}, "« screen »"),
        ({"detached": True, "screen": "X", "full_screen": 1}, "« full_screen »"),
        ({"detached": True, "screen": "X", "geometry": [0, 0, 10]}, "« geometry »"),
        ({"detached": True, "screen": "X", "geometry": [0, 0, 10, "a"]}, "« geometry »"),
        ({"detached": True, "screen": "X", "geometry": [0, 0, True, 5]}, "« geometry »"),
        ({"detached": True, "screen": "X", "geometry": [0, 0, 0, 500]}, "impossible"),
        ({"detached": True, "screen": "X", "index": "1"}, "« index »"),
    ],
)
def test_a_bad_entry_is_refused_with_its_reason(entry: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_placement(entry)


@pytest.mark.expected_logs("csu.storage")
@pytest.mark.parametrize(
    "text",
    [
        "{pas du json",
        json.dumps([1, 2]),
        json.dumps({"version": 1}),
        json.dumps({"version": 99, "stations": {}}),
        json.dumps({"version": 1, "stations": {"poste-1": {"screen": "HDMI-2"}}}),
    ],
)
def test_a_damaged_file_means_in_the_console_and_is_logged(
    tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "wall-screen.json"
    path.write_text(text, encoding="utf-8")
    assert load_placement(path, "poste-1") == ATTACHED
    assert any("illisible" in r.getMessage() for r in caplog.records)
    # Saving over it works again (the damaged content is replaced).
    assert save_placement(path, "poste-1", DETACHED)
    assert load_placement(path, "poste-1") == DETACHED


@pytest.mark.expected_logs("csu.storage")
def test_an_unwritable_folder_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "wall-screen.json"
    assert not save_placement(path, "poste-1", DETACHED)
    assert load_placement(path, "poste-1") == ATTACHED
