"""The main courante in the database: operators' entries and corrections written
into the chain, and the book of the whole CSU read back (this station's
``events`` and the other stations' copy in ``peer_events``).

Writes run on the storage thread (the console's :class:`~csu_console.storage.writer.StorageWriter`)
through :func:`~csu_console.storage.logbook.append_events`, so entries are chained
like every event. Reads are plain queries of one connection; the UI calls these
named operations, never SQL.

Indexes: the period is read through ``events_at`` / ``events_kind_at`` and
``peer_events_at``; corrections through ``events_kind_at`` (own) and the
``peer_events`` primary key (station, seq). Measured on 100,000 events: see
``tests/unit/storage/test_book.py::test_a_day_of_a_big_book_reads_fast``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from csu_console.core.book import (
    WRITTEN_KINDS,
    BookCursor,
    BookPage,
    BookQuery,
    BookRow,
    EntryDraft,
)
from csu_console.core.logbook import EventKind, LogbookError, correction_details
from csu_console.storage.codec import classify, iso
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.store import Store

_CHUNK = 500  # values of one IN (…)

# One event of the book, from this station's events or a peer's copy; the same
# columns in the same order on both sides of the UNION.
_OWN = """
SELECT 1 AS own, coalesce(e.station, :me) AS station, e.pk AS seq, e.alert_pk AS alert_pk,
       a.source AS alert_source, a.alert_id AS alert_id, e.at AS at, e.kind AS kind,
       e.operator AS operator, e.details AS details, a.title AS title
FROM events e LEFT JOIN alerts a ON a.pk = e.alert_pk
"""
_PEER = """
SELECT 0 AS own, p.station AS station, p.seq AS seq, a.pk AS alert_pk,
       p.alert_source AS alert_source, p.alert_id AS alert_id, p.at AS at, p.kind AS kind,
       p.operator AS operator, p.details AS details, a.title AS title
FROM peer_events p LEFT JOIN alerts a ON a.source = p.alert_source AND a.alert_id = p.alert_id
"""


# -- writing ---------------------------------------------------------------------


def write_entry(
    store: Store,
    draft: EntryDraft,
    *,
    station: str,
    operator: str,
    alert_pk: int | None = None,
    at: datetime | None = None,
) -> int:
    """Append an operator's entry to the chain; its pk. LogbookError says what is wrong."""
    details = draft.details()
    if not operator:
        raise LogbookError("Personne n'est connecté : l'entrée doit être signée.")
    event = NewEvent(EventKind.ENTRY.value, at or datetime.now(UTC), alert_pk, station, operator,
                     details)  # fmt: skip
    with store._transaction() as cur:
        if (
            alert_pk is not None
            and cur.execute("SELECT 1 FROM alerts WHERE pk = ?", (alert_pk,)).fetchone() is None
        ):
            raise LogbookError(f"Alerte n° {alert_pk} inconnue.")
        [pk] = append_events(cur, [event], store.tz)
    return pk


def write_correction(
    store: Store,
    corrects: int,
    comment: str,
    draft: EntryDraft,
    *,
    station: str,
    operator: str,
    at: datetime | None = None,
) -> int:
    """Append a correction of this station's entry ``corrects`` (why: ``comment``;
    the corrected values: ``draft``); its pk. The entry itself is never touched."""
    if not operator:
        raise LogbookError("Personne n'est connecté : la correction doit être signée.")
    values = draft.details()
    details = correction_details(corrects, comment, **values)
    with store._transaction() as cur:
        row = cur.execute("SELECT kind, alert_pk FROM events WHERE pk = ?", (corrects,)).fetchone()
        if row is None:
            raise LogbookError(f"Entrée n° {corrects} inconnue dans la main courante de ce poste.")
        if row[0] != EventKind.ENTRY.value:
            raise LogbookError(
                f"L'événement n° {corrects} n'est pas une entrée d'opérateur : "
                "seules les entrées de la main courante se corrigent."
            )
        event = NewEvent(EventKind.CORRECTION.value, at or datetime.now(UTC), row[1], station,
                         operator, details)  # fmt: skip
        [pk] = append_events(cur, [event], store.tz)
    return pk


# -- reading -----------------------------------------------------------------------


