"""The dispatch cycle through the GUI, end to end: real csu-sim, the real Console,
keyboard shortcuts (F4, F5, F6), the dialogs, and the main courante in SQLite."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from test_interrupt_cycle import (
    Harness,
    db_rows,
    inject,
    shown,
    state_of,
    updates_for,
)
from test_interrupt_cycle import alert as make_alert

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import UnitStatus
from csu_console.ui.console.dispatch_dialog import DispatchDialog, EndDialog


def wait_dialog(qtbot: Any, console: Any, kind: type) -> Any:
    qtbot.waitUntil(
        lambda: isinstance(console.dispatch.dialog, kind) and console.dispatch.dialog.isVisible(),
        timeout=5000,
    )
    return console.dispatch.dialog


def answer(qtbot: Any, console: Any, yes: bool) -> None:
    qtbot.waitUntil(
        lambda: (
            isinstance(console.dispatch.question, QMessageBox)
            and console.dispatch.question.isVisible()
        ),
        timeout=5000,
    )
    box = console.dispatch.question
    button = box.button(QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def key(qtbot: Any, console: Any, name: str) -> None:
    """Press a function key in the console window (activated first: a closed dialog
    leaves no active window on the offscreen platform, and shortcuts need one)."""
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window.table, getattr(Qt.Key, f"Key_{name}"))


def kinds_for(console: Any, pk: int) -> list[str]:
    rows = db_rows(console, "SELECT kind FROM events WHERE alert_pk = ? ORDER BY pk", pk)
    return [r["kind"] for r in rows]


def test_dispatch_on_site_end_and_close_are_logged_in_order(
    qtbot: Any, qapp: QApplication, harness: Harness
) -> None:
    console = harness.start()
    first = make_alert(category="rixe", priority=1, address="5 Eteläranta")
    inject(harness.sim, first)
    qtbot.waitUntil(lambda: shown(console, first["id"]) is not None, timeout=10_000)
    item = shown(console, first["id"])
    assert item is not None
    console.window.select_pk(item.pk)
    qtbot.waitUntil(lambda: bool(console.dispatch.states), timeout=5000)

    key(qtbot, console, "F4")
    dialog = wait_dialog(qtbot, console, DispatchDialog)
    assert dialog.emergency  # a fight, urgent: the 17/18 reminder is loud
    assert dialog.chosen_unit().name == "Alpha 1"  # first available unit preselected
    # QTest types ASCII only: the accented part is pasted
    qtbot.keyClicks(dialog.instructions, "Deux individus")
    dialog.instructions.insertPlainText(", discrétion")
    qtbot.keyClick(dialog.instructions, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: (
            console.dispatch.states.get("pm-alpha-1") is not None
            and console.dispatch.states["pm-alpha-1"].status is UnitStatus.EN_INTERVENTION
        ),
        timeout=5000,
    )
    assert state_of(console, first["id"])["state"] == AlertState.DISPATCHED.value
    assert "Alpha 1 · Engagée" in console.unit_strip.chips["pm-alpha-1"].text()
    qtbot.waitUntil(lambda: bool(updates_for(harness.sim, first["id"])), timeout=5000)
    assert updates_for(harness.sim, first["id"])[-1]["state"] == "dispatched"

    key(qtbot, console, "F5")  # on site: one unit engaged, no question
    qtbot.waitUntil(lambda: "on_site" in kinds_for(console, item.pk), timeout=5000)

    key(qtbot, console, "F6")
    end = wait_dialog(qtbot, console, EndDialog)
    end.outcome_box.setCurrentIndex(end.outcome_box.findData("rien_a_signaler"))
    end.comment.setPlainText("Individus partis avant l'arrivée")
    qtbot.keyClick(end.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # The timeline on screen tells the story (before closing: a closed alert leaves
    # the « open alerts » queue, and the detail with it).
    qtbot.waitUntil(
        lambda: "Intervention terminée" in console.window.detail.browser.toPlainText(),
        timeout=5000,
    )
    text = console.window.detail.browser.toPlainText()
    assert "Unité engagée" in text and "Unité sur place" in text and "Rien à signaler" in text
    answer(qtbot, console, yes=True)  # no unit left: close the alert
    qtbot.waitUntil(
        lambda: state_of(console, first["id"])["state"] == AlertState.CLOSED.value, timeout=5000
    )

    kinds = kinds_for(console, item.pk)
    steps = ["received", "displayed", "dispatched", "on_site", "dispatch_ended", "closed"]
    assert [k for k in kinds if k in steps] == steps
    assert "camera_viewed" in kinds  # the wall showed its cameras on selection
    dispatched = db_rows(
        console, "SELECT * FROM events WHERE kind = 'dispatched' AND alert_pk = ?", item.pk
    )[0]
    details = json.loads(dispatched["details"])
    assert details["unit"] == "pm-alpha-1" and details["comment"] == "Deux individus, discrétion"
    assert dispatched["operator"] == "testeur" and dispatched["station"] == "poste-1"
    ended = db_rows(console, "SELECT details FROM events WHERE kind = 'dispatch_ended'")[0]
    assert json.loads(ended["details"])["outcome"] == "rien_a_signaler"
    assert console.dispatch.states["pm-alpha-1"].status is UnitStatus.DISPONIBLE
    report = console.writer.submit(lambda s: s.verify_chain()).result(timeout=10)
    assert report.ok, report


def test_an_engaged_unit_asks_for_confirmation(
    qtbot: Any, qapp: QApplication, harness: Harness
) -> None:
    console = harness.start()
    a1 = make_alert(address="1 Eteläranta")
    inject(harness.sim, a1)
    qtbot.waitUntil(lambda: shown(console, a1["id"]) is not None, timeout=10_000)
    first = shown(console, a1["id"])
    assert first is not None
    qtbot.waitUntil(lambda: bool(console.dispatch.states), timeout=5000)
    alpha = console.site.dispatch.units[0]
    console.dispatch.plan_and_record(first.pk, alpha, "")
    qtbot.waitUntil(
        lambda: state_of(console, a1["id"])["state"] == AlertState.DISPATCHED.value, timeout=5000
    )
    qtbot.waitUntil(
        lambda: console.dispatch.states[alpha.id].status is UnitStatus.EN_INTERVENTION,
        timeout=5000,
    )
    # a second alert far enough not to be grouped with the first
    a2 = make_alert(category="degradation", address="Autre rue")
    inject(harness.sim, a2)
    qtbot.waitUntil(lambda: shown(console, a2["id"]) is not None, timeout=10_000)
    second = shown(console, a2["id"])
    assert second is not None
    console.dispatch.plan_and_record(second.pk, alpha, "")
    answer(qtbot, console, yes=False)
    assert "dispatched" not in kinds_for(console, second.pk)
    assert state_of(console, a2["id"])["state"] == AlertState.NEW.value
    console.dispatch.plan_and_record(second.pk, alpha, "")
    answer(qtbot, console, yes=True)
    qtbot.waitUntil(lambda: "dispatched" in kinds_for(console, second.pk), timeout=5000)
    row = db_rows(
        console, "SELECT details FROM events WHERE kind = 'dispatched' AND alert_pk = ?", second.pk
    )[0]
    assert json.loads(row["details"])["previous_alert"] == first.pk
