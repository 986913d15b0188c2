"""CSV of the review's alerts and what the ``export`` event records (Qt-free).

Reporters are the platform's pseudonyms: personal data. An export shows them
*pseudonymised*, ``sig-`` and 16 hex digits of an HMAC-SHA256 keyed with a secret
of this database (so the same reporter reads the same across exports, and nobody
without the database can link them back), unless the supervisor's role allows and
asks for the real value. Citizens' free text (the description) is never exported.

The CSV is French-spreadsheet shaped: ``;`` separated, local times, whole seconds.
Free text that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``…)
gets a leading ``'`` (CSV injection); fields with ``;``, quotes or line breaks are
quoted (RFC 4180).

« commune » is the commune the alert lies in, from the site's zones (issue 19);
« commune déclarée » what the citizen typed, as reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
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
    "commune", "commune déclarée", "zones", "latitude", "longitude", "état en fin de période",
    "prise en compte le",
    "délai de prise en compte (s)", "engagée le", "délai d'engagement (s)", "clôturée le",
    "escaladée", "issues", "opérateurs", "signalant",
)  # fmt: skip


def pseudonymise(key: bytes, value: str | None) -> str:
    """``sig-`` and 16 hex digits of HMAC-SHA256(key, value); empty for no value."""
    return Pseudonyms(key)(value)


class Pseudonyms:
    """:func:`pseudonymise` with one key, by the ten thousand: the HMAC's padded key
    states are hashed once and copied for each value (RFC 2104, three times faster
    than ``hmac.digest`` for short values)."""

    def __init__(self, key: bytes) -> None:
        block = hashlib.sha256(key).digest() if len(key) > 64 else key
        block = block.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def __call__(self, value: str | None) -> str:
        if not value:
            return ""
        inner = self._inner.copy()
        inner.update(value.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return PSEUDONYM_PREFIX + outer.hexdigest()[:16]


def local_text(at: str | datetime | None, tz: tzinfo) -> str:
    """« 2025-03-31 06:12:03 » in local time; empty for None."""
    if at is None:
        return ""
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


class LocalClock:
    """:func:`local_text` for stored UTC texts, by the ten thousand: the local
    « YYYY-MM-DD HH:MM » of each UTC minute is worked out once (clocks change on a
    minute), the seconds are copied."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self._minutes: dict[str, str] = {}

    def text(self, at: str | None) -> str:
        """« 2025-03-31 06:12:03 »; empty for None."""
        if not at:
            return ""
        minute = at[:16]
        local = self._minutes.get(minute)
        if local is None:
            when = datetime.fromisoformat(minute).replace(tzinfo=UTC).astimezone(self.tz)
            local = self._minutes[minute] = when.strftime("%Y-%m-%d %H:%M")
        return local + at[16:19]


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def text_field(value: str) -> str:
    """Free text as one CSV field: defused if it starts like a formula, quoted if
    it holds the separator, a quote or a line break."""
    if value.startswith(_FORMULA):
        value = "'" + value
    if ";" in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _seconds(value: float | None) -> str:
    return "" if value is None else str(round(max(0.0, value)))


class CsvFormatter:
    """One alert as CSV cells, with what repeats (labels, zones, pseudonyms,
    offsets) computed once per export. ``key`` None: reporters as stored."""

    def __init__(
        self,
        tz: tzinfo,
        end: datetime,
        key: bytes | None,
        zone_names: dict[str, str] | None = None,
        communes: Callable[[tuple[str, ...]], str] | None = None,
    ) -> None:
        self.clock = LocalClock(tz)
        self.communes = communes or (lambda _zones: "")
        self.end = end.isoformat(timespec="milliseconds")
        self.pseudonym = None if key is None else Pseudonyms(key)
        self.zone_names = zone_names or {}
        self._categories: dict[str, str] = {}
        self._zones: dict[tuple[str, ...], str] = {}
        self._outcomes: dict[tuple[str, ...], str] = {}
        self._operators: dict[tuple[str, ...], str] = {}

    def _category(self, value: str) -> str:
        found = self._categories.get(value)
        if found is None:
            found = self._categories[value] = category_label(value)
        return found

    def _joined(
        self, cache: dict[tuple[str, ...], str], values: tuple[str, ...], name: Callable[[str], str]
    ) -> str:
        found = cache.get(values)
        if found is None:
            found = cache[values] = " / ".join(name(v) for v in values)
        return found

    def cells(self, row: AlertRow) -> list[str]:
        """The cells of :data:`CSV_HEADER` for one alert, ready to join with ``;``."""
        end, text, joined, field = self.end, self.clock.text, self._joined, text_field
        reporter = row.reporter or ""
        closed = row.closed_at if row.closed_at and row.closed_at < end else None
        return [
            str(row.pk), field(row.source), field(row.alert_id), text(row.received_at),
            self._category(row.category), PRIORITY_LABELS.get(row.priority, str(row.priority)),
            field(row.title), field(row.address or ""), field(self.communes(row.zones)),
            field(row.commune or ""),
            field(joined(self._zones, row.zones, lambda z: self.zone_names.get(z, z))),
            "" if row.lat is None else f"{row.lat:.6f}",
            "" if row.lon is None else f"{row.lon:.6f}",
            STATE_LABELS[row.state_at(end)], text(row.ack_at), _seconds(row.ack_s),
            text(row.dispatch_at), _seconds(row.dispatch_s), text(closed),
            "oui" if row.escalated else "non",
            joined(self._outcomes, row.outcomes, outcome_label),
            field(joined(self._operators, row.operators, str)),
            field(reporter if self.pseudonym is None else self.pseudonym(reporter)),
        ]  # fmt: skip


