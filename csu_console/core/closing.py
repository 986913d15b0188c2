"""Closing an alert no unit handled, and reopening a closed one (Qt-free).

An alert closed after an intervention has its outcome already (« Fin
d'intervention », :class:`~csu_console.core.dispatch.Outcome`). One closed
without any unit — unread, a duplicate, passed on to the 17 — must say why: a
:class:`Qualification`, written into the ``closed`` event's details and counted
by the review among the outcomes. There is no default qualification: the
operator chooses one, and « Autre » needs a comment.

A closed alert can be reopened with a reason
(:func:`~csu_console.core.states.plan_reopen`).
"""

from __future__ import annotations

from enum import StrEnum

from csu_console.core.alerts import AlertState
from csu_console.core.logbook import LogbookError, clean_text


class Qualification(StrEnum):
    """Why an alert that no unit handled was closed."""

    DOUBLON = "doublon"
    FAUSSE_ALERTE = "fausse_alerte"
    RIEN_CONSTATE = "rien_constate"
    HORS_COMPETENCE = "hors_competence"
    TRANSMIS_17 = "transmis_17"
    TRANSMIS_18 = "transmis_18"
    TRANSMIS_15 = "transmis_15"
    AUTRE = "autre"


#: French labels, in the order the closing dialog lists them. « Fausse alerte »
#: and « Autre » are the same words as the interventions' outcomes on purpose:
#: the review counts them together.
QUALIFICATION_LABELS: dict[Qualification, str] = {
    Qualification.DOUBLON: "Doublon",
    Qualification.FAUSSE_ALERTE: "Fausse alerte",
    Qualification.RIEN_CONSTATE: "Rien constaté",
    Qualification.HORS_COMPETENCE: "Hors compétence",
    Qualification.TRANSMIS_17: "Transmis au 17 (police)",
    Qualification.TRANSMIS_18: "Transmis au 18 (pompiers)",
    Qualification.TRANSMIS_15: "Transmis au 15 (SAMU)",
    Qualification.AUTRE: "Autre",
}

#: Detail key of the ``closed`` event that holds the qualification.
QUALIFICATION_KEY = "qualification"


def needs_qualification(state: AlertState) -> bool:
    """True for an alert no unit handled (never engaged): closing it asks why.

    An engaged alert can only be closed once its last unit ended its intervention
    (with an outcome), so « engagée » is exactly « handled by a unit ».
    """
    return state in (AlertState.NEW, AlertState.ACKNOWLEDGED)


def closing_details(qualification: Qualification | None, comment: str = "") -> dict[str, str]:
    """The ``closed`` event's extra details; :class:`LogbookError` when incomplete."""
    if qualification is None:
        raise LogbookError("Choisissez une qualification pour clôturer cette alerte.")
    text = clean_text(comment)
    if qualification is Qualification.AUTRE and not text:
        raise LogbookError("« Autre » : un commentaire est obligatoire.")
    details = {QUALIFICATION_KEY: qualification.value}
    if text:
        details["comment"] = text
    return details
