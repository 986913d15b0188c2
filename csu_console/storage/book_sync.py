"""The station's side of the one book, in its SQLite database (no Qt, no network).

- Its own events go to the hub in order from a cursor (``meta`` key
  :data:`CURSOR_KEY`, the highest ``seq`` the hub stored): resent until the hub
  answers, like the status outbox.
- Heads witnessed by the hub (any station's, this one's too) go to ``witness_heads``.
- Other stations' events go to ``peer_events``, each station's chain checked one
  link at a time (prev_hash, link hash and details digest recomputed with
  :mod:`csu_console.storage.logbook`). **A break is kept, not dropped**: the event
  is stored as received (it is the other station's data, and the only copy here),
  the break is logged at ERROR and recorded in ``meta`` (:data:`BREAKS_KEY`,
  :func:`peer_breaks`), where ``logbook verify`` and the views find it; checking
  goes on from the event received.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from csu_console.core.book_wire import ChainHead, EventRecord
from csu_console.core.logbook import EventKind
from csu_console.storage.codec import classify, iso
from csu_console.storage.logbook import GENESIS, canonical_text, details_digest, link_hash

log = logging.getLogger("csu.net")

CURSOR_KEY = "book.sent_seq"
SHIFT_HEAD_KEY = "book.shift_head"
BREAKS_KEY = "book.peer_breaks"
MAX_BREAKS = 100  # the latest breaks kept in meta (each is also in the log)


@contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
    cur = conn.cursor()
    try:
        cur.execute("BEGIN IMMEDIATE")
        yield cur
        cur.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise classify(exc) from exc
        raise


def _meta(conn: sqlite3.Connection | sqlite3.Cursor, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def _set_meta(cur: sqlite3.Cursor, key: str, value: str) -> None:
    cur.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# -- own events and heads --------------------------------------------------------


def head_now(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """The chain's head: the last event's pk and hash (None: empty book)."""
    row = conn.execute("SELECT pk, hash FROM events ORDER BY pk DESC LIMIT 1").fetchone()
    return None if row is None or row[1] is None else (int(row[0]), str(row[1]))


def sent_cursor(conn: sqlite3.Connection) -> int:
    """The highest seq of this station the hub has stored (0: none yet)."""
    value = _meta(conn, CURSOR_KEY)
    return int(value) if value and value.isdigit() else 0


def advance_cursor(conn: sqlite3.Connection, last: int) -> None:
    """The hub stored this station's events up to ``last`` (never goes back)."""
    with _write(conn) as cur:
        if last > sent_cursor(conn):
            _set_meta(cur, CURSOR_KEY, str(last))


_OUT = (
    "SELECT e.pk, e.alert_pk, e.at, e.at_local, e.kind, e.station, e.operator, e.details,"
    " e.details_salt, e.details_sha256, e.prev_hash, e.hash, a.source, a.alert_id"
    " FROM events e LEFT JOIN alerts a ON a.pk = e.alert_pk WHERE e.pk > ? ORDER BY e.pk LIMIT ?"
)


def outgoing_events(conn: sqlite3.Connection, station: str, limit: int) -> list[EventRecord]:
    """This station's events after the cursor, oldest first, as they travel."""
    out: list[EventRecord] = []
    for r in conn.execute(_OUT, (sent_cursor(conn), limit)).fetchall():
        pk, alert_pk, at, at_local, kind, ev_station, operator, text = r[:8]
        salt, digest, prev, h, source, alert_id = r[8:]
        if h is None or digest is None or prev is None:
            break  # not chained (cannot happen after migration 3): stop before it
        try:
            details = json.loads(text)
        except (TypeError, ValueError):
            details = {"illisible": str(text)}
        out.append(
            EventRecord(
                station=station, seq=int(pk), at=at, at_local=at_local, kind=kind,
                operator=operator, details=details if isinstance(details, dict) else {},
                details_salt=salt, details_sha256=digest, prev_hash=prev, hash=h,
                alert_pk=alert_pk, alert_source=source, alert_id=alert_id,
                event_station="" if ev_station == station else ev_station,
            )
        )  # fmt: skip
    return out


