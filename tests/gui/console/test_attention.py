"""A new alert while the supervisor works in the review window or the installer in
the setup window, on the real console (csu-sim, link process, SQLite, alarm): it
rings and shows a flashing notice in that window, the console is not raised over
it, and a click on the notice brings the console forward on that alert.

The rule itself is Qt-free and tested case by case in tests/unit/core/test_attention_rule.py.
Here the windows are really activated (the offscreen platform does activate
windows of this process); what it cannot show is *another program* in front: that
case feeds the router the screen state it would read (``probe``), and says so.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow
from test_interrupt_cycle import Harness, alert, calls_to, inject, shown
from test_login import add_accounts

from csu_console.core.attention import Attention, Front
from csu_console.core.roles import Role
from csu_console.sim.control import SimProcess
from csu_console.storage.store import DB_NAME
from csu_console.ui.console.dialogs import ask_reason


def activate(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


@pytest.mark.parametrize(
    ("role", "which"), [(Role.SUPERVISEUR, "review"), (Role.INSTALLATEUR, "setup")]
)
def test_an_alert_over_a_work_window_shows_there_and_does_not_steal_it(
    harness: Harness,
    qtbot: Any,
    sim: SimProcess,
    monkeypatch: pytest.MonkeyPatch,
    role: Role,
    which: str,
) -> None:
    add_accounts(harness.tmp_path / "data" / DB_NAME, ("chef", role, "Chef"))
    console = harness.start(autologin="chef")
    harness.wait_connected()
    if which == "review":
        console.window.review_action.trigger()
    else:
        console.window.site_setup_action.trigger()
    launcher = console.review if which == "review" else console.setup
    qtbot.waitUntil(lambda: launcher.window is not None and launcher.window.isVisible())
    work = launcher.window
    assert isinstance(work, QMainWindow)
    activate(qtbot, work)
    notice = console.alarm.attention.notice_of(work)
    assert notice is not None and notice.isVisible()
    assert notice.text() == "Console : aucune alerte en attente"
    assert notice.width() > work.width() // 2  # across the window's top, readable
    assert notice.mapTo(work, notice.rect().topLeft()).y() < work.centralWidget().y()
    height = notice.height()
    raises = calls_to(monkeypatch, console.window, "raise_")
    activations = calls_to(monkeypatch, console.window, "activateWindow")

    a = alert(category="incendie", priority=1)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000) as ring:
        inject(sim, a)
    assert ring.args[0] == "priority1"  # it still sounds
    qtbot.waitUntil(lambda: shown(console, a["id"]) is not None)
    item = shown(console, a["id"])
    assert item is not None
    assert console.alarm.attention.last_attention is Attention.NOTIFY
    assert raises == [] and activations == []
    assert QApplication.activeWindow() is work  # the supervisor's clicks stay theirs
    assert notice.text().startswith(f"Nouvelle alerte urgente n° {item.pk} – Incendie")
    assert notice.text().endswith("— cliquer pour aller à la console")
    assert notice.flashing and notice.height() == height  # nothing moved under the pointer
    assert console.window.banner.isVisible()  # the console's own banner too

    qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console.window, timeout=2000)
    assert len(raises) == 1
    selected = console.window.selected_alert()
    assert selected is not None and selected.pk == item.pk


def test_never_while_typing_in_another_window(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = harness.start()
    harness.wait_connected()
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    activate(qtbot, field)
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    raises = calls_to(monkeypatch, console.window, "raise_")
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, alert(priority=1))
    assert console.alarm.attention.last_attention is Attention.NOTIFY
    assert raises == [] and QApplication.activeWindow() is field


def test_minimised_behind_another_program_it_is_brought_back_even_with_the_review_open(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offscreen cannot put another program in front: the router is told the screen
    it would read then (none of our windows active), the rest is real."""
    add_accounts(harness.tmp_path / "data" / DB_NAME, ("chef", Role.SUPERVISEUR, "Chef"))
    console = harness.start(autologin="chef")
    harness.wait_connected()
    console.window.review_action.trigger()
    qtbot.waitUntil(lambda: console.review.window is not None)
    attention = console.alarm.attention
    window = console.window
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    attention.probe = lambda: replace(attention.focus_state(), front=Front.ELSEWHERE)
    raises = calls_to(monkeypatch, window, "raise_")
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, alert(priority=2))
    assert attention.last_attention is Attention.RAISE
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert len(raises) == 1


def test_never_over_a_question_of_the_review_window(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export's « motif » question (a modal dialog of the review) keeps the
    keyboard: the console stays behind, the notice shows the alert."""
    add_accounts(harness.tmp_path / "data" / DB_NAME, ("chef", Role.SUPERVISEUR, "Chef"))
    console = harness.start(autologin="chef")
    harness.wait_connected()
    console.window.review_action.trigger()
    qtbot.waitUntil(lambda: console.review.window is not None and console.review.window.isVisible())
    review = console.review.window
    assert review is not None
    question = ask_reason(review, "Exporter", "Motif :", lambda _r: None, lambda: None)
    qtbot.waitUntil(question.isVisible)
    activate(qtbot, question)
    state = console.alarm.attention.focus_state()
    assert state.front is Front.WORK and state.modal_open and state.editing
    raises = calls_to(monkeypatch, console.window, "raise_")
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, alert(priority=1))
    assert console.alarm.attention.last_attention is Attention.NOTIFY
    assert raises == [] and QApplication.activeWindow() is question
    question.reject()
