"""Issue 14: the operator's actions never hit the wrong alert and never record what
did not happen. End to end: a real csu-sim, the real Console, keys on its window.

- F8 on an alert no unit handled asks a qualification (no default) and never
  closes a second alert; a closed alert reopens with a reason (Maj+F8).
- F6 has no default outcome.
- Rows do not move under the pointer or under an open dialog; actions apply to
  the alert their dialog names.
- The banner names F2 only when F2 acts on the banner's alert; the wall follows
  the banner's alert when nothing is selected.
- The detail follows every step at once; the queue shows who holds an alert.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QStyleOptionViewItem
from test_dispatch_cycle import answer, kinds_for, wait_dialog
from test_interrupt_cycle import (
    OPERATOR,
    STATION,
    Harness,
    db_rows,
    inject,
    press,
    shown,
    state_of,
)
from test_interrupt_cycle import alert as make_alert

from csu_console.app import Console
from csu_console.core.accounts import Account
from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.dispatch import UnitStatus
from csu_console.core.geo import destination_point
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console import queue_view
from csu_console.ui.console.alert_cells import COLUMNS
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.close_dialog import CloseDialog
from csu_console.ui.console.dispatch_dialog import DispatchDialog, EndDialog
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.queue_view import POINTER_HOLD
from csu_console.ui.console.session import Session


def near_camera(console: Console, n: int) -> tuple[float, float]:
    """(lat, lon) in the field of view of the site's camera ``n``."""
    cam = console.site.cameras[n]
    lon, lat = destination_point(cam.lon, cam.lat, cam.heading_deg, cam.range_m / 2)
    return lat, lon


def arrive(harness: Harness, console: Console, **kw: Any) -> StoredAlert:
    """Inject one alert and wait until the queue shows it."""
    a = make_alert(**kw)
    inject(harness.sim, a)
    harness.qtbot.waitUntil(lambda: shown(console, a["id"]) is not None, timeout=10_000)
    item = shown(console, a["id"])
    assert item is not None
    return item


def state(console: Console, item: StoredAlert) -> str:
    return str(state_of(console, item.alert.id)["state"])


def queue_pks(console: Console) -> list[int]:
    """The alerts of the queue, top to bottom, as the operator sees them."""
    window = console.window
    out = []
    for row in range(window.proxy.rowCount()):
        source = window.proxy.mapToSource(window.proxy.index(row, 0))
        item = console.model.alert_at(source.row())
        assert item is not None
        out.append(item.pk)
    return out


def details_of(console: Console, pk: int, kind: str) -> list[dict[str, Any]]:
    rows = db_rows(
        console, "SELECT details FROM events WHERE alert_pk = ? AND kind = ? ORDER BY pk", pk, kind
    )
    return [json.loads(r["details"]) for r in rows]


def close_dialog(qtbot: Any, console: Console) -> CloseDialog:
    dialog = wait_dialog(qtbot, console, CloseDialog)
    assert isinstance(dialog, CloseDialog)
    return dialog


def open_dialogs(console: Console, kind: type) -> list[Any]:
    """The dialogs of this kind on screen over the console."""
    return [d for d in console.window.findChildren(kind) if d.isVisible()]


def ctrl_enter(qtbot: Any, widget: Any) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


# -- item 3: closing ------------------------------------------------------------------


