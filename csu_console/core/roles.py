"""Roles of the local accounts and what each may do (Qt-free permission table).

Separation of duties, as the CNIL expects of a video-protection centre: the
operators handle alerts and watch cameras; the supervisor also exports and checks
the logbook; the installer sets the site up (and sees the cameras he aims); the
administrator manages accounts and the retention of personal data, and neither
handles alerts nor watches video.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from csu_console.errors import UserFacingError


class Role(StrEnum):
    """A local account's role (stored as the ASCII value)."""

    OPERATEUR = "operateur"
    SUPERVISEUR = "superviseur"
    INSTALLATEUR = "installateur"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.OPERATEUR: "Opérateur",
    Role.SUPERVISEUR: "Superviseur",
    Role.INSTALLATEUR: "Installateur",
    Role.ADMIN: "Administrateur",
}


class Permission(StrEnum):
    """Something a role may be allowed to do."""

    HANDLE_ALERTS = "handle_alerts"  # acknowledge, take over, close
    DISPATCH = "dispatch"  # engage units, on site, end of intervention
    SET_UNIT_STATUS = "set_unit_status"
    MUTE_ALARM = "mute_alarm"
    VIEW_CAMERAS = "view_cameras"
    TAKE_SNAPSHOT = "take_snapshot"
    WRITE_LOGBOOK = "write_logbook"  # notes and corrections
    MANAGE_SHIFT = "manage_shift"  # open and close a shift
    READ_LOGBOOK = "read_logbook"
    EXPORT = "export"
    VERIFY_LOGBOOK = "verify_logbook"
    VIEW_STATIONS = "view_stations"  # the room's stations: who, where, what they look at
    EDIT_SITE = "edit_site"  # cameras, zones, gateway, units
    EDIT_PRIVACY = "edit_privacy"  # retention periods, lockout settings
    MANAGE_USERS = "manage_users"
    PURGE = "purge"
    LEGAL_HOLD = "legal_hold"  # put a record under a judicial requisition, release it
    ACCESS_REGISTER = "access_register"  # who viewed which camera, exported, reviewed
    VIEW_RECORDINGS = "view_recordings"  # replay what the cameras recorded
    EXTRACT_VIDEO = "extract_video"  # extraction on requisition (and its register)
    WEAK_SIGNALS = "weak_signals"  # the « Signaux faibles » screen: suivi / sans suite
    CREATE_ALERT = "create_alert"  # « Nouvelle alerte ici » from a phone call
    MANAGE_UNITS = "manage_units"  # add and remove units
    EDIT_SETTINGS = "edit_settings"  # alarm, priorities, grouping, shifts, theme in the GUI
    BACKUP = "backup"  # back up and restore the station's data


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.HANDLE_ALERTS: "traiter les alertes",
    Permission.DISPATCH: "engager les unités",
    Permission.SET_UNIT_STATUS: "changer la disponibilité des unités",
    Permission.MUTE_ALARM: "mettre l'alarme en sourdine",
    Permission.VIEW_CAMERAS: "visionner les caméras",
    Permission.TAKE_SNAPSHOT: "capturer une image",
    Permission.WRITE_LOGBOOK: "écrire dans la main courante",
    Permission.MANAGE_SHIFT: "ouvrir ou clôturer une vacation",
    Permission.READ_LOGBOOK: "consulter la main courante",
    Permission.EXPORT: "exporter les enregistrements",
    Permission.VERIFY_LOGBOOK: "vérifier l'intégrité de la main courante",
    Permission.VIEW_STATIONS: "voir les postes de la salle",
    Permission.EDIT_SITE: "modifier la configuration du site",
    Permission.EDIT_PRIVACY: "modifier les durées de conservation et la sécurité des comptes",
    Permission.MANAGE_USERS: "gérer les comptes",
    Permission.PURGE: "purger les données personnelles",
    Permission.LEGAL_HOLD: "placer ou lever une réquisition judiciaire",
    Permission.ACCESS_REGISTER: "consulter le registre des accès",
    Permission.VIEW_RECORDINGS: "visionner les enregistrements",
    Permission.EXTRACT_VIDEO: "extraire des enregistrements sur réquisition",
    Permission.WEAK_SIGNALS: "examiner les signaux faibles",
    Permission.CREATE_ALERT: "créer une alerte",
    Permission.MANAGE_UNITS: "ajouter ou retirer des unités",
    Permission.EDIT_SETTINGS: "modifier les réglages du site",
    Permission.BACKUP: "sauvegarder et restaurer les données",
}

_OPERATOR = frozenset(
    {
        Permission.HANDLE_ALERTS,
        Permission.DISPATCH,
        Permission.SET_UNIT_STATUS,
        Permission.MUTE_ALARM,
        Permission.VIEW_CAMERAS,
        Permission.TAKE_SNAPSHOT,
        Permission.WRITE_LOGBOOK,
        Permission.MANAGE_SHIFT,
        Permission.READ_LOGBOOK,
        Permission.VIEW_RECORDINGS,
        Permission.EXTRACT_VIDEO,
        Permission.CREATE_ALERT,
    }
)

#: The permission table: what each role may do, nothing else.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OPERATEUR: _OPERATOR,
    Role.SUPERVISEUR: _OPERATOR
    | {
        Permission.EXPORT,
        Permission.VERIFY_LOGBOOK,
        Permission.VIEW_STATIONS,
        Permission.LEGAL_HOLD,
        Permission.ACCESS_REGISTER,
        Permission.WEAK_SIGNALS,
    },
    Role.INSTALLATEUR: frozenset({Permission.EDIT_SITE, Permission.VIEW_CAMERAS}),
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.EDIT_PRIVACY,
            Permission.PURGE,
            Permission.READ_LOGBOOK,
            Permission.VERIFY_LOGBOOK,
            Permission.EXPORT,
            Permission.VIEW_STATIONS,
            Permission.LEGAL_HOLD,
            Permission.ACCESS_REGISTER,
            Permission.MANAGE_UNITS,
            Permission.EDIT_SETTINGS,
            Permission.BACKUP,
            Permission.SET_UNIT_STATUS,
        }
    ),
}


_DE_VOWEL = re.compile(r"\bpas de ([aeiouyàâéèêëîïôûAEIOUYÉÈÊÀ])")


def elide(text: str) -> str:
    """« ne permet pas de ajouter » → « ne permet pas d'ajouter » (French elision)."""
    return _DE_VOWEL.sub(r"pas d'\1", text)


class PermissionDenied(UserFacingError):
    """A role asked for something the permission table does not grant it."""

    def __init__(self, role: Role, permission: Permission) -> None:
        super().__init__(
            elide(
                f"Action refusée : le rôle « {ROLE_LABELS[role]} » ne permet pas de "
                f"{PERMISSION_LABELS[permission]}."
            )
        )
        self.role = role
        self.permission = permission


def allowed(role: Role, permission: Permission) -> bool:
    """True when ``role`` may do ``permission``."""
    return permission in PERMISSIONS[role]


def require(role: Role, permission: Permission) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may do ``permission``."""
    if not allowed(role, permission):
        raise PermissionDenied(role, permission)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def parse_role(text: str) -> Role:
    """A role from what a person typed (``opérateur``, ``Superviseur``, ``admin``…)."""
    key = _ascii(text.strip())
    aliases = {"administrateur": Role.ADMIN, "operator": Role.OPERATEUR}
    if key in aliases:
        return aliases[key]
    try:
        return Role(key)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise UserFacingError(f"Rôle inconnu « {text} » : {names} attendu.") from None
