"""The project's small error hierarchy.

``UserFacingError`` carries a French message that the UI shows as is; the other
classes say whose fault a failure is (configuration, storage environment, link).
"""

from __future__ import annotations


class CsuError(Exception):
    """Base class of every error raised on purpose by the console."""


class UserFacingError(CsuError):
    """An error whose text (French) is shown to the operator as is."""


class ConfigError(UserFacingError):
    """The site configuration is unusable; ``problems`` lists every issue found."""

    def __init__(self, message: str, problems: list[object] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class StorageError(UserFacingError):
    """SQLite failed for a reason of the environment (disk full, locked, read-only)."""


class DiskFullError(StorageError):
    """The disk holding the database is full (SQLite's ``SQLITE_FULL``, ``ENOSPC``).

    A :class:`StorageError` like the others, told apart because the console keeps
    its own events in memory meanwhile (``storage/backlog.py``), shows « DISQUE
    PLEIN » and refuses the operator's actions with :data:`DISK_FULL_REFUSAL`.
    """


#: What an operator reads when an action could not be recorded (disk full).
DISK_FULL_REFUSAL = (
    "Disque plein : action non enregistrée. Réessayez quand l'espace disque sera libéré "
    "(prévenez l'administrateur)."
)


class StorageBugError(CsuError):
    """SQLite failed because of a programming error (bad SQL, schema mismatch)."""


class LinkError(CsuError):
    """The alert link could not be set up (bad URL, missing CA file...)."""


class ValidationError(CsuError):
    """An incoming message failed parsing or validation; ``reason`` is precise."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MapDataError(UserFacingError):
    """An OpenStreetMap extract or a map file is unreadable (not PBF, truncated, bad version)."""


class AuthError(UserFacingError):
    """A login was refused (bad credentials, disabled or locked account), or an
    account operation is invalid (unknown login, weak password); text in French."""
