"""« Comptes »: the local accounts (login, name, role, state, last login); create,
disable, re-enable, reset a password, change a role — each with a reason, logged
(``user_added``, ``user_disabled``, ``user_enabled``, ``password_reset``,
``user_role_changed``) and refused unless the role manages accounts. The store
refuses too (``by_role``), and never lets the last administrator go.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QWidget,
)

from csu_console.core.accounts import Account, check_login, check_new_password
from csu_console.core.roles import Permission, Role
from csu_console.errors import AuthError
from csu_console.storage.store import Store
from csu_console.ui.admin.common import AdminContext, build_tab, error_text, refused
from csu_console.ui.console.session import role_label

log = logging.getLogger("csu.ui")


class AccountDialog(QDialog):
    """One form for every account change: the fields it needs, and the reason."""

    def __init__(
        self,
        title: str,
        parent: QWidget | None,
        *,
        login: bool = False,
        role: Role | None = None,
        password: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        form = QFormLayout(self)
        self.login = QLineEdit(self)
        self.name = QLineEdit(self)
        self.role = QComboBox(self)
        for r in Role:
            self.role.addItem(role_label(r), r.value)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("obligatoire, journalisé"))
        if login:
            form.addRow(self.tr("Identifiant"), self.login)
            form.addRow(self.tr("Nom affiché"), self.name)
        if role is not None or login:
            self.role.setCurrentIndex(max(0, self.role.findData((role or Role.OPERATEUR).value)))
            form.addRow(self.tr("Rôle"), self.role)
        if password:
            form.addRow(self.tr("Mot de passe provisoire"), self.password)
            form.addRow(self.tr("Confirmation"), self.confirm)
            hint = QLabel(
                self.tr(
                    "8 caractères au moins, trois types parmi minuscules, "
                    "majuscules, chiffres et caractères spéciaux."
                ),
                self,
            )
            hint.setWordWrap(True)
            form.addRow("", hint)
        form.addRow(self.tr("Motif"), self.reason)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #e05a4f;")
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._needs_login, self._needs_password = login, password

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def _check(self) -> None:
        """Refuse here what the store would refuse, so the dialog stays open."""
        try:
            if self._needs_login:
                check_login(self.login.text().strip())
            if self._needs_password:
                check_new_password(self.password.text(), self.login.text().strip() or "-")
                if self.password.text() != self.confirm.text():
                    raise AuthError(self.tr("Les deux mots de passe diffèrent."))
        except AuthError as exc:
            self.error.setText(str(exc))
            return
        if not self.reason.text().strip():
            self.error.setText(self.tr("Indiquez le motif : il est journalisé."))
            return
        self.accept()


class AccountsTab(QWidget):
    """See the module docstring. ``changed(kind)`` after each change written."""

    changed = Signal(str)
    loaded = Signal(object)  # list[Account]

    def __init__(self, ctx: AdminContext, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tz = ctx, tz
        self.accounts: list[Account] = []
        self.last_logins: dict[str, datetime] = {}
        self.dialog: AccountDialog | None = None
        columns = [self.tr("Identifiant"), self.tr("Nom"), self.tr("Rôle"), self.tr("État"),
                   self.tr("Dernière connexion")]  # fmt: skip
        parts = build_tab(
            self,
            columns,
            [
                self.tr("Créer un compte…"),
                self.tr("Désactiver…"),
                self.tr("Réactiver…"),
                self.tr("Réinitialiser le mot de passe…"),
                self.tr("Changer le rôle…"),
            ],
            self.tr(
                "Le mot de passe provisoire est à communiquer de vive voix ; "
                "la personne choisit le sien à sa prochaine connexion."
            ),
        )
        self.table, self.status = parts.table, parts.status
        (
            self.create_button,
            self.disable_button,
            self.enable_button,
            self.reset_button,
            self.role_button,
        ) = parts.buttons
        self.create_button.clicked.connect(self.ask_create)
        self.disable_button.clicked.connect(lambda: self._ask_simple(False))
        self.enable_button.clicked.connect(lambda: self._ask_simple(True))
        self.reset_button.clicked.connect(self.ask_reset)
        self.role_button.clicked.connect(self.ask_role)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # -- reading ------------------------------------------------------------------------
    def refresh(self) -> None:
        def read(store: Store) -> tuple[list[Account], dict[str, datetime]]:
            return store.list_users(), store.last_logins()

        self.ctx.tasks.run(read, self._show, self._failed, owner=self)

    def _show(self, result: tuple[list[Account], dict[str, datetime]]) -> None:
        selected = self.selected()
        self.accounts, self.last_logins = result
        self.table.setRowCount(len(self.accounts))
        for i, a in enumerate(self.accounts):
            state = self.tr("désactivé") if a.disabled else self.tr("actif")
            last = self.last_logins.get(a.login)
            when = last.astimezone(self.tz).strftime("%d/%m/%Y %H:%M") if last else "—"
            for col, text in enumerate((a.login, a.display_name, role_label(a.role), state, when)):
                self.table.setItem(i, col, QTableWidgetItem(text))
            if selected is not None and a.login == selected.login:
                self.table.selectRow(i)
        self._update_buttons()
        self.loaded.emit(self.accounts)

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.accounts):
            return None
        return self.accounts[rows[0].row()]

    def select(self, login: str) -> None:
        for i, a in enumerate(self.accounts):
            if a.login == login:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        allowed = self.ctx.session.allowed(Permission.MANAGE_USERS)
        account = self.selected()
        self.create_button.setEnabled(allowed)
        self.disable_button.setEnabled(allowed and account is not None and not account.disabled)
        self.enable_button.setEnabled(allowed and account is not None and account.disabled)
        self.reset_button.setEnabled(allowed and account is not None)
        self.role_button.setEnabled(allowed and account is not None)

    # -- dialogs ------------------------------------------------------------------------
    def _open(self, dialog: AccountDialog, on_ok: Callable[[], None]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_ok)
        self.dialog = dialog
        dialog.open()

    def ask_create(self) -> None:
        if refused(self.ctx, Permission.MANAGE_USERS, self.status):
            return
        d = AccountDialog(self.tr("Créer un compte"), self, login=True, password=True)
        self._open(
            d,
            lambda: self.create_account(
                d.login.text().strip(),
                d.name.text(),
                d.chosen_role(),
                d.password.text(),
                d.reason.text(),
            ),
        )

    def _ask_simple(self, enable: bool) -> None:
        account = self.selected()
        if account is None or refused(self.ctx, Permission.MANAGE_USERS, self.status):
            return
        title = self.tr("Réactiver « {0} »") if enable else self.tr("Désactiver « {0} »")
        d = AccountDialog(title.format(account.login), self)
        act = self.enable if enable else self.disable
        self._open(d, lambda: act(account.login, d.reason.text()))

    def ask_reset(self) -> None:
        account = self.selected()
        if account is None or refused(self.ctx, Permission.MANAGE_USERS, self.status):
            return
        d = AccountDialog(
            self.tr("Mot de passe de « {0} »").format(account.login), self, password=True
        )
        d.login.setText(account.login)  # the password may not contain it
        self._open(d, lambda: self.reset(account.login, d.password.text(), d.reason.text()))

    def ask_role(self) -> None:
        account = self.selected()
        if account is None or refused(self.ctx, Permission.MANAGE_USERS, self.status):
            return
        d = AccountDialog(self.tr("Rôle de « {0} »").format(account.login), self, role=account.role)
        self._open(d, lambda: self.change_role(account.login, d.chosen_role(), d.reason.text()))

    # -- the operations (also what the tests call) --------------------------------------
    def _do(
        self, kind: str, done: str, method: str, *args: object, reason: str, **extra: object
    ) -> None:
        """``store.<method>(*args, **extra)`` on the storage thread, signed by who is
        logged in (their role checked again by the store); say ``done`` or why not."""
        if refused(self.ctx, Permission.MANAGE_USERS, self.status):
            return
        account = self.ctx.session.account
        assert account is not None
        signed = {"by_role": account.role, "reason": reason, "station": self.ctx.station,
                  "operator": account.login, **extra}  # fmt: skip

        def run(store: Store) -> None:
            getattr(store, method)(*args, **signed)

        def ok(_: None) -> None:
            log.info("administration : %s par %s", kind, account.login)
            self.status.ok(done)
            self.changed.emit(kind)
            self.refresh()

        self.ctx.tasks.run(run, ok, self._failed, owner=self)

    def create_account(self, login: str, name: str, role: Role, password: str, reason: str) -> None:
        done = self.tr("Compte « {0} » créé ({1}).").format(login, role_label(role))
        self._do("user_added", done, "add_user", login, role, name, password, reason=reason,
                 temporary=True)  # fmt: skip

    def disable(self, login: str, reason: str) -> None:
        done = self.tr("Compte « {0} » désactivé.").format(login)
        self._do("user_disabled", done, "disable_user", login, reason=reason)

    def enable(self, login: str, reason: str) -> None:
        done = self.tr("Compte « {0} » réactivé.").format(login)
        self._do("user_enabled", done, "enable_user", login, reason=reason)

    def reset(self, login: str, password: str, reason: str) -> None:
        done = self.tr("Mot de passe de « {0} » réinitialisé : à communiquer à la personne.")
        self._do("password_reset", done.format(login), "reset_password", login, password,
                 reason=reason)  # fmt: skip

    def change_role(self, login: str, role: Role, reason: str) -> None:
        done = self.tr("Compte « {0} » : rôle {1}.").format(login, role_label(role))
        self._do("user_role_changed", done, "set_role", login, role, reason=reason)

    def _failed(self, exc: BaseException) -> None:
        log.info("administration des comptes refusée : %s", exc)
        self.status.error(error_text(exc))

    def on_session_changed(self) -> None:
        self._update_buttons()
