"""Account administration in the store (issue 20): enable, role change, password
reset by an administrator, the last administrator kept, every change logged with
its reason, and refused (French message) for a role that may not manage accounts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from csu_console.core.accounts import LockoutPolicy, ScryptParams
from csu_console.core.roles import PermissionDenied, Role
from csu_console.errors import AuthError
from csu_console.storage.store import Store

FAST = ScryptParams(2**10, 8, 1)
PASSWORD = "Secret-123"
POLICY = LockoutPolicy(max_failures=3, lockout_s=60)


@pytest.fixture
def accounts_store(store: Store) -> Store:
    store.add_user("chef", Role.ADMIN, "Chef", PASSWORD, params=FAST, station="cli")
    store.add_user("dupont", Role.OPERATEUR, "Jeanne Dupont", PASSWORD, params=FAST,
                   station="cli")  # fmt: skip
    return store


def admin_events(store: Store, kind: str) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT station, operator, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
    ).fetchall()
    return [{"station": s, "operator": o, **json.loads(d)} for s, o, d in rows]


def by_admin(**more: Any) -> dict[str, Any]:
    return {"station": "poste-1", "operator": "chef", "by_role": Role.ADMIN, **more}


def test_disable_then_enable_logged_with_reason(accounts_store: Store) -> None:
    s = accounts_store
    s.disable_user("dupont", **by_admin(reason="départ du service"))
    with pytest.raises(AuthError, match="désactivé"):
        s.authenticate("dupont", PASSWORD, "poste-1", POLICY)
    s.enable_user("dupont", **by_admin(reason="retour de congé"))
    assert s.authenticate("dupont", PASSWORD, "poste-1", POLICY).login == "dupont"
    assert admin_events(s, "user_disabled")[-1] == {
        "station": "poste-1", "operator": "chef", "login": "dupont",
        "reason": "départ du service",
    }  # fmt: skip
    assert admin_events(s, "user_enabled")[-1]["reason"] == "retour de congé"


def test_role_change_and_reset_password(accounts_store: Store) -> None:
    s = accounts_store
    s.set_role("dupont", Role.SUPERVISEUR, **by_admin(reason="promotion"))
    s.reset_password("dupont", "Temporaire-42", params=FAST, **by_admin(reason="oubli"))
    account = s.authenticate("dupont", "Temporaire-42", "poste-1", POLICY)
    assert account.role is Role.SUPERVISEUR
    assert admin_events(s, "user_role_changed")[-1] == {
        "station": "poste-1", "operator": "chef", "login": "dupont",
        "before": "operateur", "role": "superviseur", "reason": "promotion",
    }  # fmt: skip
    reset = admin_events(s, "password_reset")[-1]
    assert reset == {"station": "poste-1", "operator": "chef", "login": "dupont",
                     "reason": "oubli"}  # fmt: skip
    assert "Temporaire" not in json.dumps(admin_events(s, "password_reset"))


def test_the_last_administrator_cannot_be_disabled_or_demoted(accounts_store: Store) -> None:
    s = accounts_store
    with pytest.raises(AuthError, match="dernier administrateur actif"):
        s.disable_user("chef", **by_admin())
    with pytest.raises(AuthError, match="dernier administrateur actif"):
        s.set_role("chef", Role.OPERATEUR, **by_admin())
    s.add_user("adjoint", Role.ADMIN, "Adjoint", PASSWORD, params=FAST, **by_admin())
    s.set_role("chef", Role.SUPERVISEUR, **by_admin(reason="mutation"))
    with pytest.raises(AuthError, match="dernier administrateur actif"):
        s.disable_user("adjoint", **by_admin())
    assert s.user("chef") is not None and s.user("chef").role is Role.SUPERVISEUR  # type: ignore[union-attr]


@pytest.mark.parametrize("role", [Role.OPERATEUR, Role.SUPERVISEUR, Role.INSTALLATEUR])
def test_other_roles_are_refused_and_nothing_changes(accounts_store: Store, role: Role) -> None:
    s = accounts_store
    attempts = [
        lambda: s.add_user("neuf", Role.OPERATEUR, "Neuf", PASSWORD, params=FAST, by_role=role),
        lambda: s.disable_user("dupont", by_role=role),
        lambda: s.enable_user("dupont", by_role=role),
        lambda: s.set_role("dupont", Role.ADMIN, by_role=role),
        lambda: s.reset_password("dupont", "Temporaire-42", params=FAST, by_role=role),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="ne permet pas de gérer les comptes"):
            attempt()
    assert [a.login for a in s.list_users()] == ["chef", "dupont"]
    dupont = s.user("dupont")
    assert dupont is not None and dupont.role is Role.OPERATEUR and not dupont.disabled
    for kind in ("user_disabled", "user_enabled", "user_role_changed", "password_reset"):
        assert admin_events(s, kind) == []


def test_last_logins_come_from_the_logbook(accounts_store: Store) -> None:
    s = accounts_store
    assert s.last_logins() == {}
    s.authenticate("dupont", PASSWORD, "poste-1", POLICY)
    assert set(s.last_logins()) == {"dupont"}


def test_purge_is_refused_for_roles_without_it(store: Store) -> None:
    from csu_console.core.retention import RetentionPolicy

    for role in (Role.OPERATEUR, Role.SUPERVISEUR, Role.INSTALLATEUR):
        with pytest.raises(PermissionDenied, match="purger les données personnelles"):
            store.purge(RetentionPolicy(), by_role=role)
    assert store.purge(RetentionPolicy(), by_role=Role.ADMIN).total == 0
    assert store.purge(RetentionPolicy(), by_role=Role.OPERATEUR, dry_run=True).total == 0
