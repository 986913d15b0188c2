"""Local accounts in the store (csu_console.storage.users): creation, login,
lockout after repeated failures, password change, disabling — every step logged."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from csu_console.core import accounts
from csu_console.core.accounts import LockoutPolicy, ScryptParams
from csu_console.core.roles import Role
from csu_console.errors import AuthError
from csu_console.storage.store import Store
from csu_console.storage.users import BAD_CREDENTIALS

FAST = ScryptParams(2**10, 8, 1)  # tests only: accounts get DEFAULT_SCRYPT by default
T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
POLICY = LockoutPolicy(max_failures=3, lockout_s=60)
PASSWORD = "Secret-123"


@pytest.fixture
def users(store: Store) -> Store:
    store.add_user("dupont", Role.OPERATEUR, "Jeanne  Dupont", PASSWORD, params=FAST,
                   station="cli", operator="root")  # fmt: skip
    return store


@pytest.fixture(autouse=True)
def _cheap_dummy_check(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Unknown logins burn one password check; at test cost, and counted."""
    calls: list[int] = []

    def burn(params: ScryptParams = FAST) -> None:
        calls.append(1)
        accounts.check_password("", accounts.hash_password("x", FAST))

    monkeypatch.setattr("csu_console.storage.users.burn_time", burn)
    return calls


def events(store: Store, kind: str) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT station, operator, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
    ).fetchall()
    return [{"station": s, "operator": o, **json.loads(d)} for s, o, d in rows]


def test_add_and_list(users: Store) -> None:
    users.add_user("martin", Role.SUPERVISEUR, "", "Autre-mot2passe", params=FAST)
    listed = users.list_users()
    assert [(a.login, a.display_name, a.role, a.disabled) for a in listed] == [
        ("dupont", "Jeanne Dupont", Role.OPERATEUR, False),
        ("martin", "martin", Role.SUPERVISEUR, False),
    ]
    assert events(users, "user_added")[0] == {
        "station": "cli", "operator": "root", "login": "dupont", "role": "operateur",
        "name": "Jeanne Dupont",
    }  # fmt: skip
    assert users.verify_chain().ok


def test_the_password_is_stored_salted_and_hashed_only(users: Store, db_path: Path) -> None:
    users.add_user("martin", Role.OPERATEUR, "", PASSWORD, params=FAST)
    rows = users.conn.execute("SELECT pw_scheme, pw_salt, pw_hash FROM users").fetchall()
    assert rows[0][0] == "scrypt:1024:8:1"
    assert rows[0][1] != rows[1][1] and rows[0][2] != rows[1][2]  # same password, other salt
    users.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in db_path.parent.iterdir():
        assert PASSWORD.encode() not in path.read_bytes(), path.name


def test_duplicate_login_and_weak_password_are_refused(users: Store) -> None:
    with pytest.raises(AuthError, match="existe déjà"):
        users.add_user("dupont", Role.ADMIN, "", "Autre-mot2passe", params=FAST)
    with pytest.raises(AuthError, match="trop faible"):
        users.add_user("martin", Role.ADMIN, "", "court", params=FAST)
    with pytest.raises(AuthError, match="Identifiant"):
        users.add_user("Martin Dupont", Role.ADMIN, "", PASSWORD, params=FAST)
    assert [a.login for a in users.list_users()] == ["dupont"]


def test_login_success_is_logged(users: Store) -> None:
    account = users.authenticate("dupont", PASSWORD, "poste-1", POLICY, T0)
    assert (account.login, account.role, account.display_name) == (
        "dupont", Role.OPERATEUR, "Jeanne Dupont",
    )  # fmt: skip
    assert events(users, "login") == [
        {"station": "poste-1", "operator": "dupont", "role": "operateur", "name": "Jeanne Dupont"}
    ]
    users.logout("dupont", "poste-1", T0)
    assert events(users, "logout") == [{"station": "poste-1", "operator": "dupont"}]