def test_f8_asks_why_closes_only_the_alert_named_and_a_closed_alert_reopens_with_a_reason(
    harness: Harness, qtbot: Any
) -> None:
    console = harness.start()
    window = console.window
    first = arrive(harness, console, category="cambriolage", position=near_camera(console, 0))
    second = arrive(harness, console, category="degradation", position=near_camera(console, 1))
    window.select_pk(first.pk)

    press(qtbot, console, Qt.Key.Key_F8)
    dialog = close_dialog(qtbot, console)
    # It names the alert (n°, category, place) and chooses nothing in advance.
    assert f"n° {first.pk}" in dialog.windowTitle()
    summary = dialog.findChildren(type(dialog.error))[0].text()
    assert f"n° {first.pk}" in summary and "Cambriolage" in summary and "Eteläranta" in summary
    assert dialog.qualification() is None
    qtbot.keyClick(dialog, Qt.Key.Key_F8)  # F8 again: the same dialog, nothing else
    assert open_dialogs(console, CloseDialog) == [dialog]
    ctrl_enter(qtbot, dialog)  # confirming without a choice is refused
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "qualification" in dialog.error.text()
    # « Autre » needs a comment.
    qtbot.keyClick(dialog, Qt.Key.Key_8)
    ctrl_enter(qtbot, dialog)
    assert dialog.isVisible() and "commentaire" in dialog.error.text()
    qtbot.keyClick(dialog, Qt.Key.Key_5)  # « Transmis au 17 (police) »
    assert dialog.qualification() is not None and dialog.qualification().value == "transmis_17"
    assert state(console, first) == AlertState.NEW.value  # nothing written yet
    ctrl_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: state(console, first) == AlertState.CLOSED.value, timeout=5000)
    [closed] = details_of(console, first.pk, "closed")
    assert closed == {"from_state": "new", "qualification": "transmis_17"}

    # The closed row left the queue: nothing else is selected in its place, and
    # F8 again closes nothing (nor asks about another alert).
    qtbot.waitUntil(lambda: first.pk not in queue_pks(console), timeout=5000)
    assert window.selected_alert() is None
    press(qtbot, console, Qt.Key.Key_F8)
    assert not open_dialogs(console, CloseDialog)
    assert state(console, second) == AlertState.NEW.value
    assert "Sélectionnez" in window.statusBar().currentMessage()
    # A key held down acts once.
    f8 = next(a for a in window.actions() if a.shortcut().toString() == "F8")
    assert not f8.autoRepeat()

    # Reopen: the closed alert, shown with the « Clôturées » filter, Maj+F8, a reason.
    box = window.filters.state_box
    box.setCurrentIndex(box.findData("closed"))
    window.select_pk(first.pk)
    press(qtbot, console, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(
        lambda: (
            isinstance(console.dispatch.question, QInputDialog)
            and console.dispatch.question.isVisible()
        ),
        timeout=5000,
    )
    question = console.dispatch.question
    assert isinstance(question, QInputDialog)
    assert f"n° {first.pk}" in question.labelText()
    question.setTextValue("Le témoin rappelle : toujours en cours")
    question.accept()
    qtbot.waitUntil(lambda: state(console, first) == AlertState.ACKNOWLEDGED.value, timeout=5000)
    [reopened] = details_of(console, first.pk, "reopened")
    assert reopened == {
        "from_state": "closed",
        "reason": "Le témoin rappelle : toujours en cours",
        "from_station": STATION,
        "from_operator": OPERATOR,
    }
    row = db_rows(
        console, "SELECT operator FROM events WHERE alert_pk = ? AND kind = 'reopened'", first.pk
    )[0]
    assert row["operator"] == OPERATOR
    # The reopened alert is selected (it left the « Clôturées » view), its timeline says so.
    qtbot.waitUntil(lambda: window.selected_alert() is not None, timeout=5000)
    assert window.selected_alert().pk == first.pk  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "Alerte rouverte" in window.detail.browser.toPlainText(), timeout=5000)


