"""The handover (Ctrl+L) on the real console (csu-sim, link process, SQLite, review
worker): the digest always shows, even with no shift open, P1s first; « Clôturer
la vacation et passer la main » writes ``shift_closed`` before the logout; the
status bar says at all times whether the station's shift is open."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_interrupt_cycle import STATION, Harness, alert, events, inject, press, shown

from csu_console.app import Console
from csu_console.demo_access import DEMO_PASSWORD
from csu_console.sim.control import SimProcess
from csu_console.ui.console.handover import HandoverDialog


def handover_dialog(qtbot: Any, console: Console) -> HandoverDialog:
    press(qtbot, console, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: console.handover.dialog is not None and console.handover.dialog.isVisible(),
        timeout=10_000,
    )
    dialog = console.handover.dialog
    assert dialog is not None
    return dialog


def test_with_no_shift_open_ctrl_l_shows_the_digest_p1_first_then_logs_out(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start()  # no shift opened: the demo's default
    status = console.shift_status
    qtbot.waitUntil(lambda: status.text() == "Aucune vacation ouverte")
    assert status.isVisible()
    low, urgent = alert(category="degradation", priority=3), alert(category="incendie", priority=1)
    inject(sim, low)
    qtbot.waitUntil(lambda: shown(console, low["id"]) is not None, timeout=10_000)
    inject(sim, urgent)  # a higher n°, received later: listed first all the same
    qtbot.waitUntil(lambda: shown(console, urgent["id"]) is not None, timeout=10_000)

    dialog = handover_dialog(qtbot, console)
    assert console.session.account is not None  # nobody leaves before confirming
    assert "Aucune vacation ouverte à ce poste : depuis la connexion de" in dialog.intro.text()
    assert not dialog.close_shift_button.isVisible()
    table = dialog.view.open_alerts
    assert table.rowCount() == 2
    first, second = (shown(console, urgent["id"]), shown(console, low["id"]))
    assert first is not None and second is not None
    assert [table.item(r, 0).text() for r in range(2)] == [str(first.pk), str(second.pk)]
    assert table.item(0, 2).text() == "Urgente"

    qtbot.mouseClick(dialog.hand_over_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(console.sessions.dialog.isVisible)
    assert console.session.account is None
    qtbot.waitUntil(lambda: bool(events(console, "logout")))
    assert events(console, "shift_closed") == []


def test_cancel_keeps_the_operator_and_an_empty_digest_says_so(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start()
    console.sessions.handover()  # Ctrl+L twice in a row: one digest
    dialog = handover_dialog(qtbot, console)
    console.sessions.handover()
    qtbot.waitUntil(lambda: not console.review.worker.busy)
    assert console.handover.dialog is dialog
    shown_dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, HandoverDialog)]
    assert [w for w in shown_dialogs if w.isVisible()] == [dialog]
    assert "Rien à transmettre." in dialog.intro.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert console.session.account is not None
    assert not console.sessions.dialog.isVisible()
    barrier = console.writer.submit(lambda _s: None)
    qtbot.waitUntil(barrier.done)
    assert events(console, "logout") == []


def test_closing_the_shift_at_handover_writes_shift_closed_then_logout(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start()
    status = console.shift_status
    console.window.shift_open_action.trigger()
    qtbot.waitUntil(lambda: status.text().startswith("Vacation ouverte depuis"))
    [opened] = events(console, "shift_opened")
    assert status.text().endswith("(testeur)")
    assert "par testeur" in status.toolTip()
    # Permanent, not a 15-second message: still there once messages come and go.
    console.window.show_message("autre chose")
    assert status.isVisible() and status.text().startswith("Vacation ouverte depuis")

    dialog = handover_dialog(qtbot, console)
    assert "Vacation ouverte le" in dialog.intro.text() and "par testeur" in dialog.intro.text()
    assert dialog.close_shift_button.isVisible() and dialog.close_shift_button.isEnabled()
    qtbot.mouseClick(dialog.close_shift_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(console.sessions.dialog.isVisible)
    qtbot.waitUntil(lambda: bool(events(console, "logout")))
    [closed] = events(console, "shift_closed")
    [logout] = events(console, "logout")
    assert opened["pk"] < closed["pk"] < logout["pk"]
    assert (closed["station"], closed["operator"]) == (STATION, "testeur")
    assert json.loads(closed["details"])["opened_pk"] == opened["pk"]
    qtbot.waitUntil(lambda: status.text() == "Aucune vacation ouverte")


def test_the_demo_account_logs_back_in_with_the_printed_password(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    """The trainee's way back after Ctrl+L (the password ``csu-console demo`` prints;
    before, the demo's account had a random password nobody knew)."""
    console = harness.start(autologin="demo", autologin_password=DEMO_PASSWORD)
    dialog = handover_dialog(qtbot, console)
    qtbot.mouseClick(dialog.hand_over_button, Qt.MouseButton.LeftButton)
    login = console.sessions.dialog
    qtbot.waitUntil(login.isVisible)
    login.login.setText("demo")
    login.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(console.session.changed, timeout=10_000):
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert console.session.account is not None and console.session.account.login == "demo"
    assert not login.isVisible()
