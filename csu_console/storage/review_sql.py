"""The SQL of the supervisor review (see :mod:`csu_console.storage.review`).

What an alert's events say (first acknowledgement, first dispatch, closing,
escalation, outcomes, who handled it) is kept on its row by the ``events_review``
trigger (schema migration 4), so the alerts of a period come in one pass of
``alerts_received_at``, in time order, without touching the events. Filters on the
alerts' own columns and on operators go into the ``WHERE``; a station needs the
events (``EXISTS`` by ``events_alert``); zones and outcomes are checked in Python
afterwards (zones with an SQL bounding box first; an alert's commune is the
one its zones belong to, see :mod:`csu_console.core.review.places`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from csu_console.core.review.filter import ReviewFilter

SEP = "\x1f"  # unit separator, between the operators and the outcomes of a row

# In the order of AlertRow's fields, then ``zone`` (the zones kept when the purge
# sealed a citizen report's position, read in its place). An alert closed by
# another station has no "closed" event here: the time its state last changed
# stands in.
ALERTS = """
SELECT a.pk, a.received_at, a.category, a.priority, a.title, a.address, a.commune,
       a.lat, a.lon, a.source, a.alert_id, a.category_raw, a.reporter_pseudonym, a.state,
       a.ack_at, a.dispatch_at,
       coalesce(a.closed_at, CASE WHEN a.state = 'closed' THEN a.state_at END) AS closed_at,
       a.ack_s, a.dispatch_s, a.escalated, a.outcomes, a.handlers, a.zone
FROM alerts a
WHERE {where}
ORDER BY a.received_at, a.pk
"""

# What the indicators need, in the order of AlertFacts' fields.
FACTS = """
SELECT a.pk, a.received_at, a.category, a.priority, a.lat, a.lon, a.ack_s, a.dispatch_s,
       a.escalated, a.outcomes, a.zone
FROM alerts a
WHERE {where}
ORDER BY a.received_at, a.pk
"""

#: alerts_closed_late holds the alerts closed more than this after they came (days).
LATE_DAYS = 0.125  # 3 hours: most are closed well before

# Alerts not closed at :end (candidates, narrowed by closed_at in Python): those
# open now; those closed since that came in the last 3 hours before :end; those
# closed since that had been open more than 3 hours (alerts_closed_late, a partial
# index of the few). An interval containing :end, found without reading a month.
# INDEXED BY: without statistics the planner would take alerts_state (state = …).
OPEN_AT_END = """a.pk IN (
    SELECT pk FROM alerts WHERE state IN ('new', 'acknowledged', 'dispatched')
        AND received_at < :end
    UNION ALL
    SELECT pk FROM alerts INDEXED BY alerts_received_at
    WHERE received_at >= :late_since AND received_at < :end
        AND state = 'closed' AND state_at >= :end
    UNION ALL
    SELECT pk FROM alerts INDEXED BY alerts_closed_late
    WHERE state = 'closed' AND julianday(state_at) - julianday(received_at) > 0.125
        AND state_at >= :end AND received_at < :late_since
)"""

CORRECTED_OUTCOMES = """
SELECT details ->> 'corrects', details ->> 'outcome' FROM events
WHERE kind = 'correction' AND details ->> 'outcome' IS NOT NULL ORDER BY pk
"""

# Events per operator and kind, counted in events_operator_kind_at without a sort:
# the (operator, kind) pairs are walked one index seek at a time (a skip scan),
# then each pair's events of the period are counted in the index.
_OP = "substr(pair.key, 1, instr(pair.key, char(31)) - 1)"
_KIND = "substr(pair.key, instr(pair.key, char(31)) + 1)"
OPERATOR_LOAD = f"""
WITH RECURSIVE pair(key) AS (
    SELECT (SELECT operator || char(31) || kind FROM events WHERE operator > ''
            ORDER BY operator, kind LIMIT 1)
    UNION ALL
    SELECT coalesce(
        (SELECT e.operator || char(31) || e.kind FROM events e
         WHERE e.operator = {_OP} AND e.kind > {_KIND} ORDER BY e.kind LIMIT 1),
        (SELECT e.operator || char(31) || e.kind FROM events e
         WHERE e.operator > {_OP} ORDER BY e.operator, e.kind LIMIT 1))
    FROM pair WHERE pair.key IS NOT NULL
)
SELECT * FROM (
    SELECT {_OP} AS operator, {_KIND} AS kind,
        (SELECT count(*) FROM events e WHERE e.operator = {_OP} AND e.kind = {_KIND}
         AND e.at >= :start AND e.at < :end {{extra}}) AS n
    FROM pair WHERE pair.key IS NOT NULL
) AS counted WHERE n > 0 {{only}}
"""

COMMAND_LINE_LOAD = """
SELECT operator, kind, count(*) FROM events
WHERE station = 'cli' AND operator > '' AND at >= :start AND at < :end {extra}
GROUP BY operator, kind
"""

MUTES = """
SELECT at, station, operator, details ->> 'seconds', kind FROM events
WHERE kind IN ('muted', 'unmuted') AND at >= :since AND at < :end {extra}
ORDER BY at, pk
"""

OUTAGE_ALERTS = """
SELECT pk, alert_id, extra ->> 'camera_id', address, received_at FROM alerts
WHERE source = 'csu-console' AND category_raw = 'camera_hors_service' AND received_at < :end
"""

CAMERA_BACKS = """
SELECT at, details ->> 'camera_id' FROM events
WHERE kind = 'camera_online' AND at >= :since ORDER BY at, pk
"""

_STEP = "SELECT pk, at, kind, alert_pk, details ->> 'unit', details ->> 'unit_name' FROM events"
# "+kind": by events_alert (a few alerts), not by events_kind_at (every dispatch
# before :end); the alerts' pks come as one JSON array.
UNIT_STEPS = (
    _STEP + " WHERE alert_pk IN (SELECT value FROM json_each(:pks)) AND at < :end"
    " AND +kind IN ('dispatched', 'on_site', 'dispatch_ended')"
)
LATER_DISPATCH = (
    _STEP + " WHERE kind = 'dispatched' AND at > :since AND at < :end"
    " AND details ->> 'unit' = :unit ORDER BY at DESC LIMIT 1"
)

LOGBOOK = """
SELECT pk, at, at_local, kind, alert_pk, station, operator, details FROM events
WHERE at >= :start AND at < :end {extra}
ORDER BY at, pk
"""

LOGBOOK_COUNT = "SELECT count(*) FROM events WHERE at >= :start AND at < :end {extra}"

PK_RANGE = "SELECT min(pk), max(pk) FROM events WHERE at >= :start AND at < :end"


def _in(column: str, name: str, values: Collection[Any], params: dict[str, Any]) -> str:
    """``column IN (:name0, :name1, …)`` with the values added to ``params``."""
    marks = []
    for i, value in enumerate(sorted(values)):
        params[f"{name}{i}"] = value
        marks.append(f":{name}{i}")
    return f"{column} IN ({', '.join(marks)})"


def event_filter(f: ReviewFilter, params: dict[str, Any], prefix: str = "") -> str:
    """`` AND operator IN (…) AND station IN (…)`` for the filter's operators and stations."""
    out = ""
    if f.operators:
        out += " AND " + _in(f"{prefix}operator", "op", f.operators, params)
    if f.stations:
        out += " AND " + _in(f"{prefix}station", "st", f.stations, params)
    return out


