"""What ``logbook verify`` checks of partners' CAP alerts beyond their current
row (:mod:`csu_console.storage.alert_audit` checks that against the latest digest):

- each previous version kept in ``alert_versions`` against the digest of the
  event that stored it (``received`` for version 0, the ``cap_updated`` of that
  version after): the history cannot be rewritten either;
- ``issuer_state``: « annulée par l'émetteur » needs a ``cap_cancelled`` event,
  « expirée » an ``expired`` one, and a cancelled alert stays so (no Update undoes
  a Cancel).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from csu_console.storage import alert_seal

#: (alert pk, source, identifier, problem in French)
Problem = tuple[int, str | None, str | None, str]

# From the (few) alerts with a history to their events: never a scan of every event.
_DIGESTS = (
    "SELECT e.pk, e.alert_pk, e.kind, e.details"
    " FROM (SELECT DISTINCT alert_pk FROM alert_versions) AS v"
    " CROSS JOIN events e ON e.alert_pk = v.alert_pk"
    " WHERE e.kind IN ('received', 'cap_updated') ORDER BY e.pk"
)
_ISSUER = """
    SELECT a.pk, a.source, a.alert_id, a.issuer_state,
        EXISTS (SELECT 1 FROM events e WHERE e.alert_pk = a.pk AND e.kind = 'cap_cancelled'),
        EXISTS (SELECT 1 FROM events e WHERE e.alert_pk = a.pk AND e.kind = 'expired')
    FROM alerts a
    WHERE a.issuer_state IS NOT NULL OR a.pk IN (
        SELECT alert_pk FROM events WHERE kind = 'cap_cancelled' AND alert_pk IS NOT NULL)
"""


def cap_problems(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Every problem found, in alert order."""
    yield from _history_problems(conn)
    for pk, source, alert_id, issuer, cancelled, expired in conn.execute(_ISSUER):
        if issuer == "cancelled" and not cancelled:
            yield pk, source, alert_id, "« annulée par l'émetteur » sans événement d'annulation"
        elif issuer == "expired" and not expired:
            yield pk, source, alert_id, "« expirée » sans événement d'expiration"
        elif cancelled and issuer != "cancelled":
            yield pk, source, alert_id, "annulation par l'émetteur effacée de la ligne"


def _history_problems(conn: sqlite3.Connection) -> Iterator[Problem]:
    expected: dict[tuple[int, int], tuple[int, dict[str, Any]]] = {}
    for event_pk, alert_pk, kind, text in conn.execute(_DIGESTS):
        try:
            details = json.loads(text)
        except ValueError:
            continue  # the chain's own check names an unreadable event
        if not isinstance(details, dict):
            continue
        version = 0 if kind == "received" else details.get("version")
        if isinstance(version, int):
            expected.setdefault((int(alert_pk), version), (int(event_pk), details))
    rows = conn.execute(
        "SELECT alert_pk, version, row FROM alert_versions ORDER BY alert_pk, version"
    )
    for alert_pk, version, text in rows:
        try:
            row = json.loads(text)
        except ValueError:
            yield alert_pk, None, None, f"version {version} illisible (modifiée)"
            continue
        source, alert_id = row.get("source"), row.get("alert_id")
        found = expected.get((alert_pk, version))
        if found is None:
            yield alert_pk, source, alert_id, f"version {version} sans son événement"
            continue
        event_pk, details = found
        if details.get("alert_sha256") is None:
            continue  # stored before the digest existed
        try:
            fields = alert_seal.row_fields(row)
            recomputed = alert_seal.digest(fields, row.get("fields_salt"))
        except (KeyError, TypeError, ValueError):
            yield alert_pk, source, alert_id, f"version {version} illisible (modifiée)"
            continue
        if recomputed.sha256 != details["alert_sha256"]:
            parts = alert_seal.parse_parts(details.get("alert_parts"))
            what = alert_seal.describe_groups(alert_seal.changed_groups(parts, recomputed))
            yield (
                alert_pk,
                source,
                alert_id,
                f"version {version} modifiée après son remplacement — {what}"
                f" (événement n° {event_pk})",
            )
