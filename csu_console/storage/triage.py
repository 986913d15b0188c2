"""The assisted triage in the database: a person's priority change, and the
suggestions accepted or refused, all in the logbook's chain.

:func:`change_priority` is the one named operation that changes an alert's
priority: the row's ``priority`` and a ``priority_changed`` event (old, new, why,
who) in one transaction. The priority is part of the alert's sealed digest
(:mod:`~csu_console.storage.alert_seal`): the event carries the new digest, and
``logbook verify`` checks the row against the latest one
(:mod:`~csu_console.storage.alert_audit`), as for a partner's CAP Update.

:func:`record_decision` writes ``triage_accepted`` / ``triage_refused`` (the
suggestion's id, kind, reason, words); :func:`decided_suggestions` reads the ids
back at start, so a refused suggestion is never proposed again, even after a
restart. The suggestion's id is not personal data: it survives the purge.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from csu_console.core.alerts import PRIORITY_MAX, PRIORITY_MIN, StoredAlert
from csu_console.core.logbook import EventKind, LogbookError, clean_text
from csu_console.core.triage import Suggestion
from csu_console.core.triage_engine import CallReport, call_key
from csu_console.storage import alert_seal
from csu_console.storage.cap_lifecycle import read_stored
from csu_console.storage.codec import classify, iso
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.store import Store

log = logging.getLogger("csu.triage")

#: The details key of a triage event that names its suggestion (never purged).
SUGGESTION_KEY = "suggestion"


def decision_details(s: Suggestion) -> dict[str, Any]:
    """What a ``triage_accepted`` / ``triage_refused`` event says of its suggestion."""
    details: dict[str, Any] = {
        SUGGESTION_KEY: s.id,
        "suggestion_kind": s.kind.value,
        "reason": s.reason,
        "words": list(s.words),
        "alert_key": list(s.alert),
        "score": round(s.score, 3),
    }
    if s.other is not None:
        details["other_key"] = list(s.other)
    if s.priority is not None:
        details["proposed_priority"] = s.priority
    return details


def _decision_event(
    s: Suggestion, accepted: bool, alert_pk: int | None, station: str, operator: str, at: datetime
) -> NewEvent:
    kind = EventKind.TRIAGE_ACCEPTED if accepted else EventKind.TRIAGE_REFUSED
    return NewEvent(kind.value, at, alert_pk, station, operator, decision_details(s))


def change_priority(
    store: Store,
    pks: Sequence[int],
    priority: int,
    reason: str,
    *,
    station: str,
    operator: str,
    suggestion: Suggestion | None = None,
    at: datetime | None = None,
) -> list[StoredAlert]:
    """Set the priority of the alerts ``pks`` (a person decided: ``reason`` says why),
    each with a ``priority_changed`` event {from, to, reason, new digest}; with the
    ``suggestion`` that proposed it, its ``triage_accepted`` event too — all in one
    transaction. Returns the alerts as stored now (those whose priority changed).

    Raises :class:`LogbookError` (French) for an unknown alert, a priority out of
    1..4, nobody logged in or no reason.
    """
    if not PRIORITY_MIN <= priority <= PRIORITY_MAX:
        raise LogbookError(f"Priorité {priority} invalide (de {PRIORITY_MIN} à {PRIORITY_MAX}).")
    if not operator:
        raise LogbookError("Personne n'est connecté : le changement doit être signé.")
    why = clean_text(reason, required=True, what="motif")
    now = at or datetime.now(UTC)
    changed: list[int] = []
    with store._transaction() as cur:
        events: list[NewEvent] = []
        for pk in dict.fromkeys(pks):
            row = _row(cur, pk)
            if row is None:
                raise LogbookError(f"Alerte n° {pk} inconnue.")
            if row["fmt"] == "cap":
                # A partner's alert takes its severity from its issuer: each Update
                # replaces it, and its kept versions are checked against theirs.
                raise LogbookError(
                    f"Alerte n° {pk} : la priorité d'une alerte CAP suit son émetteur."
                )
            old = int(row["priority"])
            if old == priority:
                continue
            cur.execute(
                "UPDATE alerts SET priority = ?, priority_from_rules = 0 WHERE pk = ?",
                (priority, pk),
            )
            details: dict[str, Any] = {"from": old, "to": priority, "reason": why}
            fresh = _row(cur, pk)
            assert fresh is not None
            if row["fields_salt"] is not None:
                # Only rows that carry a digest get a new one (older rows stay « legacy »).
                sealed = alert_seal.digest(alert_seal.row_fields(fresh), fresh["fields_salt"])
                details["alert_sha256"] = sealed.sha256
                details["alert_parts"] = sealed.parts_text
            events.append(
                NewEvent(EventKind.PRIORITY_CHANGED.value, now, pk, station, operator, details)
            )
            changed.append(pk)
        if suggestion is not None:
            first = next(iter(pks), None)
            events.append(_decision_event(suggestion, True, first, station, operator, now))
        append_events(cur, events, store.tz)
        shown = read_stored(cur, changed)
    log.info("priorité %s des alertes %s (%s, %s)", priority, changed, station, operator)
    return [shown[p] for p in changed if p in shown]


def record_decision(
    store: Store,
    suggestion: Suggestion,
    accepted: bool,
    *,
    alert_pk: int | None,
    station: str,
    operator: str,
    at: datetime | None = None,
) -> int:
    """Log that a person accepted (applied elsewhere: a merge) or refused a
    suggestion; nothing else changes. Its event pk."""
    if not operator:
        raise LogbookError("Personne n'est connecté : la décision doit être signée.")
    event = _decision_event(
        suggestion, accepted, alert_pk, station, operator, at or datetime.now(UTC)
    )
    with store._transaction() as cur:
        [pk] = append_events(cur, [event], store.tz)
    return pk


def decided_suggestions(store: Store) -> set[str]:
    """The ids of every suggestion accepted or refused at this station (never again)."""
    try:
        rows = store.conn.execute(
            "SELECT DISTINCT json_extract(details, '$.suggestion') FROM events"
            " WHERE kind IN (?, ?) AND json_valid(details)",
            (EventKind.TRIAGE_ACCEPTED.value, EventKind.TRIAGE_REFUSED.value),
        ).fetchall()
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return {str(r[0]) for r in rows if r[0] is not None}


_CALLS = """
SELECT e.pk, e.at, e.station, e.details FROM events e
WHERE e.kind = 'entry' AND e.at >= ? AND e.alert_pk IS NULL AND json_valid(e.details)
  AND json_extract(e.details, '$.type') = 'appel'
  AND json_type(e.details, '$.lat') IN ('real', 'integer')
  AND json_type(e.details, '$.lon') IN ('real', 'integer')
ORDER BY e.pk
"""


def recent_calls(store: Store, since: datetime, station: str) -> list[CallReport]:
    """The phone calls written in this station's main courante since ``since`` (an
    « Appel reçu » entry with a place on the map, not tied to an alert): the triage
    compares them with the alerts. A purged text reads as empty."""
    try:
        rows = store.conn.execute(_CALLS, (iso(since),)).fetchall()
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    calls: list[CallReport] = []
    for pk, at, where, text in rows:
        details = json.loads(text)
        said = details.get("text")
        calls.append(
            CallReport(
                key=call_key(where or station, int(pk)),
                pk=int(pk),
                at=datetime.fromisoformat(at),
                lon=float(details["lon"]),
                lat=float(details["lat"]),
                text=said if isinstance(said, str) and not details.get("_purged") else "",
                place=str(details.get("place") or ""),
            )
        )
    return calls


def _row(cur: sqlite3.Cursor, pk: int) -> dict[str, Any] | None:
    found = cur.execute("SELECT * FROM alerts WHERE pk = ?", (pk,))
    row = found.fetchone()
    if row is None:
        return None
    return {d[0]: v for d, v in zip(found.description, row, strict=True)}
