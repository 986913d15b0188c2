"""« Son rétabli » before the end of a mute, on the real console (csu-sim, link
process, SQLite, alarm): logged as ``unmuted``, so the review counts the real
silence (tests/e2e/test_report_mute.py reads it back)."""

from __future__ import annotations

import json
import time
from typing import Any

from PySide6.QtCore import Qt
from test_interrupt_cycle import OPERATOR, STATION, Harness, events, press

from csu_console.sim.control import SimProcess


def test_sound_back_early_is_logged_with_who_and_what_was_left(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start(alarm={"mute_max_s": 120})
    press(qtbot, console, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert console.alarm.muted_remaining() > 100
    muted_at = time.monotonic()

    press(qtbot, console, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # rétablir
    assert console.alarm.muted_remaining() == 0
    assert console.window.mute_button.text() == "Couper le son 2 min"
    qtbot.waitUntil(lambda: bool(events(console, "unmuted")))
    [muted] = events(console, "muted")
    [unmuted] = events(console, "unmuted")
    assert muted["pk"] < unmuted["pk"]
    assert (unmuted["station"], unmuted["operator"]) == (STATION, OPERATOR)
    details = json.loads(unmuted["details"])
    assert details["muted_by"] == OPERATOR
    assert 120 - (time.monotonic() - muted_at) - 2 <= details["remaining_s"] <= 120

    # Not muted any more: nothing more to bring back, nothing more logged.
    console.alarm.unmute()
    barrier = console.writer.submit(lambda _s: None)
    qtbot.waitUntil(barrier.done)
    assert len(events(console, "unmuted")) == 1
