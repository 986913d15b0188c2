"""Checking every alert row against its ``received`` event (``logbook verify``).

The event is in the hash chain; it carries the digest of the alert's fields in
sealed form (:mod:`csu_console.storage.alert_seal`). A row whose digest is no
longer the event's was edited after it was stored: :func:`verify_alerts` names
it (pk, source / id, the group of fields that changed). A partner's CAP Update
replaces an alert's content: its ``cap_updated`` event carries the new digest,
as does a person's priority change (``priority_changed``), and the row is checked
against the latest one. Rows stored before the
digest existed are counted, not checked; a ``received`` event whose alert row is
gone, and a row without its event, are named too.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from csu_console.storage import alert_seal
from csu_console.storage.cap_audit import cap_problems

log = logging.getLogger("csu.logbook")

_MAX_NAMED = 50  # problems listed; the count says the rest

_SELECT = (
    "SELECT a.pk, e.pk, e.kind, e.details, "
    + ", ".join(f"a.{c}" for c in alert_seal.COLUMNS)
    + " FROM alerts a LEFT JOIN events e ON e.alert_pk = a.pk"
    " AND e.kind IN ('received', 'cap_updated', 'priority_changed') ORDER BY a.pk, e.pk"
)
_ORPHANS = (
    "SELECT e.pk, e.alert_pk FROM events e LEFT JOIN alerts a ON a.pk = e.alert_pk"
    " WHERE e.kind = 'received' AND e.alert_pk IS NOT NULL AND a.pk IS NULL ORDER BY e.pk"
)


#: Events that carry a new digest of the row: a partner's Update, a person's
#: priority change (:mod:`csu_console.storage.triage`).
_LATER_DIGESTS = frozenset({"cap_updated", "priority_changed"})


@dataclass(frozen=True)
class AlertProblem:
    """One alert row that does not match its ``received`` event (French text)."""

    pk: int
    source: str | None
    alert_id: str | None
    problem: str

    def __str__(self) -> str:
        who = f"{self.source} / {self.alert_id}" if self.source is not None else "—"
        return f"alerte n° {self.pk} ({who}) : {self.problem}"


@dataclass(frozen=True)
class AlertReport:
    """Rows checked, rows too old to carry a digest, and what does not hold."""

    checked: int = 0
    legacy: int = 0
    problems: list[AlertProblem] = field(default_factory=list)
    more: int = 0  # problems found beyond those listed

    @property
    def ok(self) -> bool:
        """True when every checked row matches its event."""
        return not self.problems


def _row_problem(details_text: Any, row: dict[str, Any]) -> str | None:
    """None when the row matches; "legacy" for a row without a digest; else why."""
    try:
        details = json.loads(details_text)
    except (TypeError, ValueError):
        return "événement de réception illisible"
    if not isinstance(details, dict):
        return "événement de réception illisible"
    expected = details.get("alert_sha256")
    if expected is None:
        return "legacy"
    fields = alert_seal.row_fields(row)
    form = alert_seal.stored_form_problem(row, fields["extra"])
    try:
        recomputed = alert_seal.digest(fields, row["fields_salt"])
    except (TypeError, ValueError):
        return "champs ou sel illisibles (modifiés)"
    if recomputed.sha256 == expected:
        return form
    parts = alert_seal.parse_parts(details.get("alert_parts"))
    groups = alert_seal.changed_groups(parts, recomputed)
    what = alert_seal.describe_groups(groups)
    suffix = f" ; {form}" if form is not None else ""
    return f"alerte modifiée après sa réception — {what}{suffix}"


def _latest_digests(
    cur: sqlite3.Cursor, names: list[str]
) -> Iterator[tuple[int, Any, Any, dict[str, Any]]]:
    """Each alert row once, with the event holding its latest digest: its first
    ``received`` event, or the last ``cap_updated`` (a partner's Update replaced
    the content; :mod:`csu_console.storage.cap_lifecycle`). Rows come in pk order."""
    current: list[Any] | None = None
    for r in cur:
        pk = int(r[0])
        if current is not None and current[0] != pk:
            yield current[0], current[1], current[2], current[3]
            current = None
        if current is None:
            current = [pk, r[1], r[3], dict(zip(names[4:], r[4:], strict=True))]
        elif r[2] in _LATER_DIGESTS:
            current[1], current[2] = r[1], r[3]  # a later version: its digest counts
        # a second "received" event of the same alert: the first counts
    if current is not None:
        yield current[0], current[1], current[2], current[3]


def verify_alerts(conn: sqlite3.Connection) -> AlertReport:
    """Check every alert row against its ``received`` event."""
    checked, legacy, found = 0, 0, 0
    problems: list[AlertProblem] = []

    def name(pk: int, source: str | None, alert_id: str | None, problem: str) -> None:
        nonlocal found
        found += 1
        if len(problems) < _MAX_NAMED:
            problems.append(AlertProblem(pk, source, alert_id, problem))
        log.error("main courante : alerte n° %s : %s", pk, problem)

    cur = conn.execute(_SELECT)
    names = [d[0] for d in cur.description]
    for pk, event_pk, details_text, row in _latest_digests(cur, names):
        if event_pk is None:
            missing = "aucun événement de réception (insérée hors console)"
            name(pk, row["source"], row["alert_id"], missing)
            continue
        problem = _row_problem(details_text, row)
        if problem == "legacy":
            legacy += 1
            continue
        checked += 1
        if problem is not None:
            name(pk, row["source"], row["alert_id"], f"{problem} (événement n° {event_pk})")
    for pk, source, alert_id, problem in cap_problems(conn):
        name(pk, source, alert_id, problem)
    for event_pk, alert_pk in conn.execute(_ORPHANS):
        name(int(alert_pk), None, None, f"ligne supprimée (événement de réception n° {event_pk})")
    return AlertReport(checked, legacy, problems, found - len(problems))
