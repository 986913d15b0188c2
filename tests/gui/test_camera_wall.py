"""The camera wall on real streams: the session's GStreamer RTSP server, decoded by
the real OpenCV/FFmpeg backend, painted by real tiles (offscreen)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer

from csu_console.config import Camera
from csu_console.core.alerts import Alert, Category, Location, StoredAlert
from csu_console.core.geo import destination_point
from csu_console.core.intake import Outcome
from csu_console.core.protocol import AlertMessage
from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.media.video.backend import create_source
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import Frame, HealthSettings, StreamState
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.wall.controller import (
    PREWARM_EVERY_S,
    PREWARM_PER_BATCH,
    WallController,
    WallSettings,
)
from csu_console.ui.wall.tile import CameraTile
from csu_console.ui.wall.video_bridge import VideoBridge
from csu_console.ui.wall.wall import CameraWall, WallEntry

TZ = ZoneInfo("Europe/Paris")
ORIGIN = (24.9450, 60.1680)


def camera(n: int, main: str, sub: str | None = None, heading: float = 0.0) -> Camera:
    lon, lat = destination_point(ORIGIN[0], ORIGIN[1], heading + 180.0, 40.0 + 10 * n)
    return Camera(
        id=f"cam0{n}",
        name=f"Caméra {n}",
        kind="fixe",
        lon=lon,
        lat=lat,
        heading_deg=heading,
        fov_deg=60.0,
        range_m=150.0,
        stream_main=main,
        stream_sub=sub,
    )


@pytest.fixture
def cameras(rtsp_server: RtspServerProcess) -> list[Camera]:
    """Four cameras looking at ORIGIN; the first has a 720p main and a 360p sub."""
    url = rtsp_server.url
    return [
        camera(1, url("cam01_hd"), url("cam01")),
        camera(2, url("cam02"), heading=10.0),
        camera(3, url("cam03"), heading=350.0),
        camera(4, url("cam04"), heading=20.0),
    ]


@pytest.fixture
def video(qtbot: Any) -> Iterator[tuple[StreamPool, VideoBridge]]:
    bridge = VideoBridge()
    pool = StreamPool(create_source, bridge, HealthSettings(), grace_s=5.0)
    yield pool, bridge
    pool.stop_all()


@pytest.fixture
def wall(qtbot: Any, video: tuple[StreamPool, VideoBridge]) -> CameraWall:
    pool, bridge = video
    w = CameraWall(pool, bridge, TZ, columns=2)
    qtbot.addWidget(w)
    w.resize(900, 560)
    w.show()
    return w


def digest(frame: Frame) -> str:
    return hashlib.sha256(frame.image.tobytes()).hexdigest()


def wait_playing_frame(qtbot: Any, tile: CameraTile, timeout_ms: int = 8000) -> Frame:
    qtbot.waitUntil(lambda: tile.current_frame() is not None, timeout=timeout_ms)
    frame = tile.current_frame()
    assert frame is not None
    return frame


def test_a_tile_shows_frames_whose_pixels_change(
    qtbot: Any, wall: CameraWall, cameras: list[Camera]
) -> None:
    wall.show_entries([WallEntry(cameras[1], 1)], "essai")
    tile = wall.tiles[0]
    first = wait_playing_frame(qtbot, tile)
    assert (first.width, first.height) == (640, 360)
    assert tile.state_text()[0] == "En direct"
    # the test pattern moves and its clock ticks: a later frame has other pixels
    qtbot.waitUntil(lambda: digest(tile.current_frame() or first) != digest(first), timeout=5000)
    later = tile.current_frame()
    assert later is not None and later.seq > first.seq
    qtbot.waitUntil(lambda: tile.frames_painted >= 5, timeout=5000)
    tile.grab()  # paints without error with a picture in it


def test_a_tile_draws_its_bars_once_and_again_only_when_they_change(
    qtbot: Any, cameras: list[Camera]
) -> None:
    """A tile repaints at every video frame: its name and state bars are kept as
    pixmaps and drawn again only when their text changes."""
    tile = CameraTile(TZ)
    qtbot.addWidget(tile)
    tile.resize(480, 300)
    tile.show_camera(cameras[1], None, rank=2)
    first = tile.grab().toImage()
    header = tile._bars["header"][1].cacheKey()
    footer = tile._bars["footer"][1].cacheKey()
    assert first.pixelColor(10, 10).name() == "#1565c0"  # the rank's badge
    assert first.pixelColor(300, 3).name() == "#263238"  # the header bar
    assert first.pixelColor(300, 300 - 3).name() == "#263238"  # the footer bar

    again = tile.grab().toImage()
    assert tile._bars["header"][1].cacheKey() == header
    assert tile._bars["footer"][1].cacheKey() == footer
    assert again == first

    tile.show_camera(cameras[1], None, rank=None)  # no rank: no badge, a new header
    unranked = tile.grab().toImage()
    assert tile._bars["header"][1].cacheKey() != header
    assert tile._bars["footer"][1].cacheKey() == footer
    assert unranked.pixelColor(10, 10).name() != "#1565c0"  # no badge
    assert unranked.pixelColor(20, 2).name() == "#263238"
    tile.resize(400, 300)  # another width: both bars drawn again, to the new width
    tile.grab()
    assert tile._bars["footer"][1].cacheKey() != footer
    assert tile._bars["footer"][1].width() == round(400 * tile.devicePixelRatioF())


def test_grid_uses_the_substream_and_double_click_plays_the_main_stream(
    qtbot: Any, wall: CameraWall, cameras: list[Camera]
) -> None:
    wall.show_entries([WallEntry(c, i + 1) for i, c in enumerate(cameras)], "quatre")
    tiles = wall.visible_tiles()
    assert len(tiles) == 4 and [t.rank for t in tiles] == [1, 2, 3, 4]
    assert tiles[0].source is not None and tiles[0].source.url == cameras[0].stream_sub
    sub = wait_playing_frame(qtbot, tiles[0])
    assert sub.width == 640
    qtbot.mouseDClick(tiles[0], Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    assert wall.single is cameras[0] and len(wall.visible_tiles()) == 1
    main = wall.tiles[0]
    assert main.source is not None and main.source.url == cameras[0].stream_main
    qtbot.waitUntil(
        lambda: (f := main.current_frame()) is not None and f.width == 1280, timeout=8000
    )
    assert "flux principal" in wall.title.text()
    qtbot.keyClick(wall, Qt.Key.Key_Escape)
    assert wall.single is None and len(wall.visible_tiles()) == 4


def test_layouts_and_empty_tiles(qtbot: Any, wall: CameraWall, cameras: list[Camera]) -> None:
    wall.show_entries([WallEntry(cameras[1], 1)], "une caméra")
    wall.set_columns(3)
    tiles = wall.visible_tiles()
    assert len(tiles) == 9 and tiles[0].camera is cameras[1]
    assert all(t.camera is None for t in tiles[1:])
    assert tiles[1].state_text()[0] == "Aucune caméra"
    wall.set_columns(1)
    assert len(wall.visible_tiles()) == 1


@pytest.fixture
def tasks(writer: StorageWriter, qtbot: Any) -> DbTasks:
    return DbTasks(writer)


def new_alert(pk: int, lon: float, lat: float, priority: int = 1) -> StoredAlert:
    alert = Alert(
        source="vvs",
        id=f"a{pk}",
        sent=datetime.now(UTC),
        category=Category.CAMBRIOLAGE,
        priority=priority,
        title="Cambriolage en cours",
        location=Location(lat=lat, lon=lon, address="1 rue de l'Essai"),
    )
    return StoredAlert(pk=pk, alert=alert, received_at=datetime.now(UTC))


def make_controller(
    wall: CameraWall,
    video: tuple[StreamPool, VideoBridge],
    cameras: list[Camera],
    tasks: DbTasks,
    tmp_path: Path,
    raised: list[Alert] | None = None,
    session: Any = None,
    **settings: Any,
) -> WallController:
    pool, bridge = video
    sink = raised if raised is not None else []
    return WallController(
        wall,
        pool,
        bridge,
        cameras,
        [],
        tasks,
        "poste-1",
        WallSettings(evidence_dir=tmp_path / "evidence", **settings),
        sink.append,
        wall,
        session=session,
    )


def test_an_alert_prewarms_its_cameras_before_it_is_selected(
    qtbot: Any,
    wall: CameraWall,
    video: tuple[StreamPool, VideoBridge],
    cameras: list[Camera],
    tasks: DbTasks,
    tmp_path: Path,
) -> None:
    pool, _bridge = video
    ctl = make_controller(wall, video, cameras, tasks, tmp_path, prewarm_count=3)
    item = new_alert(41, *ORIGIN)
    ctl.selected = new_alert(1, *ORIGIN)  # the operator is busy with another alert
    with qtbot.waitSignal(ctl.prewarmed, timeout=1000) as got:
        ctl.on_frames_committed([Outcome(1, "stored", "a41", item)])
    pk, ids = got.args
    assert pk == 41 and len(ids) == 3
    assert all(t.camera is None for t in wall.visible_tiles())  # the wall was not touched
    urls = [c.stream_sub or c.stream_main for c in cameras if c.id in ids]
    assert sorted(pool.active_urls()) == sorted(urls)
    for url in urls:
        assert pool.holders(url) == ["prewarm:41"]

    def all_decoding() -> bool:
        sources = [pool.source(u) for u in urls]
        return all(s is not None and s.latest() is not None for s in sources)

    qtbot.waitUntil(all_decoding, timeout=8000)  # pictures ready before anyone looks
    ctl.on_alert_selected(item)
    shown = [t for t in wall.visible_tiles() if t.camera is not None]
    assert [t.camera.id for t in shown if t.camera] == [
        e.camera.id for e in ctl.ranked_cameras(item)
    ][:4]
    # the pre-warmed tiles have their picture at once, without waiting for a frame
    assert sum(t.current_frame() is not None for t in shown) >= 3
    assert "Alerte n° 41" in wall.title.text() and "1 rue de l'Essai" in wall.title.text()


@pytest.fixture
def warming(
    wall: CameraWall,
    video: tuple[StreamPool, VideoBridge],
    cameras: list[Camera],
    tasks: DbTasks,
    tmp_path: Path,
) -> tuple[WallController, list[int]]:
    """A controller kept off the wall (an alert is selected), and the pks it pre-warms."""
    ctl = make_controller(wall, video, cameras, tasks, tmp_path, prewarm_count=2)
    ctl.selected = new_alert(1, *ORIGIN)
    warmed: list[int] = []
    ctl.prewarmed.connect(lambda pk, _ids: warmed.append(pk))
    return ctl, warmed


def test_a_storm_prewarms_only_the_most_urgent_alerts_of_each_batch(
    qtbot: Any, video: tuple[StreamPool, VideoBridge], warming: tuple[WallController, list[int]]
) -> None:
    ctl, warmed = warming
    # 200 alerts in one batch: priorities 1..4 in turn, so pks 4k+1 are urgent.
    batch = [new_alert(pk, *ORIGIN, priority=1 + pk % 4) for pk in range(100, 300)]
    batch.append(new_alert(5, ORIGIN[0], ORIGIN[1] + 0.001, priority=1))  # older, urgent
    with qtbot.waitSignals([ctl.prewarmed] * PREWARM_PER_BATCH, timeout=2000):
        ctl.on_frames_committed([Outcome(i.pk, "stored", i.alert.id, i) for i in batch])
    urgent_newest_first = sorted((i.pk for i in batch if i.alert.priority == 1), reverse=True)
    assert warmed == urgent_newest_first[:PREWARM_PER_BATCH]
    holders = {h for url in video[0].active_urls() for h in video[0].holders(url)}
    assert holders == {f"prewarm:{pk}" for pk in warmed}


def test_batches_close_together_are_prewarmed_together_a_moment_later(
    qtbot: Any, warming: tuple[WallController, list[int]]
) -> None:
    ctl, warmed = warming

    def deliver(items: list[StoredAlert]) -> None:
        ctl.on_frames_committed([Outcome(i.pk, "stored", i.alert.id, i) for i in items])

    with qtbot.waitSignal(ctl.prewarmed, timeout=1000):
        deliver([new_alert(10, *ORIGIN, priority=3)])
    assert warmed == [10]  # the first alert at once: the operator will look at it
    started = time.monotonic()
    # A storm's next slices, within PREWARM_EVERY_S: nothing is ranked for them now.
    deliver([new_alert(pk, *ORIGIN, priority=4) for pk in range(20, 40)])
    deliver([new_alert(50, *ORIGIN, priority=2), new_alert(51, *ORIGIN, priority=1)])
    deliver([new_alert(pk, *ORIGIN, priority=3) for pk in range(60, 80)])
    assert warmed == [10]
    with qtbot.waitSignals([ctl.prewarmed] * PREWARM_PER_BATCH, timeout=2000):
        pass
    assert time.monotonic() - started >= PREWARM_EVERY_S * 0.9
    # Then once, for the most urgent of everything that came meanwhile.
    assert warmed == [10, 51, 50, 79]


def test_with_nothing_selected_the_wall_follows_the_banners_alert(
    qtbot: Any,
    wall: CameraWall,
    video: tuple[StreamPool, VideoBridge],
    cameras: list[Camera],
    tasks: DbTasks,
    writer: StorageWriter,
    tmp_path: Path,
) -> None:
    ctl = make_controller(wall, video, cameras, tasks, tmp_path)
    ctl.operator = "chef"  # logged in, busy elsewhere (the review)
    low, high = new_alert(7, *ORIGIN, priority=3), new_alert(8, *ORIGIN, priority=1)
    outcomes = writer.submit(
        lambda s: s.commit_batch([AlertMessage(1, low.alert), AlertMessage(2, high.alert)], "p1")
    ).result(timeout=10)
    stored = {o.stored.alert.id: o.stored for o in outcomes if o.stored is not None}
    ctl.on_frames_committed(outcomes)
    # The alarm tells it which alert the banner shows (the most urgent open one).
    ctl.on_top_alert(stored["a8"])
    qtbot.waitUntil(lambda: ctl.current_alert_pk == stored["a8"].pk, timeout=2000)
    assert wall.visible_tiles()[0].camera is not None

    def viewed() -> list[tuple[int, str | None, str]]:
        db = sqlite3.connect(writer.path)
        try:
            q = "SELECT alert_pk, operator, details FROM events WHERE kind = 'camera_viewed'"
            return db.execute(q).fetchall()
        finally:
            db.close()

    # Which cameras were shown for which alert (RGPD); shown by the console on its
    # own, not a consultation by whoever is logged in (issue 14).
    qtbot.waitUntil(lambda: bool(viewed()), timeout=5000)
    [(alert_pk, operator, details)] = viewed()
    assert alert_pk == stored["a8"].pk and "Alerte n°" in json.loads(details)["context"]
    assert operator is None and json.loads(details)["auto"] is True
    # The operator chooses the alert: now a consultation, in their name.
    ctl.on_alert_selected(stored["a8"])
    qtbot.waitUntil(lambda: len(viewed()) == 2, timeout=5000)
    _pk, operator, details = viewed()[1]
    assert operator == "chef" and "auto" not in json.loads(details)


def test_snapshot_saves_the_picture_with_its_digest_and_event(
    qtbot: Any,
    wall: CameraWall,
    video: tuple[StreamPool, VideoBridge],
    cameras: list[Camera],
    tasks: DbTasks,
    writer: StorageWriter,
    tmp_path: Path,
) -> None:
    ctl = make_controller(wall, video, cameras, tasks, tmp_path)
    ctl.operator = "Dupont"
    wall.show_entries([WallEntry(cameras[2], 1)], "cliché")
    tile = wall.tiles[0]
    frame = wait_playing_frame(qtbot, tile)
    with qtbot.waitSignal(ctl.snapshot_saved, timeout=5000) as saved:
        qtbot.mouseClick(tile.snap_button, Qt.MouseButton.LeftButton)
    snap = saved.args[0]
    data = snap.path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == snap.sha256
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and (snap.width, snap.height) == (640, 360)
    assert snap.path.parent.parent == tmp_path / "evidence"
    assert frame.width == snap.width
    db = sqlite3.connect(writer.path)
    row = db.execute("SELECT camera_id, sha256, operator, path FROM snapshots").fetchone()
    assert row == ("cam03", snap.sha256, "Dupont", str(snap.path))
    operator, details = db.execute(
        "SELECT operator, details FROM events WHERE kind = 'snapshot'"
    ).fetchone()
    assert operator == "Dupont" and json.loads(details)["sha256"] == snap.sha256
    db.close()


def stall_meter() -> Callable[[], float]:
    """Starts a 10 ms timer; returns a function giving the longest gap seen (s)."""
    timer = QTimer()
    timer.setInterval(10)
    gaps = {"last": time.monotonic(), "max": 0.0}

    def tick() -> None:
        now = time.monotonic()
        gaps["max"] = max(gaps["max"], now - gaps["last"])
        gaps["last"] = now

    timer.timeout.connect(tick)
    timer.start()

    def longest() -> float:
        timer.stop()
        return gaps["max"]

    return longest


@pytest.mark.expected_logs("csu.media", "csu.ui")
def test_server_killed_shows_signal_lost_then_comes_back_by_itself(
    qtbot: Any,
    video: tuple[StreamPool, VideoBridge],
    make_rtsp_server: Callable[..., RtspServerProcess],
    tasks: DbTasks,
    tmp_path: Path,
) -> None:
    pool, bridge = video
    server = make_rtsp_server([StreamMount("drop", "Coupure")])
    cam = camera(5, server.url("drop"))
    w = CameraWall(pool, bridge, TZ, columns=1)
    qtbot.addWidget(w)
    w.show()
    raised: list[Alert] = []
    ctl = make_controller(w, video, [cam], tasks, tmp_path, raised, offline_after_s=1.0)
    w.show_entries([WallEntry(cam, 1)], "coupure")
    tile = w.tiles[0]
    before = wait_playing_frame(qtbot, tile)
    longest_gap = stall_meter()
    server.kill()
    killed = time.monotonic()
    qtbot.waitUntil(
        lambda: tile.status is not None and tile.status.state is StreamState.LOST, timeout=5000
    )
    lost_after = time.monotonic() - killed
    assert lost_after <= 3.5, f"signal perdu après {lost_after:.2f} s"
    assert tile.state_text()[0].startswith("Signal perdu")
    assert tile.current_frame() is before or tile.current_frame() is not None  # last image kept
    # down longer than offline_after_s: one low-priority alert, raised once
    qtbot.waitUntil(lambda: len(raised) == 1, timeout=5000)
    assert raised[0].title == "Caméra hors service : Caméra 5"
    # restarted from another thread: the test's own wait for the server must not
    # count as a GUI stall
    restarting = threading.Thread(target=server.restart)
    restarted = time.monotonic()
    restarting.start()
    qtbot.waitUntil(
        lambda: tile.status is not None and tile.status.state is StreamState.PLAYING,
        timeout=8000,
    )
    back_after = time.monotonic() - restarted
    assert back_after <= 5.0, f"image revenue après {back_after:.2f} s"
    qtbot.waitUntil(lambda: (tile.current_frame() or before).seq > before.seq, timeout=5000)
    restarting.join()
    gap = longest_gap()
    assert gap < 0.1, f"GUI bloquée {gap * 1000:.0f} ms"
    # The outage ends when the controller hears that the stream is back (its own
    # queued signal, which may come a turn after the tile shows the picture).
    qtbot.waitUntil(lambda: ctl.watch.outages == {}, timeout=5000)


@pytest.mark.expected_logs("csu.ui")
def test_the_wall_comes_back_after_a_restart(
    qtbot: Any,
    wall: CameraWall,
    video: tuple[StreamPool, VideoBridge],
    cameras: list[Camera],
    tasks: DbTasks,
    tmp_path: Path,
) -> None:
    state = tmp_path / "wall-state.json"
    ctl = make_controller(wall, video, cameras, tasks, tmp_path, state_file=state)
    item = new_alert(12, *ORIGIN)
    wall.set_columns(3)
    ctl.on_alert_selected(item)
    shown = [t.camera.id for t in wall.visible_tiles() if t.camera]
    assert json.loads(state.read_text())["alert_pk"] == 12
    # The wall shows the same again (a storm refreshes it often): no new write.
    written = (state.stat().st_ino, state.stat().st_mtime_ns)  # a write replaces the file
    ctl.on_alert_selected(item)
    assert (state.stat().st_ino, state.stat().st_mtime_ns) == written
    # a new console: another wall and controller on the same state file
    pool, bridge = video
    again = CameraWall(pool, bridge, TZ, columns=2)
    qtbot.addWidget(again)
    ctl2 = make_controller(again, video, cameras, tasks, tmp_path, state_file=state)
    ctl2.restore([new_alert(11, *ORIGIN), item])
    assert again.columns == 3 and ctl2.current_alert_pk == 12
    assert [t.camera.id for t in again.visible_tiles() if t.camera] == shown
    state.write_text("{pas du json")
    with_logs = make_controller(again, video, cameras, tasks, tmp_path, state_file=state)
    again.set_columns(1)
    with_logs.restore([item])  # unreadable: logged, nothing changes
    assert again.columns == 1


def test_pictures_and_snapshots_follow_the_role_logged_in(
    qtbot: Any,
    wall: CameraWall,
    video: tuple[StreamPool, VideoBridge],
    cameras: list[Camera],
    tasks: DbTasks,
    writer: StorageWriter,
    tmp_path: Path,
) -> None:
    from csu_console.core.accounts import Account
    from csu_console.core.roles import Role
    from csu_console.ui.console.session import Session

    session = Session()
    ctl = make_controller(wall, video, cameras, tasks, tmp_path, session=session)
    session.changed.connect(ctl.on_session_changed)
    ctl.on_session_changed()
    wall.show_entries([WallEntry(cameras[1], 1)], "rôles")
    tile = wall.tiles[0]
    wait_playing_frame(qtbot, tile)  # decoding goes on behind the mask
    assert tile.masked.startswith("Images masquées") and not tile.snap_button.isEnabled()
    messages: list[str] = []
    ctl.message.connect(messages.append)
    wall.snapshot_requested.emit("cam02", tile.current_frame())
    assert messages and messages[-1].startswith("Action réservée")
    session.log_in(Account("admin1", "Admin", Role.ADMIN))
    assert "rôle" in tile.masked
    session.log_in(Account("op1", "Opératrice", Role.OPERATEUR))
    assert tile.masked == "" and tile.snap_button.isEnabled()
    with qtbot.waitSignal(ctl.snapshot_saved, timeout=5000):
        qtbot.mouseClick(tile.snap_button, Qt.MouseButton.LeftButton)
    rows = sqlite3.connect(writer.path).execute("SELECT count(*) FROM snapshots").fetchone()
    assert rows == (1,)  # the refused one wrote nothing


def test_cameras_shown_with_nobody_logged_in_are_not_a_consultation(
    qtbot: Any,
    wall: CameraWall,
    video: tuple[StreamPool, VideoBridge],
    cameras: list[Camera],
    tasks: DbTasks,
    writer: StorageWriter,
    tmp_path: Path,
) -> None:
    """After a restart the wall shows its last alert behind the login: nobody saw it
    by choice, so the register says « automatique », not a view by nobody (issue 16)."""
    ctl = make_controller(wall, video, cameras, tasks, tmp_path)
    ctl.operator = ""
    alert = new_alert(9, *ORIGIN, priority=2)
    [outcome] = writer.submit(
        lambda s: s.commit_batch([AlertMessage(1, alert.alert)], "p1")
    ).result(timeout=10)
    assert outcome.stored is not None
    ctl.on_alert_selected(outcome.stored)

    def viewed() -> list[tuple[str | None, str]]:
        db = sqlite3.connect(writer.path)
        try:
            q = "SELECT operator, details FROM events WHERE kind = 'camera_viewed'"
            return db.execute(q).fetchall()
        finally:
            db.close()

    qtbot.waitUntil(lambda: bool(viewed()), timeout=5000)
    [(operator, details)] = viewed()
    assert operator is None and json.loads(details)["auto"] is True
