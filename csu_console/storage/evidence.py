"""Evidence records: snapshots saved from the camera wall.

The row and its main-courante event go in one transaction: a snapshot on disk
is either recorded with its digest and its event, or not at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from csu_console.media.video.snapshot import SnapshotFile
from csu_console.storage.codec import iso
from csu_console.storage.logbook import NewEvent, append_events


def record_snapshot(
    store: Any,
    snap: SnapshotFile,
    camera_id: str,
    alert_pk: int | None,
    at: datetime,
    station: str | None,
    operator: str | None,
) -> int:
    """Insert the ``snapshots`` row and its ``snapshot`` event; returns the row's pk."""
    with store._transaction() as cur:
        cur.execute(
            "INSERT INTO snapshots (at, camera_id, alert_pk, path, sha256, width, height,"
            " station, operator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                iso(at),
                camera_id,
                alert_pk,
                str(snap.path),
                snap.sha256,
                snap.width,
                snap.height,
                station,
                operator or None,
            ),
        )
        pk = int(cur.lastrowid or 0)
        details = {"camera_id": camera_id, "file": snap.path.name, "sha256": snap.sha256}
        event = NewEvent("snapshot", at, alert_pk, station, operator or None, details)
        append_events(cur, [event], store.tz)
    return pk
