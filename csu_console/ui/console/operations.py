"""What operators do to alerts: take them (acknowledge), take them over from another
station, and what other stations' ``update`` messages do to ours.

Rules come from :mod:`csu_console.core.states`; every change is written (row +
event, one transaction) before it is shown and sent upstream as ``status``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QWidget

from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.hub_protocol import new_key
from csu_console.core.protocol import UpdateMessage
from csu_console.core.states import (
    Actor,
    Claim,
    Transition,
    TransitionRefused,
    UpdateEffect,
    Verdict,
    decide,
    plan,
)
from csu_console.errors import DiskFullError, StorageError
from csu_console.storage.claims import UpdateResult
from csu_console.storage.store import Store
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext, StatusSender
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.dispatch_dialog import alert_summary
from csu_console.ui.console.queue_view import hold_while_open

log = logging.getLogger("csu.ui")

__all__ = ["AlertOperations", "StatusSender"]  # StatusSender: its old home


class AlertOperations(QObject):
    """Acknowledge / take over, and apply other stations' updates."""

    message = Signal(str)  # French, for the status bar
    state_changed = Signal(int)  # pk of a report whose state changed

    def __init__(
        self,
        model: AlertTableModel,
        ctx: StationContext,
        alarm: AlarmController,
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._ctx = ctx
        self._tasks = ctx.tasks
        self._alarm = alarm
        self._link = ctx.link
        self._station = ctx.station
        self._window = window
        self.reason_dialog: QInputDialog | None = None

    @property
    def operator(self) -> str:
        """Who is logged in (the station's context says)."""
        return self._ctx.operator

    @property
    def actor(self) -> Actor:
        """Who acts from this station."""
        return self._ctx.actor

    @Slot(int)
    def acknowledge(self, pk: int) -> None:
        """Take the alert (and its whole group); ask a reason to take it over."""
        self._model.ensure_merged(pk)  # the banner can be ahead of the queue's next repaint
        leader = self._model.alert_by_pk(self._model.leader_pk(pk))
        if leader is None:
            return
        decision = decide(Claim.of(leader), self.actor, AlertState.ACKNOWLEDGED)
        if decision.verdict is Verdict.UNCHANGED:
            # We hold the group already, but a report may have joined it since:
            # take the new ones too (the others are skipped), not only silence them.
            self._commit(leader, "")
            return
        if decision.verdict is Verdict.REFUSED:
            self.message.emit(decision.message)
            return
        if decision.verdict is Verdict.NEEDS_TAKEOVER_REASON:
            self._ask_reason(leader, decision.message)
            return
        self._commit(leader, "")

    def _ask_reason(self, leader: StoredAlert, question: str) -> None:
        pk = leader.pk
        self.reason_dialog = ask_reason(
            self._window,
            self.tr("Reprise de l'alerte n° {pk}").format(pk=pk),
            alert_summary(leader) + "\n\n" + question,
            lambda text: self._on_reason(pk, text),
            lambda: self._on_reason(pk, ""),
        )
        hold_while_open(self._model, self.reason_dialog)

    def _on_reason(self, pk: int, reason: str) -> None:
        leader = self._model.alert_by_pk(pk)
        if leader is None:
            return
        if not reason.strip():
            self.message.emit(self.tr("Reprise annulée : un motif est obligatoire."))
            return
        self._commit(leader, reason)

    def _commit(self, leader: StoredAlert, reason: str) -> None:
        now = datetime.now(UTC)
        # silence at once
        self._alarm.acknowledged(self._model.group_key(leader), self._model.members(leader.pk))
        for member in self._model.members(leader.pk):
            try:
                transition = plan(
                    Claim.of(member), self.actor, AlertState.ACKNOWLEDGED, now, reason
                )
            except TransitionRefused:
                continue  # this report was already taken (by us or by someone else)
            self._store_transition(member, transition)

    def _store_transition(self, member: StoredAlert, transition: Transition) -> None:
        pk = member.pk

        sid = new_key(self._station)

        def write(store: Store) -> bool:
            # The status goes into the outbox with the state change (one transaction).
            return store.apply_transition(pk, transition, sid)

        def done(ok: bool) -> None:
            self._on_applied(member, transition, ok)

        self._tasks.run(write, done, lambda exc: self._on_not_applied(member, exc))

    def _on_not_applied(self, member: StoredAlert, exc: BaseException) -> None:
        """The acknowledgement could not be written (a full disk, above all): the
        alert is still new, so it rings again, and the operator is told why."""
        if not isinstance(exc, StorageError):
            log.error("prise en compte non enregistrée (bogue)", exc_info=exc)
        self._alarm.restore([member])
        if isinstance(exc, DiskFullError):
            self.message.emit(
                self.tr(
                    "Disque plein : prise en compte non enregistrée, réessayez quand "
                    "l'espace disque sera libéré."
                )
            )
        else:
            self.message.emit(self.tr("Prise en compte non enregistrée : {e}").format(e=str(exc)))

    def _on_applied(self, member: StoredAlert, transition: Transition, ok: bool) -> None:
        if not ok:
            self.message.emit(
                self.tr("L'alerte a été prise par un autre poste entre-temps : rien n'a changé.")
            )
            return
        after = transition.after
        self._model.apply_claim(member.pk, after)
        self._link.nudge_outbox()  # written with the state: the link sends it now
        self.state_changed.emit(member.pk)

    @Slot(object)
    def on_update_received(self, update: UpdateMessage) -> None:
        """Another station acted: store it (or ignore it when stale), then show it."""
        self._tasks.run(lambda s: s.apply_update(update), self._on_update_applied)

    def _on_update_applied(self, result: UpdateResult) -> None:
        stored = result.stored
        if result.effect is not UpdateEffect.APPLIED or stored is None:
            return
        self._model.apply_stored(stored)
        if stored.state is not AlertState.NEW:
            self._alarm.acknowledged(self._model.group_key(stored), [stored])
        self.message.emit(
            self.tr("{title} : pris en charge par {station} – {operator}").format(
                title=stored.alert.title or stored.alert.id,
                station=stored.state_station,
                operator=stored.state_operator or "?",
            )
        )
        self.state_changed.emit(stored.pk)