def csv_row(
    row: AlertRow,
    tz: tzinfo,
    end: datetime,
    key: bytes | None,
    zone_names: dict[str, str] | None = None,
    communes: Callable[[tuple[str, ...]], str] | None = None,
) -> list[str]:
    """One alert as CSV cells (see :class:`CsvFormatter`; for a single row)."""
    return CsvFormatter(tz, end, key, zone_names, communes).cells(row)


def write_csv(
    rows: Iterable[AlertRow],
    out: TextIO,
    *,
    tz: tzinfo,
    end: datetime,
    key: bytes | None,
    zone_names: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    communes: Callable[[tuple[str, ...]], str] | None = None,
) -> int:
    """Write the header and one line per alert to ``out``; the number of alerts.

    ``key`` None writes the reporters as stored (only when the role allows it);
    ``progress`` is called with the count so far every thousand rows; ``communes``
    names the commune of an alert's zones (none: « commune » left empty).
    """
    out.write(";".join(CSV_HEADER) + "\r\n")
    cells = CsvFormatter(tz, end, key, zone_names, communes).cells
    count = 0
    lines: list[str] = []
    for row in rows:
        lines.append(";".join(cells(row)))
        count += 1
        if count % 1000 == 0:
            out.write("\r\n".join(lines) + "\r\n")
            lines.clear()
            if progress is not None:
                progress(count)
    if lines:
        out.write("\r\n".join(lines) + "\r\n")
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
    "file": "fichier", "qualification": "qualification", "cameras": "caméras",
    "context": "contexte", "auto": "affichage automatique",
    "via": "par", "what": "contenu", "since": "depuis", "until": "jusqu'à",
    "revealed": "signalants en clair", "login": "identifiant", "role": "rôle", "cause": "cause",
    "was_unavailable": "unité indisponible", "alert": "alerte", "station": "poste",
    "operator": "opérateur", "count": "nombre", "version": "version", "action": "action",
    "added": "ajoutés", "removed": "retirés", "name": "nom", "camera_name": "caméra",
    "opened_at": "ouverte à", "opened_by": "ouverte par", "events": "événements",
    "alerts": "alertes", "rejected": "trames rejetées", "stations": "postes",
    "operators": "opérateurs", "policy": "politique", "section": "section",
    "status": "statut", "source": "source", "mutes": "sourdines", "zones": "zones",
    "units": "unités", "kind": "type", "limit": "limite", "last_seq": "dernier numéro",
    "reference": "réquisition", "hold": "conservation n°", "target": "objet",
    "target_ref": "n° de l'objet", "release_reason": "motif de la levée", "screen": "écran",
    # a partner's CAP message (issue 17)
    "sender": "émetteur", "identifier": "identifiant CAP", "sent": "envoyé le",
    "msg_type": "type de message", "references": "références",
    "priority_from": "priorité précédente", "priority_to": "nouvelle priorité",
    "from_issuer_state": "état émetteur précédent", "expires": "expiration",
}  # fmt: skip
#: Stored values shown in words.
VALUE_LABELS: dict[str, str] = {
    "cli": "ligne de commande", "alerts": "alertes", "events": "événements",
    "rejected": "trames rejetées", "csv": "CSV", "pdf": "PDF", "jsonl": "JSON (lignes)",
    "alert": "alerte", "snapshot": "capture d'image", "extraction": "extraction vidéo",
    "review": "revue des vacations", "access_register": "registre des accès",
    "commune_report": "rapport par commune",
}  # fmt: skip
#: Not for reading: ids, formats and the digests the audit checks (`logbook verify`).
_HIDDEN = frozenset(
    {"unit", "unit_kind", "seq", "fmt", "filter", "sha256", "raw_sha256", "alert_sha256",
     "alert_parts"}
)  # fmt: skip
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
        elif name in ("outcome", "qualification") and isinstance(value, str):
            text = outcome_label(value)
        elif name in ("from_state", "state") and value in STATE_LABELS:
            text = STATE_LABELS[AlertState(value)]
        else:
            text = value_text(value)
        parts.append(f"{detail_label(name)} : {text}")
    return " ; ".join(parts)


def detail_label(name: str) -> str:
    """A details key in French (an unknown key: its words, without underscores)."""
    return DETAIL_LABELS.get(name, name.replace("_", " "))


def value_text(value: Any) -> str:
    """A stored value as a person reads it: « oui », « cam-02, cam-01 », « a : 1, b : 2 »
    (never Python's ``['cam-02', …]`` or ``{'a': 1}``)."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(value_text(v) for v in value) or "aucun"
    if isinstance(value, dict):
        return ", ".join(f"{detail_label(str(k))} : {value_text(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, str):
        return VALUE_LABELS.get(value, value)
    return str(value)