def test_unknown_login_and_bad_password_look_the_same(
    users: Store, _cheap_dummy_check: list[int]
) -> None:
    with pytest.raises(AuthError) as unknown:
        users.authenticate("inconnu", PASSWORD, "poste-1", POLICY, T0)
    with pytest.raises(AuthError) as bad:
        users.authenticate("dupont", "Mauvais-123", "poste-1", POLICY, T0)
    assert str(unknown.value) == str(bad.value) == BAD_CREDENTIALS
    assert _cheap_dummy_check == [1]  # the unknown login paid for a password check
    assert [e["cause"] for e in events(users, "login_failed")] == [
        "identifiant inconnu", "mot de passe incorrect",
    ]  # fmt: skip
    account = users.user("dupont")
    assert account is not None and account.failed_count == 1


def test_lockout_after_repeated_failures(users: Store) -> None:
    for _ in range(2):
        with pytest.raises(AuthError, match="incorrect"):
            users.authenticate("dupont", "Mauvais-123", "poste-1", POLICY, T0)
    with pytest.raises(AuthError, match="Compte verrouillé"):
        users.authenticate("dupont", "Mauvais-123", "poste-1", POLICY, T0)
    account = users.user("dupont")
    assert account is not None and account.locked_until == T0 + timedelta(seconds=60)
    [locked] = events(users, "account_locked")
    assert (locked["login"], locked["failures"]) == ("dupont", 3)
    # While locked, even the right password is refused (and not checked).
    with pytest.raises(AuthError, match="Compte verrouillé"):
        users.authenticate("dupont", PASSWORD, "poste-1", POLICY, T0 + timedelta(seconds=59))
    assert events(users, "login_failed")[-1]["cause"] == "compte verrouillé"
    assert events(users, "login") == []
    # Once the lockout has run out, the right password works and clears the counters.
    account = users.authenticate("dupont", PASSWORD, "poste-1", POLICY, T0 + timedelta(seconds=60))
    assert account.login == "dupont"
    after = users.user("dupont")
    assert after is not None and (after.failed_count, after.locked_until) == (0, None)


def test_default_policy_locks_after_five_failures_for_five_minutes(users: Store) -> None:
    policy = LockoutPolicy()
    assert (policy.max_failures, policy.lockout_s) == (5, 300)
    messages = []
    for _ in range(5):
        with pytest.raises(AuthError) as info:
            users.authenticate("dupont", "Mauvais-123", "poste-1", policy, T0)
        messages.append(str(info.value))
    assert messages[:4] == [BAD_CREDENTIALS] * 4
    assert messages[4].startswith("Compte verrouillé")
    account = users.user("dupont")
    assert account is not None and account.locked_until == T0 + timedelta(minutes=5)


def test_success_resets_the_failure_count(users: Store) -> None:
    for _ in range(2):
        with pytest.raises(AuthError):
            users.authenticate("dupont", "Mauvais-123", "poste-1", POLICY, T0)
    users.authenticate("dupont", PASSWORD, "poste-1", POLICY, T0)
    for _ in range(2):  # two more do not lock: the count started again
        with pytest.raises(AuthError, match="incorrect"):
            users.authenticate("dupont", "Mauvais-123", "poste-1", POLICY, T0)


def test_password_change_lifts_the_lock(users: Store) -> None:
    for _ in range(3):
        with pytest.raises(AuthError):
            users.authenticate("dupont", "Mauvais-123", "poste-1", POLICY, T0)
    users.set_password("dupont", "Nouveau-456", params=FAST, station="cli", operator="root")
    with pytest.raises(AuthError, match="incorrect"):
        users.authenticate("dupont", PASSWORD, "poste-1", POLICY, T0)
    assert users.authenticate("dupont", "Nouveau-456", "poste-1", POLICY, T0).login == "dupont"
    assert events(users, "password_changed") == [
        {"station": "cli", "operator": "root", "login": "dupont"}
    ]


