"""Layouts, tours and favourites per station in SQLite (migration 12)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from csu_console.core.viewing import Tour, WallLayout
from csu_console.storage.store import Store


def test_a_layout_is_saved_logged_recalled_replaced_and_deleted(store: Store) -> None:
    store.save_layout("poste-1", WallLayout("Gare", 2, ("c1", None, "c3")), "alice")
    store.save_layout("poste-2", WallLayout("Autre", 1, ("c9",)), "bob")
    assert store.layouts("poste-1") == [WallLayout("Gare", 2, ("c1", None, "c3"))]
    store.save_layout("poste-1", WallLayout("Gare", 3, ("c4",)), "alice")
    assert store.layouts("poste-1") == [WallLayout("Gare", 3, ("c4",))]
    assert store.delete_layout("poste-1", "Gare", "alice")
    assert not store.delete_layout("poste-1", "Gare", "alice")
    assert store.layouts("poste-1") == []
    assert [x.name for x in store.layouts("poste-2")] == ["Autre"]
    rows = store.conn.execute(
        "SELECT station, operator, details FROM events WHERE kind = 'layout_saved' ORDER BY pk"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [
        ("poste-1", "alice"),
        ("poste-2", "bob"),
        ("poste-1", "alice"),
        ("poste-1", "alice"),
    ]
    assert json.loads(rows[0][2])["cameras"] == ["c1", "c3"]
    assert json.loads(rows[3][2])["deleted"] is True
    assert store.verify_chain().broken is None


def test_tours_and_favourites_are_kept_per_station(store: Store) -> None:
    store.save_tour("poste-1", Tour("Nuit", ("c1", "c2"), 15.0, 3), "alice")
    assert store.tours("poste-1") == [Tour("Nuit", ("c1", "c2"), 15.0, 3)]
    assert store.tours("poste-2") == []
    assert store.delete_tour("poste-1", "Nuit") and store.tours("poste-1") == []
    store.set_favourite("poste-1", "c2", True)
    store.set_favourite("poste-1", "c2", True)  # twice: once
    store.set_favourite("poste-1", "c5", True)
    store.set_favourite("poste-1", "c5", False)
    assert store.favourites("poste-1") == frozenset({"c2"})
    assert store.favourites("poste-2") == frozenset()


@pytest.mark.expected_logs("csu.viewing")
def test_a_row_edited_by_hand_into_nonsense_is_skipped_not_raised(db_path: Path) -> None:
    store = Store(db_path)
    store.save_tour("p", Tour("Bonne", ("c1",), 10.0, 2), None)
    store.close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO tours VALUES ('p', 'Mauvaise', '[]', 10, 2, '2026-01-01', NULL)")
    conn.execute("INSERT INTO wall_layouts VALUES ('p', 'Trop', 1, '[\"a\",\"b\"]', 'x', NULL)")
    conn.commit()
    conn.close()
    again = Store(db_path)
    assert [t.name for t in again.tours("p")] == ["Bonne"]
    assert again.layouts("p") == []
    again.close()
