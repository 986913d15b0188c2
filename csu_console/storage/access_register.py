"""Reads of the access register (see :mod:`csu_console.core.access_register`):
named operations on the review's reader, never SQL in the UI.

The register reads this station's ``events`` and the copies of the other
stations' events (``peer_events``, issue 16): the CSU's whole record of access.
Newest first; the screen takes a bounded page, the CSV export every row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from csu_console.core.access_register import (
    ACCESS_KINDS,
    AccessEntry,
    AccessFilter,
    write_access_csv,
)
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_export import ExportResult, Record, export_file

#: Rows the screen shows at most (the export has them all).
PAGE_ROWS = 5000

_SELECT = (
    "SELECT at, kind, station, operator, alert_pk, NULL, details, 0 FROM events"
    " WHERE kind IN ({kinds}) AND at >= :start AND at < :end{extra}"
    " UNION ALL"
    " SELECT at, kind, station, operator, NULL, alert_id, details, 1 FROM peer_events"
    " WHERE kind IN ({kinds}) AND at >= :start AND at < :end{extra}"
    " ORDER BY 1 DESC"
)
_CAMERA = (
    " AND (details ->> 'camera_id' = :camera OR EXISTS (SELECT 1 FROM"
    " json_each(details, '$.cameras') WHERE value = :camera))"
)
_OPERATORS = (
    "SELECT operator FROM events WHERE kind IN ({kinds}) AND at >= :start AND at < :end"
    " AND operator IS NOT NULL UNION SELECT operator FROM peer_events WHERE kind IN ({kinds})"
    " AND at >= :start AND at < :end AND operator IS NOT NULL ORDER BY 1"
)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds")


def _period(f: AccessFilter) -> tuple[str, dict[str, Any]]:
    """The kinds' placeholders, and the parameters of the kinds and the period."""
    kinds = sorted(k for k in f.kinds if k in ACCESS_KINDS)
    params: dict[str, Any] = {"start": _iso(f.start), "end": _iso(f.end)}
    for n, kind in enumerate(kinds):
        params[f"k{n}"] = kind
    return ", ".join(f":k{n}" for n in range(len(kinds))) or "NULL", params


def _query(f: AccessFilter, limit: int | None) -> tuple[str, dict[str, Any]]:
    marks, params = _period(f)
    extra = ""
    if f.operator:
        extra += " AND operator = :operator"
        params["operator"] = f.operator
    if f.camera:
        extra += _CAMERA
        params["camera"] = f.camera
    sql = _SELECT.format(kinds=marks, extra=extra)
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return sql, params


def _entry(row: tuple[Any, ...]) -> AccessEntry:
    at, kind, station, operator, alert_pk, alert_id, details, peer = row
    try:
        parsed = json.loads(details) if details else {}
    except ValueError:
        parsed = {}
    return AccessEntry(
        datetime.fromisoformat(at), kind, station, operator, alert_pk, alert_id,
        parsed if isinstance(parsed, dict) else {}, bool(peer),
    )  # fmt: skip


def iter_access(reader: ReviewReader, f: AccessFilter) -> Iterator[AccessEntry]:
    """Every access of ``f``, newest first."""
    sql, params = _query(f, None)
    cur = reader.execute(sql, params)
    while batch := reader.fetchmany(cur):
        yield from (_entry(r) for r in batch)


@dataclass(frozen=True)
class AccessPage:
    """What the screen shows: the newest accesses, whether there were more, and the
    operators seen in the period (the operator filter's choices)."""

    entries: tuple[AccessEntry, ...]
    truncated: bool
    operators: tuple[str, ...]


def read_access(reader: ReviewReader, f: AccessFilter, limit: int = PAGE_ROWS) -> AccessPage:
    """The newest ``limit`` accesses of ``f`` (one view of the database)."""
    with reader.snapshot():
        sql, params = _query(f, limit + 1)
        rows = reader.execute(sql, params).fetchall()
        marks, period = _period(f)
        found = reader.execute(_OPERATORS.format(kinds=marks), period).fetchall()
    entries = tuple(_entry(r) for r in rows[:limit])
    return AccessPage(entries, len(rows) > limit, tuple(r[0] for r in found))


def export_access_csv(
    reader: ReviewReader,
    f: AccessFilter,
    path: Path,
    *,
    tz: tzinfo,
    record: Record,
    camera_names: dict[str, str] | None = None,
) -> ExportResult:
    """Every access of ``f`` to a CSV file (UTF-8 with BOM, ``;``), logged by
    ``record`` (an ``export`` event) before the file is moved into place."""
    names = camera_names or {}

    def produce(tmp: Path) -> int:
        with reader.snapshot(), tmp.open("w", encoding="utf-8-sig", newline="") as out:
            return write_access_csv(iter_access(reader, f), out, tz, lambda c: names.get(c, c))

    return export_file(path, produce, record)
