"""Phone calls: the address search on the map and « Nouvelle alerte ici ».

:class:`PhoneCalls` opens the form (:mod:`.phone_dialog`) for the place the map's
search or right click gives, checks ``Permission.CREATE_ALERT`` when the form opens
and again when it is submitted (a handover may have happened meanwhile), stores the
alert as a received alert with its ``alert_created`` event
(:func:`csu_console.storage.phone_alerts.store_phone_alert`), then hands the
outcomes to the console's receivers like the link's alerts (queue, ranking, alarm,
wall, map) and selects it.

Stored here first (it rings and is logged even with the hub away), the alert is then
offered to the hub (:mod:`csu_console.core.alert_share`, § 9.10, durable in the
outbox until answered): every station of the CSU gets it in its queue, without the
caller's name and number, which stay here. With a plain gateway it stays here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from csu_console.core.alert_share import AlertShare
from csu_console.core.alerts import Category
from csu_console.core.intake import Outcome
from csu_console.core.phone_alert import CallProblem, PhoneCall, created_details, phone_alert
from csu_console.core.roles import Permission
from csu_console.errors import DiskFullError, StorageError
from csu_console.storage.phone_alerts import store_phone_alert
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.phone_dialog import PhoneAlertDialog
from csu_console.ui.map.address_search import Place

log = logging.getLogger("csu.ui")


class PhoneCalls(QObject):
    """« Nouvelle alerte ici »: the form, the permission, the storage, the hand-over.

    ``created(pk)`` once the alert is stored and handed to the receivers.
    """

    message = Signal(str)  # French, for the status bar
    created = Signal(int)

    def __init__(
        self,
        ctx: StationContext,
        priorities: Mapping[Category, int],
        personal_days: int,
        deliver: Callable[[list[Outcome]], None],
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._priorities = priorities
        self._personal_days = personal_days
        self._deliver = deliver
        self._window = window
        self.dialog: PhoneAlertDialog | None = None

    def open_form(self, place: Place) -> PhoneAlertDialog | None:
        """Open the form at ``place`` (None, and a message, when the role may not)."""
        if not self._ctx.session.allowed(Permission.CREATE_ALERT):
            self.message.emit(self._ctx.session.refusal(Permission.CREATE_ALERT))
            return None
        if self.dialog is not None and self.dialog.isVisible():
            if not self.dialog.typed():
                self.dialog.close()
            else:  # a call under way: never lose it for a second click on the map
                self.dialog.raise_()
                self.dialog.activateWindow()
                self.message.emit(self.tr("Une alerte d'appel est déjà en cours de saisie."))
                return self.dialog
        dialog = self.dialog = PhoneAlertDialog(
            place, self._priorities, self._personal_days, self._window
        )
        dialog.submitted.connect(lambda call: self.submit(dialog, call))
        dialog.show()
        dialog.raise_()
        # Once the search popup that asked for it has given the focus back (to the
        # console): the operator types the call into the form, not into the queue.
        QTimer.singleShot(0, dialog, dialog.activateWindow)
        QTimer.singleShot(50, dialog, dialog.activateWindow)
        return dialog

    def submit(self, dialog: PhoneAlertDialog, call: PhoneCall) -> None:
        """Store the call's alert; the form closes once it is stored."""
        if not self._ctx.session.allowed(Permission.CREATE_ALERT):
            refusal = self._ctx.session.refusal(Permission.CREATE_ALERT)
            dialog.show_problems([refusal])
            self.message.emit(refusal)
            return
        station, operator = self._ctx.station, self._ctx.operator
        try:
            alert = phone_alert(call, station, datetime.now(UTC))
        except CallProblem as exc:
            dialog.show_problems([str(exc)])
            return
        details = created_details(alert, call)
        self._ctx.tasks.run(
            lambda s: store_phone_alert(s, alert, station, operator, details),
            lambda outcomes: self._on_stored(dialog, outcomes),
            lambda exc: self._on_failed(dialog, exc),
        )

    def _on_stored(self, dialog: PhoneAlertDialog, outcomes: list[Outcome]) -> None:
        stored = outcomes[0].stored
        assert stored is not None
        log.info(
            "alerte d'appel n° %d créée par %s (%s, P%d)",
            stored.pk, self._ctx.operator, stored.alert.category.value, stored.alert.priority,
        )  # fmt: skip
        dialog.accept()
        self._deliver(outcomes)
        if self._ctx.hub is not None:  # every station of the CSU gets it (§ 9.10)
            self._ctx.hub.send_alert_share(AlertShare.of(stored.alert))
        self.message.emit(
            self.tr("Alerte n° {pk} créée (appel téléphonique).").format(pk=stored.pk)
        )
        self.created.emit(stored.pk)

    def _on_failed(self, dialog: PhoneAlertDialog, exc: BaseException) -> None:
        """Not stored: the form stays open with what was typed, and says why."""
        if not isinstance(exc, StorageError):
            log.error("alerte d'appel non enregistrée (bogue)", exc_info=exc)
        if isinstance(exc, DiskFullError):
            text = self.tr("Disque plein : alerte non enregistrée, réessayez.")
        else:
            text = self.tr("Alerte non enregistrée : {e}").format(e=str(exc))
        dialog.show_problems([text])
        self.message.emit(text)
