"""Free viewing on the real wall (offscreen, real RTSP test server, real SQLite through
the storage thread): a tour cycles, yields to an alert and resumes; the reason is
asked once for a whole tour and every camera shown is logged with it; a layout is
saved and recalled; the browser finds a camera and opens it in the chosen tile."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from csu_console.config import Camera
from csu_console.core.accounts import Account
from csu_console.core.alerts import Alert, Category, Location, StoredAlert
from csu_console.core.geo import destination_point
from csu_console.core.protocol import AlertMessage
from csu_console.core.roles import Role
from csu_console.core.viewing import WHOLE_WALL, Tour, TourState
from csu_console.media.stream_server.control import RtspServerProcess
from csu_console.media.video.backend import create_source
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import HealthSettings
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session
from csu_console.ui.wall.camera_browser import CameraBrowser
from csu_console.ui.wall.controller import WallController, WallSettings
from csu_console.ui.wall.video_bridge import VideoBridge
from csu_console.ui.wall.viewing import ViewingController
from csu_console.ui.wall.viewing_dialogs import LayoutsDialog
from csu_console.ui.wall.wall import CameraWall

TZ = ZoneInfo("Europe/Paris")
ORIGIN = (24.9450, 60.1680)
REASON = "surveillance du marché de Noël"


def tour_camera(n: int, url: str) -> Camera:
    lon, lat = destination_point(ORIGIN[0], ORIGIN[1], 180.0, 40.0 + 10 * n)
    return Camera(
        id=f"cam0{n}",
        name=f"Caméra {n} Place du Marché",
        kind="fixe",
        lon=lon,
        lat=lat,
        heading_deg=0.0,
        fov_deg=60.0,
        range_m=150.0,
        stream_main=url,
    )


@dataclass
class TourRig:
    wall: CameraWall
    ctl: WallController
    viewing: ViewingController
    writer: StorageWriter
    cameras: list[Camera]

    def events(self, kind: str) -> list[tuple[str | None, dict[str, Any]]]:
        db = sqlite3.connect(self.writer.path)
        try:
            rows = db.execute(
                "SELECT operator, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
            ).fetchall()
        finally:
            db.close()
        return [(op, json.loads(d)) for op, d in rows]

    def shown(self) -> list[str]:
        return [c.id for c in self.wall.shown_cameras()]

    def answer(self, qtbot: Any, reason: str = REASON) -> None:
        dialog = self.viewing.reason_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.setTextValue(reason)
        dialog.accept()

    def step_due(self) -> None:
        """The dwell is over now (the real dwell is checked once, in its own test)."""
        assert self.viewing.player is not None
        self.viewing.player.next_at = 0.0


@pytest.fixture
def rig(
    qtbot: Any, rtsp_server: RtspServerProcess, writer: StorageWriter, tmp_path: Path
) -> Iterator[TourRig]:
    bridge = VideoBridge()
    pool = StreamPool(create_source, bridge, HealthSettings(), grace_s=2.0)
    wall = CameraWall(pool, bridge, TZ, columns=2)
    qtbot.addWidget(wall)
    wall.resize(900, 560)
    wall.show()
    cameras = [tour_camera(n, rtsp_server.url(f"cam0{n}")) for n in range(1, 5)]
    tasks = DbTasks(writer)
    ctl = WallController(
        wall,
        pool,
        bridge,
        cameras,
        [],
        tasks,
        "poste-1",
        WallSettings(evidence_dir=tmp_path / "evidence"),
        lambda _a: None,
        wall,
    )
    ctl.operator = "alice"
    viewing = ViewingController(ctl, wall, cameras, [], tasks, "poste-1", None, wall)
    yield TourRig(wall, ctl, viewing, writer, cameras)
    viewing.stop_tour("fin du test")
    ctl.stop()


def store_alert(writer: StorageWriter, seq: int) -> StoredAlert:
    """A real alert in the station's database (its events refer to it)."""
    a = Alert(
        source="vvs",
        id=f"a{seq}",
        sent=datetime.now(UTC),
        category=Category.CAMBRIOLAGE,
        priority=1,
        title="Cambriolage en cours",
        location=Location(lat=ORIGIN[1], lon=ORIGIN[0], address="1 rue de l'Essai"),
    )
    [outcome] = writer.submit(lambda s: s.commit_batch([AlertMessage(seq, a)], "p1")).result(10)
    assert outcome.stored is not None
    return outcome.stored


