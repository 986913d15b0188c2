"""Replay in the real console (``app.Console`` on a copy of the demo site, its
recording folder a copy of the session's recorded site): « Relecture » reaches the
recordings the assembly found, and the replay's controls and timeline fit the
screen without growing the window (the hands-on report's 1366-px screen)."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QSplitter, QWidget
from support import CONFIG_DIR

from csu_console.app import Console
from csu_console.core.alerts import Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.startup import RunOptions

SCREENS = (QSize(1920, 1080), QSize(1366, 768))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def console(
    qtbot: Any, qapp: QApplication, tmp_path: Path, recorded_site: Any
) -> Iterator[Console]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(recorded_site.root, data / "recordings")  # [recorder] dir's default
    console = Console(
        qapp,
        RunOptions(CONFIG_DIR, data, gateway=f"ws://127.0.0.1:{free_port()}/", autologin="demo"),
    )
    qtbot.addWidget(console.window)
    try:
        console.start()
        yield console
    finally:
        console.stop()


def inside(window: QWidget, widget: QWidget) -> bool:
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return widget.isVisible() and window.rect().contains(rect)


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
@pytest.mark.parametrize("columns", [2, 3], ids=["2x2", "3x3"])
@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_wall_replays_in_the_console_and_fits_the_screen(
    console: Console, make: Any, qtbot: Any, recorded_site: Any, screen: QSize, columns: int
) -> None:
    cam = next(c for c in console.site.cameras if c.id == "cam-01")
    reported = recorded_site.origin + timedelta(seconds=70)
    alert = make.alert(
        category=Category.CAMBRIOLAGE,
        priority=2,
        sent=reported,
        location=Location(cam.lat, cam.lon, "devant la caméra 1", 10.0),
    )
    station = console.settings.station
    console.tasks.run(
        lambda s: s.commit_batch([AlertMessage(None, alert)], station),
        console.bridge.frames_committed.emit,
    )
    qtbot.waitUntil(lambda: console.model.rowCount() == 1, timeout=5000)
    console.wall.set_columns(columns)
    window = console.window
    window.showNormal()
    window.resize(screen)
    qtbot.waitUntil(lambda: window.size() == screen, timeout=5000)
    hint = window.minimumSizeHint()
    # nothing selected: the wall follows the banner's alert
    qtbot.waitUntil(lambda: bool(console.wall.shown_cameras()), timeout=5000)
    shown = [c.id for c in console.wall.shown_cameras()]
    assert "cam-01" in shown

    ctl = console.wall_controller
    right = console.wall.parentWidget()
    assert isinstance(right, QSplitter)
    live_sizes = right.sizes()
    ctl.on_wall_replay_requested()
    run = ctl.replay.run
    assert run is not None and run.whole_wall
    assert abs((run.start - (reported - timedelta(seconds=60))).total_seconds()) < 0.01
    tile = next(t for t in console.wall.visible_tiles() if t.camera and t.camera.id == "cam-01")
    qtbot.waitUntil(lambda: tile.filmed_at() is not None, timeout=10000)
    at = tile.filmed_at()
    assert at is not None
    assert abs(at - (reported - timedelta(seconds=60)).timestamp()) <= 1.0

    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= max(hint.width(), 1280)
    assert window.size() == screen
    bar = console.wall.replay_bar
    for widget in (bar.state_label, bar.buttons["live"], bar.timeline):
        assert inside(window, widget), widget
    # The map gives up height to the replayed wall (still visible), and gets it back.
    replay_sizes = right.sizes()
    assert replay_sizes[0] < live_sizes[0] and replay_sizes[1] > live_sizes[1]
    assert replay_sizes[0] >= sum(replay_sizes) // 5
    ctl.back_to_live()
    assert not bar.isVisible() and not tile.replaying
    assert right.sizes() == live_sizes
