"""« Relecture » on a tile, on real recordings (see ``wall_replay_rig``): the picture
from before the report and its filmed time, gaps, the controls and their keys, the
CNIL record, the permission."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from wall_replay_rig import BEFORE_S, TZ, Rig, rig, wait_filmed

from csu_console.core.recording import GapReason
from csu_console.media.replay.source import ReplayFeeds
from csu_console.media.stream_server.timecode import read_timecode
from csu_console.media.video.source import StreamState
from csu_console.recorder.index import RecordingIndex
from csu_console.ui.wall.wall import WallEntry

__all__ = ["rig"]  # the fixture


def test_relecture_on_a_tile_shows_the_recording_from_before_the_report(
    qtbot: Any, rig: Rig
) -> None:
    origin = rig.site.origin
    reported = origin + timedelta(seconds=30)
    item = rig.alert(reported)
    rig.ctl.on_alert_selected(item)
    tile = rig.tile_of("cam-02")
    live = tile.source
    assert live is not None and not tile.replaying
    assert tile.replay_button.text() == "Relecture" and tile.replay_button.isVisible()

    qtbot.mouseClick(tile.replay_button, Qt.MouseButton.LeftButton)
    # the camera alone (a picture large enough under the controls), in replay
    assert rig.wall.single is not None and rig.wall.single.id == "cam-02"
    tile = rig.tile_of("cam-02")
    assert tile.replaying and tile.source is not live
    assert rig.wall.replay_bar.isVisible()
    start = reported - timedelta(seconds=BEFORE_S)
    at = wait_filmed(qtbot, tile, start)
    # The picture itself says when it was filmed (its QR timecode): the time the
    # tile shows is the time of what it shows, not the engine agreeing with itself.
    frame = tile.current_frame()
    assert frame is not None and frame.at == at
    code = read_timecode(frame.image)
    assert code is not None
    assert abs(code.unix(origin.timestamp()) - at) <= 0.1
    stamp = datetime.fromtimestamp(at, TZ).strftime("%H:%M:%S")
    assert tile.state_text()[0].startswith("RELECTURE " + stamp[:5])
    assert tile.replay_button.text() == "Direct"
    assert not tile.snap_button.isVisible()  # no « cliché » of a recording
    # the live streams stay held meanwhile: back to live is instant
    assert live.url in rig.wall._pool.active_urls()
    image = tile.grab().toImage()
    assert image.pixelColor(2, tile.height() // 2).name() == "#b388ff"  # the violet frame
    assert image.pixelColor(tile.width() // 2, tile.height() - 10).name() == "#4a148c"

    # the timeline: the alert's marks, the cursor at the clock, the coverage read
    timeline = rig.wall.replay_bar.timeline
    qtbot.waitUntil(lambda: "cam-02" in timeline.coverages, timeout=10000)
    assert [m.kind.value for m in timeline.marks][:2] == ["reported", "received"]
    cover = timeline.coverages["cam-02"]
    assert cover.recorded_at(origin + timedelta(seconds=5))
    assert timeline.at_cursor is not None
    assert abs((timeline.at_cursor - start).total_seconds()) < 5

    # back to live: the grid again, the same live source, the bar hidden, the
    # record written
    qtbot.mouseClick(tile.replay_button, Qt.MouseButton.LeftButton)
    assert rig.wall.single is None
    tile = rig.tile_of("cam-02")
    assert not tile.replaying and tile.source is live
    assert not rig.wall.replay_bar.isVisible()
    qtbot.waitUntil(lambda: len(rig.viewed()) == 2, timeout=5000)
    (pk1, op1, first), (pk2, op2, last) = rig.viewed()
    assert (pk1, pk2, op1, op2) == (item.pk, item.pk, "op1", "op1")
    assert first["phase"] == "start" and last["phase"] == "end"
    assert first["cameras"] == last["cameras"] == ["cam-02"]
    assert last["why"] == "direct" and "Alerte n°" in last["context"]
    seen_from = datetime.fromisoformat(last["from"])
    seen_to = datetime.fromisoformat(last["to"])
    assert abs((seen_from - start).total_seconds()) <= 1.5
    assert seen_to >= seen_from


def test_a_gap_shows_no_recording_and_is_drawn_on_the_timeline(qtbot: Any, rig: Rig) -> None:
    origin = rig.site.origin
    end = origin + timedelta(seconds=rig.site.seconds)
    # the recorder logged the camera down for a while after its 60 s
    index = RecordingIndex(rig.root)
    gap = index.open_gap("cam-01", end, GapReason.CAMERA_DOWN)
    index.close_gap(gap, end + timedelta(seconds=30))
    index.close()
    item = rig.alert(origin + timedelta(seconds=40 + BEFORE_S))
    rig.ctl.on_alert_selected(item)
    rig.ctl.on_replay_requested("cam-01")
    tile = rig.tile_of("cam-01")
    wait_filmed(qtbot, tile, origin + timedelta(seconds=40))

    rig.ctl.replay.seek(end + timedelta(seconds=10))
    qtbot.waitUntil(
        lambda: tile.status is not None and tile.status.state is StreamState.GAP, timeout=10000
    )
    text, _color = tile.center_text() or ("", None)
    assert text == "CAMÉRA HORS SERVICE"
    assert tile.state_text()[0].startswith("RELECTURE")
    # no time (there is no picture), the reason instead: a small tile has no room
    # for its middle
    assert tile.state_text()[0] == "RELECTURE · CAMÉRA HORS SERVICE"
    image = tile.grab().toImage()
    # the middle is the neutral gap ground under the reason, not the last picture
    row = [image.pixelColor(x, tile.height() // 2).name() for x in range(tile.width())]
    assert row.count("#455a64") > 100
    assert row[20] == row[-20] == "#101418"  # around it, the empty tile: no picture

    timeline = rig.wall.replay_bar.timeline
    qtbot.waitUntil(lambda: "cam-01" in timeline.coverages, timeout=10000)
    lane = timeline.lane_rect(0)
    x = int(timeline.x_of(end + timedelta(seconds=10)))
    hit = timeline.gap_at(QPoint(x, lane.center().y()))
    assert hit is not None and hit[1].reason is GapReason.CAMERA_DOWN
    assert "caméra hors service" in timeline.tooltip_at(QPoint(x, lane.center().y()))
    recorded_x = int(timeline.x_of(origin + timedelta(seconds=30)))
    assert timeline.gap_at(QPoint(recorded_x, lane.center().y())) is None
    # a click on the timeline seeks there
    epoch = rig.ctl.replay.run.clock.epoch if rig.ctl.replay.run else -1
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(recorded_x, lane.center().y()))
    run = rig.ctl.replay.run
    assert run is not None and run.clock.epoch > epoch
    assert abs((run.clock.position() - (origin + timedelta(seconds=30))).total_seconds()) < 3
    wait_filmed(qtbot, tile, origin + timedelta(seconds=30), within=3.0)


def test_each_control_and_its_key_changes_the_clock(qtbot: Any, rig: Rig) -> None:
    origin = rig.site.origin
    item = rig.alert(origin + timedelta(seconds=20 + BEFORE_S))
    rig.ctl.on_alert_selected(item)
    rig.ctl.on_replay_requested("cam-03")
    run = rig.ctl.replay.run
    assert run is not None
    clock, bar, wall = run.clock, rig.wall.replay_bar, rig.wall
    tile = rig.tile_of("cam-03")
    wait_filmed(qtbot, tile, origin + timedelta(seconds=20), within=1.5)
    wall.activateWindow()
    wall.setFocus()
    qtbot.waitUntil(wall.isActiveWindow, timeout=3000)

    def key(k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(wall, k, mod)

    # play / pause: the button, then Espace
    qtbot.mouseClick(bar.buttons["play"], Qt.MouseButton.LeftButton)
    assert not clock.playing and "PAUSE" in tile.replay_text()
    key(Qt.Key.Key_Space)
    assert clock.playing
    key(Qt.Key.Key_Space)
    assert not clock.playing
    paused_at = clock.position()
    # ±10 s: buttons and ← →
    qtbot.mouseClick(bar.buttons["forward10"], Qt.MouseButton.LeftButton)
    assert (clock.position() - paused_at).total_seconds() == pytest.approx(10, abs=0.01)
    key(Qt.Key.Key_Left)
    assert (clock.position() - paused_at).total_seconds() == pytest.approx(0, abs=0.01)
    key(Qt.Key.Key_Right)
    qtbot.mouseClick(bar.buttons["back10"], Qt.MouseButton.LeftButton)
    assert (clock.position() - paused_at).total_seconds() == pytest.approx(0, abs=0.01)
    # frame step: buttons and Maj+← / Maj+→
    qtbot.mouseClick(bar.buttons["step_forward"], Qt.MouseButton.LeftButton)
    key(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert (clock.position() - paused_at).total_seconds() == pytest.approx(0.08, abs=0.001)
    key(Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    qtbot.mouseClick(bar.buttons["step_back"], Qt.MouseButton.LeftButton)
    assert (clock.position() - paused_at).total_seconds() == pytest.approx(0, abs=0.001)
    # the picture follows the clock, paused: the frame at (or just before) it
    wait_filmed(qtbot, tile, paused_at, within=0.5)
    # speeds: buttons, ↑ ↓, the digits
    qtbot.mouseClick(bar.buttons["speed4"], Qt.MouseButton.LeftButton)
    assert clock.speed == 4.0 and bar.buttons["speed4"].isChecked()
    key(Qt.Key.Key_Up)
    assert clock.speed == 8.0
    key(Qt.Key.Key_Up)
    assert clock.speed == 8.0  # the fastest
    key(Qt.Key.Key_Down)
    assert clock.speed == 4.0
    key(Qt.Key.Key_1)
    assert clock.speed == 1.0
    key(Qt.Key.Key_2)
    assert clock.speed == 2.0
    assert "×2" in tile.replay_text()
    # Échap: back to live
    key(Qt.Key.Key_Escape)
    assert rig.ctl.replay.run is None and not tile.replaying
    # out of replay the keys do nothing to a clock (and Espace is free again)
    key(Qt.Key.Key_Space)
    assert not any(a.isEnabled() for a in wall.replay_keys.values())


def test_f11_replays_the_tile_and_goes_back_to_live(qtbot: Any, rig: Rig) -> None:
    origin = rig.site.origin
    rig.ctl.on_alert_selected(rig.alert(origin + timedelta(seconds=15 + BEFORE_S)))
    wall = rig.wall
    wall.activateWindow()
    qtbot.waitUntil(wall.isActiveWindow, timeout=3000)
    tile = wall.visible_tiles()[1]
    camera = tile.camera
    assert camera is not None
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)  # the tile clicked is the one F11 takes
    qtbot.keyClick(wall, Qt.Key.Key_F11)
    assert wall.single is camera
    assert [t.camera for t in wall.visible_tiles() if t.replaying] == [camera]
    qtbot.keyClick(wall, Qt.Key.Key_F11)
    assert wall.single is None and not any(t.replaying for t in wall.visible_tiles())


def test_outside_an_alert_the_reason_is_asked_and_logged(qtbot: Any, rig: Rig) -> None:
    camera = rig.cameras[0]
    rig.ctl.view_camera(camera, "contrôle d'un attroupement signalé par téléphone")
    rig.ctl.on_replay_requested(camera.id)
    dialog = rig.ctl.reason_dialog
    assert dialog is not None and rig.ctl.replay.run is None  # nothing before the reason
    dialog.setTextValue("  vérification   d'un vol signalé  ")
    dialog.accept()
    run = rig.ctl.replay.run
    assert run is not None and run.alert_pk is None
    expected = datetime.now(UTC) - timedelta(seconds=BEFORE_S)
    assert abs((run.start - expected).total_seconds()) < 5
    rig.ctl.back_to_live()
    qtbot.waitUntil(lambda: len(rig.viewed()) == 2, timeout=5000)
    for pk, _op, details in rig.viewed():
        assert pk is None and details["reason"] == "vérification d'un vol signalé"
        assert details["cameras"] == [camera.id]
    # a blank reason replays nothing
    rig.ctl.on_replay_requested(camera.id)
    dialog = rig.ctl.reason_dialog
    assert dialog is not None
    dialog.setTextValue("   ")
    dialog.accept()
    assert rig.ctl.replay.run is None


def test_refused_without_the_permission_to_view_recordings(qtbot: Any, rig: Rig) -> None:
    from csu_console.core.accounts import Account
    from csu_console.core.roles import Role
    from csu_console.ui.console.session import Session

    session = Session()
    rig.ctl.session = session
    session.changed.connect(rig.ctl.on_session_changed)
    session.log_in(Account("inst", "Installateur", Role.INSTALLATEUR))
    rig.ctl.on_alert_selected(rig.alert(rig.site.origin + timedelta(seconds=70)))
    tile = rig.tile_of("cam-01")
    assert not tile.replay_button.isEnabled()
    assert not rig.wall.wall_replay_button.isEnabled()
    messages: list[str] = []
    rig.ctl.message.connect(messages.append)
    rig.ctl.on_replay_requested("cam-01")  # F11 anyway
    rig.ctl.on_wall_replay_requested()
    assert rig.ctl.replay.run is None and not tile.replaying
    assert messages and messages[-1].startswith("Action réservée")
    assert rig.viewed() == []
    # an operator may; logging out ends the replay, in the name of who watched
    session.log_in(Account("op1", "Opératrice", Role.OPERATEUR))
    assert tile.replay_button.isEnabled()
    rig.ctl.on_replay_requested("cam-01")
    assert rig.ctl.replay.run is not None
    session.log_out()
    assert rig.ctl.replay.run is None and not tile.replaying
    qtbot.waitUntil(lambda: len(rig.viewed()) == 2, timeout=5000)
    assert rig.viewed()[-1][2]["why"] == "changement d'opérateur"


def test_another_alert_ends_the_replay(qtbot: Any, rig: Rig) -> None:
    origin = rig.site.origin
    rig.ctl.on_alert_selected(rig.alert(origin + timedelta(seconds=70), pk_hint=1))
    rig.ctl.on_replay_requested("cam-01")
    assert rig.ctl.replay.run is not None
    rig.ctl.on_alert_selected(rig.alert(origin + timedelta(seconds=80), pk_hint=2))
    assert rig.ctl.replay.run is None
    assert not any(t.replaying for t in rig.wall.visible_tiles())
    qtbot.waitUntil(lambda: len(rig.viewed()) == 2, timeout=5000)
    assert rig.viewed()[-1][2]["why"] == "autre alerte"


def test_the_wall_shows_entries_keeps_replaying_a_camera_shown_alone(qtbot: Any, rig: Rig) -> None:
    """A double-click on the replaying tile shows it alone: still the replay."""
    origin = rig.site.origin
    rig.ctl.on_alert_selected(rig.alert(origin + timedelta(seconds=70)))
    rig.ctl.on_replay_requested("cam-02")
    tile = rig.tile_of("cam-02")
    source = tile.source
    rig.wall.show_single(next(c for c in rig.cameras if c.id == "cam-02"))
    alone = rig.wall.visible_tiles()[0]
    assert alone.source is source and alone.replaying
    rig.wall.show_entries([WallEntry(c, i + 1) for i, c in enumerate(rig.cameras)], "retour")
    assert rig.tile_of("cam-02").source is source


def test_quitting_ends_the_replay_joins_its_threads_and_logs_it(qtbot: Any, rig: Rig) -> None:
    origin = rig.site.origin
    rig.ctl.on_alert_selected(rig.alert(origin + timedelta(seconds=30 + BEFORE_S)))
    rig.ctl.on_wall_replay_requested()
    run = rig.ctl.replay.run
    assert run is not None and len(run.sources) == 3
    wait_filmed(qtbot, rig.tile_of("cam-01"), origin + timedelta(seconds=30), within=1.5)
    sources = list(run.sources.values())
    rig.ctl.stop()
    assert rig.ctl.replay.run is None
    assert all(s.join(0) for s in sources)  # the decoding threads have ended
    qtbot.waitUntil(lambda: len(rig.viewed()) == 2, timeout=5000)
    last = rig.viewed()[-1][2]
    assert last["why"] == "fermeture" and last["wall"] is True
    assert (
        abs(
            (
                datetime.fromisoformat(last["from"]) - (origin + timedelta(seconds=30))
            ).total_seconds()
        )
        <= 1.5
    )


@pytest.mark.expected_logs("csu.replay")  # « relecture de cam-01 impossible : … »
def test_no_recordings_folder_says_why_and_keeps_live(qtbot: Any, rig: Rig, tmp_path: Path) -> None:
    rig.ctl.replay.feeds = ReplayFeeds(tmp_path / "absent")
    rig.ctl.on_alert_selected(rig.alert(rig.site.origin + timedelta(seconds=70)))
    messages: list[str] = []
    rig.ctl.message.connect(messages.append)
    rig.ctl.on_replay_requested("cam-01")
    assert rig.ctl.replay.run is None and not rig.tile_of("cam-01").replaying
    assert messages[-1].startswith("Relecture impossible : aucun enregistrement : dossier")
    assert "introuvable" in messages[-1]
    assert rig.viewed() == []  # nothing was seen


def test_a_narrow_tile_keeps_room_for_the_name_and_direct_is_never_cut(
    qtbot: Any, rig: Rig
) -> None:
    rig.ctl.on_alert_selected(rig.alert(rig.site.origin + timedelta(seconds=30)))
    tile = rig.tile_of("cam-02")
    tile.resize(330, 220)  # a 2×2 tile of a 1920-px screen
    assert tile.replay_button.text() == "↺"  # the glyph: the camera's name keeps the room
    assert "Revoir l'enregistrement" in tile.replay_button.toolTip()
    narrow = tile.replay_button.width()
    tile.resize(700, 400)
    assert tile.replay_button.text() == "Relecture" and tile.replay_button.width() > narrow
    tile.resize(330, 220)
    qtbot.mouseClick(tile.replay_button, Qt.MouseButton.LeftButton)
    tile = rig.tile_of("cam-02")
    assert tile.replaying and tile.replay_button.text() == "Direct"
    button = tile.replay_button
    assert button.width() >= button.sizeHint().width()  # « Direct » whole, never « … »
