"""Local accounts in the ``users`` table: add, change password, disable, list, and
log in with the lockout rule (mixed into :class:`~csu_console.storage.store.Store`).

Every account operation and every login attempt is an event of the logbook
(``operator`` is the login). The slow password check runs outside any write
transaction, so a login never holds the database while scrypt works.
"""

from __future__ import annotations

import secrets
import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, datetime, tzinfo
from typing import Any

from csu_console.core.accounts import (
    DEFAULT_SCRYPT,
    Account,
    LockoutPolicy,
    PasswordHash,
    ScryptParams,
    after_failure,
    burn_time,
    check_login,
    check_new_password,
    check_password,
    hash_password,
    locked_message,
)
from csu_console.core.logbook import EventKind
from csu_console.core.roles import Permission, Role, require
from csu_console.errors import AuthError
from csu_console.storage.codec import iso
from csu_console.storage.logbook import NewEvent, append_events

BAD_CREDENTIALS = "Identifiant ou mot de passe incorrect."

_ACCOUNT = (
    "login, display_name, role, disabled, failed_count, locked_until, created_at, must_change"
)
#: Where the password's columns start after :data:`_ACCOUNT`'s.
_PW = 8


#: For passwords of 190 random bits that nobody knows (autologin accounts): no
#: dictionary can reach them, so a costly hash would protect nothing and only slow
#: every demo start. The same for the demo's password, which is printed in its
#: terminal anyway. A real password set later gets the default cost.
_RANDOM_PW_SCRYPT = ScryptParams(2**10, 8, 1)


def _random_password(login: str) -> str:
    """A password that passes :func:`check_new_password` and that nobody knows."""
    while True:
        password = secrets.token_urlsafe(24) + "aA1-"  # four kinds of characters
        if login.lower() not in password.lower():
            return password


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _account(row: tuple[Any, ...]) -> Account:
    login, name, role, disabled, failed, locked_until, created, must_change = row[:_PW]
    return Account(
        login, name, Role(role), bool(disabled), failed, _dt(locked_until), _dt(created),
        bool(must_change),
    )  # fmt: skip


def _gate(by_role: Role | None) -> None:
    """Refuse (``PermissionDenied``) unless ``by_role`` manages accounts (None: the
    command line, whose administrator's password was already checked)."""
    if by_role is not None:
        require(by_role, Permission.MANAGE_USERS)


def _why(reason: str) -> dict[str, str]:
    """The reason given, as an event field (none: no field)."""
    text = " ".join(reason.split())
    return {"reason": text} if text else {}


def _new_hash(password: str, login: str, params: ScryptParams) -> PasswordHash:
    """Check a new password against the policy, then hash it (outside any
    transaction: scrypt takes a moment)."""
    check_new_password(password, login)
    return hash_password(password, params)


def _store_password(
    cur: sqlite3.Cursor, login: str, pw: PasswordHash, now: datetime, *, must_change: bool
) -> None:
    """A new password for ``login``: its lockout lifted, its count of failures reset,
    and whether its holder must change it at the next login."""
    cur.execute(
        "UPDATE users SET pw_scheme = ?, pw_salt = ?, pw_hash = ?, failed_count = 0,"
        " locked_until = NULL, password_changed_at = ?, must_change = ? WHERE login = ?",
        (pw.scheme, pw.salt, pw.digest, iso(now), int(must_change), login),
    )
    if cur.rowcount != 1:
        raise AuthError(f"Compte « {login} » inconnu.")


def _keep_an_admin(cur: sqlite3.Cursor, login: str, verb: str) -> None:
    """Refuse a change that would leave no active administrator."""
    others = cur.execute(
        "SELECT COUNT(*) FROM users WHERE role = ? AND NOT disabled AND login != ?",
        (Role.ADMIN.value, login),
    ).fetchone()[0]
    target = cur.execute("SELECT role, disabled FROM users WHERE login = ?", (login,)).fetchone()
    if target is not None and target[0] == Role.ADMIN.value and not target[1] and others == 0:
        raise AuthError(
            f"Impossible de {verb} « {login} » : c'est le dernier administrateur actif."
        )


