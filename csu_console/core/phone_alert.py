"""An alert the operator creates from a phone call (« Nouvelle alerte ici »).

Qt-free. :func:`check_call` validates what the operator typed (every problem at once,
in French); :func:`phone_alert` turns it into an :class:`~csu_console.core.alerts.Alert`
of source ``telephone`` with a unique id, stored like any received alert (queue,
ranking, wall, main courante) by the console's own path (``raise_local_alert``).

The caller's name and phone number are optional. They are personal data: they go in
the alert's reporter field (``reporter_pseudonym``), sealed with the description by
the purge after ``personal_data_days`` like a citizen's pseudonym
(:mod:`csu_console.storage.alert_seal`, unit ``personnel``), and in the
``alert_created`` event under the personal keys ``reporter`` and ``phone``
(:data:`~csu_console.core.logbook.PERSONAL_KEYS`), sealed at the same time.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from csu_console.core.alerts import (
    PRIORITY_MAX,
    PRIORITY_MIN,
    Alert,
    Category,
    Location,
    Reporter,
)

__all__ = ["SOURCE", "CallProblem", "PhoneCall", "check_call", "created_details", "phone_alert"]

#: The source of every alert created from a call.
SOURCE = "telephone"
MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_NAME = 100
#: What a phone number may hold: digits, spaces, dots, dashes, brackets, a leading +.
_PHONE = re.compile(r"^\+?[0-9 .()\-/]+$")


class CallProblem(ValueError):
    """The call cannot become an alert as typed (the message says why, in French)."""


@dataclass(frozen=True)
class PhoneCall:
    """What the operator typed: the call's category, priority and place, and the caller."""

    category: Category
    priority: int
    title: str
    lat: float
    lon: float
    address: str = ""
    description: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    commune: str | None = None
    #: The priority is the rules' for the category (the operator did not change it).
    priority_from_rules: bool = False


def check_call(call: PhoneCall) -> list[str]:
    """Every problem of the call, in French ([] when it can be stored)."""
    problems: list[str] = []
    if not call.title.strip():
        problems.append("Le titre est obligatoire (ce que l'appelant signale).")
    elif len(call.title) > MAX_TITLE:
        problems.append(f"Titre trop long : {MAX_TITLE} caractères au plus.")
    if len(call.description) > MAX_DESCRIPTION:
        problems.append(f"Description trop longue : {MAX_DESCRIPTION} caractères au plus.")
    if not PRIORITY_MIN <= call.priority <= PRIORITY_MAX:
        problems.append(f"Priorité {call.priority} : de {PRIORITY_MIN} à {PRIORITY_MAX}.")
    if not (-90.0 <= call.lat <= 90.0 and -180.0 <= call.lon <= 180.0):
        problems.append("Lieu hors du globe : choisissez une adresse ou un point de la carte.")
    if len(call.caller_name) > MAX_NAME:
        problems.append(f"Nom de l'appelant trop long : {MAX_NAME} caractères au plus.")
    phone = call.caller_phone.strip()
    if phone:
        digits = sum(c.isdigit() for c in phone)
        if not _PHONE.match(phone):
            problems.append(
                "Téléphone de l'appelant : chiffres, espaces, points, tirets et « + » seulement."
            )
        elif not 2 <= digits <= 20:
            problems.append("Téléphone de l'appelant : de 2 à 20 chiffres.")
    return problems


def new_id(station: str, now: datetime) -> str:
    """A unique alert id: the station, the time and a random part
    (``tel-poste-1-20261205T103000Z-3fa9c1``); two calls in one second still differ."""
    return f"tel-{station}-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def caller_text(call: PhoneCall) -> str | None:
    """The caller as kept in the reporter field (« Jean Dupont · 06 12 34 56 78 »)."""
    parts = [" ".join(p.split()) for p in (call.caller_name, call.caller_phone)]
    text = " · ".join(p for p in parts if p)
    return text or None


def phone_alert(call: PhoneCall, station: str, now_utc: datetime, ident: str = "") -> Alert:
    """The alert of a checked call (raises :class:`CallProblem` if it is not valid)."""
    problems = check_call(call)
    if problems:
        raise CallProblem(" ".join(problems))
    caller = caller_text(call)
    return Alert(
        source=SOURCE,
        id=ident or new_id(station, now_utc),
        sent=now_utc,
        category=call.category,
        priority=call.priority,
        title=call.title.strip(),
        description=call.description.strip(),
        location=Location(lat=call.lat, lon=call.lon, address=call.address.strip() or None),
        commune=call.commune,
        reporter=Reporter(caller) if caller else None,
        priority_from_rules=call.priority_from_rules,
        extra={"canal": "appel téléphonique", "poste": station},
    )


def created_details(alert: Alert, call: PhoneCall) -> dict[str, Any]:
    """The ``alert_created`` event's details: what was created, and the caller under
    personal keys (sealed by the purge)."""
    details: dict[str, Any] = {
        "source": alert.source,
        "alert_id": alert.id,
        "category": alert.category.value,
        "priority": alert.priority,
        "address": alert.location.address if alert.location else None,
    }
    if call.caller_name.strip():
        details["reporter"] = " ".join(call.caller_name.split())
    if call.caller_phone.strip():
        details["phone"] = " ".join(call.caller_phone.split())
    return details
