"""Weak signals in the console: the scheduled scan, « Signaux faibles… » in the
« Supervision » menu (Ctrl+Maj+S, supervisors), the screen it opens, and the
chef de salle's badge in the status bar. Built and wired by
:func:`assemble_signals` (one line in app.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from csu_console.config.schema import SiteConfig
from csu_console.core.roles import Permission
from csu_console.storage.signal_scan import ScanEngine
from csu_console.storage.weak_signals import new_ids
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.review.worker import ReviewWorker
from csu_console.ui.signals.notice import SignalsBadge
from csu_console.ui.signals.scanner import FIRST_SCAN_MS, SignalScanner
from csu_console.ui.signals.window import SignalsWindow

log = logging.getLogger("csu.signals")

#: Opens a screen, destroys nothing (no alert key is near it).
SHORTCUT = "Ctrl+Shift+S"


def supervision_menu(window: MainWindow) -> QMenu:
    """The console's « Supervision » menu (the one holding « Revue des vacations »)."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and window.review_action in menu.actions():
            return menu
    return window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Supervision"))


class SignalsLauncher(QObject):
    """The scan, the menu entry, the badge and the screen (created on first use)."""

    message = Signal(str)  # French, for the status bar
    opened = Signal(object)  # SignalsWindow

    def __init__(
        self,
        site: SiteConfig,
        db_path: Path,
        tasks: DbTasks,
        window: MainWindow,
        station: str,
        engine: ScanEngine,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(window)
        self.site, self.tasks, self.main_window, self.station = site, tasks, window, station
        self.engine, self._now = engine, now
        self.session = window.session
        self.territory = site.territory
        self.basemap: BasemapSource | None = None
        #: Reads for the scan and the screen, on a thread of its own (read-only).
        self.reader = ReviewWorker(db_path, self)
        self.scanner = SignalScanner(
            site.signals, site.signals.every_min, self.territory, self.reader, tasks, station,
            engine, self, now=now,
        )  # fmt: skip
        self.window: SignalsWindow | None = None

        self.action = QAction(self.tr("Signaux faibles…"), window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.setAutoRepeat(False)
        self.action.triggered.connect(self.open_signals)
        menu = supervision_menu(window)
        after = window.review_action if window.review_action in menu.actions() else None
        actions = menu.actions()
        nxt = actions[actions.index(after) + 1] if after and after is not actions[-1] else None
        if nxt is not None:
            menu.insertAction(nxt, self.action)
        else:
            menu.addAction(self.action)
        window.addAction(self.action)
        window.gates.guard_action(self.action, Permission.WEAK_SIGNALS)

        self.badge = SignalsBadge(self.session, window)
        self.badge.clicked.connect(self.open_signals)
        window.statusBar().addPermanentWidget(self.badge)
        self.scanner.new_signals.connect(self.badge.add)
        self.session.changed.connect(self._on_session_changed)

    def start(self, first_after_ms: int = FIRST_SCAN_MS) -> None:
        """Scan on schedule (``[signals] enabled``); the badge starts with the
        signals still undecided (found before a restart, not yet looked at)."""
        self.tasks.run(new_ids, self.badge.add, self._on_pending_failed, owner=self.badge)
        if self.site.signals.enabled:
            self.scanner.start(first_after_ms)
            log.info("signaux faibles : analyse toutes les %g min", self.site.signals.every_min)
        else:
            log.info("signaux faibles : analyse périodique désactivée ([signals] enabled)")

    def _on_pending_failed(self, exc: BaseException) -> None:
        log.error("signaux faibles en attente illisibles : %s", exc)

    def stop(self) -> None:
        self.scanner.stop()
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.close()
        self.reader.close()

    def open_signals(self) -> SignalsWindow | None:
        """Show the screen (created on first use), or say why not."""
        if not self.session.allowed(Permission.WEAK_SIGNALS):
            self.message.emit(self.session.refusal(Permission.WEAK_SIGNALS))
            return None
        self.badge.clear()
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()
            self.window.refresh()
            return self.window
        window = SignalsWindow(
            self.site, self.territory, self.session, self.reader, self.tasks, self.scanner,
            self.station, self.engine.load, basemap=self.basemap, now=self._now,
            parent=self.main_window,
        )  # fmt: skip
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.window = window
        window.show()
        window.refresh()
        self.opened.emit(window)
        return window

    def _on_session_changed(self, _account: object) -> None:
        """Another person at the station: the screen closes unless they may see it."""
        if self.session.allowed(Permission.WEAK_SIGNALS):
            return
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.close()
        self.window = None


def assemble_signals(
    site: SiteConfig,
    db_path: Path,
    tasks: DbTasks,
    window: MainWindow,
    station: str,
    engine: ScanEngine,
    *,
    now: Callable[[], datetime] | None = None,
) -> SignalsLauncher:
    """The launcher, its menu entry, its badge and its messages to the status bar."""
    launcher = SignalsLauncher(site, db_path, tasks, window, station, engine, now=now)
    launcher.message.connect(window.show_message)
    return launcher
