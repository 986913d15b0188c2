"""The central review's PostgreSQL schema: the alerts of the whole CSU (one row per
(source, id)) and the events of every station's book (one row per (book, seq):
``book`` is the station that logged it, ``seq`` its pk there; ``station`` is the
event's own column, as in the station's database — ``cli`` for the command line,
another station for an update it sent).

The review reads the same columns as on a station's SQLite (see
:mod:`csu_console.storage.review_sql`): times are ISO texts in the same form
(``COLLATE "C"``: compared as SQLite compares them), ``details`` and ``extra`` are
JSON, and the review's columns of an alert (first acknowledgement, dispatch,
closing, delays, escalation, outcomes, handlers) are folded from its events by
:data:`FOLD` — the figures of SQLite's ``events_review`` trigger
(:mod:`csu_console.storage.review_schema`), here over every station's events,
in time order, whatever order they arrive in. A station's alert pk is local to
it: an event names its alert by (source, id) and gets the central pk when both
are there (either may come first). The alert's state is its last state event's.

``received_at`` is the first station's ``received`` event (the JetStream time of
the alert until one comes).
"""

from __future__ import annotations

import secrets
from typing import Any

from csu_console.core.logbook import PERSONAL_KEYS

SCHEMA_VERSION = 6
PSEUDONYM_KEY = "review_pseudonym_key"

#: Kinds that change what the review keeps on the alert (SQLite's list, migration 5),
#: with ``received`` (the central reception time) and the state events.
REVIEW_KINDS = (
    "'acknowledged', 'taken_over', 'dispatched', 'on_site', 'dispatch_ended', 'closed',"
    " 'reopened', 'escalated', 'update_received', 'correction', 'note'"
)
FOLD_KINDS = REVIEW_KINDS + ", 'received'"

_ACK = (
    "(e.kind IN ('acknowledged', 'taken_over', 'dispatched')"
    " OR (e.kind = 'update_received' AND e.details ->> 'from_state' = 'new'))"
)
_CLOSE = "(e.kind = 'closed' OR (e.kind = 'taken_over' AND e.details ->> 'state' = 'closed'))"
_STATE = (
    "CASE e.kind WHEN 'taken_over' THEN e.details ->> 'state'"
    " WHEN 'reopened' THEN 'acknowledged' ELSE e.kind END"
)
_STATE_KINDS = "('acknowledged', 'dispatched', 'closed', 'taken_over', 'reopened')"


def _delay(at: str, received: str) -> str:
    """Seconds from ``received`` to ``at``, to the millisecond (SQLite's round(…, 3))."""
    return (
        f"round((extract(epoch FROM ({at})::timestamptz)"
        f" - extract(epoch FROM ({received})::timestamptz)), 3)::double precision"
    )


