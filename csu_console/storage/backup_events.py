"""What the main courante says of the backups (``backup``: written, by the night's
schedule, « Sauvegarder maintenant » or ``csu-console backup``; ``backup_failed``:
the nightly one could not be): the console shows a failure to the supervisors and
administrators, even after a restart, until a backup is written."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from csu_console.core.logbook import EventKind
from csu_console.storage.codec import classify
from csu_console.storage.store import Store


@dataclass(frozen=True)
class BackupOutcome:
    """The last backup: written (``detail``: where) or not (``detail``: why)."""

    ok: bool
    at: datetime
    detail: str


_LAST = """
SELECT kind, at, details FROM events
WHERE kind IN (?, ?) AND json_valid(details)
ORDER BY pk DESC LIMIT 1
"""


def last_backup(store: Store) -> BackupOutcome | None:
    """The newest backup's outcome; None when none was made yet."""
    try:
        row = store.conn.execute(
            _LAST, (EventKind.BACKUP.value, EventKind.BACKUP_FAILED.value)
        ).fetchone()
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    if row is None:
        return None
    kind, at, details = row
    fields = json.loads(details)
    ok = kind == EventKind.BACKUP.value
    detail = str(fields.get("to" if ok else "error", ""))
    return BackupOutcome(ok, datetime.fromisoformat(at), detail)
