"""The handover (relève, Ctrl+L): what the next operator inherits, always shown.

Before the operator leaves the station, :class:`HandoverController` reads the
digest — alerts still open (P1s first), units still engaged, cameras down, the
mutes — since the station's shift opened, or, with no shift open (the demo's
default), since this operator logged in. :class:`HandoverDialog` shows it, even
when there is nothing to hand over (it says so), with:

- « Passer la main »: log out, the login screen for the next one;
- « Clôturer la vacation et passer la main » (a shift is open and the role may
  close it): ``shift_closed`` first, then the logout;
- « Annuler »: stay logged in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from csu_console.core.logbook import EventKind, LogEvent
from csu_console.core.review.digest import ShiftDigest
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.roles import Permission
from csu_console.storage.review import ReviewReader, ZoneShapes
from csu_console.storage.review_load import load_summary
from csu_console.storage.store import Store
from csu_console.ui.console.context import StationContext
from csu_console.ui.review.digest_view import DigestView
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.ui")

#: With no shift open and no login found, the digest looks this far back.
FALLBACK = timedelta(hours=12)

_LAST_LOGIN = (
    "SELECT at FROM events WHERE kind = ? AND station = ? AND operator = ? ORDER BY pk DESC LIMIT 1"
)


@dataclass(frozen=True)
class Handover:
    """The digest to hand over, and the station's open shift (None: no shift open)."""

    digest: ShiftDigest
    since: datetime
    shift: LogEvent | None

    @property
    def empty(self) -> bool:
        """Nothing left for the next operator."""
        d = self.digest
        return not (d.open_alerts or d.open_dispatches or d.cameras_down or d.mutes)


def handover_job(
    station: str, operator: str, zones: ZoneShapes, now: Callable[[], datetime] | None = None
) -> Callable[[ReviewReader, Store, Any], Handover]:
    """The review worker's job: the digest since the shift opened, else since
    ``operator`` logged in at ``station``, else the last :data:`FALLBACK`."""

    def run(reader: ReviewReader, store: Store, _progress: Any) -> Handover:
        with reader.snapshot():
            end = (now or (lambda: datetime.now(UTC)))()
            shift = store.current_shift(station)
            if shift is not None:
                since = shift.at
            else:
                row = reader.execute(_LAST_LOGIN, (EventKind.LOGIN, station, operator)).fetchone()
                since = datetime.fromisoformat(row[0]) if row else end - FALLBACK
            end = max(end, since + timedelta(seconds=1))
            digest = load_summary(reader, ReviewFilter(since, end), zones).digest
            return Handover(digest, since, shift)

    return run


class HandoverDialog(QDialog):
    """The digest before the operator leaves the station (see the module docstring)."""

    CLOSE_SHIFT = 2  # done() code of « Clôturer la vacation et passer la main »

    def __init__(
        self,
        handover: Handover,
        station: str,
        tz: ZoneInfo,
        may_close_shift: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Relève – poste {s}").format(s=station))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(1200, 700)
        shift = handover.shift
        if shift is not None:
            state = self.tr("Vacation ouverte le {date} à {time} par {who}.").format(
                date=shift.at.astimezone(tz).strftime("%d/%m/%Y"),
                time=shift.at.astimezone(tz).strftime("%H:%M"),
                who=shift.operator or "?",
            )
        else:
            state = self.tr(
                "Aucune vacation ouverte à ce poste : depuis la connexion de {t}."
            ).format(t=handover.since.astimezone(tz).strftime("%d/%m/%Y %H:%M"))
        intro = self.tr("Avant de quitter le poste, voici ce que la relève reprend.")
        if handover.empty:
            intro += " " + self.tr("Rien à transmettre.")
        self.intro = QLabel(intro + "\n" + state, self)
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("font-size: 13pt;")
        self.view = DigestView(tz, self)
        self.view.show_digest(handover.digest)
        self.hand_over_button = QPushButton(self.tr("Passer la main"), self)
        self.hand_over_button.setDefault(True)
        self.hand_over_button.clicked.connect(self.accept)
        self.close_shift_button = QPushButton(
            self.tr("Clôturer la vacation et passer la main"), self
        )
        self.close_shift_button.clicked.connect(lambda: self.done(self.CLOSE_SHIFT))
        self.close_shift_button.setVisible(shift is not None)
        self.close_shift_button.setEnabled(may_close_shift)
        if shift is not None and not may_close_shift:
            self.close_shift_button.setToolTip(
                self.tr("Votre rôle ne permet pas de clôturer la vacation.")
            )
        self.cancel_button = QPushButton(self.tr("Annuler"), self)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.close_shift_button, self.hand_over_button, self.cancel_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)


class HandoverController(QObject):
    """Shows the handover digest at every Ctrl+L; closes the shift when asked."""

    message = Signal(str)  # French, for the status bar
    shift_closed = Signal(object)  # the closing event's details

    def __init__(
        self,
        ctx: StationContext,
        worker: ReviewWorker,
        tz: ZoneInfo,
        zones: ZoneShapes,
        window: QWidget,
        *,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._worker = ctx.session, ctx.tasks, worker
        self._station, self._tz, self._zones = ctx.station, tz, zones
        self._window, self._now = window, now
        self.dialog: HandoverDialog | None = None
        self._reading = False  # the digest is being read

    def confirm(self, proceed: Callable[[], None]) -> None:
        """``SessionController.before_handover``: the digest, then ``proceed()`` (the
        logout) once the operator hands over."""
        if self._reading:
            return  # Ctrl+L twice: one digest, one handover
        if self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        operator = self._session.operator
        self._reading = True

        def show(handover: Handover) -> None:
            self._reading = False
            may_close = self._session.allowed(Permission.MANAGE_SHIFT)
            dialog = HandoverDialog(handover, self._station, self._tz, may_close, self._window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda code: self._on_finished(code, proceed))
            self.dialog = dialog
            dialog.open()

        def failed(exc: BaseException) -> None:
            self._reading = False
            log.error("relève : synthèse impossible", exc_info=exc)
            self.message.emit(self.tr("Synthèse de relève indisponible ({m}).").format(m=exc))
            proceed()  # never keep an operator from leaving

        job = handover_job(self._station, operator, self._zones, self._now)
        self._worker.submit(job, show, failed, screen=False)

    def _on_finished(self, code: int, proceed: Callable[[], None]) -> None:
        if code == HandoverDialog.CLOSE_SHIFT:
            self._close_shift()
        if code in (QDialog.DialogCode.Accepted.value, HandoverDialog.CLOSE_SHIFT):
            proceed()  # queued after the closing: the logbook reads shift_closed, logout

    def _close_shift(self) -> None:
        who, station = self._session.operator, self._station

        def failed(exc: BaseException) -> None:
            log.error("relève : clôture de la vacation impossible", exc_info=exc)
            self.message.emit(self.tr("Vacation non clôturée : {m}").format(m=exc))

        def done(details: dict[str, Any]) -> None:
            self.message.emit(self.tr("Vacation clôturée au poste {s}.").format(s=station))
            self.shift_closed.emit(details)

        self._tasks.run(lambda s: s.close_shift(station, who), done, failed)
