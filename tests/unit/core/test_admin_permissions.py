"""Every permission of the table (csu_console.core.roles), one by one: granted to the
roles that have it, refused with the French message to the others — the gate that
each operation calls (``require``). The operations' own refusals are tested where
they live: accounts (tests/unit/storage/test_admin_accounts.py), purge (same file),
settings, privacy and units (tests/unit/config/test_admin_site_edit.py), the GUI's
(tests/gui/console/test_admin_window.py)."""

from __future__ import annotations

import pytest

from csu_console.core.roles import (
    PERMISSION_LABELS,
    PERMISSIONS,
    ROLE_LABELS,
    Permission,
    PermissionDenied,
    Role,
    require,
)

#: Who has what, written out independently of the table it checks.
EXPECTED: dict[Permission, set[Role]] = {
    Permission.MANAGE_USERS: {Role.ADMIN},
    Permission.SET_UNIT_STATUS: {Role.OPERATEUR, Role.SUPERVISEUR, Role.ADMIN},
    Permission.PURGE: {Role.ADMIN},
    Permission.EDIT_PRIVACY: {Role.ADMIN},
    Permission.MANAGE_UNITS: {Role.ADMIN},
    Permission.EDIT_SETTINGS: {Role.ADMIN},
    Permission.BACKUP: {Role.ADMIN},
    Permission.CREATE_ALERT: {Role.OPERATEUR, Role.SUPERVISEUR},
    Permission.EDIT_SITE: {Role.INSTALLATEUR},
    Permission.HANDLE_ALERTS: {Role.OPERATEUR, Role.SUPERVISEUR},
    Permission.DISPATCH: {Role.OPERATEUR, Role.SUPERVISEUR},
    Permission.MUTE_ALARM: {Role.OPERATEUR, Role.SUPERVISEUR},
    Permission.VIEW_CAMERAS: {Role.OPERATEUR, Role.SUPERVISEUR, Role.INSTALLATEUR},
    Permission.LEGAL_HOLD: {Role.SUPERVISEUR, Role.ADMIN},
    Permission.WEAK_SIGNALS: {Role.SUPERVISEUR},
}


@pytest.mark.parametrize("permission", list(EXPECTED), ids=str)
def test_each_permission_is_granted_to_its_roles_only(permission: Permission) -> None:
    for role in Role:
        if role in EXPECTED[permission]:
            require(role, permission)
            continue
        with pytest.raises(PermissionDenied) as refused:
            require(role, permission)
        label = PERMISSION_LABELS[permission]
        de = "d'" if label[0] in "aeiouéèê" else "de "
        assert str(refused.value) == (
            f"Action refusée : le rôle « {ROLE_LABELS[role]} » ne permet pas {de}{label}."
        )


def test_the_administrator_neither_handles_alerts_nor_watches_video() -> None:
    admin = PERMISSIONS[Role.ADMIN]
    assert not admin & {Permission.HANDLE_ALERTS, Permission.VIEW_CAMERAS, Permission.DISPATCH}


def test_every_permission_has_a_french_label() -> None:
    assert set(PERMISSION_LABELS) == set(Permission)