def banner(rig: TourRig, item: StoredAlert | None) -> None:
    """The alarm's ``top_changed``, to both as app.py connects them (wall first)."""
    rig.ctl.on_top_alert(item)
    rig.viewing.on_top_alert(item)


def select(rig: TourRig, item: StoredAlert | None) -> None:
    rig.ctl.on_alert_selected(item)
    rig.viewing.on_alert_selected(item)


def test_a_tour_cycles_yields_to_an_alert_resumes_and_asks_the_reason_once(
    qtbot: Any, rig: TourRig
) -> None:
    tour = Tour("Centre", ("cam01", "cam02", "cam03"), dwell_s=5, columns=1)
    rig.viewing.start_tour(tour, WHOLE_WALL, rig.wall)
    assert rig.viewing.player is None  # nothing before the reason
    rig.answer(qtbot)
    first_dialog = rig.viewing.reason_dialog
    assert rig.wall.columns == 1 and rig.shown() == ["cam01"]
    assert rig.wall.title.text().startswith("Ronde 1/3 · Centre · motif : surveillance")
    rig.step_due()
    qtbot.waitUntil(lambda: rig.shown() == ["cam02"], timeout=3000)

    # A new alert rings: the wall follows it, the tour waits.
    item = store_alert(rig.writer, 1)
    banner(rig, item)
    player = rig.viewing.player
    assert player is not None and player.state is TourState.INTERRUPTED
    assert rig.ctl.current_alert_pk == item.pk
    assert f"Alerte n° {item.pk}" in rig.wall.title.text()
    on_alert = rig.shown()
    rig.viewing._on_tick()  # the tour's clock ticks: nothing moves
    player.next_at = 0.0
    rig.viewing._on_tick()
    assert rig.shown() == on_alert
    # The operator selects it, acknowledges it (it stops ringing): still theirs.
    select(rig, item)
    banner(rig, None)
    assert player.state is TourState.INTERRUPTED and rig.ctl.current_alert_pk == item.pk
    # Deselected, nothing rings: the tour resumes on its step, no new reason asked.
    select(rig, None)
    assert player.state is TourState.PLAYING and rig.shown() == ["cam02"]
    assert rig.viewing.reason_dialog is first_dialog
    rig.step_due()
    qtbot.waitUntil(lambda: rig.shown() == ["cam03"], timeout=3000)
    rig.step_due()
    qtbot.waitUntil(lambda: rig.shown() == ["cam01"], timeout=3000)  # loops
    rig.viewing.stop_tour("arrêtée")
    assert rig.viewing.reason == ""  # the session ended with the tour

    def logged() -> bool:
        return len(rig.events("tour_ended")) == 1 and len(rig.events("camera_viewed")) >= 6

    qtbot.waitUntil(logged, timeout=5000)
    [(op, started)] = rig.events("tour_started")
    assert op == "alice" and started["reason"] == REASON and started["target"] == "mur"
    [(_op, ended)] = rig.events("tour_ended")
    assert ended["interruptions"] == 1 and ended["steps_shown"] == 5
    viewed = rig.events("camera_viewed")
    free = [d for _op, d in viewed if "reason" in d]
    # Every step shown, each logged with the one reason given.
    assert [d["cameras"] for d in free] == [["cam01"], ["cam02"], ["cam02"], ["cam03"], ["cam01"]]
    assert all(d["reason"] == REASON for d in free)
    assert [op for op, d in viewed if "reason" in d] == ["alice"] * 5
    # The alert's display in between was the console following the alarm.
    assert any(d.get("auto") for _op, d in viewed if "reason" not in d)


