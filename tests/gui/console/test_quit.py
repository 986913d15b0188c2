"""Quitting the real console (csu-sim, link process, SQLite): Ctrl+Q and the close
button ask first, want a reason while alerts are open, write ``console_stopped``
(who, when, why) then ``logout``, and stop the whole application even with the
review or setup window open; closing those windows never quits; a signal stops
at once without a dialog.

``console.app`` is replaced by a recorder of ``exit()`` codes (as SIGTERM does,
the console quits with ``exit``): the test's application keeps running.
"""

from __future__ import annotations

import json
import signal
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from test_interrupt_cycle import STATION, Harness, alert, events, inject, press, shown
from test_login import activate, add_accounts

from csu_console.app import Console
from csu_console.core.roles import Role
from csu_console.sim.control import SimProcess
from csu_console.storage.store import DB_NAME
from csu_console.ui.console.quit import QuitDialog


def exits(monkeypatch: pytest.MonkeyPatch, console: Console) -> list[int]:
    codes: list[int] = []
    monkeypatch.setattr(console, "app", SimpleNamespace(exit=codes.append))
    return codes


def quit_dialog(qtbot: Any, console: Console) -> QuitDialog:
    qtbot.waitUntil(lambda: console.quitter.dialog is not None, timeout=3000)
    dialog = console.quitter.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def settle(qtbot: Any, console: Console) -> None:
    """Every write queued so far is in the database file."""
    barrier = console.writer.submit(lambda _s: None)
    qtbot.waitUntil(barrier.done)


def test_ctrl_q_asks_first_and_cancel_keeps_the_console(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = harness.start()
    codes = exits(monkeypatch, console)
    press(qtbot, console, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    dialog = quit_dialog(qtbot, console)
    assert console.window.isVisible() and codes == []
    assert dialog.counts.text() == "Aucune alerte ouverte."
    assert dialog.quit_button.isEnabled() and dialog.cancel_button.isDefault()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    settle(qtbot, console)
    assert codes == [] and console.window.isVisible()
    assert events(console, "console_stopped") == [] and events(console, "logout") == []


def test_open_alerts_are_counted_and_need_a_reason_then_it_is_logged(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = harness.start()
    codes = exits(monkeypatch, console)
    a, b = alert(priority=1), alert(category="rixe", priority=2, position=(60.1690, 24.9560))
    inject(sim, a, b)
    qtbot.waitUntil(
        lambda: None not in (shown(console, a["id"]), shown(console, b["id"])), timeout=10_000
    )

    console.window.close()  # the window manager's close button: the same question
    dialog = quit_dialog(qtbot, console)
    assert console.window.isVisible()
    assert dialog.counts.text() == "2 alerte(s) encore ouverte(s), dont 2 non prise(s) en compte."
    assert not dialog.quit_button.isEnabled()
    activate(qtbot, dialog)  # type: ignore[arg-type]
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason: nothing happens
    assert dialog.isVisible() and codes == []
    qtbot.keyClicks(dialog.reason, "  fin de service,   poste repris au PC  ")
    assert dialog.quit_button.isEnabled()
    qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert codes == [0]

    qtbot.waitUntil(lambda: bool(events(console, "logout")))
    [stopped] = events(console, "console_stopped")
    [logout] = events(console, "logout")
    assert stopped["pk"] < logout["pk"]
    assert (stopped["station"], stopped["operator"]) == (STATION, "testeur")
    assert stopped["at_local"]  # when: the logbook's own time stamp
    assert json.loads(stopped["details"]) == {
        "reason": "fin de service, poste repris au PC",
        "open_alerts": 2,
        "new_alerts": 2,
        "via": "console",
    }
    # Confirmed: the window may close now (the application's stop closes it).
    assert console.quitter.allow_close()


@pytest.mark.parametrize(
    ("role", "which"), [(Role.SUPERVISEUR, "review"), (Role.INSTALLATEUR, "setup")]
)
def test_ctrl_q_with_the_review_or_setup_open_quits_everything(
    harness: Harness,
    qtbot: Any,
    sim: SimProcess,
    monkeypatch: pytest.MonkeyPatch,
    role: Role,
    which: str,
) -> None:
    """Before: Ctrl+Q closed only the queue window; the process went on receiving
    and escalating alerts behind the review, with no queue on screen."""
    add_accounts(harness.tmp_path / "data" / DB_NAME, ("chef", role, "Chef"))
    console = harness.start(autologin="chef")
    codes = exits(monkeypatch, console)
    if which == "review":
        console.window.review_action.trigger()
    else:
        console.window.site_setup_action.trigger()
    launcher = console.review if which == "review" else console.setup
    qtbot.waitUntil(lambda: launcher.window is not None and launcher.window.isVisible())
    other = launcher.window
    assert isinstance(other, QMainWindow)

    press(qtbot, console, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    dialog = quit_dialog(qtbot, console)
    assert console.window.isVisible() and other.isVisible()  # nothing closed yet
    qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    # The whole application exits (its stop closes the other window), not just the
    # queue window.
    assert codes == [0]
    settle(qtbot, console)
    [stopped] = events(console, "console_stopped")
    assert stopped["operator"] == "chef"


def test_closing_the_review_or_setup_window_never_quits(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_accounts(harness.tmp_path / "data" / DB_NAME, ("chef", Role.SUPERVISEUR, "Chef"))
    console = harness.start(autologin="chef")
    codes = exits(monkeypatch, console)
    console.window.review_action.trigger()
    qtbot.waitUntil(lambda: console.review.window is not None and console.review.window.isVisible())
    review = console.review.window
    assert review is not None
    # Even with the console minimised (the review then is the last window shown).
    console.window.showMinimized()
    review.close()
    qtbot.waitUntil(lambda: not review.isVisible())
    assert not QApplication.quitOnLastWindowClosed()
    assert codes == [] and console.quitter.dialog is None
    settle(qtbot, console)
    assert events(console, "console_stopped") == []
    console.window.showNormal()


def test_ctrl_q_on_the_login_screen_asks_too(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = harness.start(autologin=None)
    login = console.sessions.dialog
    qtbot.waitUntil(login.isVisible)
    codes = exits(monkeypatch, console)
    activate(qtbot, login)
    qtbot.keyClick(login.login, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    dialog = quit_dialog(qtbot, console)
    assert dialog.parent() is login  # above the login screen, not hidden behind it
    assert codes == []
    qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert codes == [0]
    qtbot.waitUntil(lambda: bool(events(console, "console_stopped")))
    [stopped] = events(console, "console_stopped")
    assert stopped["operator"] is None  # nobody was logged in
    assert events(console, "logout") == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_at_once_without_a_dialog_and_is_logged(
    harness: Harness,
    qtbot: Any,
    sim: SimProcess,
    monkeypatch: pytest.MonkeyPatch,
    signum: signal.Signals,
) -> None:
    console = harness.start()
    codes = exits(monkeypatch, console)
    console.quitter.on_signal(signum)
    assert codes == [0] and console.quitter.dialog is None
    qtbot.waitUntil(lambda: bool(events(console, "logout")))
    [stopped] = events(console, "console_stopped")
    details = json.loads(stopped["details"])
    assert (details["via"], details["reason"]) == ("signal", f"signal {signum.name}")
