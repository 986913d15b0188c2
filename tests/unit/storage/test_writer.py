"""Tests of the single storage thread (csu_console.storage.writer)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.intake import Outcome
from csu_console.core.protocol import AlertMessage
from csu_console.errors import StorageBugError, StorageError
from csu_console.storage.schema import SCHEMA_VERSION
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def message(seq: int) -> AlertMessage:
    alert = Alert(
        source="plateforme",
        id=f"SIG-{seq}",
        sent=T0,
        category=Category.RIXE,
        priority=1,
        location=Location(48.85, 2.35),
    )
    return AlertMessage(seq, alert)


def commit(seq: int) -> Callable[[Store], list[Outcome]]:
    """A job committing one alert."""
    return lambda store: store.commit_batch([message(seq)], "poste-1", T0)


def test_jobs_run_fifo_on_one_named_thread(writer: StorageWriter) -> None:
    seen: list[tuple[int, str, int]] = []

    def job(i: int) -> Callable[[Store], int]:
        def run(store: Store) -> int:
            thread = threading.current_thread()
            seen.append((i, thread.name, thread.ident or 0))
            return i * 10

        return run

    futures = [writer.submit(job(i)) for i in range(50)]
    assert [f.result(timeout=10) for f in futures] == [i * 10 for i in range(50)]
    assert [i for i, _, _ in seen] == list(range(50))
    assert {name for _, name, _ in seen} == {"csu-storage"}
    assert len({ident for _, _, ident in seen}) == 1
    assert seen[0][2] != threading.get_ident()


def test_jobs_share_the_store(writer: StorageWriter) -> None:
    commits = [writer.submit(commit(i)) for i in (1, 2)]
    for fut in commits:
        fut.result(timeout=10)
    assert writer.submit(lambda s: s.count("alerts")).result(timeout=10) == 2
    assert writer.submit(Store.last_seq).result(timeout=10) == 2


def test_exceptions_are_delivered_to_the_future(writer: StorageWriter) -> None:
    def boom(store: Store) -> None:
        raise ValueError("bogue dans un job")

    failed = writer.submit(boom)
    bad_sql = writer.submit(lambda s: s.conn.execute("SELEC 1"))
    after = writer.submit(lambda s: "toujours vivant")
    assert isinstance(failed.exception(timeout=10), ValueError)
    with pytest.raises(ValueError, match="bogue dans un job"):
        failed.result()
    assert isinstance(bad_sql.exception(timeout=10), sqlite3.OperationalError)
    assert after.result(timeout=10) == "toujours vivant"


def test_cancelled_job_is_skipped(writer: StorageWriter) -> None:
    gate = threading.Event()
    ran: list[str] = []
    blocker = writer.submit(lambda s: gate.wait(10))
    skipped = writer.submit(lambda s: ran.append("skipped"))
    assert skipped.cancel()
    last = writer.submit(lambda s: ran.append("last"))
    gate.set()
    assert blocker.result(timeout=10) is True
    last.result(timeout=10)
    assert ran == ["last"]


@pytest.mark.expected_logs("csu.storage")
def test_close_drains_queued_jobs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    w = StorageWriter(tmp_path / "csu.sqlite3")
    w.start()
    gate = threading.Event()
    blocker = w.submit(lambda s: gate.wait(10))
    queued = [w.submit(commit(i)) for i in range(20)]
    # The first job is still blocked: close() cannot finish within 0 s, but every
    # job queued before it must still run once the thread gets going again.
    w.close(timeout=0)
    assert "le stockage ne s'est pas arrêté en 0 s" in caplog.text
    assert not any(f.done() for f in queued)
    gate.set()
    assert blocker.result(timeout=10) is True
    for fut in queued:
        fut.result(timeout=10)
    w._thread.join(10)
    assert not w._thread.is_alive()
    store = Store(tmp_path / "csu.sqlite3")
    try:
        assert store.count("alerts") == 20
    finally:
        store.close()


def test_submit_after_close_fails(tmp_path: Path) -> None:
    w = StorageWriter(tmp_path / "csu.sqlite3")
    w.start()
    w.close()
    fut = w.submit(lambda s: 1)
    assert fut.done()
    with pytest.raises(StorageError, match="Stockage arrêté"):
        fut.result()
    w.close()  # twice is fine


@pytest.mark.expected_logs("csu.storage")
def test_directory_instead_of_database_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "csu.sqlite3"
    path.mkdir()
    w = StorageWriter(path)
    with pytest.raises(StorageError, match="unable to open"):
        w.start()
    w.close()
    assert "ouverture de la base" in caplog.text


@pytest.mark.expected_logs("csu.storage")
def test_database_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("un fichier, pas un dossier")
    w = StorageWriter(blocker / "csu.sqlite3")
    with pytest.raises(StorageError, match="Impossible d'ouvrir la base"):
        w.start()
    w.close()
    fut = w.submit(lambda s: 1)
    with pytest.raises(StorageError):
        fut.result()


def test_newer_database_is_a_bug_reported_by_start(tmp_path: Path) -> None:
    path = tmp_path / "csu.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    w = StorageWriter(path)
    with pytest.raises(StorageBugError):
        w.start()
    w.close()