def test_an_alert_handled_by_a_unit_closes_at_once_and_f6_has_no_default_outcome(
    harness: Harness, qtbot: Any
) -> None:
    console = harness.start()
    window = console.window
    handled = arrive(harness, console, category="rixe", position=near_camera(console, 0))
    other = arrive(harness, console, category="degradation", position=near_camera(console, 1))
    qtbot.waitUntil(lambda: bool(console.dispatch.states), timeout=5000)
    alpha = console.site.dispatch.units[0]
    console.dispatch.plan_and_record(handled.pk, alpha, "")
    qtbot.waitUntil(
        lambda: console.dispatch.states[alpha.id].status is UnitStatus.EN_INTERVENTION,
        timeout=5000,
    )
    window.select_pk(handled.pk)

    # Item 4: F6 pre-selects no outcome; Ctrl+Entrée straight away is refused.
    press(qtbot, console, Qt.Key.Key_F6)
    end = wait_dialog(qtbot, console, EndDialog)
    assert end.outcome_box.currentIndex() == -1 and end.outcome() is None
    ctrl_enter(qtbot, end.comment)
    assert end.isVisible() and end.error.isVisible()
    assert "issue" in end.error.text()
    assert "dispatch_ended" not in kinds_for(console, handled.pk)
    end.outcome_box.setCurrentIndex(end.outcome_box.findData("rien_a_signaler"))
    assert not end.error.isVisible()
    ctrl_enter(qtbot, end.comment)
    qtbot.waitUntil(lambda: "dispatch_ended" in kinds_for(console, handled.pk), timeout=5000)
    [ended] = details_of(console, handled.pk, "dispatch_ended")
    assert ended["outcome"] == "rien_a_signaler"
    answer(qtbot, console, yes=False)  # not closed from the question

    # Its unit ended with an outcome: F8 closes it at once, as before…
    window.activateWindow()
    window.select_pk(handled.pk)
    press(qtbot, console, Qt.Key.Key_F8)
    press(qtbot, console, Qt.Key.Key_F8)  # at once, before the first is stored
    qtbot.waitUntil(lambda: state(console, handled) == AlertState.CLOSED.value, timeout=5000)
    assert details_of(console, handled.pk, "closed") == [{"from_state": "dispatched"}]
    assert "entre-temps" not in window.statusBar().currentMessage()
    # …and never a second one on the next F8.
    qtbot.waitUntil(lambda: handled.pk not in queue_pks(console), timeout=5000)
    assert window.selected_alert() is None
    press(qtbot, console, Qt.Key.Key_F8)
    press(qtbot, console, Qt.Key.Key_F8)
    assert state(console, other) == AlertState.NEW.value
    assert not open_dialogs(console, QMessageBox) and not open_dialogs(console, CloseDialog)


# -- item 6: rows that stay put -----------------------------------------------------------


def point_at_queue(console: Console) -> None:
    viewport = console.window.table.viewport()
    local = QPointF(viewport.rect().center())
    event = QEnterEvent(local, local, QPointF(viewport.mapToGlobal(QPoint(5, 5))))
    QApplication.sendEvent(console.window.table, event)


def leave_queue(console: Console) -> None:
    from PySide6.QtCore import QEvent

    QApplication.sendEvent(console.window.table, QEvent(QEvent.Type.Leave))


