"""« Changer mon mot de passe… » (Poste menu): anyone logged in, the current password
asked again, the new one twice and checked like any, logged — without a terminal."""

from __future__ import annotations

import json
import sqlite3
from typing import Any
from zoneinfo import ZoneInfo

from test_backup_now import NoLink, tasks  # noqa: F401 - the fixture

from csu_console.core.accounts import Account, LockoutPolicy, ScryptParams
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.own_password import OwnPassword
from csu_console.ui.console.session import Session

STATION = "poste-1"
FAST = ScryptParams(2**10, 8, 1)
PASSWORD = "Secret-123"


def changes(writer: StorageWriter) -> list[tuple[str | None, dict[str, Any]]]:
    writer.submit(lambda s: None).result(timeout=10)
    conn = sqlite3.connect(f"file:{writer.path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT operator, details FROM events WHERE kind = 'password_changed'")
        return [(op, json.loads(d)) for op, d in rows.fetchall()]
    finally:
        conn.close()


def test_anyone_logged_in_changes_their_own_password_with_the_current_one(
    qtbot: Any,
    writer: StorageWriter,
    tasks: DbTasks,  # noqa: F811 - test_backup_now's fixture
    tz: ZoneInfo,
) -> None:
    writer.submit(
        lambda s: s.add_user("durand", Role.OPERATEUR, "Luc Durand", PASSWORD, params=FAST)
    ).result(timeout=10)
    session = Session()
    window = MainWindow(AlertTableModel(tz), tasks, tz, "Villeurbanne", STATION, session=session)
    qtbot.addWidget(window)
    session.setParent(window)
    ctx = StationContext(STATION, tasks, session, NoLink())  # type: ignore[arg-type]
    own = OwnPassword(ctx, window, scrypt=FAST)
    assert own.action in window.station_menu.actions()
    assert not own.action.isEnabled()  # nobody logged in
    session.log_in(Account("durand", "Luc Durand", Role.OPERATEUR))
    assert own.action.isEnabled()
    own.action.trigger()
    dialog = own.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)

    def submit(current: str, new: str, confirm: str) -> str:
        dialog.current.setText(current)
        dialog.new.setText(new)
        dialog.confirm.setText(confirm)
        dialog.buttons.accepted.emit()
        qtbot.waitUntil(dialog.buttons.isEnabled, timeout=5000)
        return dialog.status.text()

    assert submit(PASSWORD, "Nouveau-456", "Nouveau-457") == (
        "Les deux mots de passe saisis diffèrent."
    )
    assert submit("pas-le-bon", "Nouveau-456", "Nouveau-456") == (
        "Mot de passe actuel incorrect : rien n'est changé."
    )
    assert "différent" in submit(PASSWORD, PASSWORD, PASSWORD)
    assert "mot de passe" in submit(PASSWORD, "court", "court").lower()  # the rules' reason
    assert changes(writer) == []
    with qtbot.waitSignal(own.changed, timeout=5000):
        dialog.current.setText(PASSWORD)
        dialog.new.setText("Nouveau-456")
        dialog.confirm.setText("Nouveau-456")
        dialog.buttons.accepted.emit()
    assert window.statusBar().currentMessage() == "Mot de passe changé."
    [(operator, details)] = changes(writer)
    assert operator == "durand" and details["login"] == "durand"
    account = writer.submit(
        lambda s: s.authenticate("durand", "Nouveau-456", STATION, LockoutPolicy())
    ).result(timeout=10)
    assert account.login == "durand"
