"""Phone calls on the real console: an address found on the map, « Nouvelle alerte
ici », and the alert through the whole cycle (queue, F2, F4, F5, F6, closed), logged
with its operator in a chain that verifies; refused for a role without CREATE_ALERT."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from test_dispatch_cycle import answer, key, kinds_for, wait_dialog
from test_interrupt_cycle import Harness, db_rows, inject, shown
from test_interrupt_cycle import alert as make_alert

from csu_console.core.accounts import Account
from csu_console.core.address_search import AddressIndex
from csu_console.core.alert_share import AlertShare
from csu_console.core.alerts import AlertState, Category, StoredAlert
from csu_console.core.dispatch import UnitStatus
from csu_console.core.phone_alert import SOURCE
from csu_console.core.roles import Permission, Role
from csu_console.mapdata.mapfile import MapFile, import_osm
from csu_console.paths import assets_dir
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.dispatch_dialog import DispatchDialog, EndDialog
from csu_console.ui.console.phone_calls import PhoneCalls
from csu_console.ui.console.phone_dialog import PhoneAlertDialog
from csu_console.ui.console.session import Session
from csu_console.ui.map.address_search import Place


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> AddressIndex:
    path = tmp_path_factory.mktemp("phone-map") / "helsinki.csumap"
    import_osm(assets_dir() / "osm" / "helsinki-centre.osm.pbf", path)
    with MapFile(path) as mapfile:
        return AddressIndex((a.street, a.number, a.lon, a.lat) for a in mapfile.addresses())


def in_queue(console: Any, pk: int) -> StoredAlert:
    stored = console.model.alert_by_pk(pk)
    assert stored is not None
    return stored


def phone_rows(console: Any) -> list[Any]:
    return db_rows(console, "SELECT * FROM alerts WHERE source = ?", SOURCE)


def test_a_phone_alert_goes_through_the_whole_cycle(
    qtbot: Any, qapp: QApplication, harness: Harness, demo_index: AddressIndex
) -> None:
    console = harness.start()
    offered: list[AlertShare] = []  # to the hub, for every station (§ 9.10)
    console.link.send_alert_share = offered.append  # type: ignore[method-assign]
    search = console.phone.search
    assert search.parentWidget() is console.map_pane  # in the map's toolbar
    search.set_index(demo_index)
    assert search.popup.alert_button.isEnabled()  # an operator may create alerts
    search.open_popup()
    search.popup.field.setText("16 etelaranta")  # no accent typed: found all the same
    hits = search.search(search.popup.field.text())
    assert hits[0].label == "16 Eteläranta" and hits[0].exact
    qtbot.keyClick(search.popup.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: console.phone.calls.dialog is not None and console.phone.calls.dialog.isVisible(),
        timeout=10_000,
    )
    dialog = console.phone.calls.dialog
    assert isinstance(dialog, PhoneAlertDialog)
    # While the call is typed, a new alert elsewhere rings and queues but leaves the
    # map on the caller's address.
    view = console.map_pane.view
    at_address = view.center_scene()
    other = make_alert(category="degradation", position=(60.1750, 24.9400), address="Ailleurs")
    inject(harness.sim, other)
    qtbot.waitUntil(lambda: shown(console, other["id"]) is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not console.map_follower._focus_timer.isActive(), timeout=10_000)
    assert (view.center_scene() - at_address).manhattanLength() < 1.0
    assert console.phone.holds_map()
    assert dialog.address.text() == "16 Eteläranta"
    dialog.category.setCurrentIndex(dialog.category.findData(Category.RIXE))
    assert dialog.priority.currentData() == console.site.priorities[Category.RIXE]  # the rule
    dialog.submit()  # no title yet: refused in the form, which stays open
    assert "Le titre est obligatoire" in dialog.problems.text() and dialog.isVisible()
    qtbot.keyClicks(dialog.title, "Bagarre devant le bar")
    qtbot.keyClicks(dialog.caller_name, "Jeanne Martin")
    qtbot.keyClicks(dialog.caller_phone, "06 12 34 56 78")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(phone_rows(console)) == 1, timeout=10_000)
    row = phone_rows(console)[0]
    pk = int(row["pk"])
    # In the queue, selected, on the wall's and the map's path like any alert.
    qtbot.waitUntil(lambda: console.model.row_of(console.model.leader_pk(pk)) >= 0, timeout=10_000)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    stored = console.model.alert_by_pk(pk)
    assert stored is not None and stored.alert.source == "telephone"
    assert stored.alert.category is Category.RIXE and stored.alert.priority == 1
    assert row["reporter_pseudonym"] == "Jeanne Martin · 06 12 34 56 78"
    assert [o.alert.key for o in offered] == [stored.alert.key]
    assert "Jeanne Martin" not in offered[0].to_json()  # the caller stays here
    qtbot.waitUntil(lambda: console.window.selected_alert() is not None, timeout=10_000)
    selected = console.window.selected_alert()
    assert selected is not None and selected.pk == pk
    assert f"Alerte n° {pk} créée" in console.window.statusBar().currentMessage()

    key(qtbot, console, "F2")
    qtbot.waitUntil(
        lambda: phone_rows(console)[0]["state"] == AlertState.ACKNOWLEDGED.value, timeout=10_000
    )
    # F4 plans from the queue's copy: wait until it is taken there too, not only stored.
    qtbot.waitUntil(lambda: in_queue(console, pk).state is AlertState.ACKNOWLEDGED, timeout=10_000)
    qtbot.waitUntil(lambda: bool(console.dispatch.states), timeout=10_000)
    key(qtbot, console, "F4")
    dispatch = wait_dialog(qtbot, console, DispatchDialog)
    assert dispatch.item.pk == pk  # F4 engages a unit on the phone alert
    qtbot.keyClick(dispatch.instructions, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: phone_rows(console)[0]["state"] == AlertState.DISPATCHED.value, timeout=10_000
    )
    qtbot.waitUntil(lambda: in_queue(console, pk).state is AlertState.DISPATCHED, timeout=10_000)
    qtbot.waitUntil(  # F5 and F6 act on the unit engaged: wait until the strip knows it
        lambda: console.dispatch.states["pm-alpha-1"].status is UnitStatus.EN_INTERVENTION,
        timeout=10_000,
    )
    key(qtbot, console, "F5")
    qtbot.waitUntil(lambda: "on_site" in kinds_for(console, pk), timeout=10_000)
    key(qtbot, console, "F6")
    end = wait_dialog(qtbot, console, EndDialog)
    end.outcome_box.setCurrentIndex(end.outcome_box.findData("rien_a_signaler"))
    end.comment.setPlainText("Partis à l'arrivée")
    qtbot.keyClick(end.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    answer(qtbot, console, yes=True)
    qtbot.waitUntil(
        lambda: phone_rows(console)[0]["state"] == AlertState.CLOSED.value, timeout=10_000
    )
    qtbot.waitUntil(
        lambda: console.dispatch.states["pm-alpha-1"].status is UnitStatus.DISPONIBLE,
        timeout=10_000,
    )

    steps = ["received", "alert_created", "acknowledged", "dispatched", "on_site"]
    steps += ["dispatch_ended", "closed"]
    kinds = kinds_for(console, pk)
    assert [k for k in kinds if k in steps] == steps
    created = db_rows(
        console, "SELECT * FROM events WHERE kind = 'alert_created' AND alert_pk = ?", pk
    )[0]
    assert (created["station"], created["operator"]) == ("poste-1", "testeur")
    details = json.loads(created["details"])
    assert details["reporter"] == "Jeanne Martin" and details["phone"] == "06 12 34 56 78"
    report = console.writer.submit(lambda s: s.verify_chain()).result(timeout=10)
    assert report.ok, report


Lone = tuple[PhoneCalls, Session, list[Any]]


@pytest.fixture
def lone_calls(qtbot: Any, writer: StorageWriter) -> Iterator[Lone]:
    """PhoneCalls on a real database without a console: what it delivers, its session."""
    session = Session()
    window = QWidget()
    qtbot.addWidget(window)
    ctx = StationContext("poste-1", DbTasks(writer), session, link=_NoLink())
    delivered: list[Any] = []
    calls = PhoneCalls(ctx, {}, 90, delivered.append, window)
    yield calls, session, delivered
    if calls.dialog is not None:
        calls.dialog.done(0)


class _NoLink:
    """No link in these tests: nothing is sent (a status never arises here)."""

    def nudge_outbox(self) -> None:
        pass


def _account(role: Role) -> Account:
    return Account(f"login-{role.value}", role.value, role)


@pytest.mark.parametrize("role", [Role.INSTALLATEUR, Role.ADMIN])
def test_roles_without_create_alert_are_refused(qtbot: Any, lone_calls: Lone, role: Role) -> None:
    calls, session, delivered = lone_calls
    session.log_in(_account(role))
    assert not session.allowed(Permission.CREATE_ALERT)
    messages: list[str] = []
    calls.message.connect(messages.append)
    assert calls.open_form(Place(60.167, 24.951, "3 Eteläranta")) is None
    assert calls.dialog is None and messages and "Action réservée" in messages[0]
    assert delivered == []


def test_a_handover_to_a_role_without_it_refuses_the_open_form(
    qtbot: Any, lone_calls: Lone, writer: StorageWriter
) -> None:
    calls, session, delivered = lone_calls
    session.log_in(_account(Role.SUPERVISEUR))  # supervisors may, like operators
    dialog = calls.open_form(Place(60.167, 24.951, "3 Eteläranta"))
    assert dialog is not None
    dialog.title.setText("Chien errant")
    session.log_out()
    session.log_in(_account(Role.INSTALLATEUR))
    dialog.submit()
    assert "Action réservée" in dialog.problems.text() and dialog.isVisible()
    count = writer.submit(lambda s: s.count("alerts")).result(timeout=10)
    assert count == 0 and delivered == []
    session.log_out()
    session.log_in(_account(Role.OPERATEUR))
    dialog.submit()
    qtbot.waitUntil(lambda: len(delivered) == 1, timeout=10_000)
    assert delivered[0][0].stored.alert.title == "Chien errant"
    assert not dialog.isVisible()