def pending_shift_heads(conn: sqlite3.Connection, limit: int = 10) -> list[tuple[int, str]]:
    """The shift closings whose head the hub has not acknowledged yet (pk, hash).

    On the first run the cursor starts at the latest closing: the closings of
    before the hub are not published one by one (the minute head covers them)."""
    value = _meta(conn, SHIFT_HEAD_KEY)
    if value is None:
        row = conn.execute(
            "SELECT coalesce(max(pk), 0) FROM events WHERE kind = ?", (EventKind.SHIFT_CLOSED,)
        ).fetchone()
        with _write(conn) as cur:
            _set_meta(cur, SHIFT_HEAD_KEY, str(int(row[0])))
        return []
    rows = conn.execute(
        "SELECT pk, hash FROM events WHERE kind = ? AND pk > ? ORDER BY pk LIMIT ?",
        (EventKind.SHIFT_CLOSED, int(value), limit),
    ).fetchall()
    return [(int(pk), str(h)) for pk, h in rows if h is not None]


def shift_head_done(conn: sqlite3.Connection, seq: int) -> None:
    """The hub kept the head of the shift closing ``seq``."""
    with _write(conn) as cur:
        value = _meta(cur, SHIFT_HEAD_KEY)
        if value is None or int(value) < seq:
            _set_meta(cur, SHIFT_HEAD_KEY, str(seq))


# -- witnessed heads ----------------------------------------------------------------


def store_witness(conn: sqlite3.Connection, head: ChainHead) -> bool:
    """Keep a head the hub witnessed (signature checked by the caller); False when
    that station's head at that seq was already here."""
    with _write(conn) as cur:
        cur.execute(
            "INSERT OR IGNORE INTO witness_heads (station, seq, hash, at, reason, public_key,"
            " signature, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (head.station, head.seq, head.hash, head.at, head.reason, head.public_key,
             head.signature, iso(datetime.now(UTC))),
        )  # fmt: skip
        return cur.rowcount == 1


def witness_heads(conn: sqlite3.Connection, station: str | None = None) -> list[ChainHead]:
    """The heads kept here (one station's, or all), by station then seq."""
    sql = "SELECT station, seq, hash, at, reason, public_key, signature FROM witness_heads"
    params: tuple[Any, ...] = ()
    if station is not None:
        sql += " WHERE station = ?"
        params = (station,)
    rows = conn.execute(sql + " ORDER BY station, seq", params).fetchall()
    return [ChainHead(s, int(q), h, at, r, k, sig) for s, q, h, at, r, k, sig in rows]


# -- peer events ------------------------------------------------------------------


@dataclass(frozen=True)
class PeerBreak:
    """Where a station's copied chain does not hold (French ``problem``)."""

    station: str
    seq: int
    problem: str
    at: str = ""

    def __str__(self) -> str:
        return f"{self.station} n° {self.seq} : {self.problem}"


@dataclass
class PeerOutcome:
    """What :func:`store_peer_events` did."""

    stored: int = 0
    duplicates: int = 0
    breaks: list[PeerBreak] = field(default_factory=list)


def _link_problem(r: EventRecord) -> str | None:
    try:
        digest = details_digest(r.details, r.details_salt)
    except (TypeError, ValueError):
        return "détails ou sel illisibles"
    if digest != r.details_sha256:
        return "détails modifiés (leur empreinte ne correspond plus)"
    if link_hash(r.prev_hash, r.link_row()) != r.hash:
        return "empreinte du maillon fausse (heure, type, poste, opérateur ou alerte modifiés)"
    return None


def _continuity(cur: sqlite3.Cursor, r: EventRecord) -> str | None:
    before = cur.execute(
        "SELECT seq, hash FROM peer_events WHERE station = ? AND seq < ? ORDER BY seq DESC LIMIT 1",
        (r.station, r.seq),
    ).fetchone()
    if before is None:
        if r.seq == 1 and r.prev_hash != GENESIS:
            return "premier événement sans l'empreinte de départ"
        return None  # the copy starts here (the stream keeps a limited history)
    seq, h = int(before[0]), str(before[1])
    if seq != r.seq - 1:
        # Not yet a break: after a reconnection JetStream redelivers what was not
        # acknowledged after newer events. The gap shows until it is filled
        # (:func:`peer_gaps`), and the late event is checked on both sides then.
        return None
    if r.prev_hash != h:
        return f"maillon rompu : prev_hash ≠ empreinte du n° {seq} reçu — chaîne réécrite"
    return None


