"""Exports of the review, written so that none escapes the logbook.

The file is produced under a temporary name next to its target, hashed, the
``export`` event is logged (who, why, what, how many, the file's SHA-256), and
only then is the file moved into place: an export whose event could not be
written is deleted. Producing runs on the review's worker (read-only connection);
``record`` is how that worker has the console's writer log the event.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from csu_console.core.logbook import EventKind
from csu_console.core.review.export import write_csv
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.places import ReviewZones
from csu_console.storage.codec import classify
from csu_console.storage.review import (
    PSEUDONYM_KEY,
    Progress,
    ReviewReader,
    ZoneShapes,
    consistent,
)
from csu_console.storage.store import Store

log = logging.getLogger("csu.storage")

#: ``record(rows, sha256)`` logs the export event and returns its pk.
Record = Callable[[int, str], int]


@dataclass(frozen=True)
class ExportResult:
    """A finished export: where, how many rows (alerts or events), its hash, its event."""

    path: Path
    rows: int
    sha256: str
    event_pk: int


def ensure_pseudonym_key(store: Store) -> bytes:
    """This database's secret for pseudonyms, made on first use (read-write store)."""
    try:
        store.conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
            (PSEUDONYM_KEY, secrets.token_hex(32)),
        )
        row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (PSEUDONYM_KEY,))
        return bytes.fromhex(row.fetchone()[0])
    except sqlite3.Error as exc:
        raise classify(exc) from exc


def record_export(store: Store, station: str, operator: str, details: dict[str, Any]) -> int:
    """Log an ``export`` event (details from
    :func:`~csu_console.core.review.export.export_details`); its pk."""
    return store.add_event(EventKind.EXPORT, None, station, operator, details)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def export_file(path: Path, produce: Callable[[Path], int], record: Record) -> ExportResult:
    """``produce(tmp)`` writes the file and returns its row count; then ``record``
    logs it; then it is moved to ``path``. Any failure leaves nothing at ``path``."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        rows = produce(tmp)
        sha = _sha256(tmp)
        event_pk = record(rows, sha)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    log.info("export %s : %d lignes, sha256 %s (événement %d)", path.name, rows, sha, event_pk)
    return ExportResult(path, rows, sha, event_pk)


@consistent
def export_csv(
    reader: ReviewReader,
    f: ReviewFilter,
    path: Path,
    *,
    zones: ZoneShapes,
    tz: tzinfo,
    key: bytes | None,
    record: Record,
    zone_names: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Every alert of ``f`` to a CSV file (UTF-8 with BOM for spreadsheets),
    reporters pseudonymised with ``key`` (None: as stored), logged by ``record``."""

    def produce(tmp: Path) -> int:
        with tmp.open("w", encoding="utf-8-sig", newline="") as out:
            rows = reader.alerts(f, zones, progress=progress)
            communes = zones.commune_label if isinstance(zones, ReviewZones) else None
            return write_csv(rows, out, tz=tz, end=f.end, key=key, zone_names=zone_names,
                             communes=communes)  # fmt: skip

    return export_file(path, produce, record)
