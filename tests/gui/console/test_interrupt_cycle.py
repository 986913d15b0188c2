"""The operator interrupt, end to end: a real ``csu-sim``, the real :class:`Console`
(link process, SQLite, queue, banner, alarm) and real sound through ALSA, captured
to WAV files by ``tests/conftest.py``.

Each test shortens the alarm's intervals in a copy of the demo site's settings, so
repeats, escalation and mutes happen within a second or two. Waits are on signals
and conditions, never on sleeps.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import struct
import time
import wave
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from support import CONFIG_DIR, captured_files
from websockets.sync.client import connect

from csu_console.app import Console
from csu_console.core.alerts import CATEGORY_LABELS, AlertState, StoredAlert
from csu_console.core.geo import destination_point, haversine_m
from csu_console.core.ranking import rank_cameras
from csu_console.media import tones
from csu_console.media.alarm_sound import AlarmSound
from csu_console.media.stream_server.control import RtspServerProcess
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.sim.control import SimProcess
from csu_console.startup import RunOptions
from csu_console.ui.bridge import COMMIT_SLICE, STORM_BATCH
from csu_console.ui.console.alert_cells import COLUMNS
from csu_console.ui.map.projection import scene_to_lonlat
from csu_console.ui.pacing import GUI_LOAD

STATION = "poste-1"
OPERATOR = "testeur"  # logged in without a password (RunOptions.autologin)
#: Repeats long enough not to happen during a test that does not want them.
QUIET = {"repeat_p1_s": 60, "repeat_p2_s": 60, "repeat_p3_s": 60, "repeat_p4_s": 0}
#: Inside the demo site's « Secteur Port ».
PORT = (60.1670, 24.9510)

Ring = tuple[str, float]  # tone, time.monotonic() when it started


# -- set-up ----------------------------------------------------------------------


def site_with(tmp_path: Path, **sections: dict[str, float]) -> Path:
    """A copy of the demo site whose ``[alarm]`` / ``[grouping]`` sections are replaced."""
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    site = config / "site.toml"
    text = site.read_text(encoding="utf-8")
    for name, values in sections.items():
        # A section runs from its header to the next header (or the end of the file).
        text = re.sub(rf"(?ms)^\[{name}\]\n.*?(?=^\[|\Z)", "", text)
        body = "".join(f"{key} = {value}\n" for key, value in values.items())
        text += f"\n[{name}]\n{body}"
    site.write_text(text, encoding="utf-8")
    return config


class Harness:
    """Starts consoles on the test's simulator and stops them whatever happens."""

    def __init__(
        self,
        qtbot: Any,
        qapp: QApplication,
        sim: SimProcess,
        tmp_path: Path,
        streams: RtspServerProcess,
    ) -> None:
        self.qtbot = qtbot
        self.streams = streams
        self.qapp = qapp
        self.sim = sim
        self.tmp_path = tmp_path
        self.consoles: list[Console] = []
        self.rings: list[Ring] = []
        self.statuses: list[LinkStatus] = []

    def start(
        self,
        alarm: dict[str, float] | None = None,
        grouping: dict[str, float] | None = None,
        *,
        autologin: str | None = OPERATOR,
        sound: AlarmSound | None = None,
        autologin_password: str | None = None,
    ) -> Console:
        """A started console with these alarm / grouping settings."""
        config = site_with(
            self.tmp_path,
            alarm={"escalation_after_s": 0, **QUIET, **(alarm or {})},
            grouping=grouping or {"radius_m": 150, "window_min": 15},
        )
        console = Console(
            self.qapp,
            RunOptions(
                config,
                data_dir=self.tmp_path / "data",
                gateway=self.sim.url,
                station=STATION,
                autologin=autologin,
                autologin_password=autologin_password,
                stream_port=self.streams.port,
            ),
        )
        self.consoles.append(console)
        # Stopped before pytest-qt closes and deletes the window at teardown: a
        # running alarm timer must never fire on a deleted banner.
        self.qtbot.addWidget(console.window, before_close_func=lambda _w: console.stop())
        assert not console.problems
        if sound is not None:
            console.sound.close()
            console.sound = console.alarm.sound = sound
        console.alarm.rang.connect(lambda tone, at: self.rings.append((tone, at)))
        console.bridge.link_status_changed.connect(self.statuses.append)
        console.start()
        if autologin is not None:
            self.qtbot.waitUntil(lambda: console.session.account is not None, timeout=5000)
        return console

    def stop(self) -> None:
        """Stop every console (again: ``Console.stop`` does its work once)."""
        for console in self.consoles:
            console.stop()

    def tones(self) -> list[str]:
        return [tone for tone, _ in self.rings]

    def wait_connected(self) -> None:
        self.qtbot.waitUntil(
            lambda: bool(self.statuses) and self.statuses[-1].phase is LinkPhase.CONNECTED,
            timeout=10_000,
        )


