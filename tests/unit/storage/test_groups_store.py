"""Group changes in the station's SQLite (migration 11): a change made here is
written with its logbook event and outbox row in one transaction, once; the hub's
changes are recorded once by id and confirm a change made here; they read back in
the order the console replays them; a damaged row is skipped, never fatal."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csu_console.core.groups import GroupChange, GroupChangeKind
from csu_console.core.retention import RetentionPolicy
from csu_console.storage.schema import SCHEMA_VERSION
from csu_console.storage.store import Store

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


MERGE = GroupChangeKind.MERGE


def change(cid: str, minutes: int = 0, kind: GroupChangeKind = MERGE) -> GroupChange:
    return GroupChange(cid, kind, ("vv", "A-1"), (("vv", "A-2"), ("vv", "A-3")), "poste-1",
                       "dupont", T0 + timedelta(minutes=minutes), "même incident")  # fmt: skip


def test_a_change_made_here_is_logged_and_queued_once(store: Store) -> None:
    assert store.record_group_change(change("poste-1:a"))
    assert not store.record_group_change(change("poste-1:a"))  # the same click twice
    (event,) = store.db.query("SELECT * FROM events WHERE kind = 'group_merged'")
    assert (event["station"], event["operator"]) == ("poste-1", "dupont")
    assert '"reason":"même incident"' in event["details"] and "A-3" in event["details"]
    (row,) = store.outbox_pending()
    assert (row.key, row.kind) == ("poste-1:a", "group") and '"type":"group"' in row.text
    assert store.group_changes() == [(change("poste-1:a"), None)]
    split = change("poste-1:b", 1, GroupChangeKind.SPLIT)
    store.record_group_change(split)
    kinds = [e["kind"] for e in store.db.query("SELECT kind FROM events WHERE kind LIKE 'group%'")]
    assert kinds == ["group_merged", "group_split"]


def test_the_hubs_changes_once_by_id_in_the_hubs_order(store: Store) -> None:
    store.record_group_change(change("poste-1:mine", 0))
    other, older = change("poste-2:x", 5), change("poste-3:y", 9)
    assert store.receive_group_changes([(12, other), (11, older)]) == [0, 1]
    assert store.receive_group_changes([(12, other), (11, older)]) == []  # a replay
    # the echo of this station's change gives it its place
    assert store.receive_group_changes([(13, change("poste-1:mine", 0))]) == [0]
    assert [(c.id, seq) for c, seq in store.group_changes()] == [
        ("poste-3:y", 11), ("poste-2:x", 12), ("poste-1:mine", 13),
    ]  # fmt: skip
    store.record_group_change(change("poste-1:later", 1))  # not numbered yet: last
    assert store.group_changes()[-1] == (change("poste-1:later", 1), None)


@pytest.mark.expected_logs("csu.groups")
def test_a_damaged_row_is_skipped(store: Store) -> None:
    store.receive_group_changes([(1, change("ok"))])
    with store.conn:
        store.conn.execute(
            "INSERT INTO group_changes (id, kind, change, at, station, hub_seq, stored_at)"
            " VALUES ('bad', 'merge', ?, 'x', 'p', 2, 'x')",
            ('{"kind": "merge"}',),
        )
    assert [c.id for c, _ in store.group_changes()] == ["ok"]


def test_who_decides_the_automatic_groups_is_remembered(db_path: Path) -> None:
    store = Store(db_path)
    assert not store.groups_from_hub()
    store.set_groups_from_hub(True)
    store.close()
    again = Store(db_path)
    assert again.groups_from_hub()
    again.close()


def test_migration_11_from_version_9(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    store = Store(path)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE group_changes")
    conn.execute("DROP TABLE signals")  # migration 10, the weak signals'
    conn.execute("PRAGMA user_version = 9")
    conn.commit()
    conn.close()
    store = Store(path)
    assert int(store.conn.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION >= 11
    assert store.record_group_change(change("poste-1:a"))
    store.close()


def test_the_purge_drops_changes_past_the_personal_data_limit(store: Store) -> None:
    now = datetime(2027, 3, 10, tzinfo=UTC)  # 95 days on: the 90-day limit is 10 December
    store.receive_group_changes([(1, change("old", 0)), (2, change("recent", 60 * 24 * 80))])
    store.purge(RetentionPolicy(), now)
    assert [c.id for c, _ in store.group_changes()] == ["recent"]
