"""Migration 3 on a real file: a version-2 database keeps its events and gets
them chained; the new tables are there; a migration of several steps is atomic."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from csu_console.storage.schema import MIGRATIONS, SCHEMA_VERSION, _run_steps, _statements
from csu_console.storage.store import Store


def version_2(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    for i, script in enumerate(MIGRATIONS[:2]):
        assert isinstance(script, str)
        conn.executescript("BEGIN;" + script + f";PRAGMA user_version={i + 1};COMMIT;")
    conn.execute(
        "INSERT INTO alerts (source, alert_id, fmt, sent, received_at, category, priority,"
        " reporter_pseudonym) VALUES ('p', 'old', 'json', '2024-01-01T10:00:00.000+00:00',"
        " '2024-01-01T10:00:00.000+00:00', 'rixe', 1, 'voisin75')"
    )
    conn.executemany(
        "INSERT INTO events (alert_pk, at, kind, station, operator, details)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (1, "2024-01-01T10:00:00.000+00:00", "received", "p1", None, '{"seq":1,"fmt":"json"}'),
            (1, "2024-01-01T10:01:00.000+00:00", "taken_over", "p1", "durand",
             json.dumps({"reason": "Poste 2 absent", "state": "acknowledged"})),
            (None, "2024-01-01T10:02:00.000+00:00", "muted", "p1", "durand", '{"seconds":30}'),
        ],
    )  # fmt: skip
    conn.close()


def test_a_version_2_database_gets_its_events_chained(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    version_2(db_path)
    store = Store(db_path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
        assert "migration du schéma 2 -> 3" in caplog.text
        assert "3 événements existants chaînés" in caplog.text
        report = store.verify_chain()
        assert report.ok and report.count == 4
        rows = store.conn.execute(
            "SELECT pk, kind, operator, details, details_salt, at_local FROM events ORDER BY pk"
        ).fetchall()
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (1, "received", None),
            (2, "taken_over", "durand"),
            (3, "muted", "durand"),
            (4, "chain_started", None),
        ]
        assert json.loads(rows[1][3]) == {"reason": "Poste 2 absent", "state": "acknowledged"}
        assert rows[1][4] is not None  # a personal detail: salted, so it can be purged
        assert json.loads(rows[3][3]) == {"legacy": 3}
        assert all(r[5] for r in rows)  # local times filled
        # The new writes chain on from the migrated events.
        store.add_event("note", 1, "p1", "durand", {"n": 1})
        assert store.verify_chain().count == 5
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("UPDATE events SET kind = 'x' WHERE pk = 1")
    finally:
        store.close()


def test_a_new_database_has_no_chain_started_event(store: Store) -> None:
    assert store.count("events") == 0
    assert store.verify_chain().count == 0


def test_the_new_tables(store: Store) -> None:
    def columns(table: str) -> list[str]:
        return [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]

    assert columns("snapshots") == [
        "pk", "at", "camera_id", "alert_pk", "path", "sha256", "width", "height",
        "station", "operator",
    ]  # fmt: skip
    assert "snapshots_alert" in {r[1] for r in store.conn.execute("PRAGMA index_list(snapshots)")}
    assert {"login", "role", "pw_scheme", "pw_salt", "pw_hash", "failed_count"} <= set(
        columns("users")
    )
    assert columns("events")[-5:] == [
        "at_local",
        "details_salt",
        "details_sha256",
        "prev_hash",
        "hash",
    ]
    assert "purged_at" in columns("alerts")


def test_a_failing_step_rolls_the_whole_migration_back(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)

    def boom(c: sqlite3.Connection) -> None:
        c.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("panne simulée")

    with pytest.raises(RuntimeError, match="panne simulée"):
        _run_steps(conn, ("CREATE TABLE t (a)", boom, "CREATE TABLE u (b)"), 7)
    assert not conn.in_transaction
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


def test_statements_keep_trigger_bodies_and_strings_whole() -> None:
    script = """
        CREATE TABLE t (a TEXT DEFAULT 'x;y');
        CREATE TRIGGER g BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'non; jamais'); END;
        ;
    """
    assert _statements(script) == [
        "CREATE TABLE t (a TEXT DEFAULT 'x;y');",
        "CREATE TRIGGER g BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'non; jamais'); END;",
    ]


def test_a_migration_already_done_by_another_process_is_skipped(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    conn.execute("PRAGMA user_version = 7")

    def must_not_run(c: sqlite3.Connection) -> None:
        raise AssertionError("migration run twice")

    _run_steps(conn, ("CREATE TABLE t (a)", must_not_run), 7)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    assert not conn.in_transaction
    conn.close()
