"""The team on screen: what the hub shares besides claims (protocol § 9).

- **Units** (§ 9.4): the hub's records lay over this station's own fold of its
  logbook (the newest wins), so a unit engaged at another station shows engaged
  here, and engaging it asks first (« PM-1 est engagée par poste-2 – Martin… »).
  This station's own unit changes are sent as ``unit`` requests; a refusal (a
  race: the hub knew better) asks again, then sends with ``confirm``.
- **Presence** (§ 9.5): sent at login, logout and handover, and when the selected
  alert changes (debounced); other stations' marks in the queue, and the station
  list (F10) for the chef de salle.
- **Escalation** (§ 9.6): this station's escalations are sent; another station's
  rings the escalation tone where a supervisor is logged in, once per ``eid``.
- **Health** (§ 9.7) and the hub's name (``welcome``) next to the link state.

Claims (``claim``, ``status_result``, ``sync.claims``) are ui/console/hub_claims.py's.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from csu_console.core.alerts import StoredAlert
from csu_console.core.dispatch import UnitState, UnitStatus
from csu_console.core.hub_protocol import (
    AlertKey,
    Escalation,
    EscalationRaised,
    HubHealth,
    PresenceChanged,
    PresenceRecord,
    PresenceReport,
    Sync,
    UnitChanged,
    UnitRecord,
    UnitRequest,
    UnitResult,
    Welcome,
)
from csu_console.core.roles import Role
from csu_console.core.team import TeamBook, hub_role, merged_unit_states
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.dispatch_dialog import alert_summary
from csu_console.ui.console.dispatch_ops import DispatchOperations
from csu_console.ui.console.stations import StationListDialog
from csu_console.ui.theme import pt

log = logging.getLogger("csu.ui")

#: The selected alert is reported once the operator has stayed on it this long
#: (arrowing down the queue sends one presence, not one per row).
PRESENCE_DEBOUNCE_MS = 400
#: The tone another station's escalation rings at a supervisor's station.
ESCALATION_TONE = "escalation"


class TeamController(QObject):
    """Hub messages about the team → the console; the console's news → the hub."""

    message = Signal(str)  # French, for the status bar
    hub_changed = Signal(str)  # the hub's name ("" : none)
    health_changed = Signal(str, str, object)  # state, detail, since
    stations_changed = Signal()
    escalation_received = Signal(object)  # Escalation, rung or not (tests, notices)
    alert_requested = Signal(int)  # « Afficher l'alerte » of an escalation notice

    def __init__(
        self,
        ctx: StationContext,
        model: AlertTableModel,
        dispatch: DispatchOperations,
        alarm: AlarmController,
        tz: ZoneInfo,
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx, self._model, self._dispatch, self._alarm = ctx, model, dispatch, alarm
        self._tz, self._window = tz, window
        self.book = TeamBook(ctx.station)
        self._viewing: AlertKey | None = None
        self._sent_presence: PresenceReport | None = None
        self._pending: dict[str, UnitRequest] = {}  # uid -> request awaiting its result
        self.question: QMessageBox | None = None
        self.notice: QMessageBox | None = None
        self.stations_dialog: StationListDialog | None = None
        self._presence_timer = QTimer(self)
        self._presence_timer.setSingleShot(True)
        self._presence_timer.setInterval(PRESENCE_DEBOUNCE_MS)
        self._presence_timer.timeout.connect(self.send_presence)
        dispatch.overlay = self._overlay
        dispatch.local_units_changed.connect(self._on_local_units)
        alarm.escalated.connect(self._on_escalated_here)
        model.alerts_added.connect(self._on_alerts_added)
        ctx.session.changed.connect(self._on_session_changed)

    # -- from the hub -----------------------------------------------------------------

    @Slot(object)
    def on_hub_message(self, message: object) -> None:
        """One hub message (claims are someone else's: ignored here)."""
        if isinstance(message, Welcome):
            self.book.hub = message.hub
            self.hub_changed.emit(message.hub)
            self._sent_presence = None  # a new connection: say who is here again
            self.send_presence()
        elif isinstance(message, Sync):
            self._on_sync(message)
        elif isinstance(message, UnitChanged):
            if self.book.apply_unit(message.unit):
                self._dispatch.show_units()
        elif isinstance(message, UnitResult):
            self._on_unit_result(message)
        elif isinstance(message, PresenceChanged):
            self._apply_presence(message.presence)
            self.stations_changed.emit()
        elif isinstance(message, EscalationRaised):
            self._on_escalation(message.escalation)
        elif isinstance(message, HubHealth):
            self._on_health(message)

    def _on_sync(self, sync: Sync) -> None:
        self.book.replace_units(sync.units)
        for station in self.book.replace_presence(sync.presence):
            self._model.set_viewing(station, "", None)
        for record in sync.presence:
            self._apply_presence(record)
        self._dispatch.show_units()
        self.stations_changed.emit()
        self._resend_newer()

    def _resend_newer(self) -> None:
        """After a ``sync``: this station's unit changes the hub has not heard of (made
        while the link was down, or before this hub) are sent again. Only those newer
        than the hub's record: an older word never overrides another station's."""
        for uid, state in self._dispatch.local_states.items():
            if state.since is None:
                continue  # never changed here
            known = self.book.units.get(uid)
            if known is not None and known.at >= state.since:
                continue
            if known is None and state.status is UnitStatus.DISPONIBLE:
                continue  # free, and nobody says otherwise: nothing to tell
            # The operator decided already (and was asked then, when it was busy).
            self.send_unit(self._record_of(uid, state), confirm=True)

    def _apply_presence(self, record: PresenceRecord) -> None:
        view = self.book.apply_presence(record)
        if view.presence is record:
            self._model.set_viewing(
                record.station, record.operator, self.book.others_viewing(record)
            )

    def _on_health(self, message: HubHealth) -> None:
        if not self.book.set_health(message.state, message.detail, message.since):
            return
        self.health_changed.emit(message.state, message.detail, message.since)
        if message.state == "ok":
            log.info("serveur d'alertes : rétabli")
        else:
            log.warning("serveur d'alertes dégradé : %s", message.detail)

    @Slot(object)
    def on_link_status_changed(self, status: LinkStatus) -> None:
        """The connection ended: the hub's health, name and marks say nothing now."""
        if status.phase is LinkPhase.CONNECTED:
            return
        if self.book.hub or self.book.health.degraded:
            self.book.connection_ended()
            self.hub_changed.emit("")
            self.health_changed.emit("ok", "", None)
        for view in self.book.stations():
            self._model.set_viewing(view.station, "", None)
        self.stations_changed.emit()

    # -- units ------------------------------------------------------------------------

    def _pk_of(self, key: AlertKey) -> int | None:
        item = self._model.by_key(key)
        return None if item is None else self._model.leader_pk(item.pk)

    def _overlay(self, local: dict[str, UnitState]) -> dict[str, UnitState]:
        return merged_unit_states(local, self.book.units, self._ctx.station, self._pk_of)

    def _on_alerts_added(self, _alerts: list[StoredAlert]) -> None:
        """A unit engaged elsewhere on an alert that had not reached this station:
        now it has, the unit shows its number."""
        states = self._dispatch.states
        if any(st.alert_key is not None and st.alert_pk is None for st in states.values()):
            self._dispatch.show_units()

    def _alert_key(self, pk: int | None) -> AlertKey | None:
        if pk is None:
            return None
        item = self._model.alert_by_pk(pk) or self._model.book.member(pk)
        return None if item is None else item.alert.key

    def _on_local_units(self, before: dict[str, UnitState], after: dict[str, UnitState]) -> None:
        """This station changed units (its own logbook): tell the hub, one request each."""
        for uid, state in after.items():
            if before.get(uid) == state:
                continue
            confirm = uid in self._dispatch.confirmed_units
            self._dispatch.confirmed_units.discard(uid)
            self.send_unit(self._record_of(uid, state), confirm=confirm)

    def _record_of(self, uid: str, state: UnitState) -> UnitRecord:
        """This station's own status of a unit, as the hub records it."""
        engaged = state.status is UnitStatus.EN_INTERVENTION
        return UnitRecord(
            unit=uid,
            status=state.status,
            station=self._ctx.station,
            operator=self._ctx.operator,
            at=state.since or datetime.now(UTC),
            alert=self._alert_key(state.alert_pk) if engaged else None,
            stage=state.stage if engaged else None,
            comment=state.comment,
        )

    def send_unit(self, record: UnitRecord, *, confirm: bool = False) -> None:
        """Send one unit change to the hub (nothing without a hub)."""
        hub = self._ctx.hub
        if hub is None:
            return
        uid = f"{self._ctx.station}:{uuid.uuid4().hex}"
        request = UnitRequest(uid, replace(record, uid=uid), confirm)
        self._pending[uid] = request
        hub.send_unit(request)

    def _on_unit_result(self, result: UnitResult) -> None:
        request = self._pending.pop(result.uid, None)
        if result.applied:
            if result.unit is not None and self.book.apply_unit(result.unit):
                self._dispatch.show_units()
            return
        if result.unit is not None:
            self._force(result.unit)
        if request is None:
            return
        record = request.record
        text = result.message or self.tr("Le serveur a refusé ce changement d'unité.")
        engaging = record.status is UnitStatus.EN_INTERVENTION and not request.confirm
        if not engaging:
            self.message.emit(text)
            return
        # A race: another station engaged it meanwhile. Ask, then insist (confirm).
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unité déjà engagée – {unit}").format(unit=record.unit),
            text + "\n\n" + self.tr("L'engager quand même ?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._window,
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.buttonClicked.connect(
            lambda button: self._on_insist(record, box.standardButton(button))
        )
        self.question = box
        box.open()

    def _on_insist(self, record: UnitRecord, answer: QMessageBox.StandardButton) -> None:
        if answer is QMessageBox.StandardButton.Yes:
            self.send_unit(replace(record, at=datetime.now(UTC)), confirm=True)
        else:
            self.message.emit(
                self.tr("{unit} reste engagée ailleurs, selon le serveur.").format(unit=record.unit)
            )

    def _force(self, record: UnitRecord) -> None:
        """The hub's word on a request of ours is final, even older than our fold."""
        mine = self._dispatch.local_states.get(record.unit)
        at = record.at
        if mine is not None and mine.since is not None and mine.since >= at:
            at = mine.since + timedelta(milliseconds=1)
        self.book.apply_unit(replace(record, at=at), force=True)
        self._dispatch.show_units()

    # -- presence ---------------------------------------------------------------------

    @Slot(object)
    def on_alert_selected(self, item: StoredAlert | None) -> None:
        """The operator looks at another alert: said once they stay on it a moment."""
        self._viewing = item.alert.key if item is not None else None
        self._presence_timer.start()

    def _on_session_changed(self, _account: object = None) -> None:
        self.send_presence()  # at once: login, logout, handover

    @Slot()
    def send_presence(self) -> None:
        """Say who is here, with which role, looking at what (not twice the same)."""
        self._presence_timer.stop()
        hub = self._ctx.hub
        if hub is None:
            return
        operator = self._ctx.operator
        report = PresenceReport(
            operator, hub_role(self._ctx.role), self._viewing if operator else None
        )
        if report == self._sent_presence:
            return
        self._sent_presence = report
        hub.send_presence(report)

    def open_stations(self) -> None:
        """F10: the room's stations (who, where, since when, looking at what)."""
        if self.stations_dialog is None:
            dialog = StationListDialog(self._ctx.station, self._tz, self._name_alert, self._window)
            self.stations_changed.connect(self._refresh_stations)
            self.stations_dialog = dialog
        self._refresh_stations()
        self.stations_dialog.show()
        self.stations_dialog.raise_()

    def _refresh_stations(self) -> None:
        if self.stations_dialog is not None:
            self.stations_dialog.show_stations(self.book.stations(), self.book.hub)

    def _name_alert(self, key: AlertKey) -> str | None:
        item = self._model.by_key(key)
        return None if item is None else alert_summary(item)

    # -- escalation -------------------------------------------------------------------

    def _on_escalated_here(self, pk: int) -> None:
        """Our alarm escalated an urgent alert: every station hears of it."""
        hub = self._ctx.hub
        item = self._model.alert_by_pk(pk) or self._model.book.member(pk)
        if hub is None or item is None:
            return
        eid = f"{self._ctx.station}:{uuid.uuid4().hex}"
        self.book.first_escalation(eid)  # its echo rings nothing here
        a = item.alert
        hub.send_escalation(
            Escalation(
                eid, a.source, a.id, self._ctx.station, self._ctx.operator, datetime.now(UTC)
            )
        )

    def _on_escalation(self, esc: Escalation) -> None:
        if not self.book.first_escalation(esc.eid) or esc.station == self._ctx.station:
            return
        self.escalation_received.emit(esc)
        item = self._model.by_key((esc.source, esc.id))
        if item is not None:
            leader = self._model.leader_pk(item.pk)
            if self._model.is_escalated(leader):
                return  # our own alarm escalated it already (and rang)
            self._model.mark_escalated(leader)
        if self._ctx.role is not Role.SUPERVISEUR:
            return
        self._alarm.ring_once(ESCALATION_TONE)
        self._show_escalation(esc, item)

    def _show_escalation(self, esc: Escalation, item: StoredAlert | None) -> None:
        what = alert_summary(item) if item is not None else esc.id
        who = f"{esc.station} – {esc.operator}" if esc.operator else esc.station
        at = esc.at.astimezone(self._tz).strftime("%H:%M:%S")
        text = self.tr(
            "Alerte urgente restée sans réponse, escaladée par {who} à {t} :\n{what}"
        ).format(who=who, t=at, what=what)
        self.message.emit(text.replace("\n", " "))
        if self.notice is not None:
            self.notice.close()
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Escalade – chef de salle"), text, parent=self._window
        )
        box.setWindowModality(Qt.WindowModality.NonModal)  # the alerts keep coming
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the title is the citizen's text
        box.setStyleSheet(f"QLabel {{ font-size: {pt(14)}pt; font-weight: bold; }}")
        if item is not None:
            pk = self._model.leader_pk(item.pk)
            show = box.addButton(self.tr("Afficher l'alerte"), QMessageBox.ButtonRole.AcceptRole)
            show.clicked.connect(lambda: self.alert_requested.emit(pk))
        box.addButton(QMessageBox.StandardButton.Close)
        box.destroyed.connect(lambda _o=None, b=box: self._notice_gone(b))
        self.notice = box
        box.show()

    def _notice_gone(self, box: QMessageBox) -> None:
        if self.notice is box:
            self.notice = None