def book_cursor(conn: sqlite3.Connection) -> BookCursor:
    """Where the book stands now (two lookups of an index's last key: cheap to poll)."""
    try:
        own = conn.execute("SELECT coalesce(max(pk), 0) FROM events").fetchone()[0]
        peers = conn.execute("SELECT coalesce(max(rowid), 0) FROM peer_events").fetchone()[0]
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return BookCursor(int(own), int(peers))


def _in(column: str, values: Iterable[str], params: list[Any]) -> str:
    values = sorted(values)
    params.extend(values)
    return f"{column} IN ({', '.join('?' * len(values))})"


def _where(q: BookQuery, alias: str, since: str, until: str, params: list[Any], me: str) -> str:
    """The query's conditions on one side of the UNION (``e`` or ``p``)."""
    params.extend([since, until])
    parts = [f"{alias}.at >= ?", f"{alias}.at < ?"]
    kinds = set(q.kinds)
    if q.entries_only or q.entry_types:
        kinds = kinds & WRITTEN_KINDS if kinds else set(WRITTEN_KINDS)
    if kinds:
        parts.append(_in(f"{alias}.kind", kinds, params))
    if q.entry_types:
        parts.append(_in(f"json_extract({alias}.details, '$.type')", q.entry_types, params))
    if q.stations:
        station = "coalesce(e.station, ?)" if alias == "e" else "p.station"
        if alias == "e":
            params.append(me)
        parts.append(_in(station, q.stations, params))
    if q.operators:
        parts.append(_in(f"{alias}.operator", q.operators, params))
    if q.alert is not None:
        if alias == "e":
            parts.append("a.source = ? AND a.alert_id = ?")
        else:
            parts.append("p.alert_source = ? AND p.alert_id = ?")
        params.extend(q.alert)
    text = " ".join(q.text.split())
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        parts.append(
            f"({alias}.details LIKE ? ESCAPE '\\' OR a.title LIKE ? ESCAPE '\\'"
            f" OR {alias}.operator LIKE ? ESCAPE '\\')"
        )
        params.extend([like, like, like])
    return " WHERE " + " AND ".join(parts)


def _row(r: Sequence[Any]) -> BookRow:
    own, station, seq, alert_pk, source, alert_id, at, kind, operator, details, title = r
    try:
        parsed = json.loads(details) if details else {}
    except ValueError:
        parsed = {"_illisible": details}
    return BookRow(
        station=station or "",
        seq=int(seq),
        own=bool(own),
        at=datetime.fromisoformat(at),
        kind=kind,
        operator=operator,
        details=parsed if isinstance(parsed, dict) else {"_illisible": details},
        alert_pk=alert_pk,
        alert_key=(source, alert_id) if source is not None and alert_id is not None else None,
        alert_title=title,
    )


def read_book(
    conn: sqlite3.Connection,
    query: BookQuery,
    tz: tzinfo,
    station: str,
    now: datetime | None = None,
) -> BookPage:
    """The book of the CSU for ``query``: this station's events (``station`` is its
    id) and the peers' copy, newest first unless asked otherwise, entries with
    their corrections, corrections with the entry they correct."""
    try:
        cursor = book_cursor(conn)
        start, end = query.period(tz, now)
        since, until = iso(start), iso(end)
        params: list[Any] = [station]
        own_where = _where(query, "e", since, until, params, station)
        peer_where = _where(query, "p", since, until, params, station)
        order = "DESC" if query.newest_first else "ASC"
        sql = (
            f"SELECT * FROM ({_OWN.replace(':me', '?')}{own_where} UNION ALL {_PEER}{peer_where})"
            f" ORDER BY at {order}, own {order}, station {order}, seq {order} LIMIT ?"
        )
        params.append(query.limit + 1)
        rows = [_row(r) for r in conn.execute(sql, params)]
        truncated = len(rows) > query.limit
        rows = rows[: query.limit]
        rows = _attach(conn, rows, station)
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return BookPage(rows, truncated, cursor)


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _corrections_of(
    conn: sqlite3.Connection, station: str, own: bool, seqs: Sequence[int], me: str
) -> dict[int, list[BookRow]]:
    """Corrections of these entries of ``station`` (oldest first), by entry seq."""
    out: dict[int, list[BookRow]] = {}
    for chunk in _chunks(seqs):
        marks = ", ".join("?" * len(chunk))
        target = "json_extract({}.details, '$.corrects')"
        if own:
            sql = (
                f"{_OWN.replace(':me', '?')} WHERE e.kind = 'correction'"
                f" AND {target.format('e')} IN ({marks}) ORDER BY e.pk"
            )
            params: list[Any] = [me, *chunk]
        else:
            sql = (
                f"{_PEER} WHERE p.station = ? AND p.kind = 'correction'"
                f" AND {target.format('p')} IN ({marks}) ORDER BY p.seq"
            )
            params = [station, *chunk]
        for r in conn.execute(sql, params):
            row = _row(r)
            out.setdefault(int(row.details.get("corrects", 0)), []).append(row)
    return out


