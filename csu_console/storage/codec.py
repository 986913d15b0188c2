"""Rows and errors: how SQLite failures are classified, how times are written,
how an ``alerts`` row becomes a :class:`StoredAlert` (shared by the storage modules)."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from csu_console.core.alerts import (
    Alert,
    AlertState,
    Category,
    IssuerState,
    Location,
    Reporter,
    StoredAlert,
)
from csu_console.core.cap_facts import CapFacts
from csu_console.core.geo import Area
from csu_console.errors import DiskFullError, StorageBugError, StorageError

log = logging.getLogger("csu.storage")

_ENVIRONMENT_MARKERS = (
    "disk is full",
    "database or disk is full",
    "database is locked",
    "readonly",
    "read-only",
    "unable to open",
    "disk i/o error",
    "malformed",
    "not a database",
    "no space",
)


#: What SQLite (or the system) says when the disk is full.
_DISK_FULL_MARKERS = ("disk is full", "no space left", "sqlite_full")


def is_disk_full(text: str) -> bool:
    """Does an error's text say the disk is full? (Messages that crossed a process
    boundary, such as the link's ``storage_failed``, arrive as text.)"""
    low = text.lower()
    return any(m in low for m in _DISK_FULL_MARKERS)


def classify(exc: sqlite3.Error) -> Exception:
    """Split SQLite failures into the environment's fault and ours (a bug); a full
    disk is a :class:`~csu_console.errors.DiskFullError`."""
    text = str(exc).lower()
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or is_disk_full(text):
        return DiskFullError(f"Base de données indisponible : {exc}")
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and any(
        m in text for m in _ENVIRONMENT_MARKERS
    ):
        return StorageError(f"Base de données indisponible : {exc}")
    return StorageBugError(f"erreur SQLite inattendue : {exc}")


def iso(dt: datetime) -> str:
    """UTC timestamp text with milliseconds; sorts as time."""
    return dt.astimezone(UTC).isoformat(timespec="milliseconds")


def row_to_stored(row: Sequence[Any], description: Any) -> StoredAlert:
    """Rebuild a :class:`StoredAlert` from an ``alerts`` row."""
    r = {d[0]: v for d, v in zip(description, row, strict=True)}
    location = None
    if r["lat"] is not None and r["lon"] is not None:
        location = Location(r["lat"], r["lon"], r["address"], r["accuracy_m"])
    reporter = None
    if r["reporter_pseudonym"] is not None or r["reporter_verified"] is not None:
        reporter = Reporter(r["reporter_pseudonym"], bool(r["reporter_verified"]))
    alert = Alert(
        source=r["source"],
        id=r["alert_id"],
        sent=datetime.fromisoformat(r["sent"]),
        category=Category(r["category"]),
        category_raw=r["category_raw"],
        priority=r["priority"],
        priority_from_rules=bool(r["priority_from_rules"]),
        title=r["title"],
        description=r["description"],
        location=location,
        commune=r["commune"],
        reporter=reporter,
        attachments=tuple(json.loads(r["attachments"])),
        fmt=r["fmt"],
        extra=json.loads(r["extra"]),
        area=read_area(r.get("area")),
        expires=None if r.get("expires") is None else datetime.fromisoformat(r["expires"]),
        cap=read_cap(r.get("cap")),
    )
    issuer = r.get("issuer_state")
    return StoredAlert(
        pk=r["pk"],
        alert=alert,
        received_at=datetime.fromisoformat(r["received_at"]),
        seq=r["seq"],
        state=AlertState(r["state"]),
        state_station=r["state_station"],
        state_operator=r["state_operator"],
        issuer_state=None if issuer is None else IssuerState(issuer),
        version=int(r.get("version") or 0),
    )


def read_area(text: str | None) -> Area | None:
    """``alerts.area`` (GeoJSON text) as an :class:`Area`; None when absent or unreadable
    (said in the log: the alert itself is shown without its shape)."""
    if text is None:
        return None
    try:
        return Area.from_geojson(json.loads(text))
    except (TypeError, ValueError, AttributeError) as exc:
        log.error("zone d'alerte illisible, ignorée : %s", exc)
        return None


def read_cap(text: str | None) -> CapFacts | None:
    """``alerts.cap`` (CapFacts JSON) as :class:`CapFacts`; None when absent or unreadable."""
    if text is None:
        return None
    try:
        return CapFacts.from_json(json.loads(text))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        log.error("faits CAP d'une alerte illisibles, ignorés : %s", exc)
        return None
