"""What the supervisor review keeps on each alert row (schema migration 4): the
trigger that maintains it as events are logged, and the statement that fills it
for the alerts of a database migrated from version 3 (see
:mod:`csu_console.storage.review_sql` for the queries that read it)."""

from __future__ import annotations

# What the review reads on each alert's row (migration 4), folded from its events:
# first acknowledgement (or takeover, dispatch, or another station's update out of
# « new »), first dispatch, and their delays from reception in seconds; first
# closing; escalated; the interventions' outcomes ("<event pk>:<outcome>", char(31)
# between); the operators who handled it (char(31) between). Only these kinds fire
# the trigger: the storm's "received" rows do not. Events may be logged out of time
# order (another station's update): the earliest time wins.
_REVIEW_KINDS = (
    "'acknowledged', 'taken_over', 'dispatched', 'on_site', 'dispatch_ended', 'closed',"
    " 'escalated', 'update_received', 'correction', 'note'"
)
_ACK = (
    "(E.kind IN ('acknowledged', 'taken_over', 'dispatched')"
    " OR (E.kind = 'update_received' AND E.details ->> 'from_state' = 'new'))"
)
_DISPATCH = "E.kind = 'dispatched'"
_CLOSE = "(E.kind = 'closed' OR (E.kind = 'taken_over' AND E.details ->> 'state' = 'closed'))"
_HANDLER = "(E.operator IS NOT NULL AND E.operator <> '')"


def _delay(at: str) -> str:
    """Seconds from reception to ``at``, to the millisecond (the times' precision)."""
    return f"round((julianday({at}) - julianday(received_at)) * 86400.0, 3)"


def _first(column: str, condition: str, delay: str = "") -> str:
    earlier = f"{condition.replace('E.', 'NEW.')} AND ({column} IS NULL OR NEW.at < {column})"
    out = f"{column} = CASE WHEN {earlier} THEN NEW.at ELSE {column} END"
    if delay:
        out += f",\n        {delay} = CASE WHEN {earlier} THEN {_delay('NEW.at')} ELSE {delay} END"
    return out


REVIEW_TRIGGER = f"""
CREATE TRIGGER events_review AFTER INSERT ON events
WHEN NEW.alert_pk IS NOT NULL AND NEW.kind IN ({_REVIEW_KINDS})
BEGIN
    UPDATE alerts SET
        {_first("ack_at", _ACK, "ack_s")},
        {_first("dispatch_at", _DISPATCH, "dispatch_s")},
        {_first("closed_at", _CLOSE)},
        escalated = escalated OR NEW.kind = 'escalated',
        outcomes = CASE WHEN NEW.kind = 'dispatch_ended'
            THEN coalesce(outcomes || char(31), '') || NEW.pk || ':'
                 || coalesce(NEW.details ->> 'outcome', '')
            ELSE outcomes END,
        handlers = CASE WHEN NOT {_HANDLER.replace("E.", "NEW.")}
                OR instr(char(31) || coalesce(handlers, '') || char(31),
                         char(31) || NEW.operator || char(31)) > 0
            THEN handlers ELSE coalesce(handlers || char(31), '') || NEW.operator END
    WHERE pk = NEW.alert_pk;
END;
"""

# Migration 5: closings without any unit carry a qualification (« doublon »,
# « transmis au 17 »…, see csu_console.core.closing) that the review counts among
# the outcomes, as "<event pk>:=<qualification>"; a reopening adds "<event pk>:~"
# (the qualifications before it no longer count: see review_rows._outcomes) and
# makes the alert open again (closed_at forgotten until it is closed again).
QUALIFIED_MARK = "="
REOPENED_MARK = "~"
_REVIEW_KINDS_5 = _REVIEW_KINDS.replace("'closed',", "'closed', 'reopened',")
_CLOSED_AT_5 = _first("closed_at", _CLOSE).replace(
    "closed_at = CASE WHEN", "closed_at = CASE WHEN NEW.kind = 'reopened' THEN NULL WHEN", 1
)

REVIEW_TRIGGER_5 = f"""
DROP TRIGGER events_review;
CREATE TRIGGER events_review AFTER INSERT ON events
WHEN NEW.alert_pk IS NOT NULL AND NEW.kind IN ({_REVIEW_KINDS_5})
BEGIN
    UPDATE alerts SET
        {_first("ack_at", _ACK, "ack_s")},
        {_first("dispatch_at", _DISPATCH, "dispatch_s")},
        {_CLOSED_AT_5},
        escalated = escalated OR NEW.kind = 'escalated',
        outcomes = CASE
            WHEN NEW.kind = 'dispatch_ended'
            THEN coalesce(outcomes || char(31), '') || NEW.pk || ':'
                 || coalesce(NEW.details ->> 'outcome', '')
            WHEN NEW.kind = 'closed' AND NEW.details ->> 'qualification' IS NOT NULL
            THEN coalesce(outcomes || char(31), '') || NEW.pk || ':{QUALIFIED_MARK}'
                 || (NEW.details ->> 'qualification')
            WHEN NEW.kind = 'reopened' AND outcomes IS NOT NULL
            THEN outcomes || char(31) || NEW.pk || ':{REOPENED_MARK}'
            ELSE outcomes END,
        handlers = CASE WHEN NOT {_HANDLER.replace("E.", "NEW.")}
                OR instr(char(31) || coalesce(handlers, '') || char(31),
                         char(31) || NEW.operator || char(31)) > 0
            THEN handlers ELSE coalesce(handlers || char(31), '') || NEW.operator END
    WHERE pk = NEW.alert_pk;
END;
"""

REVIEW_BACKFILL = f"""
UPDATE alerts SET ack_at = g.ack_at, ack_s = {_delay("g.ack_at")},
    dispatch_at = g.dispatch_at, dispatch_s = {_delay("g.dispatch_at")},
    closed_at = g.closed_at, escalated = g.escalated, outcomes = g.outcomes,
    handlers = h.handlers
FROM (
    SELECT E.alert_pk,
        min(E.at) FILTER (WHERE {_ACK}) AS ack_at,
        min(E.at) FILTER (WHERE {_DISPATCH}) AS dispatch_at,
        min(E.at) FILTER (WHERE {_CLOSE}) AS closed_at,
        count(*) FILTER (WHERE E.kind = 'escalated') > 0 AS escalated,
        group_concat(E.pk || ':' || coalesce(E.details ->> 'outcome', ''), char(31))
            FILTER (WHERE E.kind = 'dispatch_ended') AS outcomes
    FROM events AS E WHERE E.alert_pk IS NOT NULL AND E.kind IN ({_REVIEW_KINDS})
    GROUP BY E.alert_pk
) AS g LEFT JOIN (
    SELECT alert_pk, group_concat(operator, char(31)) AS handlers FROM (
        SELECT DISTINCT E.alert_pk, E.operator FROM events AS E
        WHERE E.alert_pk IS NOT NULL AND E.kind IN ({_REVIEW_KINDS}) AND {_HANDLER}
    ) GROUP BY alert_pk
) AS h ON h.alert_pk = g.alert_pk
WHERE alerts.pk = g.alert_pk;
"""
