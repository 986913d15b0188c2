"""The hub's claims at a real console (link process, SQLite, queue, alarm), against
the scripted stand-in hub of ``tests/fake_hub.py`` (the real hub is written in
parallel): an alert handled elsewhere is stored handled and never rings; a
``claim`` silences a ringing alert; a refused F2 names the holder at once and the
next F2 asks for a reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_hub import FakeHub, claim
from PySide6.QtWidgets import QApplication
from test_interrupt_cycle import Harness

from csu_console.core import hub_protocol as hp
from csu_console.core.alerts import AlertState
from csu_console.media.stream_server.control import RtspServerProcess

SOURCE = "plateforme-citoyenne"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    h = FakeHub("hub-a").start()
    yield h
    h.close()


@pytest.fixture
def on_hub(
    qtbot: Any, qapp: QApplication, hub: FakeHub, tmp_path: Path, demo_streams: RtspServerProcess
) -> Iterator[Harness]:
    h = Harness(qtbot, qapp, hub, tmp_path, demo_streams)  # type: ignore[arg-type]
    try:
        yield h
    finally:
        h.stop()


def test_claims_from_the_hub_on_screen(on_hub: Harness, hub: FakeHub, qtbot: Any) -> None:
    console = on_hub.start(alarm={"repeat_p2_s": 60})
    qtbot.waitUntil(lambda: console.link.status.hub == "hub-a", timeout=20_000)
    ringing = console.alarm.scheduler.ringing_keys

    # Handled at poste-2 while we were away: stored handled, shown, never rings.
    hub.push_alert(1, "H", with_claim=claim("H", operator="Martin"))
    hub.push_alert(2, "N")
    qtbot.waitUntil(lambda: (SOURCE, "N") in ringing(), timeout=10_000)
    qtbot.waitUntil(lambda: console.model.by_key((SOURCE, "H")) is not None)  # merged
    handled = console.model.by_key((SOURCE, "H"))
    assert handled is not None and handled.state is AlertState.ACKNOWLEDGED
    assert handled.state_station == "poste-2"
    assert (SOURCE, "H") not in ringing()

    # poste-2 takes N: the hub says so, the alarm stops, the queue shows the holder.
    hub.push(hp.claim_changed(claim("N", operator="Martin")))
    qtbot.waitUntil(lambda: (SOURCE, "N") not in ringing(), timeout=10_000)
    taken = console.model.by_key((SOURCE, "N"))
    assert taken is not None and taken.state_operator == "Martin"

    # F2 at the same moment as poste-3: the hub refuses ours and names the holder.
    holder = claim("R", station="poste-3", operator="Petit")
    hub.answer_status = lambda m: hp.status_result(m["sid"], False, holder, "déjà prise")
    hub.push_alert(3, "R")
    qtbot.waitUntil(lambda: (SOURCE, "R") in ringing(), timeout=10_000)
    qtbot.waitUntil(lambda: console.model.by_key((SOURCE, "R")) is not None)
    r = console.model.by_key((SOURCE, "R"))
    assert r is not None
    console.operations.acknowledge(r.pk)
    qtbot.waitUntil(lambda: bool(hub.of_type("status")), timeout=10_000)
    sent = hub.of_type("status")[0]
    assert (sent["id"], sent["kind"], sent["expect"]) == ("R", "acknowledged", None)
    bar = console.window.statusBar()
    qtbot.waitUntil(lambda: "poste-3 – Petit" in bar.currentMessage(), timeout=10_000)
    assert f"n° {r.pk}" in bar.currentMessage()
    now = console.model.by_key((SOURCE, "R"))
    assert now is not None and (now.state_station, now.state_operator) == ("poste-3", "Petit")
    # The next F2 is a takeover: a reason is asked.
    console.operations.acknowledge(r.pk)
    qtbot.waitUntil(lambda: console.operations.reason_dialog is not None, timeout=5000)
    dialog = console.operations.reason_dialog
    assert dialog is not None and "poste-3" in dialog.labelText()
    dialog.reject()
    assert json.loads(json.dumps(hub.hellos[0]))["features"] == list(hp.FEATURES)
