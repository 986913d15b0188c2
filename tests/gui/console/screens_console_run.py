"""The real console in a process of its own, on Qt's offscreen platform given the
screens of a JSON file (``QT_QPA_PLATFORM=offscreen:configfile=FILE``, Qt 6's
offscreen plugin: one entry per screen, with its name and geometry). It plays a few
steps on the camera wall's placement and writes what it saw as JSON.

Run by ``test_screens_two_monitors.py`` (a test session has one QApplication, with
one offscreen screen: several screens need a process started with them)::

    python screens_console_run.py CONFIG_DIR DATA_DIR REPORT.json state,f12,state
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSplitter

from csu_console.app import Console
from csu_console.startup import RunOptions

STATION = "poste-2-ecrans"


def spin(app: QApplication, until: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > deadline:
            raise SystemExit(f"délai dépassé : {until}")
        app.processEvents()
        time.sleep(0.01)


def state(console: Console) -> dict[str, Any]:
    detacher = console.screens.detacher
    window, wall = detacher.window, console.wall
    g = window.geometry()
    home = wall.parentWidget()
    active = QApplication.activeWindow()
    return {
        "detached": detacher.detached,
        "wall_window": "detached" if wall.window() is window else "console",
        "visible": window.isVisible(),
        "screen": window.screen().name() if window.isVisible() else None,
        "full_screen": window.isFullScreen(),
        "geometry": [g.x(), g.y(), g.width(), g.height()],
        "console_screen": console.window.screen().name(),
        "active": "console" if active is console.window else repr(active),
        "right_column": home.count() if isinstance(home, QSplitter) else None,
        "map_alone": console.map_pane.parentWidget() is not None
        and getattr(console.map_pane.parentWidget(), "count", lambda: 0)() == 1,
        "message": console.window.statusBar().currentMessage(),
        "waiting": console.screens.waiting_label.text()
        if console.screens.waiting_label.isVisible()
        else "",
        "waiting_tip": console.screens.waiting_label.toolTip(),
        "detach_enabled": console.screens.detach_action.isEnabled(),
        "attach_enabled": console.screens.attach_action.isEnabled(),
        "tiles": len(wall.tiles),
    }


def main() -> int:
    config, data, report, steps = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    app = QApplication(sys.argv[:1])
    console = Console(
        app,
        RunOptions(
            config,
            data,
            gateway="ws://127.0.0.1:9/",  # never reached: the link is not started
            station=STATION,
            autologin="operateur",
        ),
    )
    # These runs are about screens: the link's process (a child that waits for its
    # gateway, then for its stop) is not started; everything else is the console's.
    console.link.start = lambda: None  # type: ignore[method-assign]
    console.start()
    spin(app, lambda: console.session.account is not None and console.window.isVisible())
    detacher = console.screens.detacher
    seen: list[dict[str, Any]] = []
    screens = [[s.name(), *s.geometry().getRect()] for s in app.screens()]
    for step in steps.split(","):
        # A window just shown hands the keyboard back to the console (or fails here).
        spin(app, lambda: not detacher.window.giving_back)
        spin(app, lambda: QApplication.activeWindow() is console.window, 5.0)
        if step == "state":
            seen.append(state(console))
        elif step == "f12":  # the operator presses F12 in the console
            was = detacher.detached
            QTest.keyClick(console.window, Qt.Key.Key_F12)
            spin(app, lambda: detacher.detached is not was)  # noqa: B023 - waited here
        elif step.startswith("menu:"):  # « Vidéo › Mur d'images sur l'écran › NAME »
            menu = console.screens.screens_menu
            menu.aboutToShow.emit()
            entry = next(a for a in menu.actions() if a.text().startswith(step[5:] + " "))
            entry.trigger()
            spin(app, lambda: detacher.on_screen == step[5:])  # noqa: B023 - waited here
        elif step == "close":  # the window manager's close button on the wall
            detacher.window.close()
            spin(app, lambda: not detacher.detached)
        else:
            raise SystemExit(f"étape inconnue : {step}")
    console.stop()
    Path(report).write_text(json.dumps({"screens": screens, "states": seen}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
