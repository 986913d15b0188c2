"""The wall on a second screen with the real console and two virtual screens.

Qt's offscreen platform fakes several screens from a JSON file given as a platform
option (``QT_QPA_PLATFORM=offscreen:configfile=FILE``, ``{"screens": [{"name",
"x", "y", "width", "height"}…]}``); the test session's QApplication has one screen,
so each run is a console process of its own (``screens_console_run.py``), on the
same data folder: a restart is the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from support import CONFIG_DIR

from csu_console.storage.wall_screen import FILE_NAME, load_placement

RUNNER = Path(__file__).with_name("screens_console_run.py")
STATION = "poste-2-ecrans"
LEFT = {"name": "DP-1", "x": 0, "y": 0, "width": 1920, "height": 1080}
RIGHT = {"name": "HDMI-2", "x": 1920, "y": 0, "width": 1920, "height": 1080}


def run(tmp_path: Path, screens: list[dict[str, Any]], steps: str) -> list[dict[str, Any]]:
    """Start the console on ``screens``, play ``steps``, quit; what it saw."""
    platform = tmp_path / f"screens-{len(screens)}.json"
    platform.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    report = tmp_path / "report.json"
    report.unlink(missing_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={platform}")
    proc = subprocess.run(
        [sys.executable, str(RUNNER), str(tmp_path / "config"), str(tmp_path / "data"),
         str(report), steps],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(report.read_text(encoding="utf-8"))
    assert [s[0] for s in seen["screens"]] == [s["name"] for s in screens]
    return list(seen["states"])


def test_the_wall_goes_to_the_second_screen_and_stays_there_across_restarts(
    tmp_path: Path,
) -> None:
    shutil.copytree(CONFIG_DIR, tmp_path / "config")
    store = tmp_path / "data" / FILE_NAME

    # F12 in the console: the wall full screen on the other screen; F12 again: back.
    before, out, back, again = run(tmp_path, [LEFT, RIGHT], "state,f12,state,f12,state,f12,state")
    assert before["wall_window"] == "console" and not before["visible"]
    assert before["console_screen"] == "DP-1" and before["right_column"] == 2
    assert before["detach_enabled"] and not before["attach_enabled"]
    assert out["wall_window"] == "detached" and out["screen"] == "HDMI-2"
    assert out["full_screen"] and out["geometry"] == [1920, 0, 1920, 1080]
    assert out["map_alone"]  # the map takes the wall's room in the console
    assert out["active"] == "console"  # the keyboard stayed in the console
    assert out["attach_enabled"] and not out["detach_enabled"]
    assert "HDMI-2" in out["message"]
    assert back["wall_window"] == "console" and not back["visible"]
    assert back["right_column"] == 2 and back["tiles"] == 16
    assert again["screen"] == "HDMI-2" and again["full_screen"]
    saved = load_placement(store, STATION)
    assert saved.detached and saved.screen == "HDMI-2" and saved.full_screen
    assert saved.index == 1

    # Restarted: the wall is back on HDMI-2 by itself; closing its window re-attaches.
    restored, closed, out, moved = run(
        tmp_path, [LEFT, RIGHT], "state,close,state,f12,state,menu:DP-1,state,menu:HDMI-2"
    )
    assert restored["wall_window"] == "detached" and restored["screen"] == "HDMI-2"
    assert restored["full_screen"] and restored["geometry"] == [1920, 0, 1920, 1080]
    assert restored["active"] == "console"
    assert closed["wall_window"] == "console" and not closed["visible"]
    assert closed["tiles"] == 16  # the same wall, not destroyed
    assert out["screen"] == "HDMI-2" and out["full_screen"]
    # « Vidéo › Mur d'images sur l'écran › DP-1 »: any screen, the console's included.
    assert moved["screen"] == "DP-1" and moved["geometry"] == [0, 0, 1920, 1080]
    assert load_placement(store, STATION).screen == "HDMI-2"  # and back there by the menu

    # HDMI-2 unplugged before the next start: the wall stays in the console, and says so.
    (alone,) = run(tmp_path, [LEFT], "state")
    assert alone["wall_window"] == "console" and not alone["visible"]
    assert alone["right_column"] == 2
    # In the status bar as long as it waits (the start-up message scrolls away).
    assert alone["waiting"] == "Écran du mur absent : HDMI-2"
    assert "n'est pas branché" in alone["waiting_tip"]
    # The choice is kept for when the screen comes back (the next start detaches).
    assert load_placement(store, STATION).screen == "HDMI-2"
    assert out["waiting"] == ""
