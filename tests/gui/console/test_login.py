"""Accounts in the GUI: the login screen (real storage thread and database file), the
role gates of the main window, and the real console (csu-sim, link process, alarm)
ringing over the login screen, refusing what a role may not do, handing over.

Accounts are created with cheap scrypt parameters; waits are on signals and
conditions, never on sleeps.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_interrupt_cycle import (
    STATION,
    Harness,
    alert,
    db_rows,
    events,
    inject,
    press,
    state_of,
)

from csu_console.app import Console
from csu_console.core.accounts import Account, LockoutPolicy, ScryptParams
from csu_console.core.roles import Permission, Role
from csu_console.sim.control import SimProcess
from csu_console.storage.store import DB_NAME, Store
from csu_console.storage.users import BAD_CREDENTIALS
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.login_dialog import LoginDialog
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.session import Session

FAST = ScryptParams(2**10, 8, 1)  # tests only: real accounts get DEFAULT_SCRYPT
PASSWORD = "Secret-123"
LOCKED = re.compile(r"Compte verrouillé après trop d'échecs, jusqu'à \d\d:\d\d:\d\d")


def add_accounts(db: Path, *accounts: tuple[str, Role, str]) -> None:
    """Accounts made as ``csu-console users add`` would, before the console opens ``db``."""
    store = Store(db)
    try:
        for login, role, name in accounts:
            store.add_user(login, role, name, PASSWORD, params=FAST, station="cli", operator="root")
    finally:
        store.close()


def logged(db: Path, kind: str) -> list[dict[str, Any]]:
    """Events of one kind, oldest first, read from the database file itself."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT pk, station, operator, details FROM events WHERE kind = ? ORDER BY pk",
            (kind,),
        ).fetchall()
    finally:
        conn.close()
    return [{"pk": pk, "station": s, "operator": o, **json.loads(d)} for pk, s, o, d in rows]


# -- the login screen alone ---------------------------------------------------------


@pytest.fixture
def tasks(writer: StorageWriter) -> Iterator[DbTasks]:
    t = DbTasks(writer)
    yield t
    t.deleteLater()