def test_a_tour_in_one_tile_keeps_the_other_tiles_and_its_dwell_is_real(
    qtbot: Any, rig: TourRig
) -> None:
    item = store_alert(rig.writer, 3)
    select(rig, item)  # an alert is selected when the tour starts: it is tolerated
    alert_cams = rig.shown()
    assert len(alert_cams) >= 2
    tour = Tour("Coin", ("cam04", "cam01"), dwell_s=3, columns=2)
    rig.viewing.start_tour(tour, 1, rig.wall)
    rig.answer(qtbot)
    started = time.monotonic()
    assert rig.shown()[1] == "cam04" and rig.shown()[0] == alert_cams[0]
    qtbot.waitUntil(lambda: rig.shown()[1] == "cam01", timeout=8000)
    elapsed = time.monotonic() - started
    assert 2.5 <= elapsed <= 6.0, elapsed  # 3 s dwell, 250 ms tick, a loaded machine
    assert rig.viewing.player is not None
    assert rig.viewing.player.state is TourState.PLAYING
    # Another alert chosen in the queue: the wall shows it; the operator is done with
    # it but keeps it selected: « Reprendre la ronde » gives the tile back to the tour.
    other = store_alert(rig.writer, 4)
    select(rig, other)
    assert rig.viewing.player.state is TourState.INTERRUPTED
    assert rig.ctl.current_alert_pk == other.pk
    rig.viewing.resume_tour()
    assert rig.viewing.player.state is TourState.PLAYING
    assert rig.shown()[1] == "cam01" and rig.shown()[0] == alert_cams[0]
    select(rig, item)  # choosing the first alert again is looking at it
    assert rig.viewing.player.state is TourState.INTERRUPTED


def test_a_camera_opened_during_a_tour_replaces_a_tour_camera_not_the_banners(
    qtbot: Any, rig: TourRig
) -> None:
    banner(rig, store_alert(rig.writer, 5))  # rings before the tour: the wall shows it
    browser = CameraBrowser(rig.viewing, rig.wall)
    qtbot.addWidget(browser)
    browser.show()
    rig.viewing.start_tour(Tour("Centre", ("cam01", "cam02"), 10, 2), WHOLE_WALL, rig.wall)
    rig.answer(qtbot)
    assert rig.shown() == ["cam01", "cam02"]
    rig.viewing.open_camera("cam04", 1, browser)  # « Tuile 2 », the same session
    assert rig.viewing.player is None and rig.ctl.current_alert_pk is None
    assert rig.shown() == ["cam01", "cam04"]  # not the banner's alert's cameras
    assert rig.viewing.reason == REASON  # the browser is open: its session goes on
    browser.close()


def test_clearing_the_selection_gives_the_wall_back_to_the_tour_without_a_detour(
    qtbot: Any, rig: TourRig
) -> None:
    ringing = store_alert(rig.writer, 6)
    banner(rig, ringing)  # rings before the tour: tolerated by it
    rig.viewing.start_tour(Tour("Centre", ("cam01", "cam02"), 10, 2), WHOLE_WALL, rig.wall)
    rig.answer(qtbot)
    chosen = store_alert(rig.writer, 7)
    select(rig, chosen)
    assert rig.ctl.current_alert_pk == chosen.pk
    rig.ctl._last_follow = -60.0  # as if the operator had stayed on it a minute
    displays: list[str] = []
    rig.wall.cameras_shown.connect(lambda _ids, context: displays.append(context))
    select(rig, None)  # Échap in the queue: the tour, not the banner's alert
    assert rig.shown() == ["cam01", "cam02"] and rig.ctl.current_alert_pk is None
    assert len(displays) == 1 and displays[0].startswith("Hors alerte"), displays


def test_a_map_click_during_a_tour_reuses_the_sessions_reason(qtbot: Any, rig: TourRig) -> None:
    rig.viewing.start_tour(Tour("Centre", ("cam01", "cam02"), 10, 2), WHOLE_WALL, rig.wall)
    rig.answer(qtbot)
    rig.ctl.reason_dialog = None
    rig.ctl.on_camera_clicked("cam03")  # the map's click, to both as app.py wires it
    rig.viewing.on_camera_clicked("cam03")
    assert rig.ctl.reason_dialog is None  # not asked again
    assert rig.wall.single is not None and rig.wall.single.id == "cam03"
    assert rig.viewing.player is None  # the operator took the wall: the tour stopped
    assert rig.viewing.reason == ""  # and with it, its session (no browser open)
    qtbot.waitUntil(
        lambda: any(d["cameras"] == ["cam03"] for _o, d in rig.events("camera_viewed")),
        timeout=5000,
    )
    [details] = [d for _o, d in rig.events("camera_viewed") if d["cameras"] == ["cam03"]]
    assert details["reason"] == REASON


