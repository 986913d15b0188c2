"""The access register (Qt-free): who viewed which camera, when and why; who
took snapshots, exported records, opened the review — the CNIL's record of
access to the images and to the logbook, read from the main courante.

The rows come from :mod:`csu_console.storage.access_register`; this module says
which events count, how a row reads in French and how it is written to CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, TextIO

from csu_console.core.logbook import EVENT_LABELS, EventKind
from csu_console.core.review.export import VALUE_LABELS, text_field

#: The events of the register, in the order of its « action » filter.
ACCESS_KINDS: tuple[EventKind, ...] = (
    EventKind.CAMERA_VIEWED,
    EventKind.RECORDING_VIEWED,  # replay: which cameras, which filmed period (issue 18)
    EventKind.SNAPSHOT,
    EventKind.EXTRACTION,  # recordings copied out for a requisition
    EventKind.EXPORT,
    EventKind.REVIEW_OPENED,
)

#: French names of the register's actions (the table's column): the logbook's.
ACTION_LABELS: dict[EventKind, str] = {kind: EVENT_LABELS[kind] for kind in ACCESS_KINDS}

#: ``review_opened`` details ``screen``: which screen was opened.
SCREEN_REVIEW = "review"
SCREEN_ACCESS_REGISTER = "access_register"
SCREEN_LABELS: dict[str, str] = {
    SCREEN_REVIEW: "Revue des vacations",
    SCREEN_ACCESS_REGISTER: "Registre des accès",
}

AUTO_DISPLAY = "affichage automatique"
#: Between camera names (which may hold commas: « Gare centrale, place Eliel »).
CAMERA_SEPARATOR = " · "
SEALED = "(purgé)"


@dataclass(frozen=True)
class AccessFilter:
    """What the register shows: ``[start, end)``, one operator, one camera, some actions."""

    start: datetime
    end: datetime
    operator: str | None = None
    camera: str | None = None
    kinds: frozenset[str] = field(default_factory=lambda: frozenset(ACCESS_KINDS))

    def to_details(self) -> dict[str, Any]:
        """The filter as the ``export`` event records it."""
        details: dict[str, Any] = {
            "start": self.start.isoformat(timespec="seconds"),
            "end": self.end.isoformat(timespec="seconds"),
        }
        if self.operator:
            details["operator"] = self.operator
        if self.camera:
            details["camera"] = self.camera
        if set(self.kinds) != set(ACCESS_KINDS):
            details["kinds"] = sorted(self.kinds)
        return details


@dataclass(frozen=True)
class AccessEntry:
    """One access: an event of this station's book or (``peer``) of another's."""

    at: datetime
    kind: str
    station: str | None
    operator: str | None
    alert_pk: int | None = None
    alert_id: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    peer: bool = False

    @property
    def cameras(self) -> tuple[str, ...]:
        """The cameras seen (a view) or shot (a snapshot)."""
        listed = self.details.get("cameras")
        if isinstance(listed, list):
            return tuple(str(c) for c in listed)
        one = self.details.get("camera_id")
        return (str(one),) if one else ()

    @property
    def automatic(self) -> bool:
        """Shown by the console on its own (a new alert's cameras): nobody asked."""
        return bool(self.details.get("auto")) and self.operator is None


def _text(value: Any) -> str:
    text = str(value)
    return SEALED if text.startswith("sha256:") else text


def action_label(entry: AccessEntry) -> str:
    """« Caméra consultée », « Export »…"""
    try:
        return ACTION_LABELS[EventKind(entry.kind)]
    except ValueError:
        return entry.kind


def who_label(entry: AccessEntry) -> str:
    """The operator, or what stands for nobody (an automatic display, the command line)."""
    if entry.operator:
        return entry.operator
    if entry.automatic:
        return f"({AUTO_DISPLAY})"
    return "–"


def alert_label(entry: AccessEntry) -> str:
    """« n° 12 » (this station's alert), or the alert's id at another station."""
    if entry.alert_pk is not None and not entry.peer:
        return f"n° {entry.alert_pk}"
    return entry.alert_id or ""


def _filmed(value: Any, tz: tzinfo | None) -> str:
    """An ISO time of the details in the register's zone (« 05/12 08:59:40 »)."""
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return at.astimezone(tz).strftime("%d/%m %H:%M:%S")


def why_text(entry: AccessEntry, tz: tzinfo | None = None) -> str:
    """Why: the reason given outside an alert, the alert's context, the export's
    reason and content, the screen opened; for a replay, the filmed period seen
    (in ``tz``), for an extraction, the requisition and the period."""
    d = entry.details
    kind = entry.kind
    if kind == EventKind.RECORDING_VIEWED:
        parts = []
        if d.get("from") and d.get("to"):
            parts.append(f"filmé du {_filmed(d['from'], tz)} au {_filmed(d['to'], tz)}")
        if d.get("reason"):
            parts.append(f"hors alerte – motif : {_text(d['reason'])}")
        elif d.get("context"):
            parts.append(_text(d["context"]))
        return " – ".join(parts)
    if kind == EventKind.EXTRACTION:
        parts = [f"réquisition n° {d.get('requisition', '?')}"]
        if d.get("service"):
            parts.append(str(d["service"]))
        if d.get("start") and d.get("end"):
            parts.append(f"du {_filmed(d['start'], tz)} au {_filmed(d['end'], tz)}")
        if d.get("extraction") is not None:
            parts.append(f"extraction n° {d['extraction']}")
        return " – ".join(parts)
    if kind == EventKind.CAMERA_VIEWED:
        if d.get("reason"):
            return f"Hors alerte – motif : {_text(d['reason'])}"
        context = _text(d["context"]) if d.get("context") else ""
        if entry.automatic:
            return f"{AUTO_DISPLAY.capitalize()} – {context}" if context else AUTO_DISPLAY
        return context
    if kind == EventKind.SNAPSHOT:
        return f"fichier {d['file']}" if d.get("file") else ""
    if kind == EventKind.EXPORT:
        what = VALUE_LABELS.get(str(d.get("what", "")), str(d.get("what", "alertes")))
        fmt = VALUE_LABELS.get(str(d.get("format", "")), str(d.get("format", "")))
        parts = [f"{fmt} {what}".strip()]
        if d.get("rows") is not None:
            parts.append(f"{d['rows']} lignes")
        if d.get("reason"):
            parts.append(f"motif : {_text(d['reason'])}")
        if d.get("file"):
            parts.append(f"fichier {d['file']}")
        return " – ".join(p for p in parts if p)
    if kind == EventKind.REVIEW_OPENED:
        screen = str(d.get("screen", SCREEN_REVIEW))
        return SCREEN_LABELS.get(screen, screen)
    return ""


CSV_HEADER = (
    "date et heure", "poste", "opérateur", "action", "caméras", "alerte", "motif ou contexte",
)  # fmt: skip


def csv_cells(entry: AccessEntry, tz: tzinfo, camera_name: Callable[[str], str]) -> list[str]:
    """One access as the CSV's cells (free text defused, see :func:`text_field`)."""
    cameras = CAMERA_SEPARATOR.join(camera_name(c) for c in entry.cameras)
    return [
        entry.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
        text_field(entry.station or ""),
        text_field(who_label(entry)),
        action_label(entry),
        text_field(cameras),
        text_field(alert_label(entry)),
        text_field(why_text(entry, tz)),
    ]


def write_access_csv(
    entries: Iterable[AccessEntry],
    out: TextIO,
    tz: tzinfo,
    camera_name: Callable[[str], str] = str,
) -> int:
    """The header and one line per access (``;``, CRLF, local time); the count."""
    out.write(";".join(CSV_HEADER) + "\r\n")
    count = 0
    for entry in entries:
        out.write(";".join(csv_cells(entry, tz, camera_name)) + "\r\n")
        count += 1
    return count