@pytest.fixture
def harness(
    qtbot: Any,
    qapp: QApplication,
    sim: SimProcess,
    tmp_path: Path,
    demo_streams: RtspServerProcess,
) -> Iterator[Harness]:
    h = Harness(qtbot, qapp, sim, tmp_path, demo_streams)
    try:
        yield h
    finally:
        h.stop()


# -- alerts and what became of them ------------------------------------------------

_ids = iter(range(1, 1_000_000))


def alert(
    *,
    category: str = "cambriolage",
    priority: int = 2,
    position: tuple[float, float] = PORT,
    address: str = "3 Eteläranta",
    sent: datetime | None = None,
) -> dict[str, Any]:
    """A valid protocol v1 alert object with a unique id."""
    lat, lon = position
    return {
        "id": f"vv-cycle-{next(_ids)}-{time.monotonic_ns()}",
        "source": "voisins-vigilants",
        "sent": (sent or datetime.now(UTC)).isoformat(),
        "category": category,
        "priority": priority,
        "title": "Bruit de vitre brisée",
        "description": "Deux silhouettes avec des lampes frontales.",
        "location": {"lat": lat, "lon": lon, "address": address, "accuracy_m": 15},
        "commune": "Helsinki (démo)",
        "reporter": {"pseudonym": "Voisin_12", "verified": True},
    }


def inject(sim: SimProcess, *alerts: dict[str, Any]) -> None:
    """Offer hand-made alerts through the gateway (tracked until acknowledged)."""
    frames = [
        {"json": {"type": "alert", "seq": "auto", "alert": a}, "expect": "ack"} for a in alerts
    ]
    sim.command("inject", frames=frames)


