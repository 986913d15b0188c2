"""What the main courante records of a partner's CAP alert, read from its events
(``Store.events_for``): the raw document's digest and the issuer's Cancel."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from csu_console.core.logbook import EventKind


def event_details(ev: Mapping[str, Any]) -> dict[str, Any]:
    """An event's details as a dict (empty when unreadable)."""
    try:
        details = json.loads(ev.get("details") or "{}")
    except (TypeError, ValueError):
        return {}
    return details if isinstance(details, dict) else {}


def document_sha256(events: Sequence[Mapping[str, Any]] | None) -> str | None:
    """The SHA-256 of the raw CAP document of the alert's content, as the main
    courante has it: the latest event that carries one (``received``, then each
    update's), a Cancel's document aside."""
    found: str | None = None
    for ev in events or ():
        if ev.get("kind") == EventKind.CAP_CANCELLED:
            continue
        value = event_details(ev).get("raw_sha256")
        if isinstance(value, str) and value:
            found = value
    return found


def cancellation(events: Sequence[Mapping[str, Any]] | None) -> dict[str, Any] | None:
    """The first Cancel applied to the alert (the one that counts): its event's
    details with its ``at``, or None."""
    for ev in events or ():
        if ev.get("kind") == EventKind.CAP_CANCELLED:
            return {**event_details(ev), "at": ev.get("at")}
    return None
