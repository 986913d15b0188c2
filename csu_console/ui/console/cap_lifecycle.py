"""What partners' CAP messages do after the first alert, on the console's side: the
expiry sweep, the short notices (« Alerte n° 12 annulée par l'émetteur : … ») and the
wiring of both to the queue, the alarm and the partner-feed log.

The rules are Qt-free (:mod:`csu_console.core.cap_alarm`); the store decides what a
message did (``updated``, ``cancelled``, ``pending``, ``logged``) and marks expired
alerts (``Store.expire_due``), on the storage thread.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from csu_console.core.alerts import StoredAlert
from csu_console.core.cap_alarm import FEED_KINDS, REVISING_KINDS, issuer_text, shorten
from csu_console.core.intake import Outcome
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks

log = logging.getLogger("csu.ui")

#: How often alerts past their CAP ``expires`` are marked « expirée » (ms).
EXPIRY_EVERY_MS = 60_000


def ring_exercises_of(site: Any) -> bool:
    """``[cap] ring_exercises`` of the site config; False while the setting does not
    exist yet (helper C's ``[cap]`` section) or is not set."""
    return bool(getattr(getattr(site, "cap", None), "ring_exercises", False))


class ExpirySweep(QObject):
    """Every minute, on the storage thread: alerts past ``expires`` become
    « expirée »; ``expired`` hands them (new content, same pk) to the GUI."""

    expired = Signal(object)  # list[StoredAlert]

    def __init__(
        self, tasks: DbTasks, parent: QObject | None = None, interval_ms: int = EXPIRY_EVERY_MS
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.sweep)

    def start(self) -> None:
        """Sweep now (alerts that expired while the console was off), then every minute."""
        self.sweep()
        self.timer.start()

    def stop(self) -> None:
        """No more sweeps."""
        self.timer.stop()

    @Slot()
    def sweep(self) -> None:
        """Mark what is due (one sweep at a time: a slow disk never piles them up)."""
        if self._busy:
            return
        self._busy = True
        now = datetime.now(UTC)
        self._tasks.run(
            lambda s: s.expire_due(now),
            self._on_swept,
            self._on_failed,
            owner=self,
        )

    def _on_swept(self, items: list[StoredAlert]) -> None:
        self._busy = False
        if items:
            log.info("%d alerte(s) expirée(s)", len(items))
            self.expired.emit(items)

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("balayage d'expiration en échec (nouvel essai dans une minute) : %s", exc)


class CapNotices(QObject):
    """Short, non-modal notices of what partners did to alerts (the status bar)."""

    message = Signal(str)  # French, for the status bar
    feed_changed = Signal()  # the partner-feed log has new lines

    def __init__(self, tasks: DbTasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks

    @Slot(object)
    def on_frames_committed(self, outcomes: list[Outcome]) -> None:
        """A notice per cancelled or updated alert; the log refreshes for the rest."""
        feed = False
        for o in outcomes:
            if o.kind in FEED_KINDS:
                feed = True
                if o.kind == "pending":
                    log.info("message CAP %s en attente de l'alerte d'origine", o.alert_id)
                continue
            if o.kind not in REVISING_KINDS or o.stored is None:
                continue
            feed = True
            if o.kind == "cancelled":
                self._cancelled(o.stored)
            else:
                self._updated(o.stored, o.rings)
        if feed:
            self.feed_changed.emit()

    @Slot(object)
    def on_expired(self, items: list[StoredAlert]) -> None:
        """« Alerte n° 12 expirée » (or how many)."""
        if len(items) == 1:
            self.message.emit(
                self.tr("Alerte n° {pk} expirée : elle ne sonne plus.").format(pk=items[0].pk)
            )
        elif items:
            self.message.emit(
                self.tr("{n} alertes expirées : elles ne sonnent plus.").format(n=len(items))
            )

    def _updated(self, item: StoredAlert, rings: bool) -> None:
        if rings:
            text = self.tr("Alerte n° {pk} mise à jour par l'émetteur : priorité relevée.")
        else:
            text = self.tr("Alerte n° {pk} mise à jour par l'émetteur.")
        self.message.emit(text.format(pk=item.pk))

    def _cancelled(self, item: StoredAlert) -> None:
        said = issuer_text(item)
        if said:
            self._say_cancelled(item.pk, said)
            return
        # The row keeps the original's content: what the Cancel said is in the log.
        pk = item.pk

        def find(s: Store) -> str:
            for e in s.partner_feed(50):
                if e.alert_pk == pk and e.msg_type == "Cancel" and e.kind != "pending":
                    return e.summary
            return ""

        self._tasks.run(
            find,
            lambda text: self._say_cancelled(pk, text),
            lambda _exc: self._say_cancelled(pk, ""),
            owner=self,
        )

    def _say_cancelled(self, pk: int, said: str) -> None:
        if said.strip():
            text = self.tr("Alerte n° {pk} annulée par l'émetteur : {text}").format(
                pk=pk, text=shorten(said)
            )
        else:
            text = self.tr("Alerte n° {pk} annulée par l'émetteur.").format(pk=pk)
        self.message.emit(text)
