"""What the console holds of the review: the worker (shared by the window and the
end-of-shift digest), the window when open, and the digest shown before a shift
is closed. Built once by :class:`~csu_console.app.Console`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from csu_console.config.schema import SiteConfig
from csu_console.core.review.digest import ShiftDigest
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.review import jobs
from csu_console.ui.review.access import REVIEW_PERMISSIONS, may_review
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
        self.basemap: BasemapSource | None = None
        self.window: ReviewWindow | None = None
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
        self.window = window
        window.show()
        window.load_default()
        self.opened.emit(window)

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

        self.worker.submit(
            jobs.shift_digest(self.station, zones, self._now), show, failed, screen=False
        )

    def stop(self) -> None:
        """The console is closing: close the window, stop the worker."""
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.close()
        self.worker.close()
