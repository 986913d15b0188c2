"""« Relecture du mur »: every tile replays at the same instant on one clock, and
stays in step (within 0.5 s of each other) through play, speed and jumps."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from wall_replay_rig import BEFORE_S, TZ, Rig, rig

from csu_console.media.stream_server.timecode import read_timecode

__all__ = ["rig"]  # the fixture, shared with the tile's tests


def filmed(rig: Rig) -> dict[str, float]:
    out = {}
    for tile in rig.wall.visible_tiles():
        at = tile.filmed_at()
        if tile.replaying and tile.camera is not None and at is not None:
            out[tile.camera.id] = at
    return out


def in_step(rig: Rig, near: datetime, within: float) -> bool:
    times = filmed(rig)
    return (
        len(times) == 3
        and max(times.values()) - min(times.values()) <= 0.5
        and all(abs(t - near.timestamp()) <= within for t in times.values())
    )


def test_the_wall_replays_every_tile_in_step(qtbot: Any, rig: Rig) -> None:
    origin = rig.site.origin
    item = rig.alert(origin + timedelta(seconds=10 + BEFORE_S))
    rig.ctl.on_alert_selected(item)
    assert len(rig.wall.shown_cameras()) == 3
    qtbot.mouseClick(rig.wall.wall_replay_button, Qt.MouseButton.LeftButton)
    run = rig.ctl.replay.run
    assert (
        run is not None
        and run.whole_wall
        and sorted(run.sources)
        == [
            "cam-01",
            "cam-02",
            "cam-03",
        ]
    )
    assert all(t.replaying for t in rig.wall.visible_tiles() if t.camera is not None)
    assert all(t.clock is run.clock for t in rig.wall.visible_tiles() if t.camera is not None)
    # one « Direct » for the whole wall (its bar): the tiles' headers keep the names
    assert not any(t.replay_button.isVisible() for t in rig.wall.visible_tiles())
    assert rig.wall.replay_bar.buttons["live"].isVisible()
    start = origin + timedelta(seconds=10)
    qtbot.waitUntil(lambda: in_step(rig, start, 1.0), timeout=15000)
    # what the pictures show agrees (their QR timecodes), tile by tile
    for tile in rig.wall.visible_tiles():
        frame = tile.current_frame()
        if frame is None or not tile.replaying:
            continue
        code = read_timecode(frame.image)
        assert code is not None and frame.at is not None
        assert abs(code.unix(origin.timestamp()) - frame.at) <= 0.1

    # playing at 4×, the tiles keep in step (sampled while they play)
    run.clock.set_speed(4.0)
    spreads = []

    def sample() -> bool:
        times = filmed(rig)
        if len(times) == 3:
            spreads.append(max(times.values()) - min(times.values()))
        return len(spreads) >= 15

    qtbot.waitUntil(sample, timeout=15000)
    # a repaint may lag one frame behind another tile's: most samples in step
    assert sorted(spreads)[len(spreads) // 2] <= 0.5
    # a jump: every tile goes there
    target = origin + timedelta(seconds=40)
    run.clock.pause()
    run.clock.seek(target)
    qtbot.waitUntil(lambda: in_step(rig, target, 0.5), timeout=15000)
    shown = datetime.fromtimestamp(min(filmed(rig).values()), TZ).strftime("%H:%M:%S")
    bar = rig.wall.replay_bar
    # the bar follows at its next tick (a fifth of a second)
    qtbot.waitUntil(
        lambda: bar.state_label.full_text().startswith("RELECTURE " + shown), timeout=2000
    )
    label = bar.state_label.full_text()
    assert "×4 · PAUSE" in label and "tout le mur (3 caméras)" in label

    # one lane per camera on the timeline, with their coverage
    timeline = rig.wall.replay_bar.timeline
    assert timeline.camera_ids == ["cam-01", "cam-02", "cam-03"] or sorted(timeline.camera_ids) == [
        "cam-01",
        "cam-02",
        "cam-03",
    ]
    qtbot.waitUntil(lambda: len(timeline.coverages) == 3, timeout=10000)

    # Maj+F11 (or the button again): back to live, one record for the whole wall
    rig.wall.activateWindow()
    qtbot.waitUntil(rig.wall.isActiveWindow, timeout=3000)
    qtbot.keyClick(rig.wall, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    assert rig.ctl.replay.run is None
    assert not any(t.replaying for t in rig.wall.visible_tiles())
    qtbot.waitUntil(lambda: len(rig.viewed()) == 2, timeout=5000)
    details = rig.viewed()[-1][2]
    assert details["wall"] is True and sorted(details["cameras"]) == ["cam-01", "cam-02", "cam-03"]
    assert datetime.fromisoformat(details["to"]) >= target - timedelta(seconds=1)