def test_disabled_account(users: Store) -> None:
    users.disable_user("dupont", station="cli", operator="root")
    with pytest.raises(AuthError, match="Compte désactivé"):
        users.authenticate("dupont", PASSWORD, "poste-1", POLICY, T0)
    with pytest.raises(AuthError) as bad:  # a wrong password does not learn it is disabled
        users.authenticate("dupont", "Mauvais-123", "poste-1", POLICY, T0)
    assert str(bad.value) == BAD_CREDENTIALS
    assert [a.disabled for a in users.list_users()] == [True]
    assert events(users, "user_disabled") == [
        {"station": "cli", "operator": "root", "login": "dupont"}
    ]


def test_unknown_accounts_cannot_be_changed(users: Store) -> None:
    with pytest.raises(AuthError, match="inconnu"):
        users.set_password("personne", "Nouveau-456", params=FAST)
    with pytest.raises(AuthError, match="inconnu"):
        users.disable_user("personne")
    assert events(users, "password_changed") == events(users, "user_disabled") == []


def test_autologin_creates_a_missing_operator_and_logs_it_in(store: Store) -> None:
    account = store.autologin("demo", "poste-1", "Opérateur démo")
    assert (account.login, account.display_name, account.role) == (
        "demo",
        "Opérateur démo",
        Role.OPERATEUR,
    )
    assert events(store, "user_added") == [
        {"station": "poste-1", "operator": None, "login": "demo", "role": "operateur",
         "name": "Opérateur démo"}
    ]  # fmt: skip
    assert events(store, "login") == [
        {"station": "poste-1", "operator": "demo", "role": "operateur", "name": "Opérateur démo",
         "autologin": True}
    ]  # fmt: skip
    # Its password is random: nobody can log in with a guess, not even the login.
    with pytest.raises(AuthError):
        store.authenticate("demo", "demo", "poste-1", POLICY, T0)


def test_autologin_keeps_an_existing_role_and_refuses_a_disabled_account(users: Store) -> None:
    users.add_user("martin", Role.INSTALLATEUR, "Paul Martin", "Autre-mot2passe", params=FAST)
    assert users.autologin("martin", "poste-1", "ignoré").role is Role.INSTALLATEUR
    users.disable_user("dupont")
    with pytest.raises(AuthError, match="Compte désactivé"):
        users.autologin("dupont", "poste-1", "")
    assert events(users, "login_failed")[-1]["cause"] == "compte désactivé"
    assert [e["operator"] for e in events(users, "login")] == ["martin"]
    assert len(events(users, "user_added")) == 2  # nothing created for dupont


def test_autologin_with_the_demo_password_lets_the_trainee_log_back_in(store: Store) -> None:
    """The demo gives its account a known password (printed in its terminal)."""
    store.autologin("demo", "poste-1", "Opérateur démo", "Releve-2026")
    assert store.authenticate("demo", "Releve-2026", "poste-1", POLICY, T0).login == "demo"


def test_an_earlier_demo_account_gets_the_demo_password_a_persons_keeps_its_own(
    users: Store,
) -> None:
    # A demo account from before (random password), and one made with users add.
    users.autologin("demo", "poste-1", "Opérateur démo")
    users.add_user("chef", Role.SUPERVISEUR, "Chef", PASSWORD, params=FAST,
                   station="cli", operator="root")  # fmt: skip
    users.autologin("demo", "poste-1", "Opérateur démo", "Releve-2026")
    users.autologin("chef", "poste-1", "", "Releve-2026")
    assert users.authenticate("demo", "Releve-2026", "poste-1", POLICY, T0).login == "demo"
    assert users.authenticate("chef", PASSWORD, "poste-1", POLICY, T0).login == "chef"
    assert [e["login"] for e in events(users, "password_changed")] == ["demo"]
    # Already the demo's password: nothing to change, nothing logged.
    users.autologin("demo", "poste-1", "Opérateur démo", "Releve-2026")
    assert len(events(users, "password_changed")) == 1