# The review's columns of the alerts chosen by {where} (on ``a``), from their events.
FOLD = f"""
WITH g AS (
    SELECT e.alert_pk,
        min(e.at) FILTER (WHERE e.kind = 'received') AS received_at,
        min(e.at) FILTER (WHERE {_ACK}) AS ack_at,
        min(e.at) FILTER (WHERE e.kind = 'dispatched') AS dispatch_at,
        max(e.at) FILTER (WHERE e.kind = 'reopened') AS reopened_at,
        coalesce(bool_or(e.kind = 'escalated'), false) AS escalated,
        string_agg(e.pk || ':' || CASE
                WHEN e.kind = 'dispatch_ended' THEN coalesce(e.details ->> 'outcome', '')
                WHEN e.kind = 'closed' THEN '=' || (e.details ->> 'qualification')
                ELSE '~' END, chr(31) ORDER BY e.at, e.pk)
            FILTER (WHERE e.kind IN ('dispatch_ended', 'reopened')
                OR (e.kind = 'closed' AND e.details ->> 'qualification' IS NOT NULL))
            AS outcomes
    FROM events e JOIN alerts a ON a.pk = e.alert_pk
    WHERE {{where}} AND e.kind IN ({FOLD_KINDS})
    GROUP BY e.alert_pk
), c AS (
    SELECT e.alert_pk, min(e.at) AS closed_at
    FROM events e JOIN alerts a ON a.pk = e.alert_pk JOIN g ON g.alert_pk = e.alert_pk
    WHERE {{where}} AND {_CLOSE} AND (g.reopened_at IS NULL OR e.at > g.reopened_at)
    GROUP BY e.alert_pk
), h AS (
    SELECT alert_pk, string_agg(operator, chr(31) ORDER BY first_at, first_pk) AS handlers
    FROM (
        SELECT e.alert_pk, e.operator, min(e.at) AS first_at, min(e.pk) AS first_pk
        FROM events e JOIN alerts a ON a.pk = e.alert_pk
        WHERE {{where}} AND e.kind IN ({REVIEW_KINDS})
            AND e.operator IS NOT NULL AND e.operator <> ''
        GROUP BY e.alert_pk, e.operator
    ) AS o GROUP BY alert_pk
), s AS (
    SELECT DISTINCT ON (e.alert_pk) e.alert_pk, {_STATE} AS state, e.at AS state_at,
        e.station AS state_station, e.operator AS state_operator
    FROM events e JOIN alerts a ON a.pk = e.alert_pk
    WHERE {{where}} AND e.kind IN {_STATE_KINDS}
    ORDER BY e.alert_pk, e.at DESC, e.pk DESC
), r AS (
    SELECT g.*, coalesce(g.received_at, a.received_at) AS received
    FROM g JOIN alerts a ON a.pk = g.alert_pk
)
UPDATE alerts a SET
    received_at = r.received,
    ack_at = r.ack_at, ack_s = {_delay("r.ack_at", "r.received")},
    dispatch_at = r.dispatch_at, dispatch_s = {_delay("r.dispatch_at", "r.received")},
    closed_at = c.closed_at,
    escalated = r.escalated::int,
    outcomes = r.outcomes,
    handlers = h.handlers,
    state = coalesce(s.state, 'new'),
    state_at = s.state_at,
    state_station = s.state_station,
    state_operator = s.state_operator
FROM r LEFT JOIN c ON c.alert_pk = r.alert_pk LEFT JOIN h ON h.alert_pk = r.alert_pk
    LEFT JOIN s ON s.alert_pk = r.alert_pk
WHERE a.pk = r.alert_pk
"""

_T = 'text COLLATE "C"'
_PERSONAL = ", ".join(f"'{key}'" for key in sorted(PERSONAL_KEYS))