def test_an_empty_queue_under_a_resting_pointer_still_shows_the_first_alerts(
    harness: Harness, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console opened under the pointer (seen in the real demo: an empty queue
    and « ↑ 7 nouvelles alertes »): with no row to move, nothing is held back."""
    monkeypatch.setattr(queue_view, "POINTER_IDLE_S", 3600.0)  # no release by idleness
    console = harness.start()
    point_at_queue(console)
    assert console.model.is_held() and console.model.rowCount() == 0
    first = arrive(harness, console, category="cambriolage", priority=3,
                   position=near_camera(console, 0))  # fmt: skip
    assert queue_pks(console) == [first.pk]
    # From then on rows exist, and the hold keeps them where they are.
    urgent = make_alert(category="accident", priority=1, position=near_camera(console, 1))
    inject(harness.sim, urgent)
    qtbot.waitUntil(console.window.held_notice.isVisible, timeout=10_000)
    assert queue_pks(console) == [first.pk]


def test_rows_do_not_move_under_the_pointer_or_a_dialog_and_actions_hit_the_alert_named(
    harness: Harness, qtbot: Any
) -> None:
    console = harness.start()
    window = console.window
    low = arrive(harness, console, category="cambriolage", priority=3,
                 position=near_camera(console, 0))  # fmt: skip
    target = arrive(harness, console, category="degradation", priority=3,
                    position=near_camera(console, 1))  # fmt: skip
    before = queue_pks(console)
    assert before == [target.pk, low.pk]

    # The pointer over the queue: an urgent alert rings and shows in the banner at
    # once, but the rows stay; a notice counts what waits.
    qtbot.mouseMove(window.table.viewport(), window.table.viewport().rect().center())
    if not console.model.is_held():  # no pointer events on this platform: say it
        point_at_queue(console)
    assert console.model.is_held()
    table_at = window.table.mapTo(window, QPoint(0, 0))
    urgent = make_alert(category="accident", priority=1, position=near_camera(console, 2))
    inject(harness.sim, urgent)
    qtbot.waitUntil(window.held_notice.isVisible, timeout=10_000)
    assert window.held_notice.text() == "↑ 1 nouvelle alerte"
    assert queue_pks(console) == before
    # The notice itself moves nothing: the table stays where it was.
    assert window.table.mapTo(window, QPoint(0, 0)) == table_at
    qtbot.waitUntil(lambda: window.banner.pk is not None and "Accident" in window.banner.text())
    # The pointer leaves: the order is applied.
    qtbot.mouseMove(window.banner)
    if console.model.is_held():
        leave_queue(console)
    qtbot.waitUntil(lambda: shown(console, urgent["id"]) is not None, timeout=5000)
    urgent_item = shown(console, urgent["id"])
    assert urgent_item is not None
    assert queue_pks(console) == [urgent_item.pk, *before]
    assert not window.held_notice.isVisible()

    # A dialog open: rows stay put, and the action goes to the alert it names even
    # when the selection moved meanwhile.
    qtbot.waitUntil(lambda: bool(console.dispatch.states), timeout=5000)
    window.select_pk(target.pk)
    press(qtbot, console, Qt.Key.Key_F4)
    dialog = wait_dialog(qtbot, console, DispatchDialog)
    assert f"n° {target.pk}" in dialog.findChildren(type(dialog.reminder))[0].text()
    order = queue_pks(console)
    late = make_alert(category="rixe", priority=1, position=near_camera(console, 3))
    inject(harness.sim, late)
    qtbot.waitUntil(window.held_notice.isVisible, timeout=10_000)
    assert queue_pks(console) == order
    window.select_pk(low.pk)  # the selection moves (a click, a banner click…)
    ctrl_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: state(console, target) == AlertState.DISPATCHED.value, timeout=5000)
    assert state(console, low) == AlertState.NEW.value
    assert "dispatched" not in kinds_for(console, low.pk)
    # The dialog closed: the waiting alert takes its place.
    qtbot.waitUntil(lambda: shown(console, late["id"]) is not None, timeout=5000)
    assert not window.held_notice.isVisible()
    assert not console.model.is_held()
    assert POINTER_HOLD == "pointer"


def test_a_pointer_resting_on_the_queue_does_not_keep_new_alerts_out_of_it(
    harness: Harness, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue_view, "POINTER_IDLE_S", 1.0)
    console = harness.start()
    window = console.window
    first = arrive(harness, console, category="cambriolage", priority=3,
                   position=near_camera(console, 0))  # fmt: skip
    point_at_queue(console)  # and the pointer stays there, still
    assert console.model.is_held()
    urgent = make_alert(category="accident", priority=1, position=near_camera(console, 2))
    inject(harness.sim, urgent)
    qtbot.waitUntil(window.held_notice.isVisible, timeout=10_000)
    # Still for POINTER_IDLE_S: the order is applied although the pointer is there.
    qtbot.waitUntil(lambda: shown(console, urgent["id"]) is not None, timeout=5000)
    assert queue_pks(console)[1] == first.pk
    assert not window.held_notice.isVisible() and not console.model.is_held()
    # A click aims at a row: held again.
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton)
    assert console.model.is_held()


def test_the_busy_unit_question_names_its_alert_and_applies_to_it(
    harness: Harness, qtbot: Any
) -> None:
    console = harness.start()
    window = console.window
    first = arrive(harness, console, category="rixe", position=near_camera(console, 0))
    second = arrive(harness, console, category="degradation", position=near_camera(console, 1))
    qtbot.waitUntil(lambda: bool(console.dispatch.states), timeout=5000)
    alpha = console.site.dispatch.units[0]
    console.dispatch.plan_and_record(first.pk, alpha, "")
    qtbot.waitUntil(
        lambda: console.dispatch.states[alpha.id].status is UnitStatus.EN_INTERVENTION,
        timeout=5000,
    )
    window.select_pk(second.pk)
    press(qtbot, console, Qt.Key.Key_F4)
    dialog = wait_dialog(qtbot, console, DispatchDialog)
    dialog.unit_list.setCurrentRow(0)  # Alpha, busy on the first alert
    ctrl_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(open_dialogs(console, QMessageBox)), timeout=5000)
    [box] = open_dialogs(console, QMessageBox)
    assert f"n° {second.pk}" in box.windowTitle() and f"n° {second.pk}" in box.text()
    window.select_pk(first.pk)  # the selection moves while the question is open
    answer(qtbot, console, yes=True)
    qtbot.waitUntil(lambda: "dispatched" in kinds_for(console, second.pk), timeout=5000)
    assert kinds_for(console, first.pk).count("dispatched") == 1


def test_f8_dialog_closes_the_alert_it_names_even_when_the_selection_moved(
    harness: Harness, qtbot: Any
) -> None:
    console = harness.start()
    window = console.window
    one = arrive(harness, console, category="cambriolage", position=near_camera(console, 0))
    two = arrive(harness, console, category="degradation", position=near_camera(console, 1))
    window.select_pk(one.pk)
    press(qtbot, console, Qt.Key.Key_F8)
    dialog = close_dialog(qtbot, console)
    window.select_pk(two.pk)
    dialog.choose(next(iter(dialog.buttons)))  # « Doublon »
    ctrl_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: state(console, one) == AlertState.CLOSED.value, timeout=5000)
    assert state(console, two) == AlertState.NEW.value


# -- item 7: the banner and the keys agree ------------------------------------------------


def test_the_banner_names_f2_only_when_f2_takes_its_alert_and_the_wall_follows_the_banner(
    harness: Harness, qtbot: Any
) -> None:
    console = harness.start()
    window, banner = console.window, console.window.banner
    urgent = arrive(harness, console, category="accident", priority=1,
                    position=near_camera(console, 0))  # fmt: skip
    # A later batch, less urgent: the wall stays on the banner's (most urgent) alert.
    later = arrive(harness, console, category="cambriolage", priority=3,
                   position=near_camera(console, 2))  # fmt: skip
    qtbot.waitUntil(lambda: banner.pk == urgent.pk, timeout=5000)
    assert window.selected_alert() is None
    assert "[F2] prendre en compte" in banner.text()
    qtbot.waitUntil(lambda: console.wall_controller.current_alert_pk == urgent.pk, timeout=5000)
    qtbot.wait(1500)  # a follow of the later batch would have happened by now
    assert console.wall_controller.current_alert_pk == urgent.pk

    # Another row selected: F2 takes that row, so the banner does not offer F2.
    window.select_pk(later.pk)
    assert "[F2]" not in banner.text() and "[clic]" in banner.text()
    press(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: state(console, later) == AlertState.ACKNOWLEDGED.value, timeout=5000)
    assert state(console, urgent) == AlertState.NEW.value
    # The banner's own row selected: F2 is offered again, and takes it.
    window.select_pk(urgent.pk)
    assert "[F2] prendre en compte" in banner.text()
    window.table.clearSelection()
    assert "[F2] prendre en compte" in banner.text()
    press(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: state(console, urgent) == AlertState.ACKNOWLEDGED.value, timeout=5000)


# -- item 11: the detail and the queue follow ------------------------------------------------


def test_the_detail_follows_f2_at_once_and_the_queue_shows_the_holder(
    harness: Harness, qtbot: Any
) -> None:
    console = harness.start()
    window = console.window
    item = arrive(harness, console, category="rixe", priority=1, position=near_camera(console, 0))
    window.select_pk(item.pk)
    assert "Nouvelle" in window.detail.browser.toPlainText()
    console.model.mark_escalated(item.pk)
    press(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(
        lambda: (
            (shown_now := console.model.alert_by_pk(item.pk)) is not None
            and shown_now.state is AlertState.ACKNOWLEDGED
        ),
        timeout=5000,
    )
    # At once: no wait between the model's change and the detail's.
    text = window.detail.browser.toPlainText()
    assert "Prise en compte" in text and "Nouvelle" not in text.split("Signalé")[0]
    qtbot.waitUntil(
        lambda: "Prise en compte" in window.detail.browser.toPlainText().split("Chronologie")[-1],
        timeout=5000,
    )
    # The state column: the holder readable in the column as laid out, the escalation
    # a sign (and the full words in the tooltip).
    model, col = console.model, COLUMNS.index("state")
    index = model.index(model.row_of(item.pk), col)
    shown_text = str(model.data(index))
    assert shown_text == f"⚠ Prise en compte · {OPERATOR}"
    tooltip = str(model.data(index, Qt.ItemDataRole.ToolTipRole))
    assert "ESCALADÉE" in tooltip and STATION in tooltip and OPERATOR in tooltip
    metrics = window.table.fontMetrics()
    assert metrics.horizontalAdvance(shown_text) + 8 <= window.table.columnWidth(col)
    # Narrower (a bigger font, a smaller screen): elided in the middle, the holder
    # stays readable at the end.
    option = QStyleOptionViewItem()
    option.initFrom(window.table)
    proxy_index = window.proxy.mapFromSource(index)
    window.table.itemDelegateForColumn(col).initStyleOption(option, proxy_index)
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
    squeezed = option.fontMetrics.elidedText(option.text, option.textElideMode, 140)
    assert squeezed.startswith("⚠ Prise") and squeezed.endswith(OPERATOR) and "…" in squeezed


# -- role gates -----------------------------------------------------------------------------


@pytest.fixture
def tasks(writer: StorageWriter) -> Iterator[DbTasks]:
    t = DbTasks(writer)
    yield t
    t.deleteLater()


@pytest.mark.parametrize(("role", "may"), [(Role.OPERATEUR, True), (Role.INSTALLATEUR, False)])
def test_reopening_is_gated_like_closing_and_the_banner_offers_f2_only_to_who_may(
    qtbot: Any, tasks: DbTasks, tz: ZoneInfo, make: Any, role: Role, may: bool
) -> None:
    model = AlertTableModel(tz)
    session = Session()
    window = MainWindow(model, tasks, tz, "Villeurbanne", STATION, session=session)
    qtbot.addWidget(window)
    model.setParent(window)
    session.setParent(window)
    reopen = next(a for a in window.actions() if a.shortcut().toString() == "Shift+F8")
    assert not reopen.isEnabled()  # nobody logged in
    session.log_in(Account("x.dupont", "Xavier Dupont", role))
    assert reopen.isEnabled() is may
    item = make.stored(priority=1)
    model.load([item])
    window.banner.show_alert(item, 1)
    assert ("[F2] prendre en compte" in window.banner.text()) is may
    assert ("[clic] afficher cette alerte" in window.banner.text()) is not may
