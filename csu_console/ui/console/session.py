"""Who is logged in at this station, and what that person may do.

The session is the model; the main window, the controllers and the wall subscribe
to :attr:`Session.changed`. The permission table itself is Qt-free
(:mod:`csu_console.core.roles`): this only asks it about the current account.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal

from csu_console.core.accounts import Account
from csu_console.core.roles import (
    PERMISSION_LABELS,
    ROLE_LABELS,
    Permission,
    Role,
    allowed,
    elide,
)
from csu_console.ui.labels import tr_label

log = logging.getLogger("csu.ui")


def role_label(role: Role) -> str:
    """« Opérateur », « Superviseur »… in the UI language."""
    return tr_label(ROLE_LABELS[role])


class Session(QObject):
    """The account logged in at this station, or nobody (``None``).

    Nobody logged in: alerts still arrive, ring and flash; every gated action is
    refused.
    """

    changed = Signal(object)  # Account | None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account: Account | None = None
        self.since: datetime | None = None  # when ``account`` logged in

    @property
    def operator(self) -> str:
        """The login written into events ("" while nobody is logged in)."""
        return self.account.login if self.account is not None else ""

    def log_in(self, account: Account) -> None:
        """``account`` is now at the station (its login was already checked and logged)."""
        self.account = account
        self.since = datetime.now(UTC)
        log.info("%s (%s) connecté", account.login, account.role.value)
        self.changed.emit(account)

    def log_out(self) -> None:
        """Nobody is at the station any more (the logout event is the caller's)."""
        if self.account is None:
            return
        log.info("%s déconnecté", self.account.login)
        self.account = None
        self.since = None
        self.changed.emit(None)

    def allowed(self, permission: Permission | None) -> bool:
        """True when someone is logged in and their role grants ``permission``
        (None: anyone logged in)."""
        if self.account is None:
            return False
        return permission is None or allowed(self.account.role, permission)

    def refusal(self, permission: Permission | None) -> str:
        """Why ``permission`` is refused, for the status bar (« Action réservée : … »)."""
        if self.account is None or permission is None:
            return self.tr("Action réservée : personne n'est connecté à ce poste.")
        text = self.tr("Action réservée : le rôle « {role} » ne permet pas de {action}.")
        return elide(
            text.format(
                role=role_label(self.account.role), action=tr_label(PERMISSION_LABELS[permission])
            )
        )
