"""Weak signals in the ``signals`` table (migration 10): save a scan, list, decide.

- :func:`save_scan` upserts the detector's findings by their stable id: a signal
  found again keeps its status, its decision and its first sighting (the figures,
  the alerts behind it and ``last_seen`` are the latest scan's); a new one is
  written with its ``signal_detected`` event, in the same transaction.
- :func:`set_signal_status` is a supervisor's « suivi » / « sans suite »: the row
  and its ``signal_followed`` / ``signal_dismissed`` event go in one transaction.
- :func:`list_signals` and :func:`signal_alerts` read them back for the screen.

The title and the comment go in the events under personal keys (``text``,
``comment``): a recurring term can quote a citizen's words, and the purge seals
those values as it does every free text of the main courante.

Called on the console's storage thread (``DbTasks.run``) or with a store of one's
own; the UI never writes SQL.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from csu_console.core.logbook import MAX_TEXT, EventKind
from csu_console.core.weak_signals.model import Signal, SignalKind, SignalStatus
from csu_console.errors import UserFacingError
from csu_console.storage.codec import iso
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.store import Store

log = logging.getLogger("csu.signals")

_COLUMNS = (
    "id", "kind", "title", "test", "strength", "period_start", "period_end", "observed",
    "expected", "p_value", "category", "zone_ids", "communes", "term", "alerts", "places",
    "first_seen", "last_seen", "station", "status", "status_by", "status_station",
    "status_at", "comment",
)  # fmt: skip
_FINDINGS = _COLUMNS[:16]  # what a rescan updates (the rest is kept)
_UPSERT = (
    f"INSERT INTO signals ({', '.join((*_FINDINGS, 'first_seen', 'last_seen', 'station'))})"
    f" VALUES ({', '.join('?' * (len(_FINDINGS) + 3))})"
    " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in (*_FINDINGS[1:], "last_seen"))
)

_STATUS_EVENTS: dict[SignalStatus, EventKind] = {
    SignalStatus.FOLLOWED: EventKind.SIGNAL_FOLLOWED,
    SignalStatus.DISMISSED: EventKind.SIGNAL_DISMISSED,
}


class SignalError(UserFacingError):
    """A decision on a signal that cannot be recorded (French, shown as is)."""


@dataclass(frozen=True)
class StoredSignal:
    """A signal as stored: the finding, when it was first and last seen, its status."""

    signal: Signal
    first_seen: datetime
    last_seen: datetime
    status: SignalStatus
    status_by: str | None = None
    status_station: str | None = None
    status_at: datetime | None = None
    comment: str = ""

    @property
    def id(self) -> str:
        return self.signal.id


@dataclass(frozen=True)
class SignalAlert:
    """One alert behind a signal, as the explanation lists it."""

    pk: int
    source: str
    alert_id: str
    sent: datetime
    category: str
    address: str  # as reported ("" when none)
    commune: str  # the commune as reported ("" when none)
    lon: float | None
    lat: float | None

    @property
    def place(self) -> str:
        """The address, else the reported commune, else ""."""
        return self.address or self.commune


def _row(s: Signal) -> list[Any]:
    return [
        s.id, s.kind.value, s.title, s.test, float(s.strength), iso(s.start), iso(s.end),
        int(s.observed), float(s.expected), float(s.p_value), s.category,
        json.dumps(list(s.zone_ids)), json.dumps(list(s.communes)), s.term,
        json.dumps([list(k) for k in s.alerts]), json.dumps([list(p) for p in s.places]),
    ]  # fmt: skip


def invalid_reason(s: Signal) -> str | None:
    """Why a finding cannot be stored (None: it can): a detector's bug is logged and
    that finding left out, never the whole scan."""
    if not s.id or not s.title:
        return "identifiant ou titre vide"
    for name in ("strength", "expected", "p_value"):
        if not math.isfinite(float(getattr(s, name))):
            return f"{name} non fini"
    if s.start.tzinfo is None or s.end.tzinfo is None:
        return "période sans fuseau horaire"
    return None


def save_scan(
    store: Store, signals: Sequence[Signal], at: datetime, station: str | None
) -> list[str]:
    """Upsert one scan's findings; the ids that were new (each logged
    ``signal_detected``), in the order given. A finding that cannot be stored
    (:func:`invalid_reason`) is logged and left out."""
    kept = []
    for s in signals:
        reason = invalid_reason(s)
        if reason is None:
            kept.append(s)
        else:
            log.warning("signal %r écarté : %s", s.id, reason)
    signals = kept
    with store._transaction() as cur:
        ids = [s.id for s in signals]
        known: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            known.update(
                r[0] for r in cur.execute(f"SELECT id FROM signals WHERE id IN ({marks})", chunk)
            )
        when = iso(at)
        new: list[str] = []
        events: list[NewEvent] = []
        for s in signals:
            cur.execute(_UPSERT, [*_row(s), when, when, station])
            if s.id in known:
                continue
            known.add(s.id)  # twice in one scan: one event
            new.append(s.id)
            events.append(
                NewEvent(
                    EventKind.SIGNAL_DETECTED,
                    at,
                    None,
                    station,
                    None,
                    {
                        "signal": s.id,
                        "signal_kind": s.kind.value,
                        "text": s.title,
                        "strength": round(float(s.strength), 3),
                        "category": s.category,
                        "zones": list(s.zone_ids),
                        "communes": list(s.communes),
                        "observed": int(s.observed),
                    },
                )
            )
        append_events(cur, events, store.tz)
    if new:
        log.info("%d nouveau(x) signal(aux) faible(s) sur %d trouvé(s)", len(new), len(signals))
    return new


def _signal(r: sqlite3.Row | tuple[Any, ...]) -> StoredSignal:
    (sid, kind, title, test, strength, start, end, observed, expected, p_value, category,
     zones, communes, term, alerts, places, first, last, _station, status, by, st_station,
     st_at, comment) = r  # fmt: skip
    signal = Signal(
        sid, SignalKind(kind), title, test, float(strength), datetime.fromisoformat(start),
        datetime.fromisoformat(end), int(observed), float(expected), float(p_value), category,
        tuple(json.loads(zones)), tuple(json.loads(communes)), term,
        tuple((str(a), str(b)) for a, b in json.loads(alerts)),
        tuple((float(x), float(y)) for x, y in json.loads(places)),
    )  # fmt: skip
    return StoredSignal(
        signal, datetime.fromisoformat(first), datetime.fromisoformat(last),
        SignalStatus(status), by, st_station,
        None if st_at is None else datetime.fromisoformat(st_at), comment or "",
    )  # fmt: skip


def list_signals(
    store: Store,
    *,
    status: SignalStatus | None = None,
    kind: SignalKind | None = None,
    commune: str | None = None,
    since: datetime | None = None,
    limit: int = 2000,
) -> list[StoredSignal]:
    """Stored signals, strongest first; narrowed by status, kind, commune (its key)
    and ``since`` (seen by a scan at or after it)."""
    where: list[str] = []
    params: list[Any] = []
    if status is not None:
        where.append("status = ?")
        params.append(status.value)
    if kind is not None:
        where.append("kind = ?")
        params.append(kind.value)
    if commune is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(communes) WHERE value = ?)")
        params.append(commune)
    if since is not None:
        where.append("last_seen >= ?")
        params.append(iso(since))
    sql = f"SELECT {', '.join(_COLUMNS)} FROM signals"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY strength DESC, first_seen DESC, id LIMIT ?"
    params.append(limit)
    return [_signal(r) for r in store.conn.execute(sql, params)]


def get_signal(store: Store, signal_id: str) -> StoredSignal | None:
    row = store.conn.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM signals WHERE id = ?", (signal_id,)
    ).fetchone()
    return None if row is None else _signal(row)


def new_ids(store: Store) -> list[str]:
    """The signals no supervisor has decided on yet, strongest first."""
    rows = store.conn.execute(
        "SELECT id FROM signals WHERE status = 'nouveau' ORDER BY strength DESC, id"
    )
    return [r[0] for r in rows]


def count_new(store: Store) -> int:
    """Signals no supervisor has decided on yet."""
    row = store.conn.execute("SELECT count(*) FROM signals WHERE status = 'nouveau'").fetchone()
    return int(row[0])


def set_signal_status(
    store: Store,
    signal_id: str,
    status: SignalStatus,
    station: str | None,
    operator: str | None,
    comment: str = "",
    *,
    at: datetime | None = None,
) -> StoredSignal:
    """A supervisor's decision (« suivi » or « sans suite »), logged with its comment
    in the same transaction; the signal as it now is. A decision can be changed
    (each one is logged); it cannot be taken back to « nouveau »."""
    event_kind = _STATUS_EVENTS.get(status)
    if event_kind is None:
        raise SignalError("Un signal se marque « suivi » ou « sans suite ».")
    comment = comment.strip()[:MAX_TEXT]
    now = at if at is not None else datetime.now().astimezone()
    with store._transaction() as cur:
        row = cur.execute("SELECT status, title FROM signals WHERE id = ?", (signal_id,)).fetchone()
        if row is None:
            raise SignalError(f"Signal {signal_id} introuvable.")
        previous, title = row
        cur.execute(
            "UPDATE signals SET status = ?, status_by = ?, status_station = ?, status_at = ?,"
            " comment = ? WHERE id = ?",
            (status.value, operator, station, iso(now), comment, signal_id),
        )
        details: dict[str, Any] = {"signal": signal_id, "text": title, "previous": previous}
        if comment:
            details["comment"] = comment
        append_events(cur, [NewEvent(event_kind, now, None, station, operator, details)], store.tz)
    log.info("signal %s : %s -> %s (%s)", signal_id, previous, status.value, operator)
    found = get_signal(store, signal_id)
    assert found is not None  # written just above, in this thread
    return found


def signal_alerts(store: Store, keys: Sequence[tuple[str, str]]) -> list[SignalAlert]:
    """The stored alerts among ``keys`` (source, id), oldest first (purged or
    unknown ones are left out)."""
    if not keys:
        return []
    rows = store.conn.execute(
        "SELECT a.pk, a.source, a.alert_id, a.sent, a.category,"
        " coalesce(a.address, ''), coalesce(a.commune, ''), a.lon, a.lat"
        " FROM json_each(?) k JOIN alerts a"
        " ON a.source = k.value ->> 0 AND a.alert_id = k.value ->> 1"
        " ORDER BY a.sent, a.pk",
        (json.dumps([list(k) for k in keys]),),
    ).fetchall()
    return [
        SignalAlert(int(pk), src, aid, datetime.fromisoformat(sent), cat, addr, com, lon, lat)
        for pk, src, aid, sent, cat, addr, com, lon, lat in rows
    ]