def test_a_layout_is_saved_and_recalled(qtbot: Any, rig: TourRig) -> None:
    browser = CameraBrowser(rig.viewing, rig.wall)
    qtbot.addWidget(browser)
    browser.show()
    browser.search_edit.setText("caméra 3")
    assert [r.id for r in browser.rows] == ["cam03"]
    browser.target.setCurrentIndex(browser.target.findData(0))  # « Tuile 1 »
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Return)
    rig.answer(qtbot, "contrôle du parvis")
    assert rig.shown() == ["cam03"]
    browser.search_edit.setText("caméra 2")
    browser.target.setCurrentIndex(browser.target.findData(1))
    qtbot.keyClick(browser.search_edit, Qt.Key.Key_Return)  # same session: no dialog
    assert rig.viewing.reason_dialog is not None and not rig.viewing.reason_dialog.isVisible()
    assert rig.shown() == ["cam03", "cam02"]
    # favourites: kept in the station's database, listed first
    browser.search_edit.clear()
    browser.table.selectRow(next(i for i, r in enumerate(browser.rows) if r.id == "cam04"))
    browser.toggle_current()
    assert browser.rows[0].id == "cam04" and browser.table.item(0, 0).text() == "★"
    browser.close()
    assert rig.viewing.reason == ""  # closing the browser ends its session

    rig.wall.set_columns(3)
    dialog = LayoutsDialog(rig.viewing, rig.wall)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("  Parvis   et gare ")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=5000)
    [saved] = rig.viewing.layouts
    assert saved.name == "Parvis et gare" and saved.columns == 3
    assert saved.cameras == ("cam03", "cam02")

    rig.wall.set_columns(1)
    rig.ctl.on_alert_selected(store_alert(rig.writer, 9))
    assert rig.shown() != ["cam03", "cam02"]
    dialog.list.setCurrentRow(0)
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # « Rappeler (Entrée) »
    rig.answer(qtbot, "rappel pour la relève")
    assert rig.wall.columns == 3 and rig.shown() == ["cam03", "cam02"]
    qtbot.waitUntil(lambda: len(rig.events("layout_saved")) == 1, timeout=5000)
    [(op, details)] = rig.events("layout_saved")
    assert op == "alice" and details["cameras"] == ["cam03", "cam02"]

    again = StorageWriter(rig.writer.path)  # kept in the station's database
    again.start()
    try:
        assert again.submit(lambda s: s.favourites("poste-1")).result(5) == {"cam04"}
        assert again.submit(lambda s: s.favourites("poste-2")).result(5) == frozenset()
    finally:
        again.close()


def test_a_relief_stops_the_tour_in_the_name_of_who_started_it(qtbot: Any, rig: TourRig) -> None:
    session = Session()
    rig.viewing.session = session
    session.log_in(Account("alice", "Alice", Role.OPERATEUR))
    rig.viewing.start_tour(Tour("Centre", ("cam01", "cam02"), 10, 2), WHOLE_WALL, rig.wall)
    rig.answer(qtbot)
    assert rig.viewing.player is not None
    session.log_out()
    session.log_in(Account("bob", "Bob", Role.OPERATEUR))
    rig.ctl.operator = "bob"  # app.py's _set_wall_operator runs first
    rig.viewing.on_session_changed()
    assert rig.viewing.player is None and rig.viewing.reason == ""
    qtbot.waitUntil(lambda: len(rig.events("tour_ended")) == 1, timeout=5000)
    [(op, ended)] = rig.events("tour_ended")
    assert op == "alice" and ended["why"] == "changement d'opérateur"
    # Bob's own viewing asks his own reason.
    rig.viewing.open_camera("cam03", 0, rig.wall)
    rig.answer(qtbot, "contrôle de Bob")
    assert rig.viewing.reason == "contrôle de Bob"