def _successor_problem(cur: sqlite3.Cursor, r: EventRecord) -> PeerBreak | None:
    """The event stored after ``r`` (arrived first) must point at ``r``."""
    after = cur.execute(
        "SELECT seq, prev_hash, at FROM peer_events WHERE station = ? AND seq = ?",
        (r.station, r.seq + 1),
    ).fetchone()
    if after is None or after[1] == r.hash:
        return None
    problem = f"maillon rompu : prev_hash ≠ empreinte du n° {r.seq} reçu — chaîne réécrite"
    return PeerBreak(r.station, int(after[0]), problem, str(after[2]))


def peer_gaps(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    """Events of the other stations not received (yet): (station, first, last) of
    each hole in a copy (a station away longer than the stream's retention keeps one)."""
    rows = conn.execute(
        "SELECT station, prev + 1, seq - 1 FROM (SELECT station, seq,"
        " lag(seq) OVER (PARTITION BY station ORDER BY seq) AS prev FROM peer_events)"
        " WHERE prev IS NOT NULL AND seq > prev + 1 ORDER BY station, seq"
    )
    return [(str(s), int(a), int(b)) for s, a, b in rows]


_INSERT = (
    "INSERT INTO peer_events (station, seq, alert_pk, alert_source, alert_id, at, at_local,"
    " kind, operator, details, details_salt, details_sha256, prev_hash, hash, received_at,"
    " event_station) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def store_peer_events(
    conn: sqlite3.Connection, records: Sequence[EventRecord], own_station: str
) -> PeerOutcome:
    """Store other stations' events (one transaction), checking each chain."""
    outcome = PeerOutcome()
    now = iso(datetime.now(UTC))
    with _write(conn) as cur:
        for r in records:
            if r.station == own_station:
                continue  # this station's own book is the original
            have = cur.execute(
                "SELECT hash FROM peer_events WHERE station = ? AND seq = ?", (r.station, r.seq)
            ).fetchone()
            if have is not None:
                if have[0] == r.hash:
                    outcome.duplicates += 1
                else:
                    outcome.breaks.append(
                        PeerBreak(r.station, r.seq, "reçu à nouveau avec une autre empreinte "
                                  f"({r.hash[:12]}… ≠ {str(have[0])[:12]}…) : copie gardée", r.at)
                    )  # fmt: skip
                continue
            problem = _link_problem(r) or _continuity(cur, r)
            if problem is not None:
                outcome.breaks.append(PeerBreak(r.station, r.seq, problem, r.at))
            elif (late := _successor_problem(cur, r)) is not None:
                outcome.breaks.append(late)
            details = canonical_text(r.details)
            cur.execute(
                _INSERT,
                (r.station, r.seq, r.alert_pk, r.alert_source, r.alert_id, r.at, r.at_local,
                 r.kind, r.operator, details, r.details_salt, r.details_sha256, r.prev_hash,
                 r.hash, now, r.event_station),
            )  # fmt: skip
            outcome.stored += 1
        if outcome.breaks:
            _record_breaks(cur, outcome.breaks)
    for b in outcome.breaks:
        log.error("main courante de %s : chaîne rompue au n° %d : %s", b.station, b.seq, b.problem)
    return outcome


def _record_breaks(cur: sqlite3.Cursor, breaks: Sequence[PeerBreak]) -> None:
    try:
        kept = json.loads(_meta(cur, BREAKS_KEY) or "[]")
    except ValueError:
        kept = []
    kept = [k for k in kept if isinstance(k, dict)]
    kept += [{"station": b.station, "seq": b.seq, "problem": b.problem, "at": b.at} for b in breaks]
    _set_meta(cur, BREAKS_KEY, json.dumps(kept[-MAX_BREAKS:], ensure_ascii=False))


def peer_breaks(conn: sqlite3.Connection) -> list[PeerBreak]:
    """The breaks found in other stations' copied chains (latest :data:`MAX_BREAKS`)."""
    try:
        kept = json.loads(_meta(conn, BREAKS_KEY) or "[]")
    except ValueError:
        return []
    return [
        PeerBreak(str(k.get("station")), int(k.get("seq", 0)), str(k.get("problem")),
                  str(k.get("at", "")))
        for k in kept
        if isinstance(k, dict)
    ]  # fmt: skip


def peer_heads(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Per other station: (events copied, highest seq)."""
    rows = conn.execute("SELECT station, count(*), max(seq) FROM peer_events GROUP BY station")
    return {s: (int(n), int(m)) for s, n, m in rows.fetchall()}
