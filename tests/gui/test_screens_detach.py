"""The wall detached into its own window (``ui/wall/detach.py``), on the test
session's one offscreen screen: the same tiles and streams go with it and come
back to their place; its keys work there; a new alert never takes the keyboard
from the console nor from the detached wall. (Two screens, the menu, F12 and a
restart: ``tests/gui/console/test_screens_two_monitors.py``.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QWidget

from csu_console.config import Camera
from csu_console.core.attention import Attention, Front
from csu_console.core.geo import destination_point
from csu_console.media.stream_server.control import RtspServerProcess
from csu_console.media.video.backend import create_source
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import HealthSettings
from csu_console.storage.wall_screen import load_placement
from csu_console.ui.console.attention import AttentionRouter
from csu_console.ui.wall.detach import WallDetacher
from csu_console.ui.wall.video_bridge import VideoBridge
from csu_console.ui.wall.wall import CameraWall, WallEntry

TZ = ZoneInfo("Europe/Paris")
STATION = "poste-ecran"


def cam(n: int, url: str) -> Camera:
    lon, lat = destination_point(24.945, 60.168, 180.0, 40.0 + 10 * n)
    return Camera(
        id=f"cam0{n}", name=f"Caméra {n}", kind="fixe", lon=lon, lat=lat, heading_deg=0.0,
        fov_deg=60.0, range_m=150.0, stream_main=url, stream_sub=None,
    )  # fmt: skip


class Rig:
    """A console-like window: the queue on the left, the map over the wall on the
    right (as ``ui/console/panes.py`` builds it), and a detacher over the wall."""

    def __init__(self, qtbot: Any, pool: StreamPool, bridge: VideoBridge, store: Path) -> None:
        self.console = QMainWindow()
        self.console.setWindowTitle("console")
        qtbot.addWidget(self.console)
        outer = QSplitter(Qt.Orientation.Horizontal, self.console)
        self.queue = QWidget(outer)
        self.right = QSplitter(Qt.Orientation.Vertical, outer)
        self.map = QWidget(self.right)
        self.wall = CameraWall(pool, bridge, TZ, self.right, columns=2)
        self.right.addWidget(self.map)
        self.right.addWidget(self.wall)
        outer.addWidget(self.queue)
        outer.addWidget(self.right)
        self.console.setCentralWidget(outer)
        self.console.resize(780, 700)
        self.console.show()
        self.right.setSizes([200, 480])
        self.detacher = WallDetacher(self.wall, self.console, STATION, store, self.console)
        qtbot.addWidget(self.detacher.window)


@pytest.fixture
def rig(qtbot: Any, rtsp_server: RtspServerProcess, tmp_path: Path) -> Iterator[Rig]:
    bridge = VideoBridge()
    pool = StreamPool(create_source, bridge, HealthSettings(), grace_s=5.0)
    rig = Rig(qtbot, pool, bridge, tmp_path / "wall-screen.json")
    url = rtsp_server.url
    entries = [WallEntry(cam(1, url("cam01")), 1), WallEntry(cam(2, url("cam02")), 2)]
    rig.wall.show_entries(entries, "Alerte n° 3")
    try:
        yield rig
    finally:
        rig.detacher.stop()
        rig.wall.release_all()
        pool.stop_all()


def activate(qtbot: Any, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def settled(qtbot: Any, rig: Rig) -> None:
    """The detached window shown, and the keyboard back in the console: the offscreen
    platform activates every window it shows, the detached window hands it back
    (under a window manager it is not activated at all)."""
    window = rig.detacher.window
    qtbot.waitUntil(
        lambda: not window.giving_back and QApplication.activeWindow() is rig.console,
        timeout=3000,
    )


def test_the_wall_detaches_with_its_streams_and_comes_back_to_its_place(
    qtbot: Any, rig: Rig, tmp_path: Path
) -> None:
    tiles = rig.wall.visible_tiles()[:2]
    qtbot.waitUntil(lambda: all(t.current_frame() is not None for t in tiles), timeout=10_000)
    sources = [t.source for t in tiles]
    activate(qtbot, rig.console)
    sizes = rig.right.sizes()

    rig.detacher.detach()
    window = rig.detacher.window
    assert rig.wall.window() is window and window.isVisible() and window.isFullScreen()
    assert window.geometry() == window.screen().geometry()
    assert rig.right.count() == 1  # the map has the whole column
    # The console keeps the keyboard (the offscreen platform activates every window
    # it shows: the detached window hands it back).
    settled(qtbot, rig)
    # The same tiles, the same streams, still decoding and painted in the new window.
    assert [t.source for t in tiles] == sources
    seqs = [t.current_frame().seq for t in tiles]  # type: ignore[union-attr]
    painted = [t.frames_painted for t in tiles]
    qtbot.waitUntil(
        lambda: all(
            t.current_frame().seq > s and t.frames_painted > p  # type: ignore[union-attr]
            for t, s, p in zip(tiles, seqs, painted, strict=True)
        ),
        timeout=5000,
    )
    saved = load_placement(tmp_path / "wall-screen.json", STATION)
    assert saved.detached and saved.screen == window.screen().name() and saved.full_screen
    assert saved.index == 0  # the session's one screen

    window.close()  # the window manager's close button: back to the console
    assert rig.wall.window() is rig.console and not window.isVisible()
    assert shiboken6.isValid(rig.wall) and rig.right.indexOf(rig.wall) == 1
    assert rig.right.sizes() == sizes
    assert [t.source for t in tiles] == sources
    assert not load_placement(tmp_path / "wall-screen.json", STATION).detached
    raw = json.loads((tmp_path / "wall-screen.json").read_text(encoding="utf-8"))
    assert raw["stations"][STATION]["detached"] is False


def test_the_walls_keys_work_in_the_detached_window(qtbot: Any, rig: Rig) -> None:
    activate(qtbot, rig.console)
    rig.detacher.detach(full_screen=False)
    window = rig.detacher.window
    assert not window.isFullScreen()
    settled(qtbot, rig)
    activate(qtbot, window)  # the operator clicks into the detached wall
    rig.wall.tiles[1].setFocus()
    with qtbot.waitSignal(rig.wall.replay_requested, timeout=2000) as replay:
        qtbot.keyClick(rig.wall.tiles[1], Qt.Key.Key_F11)  # « Relecture » of that tile
    assert replay.args == ["cam02"]
    with qtbot.waitSignal(rig.wall.wall_replay_requested, timeout=2000):
        qtbot.keyClick(rig.wall, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    qtbot.mouseDClick(rig.wall.tiles[0], Qt.MouseButton.LeftButton)  # one camera alone
    assert rig.wall.single is not None and rig.wall.single.id == "cam01"
    rig.wall.setFocus()
    qtbot.keyClick(rig.wall, Qt.Key.Key_Escape)  # back to the grid
    assert rig.wall.single is None


def test_a_new_alert_leaves_the_keyboard_where_the_operator_is(qtbot: Any, rig: Rig) -> None:
    router = AttentionRouter(rig.console)
    router.include(rig.detacher.window)
    activate(qtbot, rig.console)
    rig.detacher.detach()
    window = rig.detacher.window
    settled(qtbot, rig)
    # The operator types in the console: an alert changes nothing in front.
    assert router.interrupt() is Attention.NONE
    qtbot.wait(50)
    assert QApplication.activeWindow() is rig.console
    # The operator works in the detached wall (a replay, keys): the alert leaves it.
    activate(qtbot, window)
    assert router.focus_state().front is Front.CONSOLE
    assert router.interrupt() is Attention.NONE
    qtbot.wait(50)
    assert QApplication.activeWindow() is window and window.isVisible()
    # Without being counted as the console's, the detached wall would be « another
    # window » and the console would be raised over it, taking the keyboard.
    unaware = AttentionRouter(rig.console)
    assert unaware.focus_state().front is Front.ELSEWHERE


def test_detaching_twice_moves_and_attaching_twice_does_nothing(qtbot: Any, rig: Rig) -> None:
    seen: list[bool] = []
    rig.detacher.detached_changed.connect(seen.append)
    rig.detacher.attach()  # attached already
    assert seen == [] and rig.right.count() == 2
    rig.detacher.detach(full_screen=False)
    rig.detacher.detach()  # again: full screen now, same window
    assert rig.detacher.window.isFullScreen() and rig.wall.window() is rig.detacher.window
    rig.detacher.attach()
    rig.detacher.attach()
    assert seen == [True, True, False] and rig.right.indexOf(rig.wall) == 1


@pytest.mark.expected_logs("csu.ui")  # « écran débranché » is a warning
def test_an_unplugged_screen_brings_the_wall_back_until_it_returns(
    qtbot: Any, rig: Rig, tmp_path: Path
) -> None:
    """What Qt's ``screenRemoved`` / ``screenAdded`` call (this platform cannot
    unplug its one screen: the slots are called with it)."""
    waiting: list[str] = []
    rig.detacher.waiting_changed.connect(waiting.append)
    rig.detacher.detach()
    screen = rig.detacher.window.screen()
    rig.detacher._on_screen_removed(screen)
    assert not rig.detacher.detached and rig.right.indexOf(rig.wall) == 1
    assert waiting == [screen.name()]
    # The choice stays on disk: the next start puts the wall back on that screen.
    assert load_placement(tmp_path / "wall-screen.json", STATION).detached
    rig.detacher._on_screen_added(screen)  # plugged back in
    assert rig.detacher.detached and rig.detacher.window.isFullScreen()
    assert waiting == [screen.name(), ""]
