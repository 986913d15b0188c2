"""The « Administration » window (issue 20) on a real database file and a copy of the
demo site: each change of accounts, units and settings is applied, logged with its
reason, and refused (French message, nothing written) for the other roles."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from csu_console.config.loader import check_site
from csu_console.core.accounts import Account, ScryptParams
from csu_console.core.dispatch import Unit, UnitKind, UnitStatus
from csu_console.core.roles import Role
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.admin.accounts import AccountDialog
from csu_console.ui.admin.window import AdminWindow, LiveTargets, assemble_admin
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.dispatch_ops import DispatchOperations
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.session import Session

STATION = "poste-admin"
FAST = ScryptParams(2**10, 8, 1)
PASSWORD = "Secret-123"
ACCOUNTS = {
    "chef": (Role.ADMIN, "Claire Chef"),
    "dupont": (Role.OPERATEUR, "Jeanne Dupont"),
    "martin": (Role.SUPERVISEUR, "Paul Martin"),
    "pose": (Role.INSTALLATEUR, "Ivan Pose"),
}


class NoLink:
    def nudge_outbox(self) -> None:
        """Nothing to send in these tests."""


class Rig:
    """A session, the storage thread, the dispatch operations and the window."""

    def __init__(self, qtbot: Any, tmp_path: Path, config_dir: Path, writer: StorageWriter):
        self.qtbot = qtbot
        self.site_dir = tmp_path / "config"
        shutil.copytree(config_dir, self.site_dir)
        self.db = writer.path
        store = Store(self.db)
        try:
            for login, (role, name) in ACCOUNTS.items():
                store.add_user(login, role, name, PASSWORD, params=FAST, station="cli")
        finally:
            store.close()
        self.tasks = DbTasks(writer)
        self.session = Session()
        self.tz = ZoneInfo("Europe/Paris")
        self.ctx = StationContext(STATION, self.tasks, self.session, NoLink())
        site, problems = check_site(self.site_dir)
        assert site is not None, problems
        self.host = QWidget()
        qtbot.addWidget(self.host)
        self.dispatch = DispatchOperations(
            AlertTableModel(self.tz), self.ctx, cast(Any, None), site.dispatch.units, self.host
        )

    def log_in(self, login: str) -> None:
        role, name = ACCOUNTS[login]
        self.session.log_in(Account(login, name, role))

    def window(self) -> AdminWindow:
        from csu_console.ui.admin.common import AdminContext

        ctx = AdminContext(STATION, self.session, self.tasks)
        w = AdminWindow(ctx, self.dispatch, self.site_dir, self.tz)
        self.qtbot.addWidget(w)
        w.show()
        with self.qtbot.waitSignal(w.accounts.loaded, timeout=5000):
            w.refresh()
        self.qtbot.waitUntil(lambda: bool(w.settings.text), timeout=5000)
        return w

    def events(self, kind: str) -> list[dict[str, Any]]:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT station, operator, details FROM events WHERE kind = ? ORDER BY pk",
                (kind,),
            ).fetchall()
        finally:
            conn.close()
        return [{"station": s, "operator": o, **json.loads(d)} for s, o, d in rows]

    def account(self, login: str) -> Account:
        store = Store(self.db, readonly=True)
        try:
            found = store.user(login)
        finally:
            store.close()
        assert found is not None
        return found


@pytest.fixture
def rig(qtbot: Any, tmp_path: Path, config_dir: Path, writer: StorageWriter) -> Iterator[Rig]:
    r = Rig(qtbot, tmp_path, config_dir, writer)
    yield r
    r.tasks.deleteLater()


def wait_status(qtbot: Any, label: Any, text: str) -> None:
    qtbot.waitUntil(lambda: text in label.text(), timeout=8000)


# -- the menu entry ---------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_menu_entry_for_the_administrator_only(qtbot: Any, rig: Rig, role: Role) -> None:
    model = AlertTableModel(rig.tz)
    window = MainWindow(model, rig.tasks, rig.tz, "Démo", STATION, session=rig.session)
    qtbot.addWidget(window)
    launcher = assemble_admin(rig.ctx, rig.dispatch, rig.site_dir, rig.tz, window, LiveTargets())
    login = next(login for login, (r, _) in ACCOUNTS.items() if r is role)
    rig.log_in(login)
    menus = [a.menu() for a in window.menuBar().actions()]
    install = next(m for m in menus if window.site_setup_action in m.actions())  # type: ignore[union-attr]
    assert launcher.action in install.actions()  # type: ignore[union-attr]
    assert launcher.action.isEnabled() == (role is Role.ADMIN)
    messages: list[str] = []
    launcher.message.connect(messages.append)
    opened = launcher.open_admin()
    if role is Role.ADMIN:
        assert isinstance(opened, AdminWindow) and messages == []
        rig.session.log_out()  # the next person does not inherit the screen
        qtbot.waitUntil(lambda: not opened.isVisible(), timeout=2000)
    else:
        assert opened is None
        assert messages == [
            f"Action réservée : le rôle « {ROLE_NAMES[role]} » ne permet pas de gérer les comptes."
        ]


ROLE_NAMES = {Role.OPERATEUR: "Opérateur", Role.SUPERVISEUR: "Superviseur",
              Role.INSTALLATEUR: "Installateur", Role.ADMIN: "Administrateur"}  # fmt: skip


# -- accounts ---------------------------------------------------------------------------


def test_account_changes_are_applied_and_logged_with_their_reason(qtbot: Any, rig: Rig) -> None:
    rig.log_in("chef")
    w = rig.window()
    tab = w.accounts
    assert [a.login for a in tab.accounts] == ["chef", "dupont", "martin", "pose"]
    assert tab.table.item(1, 2).text() == "Opérateur"

    # Create through the dialog: a weak password keeps it open, with the reason.
    tab.ask_create()
    dialog = tab.dialog
    assert isinstance(dialog, AccountDialog)
    dialog.login.setText("durand")
    dialog.name.setText("Luc Durand")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.SUPERVISEUR.value))
    dialog.password.setText("faible")
    dialog.confirm.setText("faible")
    dialog.reason.setText("arrivée au CSU")
    dialog._check()
    assert "trop faible" in dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.password.setText("Provisoire-77")
    dialog.confirm.setText("Provisoire-77")
    dialog._check()
    wait_status(qtbot, tab.status, "Compte « durand » créé (Superviseur).")
    qtbot.waitUntil(lambda: "durand" in [a.login for a in tab.accounts], timeout=5000)
    added = rig.events("user_added")[-1]
    got = tuple(added[k] for k in ("login", "role", "reason", "operator", "station"))
    assert got == ("durand", "superviseur", "arrivée au CSU", "chef", STATION)

    tab.disable("dupont", "arrêt maladie longue durée")
    wait_status(qtbot, tab.status, "Compte « dupont » désactivé.")
    assert rig.account("dupont").disabled
    tab.enable("dupont", "reprise")
    wait_status(qtbot, tab.status, "Compte « dupont » réactivé.")
    assert not rig.account("dupont").disabled
    tab.reset("dupont", "Temporaire-42", "mot de passe oublié")
    wait_status(qtbot, tab.status, "réinitialisé")
    store = Store(rig.db)
    try:
        from csu_console.core.accounts import LockoutPolicy

        assert store.authenticate("dupont", "Temporaire-42", "t", LockoutPolicy()).login == "dupont"
    finally:
        store.close()
    tab.change_role("dupont", Role.SUPERVISEUR, "chef d'équipe")
    wait_status(qtbot, tab.status, "rôle Superviseur")
    assert rig.account("dupont").role is Role.SUPERVISEUR

    for kind, reason in [("user_disabled", "arrêt maladie longue durée"),
                         ("user_enabled", "reprise"), ("password_reset", "mot de passe oublié"),
                         ("user_role_changed", "chef d'équipe")]:  # fmt: skip
        event = rig.events(kind)[-1]
        assert (event["login"], event["reason"], event["operator"]) == ("dupont", reason, "chef")
    assert "Temporaire" not in json.dumps(rig.events("password_reset"))

    # The last administrator stays.
    tab.disable("chef", "essai")
    wait_status(qtbot, tab.status, "dernier administrateur actif")
    assert not rig.account("chef").disabled


@pytest.mark.parametrize("login", ["dupont", "martin", "pose"])
def test_account_changes_are_refused_for_other_roles(qtbot: Any, rig: Rig, login: str) -> None:
    rig.log_in("chef")
    w = rig.window()
    rig.log_in(login)  # the same station, another person (the window stays for the test)
    tab = w.accounts
    tab.on_session_changed()
    assert not tab.create_button.isEnabled()
    tab.table.selectRow(1)
    assert not (tab.disable_button.isEnabled() or tab.reset_button.isEnabled())
    tab.disable("dupont", "essai")
    assert "ne permet pas de gérer les comptes" in tab.status.text()
    tab.reset("dupont", "Temporaire-42", "essai")
    tab.change_role("dupont", Role.ADMIN, "essai")
    tab.create_account("intrus", "Intrus", Role.ADMIN, "Provisoire-77", "essai")
    assert "ne permet pas de gérer les comptes" in tab.status.text()
    assert rig.events("user_disabled") == rig.events("password_reset") == []
    assert rig.events("user_role_changed") == []
    assert [e["login"] for e in rig.events("user_added")] == list(ACCOUNTS)


# -- units ------------------------------------------------------------------------------


def test_unit_availability_and_units_added_and_removed(qtbot: Any, rig: Rig) -> None:
    rig.log_in("chef")
    w = rig.window()
    tab = w.units
    tab.set_availability("pm-alpha-1", False, "pause déjeuner")
    qtbot.waitUntil(
        lambda: (
            tab.states.get("pm-alpha-1") is not None
            and tab.states["pm-alpha-1"].status is UnitStatus.INDISPONIBLE
        ),
        timeout=5000,
    )
    assert tab.table.item(0, 3).text() == "Indisponible"
    assert tab.table.item(0, 4).text() == "pause déjeuner"
    event = rig.events("unit_unavailable")[-1]
    assert (event["unit"], event["comment"], event["operator"]) == (
        "pm-alpha-1", "pause déjeuner", "chef"
    )  # fmt: skip

    tab.add_unit(Unit("pm-delta", "Delta", UnitKind.MOTO), "renfort estival")
    wait_status(qtbot, tab.status, "Delta ajoutée")
    site, _ = check_site(rig.site_dir)
    assert site is not None and "pm-delta" in [u.id for u in site.dispatch.units]
    added = rig.events("unit_added")[-1]
    assert (added["unit"], added["reason"], added["operator"]) == (
        "pm-delta", "renfort estival", "chef"
    )  # fmt: skip
    tab.remove_unit("pm-cyno", "fin de convention")
    wait_status(qtbot, tab.status, "Cynophile 1 retirée")
    site, _ = check_site(rig.site_dir)
    assert site is not None and "pm-cyno" not in [u.id for u in site.dispatch.units]
    assert rig.events("unit_removed")[-1]["reason"] == "fin de convention"


@pytest.mark.parametrize("login", ["dupont", "martin", "pose"])
def test_units_refused_for_other_roles(qtbot: Any, rig: Rig, login: str) -> None:
    rig.log_in("chef")
    w = rig.window()
    before = (rig.site_dir / "site.toml").read_text(encoding="utf-8")
    rig.log_in(login)
    tab = w.units
    tab.on_session_changed()
    assert not tab.add_button.isEnabled()
    tab.add_unit(Unit("pm-delta", "Delta", UnitKind.MOTO), "essai")
    assert "ne permet pas d'ajouter ou retirer des unités" in tab.status.text()
    tab.remove_unit("pm-cyno", "essai")
    assert (rig.site_dir / "site.toml").read_text(encoding="utf-8") == before
    tab.set_availability("pm-bravo", False, "essai")
    if login == "pose":  # the installer may not change availability; operators may
        assert "ne permet pas de changer la disponibilité des unités" in tab.status.text()
        assert rig.events("unit_unavailable") == []
    else:
        qtbot.waitUntil(lambda: bool(rig.events("unit_unavailable")), timeout=5000)
    assert rig.events("unit_added") == rig.events("unit_removed") == []


# -- settings ---------------------------------------------------------------------------


def test_settings_checked_written_logged_and_applied(qtbot: Any, rig: Rig) -> None:
    rig.log_in("chef")
    w = rig.window()
    tab = w.settings
    applied: list[tuple[Any, Any]] = []
    tab.applied.connect(lambda site, changes: applied.append((site, changes)))
    before = (rig.site_dir / "site.toml").read_text(encoding="utf-8")
    tab.fields[("alarm", "repeat_p1_s")].setText("8")  # type: ignore[union-attr]
    tab.fields[("retention", "video_days")].setText("45")  # type: ignore[union-attr]
    tab.save("essai hors plafond")
    qtbot.waitUntil(lambda: tab.problems.count() > 0, timeout=5000)
    assert "video_days" in tab.problems.item(0).text() and "CNIL" in tab.problems.item(0).text()
    assert "Rien n'a été enregistré" in tab.status.text()
    assert (rig.site_dir / "site.toml").read_text(encoding="utf-8") == before
    assert rig.events("settings_changed") == []

    tab.fields[("retention", "video_days")].setText("20")  # type: ignore[union-attr]
    tab.priorities["rixe"].setValue(2)
    tab.save("nouvelle consigne du chef de service")
    wait_status(qtbot, tab.status, "Réglages enregistrés (3 modification(s)).")
    assert "Appliqués aussitôt : alarm.repeat_p1_s, retention.video_days." in tab.status.text()
    assert "Au prochain démarrage : priorities.rixe." in tab.status.text()
    site, _ = check_site(rig.site_dir)
    assert site is not None
    assert (site.alarm.repeat_p1_s, site.retention.video_days) == (8, 20)
    event = rig.events("settings_changed")[-1]
    assert event["reason"] == "nouvelle consigne du chef de service"
    assert event["changes"] == [
        {"key": "alarm.repeat_p1_s", "before": "5", "after": "8"},
        {"key": "priorities.rixe", "before": "1", "after": "2"},
        {"key": "retention.video_days", "before": "30", "after": "20"},
    ]
    assert event["restart"] == ["priorities.rixe"]
    assert len(applied) == 1 and applied[0][0].alarm.repeat_p1_s == 8
    text = (rig.site_dir / "site.toml").read_text(encoding="utf-8")
    assert "repeat_p1_s = 8       # 1 = urgente" in text  # the comment kept


@pytest.mark.parametrize("login", ["dupont", "martin", "pose"])
def test_settings_refused_for_other_roles(qtbot: Any, rig: Rig, login: str) -> None:
    rig.log_in("chef")
    w = rig.window()
    tab = w.settings
    before = (rig.site_dir / "site.toml").read_text(encoding="utf-8")
    rig.log_in(login)
    tab.on_session_changed()
    assert not tab.save_button.isEnabled() and not tab.groups["alarm"].isEnabled()
    tab.fields[("alarm", "repeat_p1_s")].setText("8")  # type: ignore[union-attr]
    tab.save("essai")
    assert "ne permet pas de modifier les réglages du site" in tab.status.text()
    assert (rig.site_dir / "site.toml").read_text(encoding="utf-8") == before
    assert rig.events("settings_changed") == []


def test_live_settings_reach_the_alarm_and_the_purge(rig: Rig) -> None:
    from csu_console.config.site_edit import Change
    from csu_console.ui.admin.window import apply_live

    site, _ = check_site(rig.site_dir)
    assert site is not None
    got: list[str] = []
    targets = LiveTargets(lambda s: got.append("alarm"), lambda s: got.append("retention"))
    changes = (
        Change("alarm.repeat_p2_s", "15", "20"),
        Change("alarm.mute_max_s", "120", "90"),
        Change("ui.theme", '"sombre"', '"clair"'),
    )
    assert apply_live(site, changes, targets) == ["alarm.repeat_p2_s"]
    assert got == ["alarm"]
