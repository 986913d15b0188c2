"""Actions gated by role: greyed out when the person logged in may not do them (or
nobody is logged in), and refused with a message when their key is pressed anyway.

A disabled :class:`QAction` ignores its shortcut; a twin :class:`QShortcut`, enabled
only while the action is not, says why instead (« Action réservée : … »). The two
are never enabled together, so the key is never ambiguous.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QWidget

from csu_console.core.accounts import Account
from csu_console.core.roles import Permission
from csu_console.ui.console.session import Session

#: What each key of the « Alertes » menu needs; keys not listed are open to all
#: (F3 only selects the next alert).
KEY_PERMISSIONS: dict[str, Permission] = {
    "F2": Permission.HANDLE_ALERTS,  # acknowledge, take over
    "F4": Permission.DISPATCH,
    "F5": Permission.DISPATCH,  # unit on site
    "F6": Permission.DISPATCH,  # end of intervention
    "F8": Permission.HANDLE_ALERTS,  # close the alert
    "Shift+F8": Permission.HANDLE_ALERTS,  # reopen a closed alert
    "Ctrl+M": Permission.MUTE_ALARM,
}


class ActionGates(QObject):
    """Keeps guarded actions and widgets enabled exactly when the session allows them."""

    refused = Signal(str)  # French, for the status bar

    def __init__(self, session: Session, owner: QWidget) -> None:
        super().__init__(owner)
        self._session = session
        self._owner = owner
        self._actions: list[tuple[QAction, QShortcut | None, Permission | None]] = []
        self._widgets: list[tuple[QWidget, Permission | None]] = []
        session.changed.connect(self._on_session_changed)

    def guard_action(self, action: QAction, permission: Permission | None) -> None:
        """``action`` needs ``permission`` (None: anyone logged in)."""
        twin: QShortcut | None = None
        if not action.shortcut().isEmpty():
            twin = QShortcut(action.shortcut(), self._owner)
            twin.setContext(action.shortcutContext())
            twin.activated.connect(lambda: self.refused.emit(self._session.refusal(permission)))
        self._actions.append((action, twin, permission))
        self._apply(action, twin, permission)

    def guard_widget(self, widget: QWidget, permission: Permission | None) -> None:
        """``widget`` (a button) is enabled only when ``permission`` is granted."""
        self._widgets.append((widget, permission))
        widget.setEnabled(self._session.allowed(permission))

    def check(self, permission: Permission | None) -> bool:
        """True when allowed; otherwise say why (``refused``) and return False."""
        if self._session.allowed(permission):
            return True
        self.refused.emit(self._session.refusal(permission))
        return False

    def _apply(
        self, action: QAction, twin: QShortcut | None, permission: Permission | None
    ) -> None:
        ok = self._session.allowed(permission)
        if twin is not None:
            twin.setEnabled(False)  # never two live shortcuts on one key
        action.setEnabled(ok)
        if twin is not None:
            twin.setEnabled(not ok)

    def _on_session_changed(self, _account: Account | None) -> None:
        for action, twin, permission in self._actions:
            self._apply(action, twin, permission)
        for widget, permission in self._widgets:
            widget.setEnabled(self._session.allowed(permission))
