"""Tests for password hashing, password rules and the lockout rule (csu_console.core.accounts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from csu_console.core.accounts import (
    DEFAULT_SCRYPT,
    Account,
    LockoutPolicy,
    ScryptParams,
    after_failure,
    check_login,
    check_new_password,
    check_password,
    hash_password,
)
from csu_console.core.roles import Role
from csu_console.errors import AuthError

FAST = ScryptParams(2**10, 8, 1)  # tests only: the real cost is DEFAULT_SCRYPT
T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
POLICY = LockoutPolicy(max_failures=3, lockout_s=60)


def test_hash_is_salted_and_checks() -> None:
    a = hash_password("Secret-123", FAST)
    b = hash_password("Secret-123", FAST)
    assert a.salt != b.salt and a.digest != b.digest
    assert a.scheme == "scrypt:1024:8:1"
    assert check_password("Secret-123", a)
    assert not check_password("Secret-124", a)
    assert not check_password("", a)


def test_default_cost_is_owasp_minimum() -> None:
    assert (DEFAULT_SCRYPT.n, DEFAULT_SCRYPT.r, DEFAULT_SCRYPT.p) == (2**15, 8, 3)
    stored = hash_password("Secret-123")
    assert ScryptParams.parse(stored.scheme) == DEFAULT_SCRYPT
    assert check_password("Secret-123", stored)


def test_parse_refuses_other_schemes() -> None:
    with pytest.raises(ValueError, match="schéma"):
        ScryptParams.parse("pbkdf2:1:2:3")


@pytest.mark.parametrize("login", ["dupont", "j.dupont", "op_2", "a1"])
def test_good_logins(login: str) -> None:
    assert check_login(login) == login


@pytest.mark.parametrize("login", ["", "d", "Dupont", "élodie", "2dupont", "a b", "x" * 33])
def test_bad_logins(login: str) -> None:
    with pytest.raises(AuthError, match="Identifiant"):
        check_login(login)


@pytest.mark.parametrize("password", ["Secret-123", "abcdEFGH12", "mot de passe 1"])
def test_strong_enough_passwords(password: str) -> None:
    check_new_password(password, "dupont")


@pytest.mark.parametrize("password", ["Sec-1", "abcdefghij", "ABCDEFGH12", "12345678!!"])
def test_weak_passwords(password: str) -> None:
    with pytest.raises(AuthError, match="trop faible"):
        check_new_password(password, "dupont")


def test_password_must_not_hold_the_login() -> None:
    with pytest.raises(AuthError, match="identifiant"):
        check_new_password("Dupont-2024", "dupont")


def account(failed: int = 0, locked_until: datetime | None = None) -> Account:
    return Account("dupont", "J. Dupont", Role.OPERATEUR, False, failed, locked_until)


def test_failures_count_then_lock() -> None:
    a = after_failure(account(0), T0, POLICY)
    assert (a.failed_count, a.locked_until, a.just_locked) == (1, None, False)
    b = after_failure(account(1), T0, POLICY)
    assert (b.failed_count, b.just_locked) == (2, False)
    c = after_failure(account(2), T0, POLICY)
    assert (c.failed_count, c.locked_until, c.just_locked) == (0, T0 + timedelta(seconds=60), True)


def test_an_expired_lock_counts_from_zero() -> None:
    expired = account(2, locked_until=T0 - timedelta(seconds=1))
    out = after_failure(expired, T0, POLICY)
    assert (out.failed_count, out.locked_until, out.just_locked) == (1, None, False)


def test_locked_is_a_time_window() -> None:
    a = account(0, locked_until=T0 + timedelta(seconds=60))
    assert a.locked(T0)
    assert a.locked(T0 + timedelta(seconds=59))
    assert not a.locked(T0 + timedelta(seconds=60))
    assert not account().locked(T0)
