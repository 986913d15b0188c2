"""Migration 7 (issue 16): the tables of the CSU's one main courante."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from csu_console.storage.store import Store


def test_migration_7_adds_the_book_tables(tmp_path: Path) -> None:
    path = tmp_path / "csu.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"peer_events", "witness_heads", "legal_holds"} <= tables
    columns = {r[1] for r in conn.execute("PRAGMA table_info(alerts)")}
    assert {"fields_salt", "zone"} <= columns
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO legal_holds (target, target_ref, reference, held_at)"
            " VALUES ('camera', '1', 'PV 1', '2026-12-05T00:00:00Z')"
        )
    conn.close()
