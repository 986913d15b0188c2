"""The « Administration » window: « Comptes », « Unités », « Réglages » (issue 20),
and its launcher: the « Installation » menu's entry, for the administrator; every
other role gets the French refusal (« Action réservée : … »)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QWidget

from csu_console.config.schema import SiteConfig
from csu_console.config.site_edit import Change
from csu_console.core.accounts import Account
from csu_console.core.roles import Permission
from csu_console.ui.admin.accounts import AccountsTab
from csu_console.ui.admin.common import AdminContext
from csu_console.ui.admin.settings import SettingsTab
from csu_console.ui.admin.units import UnitsTab
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.dispatch_ops import DispatchOperations
from csu_console.ui.console.main_window import MainWindow

log = logging.getLogger("csu.ui")

#: What opens the window (its tabs check their own permissions too).
OPEN_PERMISSION = Permission.MANAGE_USERS


class AdminWindow(QMainWindow):
    """See the module docstring."""

    def __init__(
        self,
        ctx: AdminContext,
        dispatch: DispatchOperations | None,
        config_dir: Path,
        tz: ZoneInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Administration — {0}").format(ctx.station))
        self.tabs = QTabWidget(self)
        self.accounts = AccountsTab(ctx, tz, self.tabs)
        self.units = UnitsTab(ctx, dispatch, config_dir, self.tabs)
        self.settings = SettingsTab(ctx, config_dir, self.tabs)
        self.tabs.addTab(self.accounts, self.tr("Comptes"))
        self.tabs.addTab(self.units, self.tr("Unités"))
        self.tabs.addTab(self.settings, self.tr("Réglages"))
        self.setCentralWidget(self.tabs)
        self.resize(1280, 800)
        ctx.session.changed.connect(self._on_session_changed)
        self._session = ctx.session

    def refresh(self) -> None:
        self.accounts.refresh()
        self.settings.refresh()

    def _on_session_changed(self, _account: Account | None) -> None:
        if not self._session.allowed(OPEN_PERMISSION):
            self.close()  # another person at the station: not their screen
            return
        for tab in (self.accounts, self.units, self.settings):
            tab.on_session_changed()


def _install_menu(window: QMainWindow, anchor: QAction) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and anchor in menu.actions():
            return menu
    return None


class AdminLauncher(QObject):
    """The menu entry and the window (created on first use, closed on logout)."""

    message = Signal(str)
    opened = Signal(object)  # AdminWindow
    #: Settings written: (new site, changes); the console applies the live ones.
    settings_applied = Signal(object, object)

    def __init__(
        self,
        ctx: AdminContext,
        dispatch: DispatchOperations | None,
        config_dir: Path,
        tz: ZoneInfo,
        main_window: QMainWindow,
        *,
        menu_anchor: QAction | None = None,
        guard: Callable[[QAction, Permission], None] | None = None,
    ) -> None:
        super().__init__(main_window)
        self.ctx, self.dispatch, self.config_dir, self.tz = ctx, dispatch, config_dir, tz
        self.main_window = main_window
        self.window: AdminWindow | None = None
        self.action = QAction(self.tr("Administration…"), main_window)
        self.action.triggered.connect(self.open_admin)
        menu = _install_menu(main_window, menu_anchor) if menu_anchor is not None else None
        if menu is not None:
            menu.addAction(self.action)
        if guard is not None:
            guard(self.action, OPEN_PERMISSION)

    def open_admin(self) -> AdminWindow | None:
        """Show the window, or say why not."""
        if not self.ctx.session.allowed(OPEN_PERMISSION):
            self.message.emit(self.ctx.session.refusal(OPEN_PERMISSION))
            return None
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()
            self.window.refresh()
            return self.window
        window = AdminWindow(self.ctx, self.dispatch, self.config_dir, self.tz, self.main_window)
        window.setWindowFlag(Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.settings.applied.connect(self.settings_applied)
        self.window = window
        window.show()
        window.refresh()
        self.opened.emit(window)
        return window


def apply_live(site: SiteConfig, changes: tuple[Change, ...], targets: LiveTargets) -> list[str]:
    """Apply the settings that are safe to change while running; the keys applied."""
    applied: list[str] = []
    keys = [c.key for c in changes if c.live]
    if any(k.startswith("alarm.") for k in keys) and targets.set_alarm is not None:
        targets.set_alarm(site)
        applied += [k for k in keys if k.startswith("alarm.")]
    if any(k.startswith("retention.") for k in keys) and targets.set_retention is not None:
        targets.set_retention(site)
        applied += [k for k in keys if k.startswith("retention.")]
    if applied:
        log.info("réglages appliqués sans redémarrage : %s", ", ".join(applied))
    return applied


class LiveTargets:
    """Where the live settings go (the alarm's scheduler, the purge timer)."""

    def __init__(
        self,
        set_alarm: Callable[[SiteConfig], None] | None = None,
        set_retention: Callable[[SiteConfig], None] | None = None,
    ) -> None:
        self.set_alarm, self.set_retention = set_alarm, set_retention


def assemble_admin(
    ctx: StationContext,
    dispatch: DispatchOperations | None,
    config_dir: Path,
    tz: ZoneInfo,
    window: MainWindow,
    targets: LiveTargets,
) -> AdminLauncher:
    """The launcher in the console's « Installation » menu, its messages to the status
    bar, and the live settings applied to ``targets``."""
    launcher = AdminLauncher(
        AdminContext(ctx.station, ctx.session, ctx.tasks), dispatch, config_dir, tz, window,
        menu_anchor=window.site_setup_action, guard=window.gates.guard_action,
    )  # fmt: skip
    launcher.message.connect(window.show_message)
    launcher.settings_applied.connect(lambda site, changes: apply_live(site, changes, targets))
    return launcher
