"""Writing the central review's PostgreSQL: alerts (as a station parses the hub's
frames) and the stations' events (:class:`~csu_console.core.book_wire.EventRecord`),
each at most once (``ON CONFLICT DO NOTHING``), their links re-checked, and the
chains' continuity (:func:`chain_problems`).

Nothing here commits: the caller (the collector) commits, then acknowledges to
JetStream.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from csu_console.core.book_wire import EventRecord
from csu_console.core.cap_facts import Disposition, disposition
from csu_console.core.protocol import AlertMessage
from csu_console.storage.codec import iso
from csu_console.storage.logbook import GENESIS, details_digest, link_hash
from csu_console.storage.store import ALERT_COLUMNS, _alert_row

log = logging.getLogger("csu.hub.collect")

_ALERT_INSERT = (
    f"INSERT INTO alerts ({', '.join(ALERT_COLUMNS)}) VALUES "
    f"({', '.join(['%s'] * len(ALERT_COLUMNS))}) ON CONFLICT (source, alert_id) DO NOTHING"
)
EVENT_COLUMNS = (
    "book", "seq", "station", "station_alert_pk", "alert_source", "alert_id", "at", "at_local",
    "kind", "operator", "details", "details_salt", "details_sha256", "prev_hash", "hash", "link_ok",
)  # fmt: skip
_EVENT_INSERT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES "
    f"({', '.join(['%s'] * len(EVENT_COLUMNS))}) ON CONFLICT (book, seq) DO NOTHING"
    " RETURNING seq"
)


def alert_values(msg: AlertMessage, received_at: datetime, seq: int | None) -> list[Any]:
    """One alert's values in :data:`ALERT_COLUMNS` order (``seq``: the stream's)."""
    row = _alert_row(msg, iso(received_at))
    row[2] = seq
    return row


#: The content a CAP Update replaces (as the stations do: same row, new content).
_UPDATED = (
    "category", "category_raw", "priority", "priority_from_rules", "title", "description",
    "lat", "lon", "address", "accuracy_m", "commune", "attachments", "extra",
)  # fmt: skip
_UPDATE_SQL = (
    f"UPDATE alerts SET ({', '.join(_UPDATED)}) = ({', '.join(['%s'] * len(_UPDATED))})"
    " WHERE source = %s AND alert_id = %s"
)


def apply_cap(cur: Any, msg: AlertMessage, row: Sequence[Any]) -> str:
    """What a CAP message does to the central copy, as at the stations (simplified):
    ``alert`` (insert it), ``updated`` (an Update of a known alert: its content
    replaced), ``skipped`` (Ack, Error, Test, System, a Cancel: the partners' log is
    the stations'; the review counts the alert as received).

    An Update none of whose references is known here is inserted as an alert (a
    station keeps it pending; the central copy has no pending table)."""
    kind = disposition(msg.alert.cap)
    if kind in (Disposition.FEED_LOG, Disposition.CANCEL):
        return "skipped"
    if kind is Disposition.UPDATE and msg.alert.cap is not None:
        values = [row[ALERT_COLUMNS.index(c)] for c in _UPDATED]
        updated = 0
        for ref in msg.alert.cap.references:
            cur.execute(_UPDATE_SQL, (*values, *ref.key))
            updated += cur.rowcount
        if updated:
            return "updated"
    return "alert"


def insert_alerts(cur: Any, rows: Sequence[Sequence[Any]]) -> int:
    """Insert alert rows (from :func:`alert_values`); how many were new."""
    new = 0
    for row in rows:
        cur.execute(_ALERT_INSERT, row)
        new += cur.rowcount
    return new


def link_ok(r: EventRecord) -> bool:
    """Whether the record's hash is its link recomputed (and its details' digest)."""
    if details_digest(r.details, r.details_salt) != r.details_sha256:
        return False
    return link_hash(r.prev_hash, r.link_row()) == r.hash


def event_values(r: EventRecord, ok: bool | None = None) -> list[Any]:
    """One record's values in :data:`EVENT_COLUMNS` order (``ok``: its link, checked
    here when None). ``book`` is the record's station, ``station`` the event's own."""
    details = json.dumps(r.details, ensure_ascii=False)
    return [
        r.station, r.seq, r.chained_station(), r.alert_pk, r.alert_source, r.alert_id, r.at,
        r.at_local, r.kind, r.operator, details, r.details_salt, r.details_sha256, r.prev_hash,
        r.hash, link_ok(r) if ok is None else ok,
    ]  # fmt: skip


@dataclass(frozen=True)
class ChainProblem:
    """Where a station's copied chain is not whole (French ``text``)."""

    station: str
    seq: int
    text: str