DDL = f"""
CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text);
CREATE TABLE IF NOT EXISTS alerts (
    pk bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    source {_T} NOT NULL,
    alert_id {_T} NOT NULL,
    seq bigint,
    fmt text NOT NULL,
    sent {_T} NOT NULL,
    received_at {_T} NOT NULL,
    category {_T} NOT NULL,
    category_raw {_T},
    priority integer NOT NULL,
    priority_from_rules integer NOT NULL DEFAULT 0,
    title text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    lat double precision,
    lon double precision,
    address text,
    accuracy_m double precision,
    commune {_T},
    reporter_pseudonym text,
    reporter_verified integer,
    attachments text NOT NULL DEFAULT '[]',
    extra jsonb NOT NULL DEFAULT '{{}}',
    state {_T} NOT NULL DEFAULT 'new',
    state_station {_T},
    state_operator {_T},
    state_at {_T},
    ack_at {_T},
    ack_s double precision,
    dispatch_at {_T},
    dispatch_s double precision,
    closed_at {_T},
    escalated integer NOT NULL DEFAULT 0,
    outcomes text,
    handlers text,
    zone text,
    collected_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, alert_id)
);
-- 5: the zones a citizen report keeps once its place is sealed (SQLite's alerts.zone)
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS zone text;
CREATE TABLE IF NOT EXISTS events (
    pk bigint GENERATED BY DEFAULT AS IDENTITY UNIQUE,
    book {_T} NOT NULL,
    seq bigint NOT NULL,
    station {_T},
    alert_pk bigint,
    station_alert_pk bigint,
    alert_source {_T},
    alert_id {_T},
    at {_T} NOT NULL,
    at_local {_T},
    kind {_T} NOT NULL,
    operator {_T},
    details jsonb NOT NULL DEFAULT '{{}}',
    details_salt text,
    details_sha256 text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    link_ok boolean NOT NULL DEFAULT true,
    collected_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (book, seq)
);
CREATE TABLE IF NOT EXISTS rejected (
    pk bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    stream text NOT NULL,
    stream_seq bigint NOT NULL,
    subject text NOT NULL,
    reason text NOT NULL,
    raw bytea NOT NULL,
    collected_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream, stream_seq)
);

-- SQLite's functions the review's statements use (see csu_console.central.dialect).
CREATE OR REPLACE FUNCTION julianday(t text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT extract(epoch FROM t::timestamptz)::double precision / 86400.0 + 2440587.5 $$;
CREATE OR REPLACE FUNCTION instr(haystack text, needle text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT strpos(haystack, needle) $$;

CREATE INDEX IF NOT EXISTS alerts_received_at ON alerts (received_at);
CREATE INDEX IF NOT EXISTS alerts_state ON alerts (state, priority);
CREATE INDEX IF NOT EXISTS alerts_category_received ON alerts (category, received_at);
CREATE INDEX IF NOT EXISTS alerts_closed_late ON alerts (state_at, received_at)
    WHERE state = 'closed' AND julianday(state_at) - julianday(received_at) > 0.125;
CREATE INDEX IF NOT EXISTS events_alert ON events (alert_pk, at);
CREATE INDEX IF NOT EXISTS events_alert_key ON events (alert_source, alert_id)
    WHERE alert_pk IS NULL;
CREATE INDEX IF NOT EXISTS events_at ON events (at);
CREATE INDEX IF NOT EXISTS events_kind_at ON events (kind, at);
CREATE INDEX IF NOT EXISTS events_operator_kind_at ON events (operator, kind, at);
-- A period's events counted per operator and kind from the index alone.
CREATE INDEX IF NOT EXISTS events_at_who ON events (at) INCLUDE (operator, kind, station);
CREATE INDEX IF NOT EXISTS events_cli ON events (at) INCLUDE (operator, kind)
    WHERE station = 'cli';

-- An event names its alert by (source, id): the central pk when the alert is there.
CREATE OR REPLACE FUNCTION csu_event_alert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.alert_pk IS NULL AND NEW.alert_source IS NOT NULL THEN
        SELECT pk INTO NEW.alert_pk FROM alerts
        WHERE source = NEW.alert_source AND alert_id = NEW.alert_id;
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION csu_event_review() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM csu_fold(NEW.alert_pk);
    RETURN NULL;
END $$;
-- An alert arriving after some of its events takes them.
CREATE OR REPLACE FUNCTION csu_alert_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE events SET alert_pk = NEW.pk
    WHERE alert_pk IS NULL AND alert_source = NEW.source AND alert_id = NEW.alert_id;
    IF FOUND THEN
        PERFORM csu_fold(NEW.pk);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION csu_fold(p_alert bigint) RETURNS void LANGUAGE sql AS $fold$
{FOLD.format(where="a.pk = p_alert")}
$fold$;
DROP TRIGGER IF EXISTS events_alert ON events;
CREATE TRIGGER events_alert BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION csu_event_alert();
DROP TRIGGER IF EXISTS events_review ON events;
CREATE TRIGGER events_review AFTER INSERT ON events FOR EACH ROW
    WHEN (NEW.alert_pk IS NOT NULL AND NEW.kind IN ({FOLD_KINDS}))
    EXECUTE FUNCTION csu_event_review();
DROP TRIGGER IF EXISTS alerts_events ON alerts;
CREATE TRIGGER alerts_events AFTER INSERT ON alerts
    FOR EACH ROW EXECUTE FUNCTION csu_alert_events();
-- Append-only: the copy of a chained book is never edited, but for two updates:
-- the central alert pk filled in (every other column as it was), and the purge
-- (csu_console.central.purge), which seals the personal values of details as the
-- station does (SQLite's events_no_update): every column but details and
-- details_salt as it was, the salt forgotten, the same keys plus "_purged" listing
-- personal keys whose values are now seals, every other value as it was.
CREATE OR REPLACE FUNCTION csu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    purged jsonb;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.pk = OLD.pk AND NEW.book = OLD.book AND NEW.seq = OLD.seq
        AND NEW.station IS NOT DISTINCT FROM OLD.station
        AND NEW.station_alert_pk IS NOT DISTINCT FROM OLD.station_alert_pk
        AND NEW.alert_source IS NOT DISTINCT FROM OLD.alert_source
        AND NEW.alert_id IS NOT DISTINCT FROM OLD.alert_id
        AND NEW.at = OLD.at AND NEW.at_local IS NOT DISTINCT FROM OLD.at_local
        AND NEW.kind = OLD.kind AND NEW.operator IS NOT DISTINCT FROM OLD.operator
        AND NEW.details_sha256 = OLD.details_sha256 AND NEW.prev_hash = OLD.prev_hash
        AND NEW.hash = OLD.hash AND NEW.link_ok = OLD.link_ok
        AND NEW.collected_at = OLD.collected_at THEN
        IF OLD.alert_pk IS NULL AND NEW.details = OLD.details
            AND NEW.details_salt IS NOT DISTINCT FROM OLD.details_salt THEN
            RETURN NEW;  -- the central alert pk filled in
        END IF;
        purged := NEW.details -> '_purged';
        IF NEW.alert_pk IS NOT DISTINCT FROM OLD.alert_pk
            AND OLD.details_salt IS NOT NULL AND NEW.details_salt IS NULL
            AND jsonb_typeof(purged) = 'array' AND NOT OLD.details ? '_purged'
            AND (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(NEW.details - '_purged') k)
                IS NOT DISTINCT FROM
                (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(OLD.details) k)
            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(purged) p
                WHERE jsonb_typeof(p) <> 'string' OR NOT OLD.details ? (p #>> '{{}}')
                    OR (p #>> '{{}}') NOT IN ({_PERSONAL}))
            AND NOT EXISTS (SELECT 1 FROM jsonb_each(OLD.details) o WHERE CASE
                WHEN purged ? o.key THEN jsonb_typeof(NEW.details -> o.key) <> 'string'
                    OR (NEW.details ->> o.key) !~ '^sha256:[0-9a-f]{{64}}$'
                ELSE NEW.details -> o.key IS DISTINCT FROM o.value END) THEN
            RETURN NEW;  -- the purge: personal values sealed, the salt forgotten
        END IF;
    END IF;
    RAISE EXCEPTION 'events are append-only (only the purge may seal details)';
END $$;
DROP TRIGGER IF EXISTS events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION csu_append_only();
-- 6: the purge reads only what it still has to do (csu_console.central.purge).
CREATE INDEX IF NOT EXISTS alerts_personal_open ON alerts (received_at, pk)
    WHERE (extra -> '_sealed' -> 'personnel') IS NULL;
CREATE INDEX IF NOT EXISTS alerts_citizen_open ON alerts (received_at, pk)
    WHERE fmt = 'json' AND seq IS NOT NULL AND (extra -> '_sealed' -> 'lieu') IS NULL;
CREATE INDEX IF NOT EXISTS events_salted ON events (at, book, seq)
    WHERE details_salt IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_holds ON events (alert_source, alert_id)
    WHERE kind IN ('legal_hold', 'legal_hold_released');
"""


def ensure_schema(conn: Any) -> None:
    """Create (or bring up to date) the central schema on a psycopg connection,
    and the database's pseudonym key; committed."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(1606)")  # two collectors starting
        if conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]:
            found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if found is not None and found[0] == str(SCHEMA_VERSION):
                return  # up to date: no DDL (its locks would wait for the readers)
        conn.execute(DDL)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (%s, %s), ('schema_version', %s)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            " WHERE meta.key = 'schema_version'",
            (PSEUDONYM_KEY, secrets.token_hex(32), str(SCHEMA_VERSION)),
        )
