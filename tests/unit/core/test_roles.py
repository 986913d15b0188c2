"""Tests for the permission table (csu_console.core.roles): every role against
every permission, so a change to the table shows up here."""

from __future__ import annotations

import pytest

from csu_console.core.roles import (
    PERMISSION_LABELS,
    PERMISSIONS,
    ROLE_LABELS,
    Permission,
    PermissionDenied,
    Role,
    allowed,
    parse_role,
    require,
)
from csu_console.errors import UserFacingError

P = Permission
OP, SUP, INST, ADM = Role.OPERATEUR, Role.SUPERVISEUR, Role.INSTALLATEUR, Role.ADMIN

# The whole table, written out: which roles may do each thing.
EXPECTED: dict[Permission, set[Role]] = {
    P.HANDLE_ALERTS: {OP, SUP},
    P.DISPATCH: {OP, SUP},
    P.SET_UNIT_STATUS: {OP, SUP, ADM},
    P.MUTE_ALARM: {OP, SUP},
    P.VIEW_CAMERAS: {OP, SUP, INST},
    P.TAKE_SNAPSHOT: {OP, SUP},
    P.WRITE_LOGBOOK: {OP, SUP},
    P.MANAGE_SHIFT: {OP, SUP},
    P.READ_LOGBOOK: {OP, SUP, ADM},
    P.VIEW_RECORDINGS: {OP, SUP},
    P.EXTRACT_VIDEO: {OP, SUP},
    P.WEAK_SIGNALS: {SUP},
    P.CREATE_ALERT: {OP, SUP},
    P.MANAGE_UNITS: {ADM},
    P.EDIT_SETTINGS: {ADM},
    P.BACKUP: {ADM},
    P.EXPORT: {SUP, ADM},
    P.VERIFY_LOGBOOK: {SUP, ADM},
    P.VIEW_STATIONS: {SUP, ADM},
    P.EDIT_SITE: {INST},
    P.EDIT_PRIVACY: {ADM},
    P.MANAGE_USERS: {ADM},
    P.PURGE: {ADM},
    P.LEGAL_HOLD: {SUP, ADM},
    P.ACCESS_REGISTER: {SUP, ADM},
}


def test_the_expectation_covers_every_permission_and_label() -> None:
    assert set(EXPECTED) == set(Permission) == set(PERMISSION_LABELS)
    assert set(PERMISSIONS) == set(Role) == set(ROLE_LABELS)


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_allowed_matches_the_table(role: Role, permission: Permission) -> None:
    assert allowed(role, permission) is (role in EXPECTED[permission])


@pytest.mark.parametrize(
    ("role", "permission"),
    [
        (OP, P.MANAGE_USERS),  # an operator cannot create accounts
        (OP, P.PURGE),
        (OP, P.EXPORT),
        (ADM, P.VIEW_CAMERAS),  # the administrator does not watch video
        (ADM, P.HANDLE_ALERTS),
        (INST, P.HANDLE_ALERTS),
        (INST, P.EXPORT),
        (SUP, P.EDIT_SITE),
    ],
)
def test_require_refuses_with_a_french_message(role: Role, permission: Permission) -> None:
    with pytest.raises(PermissionDenied) as info:
        require(role, permission)
    assert isinstance(info.value, UserFacingError)
    assert ROLE_LABELS[role] in str(info.value)
    assert PERMISSION_LABELS[permission] in str(info.value)
    assert (info.value.role, info.value.permission) == (role, permission)


def test_require_lets_allowed_through() -> None:
    require(OP, P.DISPATCH)
    require(ADM, P.PURGE)


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("opérateur", OP),
        ("Operateur", OP),
        (" superviseur ", SUP),
        ("INSTALLATEUR", INST),
        ("admin", ADM),
        ("administrateur", ADM),
    ],
)
def test_parse_role(typed: str, role: Role) -> None:
    assert parse_role(typed) is role


def test_parse_role_refuses_unknown() -> None:
    with pytest.raises(UserFacingError, match="Rôle inconnu « chef »"):
        parse_role("chef")
