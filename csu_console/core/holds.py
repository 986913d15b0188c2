"""Legal hold: a record put under a judicial requisition (Qt-free rules).

A police officer or a magistrate asks the CSU, by a requisition, to keep an
alert, a snapshot or a video extraction. Until the hold is released, the purge
(:mod:`csu_console.core.retention`) leaves that record alone. Holding and
releasing are events of the main courante (``legal_hold``,
``legal_hold_released``) that carry the requisition's reference, so the book says
who kept what, for which procedure, and when it was let go.

The table (``legal_holds``, migration 7) is in :mod:`csu_console.storage.holds`;
a hold is *active* while its ``released_at`` is NULL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from csu_console.errors import UserFacingError

#: Longest reference kept (a PV number and a court's name fit many times over).
MAX_REFERENCE = 200
MAX_REASON = 500


class HoldTarget(StrEnum):
    """What a hold keeps (the ``legal_holds.target`` column)."""

    ALERT = "alert"
    SNAPSHOT = "snapshot"
    EXTRACTION = "extraction"  # video extractions come with a later issue


#: French names, for messages, lists and the timeline.
TARGET_LABELS: dict[HoldTarget, str] = {
    HoldTarget.ALERT: "alerte",
    HoldTarget.SNAPSHOT: "capture d'image",
    HoldTarget.EXTRACTION: "extraction vidéo",
}


#: « de l'alerte », « de la capture d'image »… (French elision and gender).
_OF: dict[HoldTarget, str] = {
    HoldTarget.ALERT: "d'alerte",
    HoldTarget.SNAPSHOT: "de capture d'image",
    HoldTarget.EXTRACTION: "de l'extraction vidéo",
}


class HoldError(UserFacingError):
    """A hold or a release that cannot be done as asked (the text says why, in French)."""


def parse_target(text: str) -> HoldTarget:
    """A target from its stored value (``alert``, ``snapshot``, ``extraction``)."""
    try:
        return HoldTarget(text.strip().lower())
    except ValueError:
        names = ", ".join(t.value for t in HoldTarget)
        raise HoldError(f"Objet de réquisition inconnu « {text} » : {names} attendu.") from None


def clean_reference(text: str) -> str:
    """The requisition's reference, whitespace-normalised; blank or too long refused."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise HoldError(
            "La référence de la réquisition est obligatoire (par exemple "
            "« PV 2026/1234 – TJ Montbéliard »)."
        )
    if len(cleaned) > MAX_REFERENCE:
        raise HoldError(
            f"Référence de réquisition trop longue ({len(cleaned)} caractères, "
            f"{MAX_REFERENCE} au plus)."
        )
    return cleaned


def clean_release_reason(text: str) -> str:
    """Why a hold is released (mainlevée, fin de procédure…): required."""
    cleaned = " ".join(text.split())[:MAX_REASON]
    if not cleaned:
        raise HoldError(
            "Le motif de la levée est obligatoire (par exemple « mainlevée du parquet »)."
        )
    return cleaned


def clean_target_ref(target: HoldTarget, ref: str | int) -> str:
    """The target's pk or id as text; alerts and snapshots are numbered (pk)."""
    text = str(ref).strip()
    if not text:
        raise HoldError(f"Identifiant {_OF[target]} manquant.")
    if target in (HoldTarget.ALERT, HoldTarget.SNAPSHOT) and not (text.isdigit() and int(text) > 0):
        raise HoldError(f"Numéro {_OF[target]} invalide « {text} » : un nombre entier attendu.")
    return str(int(text)) if text.isdigit() else text


@dataclass(frozen=True)
class LegalHold:
    """One row of ``legal_holds``: active while ``released_at`` is None."""

    pk: int
    target: HoldTarget
    target_ref: str
    reference: str
    held_at: datetime
    held_by: str | None = None
    station: str | None = None
    released_at: datetime | None = None
    released_by: str | None = None
    release_reason: str | None = None

    @property
    def active(self) -> bool:
        """True until released."""
        return self.released_at is None

    def describe(self) -> str:
        """« alerte n° 12 » / « extraction vidéo EXT-7 »."""
        label = TARGET_LABELS[self.target]
        numbered = self.target in (HoldTarget.ALERT, HoldTarget.SNAPSHOT)
        return f"{label} n° {self.target_ref}" if numbered else f"{label} {self.target_ref}"


def hold_details(hold: LegalHold) -> dict[str, Any]:
    """Details of the ``legal_hold`` event: which hold, on what, the reference."""
    return {
        "hold": hold.pk,
        "target": hold.target.value,
        "target_ref": hold.target_ref,
        "reference": hold.reference,
    }


def release_details(hold: LegalHold) -> dict[str, Any]:
    """Details of the ``legal_hold_released`` event (the reference again, and why).

    The reason is stored under ``release_reason``, not ``reason``: it is not a
    citizen's personal data and must stay readable after the purge."""
    return {**hold_details(hold), "release_reason": hold.release_reason}