def db_rows(console: Console, sql: str, *params: object) -> list[sqlite3.Row]:
    """Read the console's database file itself (read-only, its own connection)."""
    conn = sqlite3.connect(f"file:{console.writer.path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def events(console: Console, kind: str) -> list[sqlite3.Row]:
    return db_rows(console, "SELECT * FROM events WHERE kind = ? ORDER BY pk", kind)


def state_of(console: Console, alert_id: str) -> sqlite3.Row:
    rows = db_rows(console, "SELECT * FROM alerts WHERE alert_id = ?", alert_id)
    assert len(rows) == 1
    return rows[0]


def shown(console: Console, alert_id: str) -> StoredAlert | None:
    """The report with this id, once the queue shows it (row or group member)."""
    item = console.model.by_key(("voisins-vigilants", alert_id))
    if item is None or console.model.row_of(console.model.leader_pk(item.pk)) < 0:
        return None
    return item


def cell(console: Console, pk: int, column: str) -> str:
    model = console.model
    return str(model.data(model.index(model.row_of(pk), COLUMNS.index(column))))


def updates_for(sim: SimProcess, alert_id: str) -> list[dict[str, Any]]:
    """The ``status`` messages the gateway received for an alert (relayed as updates)."""
    return [u for u in sim.command("updates") if u["id"] == alert_id]


def calls_to(monkeypatch: pytest.MonkeyPatch, widget: QWidget, method: str) -> list[float]:
    """Note when ``widget.method()`` is called (it still runs); the list fills as it is."""
    calls: list[float] = []
    real = getattr(widget, method)

    def counted() -> None:
        calls.append(time.monotonic())
        real()

    monkeypatch.setattr(widget, method, counted)
    return calls


def press(
    qtbot: Any, console: Console, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key on the keyboard, as the operator would press it on the console."""
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, key, modifier)


# -- the cycle ---------------------------------------------------------------------


def test_alert_rings_and_flashes_until_f2_acknowledges_it(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start()
    assert console.sound.available
    assert console.window.sound_label.text() == "Alarme sonore active"

    with qtbot.waitSignal(console.alarm.rang, timeout=10_000) as ring:
        sim.command("emit", count=1, cap_ratio=0)
    [[source, alert_id]] = sim.command("ids")
    qtbot.waitUntil(lambda: shown(console, alert_id) is not None)
    item = shown(console, alert_id)
    assert item is not None and item.alert.source == source
    assert ring.args[0] == f"priority{item.alert.priority}"
    assert item.state is AlertState.NEW

    banner = console.window.banner
    assert banner.isVisible()
    assert banner.pk == item.pk
    assert CATEGORY_LABELS[item.alert.category] in banner.text()
    assert console.alarm.scheduler.ringing_keys() == [item.alert.key]
    assert console.window.selected_alert() is None  # F2 answers the banner

    press(qtbot, console, Qt.Key.Key_F2)

    qtbot.waitUntil(lambda: not banner.isVisible())
    assert console.alarm.scheduler.ringing_keys() == []
    assert console.window.banner.pk is None
    qtbot.waitUntil(lambda: cell(console, item.pk, "state") == f"Prise en compte · {OPERATOR}")
    qtbot.waitUntil(lambda: bool(updates_for(sim, alert_id)), timeout=5000)
    [update] = updates_for(sim, alert_id)
    assert (update["state"], update["station"], update["operator"]) == (
        "acknowledged",
        STATION,
        OPERATOR,
    )
    row = state_of(console, alert_id)
    assert (row["state"], row["state_station"], row["state_operator"]) == (
        "acknowledged",
        STATION,
        OPERATOR,
    )
    [event] = [e for e in events(console, "acknowledged") if e["alert_pk"] == item.pk]
    assert (event["station"], event["operator"]) == (STATION, OPERATOR)
    assert json.loads(event["details"]) == {"from_state": "new"}
    assert len(harness.rings) == 1  # no repeat was due


def test_another_station_taking_the_alert_silences_it_and_taking_it_back_needs_a_reason(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start(alarm={"repeat_p3_s": 0.3})
    a = alert(category="degradation", priority=3)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, a)
    qtbot.waitUntil(lambda: shown(console, a["id"]) is not None)
    item = shown(console, a["id"])
    assert item is not None
    assert console.window.banner.isVisible()

    # Poste 2 takes it: its status comes back to us as an update.
    with connect(sim.url) as other:
        other.send(
            json.dumps({"type": "hello", "protocol": 1, "station": "poste-2", "last_seq": None})
        )
        other.send(
            json.dumps(
                {
                    "type": "status",
                    "source": a["source"],
                    "id": a["id"],
                    "state": "acknowledged",
                    "station": "poste-2",
                    "operator": "Mme Roux",
                    "at": datetime.now(UTC).isoformat(),
                }
            )
        )
        # Held at another station: the column names the station (the operator is
        # in the tooltip).
        qtbot.waitUntil(
            lambda: cell(console, item.pk, "state") == "Prise en compte · poste-2",
            timeout=5000,
        )
    assert console.alarm.scheduler.ringing_keys() == []
    assert not console.window.banner.isVisible()
    rings_after_update = len(harness.rings)
    assert "poste-2 – Mme Roux" in console.window.statusBar().currentMessage()
    [taken] = [e for e in events(console, "update_received") if e["alert_pk"] == item.pk]
    assert (taken["station"], taken["operator"]) == ("poste-2", "Mme Roux")

    # Taking it back from Poste 2 asks why, and the reason is logged.
    console.window.select_pk(item.pk)
    assert console.window.selected_alert() == console.model.alert_by_pk(item.pk)
    press(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(
        lambda: (
            console.operations.reason_dialog is not None
            and console.operations.reason_dialog.isVisible()
        )
    )
    dialog = console.operations.reason_dialog
    assert dialog is not None
    assert dialog.windowModality() is Qt.WindowModality.WindowModal  # never blocks the alarm
    assert "poste-2 – Mme Roux" in dialog.labelText()
    dialog.setTextValue("Poste 2 appelé ailleurs")
    dialog.accept()

    qtbot.waitUntil(lambda: bool(events(console, "taken_over")), timeout=5000)
    [event] = events(console, "taken_over")
    details = json.loads(event["details"])
    assert event["alert_pk"] == item.pk
    assert (event["station"], event["operator"]) == (STATION, OPERATOR)
    assert details["reason"] == "Poste 2 appelé ailleurs"
    assert (details["from_station"], details["from_operator"]) == ("poste-2", "Mme Roux")
    row = state_of(console, a["id"])
    assert (row["state"], row["state_station"], row["state_operator"]) == (
        "acknowledged",
        STATION,
        OPERATOR,
    )
    qtbot.waitUntil(lambda: cell(console, item.pk, "state") == f"Prise en compte · {OPERATOR}")
    qtbot.waitUntil(
        lambda: [u["station"] for u in updates_for(sim, a["id"])] == ["poste-2", STATION]
    )
    # Silenced for good: the 0.3 s repeat never came back.
    assert len(harness.rings) == rings_after_update


@pytest.mark.expected_logs("csu.ui")  # the escalation is logged as a warning
def test_urgent_alert_repeats_then_escalates_once(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start(alarm={"repeat_p1_s": 0.3, "escalation_after_s": 1.0})
    a = alert(category="incendie", priority=1)
    inject(sim, a)
    qtbot.waitUntil(lambda: "escalation" in harness.tones(), timeout=10_000)
    # One more repeat after the escalation: it did not escalate a second time.
    qtbot.waitUntil(lambda: harness.tones()[-1] == "priority1", timeout=3000)

    tones_heard = harness.tones()
    first_escalation = tones_heard.index("escalation")
    assert tones_heard[0] == "priority1"
    assert tones_heard[:first_escalation].count("priority1") >= 2
    assert tones_heard.count("escalation") == 1
    started = harness.rings[0][1]
    escalated_at = harness.rings[first_escalation][1]
    assert escalated_at - started >= 0.95  # not before escalation_after_s

    item = shown(console, a["id"])
    assert item is not None
    assert console.model.is_escalated(item.pk)
    qtbot.waitUntil(lambda: cell(console, item.pk, "state") == "⚠ Nouvelle")
    qtbot.waitUntil(lambda: bool(events(console, "escalated")))
    [event] = events(console, "escalated")
    assert event["alert_pk"] == item.pk
    assert json.loads(event["details"]) == {"to": "chef de salle"}

    # F3 selects the most urgent alert nobody took, F2 takes it.
    press(qtbot, console, Qt.Key.Key_F3)
    assert console.window.selected_alert() == console.model.alert_by_pk(item.pk)
    press(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: not console.window.banner.isVisible())
    qtbot.waitUntil(lambda: cell(console, item.pk, "state") == f"⚠ Prise en compte · {OPERATOR}")
    assert console.alarm.scheduler.ringing_keys() == []
    assert console.alarm.scheduler.escalated(item.alert.key)  # kept once taken

    # Closed and let go of by the queue, weeks later: the alarm keeps nothing of it.
    console.model.alerts_retired.emit([item])
    assert not console.alarm.scheduler.escalated(item.alert.key)


def test_reports_of_one_place_are_one_entry_one_ring_one_acknowledgement(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start(alarm={"repeat_p2_s": 60})
    now = datetime.now(UTC)
    # Three neighbours, about 30 m and a few minutes apart: one group.
    lat, lon = PORT
    reports = [
        alert(
            category="comportement_suspect",
            priority=2,
            position=(lat + dlat, lon + dlon),
            address=f"{20 + i} Eteläranta",
            sent=now - timedelta(minutes=3 - i),
        )
        for i, (dlat, dlon) in enumerate([(0.0, 0.0), (0.0002, 0.0003), (-0.0002, 0.0004)])
    ]
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000) as ring:
        inject(sim, *reports)
    assert ring.args[0] == "priority2"
    qtbot.waitUntil(lambda: console.model.report_count() == 3, timeout=5000)

    assert console.model.rowCount() == 1
    leader = console.model.alert_at(0)
    assert leader is not None and leader.alert.id == reports[0]["id"]
    assert [m.alert.id for m in console.model.members(leader.pk)] == [r["id"] for r in reports]
    assert cell(console, leader.pk, "category") == "×3  Comportement suspect"
    assert cell(console, leader.pk, "place") == "Port – 20 Eteläranta"
    assert cell(console, leader.pk, "commune") == "Port-Kaisan (démo)"  # from the position
    assert console.model.place_text(leader) == (
        "20 Eteläranta – Secteur Port – Port-Kaisan (démo)"  # the banner's words
    )
    assert console.alarm.scheduler.ringing_keys() == [leader.alert.key]
    banner = console.window.banner
    qtbot.waitUntil(lambda: "×3" in banner.text())
    assert banner.pk == leader.pk
    assert harness.tones() == ["priority2"]  # one group, one ring

    press(qtbot, console, Qt.Key.Key_F2)

    qtbot.waitUntil(lambda: not banner.isVisible())
    qtbot.waitUntil(lambda: len(events(console, "acknowledged")) == 3, timeout=5000)
    for report in reports:
        row = state_of(console, report["id"])
        assert (row["state"], row["state_station"], row["state_operator"]) == (
            "acknowledged",
            STATION,
            OPERATOR,
        )
    # Every report keeps its own log entries and goes upstream on its own.
    assert len({e["alert_pk"] for e in events(console, "acknowledged")}) == 3
    qtbot.waitUntil(
        lambda: sorted(u["id"] for u in sim.command("updates")) == sorted(r["id"] for r in reports)
    )
    assert console.model.report_count() == 3
    assert harness.tones() == ["priority2"]


@pytest.mark.expected_logs("csu.ui")  # the escalation is logged as a warning
def test_late_report_of_an_acknowledged_group_rings_escalates_and_f2_takes_it(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start(alarm={"escalation_after_s": 1.5})
    lat, lon = PORT
    first = alert(category="rixe", priority=1, position=(lat, lon))
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, first)
    qtbot.waitUntil(lambda: shown(console, first["id"]) is not None)
    press(qtbot, console, Qt.Key.Key_F2)
    banner = console.window.banner
    qtbot.waitUntil(lambda: not banner.isVisible())
    qtbot.waitUntil(lambda: state_of(console, first["id"])["state"] == "acknowledged")
    leader = shown(console, first["id"])
    assert leader is not None and not console.model.is_escalated(leader.pk)

    # Another report of the same fight, 30 m away: the group rings again, as new.
    late = alert(category="rixe", priority=1, position=(lat + 0.0002, lon + 0.0003))
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000) as ring:
        inject(sim, late)
    assert ring.args[0] == "priority1"
    qtbot.waitUntil(lambda: shown(console, late["id"]) is not None)
    late_pk = state_of(console, late["id"])["pk"]
    assert console.model.rowCount() == 1 and console.model.group_size(leader.pk) == 2
    assert banner.isVisible() and banner.pk == late_pk

    # Nobody answers it: it escalates, and the group's row says so.
    qtbot.waitUntil(lambda: "escalation" in harness.tones(), timeout=5000)
    assert cell(console, leader.pk, "state").startswith("⚠ ")
    qtbot.waitUntil(lambda: bool(events(console, "escalated")))
    assert [e["alert_pk"] for e in events(console, "escalated")] == [late_pk]

    # A click on the banner shows the group the late report belongs to.
    qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)
    assert console.window.selected_alert() == console.model.alert_by_pk(leader.pk)
    console.window.table.clearSelection()

    # F2 answers the banner: the late report is taken too, not only silenced.
    assert console.window.selected_alert() is None
    press(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: not banner.isVisible())
    qtbot.waitUntil(lambda: state_of(console, late["id"])["state"] == "acknowledged", timeout=5000)
    assert {e["alert_pk"] for e in events(console, "acknowledged")} == {leader.pk, late_pk}
    qtbot.waitUntil(
        lambda: sorted(u["id"] for u in sim.command("updates")) == sorted([first["id"], late["id"]])
    )
    assert console.alarm.scheduler.ringing_keys() == []


def test_mute_silences_repeats_for_a_while_then_the_bell_comes_back(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start(alarm={"repeat_p3_s": 0.3, "mute_max_s": 1.5})
    a = alert(category="degradation", priority=3)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, a)

    press(qtbot, console, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    muted_at = time.monotonic()
    assert console.alarm.muted_remaining() == pytest.approx(1.5, abs=0.2)
    assert console.alarm.scheduler.muted_by == OPERATOR
    button = console.window.mute_button
    assert "Son coupé" in button.text() and OPERATOR in button.text()
    assert console.window.banner.isVisible()  # the visual alarm is never muted

    # The mute ends by itself and what it held back rings again.
    with qtbot.waitSignal(console.alarm.rang, timeout=3000) as ring:
        pass
    assert ring.args[0] == "priority3"
    assert ring.args[1] - muted_at >= 1.4
    assert not [at for _, at in harness.rings if muted_at < at < muted_at + 1.4]
    assert console.alarm.muted_remaining() == 0
    assert button.text() == "Couper le son 1.5 s"  # at once; mute_max_s of this site

    qtbot.waitUntil(lambda: bool(events(console, "muted")))
    [event] = events(console, "muted")
    assert (event["station"], event["operator"]) == (STATION, OPERATOR)
    assert event["alert_pk"] is None
    assert json.loads(event["details"])["seconds"] == 2  # 1.5 s, rounded


def test_lost_link_rings(harness: Harness, qtbot: Any, sim: SimProcess) -> None:
    console = harness.start(alarm={"link_lost_repeat_s": 30})
    harness.wait_connected()
    with qtbot.waitSignal(
        console.alarm.rang, timeout=10_000, check_params_cb=lambda tone, _at: tone == "link_lost"
    ):
        sim.kill()
    assert console.alarm.scheduler.link_is_lost
    assert not console.window.banner.isVisible()  # no alert is waiting: only the sound


# -- the sound itself ----------------------------------------------------------------


def _frames(path: Path) -> bytes | None:
    """The PCM frames of a finished capture, or None while ALSA still writes it."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.readframes(w.getnframes())
    except (wave.Error, EOFError, OSError):
        return None


def _zero_crossing_hz(samples: tuple[int, ...], rate: int) -> float:
    rising = [i for i in range(1, len(samples)) if samples[i - 1] < 0 <= samples[i]]
    return (len(rising) - 1) / (rising[-1] - rising[0]) * rate


def test_the_tone_really_reached_the_sound_device(
    harness: Harness, qtbot: Any, sim: SimProcess, alsa_capture: Path
) -> None:
    console = harness.start()
    with wave.open(str(tones.tone_path("priority1")), "rb") as w:
        source_params = w.getparams()
        source = w.readframes(w.getnframes())
    before = set(captured_files(alsa_capture))

    with qtbot.waitSignal(console.alarm.rang, timeout=10_000) as ring:
        inject(sim, alert(category="incendie", priority=1))
    assert ring.args[0] == "priority1"

    def played() -> Path | None:
        return next(
            (p for p in captured_files(alsa_capture) if p not in before and _frames(p) == source),
            None,
        )

    qtbot.waitUntil(lambda: played() is not None, timeout=5000)
    capture = played()
    assert capture is not None
    with wave.open(str(capture), "rb") as w:
        params = w.getparams()
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 44_100)
    assert params == source_params
    assert params.nframes / params.framerate == pytest.approx(
        tones.TONES["priority1"].duration_s, rel=0.1
    )
    samples = struct.unpack(f"<{len(source) // 2}h", _frames(capture) or b"")
    pulse = int(0.15 * 44_100)  # the urgent tone alternates 880 / 1175 Hz every 0.15 s
    assert _zero_crossing_hz(samples[pulse // 4 : 3 * pulse // 4], 44_100) == pytest.approx(
        880, rel=0.01
    )
    assert _zero_crossing_hz(samples[5 * pulse // 4 : 7 * pulse // 4], 44_100) == pytest.approx(
        1175, rel=0.01
    )


@pytest.mark.expected_logs("csu.media", "csu.app")
def test_without_sound_device_the_console_says_so_and_still_flashes(
    harness: Harness, qtbot: Any, sim: SimProcess, tmp_path: Path
) -> None:
    # No tone can be loaded: the player is unavailable before it ever reaches ALSA.
    silent = AlarmSound(sounds_dir=tmp_path / "aucun-son")
    assert not silent.available
    console = harness.start(sound=silent)

    label = console.window.sound_label
    assert label.text() == "ALARME SONORE INDISPONIBLE"
    assert "alarme sonore indisponible" in label.toolTip()
    assert console.alarm.state()["sound"] is False

    a = alert(category="incendie", priority=1)
    inject(sim, a)
    banner = console.window.banner
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    assert "Incendie" in banner.text()
    style = banner.styleSheet()
    qtbot.waitUntil(lambda: banner.styleSheet() != style, timeout=2000)  # it flashes
    qtbot.waitUntil(lambda: shown(console, a["id"]) is not None)
    assert harness.rings == []  # nothing could be played, nothing claims it was


def test_a_new_alert_recentres_the_map_on_it_with_its_cameras(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start()
    harness.wait_connected()
    view = console.map_pane.view
    far = scene_to_lonlat(view.center_scene())
    cam = console.site.cameras[0]
    lon, lat = destination_point(cam.lon, cam.lat, cam.heading_deg, cam.range_m / 2)
    inject(sim, alert(category="rixe", priority=1, position=(lat, lon)))

    def centred() -> bool:
        c_lon, c_lat = scene_to_lonlat(view.center_scene())
        return haversine_m(c_lon, c_lat, lon, lat) < 40

    qtbot.waitUntil(centred, timeout=10_000)
    assert haversine_m(far[0], far[1], lon, lat) > 40  # it really moved
    ranked = rank_cameras(console.site.cameras, console.site.zones, lon, lat, limit=9)
    seeing = [r.camera.id for r in ranked if r.sees]
    assert seeing and set(console.map_pane.overlays.highlighted_cameras()) >= set(seeing)


def test_a_new_alert_brings_a_minimized_console_back_and_a_storm_raises_it_once(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = harness.start()
    harness.wait_connected()
    window = console.window
    raises = calls_to(monkeypatch, window, "raise_")
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)

    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, alert(priority=1))
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert len(raises) == 1
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)

    # In front, with the keyboard: new alerts ring, the window is not raised again
    # (each raise repaints the whole window; a storm rings many times a second).
    for position in ((60.1675, 24.9520), (60.1660, 24.9490)):
        with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
            inject(sim, alert(category="rixe", priority=1, position=position))
    assert len(raises) == 1

    # Another window in front: the next alert raises the console again.
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other, timeout=2000)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, alert(category="incendie", priority=1, position=(60.1690, 24.9560)))
    assert len(raises) == 2