def insert_events(cur: Any, records: Sequence[EventRecord]) -> list[EventRecord]:
    """Insert records (in the given order); the ones that were new. Logs what breaks
    a chain as it comes: a bad link, a gap before one (the whole check is
    :func:`chain_problems`)."""
    new: list[EventRecord] = []
    for r in records:
        values = event_values(r)
        cur.execute(_EVENT_INSERT, values)
        if cur.fetchone() is not None:
            new.append(r)
            if not values[-1]:
                log.warning("poste %s, événement %d : maillon faux (hash recalculé différent)",
                            r.station, r.seq)  # fmt: skip
    for r in new:
        if r.seq <= 1:
            if r.prev_hash != GENESIS:
                log.warning("poste %s : premier événement sans origine de chaîne", r.station)
            continue
        found = cur.execute(
            "SELECT hash FROM events WHERE book = %s AND seq = %s", (r.station, r.seq - 1)
        ).fetchone()
        if found is None:
            log.warning("poste %s : trou dans la chaîne avant l'événement %d (reçu sans le %d)",
                        r.station, r.seq, r.seq - 1)  # fmt: skip
        elif found[0] != r.prev_hash:
            log.warning("poste %s : l'événement %d ne suit pas le %d (prev_hash différent)",
                        r.station, r.seq, r.seq - 1)  # fmt: skip
    return new


_CHECK = """
SELECT book, seq, prev_hash, link_ok, prev_seq, prev_found FROM (
    SELECT book, seq, prev_hash, link_ok,
        lag(seq) OVER w AS prev_seq, lag(hash) OVER w AS prev_found
    FROM events WINDOW w AS (PARTITION BY book ORDER BY seq)
) AS c
WHERE NOT link_ok OR (prev_seq IS NULL AND (seq <> 1 OR prev_hash <> %s))
    OR prev_seq <> seq - 1 OR (prev_seq = seq - 1 AND prev_found <> prev_hash)
ORDER BY book, seq
"""


def chain_problems(cur: Any) -> list[ChainProblem]:
    """Every place where a station's chain, as copied here, is not whole: events
    missing (« trou »), a link that does not follow the one before, a hash that
    is not its link recomputed."""
    out: list[ChainProblem] = []
    for station, seq, prev_hash, ok, prev_seq, prev_found in cur.execute(_CHECK, (GENESIS,)):
        if not ok:
            out.append(ChainProblem(station, seq, f"événement {seq} : maillon faux (recalculé)"))
        if prev_seq is None and seq != 1:
            out.append(ChainProblem(station, seq, f"événements 1 à {seq - 1} manquants"))
        elif prev_seq is None and prev_hash != GENESIS:
            out.append(ChainProblem(station, seq, "événement 1 : origine de chaîne fausse"))
        elif prev_seq is not None and prev_seq != seq - 1:
            text = (
                f"événement {prev_seq + 1} manquant"
                if prev_seq + 1 == seq - 1
                else f"événements {prev_seq + 1} à {seq - 1} manquants"
            )
            out.append(ChainProblem(station, seq, f"trou : {text}"))
        elif prev_seq is not None and prev_found != prev_hash:
            out.append(ChainProblem(station, seq, f"événement {seq} : ne suit pas le {prev_seq}"))
    return out


_ALL_EVENTS = (
    "SELECT book, seq, station, station_alert_pk, alert_source, alert_id, at, at_local,"
    " kind, operator, details, details_salt, details_sha256, prev_hash, hash"
    " FROM events ORDER BY book, seq"
)


def recomputed_problems(conn: Any, batch: int = 5000) -> list[ChainProblem]:
    """Every event's digest and link recomputed from what is stored now (its
    details as they are, sealed or not): the events edited after their collection
    (the purge's sealing leaves both unchanged). Read through a server-side cursor."""
    out: list[ChainProblem] = []
    with conn.transaction(), conn.cursor(name="csu_check") as cur:
        cur.itersize = batch
        cur.execute(_ALL_EVENTS)
        for row in cur:
            book, seq, station, station_alert_pk, source, alert_id = row[:6]
            at, local, kind, operator, details, salt, digest, prev_hash, h = row[6:]
            record = EventRecord(
                book, seq, at, local, kind, operator, details if isinstance(details, dict)
                else {}, salt, digest, prev_hash, h, station_alert_pk, source, alert_id,
                event_station="" if station == book else station,
            )  # fmt: skip
            if details_digest(record.details, salt) != digest:
                out.append(ChainProblem(book, seq, f"événement {seq} : détails modifiés"))
            elif link_hash(prev_hash, record.link_row()) != h:
                out.append(ChainProblem(book, seq, f"événement {seq} : maillon recalculé faux"))
    return out


def station_heads(cur: Any) -> list[tuple[str, int, int]]:
    """``(station, events, last seq)`` of each station copied here."""
    rows = cur.execute(
        "SELECT book, count(*), max(seq) FROM events GROUP BY book ORDER BY book"
    ).fetchall()
    return [(str(s), int(n), int(m)) for s, n, m in rows]


def reject(cur: Any, stream: str, stream_seq: int, subject: str, reason: str, raw: bytes) -> None:
    """Keep a message that is not a valid alert or event, with the reason."""
    cur.execute(
        "INSERT INTO rejected (stream, stream_seq, subject, reason, raw) VALUES"
        " (%s, %s, %s, %s, %s) ON CONFLICT (stream, stream_seq) DO NOTHING",
        (stream, stream_seq, subject, reason, raw),
    )
