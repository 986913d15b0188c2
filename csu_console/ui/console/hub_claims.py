"""The hub's claims on screen (``docs/protocol.md`` § 9.1–9.3).

The receiving process has already stored them (``sync``, ``claim``, an alert's own
claim, a refused ``status_result``) when the GUI hears of them: it delivers a
:class:`~csu_console.core.hub_protocol.ClaimsApplied` with the rows as they now
stand. Here the queue shows them, the alarm stops ringing for what is handled, and
a refused status names the holder at once, so that the operator's next F2 is a
takeover asking for a reason (``core.states.decide`` sees the holder).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import ClaimsApplied
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel

log = logging.getLogger("csu.ui")


class HubClaims(QObject):
    """Applies the hub's stored claims to the queue and the alarm."""

    message = Signal(str)  # French, for the status bar

    def __init__(
        self, model: AlertTableModel, alarm: AlarmController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._alarm = alarm

    @Slot(object)
    def on_hub_message(self, message: object) -> None:
        """A hub message; only :class:`ClaimsApplied` concerns the claims."""
        if not isinstance(message, ClaimsApplied):
            return
        for stored in message.stored:
            self._model.apply_stored(stored)
            if stored.state is not AlertState.NEW:
                self._alarm.acknowledged(self._model.group_key(stored), [stored])
        refused = message.refused
        if refused is None:
            return
        claim = refused.claim
        if claim is None:
            self.message.emit(
                self.tr("Action refusée par le serveur d'alertes : {message}").format(
                    message=refused.message or "?"
                )
            )
            return
        item = self._model.by_key(claim.key)
        holder = f"{claim.station} – {claim.operator}" if claim.operator else claim.station
        log.info("statut %s refusé : alerte tenue par %s", refused.sid, holder)
        self.message.emit(
            self.tr(
                "Alerte n° {pk} déjà prise par {holder} : F2 pour la reprendre (motif demandé)."
            ).format(pk=item.pk if item is not None else claim.id, holder=holder)
        )
