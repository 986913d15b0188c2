"""Weak signals in the real console (a real csu-sim, the demo site): a scan that
finds new signals shows the chef de salle a discreet badge and never rings, never
raises a banner, never takes the focus; operators see nothing and are refused the
screen in French; an alert arriving while the screen is in front shows there as in
the review (the hands-on report's H3) instead of raising the console over it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from signals_ui_support import StandIn, fixed_signal, point_in
from test_interrupt_cycle import Harness, alert, calls_to, inject, shown
from test_login import add_accounts

from csu_console.app import Console
from csu_console.core.attention import Attention
from csu_console.core.roles import Role
from csu_console.sim.control import SimProcess
from csu_console.storage.store import DB_NAME
from csu_console.ui.signals.window import SignalsWindow


def supervisor_console(harness: Harness) -> Console:
    add_accounts(harness.tmp_path / "data" / DB_NAME, ("chef", Role.SUPERVISEUR, "Chef"))
    return harness.start(autologin="chef")


def standin(console: Console, *cells: str) -> StandIn:
    now = datetime.now(UTC)
    where = point_in(console.site, "secteur-gare")
    s = StandIn(fixed=[fixed_signal(c, now, where) for c in cells])
    console.signals.scanner.engine = s.engine()
    return s


def scan(qtbot: Any, console: Console) -> None:
    with qtbot.waitSignal(console.signals.scanner.scan_finished, timeout=10_000):
        assert console.signals.scanner.scan_now()


def test_new_signals_show_a_badge_and_never_ring(harness: Harness, qtbot: Any) -> None:
    console = supervisor_console(harness)
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    badge = console.signals.badge
    assert not badge.isVisible()
    standin(console, "gare")
    scan(qtbot, console)
    assert badge.isVisible() and badge.text() == "1 nouveau signal faible"
    standin(console, "gare", "port")
    scan(qtbot, console)
    assert badge.text() == "2 nouveaux signaux faibles"
    # Discreet: no sound, no banner, no window, the focus where it was.
    assert harness.rings == []
    assert not window.banner.isVisible()
    assert console.signals.window is None
    assert QApplication.activeWindow() is window
    conn = sqlite3.connect(f"file:{console.writer.path}?mode=ro", uri=True)
    try:
        detected = conn.execute("SELECT count(*) FROM events WHERE kind = 'signal_detected'")
        assert detected.fetchone()[0] == 2
    finally:
        conn.close()
    # A click opens the screen, watched like the review (never raised over).
    badge.click()
    screen = console.signals.window
    assert isinstance(screen, SignalsWindow)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2, timeout=5000)
    assert console.alarm.attention.notice_of(screen) is not None
    assert not badge.isVisible()
    assert harness.rings == []


def test_operators_see_no_badge_and_are_refused_the_screen(harness: Harness, qtbot: Any) -> None:
    console = harness.start()  # the operator of the tests
    standin(console, "gare")
    scan(qtbot, console)
    assert console.signals.badge.count == 1 and not console.signals.badge.isVisible()
    assert not console.signals.action.isEnabled()
    assert console.signals.open_signals() is None
    assert (
        console.window.statusBar()
        .currentMessage()
        .startswith("Action réservée : le rôle « Opérateur »")
    )
    assert console.signals.window is None
    assert harness.rings == []


def test_an_alert_over_the_signals_screen_does_not_steal_it(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = supervisor_console(harness)
    harness.wait_connected()
    console.signals.action.trigger()
    screen = console.signals.window
    assert isinstance(screen, SignalsWindow)
    qtbot.waitUntil(screen.isVisible)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen, timeout=2000)
    notice = console.alarm.attention.notice_of(screen)
    assert notice is not None and notice.text() == "Console : aucune alerte en attente"
    raises = calls_to(monkeypatch, console.window, "raise_")
    a = alert(category="incendie", priority=1)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, a)  # a real alert still rings
    qtbot.waitUntil(lambda: shown(console, a["id"]) is not None)
    assert console.alarm.attention.last_attention is Attention.NOTIFY
    assert raises == []
    assert QApplication.activeWindow() is screen
    assert notice.text().startswith("Nouvelle alerte urgente n°")
