"""The « Signaux faibles » screen in the console window (offscreen), on a real
SQLite file, with the stand-in detector (tests/signals_ui_support.py): the menu entry
gated on WEAK_SIGNALS and refused in French to an operator, a scan on demand that
fills the list, the selected signal explained (its alerts, its places on the map,
its weeks against the baseline), « Suivi » written to the main courante, the
filters, « Tendances », the chef de salle's badge, and a failing scan said and
logged without blocking anything."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QMenu
from signals_ui_support import StandIn, alert_msg, demo_site, point_in, store_alerts

from csu_console.core.accounts import Account
from csu_console.core.alerts import Category
from csu_console.core.roles import Role
from csu_console.core.weak_signals.generator import PlantSpec, generate
from csu_console.storage.signal_history import store_history
from csu_console.storage.signal_scan import default_engine
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.session import Session
from csu_console.ui.signals.assembly import (
    SHORTCUT,
    SignalsLauncher,
    assemble_signals,
    supervision_menu,
)
from csu_console.ui.signals.window import SignalsWindow

TZ = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CHEF = Account("chef1", "Chantal", Role.SUPERVISEUR)
OPERATOR = Account("op", "Olivier", Role.OPERATEUR)


@pytest.fixture
def rig(qtbot: Any, writer: StorageWriter) -> dict[str, Any]:
    site = demo_site()
    gare, port = point_in(site, "secteur-gare"), point_in(site, "secteur-port")
    msgs = [
        alert_msg(i, NOW - timedelta(days=1, hours=3 * i), where=gare, address=f"{i} rue Gare")
        for i in range(1, 6)
    ]
    # Weeks of background: one démarchage a week, so the chart has a baseline.
    msgs += [alert_msg(100 + w, NOW - timedelta(weeks=w, days=2), where=gare)
             for w in range(1, 12)]  # fmt: skip
    msgs += [alert_msg(200, NOW - timedelta(days=2), Category.RIXE, where=port)]
    writer.submit(lambda s: store_alerts(s, msgs, NOW)).result(10)
    session = Session()
    tasks = DbTasks(writer)
    window = MainWindow(AlertTableModel(TZ), tasks, TZ, site.site.name, "poste-2",
                        session=session)  # fmt: skip
    qtbot.addWidget(window)
    session.setParent(window)
    tasks.setParent(window)
    standin = StandIn()
    launcher = assemble_signals(site, writer.path, tasks, window, "poste-2", standin.engine(),
                                now=lambda: NOW)  # fmt: skip
    messages: list[str] = []
    launcher.message.connect(messages.append)
    yield {"site": site, "window": window, "launcher": launcher, "session": session,
           "standin": standin, "messages": messages, "db": writer.path}  # fmt: skip
    launcher.stop()


def open_screen(qtbot: Any, launcher: SignalsLauncher) -> SignalsWindow:
    screen = launcher.open_signals()
    assert screen is not None
    qtbot.addWidget(screen)
    return screen


def scan(qtbot: Any, launcher: SignalsLauncher) -> None:
    with qtbot.waitSignal(launcher.scanner.scan_finished, timeout=10_000):
        assert launcher.scanner.scan_now()


def rows(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_the_menu_entry_is_for_supervisors_and_refused_to_an_operator(
    rig: dict[str, Any],
) -> None:
    window, launcher, session = rig["window"], rig["launcher"], rig["session"]
    menu = supervision_menu(window)
    assert isinstance(menu, QMenu) and window.review_action in menu.actions()
    assert launcher.action in menu.actions()
    assert launcher.action.text() == "Signaux faibles…"
    assert launcher.action.shortcut().toString() == SHORTCUT
    session.log_in(OPERATOR)
    assert not launcher.action.isEnabled()
    assert launcher.open_signals() is None
    refusal = rig["messages"][-1]
    assert refusal.startswith("Action réservée : le rôle « Opérateur »")
    assert refusal.endswith("examiner les signaux faibles.")
    assert launcher.window is None
    session.log_out()
    session.log_in(CHEF)
    assert launcher.action.isEnabled()


def test_a_scan_on_demand_lists_and_explains_the_signal(qtbot: Any, rig: dict[str, Any]) -> None:
    launcher = rig["launcher"]
    rig["session"].log_in(CHEF)
    screen = open_screen(qtbot, launcher)
    assert "Pas encore d'analyse" in screen.scan_label.text()
    with qtbot.waitSignal(launcher.scanner.scan_finished, timeout=10_000):
        screen.scan_button.click()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=5000)
    assert (
        "1 signal(aux)" in screen.scan_label.text() and "1 nouveau(x)" in screen.scan_label.text()
    )
    assert screen.table.item(0, 1).text() == "Récurrence"
    assert screen.table.item(0, 5).text() == "Nouveau"
    stored = screen.selected()
    assert stored is not None
    ex = screen.explanation
    assert ex.title.text() == stored.signal.title
    assert ex.test.text() == "Test : Poisson, p corrigé = 0,001"
    assert "Démarchage abusif" in ex.facts.text() and "Secteur Gare" in ex.facts.text()
    # The alerts behind it, with their numbers, times and places; their places on the map.
    qtbot.waitUntil(lambda: ex.alerts.rowCount() == 5, timeout=5000)
    places = {ex.alerts.item(r, 3).text() for r in range(5)}
    assert places == {f"{i} rue Gare" for i in range(1, 6)}
    assert ex.alerts.item(0, 2).text() == "Démarchage abusif"
    assert len(ex.map.overlays.markers_of_alerts()) == 5
    view = ex.map.view
    assert view.zoom() > 14  # zoomed to the places, not the whole site
    # The weeks of its cell against its baseline (one a week before, five this week).
    qtbot.waitUntil(lambda: sum(screen.chart.plotted[1]) > 0, timeout=5000)
    labels, counts, mean = screen.chart.plotted
    assert len(labels) == 12
    assert len(counts) == 12 and counts[-1] == 5
    assert mean == pytest.approx(1.0)


def test_suivi_is_written_to_the_main_courante_and_shown(qtbot: Any, rig: dict[str, Any]) -> None:
    launcher = rig["launcher"]
    rig["session"].log_in(CHEF)
    scan(qtbot, launcher)
    screen = open_screen(qtbot, launcher)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=5000)
    ex = screen.explanation
    ex.comment.setText("patrouille renforcée rue de la Gare")
    ex.follow_button.click()
    qtbot.waitUntil(lambda: screen.table.item(0, 5).text() == "Suivi", timeout=5000)
    assert ex.status.text().startswith("Statut : Suivi — par chef1 (poste-2)")
    assert "patrouille renforcée" in ex.status.text()
    assert "inscrit à la main courante" in screen.statusBar().currentMessage()
    [(station, operator, details)] = rows(
        rig["db"], "SELECT station, operator, details FROM events WHERE kind = 'signal_followed'"
    )
    assert (station, operator) == ("poste-2", "chef1")
    assert json.loads(details)["comment"] == "patrouille renforcée rue de la Gare"
    # A rescan finds it again: it stays « Suivi », nothing new is announced.
    scan(qtbot, launcher)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=5000)
    assert screen.table.item(0, 5).text() == "Suivi"
    assert launcher.badge.count == 0


def test_filters_narrow_the_list(qtbot: Any, rig: dict[str, Any]) -> None:
    launcher = rig["launcher"]
    rig["session"].log_in(CHEF)
    scan(qtbot, launcher)
    screen = open_screen(qtbot, launcher)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=5000)
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("suivi"))
    assert screen.table.rowCount() == 0 and screen.explanation.current is None
    screen.status_filter.setCurrentIndex(0)
    screen.kind_filter.setCurrentIndex(screen.kind_filter.findData("cluster"))
    assert screen.table.rowCount() == 0
    screen.kind_filter.setCurrentIndex(screen.kind_filter.findData("recurrence"))
    assert screen.table.rowCount() == 1


def test_trends_compare_a_week_with_the_previous_ones(qtbot: Any, rig: dict[str, Any]) -> None:
    launcher = rig["launcher"]
    rig["session"].log_in(CHEF)
    screen = open_screen(qtbot, launcher)
    screen.tabs.setCurrentWidget(screen.trends)
    trends = screen.trends
    trends.request()
    qtbot.waitUntil(lambda: trends.categories.rowCount() > 0, timeout=5000)
    cats = {trends.categories.item(r, 0).text(): r for r in range(trends.categories.rowCount())}
    r = cats["Démarchage abusif"]
    assert trends.categories.item(r, 1).text() == "5"  # this week
    assert trends.categories.item(r, 4).text().startswith("+")
    assert trends.communes.rowCount() >= 1
    assert trends.chart.plotted[1][-1] == 6  # 5 démarchages and 1 rixe this week


def test_the_badge_tells_the_chef_de_salle_and_opens_the_screen(
    qtbot: Any, rig: dict[str, Any]
) -> None:
    launcher, window = rig["launcher"], rig["window"]
    rig["session"].log_in(CHEF)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    active = QApplication.activeWindow()
    scan(qtbot, launcher)
    assert launcher.badge.isVisible()
    assert launcher.badge.text() == "1 nouveau signal faible"
    assert launcher.window is None  # nothing opened by itself
    assert QApplication.activeWindow() is active  # nor took the focus
    launcher.badge.click()
    assert launcher.window is not None
    qtbot.addWidget(launcher.window)
    assert not launcher.badge.isVisible()  # seen


def test_operators_never_see_the_badge(qtbot: Any, rig: dict[str, Any]) -> None:
    launcher, window = rig["launcher"], rig["window"]
    rig["session"].log_in(OPERATOR)
    window.show()
    qtbot.waitExposed(window)
    scan(qtbot, launcher)
    assert launcher.badge.count == 1 and not launcher.badge.isVisible()
    rig["session"].log_out()
    rig["session"].log_in(CHEF)  # the chef de salle takes the station: it shows
    assert launcher.badge.isVisible()


@pytest.mark.expected_logs("csu.signals")
def test_a_failing_scan_is_said_and_logged_and_the_next_one_runs(
    qtbot: Any, rig: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    launcher, standin = rig["launcher"], rig["standin"]
    rig["session"].log_in(CHEF)
    screen = open_screen(qtbot, launcher)
    standin.fail = True
    with qtbot.waitSignal(launcher.scanner.scan_failed, timeout=10_000) as failed:
        screen.scan_button.click()
    assert "détecteur en panne" in failed.args[0]
    assert "en échec" in screen.scan_label.text()
    assert "analyse des signaux faibles en échec" in caplog.text
    assert screen.scan_button.isEnabled() and not launcher.scanner.busy
    standin.fail = False
    scan(qtbot, launcher)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=5000)


def test_the_schedule_scans_on_its_timer_and_never_twice_at_once(
    qtbot: Any, rig: dict[str, Any]
) -> None:
    launcher, standin = rig["launcher"], rig["standin"]
    scanner = launcher.scanner
    assert scanner.timer.interval() == 60 * 60_000  # [signals] every_min = 60
    scanner.timer.setInterval(50)
    with qtbot.waitSignal(scanner.scan_finished, timeout=10_000):
        launcher.start(first_after_ms=0)
    assert scanner.scan_now() is True
    assert scanner.scan_now() is False  # one under way: not queued
    qtbot.waitUntil(lambda: standin.calls >= 3, timeout=10_000)  # the timer goes on
    launcher.stop()
    assert not scanner.timer.isActive()


def test_a_stopped_console_starts_no_scan_and_saves_none(
    qtbot: Any, rig: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    # The first scan's single shot may fire after the console stopped, and a scan
    # under way may answer then: both ignored, no error about a closed worker.
    launcher, standin = rig["launcher"], rig["standin"]
    scanner = launcher.scanner
    launcher.start(first_after_ms=200)
    launcher.stop()
    qtbot.wait(400)  # the single shot's time has passed
    assert scanner.scan_now() is False and standin.calls == 0
    assert "en échec" not in caplog.text


@pytest.mark.parametrize("size", [QSize(1366, 768), QSize(1920, 1080)], ids=str)
def test_the_screen_fits_the_screen(qtbot: Any, rig: dict[str, Any], size: QSize) -> None:
    rig["session"].log_in(CHEF)
    screen = open_screen(qtbot, rig["launcher"])
    hint = screen.minimumSizeHint()
    assert hint.width() <= size.width() and hint.height() <= size.height() - 40, hint
    screen.resize(size.width(), size.height() - 40)
    QApplication.processEvents()
    assert screen.width() <= size.width()


def test_the_real_detector_on_a_generated_history(qtbot: Any, writer: StorageWriter) -> None:
    """End to end: 10 generated weeks with a planted recurrence and term, « Analyser
    maintenant » with the real engine, the recurrence explained on the screen."""
    site = demo_site()
    gen = generate(site.territory, NOW, weeks=10, seed=5, plants=PlantSpec(1, 0, 1))
    writer.submit(lambda s: store_history(s, gen.history, "poste-1")).result(60)
    session = Session()
    tasks = DbTasks(writer)
    window = MainWindow(AlertTableModel(TZ), tasks, TZ, site.site.name, "poste-2",
                        session=session)  # fmt: skip
    qtbot.addWidget(window)
    session.setParent(window)
    tasks.setParent(window)
    launcher = assemble_signals(site, writer.path, tasks, window, "poste-2", default_engine(),
                                now=lambda: NOW)  # fmt: skip
    try:
        session.log_in(CHEF)
        screen = launcher.open_signals()  # closed (and deleted) by launcher.stop()
        assert screen is not None
        with qtbot.waitSignal(launcher.scanner.scan_finished, timeout=30_000):
            screen.scan_button.click()
        qtbot.waitUntil(lambda: screen.table.rowCount() >= 1, timeout=10_000)
        screen.kind_filter.setCurrentIndex(screen.kind_filter.findData("recurrence"))
        assert screen.table.rowCount() >= 1
        stored = screen.selected()
        assert stored is not None and stored.signal.kind.value == "recurrence"
        ex = screen.explanation
        assert ex.title.text() == stored.signal.title and "attendu" in ex.title.text()
        n = len(stored.signal.alerts)
        qtbot.waitUntil(lambda: ex.alerts.rowCount() == n, timeout=10_000)
        # Generated reports have no address: the place is said from the geometry.
        zone_names = {z.name for z in site.zones}
        place = ex.alerts.item(0, 3).text()
        assert set(place.split(" · ")) <= zone_names, place
        assert len(ex.map.overlays.markers_of_alerts()) == len(stored.signal.places) > 0
        qtbot.waitUntil(lambda: sum(screen.chart.plotted[1]) > 0, timeout=10_000)
        assert screen.chart.plotted[1][-1] >= stored.signal.observed
    finally:
        launcher.stop()


def test_the_badge_starts_with_the_signals_still_undecided(qtbot: Any, rig: dict[str, Any]) -> None:
    """After a restart the chef de salle still learns of the signals nobody decided."""
    launcher = rig["launcher"]
    rig["session"].log_in(CHEF)
    scan(qtbot, launcher)
    launcher.badge.clear()  # as after a restart: nothing in memory
    launcher.scanner.timer.setInterval(3_600_000)
    launcher.start(first_after_ms=3_600_000)
    qtbot.waitUntil(lambda: launcher.badge.count == 1, timeout=5000)
    assert launcher.badge.text() == "1 nouveau signal faible"
