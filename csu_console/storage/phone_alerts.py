"""Storing an alert created from a phone call: as a received alert, then its creation.

The alert goes in through :meth:`~csu_console.storage.store.Store.commit_batch`, the
path of every alert (its ``received`` event carries its digest, the chain holds it),
without a sequence number: the console raised it itself, like a camera-down alert,
so no gateway acknowledgement is owed. Then the ``alert_created`` event names the
operator who took the call.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from csu_console.core.alerts import Alert
from csu_console.core.intake import Outcome
from csu_console.core.logbook import EventKind
from csu_console.core.protocol import AlertMessage
from csu_console.errors import StorageBugError
from csu_console.storage.store import Store


def store_phone_alert(
    store: Store,
    alert: Alert,
    station: str,
    operator: str,
    details: Mapping[str, Any],
    at: datetime | None = None,
) -> list[Outcome]:
    """Store the alert and its ``alert_created`` event (``at``: now by default); the
    batch's outcomes (one, ``stored``), for the console's receivers (queue, alarm,
    wall, map)."""
    outcomes = store.commit_batch([AlertMessage(None, alert)], station, at)
    stored = outcomes[0].stored if outcomes else None
    if stored is None:
        # new_id() has a random part: the same id twice is a bug, not a duplicate call.
        raise StorageBugError(f"alerte {alert.source}/{alert.id} déjà enregistrée")
    kind = EventKind.ALERT_CREATED.value
    store.add_event(kind, stored.pk, station, operator, dict(details), at=stored.received_at)
    return outcomes
