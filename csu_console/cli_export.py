"""``csu-console export``: the station's records as JSON lines or CSV (alerts,
events, rejected frames), for a requisition or an audit; every export is logged in
the main courante (who, why, what: CNIL)."""

from __future__ import annotations

import argparse
import base64
import csv
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from csu_console.cli_access import who_runs
from csu_console.core.logbook import EventKind
from csu_console.errors import CsuError
from csu_console.paths import default_data_dir
from csu_console.storage.admin import CLI_STATION
from csu_console.storage.store import DB_NAME, Store

ALERT_COLUMNS = [
    "source",
    "alert_id",
    "category",
    "category_raw",
    "priority",
    "sent",
    "received_at",
    "state",
    "lat",
    "lon",
    "address",
    "commune",
    "title",
    "description",
    "fmt",
    "seq",
    # A partner's CAP alert (issue 17): its area (GeoJSON), expiry, what its
    # issuer made of it (cancelled, expired) and how many Updates replaced it.
    "area",
    "expires",
    "issuer_state",
    "version",
]


def _iso_bound(text: str | None, name: str) -> str | None:
    if text is None:
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise CsuError(f"--{name} : date ISO 8601 attendue, reçu {text!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="milliseconds")


def _export_rows(
    store: Store, what: str, since: str | None, until: str | None
) -> Iterator[dict[str, Any]]:
    for row in store.iter_rows(what, since, until):
        if what == "alerts":
            out = {k: row.get(k) for k in ALERT_COLUMNS}  # a base not migrated yet: None
            out["id"] = out.pop("alert_id")
            yield out
        elif what == "rejected":
            raw = row.pop("raw")
            row["raw_b64"] = base64.b64encode(raw).decode()
            yield row
        else:
            row.pop("details_salt", None)  # the purge's secret, not part of the record
            yield row


def db_path(args: argparse.Namespace) -> Path:
    """The database of ``--data-dir`` (or the user's data directory)."""
    return Path(args.data_dir or default_data_dir()) / DB_NAME


def export(args: argparse.Namespace, out: TextIO) -> int:
    """Write stored records to ``out`` as JSON lines or CSV."""
    path = db_path(args)
    if not path.exists():
        print(f"csu-console export : base introuvable : {path}", file=sys.stderr)
        return 2
    since = _iso_bound(args.since, "since")
    until = _iso_bound(args.until, "until")
    store = Store(path, readonly=True)
    try:
        rows = _export_rows(store, args.what, since, until)
        count = 0
        if args.format == "jsonl":
            for row in rows:
                count += 1
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer: csv.DictWriter[str] | None = None
            for row in rows:
                count += 1
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
                    writer.writeheader()
                writer.writerow(row)
    finally:
        store.close()
    _log_export(path, args, count)
    return 0


def _log_export(path: Path, args: argparse.Namespace, rows: int) -> None:
    """Every export is in the main courante: who, why, what (CNIL)."""
    details = {
        "what": args.what,
        "format": args.format,
        "since": args.since,
        "until": args.until,
        "rows": rows,
        "reason": " ".join(args.why.split())[:200],
        "via": "cli",
    }
    store = Store(path)
    try:
        store.add_event(EventKind.EXPORT.value, None, CLI_STATION, who_runs(), details)
    finally:
        store.close()
