"""Local accounts: password hashing (salted scrypt), password and login rules, and
the lockout rule after repeated failures (Qt-free; the table is in
:mod:`csu_console.storage.users`).

The scrypt cost is stored with each hash, so it can be raised later without
invalidating existing passwords: an account keeps its parameters until its
password changes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from csu_console.core.roles import Role
from csu_console.errors import AuthError


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost: N (CPU and memory), r (block size), p (parallelism)."""

    n: int = 2**15
    r: int = 8
    p: int = 3

    def scheme(self) -> str:
        """``scrypt:32768:8:3``, as stored in ``users.pw_scheme``."""
        return f"scrypt:{self.n}:{self.r}:{self.p}"

    @classmethod
    def parse(cls, scheme: str) -> ScryptParams:
        """The inverse of :meth:`scheme`; ValueError on anything else."""
        name, n, r, p = scheme.split(":")
        if name != "scrypt":
            raise ValueError(f"schéma de mot de passe inconnu : {scheme}")
        return cls(int(n), int(r), int(p))


#: OWASP's minimum for scrypt with 32 MiB (N=2^15, r=8, p=3): about half a second.
DEFAULT_SCRYPT = ScryptParams()

_DKLEN = 32
_SALT_BYTES = 16


@dataclass(frozen=True)
class PasswordHash:
    """A salted scrypt digest and the parameters that made it (hex text)."""

    scheme: str
    salt: str
    digest: str


def _scrypt(password: str, salt: bytes, params: ScryptParams) -> bytes:
    memory = 128 * params.r * (params.n + params.p + 2)
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=2 * memory,
        dklen=_DKLEN,
    )


def hash_password(password: str, params: ScryptParams = DEFAULT_SCRYPT) -> PasswordHash:
    """A new random salt and the scrypt digest of ``password``."""
    salt = secrets.token_bytes(_SALT_BYTES)
    return PasswordHash(params.scheme(), salt.hex(), _scrypt(password, salt, params).hex())


def check_password(password: str, stored: PasswordHash) -> bool:
    """True when ``password`` matches (constant-time comparison)."""
    params = ScryptParams.parse(stored.scheme)
    digest = _scrypt(password, bytes.fromhex(stored.salt), params)
    return hmac.compare_digest(digest, bytes.fromhex(stored.digest))


#: Hashed once per process: a login that does not exist costs as much as a bad
#: password, so response times do not tell which logins exist.
_DUMMY: dict[str, PasswordHash] = {}


def burn_time(params: ScryptParams = DEFAULT_SCRYPT) -> None:
    """Spend the time of one password check (for unknown or refused logins)."""
    scheme = params.scheme()
    if scheme not in _DUMMY:
        _DUMMY[scheme] = hash_password(secrets.token_hex(8), params)
    check_password("", _DUMMY[scheme])


_LOGIN = re.compile(r"[a-z][a-z0-9._-]{1,31}")
MIN_PASSWORD = 8


def check_login(login: str) -> str:
    """A login: 2–32 characters, lower-case letters, digits, ``.``, ``_``, ``-``."""
    if not _LOGIN.fullmatch(login):
        raise AuthError(
            f"Identifiant « {login} » invalide : 2 à 32 caractères, minuscules sans accent, "
            "chiffres, « . », « _ » ou « - », en commençant par une lettre."
        )
    return login


def check_new_password(password: str, login: str) -> None:
    """CNIL's recommendation with a lockout: 8 characters or more, 3 kinds of 4."""
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) < MIN_PASSWORD or kinds < 3:
        raise AuthError(
            f"Mot de passe trop faible : {MIN_PASSWORD} caractères au moins, avec trois "
            "types parmi minuscules, majuscules, chiffres et caractères spéciaux."
        )
    if login.lower() in password.lower():
        raise AuthError("Le mot de passe ne doit pas contenir l'identifiant.")


@dataclass(frozen=True)
class LockoutPolicy:
    """``[accounts]``: ``max_failures`` bad passwords in a row lock for ``lockout_s``."""

    max_failures: int = 5
    lockout_s: float = 300.0


@dataclass(frozen=True)
class Account:
    """A local account as the console sees it (never the password hash)."""

    login: str
    display_name: str
    role: Role
    disabled: bool = False
    failed_count: int = 0
    locked_until: datetime | None = None
    created_at: datetime | None = None
    #: The password was given by someone else (an administrator): its holder
    #: chooses their own at the next login.
    must_change: bool = False

    def locked(self, now: datetime) -> bool:
        """True while a lockout is running."""
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class FailureOutcome:
    """The account's counters after one more bad password."""

    failed_count: int
    locked_until: datetime | None
    just_locked: bool


def after_failure(account: Account, now: datetime, policy: LockoutPolicy) -> FailureOutcome:
    """Count a failure; the ``max_failures``-th in a row locks the account.

    A lockout that has run out does not count: the next failures start from zero.
    On locking, the counter is reset so the next lockout needs as many failures.
    """
    expired = account.locked_until is not None and now >= account.locked_until
    count = (0 if expired else account.failed_count) + 1
    if count >= policy.max_failures:
        return FailureOutcome(0, now + timedelta(seconds=policy.lockout_s), True)
    return FailureOutcome(count, None if expired else account.locked_until, False)


def locked_message(until: datetime, tz: tzinfo | None = None) -> str:
    """« Compte verrouillé … jusqu'à 14:05:00 » in ``tz`` (the machine's zone if None)."""
    return (
        "Compte verrouillé après trop d'échecs, jusqu'à "
        f"{until.astimezone(tz).strftime('%H:%M:%S')} : réessayez plus tard."
    )
