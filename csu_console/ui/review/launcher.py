"""What the console holds of the review: the worker (shared by the window and the
end-of-shift digest), the window when open, and the digest shown before a shift
is closed. Built once by :class:`~csu_console.app.Console`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from csu_console.config.schema import SiteConfig
from csu_console.core.access_register import SCREEN_ACCESS_REGISTER, SCREEN_REVIEW
from csu_console.core.logbook import EventKind
from csu_console.core.review.digest import ShiftDigest
from csu_console.core.roles import Permission
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.review import jobs
from csu_console.ui.review.access import REVIEW_PERMISSIONS, may_review
from csu_console.ui.review.access_register import AccessRegisterWindow
from csu_console.ui.review.digest_view import ShiftDigestDialog
from csu_console.ui.review.exports import PathChooser
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.ui")


class ReviewLauncher(QObject):
    """Opens the review window (when the role allows) and gates shift closing
    behind the digest."""

    message = Signal(str)  # French, for the status bar
    opened = Signal(object)  # ReviewWindow
    register_opened = Signal(object)  # AccessRegisterWindow

    def __init__(
        self,
        site: SiteConfig,
        session: Session,
        writer: StorageWriter,
        station: str,
        db_path: Path,
        main_window: QWidget,
        *,
        now: Callable[[], datetime] | None = None,
        choose_path: PathChooser | None = None,
    ) -> None:
        super().__init__(main_window)
        self.site, self.session, self.writer, self.station = site, session, writer, station
        self.tz = ZoneInfo(site.site.timezone)
        self.main_window = main_window
        self.worker = ReviewWorker(db_path, self, source=site.review.source)
        #: This station's own database: the access register (it holds every
        #: station's copied events) and the handover digest read it even when the
        #: review reads the central one (``[review] source``).
        self.local_worker = ReviewWorker(db_path, self) if site.review.source else self.worker
        self.basemap: BasemapSource | None = None
        self.window: ReviewWindow | None = None
        self.register: AccessRegisterWindow | None = None
        self.digest_dialog: ShiftDigestDialog | None = None
        self._now, self._choose_path = now, choose_path

    @Slot()
    def open_review(self) -> None:
        """Show the review window (created on first use), or say why not."""
        if not may_review(self.session):
            missing = next(p for p in REVIEW_PERMISSIONS if not self.session.allowed(p))
            self.message.emit(self.session.refusal(missing))
            return
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()
            return
        window = ReviewWindow(
            self.site, self.session, self.worker, self.writer, self.station,
            basemap=self.basemap, now=self._now, choose_path=self._choose_path,
            parent=self.main_window,
        )  # fmt: skip
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.access_register_requested.connect(self.open_access_register)
        self.window = window
        self._log_opened(SCREEN_REVIEW)
        window.show()
        window.load_default()
        self.opened.emit(window)

    @Slot()
    def open_access_register(self) -> None:
        """Show the access register (created on first use), or say why not."""
        if not self.session.allowed(Permission.ACCESS_REGISTER):
            self.message.emit(self.session.refusal(Permission.ACCESS_REGISTER))
            return
        if self.register is not None and shiboken6.isValid(self.register):
            self.register.showNormal()
            self.register.raise_()
            self.register.activateWindow()
            return
        register = AccessRegisterWindow(
            self.site, self.session, self.local_worker, self.writer, self.station,
            now=self._now, choose_path=self._choose_path, parent=self.main_window,
        )  # fmt: skip
        register.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.register = register
        self._log_opened(SCREEN_ACCESS_REGISTER)
        register.show()
        register.table.setFocus()  # not the first date, whose day would show selected
        register.refresh()
        self.register_opened.emit(register)

    def _log_opened(self, screen: str) -> None:
        """Opening the review or the register is an access too: ``review_opened``
        (who, which screen), written by the storage thread."""
        station, login = self.station, self.session.operator or None
        details = {"screen": screen}

        def logged(future: Future[int]) -> None:
            exc = future.exception()
            if exc is not None:  # the storage thread's own error is reported there too
                log.error("ouverture de %s non journalisée : %s", screen, exc)

        self.writer.submit(
            lambda s: s.add_event(EventKind.REVIEW_OPENED, None, station, login, details)
        ).add_done_callback(logged)

    def confirm_shift_close(self, proceed: Callable[[], None]) -> None:
        """Show the end-of-shift digest; ``proceed()`` closes the shift if confirmed
        (at once when there is nothing to hand over)."""
        zones = [(z.id, z.area) for z in self.site.zones]

        def show(digest: ShiftDigest | None) -> None:
            if digest is None or not (
                digest.open_alerts or digest.open_dispatches or digest.cameras_down
                or digest.mutes
            ):  # fmt: skip
                proceed()  # no shift open (the store says so), or nothing to hand over
                return
            dialog = ShiftDigestDialog(digest, self.station, self.tz, self.main_window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(proceed)
            self.digest_dialog = dialog
            dialog.open()

        def failed(exc: BaseException) -> None:
            log.error("relève : synthèse impossible", exc_info=exc)
            self.message.emit(self.tr("Synthèse de relève indisponible ({m}).").format(m=exc))
            proceed()  # never keep a shift from closing

        self.local_worker.submit(
            jobs.shift_digest(self.station, zones, self._now), show, failed, screen=False
        )

    def stop(self) -> None:
        """The console is closing: close the window, stop the worker."""
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.close()
        if self.register is not None and shiboken6.isValid(self.register):
            self.register.close()
        self.worker.close()
        if self.local_worker is not self.worker:
            self.local_worker.close()