def login_dialog(qtbot: Any, tasks: DbTasks, policy: LockoutPolicy | None = None) -> LoginDialog:
    dialog = LoginDialog(tasks, STATION, policy or LockoutPolicy(), scrypt=FAST)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def activate(qtbot: Any, dialog: LoginDialog) -> None:
    """Make the dialog the active window: its shortcuts work there only."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)


def attempt(qtbot: Any, dialog: LoginDialog, login: str, password: str) -> str:
    """Type and press Return; the message shown once the storage thread answered."""
    dialog.login.setText(login)
    dialog.password.setText(password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.busy and not dialog.login_button.isEnabled()  # checking, off the GUI thread
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert dialog.login_button.isEnabled()
    return dialog.status.text()


def test_a_provisional_password_is_replaced_by_its_holder_before_the_console_opens(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks
) -> None:
    """An account made (or reset) by the administrator in the GUI: at the login its
    holder chooses their own password, twice, checked like any; « Autre compte »
    logs them out again."""
    store = Store(writer.path)
    try:
        store.add_user("lemaire", Role.OPERATEUR, "Paul Lemaire", PASSWORD, params=FAST,
                       station="poste-1", operator="admin", temporary=True)  # fmt: skip
    finally:
        store.close()
    dialog = login_dialog(qtbot, tasks)
    activate(qtbot, dialog)
    with qtbot.assertNotEmitted(dialog.logged_in):
        said = attempt(qtbot, dialog, "lemaire", PASSWORD)
        assert dialog.pages.currentWidget() is dialog.change_page, said
        assert "Paul Lemaire, votre mot de passe est provisoire" in dialog.change_note.text()
        qtbot.mouseClick(dialog.other_button, Qt.MouseButton.LeftButton)  # not now
        assert dialog.pages.currentWidget() is dialog.login_page
        qtbot.waitUntil(lambda: len(logged(writer.path, "logout")) == 1, timeout=5000)
        attempt(qtbot, dialog, "lemaire", PASSWORD)
        assert dialog.pages.currentWidget() is dialog.change_page
        dialog.own_password.setText("Nouveau-456")
        dialog.own_confirm.setText("Nouveau-457")
        qtbot.keyClick(dialog.own_confirm, Qt.Key.Key_Return)
        assert dialog.status.text() == "Les deux mots de passe saisis diffèrent."
        dialog.own_password.setText("court")
        dialog.own_confirm.setText("court")
        qtbot.keyClick(dialog.own_confirm, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
        assert "mot de passe" in dialog.status.text().lower()  # the store's French reason
        assert dialog.pages.currentWidget() is dialog.change_page
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as done:
        dialog.own_password.setText("Nouveau-456")
        dialog.own_confirm.setText("Nouveau-456")
        qtbot.keyClick(dialog.own_confirm, Qt.Key.Key_Return)
    account = done.args[0]
    assert account.login == "lemaire" and not account.must_change
    [changed] = logged(writer.path, "password_changed")
    assert changed["operator"] == "lemaire" and changed["login"] == "lemaire"
    store = Store(writer.path)
    try:
        after = store.user("lemaire")
        assert after is not None and not after.must_change
        store.reset_password("lemaire", "Provisoire-789", params=FAST, by_role=Role.ADMIN)
        reset = store.user("lemaire")
        assert reset is not None and reset.must_change  # a reset is provisional again
    finally:
        store.close()


def test_wrong_password_shows_the_french_error_and_logs_login_failed(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks
) -> None:
    add_accounts(writer.path, ("dupont", Role.OPERATEUR, "Jeanne Dupont"))
    dialog = login_dialog(qtbot, tasks)
    assert dialog.link_note.text() == (
        "La liaison d'alertes continue de recevoir pendant la connexion."
    )
    with qtbot.assertNotEmitted(dialog.logged_in):
        assert attempt(qtbot, dialog, "dupont", "mauvais") == BAD_CREDENTIALS
    assert dialog.isVisible()
    assert dialog.password.text() == ""  # typed again, not kept
    assert dialog.pages.currentWidget() is dialog.login_page
    [failed] = logged(writer.path, "login_failed")
    assert (failed["station"], failed["login"], failed["cause"]) == (
        STATION,
        "dupont",
        "mot de passe incorrect",
    )
    assert logged(writer.path, "login") == []


def test_five_failures_lock_the_account_until_a_time_shown(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks
) -> None:
    add_accounts(writer.path, ("dupont", Role.OPERATEUR, "Jeanne Dupont"))
    dialog = login_dialog(qtbot, tasks, LockoutPolicy(max_failures=5, lockout_s=300))
    for _ in range(4):
        assert attempt(qtbot, dialog, "dupont", "mauvais") == BAD_CREDENTIALS
    assert LOCKED.match(attempt(qtbot, dialog, "dupont", "mauvais"))
    [locked] = logged(writer.path, "account_locked")
    assert (locked["login"], locked["failures"]) == ("dupont", 5)
    # Locked: even the right password is refused, unchecked.
    with qtbot.assertNotEmitted(dialog.logged_in):
        assert LOCKED.match(attempt(qtbot, dialog, "dupont", PASSWORD))
    assert logged(writer.path, "login_failed")[-1]["cause"] == "compte verrouillé"


def test_good_login_emits_the_account_and_logs_login(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks
) -> None:
    add_accounts(writer.path, ("dupont", Role.SUPERVISEUR, "Jeanne Dupont"))
    dialog = login_dialog(qtbot, tasks)
    dialog.login.setText("  Dupont ")  # typed with a capital and spaces
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as got:
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    account = got.args[0]
    assert isinstance(account, Account)
    assert (account.login, account.display_name, account.role) == (
        "dupont",
        "Jeanne Dupont",
        Role.SUPERVISEUR,
    )
    assert not dialog.isVisible()
    [login] = logged(writer.path, "login")
    assert (login["station"], login["operator"], login["role"]) == (
        STATION,
        "dupont",
        "superviseur",
    )


def test_escape_and_close_leave_it_up_but_ctrl_q_quits(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks
) -> None:
    add_accounts(writer.path, ("dupont", Role.OPERATEUR, "Jeanne Dupont"))
    dialog = login_dialog(qtbot, tasks)
    qtbot.keyClick(dialog.login, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert not dialog.close()
    assert dialog.isVisible()
    assert dialog.status.text() == "Connectez-vous pour utiliser la console."
    activate(qtbot, dialog)
    with qtbot.waitSignal(dialog.quit_requested, timeout=1000):
        qtbot.keyClick(dialog.login, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def test_first_admin_is_created_on_an_empty_database(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks
) -> None:
    dialog = login_dialog(qtbot, tasks)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.first_page)
    assert dialog.command.text() == "csu-console users add <identifiant> --role admin"
    dialog.new_login.setText("admin.csu")
    dialog.new_name.setText("Chef de salle")
    dialog.new_password.setText("Premier-Admin1")
    dialog.new_confirm.setText("Premier-Admin2")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Les deux mots de passe saisis diffèrent."
    assert not dialog.busy  # nothing was sent to the database

    dialog.new_confirm.setText("Premier-Admin1")
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as got:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert (got.args[0].login, got.args[0].role) == ("admin.csu", Role.ADMIN)
    [added] = logged(writer.path, "user_added")
    assert (added["login"], added["role"], added["name"], added["station"]) == (
        "admin.csu",
        "admin",
        "Chef de salle",
        STATION,
    )
    [login] = logged(writer.path, "login")
    assert login["operator"] == "admin.csu" and login["pk"] > added["pk"]

    # From now on the database has an account: the next person sees the login page.
    dialog.open()
    with qtbot.assertNotEmitted(dialog.logged_in):
        assert attempt(qtbot, dialog, "admin.csu", "pas-le-bon") == BAD_CREDENTIALS
    assert dialog.pages.currentWidget() is dialog.login_page


def test_a_weak_first_password_is_refused_in_french(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks
) -> None:
    dialog = login_dialog(qtbot, tasks)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.first_page)
    dialog.new_login.setText("admin")
    dialog.new_password.setText("court")
    dialog.new_confirm.setText("court")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert dialog.status.text().startswith("Mot de passe trop faible")
    assert dialog.pages.currentWidget() is dialog.first_page
    assert logged(writer.path, "user_added") == []


# -- role gates of the main window --------------------------------------------------

#: What each role may do from the console's menus (roles.py's table, spelled out).
EXPECTED = {
    #                 F2/F8  F4-F6  Ctrl+M shift
    Role.OPERATEUR: (True, True, True, True),
    Role.SUPERVISEUR: (True, True, True, True),
    Role.INSTALLATEUR: (False, False, False, False),
    Role.ADMIN: (False, False, False, False),
}


def gated_state(window: MainWindow) -> tuple[bool, bool, bool, bool]:
    by_key = {a.shortcut().toString(): a for a in window.actions()}
    handle = by_key["F2"].isEnabled()
    dispatch = by_key["F4"].isEnabled()
    mute = by_key["Ctrl+M"].isEnabled()
    assert window.mute_button.isEnabled() == mute
    shift = window.shift_open_action.isEnabled()
    assert window.shift_close_action.isEnabled() == shift
    return handle, dispatch, mute, shift


@pytest.mark.parametrize("role", list(Role))
def test_actions_are_greyed_unless_the_role_allows_them(
    qtbot: Any, tasks: DbTasks, tz: ZoneInfo, role: Role
) -> None:
    model = AlertTableModel(tz)
    session = Session()
    window = MainWindow(model, tasks, tz, "Villeurbanne", STATION, session=session)
    qtbot.addWidget(window)
    model.setParent(window)
    session.setParent(window)
    assert gated_state(window) == (False, False, False, False)  # nobody logged in
    assert not window.handover_action.isEnabled()
    assert "personne n'est connecté" in window.station_label.text()

    session.log_in(Account("x.dupont", "Xavier Dupont", role))
    assert gated_state(window) == EXPECTED[role]
    assert window.handover_action.isEnabled()
    assert window.station_label.text().startswith(f"Poste : {STATION} · Xavier Dupont (")

    session.log_out()
    assert gated_state(window) == (False, False, False, False)


# -- the real console -----------------------------------------------------------------


def data_db(harness: Harness) -> Path:
    return harness.tmp_path / "data" / DB_NAME


def log_in(qtbot: Any, console: Console, login: str) -> None:
    dialog = console.sessions.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.login.setText(login)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(console.session.changed, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert console.session.account is not None and console.session.account.login == login


def test_alerts_ring_and_flash_over_the_login_screen(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    add_accounts(data_db(harness), ("martin", Role.OPERATEUR, "Mme Martin"))
    console = harness.start(autologin=None)
    dialog = console.sessions.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert console.session.account is None
    assert not console.allowed(Permission.HANDLE_ALERTS)

    a = alert(category="rixe", priority=1)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000) as ring:
        inject(sim, a)
    assert ring.args[0] == "priority1"
    assert console.window.banner.isVisible()
    assert "Rixe" in console.window.banner.text()
    assert dialog.isVisible()  # nobody had to answer it first
    qtbot.waitUntil(lambda: console.model.rowCount() == 1)  # the queue updates too

    # Mme Martin logs in; the alarm kept going meanwhile, and now she may take it.
    log_in(qtbot, console, "martin")
    assert not dialog.isVisible()
    assert console.operator == "martin"
    assert console.allowed(Permission.HANDLE_ALERTS)
    assert "Mme Martin (Opérateur)" in console.window.station_label.text()
    assert console.alarm.scheduler.ringing_keys()
    qtbot.waitUntil(lambda: bool(events(console, "login")))
    [login] = events(console, "login")
    assert (login["station"], login["operator"]) == (STATION, "martin")

    press(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: state_of(console, a["id"])["state"] == "acknowledged", timeout=5000)
    assert state_of(console, a["id"])["state_operator"] == "martin"


def test_an_installer_cannot_acknowledge_and_nothing_is_written(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    add_accounts(data_db(harness), ("pose", Role.INSTALLATEUR, "Paul Pose"))
    console = harness.start(autologin="pose")  # an existing account keeps its role
    assert console.session.account is not None
    assert console.session.account.role is Role.INSTALLATEUR
    assert console.allowed(Permission.VIEW_CAMERAS)
    assert not console.allowed(Permission.TAKE_SNAPSHOT)

    a = alert(category="degradation", priority=2)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, a)
    press(qtbot, console, Qt.Key.Key_F2)
    assert console.window.statusBar().currentMessage() == (
        "Action réservée : le rôle « Installateur » ne permet pas de traiter les alertes."
    )
    press(qtbot, console, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert console.window.statusBar().currentMessage() == (
        "Action réservée : le rôle « Installateur » ne permet pas de mettre l'alarme en sourdine."
    )
    assert console.alarm.muted_remaining() == 0
    # Everything the console queued so far has been written once this job runs.
    barrier = console.writer.submit(lambda _s: None)
    qtbot.waitUntil(barrier.done)
    assert events(console, "acknowledged") == []
    assert events(console, "muted") == []
    assert state_of(console, a["id"])["state"] == "new"
    assert console.alarm.scheduler.ringing_keys()  # it still rings for whoever may take it


def test_handover_writes_logout_then_login(harness: Harness, qtbot: Any, sim: SimProcess) -> None:
    add_accounts(data_db(harness), ("martin", Role.SUPERVISEUR, "Mme Martin"))
    console = harness.start()  # autologin "testeur", created on the fly
    window = console.window
    press(qtbot, console, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    # The handover digest first, always (tests/gui/console/test_handover.py).
    qtbot.waitUntil(lambda: console.handover.dialog is not None, timeout=10_000)
    digest = console.handover.dialog
    assert digest is not None
    qtbot.mouseClick(digest.hand_over_button, Qt.MouseButton.LeftButton)
    dialog = console.sessions.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert console.session.account is None and console.operator == ""
    assert "personne n'est connecté" in window.station_label.text()
    assert not window.handover_action.isEnabled()

    log_in(qtbot, console, "martin")
    qtbot.waitUntil(lambda: len(events(console, "login")) == 2)
    [added] = [e for e in events(console, "user_added") if e["station"] == STATION]
    assert json.loads(added["details"])["role"] == "operateur"
    first, second = events(console, "login")
    [logout] = events(console, "logout")
    assert first["pk"] < logout["pk"] < second["pk"]
    assert (first["operator"], logout["operator"], second["operator"]) == (
        "testeur",
        "testeur",
        "martin",
    )
    assert json.loads(first["details"])["autologin"] is True
    assert "autologin" not in json.loads(second["details"])
    assert "Mme Martin (Superviseur)" in window.station_label.text()


def test_shift_opening_and_closing_are_events_with_the_counts(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start()
    window = console.window
    window.shift_open_action.trigger()
    qtbot.waitUntil(lambda: bool(events(console, "shift_opened")))
    [opened] = events(console, "shift_opened")
    assert (opened["station"], opened["operator"]) == (STATION, "testeur")

    window.shift_open_action.trigger()  # already open: the store says so
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Vacation déjà ouverte par testeur")
    )

    window.shift_close_action.trigger()
    qtbot.waitUntil(
        lambda: console.shifts.summary is not None and console.shifts.summary.isVisible()
    )
    summary = console.shifts.summary
    assert summary is not None
    assert "Opérateurs : testeur." in summary.header.text()
    [closed] = db_rows(console, "SELECT * FROM events WHERE kind = 'shift_closed'")
    details = json.loads(closed["details"])
    assert details["opened_by"] == "testeur" and details["operators"] == ["testeur"]
    assert summary.table.rowCount() == len(details["counts"])
    summary.accept()


def test_nobody_may_open_a_shift_before_logging_in(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start(autologin=None)
    qtbot.waitUntil(console.sessions.dialog.isVisible)
    messages: list[str] = []
    console.shifts.message.connect(messages.append)
    console.shifts.open_shift()  # greyed in the menu; refused if reached anyway
    assert messages == ["Action réservée : personne n'est connecté à ce poste."]
    barrier = console.writer.submit(lambda _s: None)
    qtbot.waitUntil(barrier.done)
    assert events(console, "shift_opened") == []


def test_ctrl_q_on_the_login_screen_quits_the_console(
    harness: Harness, qtbot: Any, sim: SimProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = harness.start(autologin=None)
    dialog = console.sessions.dialog
    qtbot.waitUntil(dialog.isVisible)
    codes: list[int] = []
    # exit(), as SIGTERM does: quit() would be cancelled by the dialog refusing to close.
    monkeypatch.setattr(console, "app", SimpleNamespace(exit=codes.append))
    activate(qtbot, dialog)
    qtbot.keyClick(dialog.login, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    # It asks first, as everywhere (tests/gui/console/test_quit.py).
    qtbot.waitUntil(lambda: console.quitter.dialog is not None)
    assert codes == []
    confirm = console.quitter.dialog
    assert confirm is not None
    qtbot.mouseClick(confirm.quit_button, Qt.MouseButton.LeftButton)
    assert codes == [0]
