"""The main courante (logbook): which events it holds and which of their details
are citizens' personal data (Qt-free rules; the hash chain is in
:mod:`csu_console.storage.logbook`).

Every step of the work is one append-only event: UTC and local time, station,
operator, alert, and a JSON object of details. A correction is a new event
(:data:`EventKind.CORRECTION`) that points at the one it corrects, never an update.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from csu_console.errors import UserFacingError


class EventKind(StrEnum):
    """Kinds of logbook events (the ``events.kind`` column)."""

    RECEIVED = "received"
    DISPLAYED = "displayed"
    ACKNOWLEDGED = "acknowledged"
    TAKEN_OVER = "taken_over"
    CAMERA_VIEWED = "camera_viewed"
    SNAPSHOT = "snapshot"
    CAMERA_ONLINE = "camera_online"  # a camera reported down is back
    DISPATCHED = "dispatched"
    ON_SITE = "on_site"
    DISPATCH_ENDED = "dispatch_ended"
    CLOSED = "closed"
    REOPENED = "reopened"  # a closed alert reopened, with a reason
    MUTED = "muted"
    UNMUTED = "unmuted"  # sound back before the end of a mute
    ESCALATED = "escalated"
    UPDATE_RECEIVED = "update_received"
    UPDATE_IGNORED = "update_ignored"
    UNIT_AVAILABLE = "unit_available"
    UNIT_UNAVAILABLE = "unit_unavailable"
    NOTE = "note"
    CORRECTION = "correction"
    OPERATOR_STARTED = "operator_started"
    LOGIN = "login"
    LOGOUT = "logout"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    USER_ADDED = "user_added"
    USER_DISABLED = "user_disabled"
    PASSWORD_CHANGED = "password_changed"
    CONFIG_CHANGED = "config_changed"
    SHIFT_OPENED = "shift_opened"
    SHIFT_CLOSED = "shift_closed"
    PURGED = "purged"
    CHAIN_STARTED = "chain_started"
    EXPORT = "export"  # records exported (CSV, PDF report): who, why, what
    CONSOLE_STOPPED = "console_stopped"  # quit from the console: who, why, what was open
    ENTRY = "entry"  # written by an operator: type, text, alert, place, camera (issue 16)
    LEGAL_HOLD = "legal_hold"  # a record put under a judicial requisition
    LEGAL_HOLD_RELEASED = "legal_hold_released"
    REVIEW_OPENED = "review_opened"  # the review (or the access register) was opened
    # A partner's CAP messages (issue 17): each names its raw document's SHA-256.
    CAP_UPDATED = "cap_updated"  # an Update replaced the alert's content (new digest)
    CAP_CANCELLED = "cap_cancelled"  # a Cancel: « annulée par l'émetteur »
    CAP_PENDING = "cap_pending"  # an Update/Cancel kept until its original comes
    CAP_LOGGED = "cap_logged"  # an Ack, Error, Test or System message (partners' log)
    EXPIRED = "expired"  # past its CAP ``expires``: « expirée », rings no more
    # Recorded video (issue 18).
    RECORDING_VIEWED = "recording_viewed"  # who replayed which cameras, which period, why
    EXTRACTION = "extraction"  # files written for a requisition: cameras, period, SHA-256
    EXTRACTION_FAILED = "extraction_failed"  # an extraction that could not be completed
    # Weak signals and assisted triage (issue 19).
    SIGNAL_DETECTED = "signal_detected"  # a new weak signal (told to the chef de salle)
    SIGNAL_FOLLOWED = "signal_followed"  # a supervisor marked a signal « suivi »
    SIGNAL_DISMISSED = "signal_dismissed"  # … or « sans suite »
    TRIAGE_ACCEPTED = "triage_accepted"  # an operator accepted a triage suggestion
    TRIAGE_REFUSED = "triage_refused"  # … or refused it (nothing else changed)
    PRIORITY_CHANGED = "priority_changed"  # an alert's priority changed by a person
    GROUP_MERGED = "group_merged"  # reports merged into one group (every station)
    GROUP_SPLIT = "group_split"  # reports taken out of their group
    # Round the clock (issue 20).
    ALERT_CREATED = "alert_created"  # an operator created an alert (a phone call)
    TOUR_STARTED = "tour_started"  # a tour of cameras started (its viewing reason)
    TOUR_ENDED = "tour_ended"
    LAYOUT_SAVED = "layout_saved"  # a wall layout saved at this station
    USER_ENABLED = "user_enabled"
    USER_ROLE_CHANGED = "user_role_changed"
    PASSWORD_RESET = "password_reset"  # by an administrator (not by the user)
    UNIT_ADDED = "unit_added"
    UNIT_REMOVED = "unit_removed"
    SETTINGS_CHANGED = "settings_changed"  # site settings changed in the GUI, with a reason
    SOUND_TESTED = "sound_tested"
    BACKUP = "backup"  # a backup written: where, what, SHA-256
    BACKUP_FAILED = "backup_failed"  # the nightly backup could not be written: why
    RESTORE = "restore"  # a backup restored into this data folder


#: French labels, for the timeline and exports.
EVENT_LABELS: dict[EventKind, str] = {
    EventKind.RECEIVED: "Alerte reçue",
    EventKind.DISPLAYED: "Alerte affichée",
    EventKind.ACKNOWLEDGED: "Prise en compte",
    EventKind.TAKEN_OVER: "Reprise",
    EventKind.CAMERA_VIEWED: "Caméra consultée",
    EventKind.SNAPSHOT: "Capture d'image",
    EventKind.CAMERA_ONLINE: "Caméra rétablie",
    EventKind.DISPATCHED: "Unité engagée",
    EventKind.ON_SITE: "Unité sur place",
    EventKind.DISPATCH_ENDED: "Intervention terminée",
    EventKind.CLOSED: "Alerte clôturée",
    EventKind.REOPENED: "Alerte rouverte",
    EventKind.MUTED: "Alarme en sourdine",
    EventKind.UNMUTED: "Son rétabli",
    EventKind.ESCALATED: "Escalade au chef de salle",
    EventKind.UPDATE_RECEIVED: "Mise à jour d'un autre poste",
    EventKind.UPDATE_IGNORED: "Mise à jour ignorée",
    EventKind.UNIT_AVAILABLE: "Unité disponible",
    EventKind.UNIT_UNAVAILABLE: "Unité indisponible",
    EventKind.NOTE: "Note",
    EventKind.CORRECTION: "Correction",
    EventKind.OPERATOR_STARTED: "Opérateur au poste",
    EventKind.LOGIN: "Connexion",
    EventKind.LOGOUT: "Déconnexion",
    EventKind.LOGIN_FAILED: "Échec de connexion",
    EventKind.ACCOUNT_LOCKED: "Compte verrouillé",
    EventKind.USER_ADDED: "Compte créé",
    EventKind.USER_DISABLED: "Compte désactivé",
    EventKind.PASSWORD_CHANGED: "Mot de passe changé",
    EventKind.CONFIG_CHANGED: "Configuration modifiée",
    EventKind.SHIFT_OPENED: "Ouverture de vacation",
    EventKind.SHIFT_CLOSED: "Clôture de vacation",
    EventKind.PURGED: "Purge RGPD",
    EventKind.CHAIN_STARTED: "Chaînage de la main courante",
    EventKind.EXPORT: "Export des enregistrements",
    EventKind.CONSOLE_STOPPED: "Arrêt de la console",
    EventKind.ENTRY: "Main courante",
    EventKind.LEGAL_HOLD: "Réquisition judiciaire : conservation",
    EventKind.LEGAL_HOLD_RELEASED: "Réquisition judiciaire : levée",
    EventKind.REVIEW_OPENED: "Consultation de la revue",
    EventKind.CAP_UPDATED: "Mise à jour de l'émetteur",
    EventKind.CAP_CANCELLED: "Annulation de l'émetteur",
    EventKind.CAP_PENDING: "Message CAP en attente de son alerte",
    EventKind.CAP_LOGGED: "Message CAP au journal des partenaires",
    EventKind.EXPIRED: "Alerte expirée",
    EventKind.RECORDING_VIEWED: "Enregistrement consulté",
    EventKind.EXTRACTION: "Extraction sur réquisition",
    EventKind.EXTRACTION_FAILED: "Extraction échouée",
    EventKind.SIGNAL_DETECTED: "Signal faible détecté",
    EventKind.SIGNAL_FOLLOWED: "Signal faible suivi",
    EventKind.SIGNAL_DISMISSED: "Signal faible classé sans suite",
    EventKind.TRIAGE_ACCEPTED: "Suggestion de tri acceptée",
    EventKind.TRIAGE_REFUSED: "Suggestion de tri refusée",
    EventKind.PRIORITY_CHANGED: "Priorité modifiée",
    EventKind.GROUP_MERGED: "Signalements regroupés",
    EventKind.GROUP_SPLIT: "Signalement détaché de son groupe",
    EventKind.ALERT_CREATED: "Alerte créée par l'opérateur",
    EventKind.TOUR_STARTED: "Ronde de caméras commencée",
    EventKind.TOUR_ENDED: "Ronde de caméras terminée",
    EventKind.LAYOUT_SAVED: "Disposition du mur enregistrée",
    EventKind.USER_ENABLED: "Compte réactivé",
    EventKind.USER_ROLE_CHANGED: "Rôle modifié",
    EventKind.PASSWORD_RESET: "Mot de passe réinitialisé",
    EventKind.UNIT_ADDED: "Unité ajoutée",
    EventKind.UNIT_REMOVED: "Unité retirée",
    EventKind.SETTINGS_CHANGED: "Réglages du site modifiés",
    EventKind.SOUND_TESTED: "Test du son",
    EventKind.BACKUP: "Sauvegarde",
    EventKind.BACKUP_FAILED: "Sauvegarde nocturne impossible",
    EventKind.RESTORE: "Restauration d'une sauvegarde",
}

#: Detail keys that may hold citizens' personal data (free text, pseudonym,
#: phone). The purge replaces their values by a salted hash after the retention
#: period; every other key stays readable for the statistics.
PERSONAL_KEYS: frozenset[str] = frozenset(
    {"comment", "reason", "note", "text", "description", "phone", "reporter", "pseudonym"}
)

#: Marker written by the purge: the list of keys whose values were replaced.
PURGED_KEY = "_purged"

MAX_TEXT = 2000  # characters kept of a free comment


class LogbookError(UserFacingError):
    """A logbook entry that cannot be written as asked (the text says why, in French)."""


@dataclass(frozen=True)
class LogEvent:
    """One stored event, as the folds of the core read it (``details`` parsed)."""

    pk: int
    kind: str
    at: datetime
    alert_pk: int | None = None
    station: str | None = None
    operator: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def clean_text(text: str, *, required: bool = False, what: str = "commentaire") -> str:
    """Whitespace-normalised free text, cut at :data:`MAX_TEXT`; blank refused if required."""
    cleaned = " ".join(text.split())[:MAX_TEXT]
    if required and not cleaned:
        raise LogbookError(f"Le {what} est obligatoire.")
    return cleaned


def correction_details(corrects: int, comment: str, **changes: Any) -> dict[str, Any]:
    """Details of a :data:`EventKind.CORRECTION`: the event corrected, why, what changes.

    ``changes`` are the corrected values (``outcome="verbalisation"``); the event
    corrected stays as it was, the timeline shows both.
    """
    if corrects <= 0:
        raise LogbookError("Événement à corriger inconnu.")
    details: dict[str, Any] = {"corrects": corrects, "comment": clean_text(comment, required=True)}
    details.update(changes)
    return details


def config_change_details(
    section: str, key: str, before: Any, after: Any, file: str = "site.toml"
) -> dict[str, Any]:
    """Details of a :data:`EventKind.CONFIG_CHANGED`: which setting, old and new value."""
    return {"file": file, "section": section, "key": key, "before": before, "after": after}


#: ``file`` of a cameras/zones change (both GeoJSON files are saved together).
GEO_FILES_LABEL = "cameras.geojson, zones.geojson"


def geo_change_details(
    version: str,
    before: Mapping[str, int],
    after: Mapping[str, int],
    **changes: Any,
) -> dict[str, Any]:
    """Details of a :data:`EventKind.CONFIG_CHANGED` for the cameras and zones.

    Same keys as :func:`config_change_details` — ``file``, ``section`` (``geo``),
    ``key`` (the action: ``save``, ``import``, ``restore``), ``before`` and ``after``
    (here the counts ``{"cameras": 9, "zones": 7}``) — plus ``version``, the id of
    the kept previous configuration (``csu-console config restore`` takes it), and
    the changes by id: ``cameras_added``, ``cameras_removed``, ``cameras_moved``
    (``{"id", "from", "to", "distance_m"}``), ``cameras_edited`` (``{"id", "fields",
    "values"}``: old and new value of each field, stream URLs named but never given),
    ``zones_added``, ``zones_removed``, ``zones_edited`` (``{"id", "fields"}``),
    ``mapping_added`` and ``mapping_removed`` (``"cam-01→secteur-gare"``). Never any
    credential.
    """
    details: dict[str, Any] = {
        "file": GEO_FILES_LABEL,
        "section": "geo",
        "key": changes.pop("action", "save"),
        "before": dict(before),
        "after": dict(after),
        "version": version,
    }
    details.update(changes)
    return details
