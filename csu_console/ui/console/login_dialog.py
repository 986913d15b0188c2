"""The login screen, at start and at each station handover (relève).

Window-modal and never blocking (``open()``, never ``exec()``): the alert link keeps
receiving, and new alerts ring and flash behind it. The password check (scrypt,
about half a second) runs on the storage thread through :class:`DbTasks`, never on
the GUI thread. On an empty database (a fresh install) it offers to create the
first administrator account. A password given by an administrator (a new account, a
reset) is replaced by its holder's own before the console opens to them.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.accounts import DEFAULT_SCRYPT, Account, LockoutPolicy, ScryptParams
from csu_console.core.roles import Role
from csu_console.errors import AuthError, UserFacingError
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks
from csu_console.ui.theme import current

log = logging.getLogger("csu.ui")

_FIELD_STYLE = "font-size: 15pt; padding: 4px;"


def _count_accounts(store: Store) -> int:
    return len(store.list_users())


class LoginDialog(QDialog):
    """Login and password; emits :attr:`logged_in` with the account once checked.

    It cannot be dismissed without logging in: Escape and the window's close button
    do nothing; Ctrl+Q emits :attr:`quit_requested` (the console quits).
    """

    logged_in = Signal(object)  # Account
    quit_requested = Signal()

    def __init__(
        self,
        tasks: DbTasks,
        station: str,
        policy: LockoutPolicy,
        parent: QWidget | None = None,
        *,
        scrypt: ScryptParams = DEFAULT_SCRYPT,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._station = station
        self._policy = policy
        self._scrypt = scrypt
        self._busy = False
        self.setWindowTitle(self.tr("Connexion au poste {s}").format(s=station))
        self.setMinimumWidth(640)
        # Framed even without a window manager (kiosk session): it stands out from
        # the console behind it.
        self.setObjectName("loginDialog")
        theme = current()
        self._error_style = f"color: {theme.danger_text}; font-size: 13pt; font-weight: bold;"
        self._info_style = f"color: {theme.muted_text}; font-size: 13pt;"
        self.setStyleSheet(
            f"#loginDialog {{ border: 4px solid #1565c0; background: {theme.window}; }}"
        )

        heading = QLabel(self.tr("Poste {s} : connexion").format(s=station), self)
        heading.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.link_note = QLabel(
            self.tr("La liaison d'alertes continue de recevoir pendant la connexion."), self
        )
        self.link_note.setWordWrap(True)
        self.link_note.setStyleSheet(
            "color: #1b5e20; background: #e8f5e9; font-size: 13pt; padding: 6px;"
        )

        self.pages = QStackedWidget(self)
        self.login_page = QWidget(self.pages)
        self.login = self._field(self.login_page, self.tr("identifiant"))
        self.password = self._field(self.login_page, "", secret=True)
        self.login_button = QPushButton(self.tr("Se connecter"), self.login_page)
        self.login_button.clicked.connect(self._on_login_clicked)
        form = QFormLayout(self.login_page)
        form.addRow(self._label(self.tr("Identifiant")), self.login)
        form.addRow(self._label(self.tr("Mot de passe")), self.password)
        form.addRow(self.login_button)
        self.pages.addWidget(self.login_page)

        self.first_page = QWidget(self.pages)
        none_yet = QLabel(
            self.tr(
                "Aucun compte n'existe encore : personne ne peut se connecter. "
                "Créez-en un depuis un terminal :"
            ),
            self.first_page,
        )
        none_yet.setWordWrap(True)
        none_yet.setStyleSheet(self._info_style)
        self.command = QLabel(
            self.tr("csu-console users add <identifiant> --role admin"), self.first_page
        )
        self.command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.command.setStyleSheet(
            "font-family: monospace; font-size: 13pt; background: #eceff1; color: #000000;"
            " padding: 4px;"
        )
        or_here = QLabel(
            self.tr(
                "ou, pour une installation neuve, créez ici le premier compte administrateur :"
            ),
            self.first_page,
        )
        or_here.setWordWrap(True)
        or_here.setStyleSheet(self._info_style)
        self.new_login = self._field(self.first_page, self.tr("identifiant"))
        self.new_name = self._field(self.first_page, self.tr("Prénom Nom"))
        self.new_password = self._field(self.first_page, "", secret=True)
        self.new_confirm = self._field(self.first_page, "", secret=True)
        self.create_button = QPushButton(self.tr("Créer le compte administrateur"), self.first_page)
        self.create_button.clicked.connect(self._on_create_clicked)
        first = QFormLayout(self.first_page)
        first.addRow(none_yet)
        first.addRow(self.command)
        first.addRow(or_here)
        first.addRow(self._label(self.tr("Identifiant")), self.new_login)
        first.addRow(self._label(self.tr("Nom affiché")), self.new_name)
        first.addRow(self._label(self.tr("Mot de passe")), self.new_password)
        first.addRow(self._label(self.tr("Confirmation")), self.new_confirm)
        first.addRow(self.create_button)
        self.pages.addWidget(self.first_page)

        # A provisional password: its holder chooses their own before going on.
        self.change_page = QWidget(self.pages)
        self.change_note = QLabel(self.change_page)
        self.change_note.setWordWrap(True)
        self.change_note.setStyleSheet(self._info_style)
        self.own_password = self._field(self.change_page, "", secret=True)
        self.own_confirm = self._field(self.change_page, "", secret=True)
        self.change_button = QPushButton(self.tr("Enregistrer et continuer"), self.change_page)
        self.change_button.clicked.connect(self._on_change_clicked)
        self.other_button = QPushButton(self.tr("Autre compte"), self.change_page)
        self.other_button.clicked.connect(self._on_other_clicked)
        change = QFormLayout(self.change_page)
        change.addRow(self.change_note)
        change.addRow(self._label(self.tr("Mot de passe")), self.own_password)
        change.addRow(self._label(self.tr("Confirmation")), self.own_confirm)
        change.addRow(self.change_button)
        change.addRow(self.other_button)
        self.pages.addWidget(self.change_page)
        self._provisional: Account | None = None

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(48)
        quit_hint = QLabel(self.tr("Ctrl+Q : quitter la console"), self)
        quit_hint.setStyleSheet(f"color: {theme.muted_text};")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.link_note)
        layout.addWidget(self.pages)
        layout.addWidget(self.status)
        layout.addWidget(quit_hint)
        for button in (self.login_button, self.create_button, self.change_button):
            button.setStyleSheet("font-size: 15pt; font-weight: bold; padding: 6px 18px;")
        self.other_button.setStyleSheet("font-size: 13pt; padding: 4px 12px;")

        quit_action = QAction(self.tr("Quitter la console"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # what the hint says, on any platform
        quit_action.triggered.connect(self.quit_requested)
        self.addAction(quit_action)

    def _label(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setStyleSheet("font-size: 15pt;")
        return label

    def _field(self, parent: QWidget, placeholder: str, *, secret: bool = False) -> QLineEdit:
        field = QLineEdit(parent)
        field.setMaxLength(128)
        field.setPlaceholderText(placeholder)
        field.setStyleSheet(_FIELD_STYLE)
        field.setMinimumWidth(320)
        if secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    # -- showing ----------------------------------------------------------------

    def open(self) -> None:
        """Clear the fields, show the dialog (window-modal) and look for accounts."""
        for field in (
            self.login, self.password, self.new_password, self.new_confirm,
            self.own_password, self.own_confirm,
        ):  # fmt: skip
            field.clear()
        self._provisional = None
        self._set_busy(False)
        self._show_status("")
        self._show_page(self.login_page)
        super().open()
        self._tasks.run(_count_accounts, self._on_accounts_counted, self._on_error, owner=self)

    def reject(self) -> None:
        """Escape (and the close button) leave nobody logged in: ignored."""
        self._show_status(self.tr("Connectez-vous pour utiliser la console."), error=False)

    def _on_accounts_counted(self, count: int) -> None:
        self._show_page(self.first_page if count == 0 else self.login_page)

    def _show_page(self, page: QWidget) -> None:
        if self.pages.currentWidget() is page and self.isVisible():
            return  # keep what is being typed, and where
        self.pages.setCurrentWidget(page)
        # The stack takes the size of its current page, not of the largest one.
        for other in (self.login_page, self.first_page, self.change_page):
            policy = QSizePolicy.Policy.Preferred if other is page else QSizePolicy.Policy.Ignored
            other.setSizePolicy(policy, policy)
        self.adjustSize()
        # Return clicks this page's button: a dialog has one default button at a time.
        button, field = {
            self.first_page: (self.create_button, self.new_login),
            self.change_page: (self.change_button, self.own_password),
        }.get(page, (self.login_button, self.login))
        button.setDefault(True)
        field.setFocus()

    # -- logging in ---------------------------------------------------------------

    @Slot()
    def _on_login_clicked(self) -> None:
        if self._busy:
            return
        login = self.login.text().strip().lower()
        password = self.password.text()
        if not login or not password:
            self._show_status(self.tr("Indiquez votre identifiant et votre mot de passe."))
            return
        station, policy = self._station, self._policy
        self._set_busy(True)
        self._tasks.run(
            lambda s: s.authenticate(login, password, station, policy),
            self._on_authenticated,
            self._on_error,
            owner=self,
        )

    @Slot()
    def _on_create_clicked(self) -> None:
        if self._busy:
            return
        login = self.new_login.text().strip().lower()
        name = self.new_name.text()
        password = self.new_password.text()
        if password != self.new_confirm.text():
            self._show_status(self.tr("Les deux mots de passe saisis diffèrent."))
            self.new_confirm.clear()
            return
        station, policy, scrypt = self._station, self._policy, self._scrypt

        def create(store: Store) -> Account:
            # Only on a fresh install: once an account exists, accounts are made by
            # an administrator (csu-console users add), not by whoever sits here.
            if store.list_users():
                raise AuthError("Un compte existe déjà : connectez-vous.")
            store.add_user(
                login, Role.ADMIN, name, password, params=scrypt, station=station, operator=login
            )
            return store.authenticate(login, password, station, policy)

        self._set_busy(True)
        self._tasks.run(create, self._on_logged_in, self._on_error, owner=self)

    def _on_authenticated(self, account: Account) -> None:
        """The password is right: in, unless it is a provisional one to replace."""
        if not account.must_change:
            self._on_logged_in(account)
            return
        self._set_busy(False)
        self.password.clear()
        self._provisional = account
        self.change_note.setText(
            self.tr(
                "{name}, votre mot de passe est provisoire (donné par l'administrateur) :"
                " choisissez le vôtre pour continuer."
            ).format(name=account.display_name)
        )
        self._show_status("")
        self._show_page(self.change_page)

    @Slot()
    def _on_change_clicked(self) -> None:
        account = self._provisional
        if self._busy or account is None:
            return
        password = self.own_password.text()
        if password != self.own_confirm.text():
            self._show_status(self.tr("Les deux mots de passe saisis diffèrent."))
            self.own_confirm.clear()
            return
        station, scrypt = self._station, self._scrypt

        def change(store: Store) -> Account:
            store.set_password(
                account.login, password, params=scrypt, station=station, operator=account.login
            )
            return replace(account, must_change=False)

        self._set_busy(True)
        self._tasks.run(change, self._on_logged_in, self._on_error, owner=self)

    @Slot()
    def _on_other_clicked(self) -> None:
        """Not the person to change it now: logged out, back to the login."""
        account, self._provisional = self._provisional, None
        if account is not None:
            station = self._station
            self._tasks.run(
                lambda s: s.logout(account.login, station), lambda _r: None, self._on_error
            )
        self.own_password.clear()
        self.own_confirm.clear()
        self._show_status("")
        self._show_page(self.login_page)

    def _on_logged_in(self, account: Account) -> None:
        self._provisional = None
        self.own_password.clear()
        self.own_confirm.clear()
        self._set_busy(False)
        self.password.clear()
        self.new_password.clear()
        self.new_confirm.clear()
        self._show_status("")
        self.accept()
        self.logged_in.emit(account)

    def _on_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, UserFacingError):
            message = str(exc)  # French, from the store: bad password, locked…
        else:
            log.error("connexion : vérification impossible", exc_info=exc)
            message = self.tr("Vérification impossible : {m}").format(m=exc)
        self._show_status(message)
        if self.pages.currentWidget() is self.login_page:
            self.password.clear()
            self.password.setFocus()
        elif self.pages.currentWidget() is self.change_page:
            self.own_confirm.clear()  # a weak password, say: the reason is shown
            self.own_password.setFocus()
        else:
            # Someone else may have created the first account meanwhile.
            self._tasks.run(_count_accounts, self._on_accounts_counted, owner=self)

    # -- state ----------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.login_button, self.create_button, self.change_button, self.pages):
            widget.setEnabled(not busy)
        if busy:
            self._show_status(self.tr("Vérification…"), error=False)

    def _show_status(self, text: str, *, error: bool = True) -> None:
        self.status.setStyleSheet(self._error_style if error else self._info_style)
        self.status.setText(text)

    @property
    def busy(self) -> bool:
        """True while a check runs on the storage thread (the button is disabled)."""
        return self._busy
