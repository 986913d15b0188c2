"""Group changes in the station's SQLite (migration 11, ``docs/protocol.md`` § 9.9).

Mixed into :class:`~csu_console.storage.store.Store`. A merge or split made here
is written in one transaction with its logbook event (``group_merged`` /
``group_split``: who, which alerts, why) and its outbox row (sent to the hub until
answered); the hub's changes (``sync``, ``group``) are recorded once by id, with
the hub's sequence number. :meth:`GroupsMixin.group_changes` gives them back in
the order the ledger replays them (:mod:`csu_console.core.group_ledger`).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, tzinfo

from csu_console.core.group_wire import change_from_obj, change_json, group_request
from csu_console.core.groups import GroupChange, GroupChangeKind
from csu_console.core.logbook import EventKind
from csu_console.errors import ValidationError
from csu_console.storage import outbox
from csu_console.storage.codec import iso
from csu_console.storage.logbook import NewEvent, append_events

log = logging.getLogger("csu.groups")

#: The outbox's kind for a group change (answered by the hub's ``group_result``).
OUTBOX_KIND = "group"
_HUB_MODE_KEY = "groups_from_hub"


def insert_change(cur: sqlite3.Cursor, change: GroupChange, seq: int | None) -> bool:
    """Inside the caller's transaction: record ``change`` once by id; a known change
    unconfirmed so far takes the hub's ``seq``. True when something was written."""
    cur.execute(
        "INSERT OR IGNORE INTO group_changes (id, kind, change, at, station, hub_seq,"
        " stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            change.id,
            change.kind.value,
            change_json(change),
            iso(change.at),
            change.station,
            seq,
            iso(datetime.now(UTC)),
        ),
    )
    if cur.rowcount == 1:
        return True
    if seq is None:
        return False
    cur.execute(
        "UPDATE group_changes SET hub_seq = ? WHERE id = ? AND hub_seq IS NULL", (seq, change.id)
    )
    return cur.rowcount == 1


class GroupsMixin:
    """Group changes: made here, received from the hub, read back at start."""

    conn: sqlite3.Connection
    tz: tzinfo | None

    def _transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    def record_group_change(self, change: GroupChange) -> bool:
        """A merge or split made at this station: the change, its logbook event and
        its outbox row, in one transaction. False (nothing written) when this id is
        known already (the operator's click reached the storage twice)."""
        with self._transaction() as cur:
            if not insert_change(cur, change, None):
                return False
            outbox.insert(cur, change.id, OUTBOX_KIND, group_request(change))
            kind = (
                EventKind.GROUP_MERGED
                if change.kind is GroupChangeKind.MERGE
                else EventKind.GROUP_SPLIT
            )
            row = cur.execute(
                "SELECT pk FROM alerts WHERE source = ? AND alert_id = ?", change.leader
            ).fetchone()
            details = {
                "change": change.id,
                "leader": list(change.leader),
                "members": [list(m) for m in change.members],
                "reason": change.reason,
            }
            append_events(
                cur,
                [
                    NewEvent(
                        kind.value,
                        change.at,
                        None if row is None else int(row[0]),
                        change.station,
                        change.operator,
                        details,
                    )
                ],
                self.tz,
            )
        return True

    def receive_group_changes(self, changes: Sequence[tuple[int, GroupChange]]) -> list[int]:
        """The hub's changes (``sync``, ``group``): recorded once by id, or confirmed
        with the hub's sequence number. The indexes of ``changes`` that were new here."""
        fresh: list[int] = []
        if not changes:
            return fresh
        with self._transaction() as cur:
            for i, (seq, change) in enumerate(changes):
                if insert_change(cur, change, seq):
                    fresh.append(i)
        return fresh

    def group_changes(self) -> list[tuple[GroupChange, int | None]]:
        """Every change kept, confirmed ones by the hub's order first, then the others
        by time. A row that does not read back (damaged) is logged and skipped."""
        rows = self.conn.execute(
            "SELECT id, change, hub_seq FROM group_changes"
            " ORDER BY hub_seq IS NULL, hub_seq, at, id"
        ).fetchall()
        out: list[tuple[GroupChange, int | None]] = []
        for change_id, text, seq in rows:
            try:
                out.append((change_from_obj(json.loads(text)), seq))
            except (ValueError, ValidationError) as exc:
                log.error("changement de groupe %s illisible, ignoré : %s", change_id, exc)
        return out

    def group_max_seq(self) -> int | None:
        """The hub's number of the last change held here (None: none yet)."""
        row = self.conn.execute("SELECT max(hub_seq) FROM group_changes").fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def groups_from_hub(self) -> bool:
        """Whether the last connection was to a hub that decides the automatic groups."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (_HUB_MODE_KEY,)).fetchone()
        return row is not None and row[0] == "1"

    def set_groups_from_hub(self, on: bool) -> None:
        """Remember who decides the automatic groups (see :meth:`groups_from_hub`)."""
        with self._transaction() as cur:
            cur.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_HUB_MODE_KEY, "1" if on else "0"),
            )