def alerts_query(
    f: ReviewFilter,
    bbox: tuple[float, float, float, float] | None,
    *,
    open_at_end: bool = False,
    facts: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The alerts statement and its parameters: received in the period, or (with
    ``open_at_end``) received before its end and not closed by then (candidates);
    with ``facts``, only what the indicators need."""
    params: dict[str, Any] = {
        "start": f.start.isoformat(timespec="milliseconds"),
        "end": f.end.isoformat(timespec="milliseconds"),
    }
    if open_at_end:
        late_since = f.end - timedelta(days=LATE_DAYS)
        params["late_since"] = late_since.isoformat(timespec="milliseconds")
    where = [OPEN_AT_END if open_at_end else "a.received_at >= :start AND a.received_at < :end"]
    if f.categories:
        where.append(_in("a.category", "cat", f.categories, params))
    if f.priorities:
        where.append(_in("a.priority", "prio", f.priorities, params))
    # Communes come from the zones containing the alert (checked in Python, as
    # zones are), not from the commune the citizen typed (a.commune).
    if (f.zones or f.communes) and bbox is not None:
        # A citizen report past citizen_days has no position but its zones (a.zone).
        where.append(
            "(a.lon BETWEEN :lon0 AND :lon1 AND a.lat BETWEEN :lat0 AND :lat1"
            " OR (a.lat IS NULL AND a.zone IS NOT NULL))"
        )
        params.update(lon0=bbox[0], lat0=bbox[1], lon1=bbox[2], lat1=bbox[3])
    if f.operators:
        handled = []
        for i, operator in enumerate(sorted(f.operators)):
            params[f"op{i}"] = operator
            handled.append(
                "instr(char(31) || coalesce(a.handlers, '') || char(31),"
                f" char(31) || :op{i} || char(31)) > 0"
            )
        where.append("(" + " OR ".join(handled) + ")")
    if f.stations:
        where.append(
            "EXISTS (SELECT 1 FROM events e WHERE e.alert_pk = a.pk AND "
            + _in("e.station", "st", f.stations, params)
            + ")"
        )
    return (FACTS if facts else ALERTS).format(where=" AND ".join(where)), params
