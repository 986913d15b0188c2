"""Sending the police municipale: engage a unit, « sur place », « terminé », closing.

Rules live in :mod:`csu_console.core.dispatch` and :mod:`csu_console.core.states`;
every step is written to the main courante (state row + chained events, one
transaction) on the storage thread before it is shown or sent upstream. Questions
(a busy unit, a takeover reason, closing the alert) are window-modal dialogs
opened with ``open()``: alerts keep ringing and flashing meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.closing import needs_qualification
from csu_console.core.dispatch import (
    DispatchPlan,
    DispatchRefused,
    DispatchVerdict,
    Outcome,
    Stage,
    Unit,
    UnitState,
    engaged_on,
    plan_availability,
    plan_dispatch,
    plan_end,
    plan_on_site,
)
from csu_console.core.hub_protocol import new_key
from csu_console.core.logbook import EventKind
from csu_console.core.roles import Permission
from csu_console.core.states import (
    Actor,
    Claim,
    Transition,
    TransitionRefused,
    plan,
    plan_reopen,
)
from csu_console.errors import UserFacingError
from csu_console.storage.store import Store
from csu_console.storage.unit_fold import UnitFold
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.close_dialog import CloseDialog
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.dispatch_dialog import DispatchDialog, EndDialog, alert_summary
from csu_console.ui.console.queue_view import hold_while_open

log = logging.getLogger("csu.ui")


class DispatchOperations(QObject):
    """The dispatch cycle of the selected alert, and the units' live status."""

    message = Signal(str)
    units_changed = Signal(object)  # dict[str, UnitState]
    dispatched = Signal(int, str)  # alert pk, unit id
    step_logged = Signal(int, str)  # alert pk, event kind (on_site, dispatch_ended, closed)
    #: This station's own fold changed (before, after): what it did to the units,
    #: for the hub (ui/console/team.py shares it).
    local_units_changed = Signal(object, object)

    def __init__(
        self,
        model: AlertTableModel,
        ctx: StationContext,
        alarm: AlarmController,
        units: Sequence[Unit],
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._model, self._tasks, self._alarm, self._link = model, ctx.tasks, alarm, ctx.link
        self._station = ctx.station
        self.units = list(units)
        self._window = window
        self.states: dict[str, UnitState] = {}  # what is shown (the team's view)
        self.local_states: dict[str, UnitState] = {}  # this station's own logbook
        #: Lays the hub's records over ``local_states`` (None: no hub; see team.py).
        self.overlay: Callable[[dict[str, UnitState]], dict[str, UnitState]] | None = None
        #: Units the operator confirmed engaging though busy (the hub is told so).
        self.confirmed_units: set[str] = set()
        self._folded = False
        self._fold = UnitFold(self.units)  # used on the storage thread only
        self.dialog: DispatchDialog | EndDialog | CloseDialog | None = None
        self.question: QMessageBox | QInputDialog | None = None
        self._closing: set[int] = set()  # leaders whose closing is being stored

    @property
    def operator(self) -> str:
        """Who is logged in (the station's context says)."""
        return self._ctx.operator

    @property
    def actor(self) -> Actor:
        return self._ctx.actor

    def _unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def _leader(self, pk: int) -> StoredAlert | None:
        self._model.ensure_merged(pk)
        return self._model.alert_by_pk(self._model.leader_pk(pk))

    # unit status ----------------------------------------------------------------
    def refresh_units(self) -> None:
        """Fold the units' new events (all of them at start, then only the new ones)."""
        self._tasks.run(self._fold.update, self._on_units)

    def _on_units(self, states: dict[str, UnitState]) -> None:
        before, self.local_states = self.local_states, states
        if self._folded:  # the first fold is the past, not a change
            self.local_units_changed.emit(before, states)
        self._folded = True
        self.show_units()

    def show_units(self) -> None:
        """Show the units: this station's fold, the hub's newer records over it."""
        local = self.local_states
        self.states = self.overlay(local) if self.overlay is not None else dict(local)
        self.units_changed.emit(self.states)

    def set_availability(self, unit_id: str, available: bool, comment: str = "") -> None:
        """A unit becomes available or unavailable (with a comment), logged and shared."""
        unit = self._unit(unit_id)
        if unit is None:
            return
        if not self._ctx.session.allowed(Permission.SET_UNIT_STATUS):
            self.message.emit(self._ctx.session.refusal(Permission.SET_UNIT_STATUS))
            return
        try:
            kind, details = plan_availability(unit, self.states, available, comment)
        except DispatchRefused as exc:
            self.message.emit(str(exc))
            return
        self._log_step(None, kind, details)

    # engage ---------------------------------------------------------------------
    @Slot(int)
    def open_dispatch(self, pk: int) -> None:
        """F4: the dialog to engage a unit on the alert's group."""
        leader = self._leader(pk)
        if leader is None:
            return
        if not self.units:
            self.message.emit(self.tr("Aucune unité dans la configuration ([dispatch] units)."))
            return
        dialog = DispatchDialog(leader, self.units, self.states, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_dispatch_chosen(leader.pk, dialog))
        self.dialog = dialog
        hold_while_open(self._model, dialog)
        dialog.open()

    def _on_dispatch_chosen(self, pk: int, dialog: DispatchDialog) -> None:
        unit = dialog.chosen_unit()
        if unit is not None:
            self.plan_and_record(pk, unit, dialog.instructions_text())

    def plan_and_record(
        self, pk: int, unit: Unit, instructions: str, *, confirmed: bool = False, reason: str = ""
    ) -> None:
        """Plan the dispatch; ask what must be asked; store it when allowed."""
        leader = self._leader(pk)
        if leader is None:
            return
        p = plan_dispatch(
            unit,
            self.states,
            leader.pk,
            Claim.of(leader),
            self.actor,
            datetime.now(UTC),
            confirmed=confirmed,
            reason=reason,
        )
        if confirmed:
            self.confirmed_units.add(unit.id)
        if p.verdict is DispatchVerdict.REFUSED:
            self.message.emit(p.message)
        elif p.verdict is DispatchVerdict.NEEDS_CONFIRMATION:
            self._confirm(
                leader,
                p.message,
                lambda: self.plan_and_record(pk, unit, instructions, confirmed=True),
            )
        elif p.verdict is DispatchVerdict.NEEDS_TAKEOVER_REASON:
            self._ask_reason(
                leader,
                p.message,
                lambda text: self.plan_and_record(
                    pk, unit, instructions, confirmed=confirmed, reason=text
                ),
            )
        else:
            if instructions:
                p = replace(p, details={**p.details, "comment": instructions})
            self._record(leader, p)

    def _record(self, leader: StoredAlert, p: DispatchPlan) -> None:
        station, operator, pk = self._station, self.operator, leader.pk
        sid = new_key(station)  # its status goes into the outbox in the same transaction
        self._tasks.run(
            lambda s: s.record_dispatch(pk, p, station, operator, sid),
            lambda ok: self._on_recorded(leader, p, ok),
        )

    def _on_recorded(self, leader: StoredAlert, p: DispatchPlan, ok: bool) -> None:
        if not ok:
            self.message.emit(
                self.tr("L'alerte a changé entre-temps (autre poste) : rien n'a été engagé.")
            )
            return
        assert p.unit is not None
        # engaged: it is handled
        self._alarm.acknowledged(self._model.group_key(leader), self._model.members(leader.pk))
        if p.transition is not None:
            after = p.transition.after
            self._model.apply_claim(leader.pk, after)
            self._link.nudge_outbox()  # written with the dispatch: the link sends it
        log.info("unité %s engagée sur l'alerte %d", p.unit.id, leader.pk)
        self.message.emit(
            self.tr("{unit} engagée sur l'alerte n° {pk}.").format(unit=p.unit.name, pk=leader.pk)
        )
        self.dispatched.emit(leader.pk, p.unit.id)
        self.refresh_units()

    # on site / end ----------------------------------------------------------------
    def _engaged_units(self, pk: int) -> list[Unit]:
        return [u for uid in engaged_on(self.states, pk) if (u := self._unit(uid))]

    @Slot(int)
    def on_site(self, pk: int) -> None:
        """F5: a unit engaged on this alert is on site (asked which when several)."""
        leader = self._leader(pk)
        if leader is None:
            return
        units = [
            u
            for u in self._engaged_units(leader.pk)
            if self.states[u.id].stage is not Stage.ON_SITE
        ]
        if not units:
            self.message.emit(self.tr("Aucune unité en route sur cette alerte."))
            return
        self._pick_unit(leader, units, lambda unit: self._log_on_site(leader.pk, unit))

    def _log_on_site(self, pk: int, unit: Unit) -> None:
        try:
            details = plan_on_site(unit, self.states, pk)
        except DispatchRefused as exc:
            self.message.emit(str(exc))
            return
        self._log_step(pk, EventKind.ON_SITE, details)

    @Slot(int)
    def end(self, pk: int) -> None:
        """F6: how the intervention ended, for one unit engaged on the alert."""
        leader = self._leader(pk)
        if leader is None:
            return
        units = self._engaged_units(leader.pk)
        if not units:
            self.message.emit(self.tr("Aucune unité engagée sur cette alerte."))
            return
        dialog = EndDialog(leader, units, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.finish(
                leader.pk, dialog.chosen_unit(), dialog.outcome(), dialog.comment_text()
            )
        )
        self.dialog = dialog
        hold_while_open(self._model, dialog)
        dialog.open()

    def finish(self, pk: int, unit: Unit | None, outcome: Outcome | None, comment: str) -> None:
        """Log the end of ``unit``'s intervention; offer to close the alert after the last."""
        if unit is None or outcome is None:
            return
        try:
            details = plan_end(unit, self.states, pk, outcome, comment)
        except UserFacingError as exc:  # DispatchRefused, or a missing comment
            self.message.emit(str(exc))
            return
        self._log_step(pk, EventKind.DISPATCH_ENDED, details, then=self._offer_close)

    def _log_step(
        self,
        pk: int | None,
        kind: EventKind,
        details: dict[str, Any],
        then: Callable[[int], None] | None = None,
    ) -> None:
        station, operator = self._station, self.operator

        def write(store: Store) -> dict[str, UnitState]:
            store.add_event(kind.value, pk, station, operator, details)
            return self._fold.update(store)

        def done(states: dict[str, UnitState]) -> None:
            self._on_units(states)
            if pk is None:
                return
            self.step_logged.emit(pk, kind.value)
            if then is not None:
                then(pk)

        self._tasks.run(write, done)

    def _offer_close(self, pk: int) -> None:
        if engaged_on(self.states, pk):
            return  # other units still there
        leader = self._model.alert_by_pk(pk)
        if leader is None:
            return
        self._confirm(
            leader,
            self.tr("Plus aucune unité engagée sur l'alerte n° {pk} : la clôturer ?").format(pk=pk),
            lambda: self.close_group(pk, {}),
        )

    # closing ----------------------------------------------------------------------
    @Slot(int)
    def close_alert(self, pk: int) -> None:
        """F8: close the alert's group (refused while a unit is still engaged).

        An alert no unit handled asks why first (:class:`CloseDialog`); one whose
        units ended their intervention (with an outcome) closes at once.
        """
        leader = self._leader(pk)
        if leader is None:
            return
        if engaged_on(self.states, leader.pk):
            self.message.emit(
                self.tr("Une unité est encore engagée : terminez d'abord l'intervention (F6).")
            )
            return
        if leader.state is AlertState.CLOSED:
            self.message.emit(self.tr("L'alerte n° {pk} est déjà clôturée.").format(pk=leader.pk))
            return
        if not needs_qualification(leader.state):
            self.close_group(leader.pk, {})
            return
        dialog = CloseDialog(leader, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The alert named in the dialog, whatever the selection became meanwhile.
        dialog.accepted.connect(lambda: self.close_group(leader.pk, dialog.details))
        self.dialog = dialog
        hold_while_open(self._model, dialog)
        dialog.open()

    def close_group(self, pk: int, details: dict[str, str]) -> None:
        """Close every report of ``pk``'s group, ``details`` (the qualification) logged."""
        leader = self._leader(pk)
        if leader is None or leader.pk in self._closing:
            return  # a second F8 before the first is stored: nothing more to do
        now = datetime.now(UTC)
        self._alarm.acknowledged(self._model.group_key(leader), self._model.members(leader.pk))
        for member in self._model.members(leader.pk):
            try:
                t = plan(Claim.of(member), self.actor, AlertState.CLOSED, now)
            except TransitionRefused as exc:
                if member.pk == leader.pk:
                    self.message.emit(str(exc))
                continue
            if details:
                t = replace(t, details={**t.details, **details})
            if member.pk == leader.pk:
                self._closing.add(leader.pk)
            self._store_transition(member, t)

    @Slot(int)
    def reopen(self, pk: int) -> None:
        """Reopen a closed alert's group, with a reason (asked, then logged)."""
        leader = self._leader(pk)
        if leader is None:
            return
        if leader.state is not AlertState.CLOSED:
            self.message.emit(
                self.tr("L'alerte n° {pk} n'est pas clôturée : rien à rouvrir.").format(
                    pk=leader.pk
                )
            )
            return
        self.question = ask_reason(
            self._window,
            self.tr("Rouvrir l'alerte n° {pk}").format(pk=leader.pk),
            self.tr("Rouvrir l'alerte n° {pk} ({what}) : indiquez le motif.").format(
                pk=leader.pk, what=alert_summary(leader)
            ),
            lambda text: self._reopen_group(leader.pk, text),
            lambda: self.message.emit(self.tr("Réouverture annulée : un motif est obligatoire.")),
        )
        hold_while_open(self._model, self.question)

    def _reopen_group(self, pk: int, reason: str) -> None:
        leader = self._leader(pk)
        if leader is None:
            return
        now = datetime.now(UTC)
        for member in self._model.members(leader.pk):
            try:
                t = plan_reopen(Claim.of(member), self.actor, now, reason)
            except TransitionRefused as exc:
                if member.pk == leader.pk:
                    self.message.emit(str(exc))
                continue
            self._store_transition(member, t)

    def _store_transition(self, member: StoredAlert, t: Transition) -> None:
        pk, sid = member.pk, new_key(self._station)  # the status: same transaction
        self._tasks.run(
            lambda s: s.apply_transition(pk, t, sid), lambda ok: self._on_transition(member, t, ok)
        )

    def _on_transition(self, member: StoredAlert, t: Transition, ok: bool) -> None:
        self._closing.discard(member.pk)
        if not ok:
            self.message.emit(self.tr("L'alerte a changé entre-temps (autre poste) : rien fait."))
            return
        after = t.after
        self._model.apply_claim(member.pk, after)
        self._link.nudge_outbox()  # written with the state: the link sends it now
        log.info("alerte %d : %s par %s", member.pk, t.kind, self.operator or "?")
        if member.pk == self._model.leader_pk(member.pk):
            if t.kind == EventKind.REOPENED.value:
                text = self.tr("Alerte n° {pk} rouverte.")
            else:
                text = self.tr("Alerte n° {pk} clôturée.")
            self.message.emit(text.format(pk=member.pk))
        self.step_logged.emit(member.pk, t.kind)

    # questions --------------------------------------------------------------------
    # Every question names its alert first: the answer applies to that one, whatever
    # the queue's selection became meanwhile.
    def _confirm(self, leader: StoredAlert, text: str, on_yes: Callable[[], None]) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Confirmation – alerte n° {pk}").format(pk=leader.pk),
            alert_summary(leader) + "\n\n" + text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.buttonClicked.connect(
            lambda button: (
                on_yes() if box.standardButton(button) is QMessageBox.StandardButton.Yes else None
            )
        )
        self.question = box
        hold_while_open(self._model, box)
        box.open()

    def _ask_reason(self, leader: StoredAlert, text: str, on_reason: Callable[[str], None]) -> None:
        self.question = ask_reason(
            self._window,
            self.tr("Reprise de l'alerte n° {pk}").format(pk=leader.pk),
            alert_summary(leader) + "\n\n" + text,
            on_reason,
            lambda: self.message.emit(self.tr("Reprise annulée : un motif est obligatoire.")),
        )
        hold_while_open(self._model, self.question)

    def _pick_unit(
        self, leader: StoredAlert, units: list[Unit], then: Callable[[Unit], None]
    ) -> None:
        if len(units) == 1:
            then(units[0])
            return
        dialog = QInputDialog(self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr("Quelle unité ? – alerte n° {pk}").format(pk=leader.pk))
        dialog.setLabelText(alert_summary(leader) + "\n\n" + self.tr("Unité sur place :"))
        dialog.setComboBoxItems([u.name for u in units])
        dialog.textValueSelected.connect(
            lambda name: then(next(u for u in units if u.name == name))
        )
        self.question = dialog
        hold_while_open(self._model, dialog)
        dialog.open()