def test_a_lone_alert_paints_the_banner_at_once_a_storm_paints_in_steps(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An immediate repaint paints everything waiting in the window (queue, map,
    wall): worth it for one alert, not on each of a storm's batches; in a storm the
    queue and the map repaint in steps."""
    console = harness.start()
    harness.wait_connected()
    banner = console.window.banner
    repaints = calls_to(monkeypatch, banner, "repaint")
    slices: list[int] = []
    throttled: list[bool] = []  # were the queue and the map in steps, slice by slice

    def on_slice(outcomes: list[Any]) -> None:
        slices.append(len(outcomes))
        throttled.append(console.paint_throttle.throttled)

    console.bridge.frames_committed.connect(on_slice)

    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, alert(priority=1))
    assert len(repaints) == 1

    # One place, one group: the alarm stays out of its own storm mode.
    count = 4 * COMMIT_SLICE
    inject(sim, *[alert(priority=2) for _ in range(count)])
    qtbot.waitUntil(lambda: console.model.report_count() == count + 1, timeout=30_000)
    assert len(slices) >= 1 + count // COMMIT_SLICE
    # Only slices that came before the link's first big batch may have painted.
    assert len(repaints) - 1 <= len([n for n in slices[1:] if n < STORM_BATCH])
    # Meanwhile the queue and the map repainted in steps; all is free after the storm.
    assert throttled[0] is False and True in throttled
    assert all(throttled[throttled.index(True) :])  # from the first big batch to the end
    qtbot.waitUntil(lambda: not console.paint_throttle.throttled, timeout=5000)
    qtbot.waitUntil(lambda: not console.gc_hold.holding, timeout=5000)
    assert console.window.table.viewport().updatesEnabled()

    qtbot.waitUntil(lambda: not GUI_LOAD.flooded, timeout=5000)
    before = len(repaints)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, alert(category="rixe", priority=1, position=(60.1690, 24.9560)))
    assert len(repaints) == before + 1
