"""« Changer mon mot de passe… » (Poste menu): anyone logged in, without a terminal.

The current password is asked again (someone else at a station left open cannot
change it), the new one twice; the check (scrypt) runs on the storage thread. The
change is logged (``password_changed``, by its holder); the password never is.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.accounts import DEFAULT_SCRYPT, ScryptParams
from csu_console.errors import UserFacingError
from csu_console.storage.store import Store
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.main_window import MainWindow

log = logging.getLogger("csu.ui")


class OwnPasswordDialog(QDialog):
    """Current password, new one, confirmation; the reason shown when refused."""

    submitted = Signal(str, str)  # current, new

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Changer mon mot de passe"))
        self.current = self._field()
        self.new = self._field()
        self.confirm = self._field()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #e05a4f; font-weight: bold;")
        form = QFormLayout()
        form.addRow(QLabel(self.tr("Compte : {name}").format(name=name), self))
        form.addRow(self.tr("Mot de passe actuel"), self.current)
        form.addRow(self.tr("Nouveau mot de passe"), self.new)
        form.addRow(self.tr("Confirmation"), self.confirm)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Changer"))
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _field(self) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaxLength(128)
        field.setMinimumWidth(280)
        return field

    def _on_ok(self) -> None:
        if not self.current.text() or not self.new.text():
            self.show_problem(self.tr("Indiquez le mot de passe actuel et le nouveau."))
            return
        if self.new.text() != self.confirm.text():
            self.show_problem(self.tr("Les deux mots de passe saisis diffèrent."))
            self.confirm.clear()
            return
        self.buttons.setEnabled(False)
        self.submitted.emit(self.current.text(), self.new.text())

    def show_problem(self, text: str) -> None:
        self.buttons.setEnabled(True)
        self.status.setText(text)


class OwnPassword(QObject):
    """The Poste menu's entry and what it does (built by ``app.py``)."""

    changed = Signal(str)  # the login whose password was changed

    def __init__(
        self, ctx: StationContext, window: MainWindow, scrypt: ScryptParams = DEFAULT_SCRYPT
    ) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._window = window
        self._scrypt = scrypt
        self.dialog: OwnPasswordDialog | None = None
        self.action = window.station_menu.addAction(self.tr("Changer mon mot de passe…"))
        window.gates.guard_action(self.action, None)  # anyone logged in
        self.action.triggered.connect(self.open)

    def open(self) -> OwnPasswordDialog | None:
        account = self._ctx.session.account
        if account is None:
            self._window.show_message(self._ctx.session.refusal(None))
            return None
        dialog = self.dialog = OwnPasswordDialog(account.display_name, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda current, new: self._submit(dialog, current, new))
        dialog.open()
        return dialog

    def _submit(self, dialog: OwnPasswordDialog, current: str, new: str) -> None:
        account = self._ctx.session.account
        if account is None:  # a handover meanwhile
            dialog.show_problem(self._ctx.session.refusal(None))
            return
        login, station, scrypt = account.login, self._ctx.station, self._scrypt

        def change(store: Store) -> None:
            store.change_own_password(login, current, new, params=scrypt, station=station)

        def done(_none: None) -> None:
            log.info("mot de passe changé par %s", login)
            dialog.accept()
            self._window.show_message(self.tr("Mot de passe changé."))
            self.changed.emit(login)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, UserFacingError):
                log.error("changement de mot de passe impossible", exc_info=exc)
            dialog.show_problem(str(exc))

        self._ctx.tasks.run(change, done, failed, owner=dialog)