class UsersMixin:
    """Accounts; needs ``conn``, ``tz`` and ``_transaction`` from the store."""

    conn: sqlite3.Connection
    tz: tzinfo | None

    def _transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    def _log(self, cur: sqlite3.Cursor, kind: EventKind, at: datetime, **fields: Any) -> None:
        station, operator = fields.pop("station", None), fields.pop("operator", None)
        append_events(cur, [NewEvent(kind, at, None, station, operator, fields)], self.tz)

    def add_user(
        self,
        login: str,
        role: Role,
        display_name: str,
        password: str,
        *,
        params: ScryptParams = DEFAULT_SCRYPT,
        station: str | None = None,
        operator: str | None = None,
        by_role: Role | None = None,
        reason: str = "",
        temporary: bool = False,
    ) -> Account:
        """Create an account; :class:`AuthError` if the login is taken or the password weak.

        ``by_role``: the role of who asks (None: the command line, already gated);
        :class:`~csu_console.core.roles.PermissionDenied` unless it manages accounts.
        ``temporary``: a password given by an administrator, to be changed by its
        holder at the first login.
        """
        _gate(by_role)
        check_login(login)
        check_new_password(password, login)
        pw = hash_password(password, params)
        now = datetime.now(UTC)
        name = " ".join(display_name.split()) or login
        with self._transaction() as cur:
            if cur.execute("SELECT 1 FROM users WHERE login = ?", (login,)).fetchone():
                raise AuthError(f"L'identifiant « {login} » existe déjà.")
            cur.execute(
                "INSERT INTO users (login, display_name, role, pw_scheme, pw_salt, pw_hash,"
                " created_at, password_changed_at, must_change)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    login, name, role.value, pw.scheme, pw.salt, pw.digest, iso(now), iso(now),
                    int(temporary),
                ),
            )  # fmt: skip
            self._log(
                cur,
                EventKind.USER_ADDED,
                now,
                station=station,
                operator=operator,
                login=login,
                role=role.value,
                name=name,
                **_why(reason),
            )
        return Account(login, name, role, created_at=now, must_change=temporary)

    def set_password(
        self,
        login: str,
        password: str,
        *,
        params: ScryptParams = DEFAULT_SCRYPT,
        station: str | None = None,
        operator: str | None = None,
    ) -> None:
        """The holder changes their password (also lifts a lockout; no longer to change)."""
        pw = _new_hash(password, login, params)
        now = datetime.now(UTC)
        with self._transaction() as cur:
            _store_password(cur, login, pw, now, must_change=False)
            self._log(
                cur,
                EventKind.PASSWORD_CHANGED,
                now,
                station=station,
                operator=operator,
                login=login,
            )

    def change_own_password(
        self,
        login: str,
        current: str,
        password: str,
        *,
        params: ScryptParams = DEFAULT_SCRYPT,
        station: str | None = None,
    ) -> None:
        """The holder, logged in, changes their password: the current one is asked
        again (someone else at an unattended station cannot change it)."""
        row = self.conn.execute(
            "SELECT pw_scheme, pw_salt, pw_hash FROM users WHERE login = ?", (login,)
        ).fetchone()
        if row is None or not check_password(current, PasswordHash(row[0], row[1], row[2])):
            raise AuthError("Mot de passe actuel incorrect : rien n'est changé.")
        if password == current:
            raise AuthError("Le nouveau mot de passe doit être différent de l'actuel.")
        self.set_password(login, password, params=params, station=station, operator=login)

    def disable_user(
        self,
        login: str,
        *,
        station: str | None = None,
        operator: str | None = None,
        by_role: Role | None = None,
        reason: str = "",
    ) -> None:
        """Disable an account (its events keep its login); never the last active
        administrator (:class:`AuthError`)."""
        self._set_disabled(login, True, station, operator, by_role, reason)

    def enable_user(
        self,
        login: str,
        *,
        station: str | None = None,
        operator: str | None = None,
        by_role: Role | None = None,
        reason: str = "",
    ) -> None:
        """Re-enable a disabled account (its password and role unchanged)."""
        self._set_disabled(login, False, station, operator, by_role, reason)

    def _set_disabled(
        self,
        login: str,
        disabled: bool,
        station: str | None,
        operator: str | None,
        by_role: Role | None,
        reason: str,
    ) -> None:
        _gate(by_role)
        now = datetime.now(UTC)
        with self._transaction() as cur:
            if disabled:
                _keep_an_admin(cur, login, "désactiver")
            cur.execute("UPDATE users SET disabled = ? WHERE login = ?", (int(disabled), login))
            if cur.rowcount != 1:
                raise AuthError(f"Compte « {login} » inconnu.")
            kind = EventKind.USER_DISABLED if disabled else EventKind.USER_ENABLED
            self._log(
                cur, kind, now, station=station, operator=operator, login=login, **_why(reason)
            )

    def set_role(
        self,
        login: str,
        role: Role,
        *,
        station: str | None = None,
        operator: str | None = None,
        by_role: Role | None = None,
        reason: str = "",
    ) -> None:
        """Change an account's role; never demote the last active administrator."""
        _gate(by_role)
        now = datetime.now(UTC)
        with self._transaction() as cur:
            row = cur.execute("SELECT role FROM users WHERE login = ?", (login,)).fetchone()
            if row is None:
                raise AuthError(f"Compte « {login} » inconnu.")
            if row[0] == role.value:
                raise AuthError(f"Le compte « {login} » a déjà ce rôle.")
            if role is not Role.ADMIN:
                _keep_an_admin(cur, login, "retirer le rôle administrateur à")
            cur.execute("UPDATE users SET role = ? WHERE login = ?", (role.value, login))
            self._log(
                cur, EventKind.USER_ROLE_CHANGED, now, station=station, operator=operator,
                login=login, before=row[0], role=role.value, **_why(reason),
            )  # fmt: skip

    def reset_password(
        self,
        login: str,
        password: str,
        *,
        params: ScryptParams = DEFAULT_SCRYPT,
        station: str | None = None,
        operator: str | None = None,
        by_role: Role | None = None,
        reason: str = "",
    ) -> None:
        """An administrator gives an account a temporary password (and lifts a
        lockout), which its holder changes at the next login; logged as
        ``password_reset``, never with the password."""
        _gate(by_role)
        pw = _new_hash(password, login, params)
        now = datetime.now(UTC)
        with self._transaction() as cur:
            _store_password(cur, login, pw, now, must_change=True)
            self._log(
                cur, EventKind.PASSWORD_RESET, now, station=station, operator=operator,
                login=login, **_why(reason),
            )  # fmt: skip

    def last_logins(self) -> dict[str, datetime]:
        """Each account's last successful login (from the logbook's ``login`` events)."""
        rows = self.conn.execute(
            "SELECT operator, MAX(at) FROM events WHERE kind = ? AND operator IS NOT NULL"
            " GROUP BY operator",
            (EventKind.LOGIN,),
        ).fetchall()
        return {login: datetime.fromisoformat(at) for login, at in rows if at}

    def list_users(self) -> list[Account]:
        """Every account, by login."""
        rows = self.conn.execute(f"SELECT {_ACCOUNT} FROM users ORDER BY login").fetchall()
        return [_account(r) for r in rows]

    def user(self, login: str) -> Account | None:
        """One account, or None."""
        row = self.conn.execute(f"SELECT {_ACCOUNT} FROM users WHERE login = ?", (login,))
        found = row.fetchone()
        return None if found is None else _account(found)

    def authenticate(
        self,
        login: str,
        password: str,
        station: str,
        policy: LockoutPolicy,
        now: datetime | None = None,
    ) -> Account:
        """Log in: the account, or :class:`AuthError` with the French reason.

        Unknown login and bad password get the same message and take the same
        time; ``policy.max_failures`` bad passwords in a row lock the account for
        ``policy.lockout_s`` (attempts meanwhile are refused unchecked). Success,
        failure and locking are logbook events.
        """
        now = now or datetime.now(UTC)
        row = self.conn.execute(
            f"SELECT {_ACCOUNT}, pw_scheme, pw_salt, pw_hash FROM users WHERE login = ?",
            (login,),
        ).fetchone()
        if row is None:
            burn_time()
            self._failed(login, station, now, "identifiant inconnu")
            raise AuthError(BAD_CREDENTIALS)
        account = _account(row)
        if account.locked_until is not None and account.locked(now):
            self._failed(login, station, now, "compte verrouillé")
            raise AuthError(locked_message(account.locked_until, self.tz))
        if not check_password(password, PasswordHash(row[_PW], row[_PW + 1], row[_PW + 2])):
            message = self._count_failure(login, station, now, policy)
            raise AuthError(message)
        if account.disabled:
            self._failed(login, station, now, "compte désactivé")
            raise AuthError("Compte désactivé : adressez-vous à l'administrateur.")
        with self._transaction() as cur:
            cur.execute(
                "UPDATE users SET failed_count = 0, locked_until = NULL WHERE login = ?", (login,)
            )
            self._log(
                cur,
                EventKind.LOGIN,
                now,
                station=station,
                operator=login,
                role=account.role.value,
                name=account.display_name,
            )
        return Account(
            login, account.display_name, account.role, created_at=account.created_at,
            must_change=account.must_change,
        )  # fmt: skip

    def _failed(self, login: str, station: str, now: datetime, cause: str) -> None:
        with self._transaction() as cur:
            self._log(cur, EventKind.LOGIN_FAILED, now, station=station, login=login, cause=cause)

    def _count_failure(self, login: str, station: str, now: datetime, policy: LockoutPolicy) -> str:
        # Counters re-read in the write transaction: another station may be failing too.
        with self._transaction() as cur:
            row = cur.execute(f"SELECT {_ACCOUNT} FROM users WHERE login = ?", (login,))
            outcome = after_failure(_account(row.fetchone()), now, policy)
            cur.execute(
                "UPDATE users SET failed_count = ?, locked_until = ? WHERE login = ?",
                (
                    outcome.failed_count,
                    None if outcome.locked_until is None else iso(outcome.locked_until),
                    login,
                ),
            )
            self._log(
                cur,
                EventKind.LOGIN_FAILED,
                now,
                station=station,
                login=login,
                cause="mot de passe incorrect",
            )
            if outcome.just_locked and outcome.locked_until is not None:
                self._log(
                    cur,
                    EventKind.ACCOUNT_LOCKED,
                    now,
                    station=station,
                    login=login,
                    until=iso(outcome.locked_until),
                    failures=policy.max_failures,
                )
                return locked_message(outcome.locked_until, self.tz)
        return BAD_CREDENTIALS

    def autologin(
        self, login: str, station: str, display_name: str, password: str | None = None
    ) -> Account:
        """Log ``login`` in without a password: the demo and the tests only, never a
        real station (``csu-console run`` has no such option).

        A missing account is created as an operator (``user_added``), with
        ``password`` (the demo's, printed in its terminal so that a trainee can log
        back in after a handover) or else a random password nobody knows; a disabled
        one is refused (:class:`AuthError`). An account that an earlier autologin
        created (its ``user_added`` has no operator) gets ``password`` if it had
        another (``password_changed``); an account made by a person keeps its own.
        The ``login`` event says ``"autologin": true``.
        """
        account = self.user(login)
        if account is None:
            account = self.add_user(
                login, Role.OPERATEUR, display_name, password or _random_password(login),
                params=_RANDOM_PW_SCRYPT, station=station,
            )  # fmt: skip
        elif password is not None and self._made_by_autologin(login):
            self._give_password(login, password, station)
        if account.disabled:
            self._failed(login, station, datetime.now(UTC), "compte désactivé")
            raise AuthError("Compte désactivé : adressez-vous à l'administrateur.")
        with self._transaction() as cur:
            self._log(
                cur,
                EventKind.LOGIN,
                datetime.now(UTC),
                station=station,
                operator=login,
                role=account.role.value,
                name=account.display_name,
                autologin=True,
            )
        return Account(login, account.display_name, account.role, created_at=account.created_at)

    def _made_by_autologin(self, login: str) -> bool:
        row = self.conn.execute(
            "SELECT operator, station FROM events WHERE kind = ? AND details ->> 'login' = ?"
            " ORDER BY pk DESC LIMIT 1",
            (EventKind.USER_ADDED, login),
        ).fetchone()
        # Made by a person: signed by them (users add, the first administrator).
        return row is not None and row[0] is None and row[1] is not None

    def _give_password(self, login: str, password: str, station: str) -> None:
        row = self.conn.execute(
            "SELECT pw_scheme, pw_salt, pw_hash FROM users WHERE login = ?", (login,)
        ).fetchone()
        if row is not None and not check_password(password, PasswordHash(*row)):
            self.set_password(login, password, params=_RANDOM_PW_SCRYPT, station=station)

    def logout(self, login: str, station: str, now: datetime | None = None) -> None:
        """Log the end of a session."""
        with self._transaction() as cur:
            self._log(
                cur, EventKind.LOGOUT, now or datetime.now(UTC), station=station, operator=login
            )
