"""Logging people in and out of this station: the login screen at start and at each
handover (relève), and the autologin of the demo and the tests.

Every step is a logbook event written by the store: ``login``, ``login_failed``,
``account_locked``, ``logout`` (and ``user_added`` for a first administrator or an
autologin account created on the fly).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from csu_console.core.accounts import DEFAULT_SCRYPT, Account, LockoutPolicy, ScryptParams
from csu_console.errors import UserFacingError
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.login_dialog import LoginDialog

log = logging.getLogger("csu.ui")


class SessionController(QObject):
    """Fills the :class:`Session` from the login dialog, empties it at handover."""

    message = Signal(str)  # French, for the status bar

    def __init__(
        self,
        ctx: StationContext,
        policy: LockoutPolicy,
        window: QWidget,
        *,
        scrypt: ScryptParams = DEFAULT_SCRYPT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._station = ctx.session, ctx.tasks, ctx.station
        self.dialog = LoginDialog(ctx.tasks, ctx.station, policy, window, scrypt=scrypt)
        self.dialog.logged_in.connect(self._on_logged_in)
        #: ``before_handover(proceed)``: shows what the next operator inherits (the
        #: digest of the station's shift), calls ``proceed()`` once it is confirmed.
        self.before_handover: Callable[[Callable[[], None]], None] | None = None

    def start(
        self, autologin: str | None = None, name: str = "", password: str | None = None
    ) -> None:
        """The login screen; or, for the demo and the tests, ``autologin`` at once
        (``password``: the demo's, to log back in after a handover)."""
        if autologin is None:
            self.show_login()
            return
        login, station = autologin, self._station
        self._tasks.run(
            lambda s: s.autologin(login, station, name, password),
            self._on_logged_in,
            self._on_refused,
        )

    def show_login(self) -> None:
        """Show the login screen (alerts keep ringing and flashing behind it)."""
        self.dialog.open()

    @Slot()
    def handover(self) -> None:
        """The operator leaves the station: the digest first (when there is one to
        show), then log the logout and ask the next one to log in."""
        if self.before_handover is not None and self._session.account is not None:
            self.before_handover(self._hand_over)
        else:
            self._hand_over()

    def _hand_over(self) -> None:
        account = self._session.account
        if account is not None:
            login, station = account.login, self._station
            # Queued before the next login's check: the logbook reads logout, then login.
            self._tasks.run(lambda s: s.logout(login, station), lambda _none: None)
            self._session.log_out()
            self.message.emit(
                self.tr("{name} a quitté le poste : connexion de la relève.").format(
                    name=account.display_name
                )
            )
        self.show_login()

    def _on_logged_in(self, account: Account) -> None:
        self._session.log_in(account)

    def _on_refused(self, exc: BaseException) -> None:
        if isinstance(exc, UserFacingError):
            log.warning("connexion automatique refusée : %s", exc)
            self.message.emit(str(exc))
        else:
            log.error("connexion automatique impossible", exc_info=exc)
        self.show_login()
