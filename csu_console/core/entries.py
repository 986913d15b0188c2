"""Entries written by the operators in the main courante (Qt-free rules).

An entry is one :data:`~csu_console.core.logbook.EventKind.ENTRY` event, chained
like every event, whose details are ``{"type", "text"}`` and optionally
``"lat"``/``"lon"`` (a place clicked on the map), ``"place"`` (its label) and
``"camera"`` (a camera id); the alert it belongs to is the event's ``alert_pk``.
A correction is a :data:`~csu_console.core.logbook.EventKind.CORRECTION` event
whose details are ``{"corrects": <pk of the entry>, "comment": <why>, "type",
"text", …}`` (the corrected values); the original is never edited.
"""

from __future__ import annotations

from enum import StrEnum


class EntryType(StrEnum):
    """What an operator writes in the main courante (``details["type"]``)."""

    CALL = "appel"  # appel reçu
    RADIO = "radio"  # message radio
    VIDEO = "constat_video"  # constat vidéo
    PATROL = "patrouille"
    INFORMATION = "information"
    INSTRUCTION = "consigne"
    OTHER = "autre"


#: French labels, in the order the dialog offers them.
ENTRY_TYPE_LABELS: dict[EntryType, str] = {
    EntryType.CALL: "Appel reçu",
    EntryType.RADIO: "Message radio",
    EntryType.VIDEO: "Constat vidéo",
    EntryType.PATROL: "Patrouille",
    EntryType.INFORMATION: "Information",
    EntryType.INSTRUCTION: "Consigne",
    EntryType.OTHER: "Autre",
}