def _entries(
    conn: sqlite3.Connection, station: str, own: bool, seqs: Sequence[int], me: str
) -> dict[int, BookRow]:
    """The entries of ``station`` with these seqs (what corrections point at)."""
    out: dict[int, BookRow] = {}
    for chunk in _chunks(seqs):
        marks = ", ".join("?" * len(chunk))
        if own:
            sql = f"{_OWN.replace(':me', '?')} WHERE e.pk IN ({marks})"
            params: list[Any] = [me, *chunk]
        else:
            sql = f"{_PEER} WHERE p.station = ? AND p.seq IN ({marks})"
            params = [station, *chunk]
        for r in conn.execute(sql, params):
            row = _row(r)
            out[row.seq] = row
    return out


def _attach(conn: sqlite3.Connection, rows: list[BookRow], me: str) -> list[BookRow]:
    """Each entry with its corrections; each correction with its entry (and the
    entry's other corrections, for the « before » of this one)."""
    groups: dict[tuple[str, bool], set[int]] = {}
    for row in rows:
        if row.is_entry:
            groups.setdefault((row.station, row.own), set()).add(row.seq)
        elif row.is_correction and isinstance(row.details.get("corrects"), int):
            groups.setdefault((row.station, row.own), set()).add(int(row.details["corrects"]))
    if not groups:
        return rows
    fixes: dict[tuple[str, bool], dict[int, list[BookRow]]] = {}
    originals: dict[tuple[str, bool], dict[int, BookRow]] = {}
    for (station, own), seqs in groups.items():
        ordered = sorted(seqs)
        fixes[(station, own)] = _corrections_of(conn, station, own, ordered, me)
        originals[(station, own)] = _entries(conn, station, own, ordered, me)
    out: list[BookRow] = []
    for row in rows:
        group = (row.station, row.own)
        if row.is_entry:
            found = fixes.get(group, {}).get(row.seq)
            out.append(_with(row, corrections=tuple(found)) if found else row)
        elif row.is_correction:
            target = row.details.get("corrects")
            entry = originals.get(group, {}).get(target) if isinstance(target, int) else None
            if entry is not None and entry.is_entry:
                earlier = [c for c in fixes[group].get(entry.seq, []) if c.seq < row.seq]
                entry = _with(entry, corrections=tuple(earlier))
                out.append(_with(row, corrected=entry))
            else:
                out.append(row)
        else:
            out.append(row)
    return out


def _with(row: BookRow, **changes: Any) -> BookRow:
    return replace(row, **changes)


def book_people(
    conn: sqlite3.Connection, query: BookQuery, tz: tzinfo, station: str
) -> tuple[list[str], list[str]]:
    """The stations and operators found in the query's period (for the filters)."""
    start, end = query.period(tz)
    since, until = iso(start), iso(end)
    try:
        stations = {station}
        operators: set[str] = set()
        for table, col in (("events", f"coalesce(station, '{_quote(station)}')"),
                           ("peer_events", "station")):  # fmt: skip
            sql = f"SELECT DISTINCT {col}, operator FROM {table} WHERE at >= ? AND at < ?"
            for st, op in conn.execute(sql, (since, until)):
                if st:
                    stations.add(st)
                if op:
                    operators.add(op)
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return sorted(stations), sorted(operators)


def _quote(text: str) -> str:
    return text.replace("'", "''")


def chain_head(conn: sqlite3.Connection) -> tuple[int, str]:
    """This station's chain head: the last event's pk and hash (0 and "" when empty)."""
    try:
        row = conn.execute("SELECT pk, hash FROM events ORDER BY pk DESC LIMIT 1").fetchone()
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return (0, "") if row is None else (int(row[0]), str(row[1] or ""))
