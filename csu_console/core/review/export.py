"""CSV of the review's alerts and what the ``export`` event records (Qt-free).

Reporters are the platform's pseudonyms: personal data. An export shows them
*pseudonymised*, ``sig-`` and 16 hex digits of an HMAC-SHA256 keyed with a secret
of this database (so the same reporter reads the same across exports, and nobody
without the database can link them back), unless the supervisor's role allows and
asks for the real value. Citizens' free text (the description) is never exported.

The CSV is French-spreadsheet shaped: ``;`` separated, local times, whole seconds.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from typing import Any, TextIO

from csu_console.core.alerts import PRIORITY_LABELS, STATE_LABELS, AlertState
from csu_console.core.logbook import clean_text
from csu_console.core.review.filter import ReviewFilter, category_label, outcome_label
from csu_console.core.review.rows import AlertRow
from csu_console.core.roles import ROLE_LABELS, Role
from csu_console.errors import UserFacingError

PSEUDONYM_PREFIX = "sig-"

CSV_HEADER = (
    "n°", "source", "identifiant", "reçue le", "catégorie", "priorité", "titre", "adresse",
    "commune", "zones", "latitude", "longitude", "état en fin de période", "prise en compte le",
    "délai de prise en compte (s)", "engagée le", "délai d'engagement (s)", "clôturée le",
    "escaladée", "issues", "opérateurs", "signalant",
)  # fmt: skip


def pseudonymise(key: bytes, value: str | None) -> str:
    """``sig-`` and 16 hex digits of HMAC-SHA256(key, value); empty for no value."""
    if not value:
        return ""
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:16]


def local_text(at: str | datetime | None, tz: tzinfo) -> str:
    """« 2025-03-31 06:12:03 » in local time; empty for None."""
    if at is None:
        return ""
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def _seconds(value: float | None) -> str:
    return "" if value is None else str(round(max(0.0, value)))


def csv_row(
    row: AlertRow,
    tz: tzinfo,
    end: str,
    key: bytes | None,
    zone_names: dict[str, str] | None = None,
) -> list[str]:
    """One alert as CSV cells (``key`` None: the reporter as stored)."""
    names = zone_names or {}
    state = row.state_at(end)
    reporter = row.reporter or ""
    return [
        str(row.pk), row.source, row.alert_id, local_text(row.received_at, tz),
        category_label(row.category), PRIORITY_LABELS.get(row.priority, str(row.priority)),
        row.title, row.address or "", row.commune or "",
        " / ".join(names.get(z, z) for z in row.zones),
        "" if row.lat is None else f"{row.lat:.6f}", "" if row.lon is None else f"{row.lon:.6f}",
        STATE_LABELS[state], local_text(row.ack_at, tz), _seconds(row.ack_s),
        local_text(row.dispatch_at, tz), _seconds(row.dispatch_s),
        local_text(row.closed_at if row.closed_at and row.closed_at < end else None, tz),
        "oui" if row.escalated else "non",
        " / ".join(outcome_label(o) for o in row.outcomes),
        " / ".join(row.operators),
        reporter if key is None else pseudonymise(key, reporter),
    ]  # fmt: skip


def write_csv(
    rows: Iterable[AlertRow],
    out: TextIO,
    *,
    tz: tzinfo,
    end: datetime,
    key: bytes | None,
    zone_names: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the header and one line per alert to ``out``; the number of alerts.

    ``key`` None writes the reporters as stored (only when the role allows it);
    ``progress`` is called with the count so far every thousand rows.
    """
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    end_text = end.isoformat(timespec="milliseconds")
    count = 0
    for row in rows:
        writer.writerow(csv_row(row, tz, end_text, key, zone_names))
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    return count


def export_details(
    *,
    fmt: str,
    review_filter: ReviewFilter,
    rows: int,
    reason: str,
    revealed: bool,
    sha256: str,
    file_name: str,
) -> dict[str, Any]:
    """Details of the ``export`` event: what, how many, why (required), whether
    reporters were revealed, and the file's SHA-256 (to recognise it later)."""
    return {
        "format": fmt,
        "filter": review_filter.to_details(),
        "rows": rows,
        "reason": check_reason(reason),
        "revealed": revealed,
        "sha256": sha256,
        "file": file_name,
    }


#: Roles whose exports may show reporters as stored (the administrator answers the
#: citizens' RGPD requests); every other export pseudonymises them.
REVEAL_ROLES: frozenset[Role] = frozenset({Role.ADMIN})


def reporters_key(role: Role, reveal: bool, key: bytes) -> bytes | None:
    """The key to pseudonymise reporters with, or None to show them: only when
    asked and the role allows it (:class:`UserFacingError` otherwise)."""
    if not reveal:
        return key
    if role not in REVEAL_ROLES:
        raise UserFacingError(
            f"Le rôle « {ROLE_LABELS[role]} » ne permet pas d'exporter l'identité des "
            "signalants : l'export les pseudonymise."
        )
    return None


def check_reason(reason: str) -> str:
    """The export's reason, cleaned; refused when blank (ask it before exporting)."""
    return clean_text(reason, required=True, what="motif de l'export")


#: French names of the detail keys the main courante shows; others as they are.
DETAIL_LABELS: dict[str, str] = {
    "unit_name": "unité", "outcome": "issue", "comment": "commentaire", "reason": "motif",
    "from_state": "état précédent", "state": "état", "seconds": "durée (s)",
    "camera_id": "caméra", "to": "vers", "corrects": "corrige l'événement n°", "text": "texte",
    "note": "note", "from_station": "poste précédent", "from_operator": "opérateur précédent",
    "previous_alert": "alerte précédente", "rows": "lignes", "format": "format",
    "file": "fichier",
}  # fmt: skip
_HIDDEN = frozenset({"unit", "unit_kind", "seq", "fmt", "filter", "sha256"})
_IDENTITY = frozenset({"reporter", "pseudonym", "phone"})


def details_text(details: dict[str, Any], key: bytes | None) -> str:
    """An event's details on one line, in French: sealed values (purge) shown as
    such, reporters and phones pseudonymised with ``key`` (None: as stored)."""
    parts = []
    for name, value in details.items():
        if name.startswith("_") or name in _HIDDEN or value in ("", None):
            continue
        if isinstance(value, str) and value.startswith("sha256:"):
            text = "(purgé)"
        elif name in _IDENTITY and key is not None:
            text = pseudonymise(key, str(value))
        elif name == "outcome" and isinstance(value, str):
            text = outcome_label(value)
        elif name in ("from_state", "state") and value in STATE_LABELS:
            text = STATE_LABELS[AlertState(value)]
        elif isinstance(value, bool):
            text = "oui" if value else "non"
        else:
            text = str(value)
        parts.append(f"{DETAIL_LABELS.get(name, name)} : {text}")
    return " ; ".join(parts)
