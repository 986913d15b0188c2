"""The console's nightly backup (``[backup]``): when it runs, what it writes and logs."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from csu_console.backup.nightly import NightlyBackup, next_run, start_nightly
from csu_console.config import check_site, default_config_dir
from csu_console.config.backup_section import BackupConfig
from csu_console.storage.backup_events import last_backup
from csu_console.storage.store import DB_NAME, Store
from csu_console.storage.writer import StorageWriter

PARIS = ZoneInfo("Europe/Paris")


def test_next_run_is_the_next_local_three_oclock_across_daylight_saving() -> None:
    at = time(3, 0)
    # 5 Dec 2026, 10:00 UTC (11:00 in Paris): tomorrow 03:00 Paris = 02:00 UTC.
    assert next_run(datetime(2026, 12, 5, 10, 0, tzinfo=UTC), at, PARIS) == datetime(
        2026, 12, 6, 2, 0, tzinfo=UTC
    )
    # 01:30 UTC = 02:30 Paris: tonight's 03:00 is still to come.
    assert next_run(datetime(2026, 12, 5, 1, 30, tzinfo=UTC), at, PARIS) == datetime(
        2026, 12, 5, 2, 0, tzinfo=UTC
    )
    # The night summer time starts (29 March 2026), 03:00 Paris is 01:00 UTC.
    assert next_run(datetime(2026, 3, 28, 12, 0, tzinfo=UTC), at, PARIS) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )


def _site(tmp_path: Path, body: str) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    with (target / "site.toml").open("a", encoding="utf-8") as fh:
        fh.write(f"\n[backup]\n{body}\n")
    return target


def test_the_backup_section_is_read_and_checked(tmp_path: Path) -> None:
    config, problems = check_site(_site(tmp_path, 'dir = "sauv"\nat = "02:30"\nkeep = 3'))
    assert problems == [] and config is not None
    assert config.backup == BackupConfig(tmp_path / "config" / "sauv", time(2, 30), 3)
    config, problems = check_site(_site(tmp_path / "b", 'at = "25:00"\nkeep = 0'))
    assert config is None
    text = " ".join(str(p) for p in problems)
    assert "heure « HH:MM » attendue" in text and "entier 1–365 attendu" in text


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    store = Store(folder / DB_NAME)
    store.add_event("note", None, "poste-1", "durand", {"text": "ronde de nuit"})
    store.close()
    return folder


def test_the_nightly_backup_runs_when_due_through_the_console_writer(
    data: Path, tmp_path: Path
) -> None:
    writer = StorageWriter(data / DB_NAME)
    writer.start()
    # Already past 03:00 by the fake clock: due at once, then tomorrow.
    clock_now = [datetime(2026, 12, 5, 2, 0, 5, tzinfo=UTC)]
    done = threading.Event()
    messages: list[str] = []
    nightly = start_nightly(
        BackupConfig(tmp_path / "sauv", time(3, 0), keep=2), tmp_path, writer, "poste-1", PARIS
    )
    assert nightly is not None  # started with the real clock: not due before tomorrow
    nightly.stop()
    assert nightly.due > datetime.now(UTC)
    assert not (tmp_path / "sauv").exists()

    recorded: list[dict[str, object]] = []

    def record(details: dict[str, object]) -> None:
        recorded.append(details)

    nightly = NightlyBackup(
        data, tmp_path / "sauv", at=time(3, 0), keep=2, tz=PARIS, config_dir=None,
        record=record, on_done=lambda _r, m: (messages.append(m), done.set()),
        clock=lambda: clock_now[0],
    )  # fmt: skip
    nightly.due = clock_now[0]
    nightly.start()
    try:
        assert done.wait(30)
    finally:
        nightly.stop()
    writer.close()
    [folder] = list((tmp_path / "sauv").iterdir())
    assert messages == [f"sauvegarde nocturne écrite : {folder}"]
    assert recorded[0]["via"] == "nocturne" and recorded[0]["to"] == str(folder)
    assert nightly.due == datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


def site_config(tmp_path: Path) -> Path:
    """A configuration folder to back up with the data."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "site.toml").write_text("[site]\n", encoding="utf-8")
    return config


def test_start_nightly_logs_through_the_writer_and_keeps_n(data: Path, tmp_path: Path) -> None:
    writer = StorageWriter(data / DB_NAME)
    writer.start()
    try:
        config = site_config(tmp_path)
        nightly = start_nightly(
            BackupConfig(tmp_path / "sauv", time(3, 0), keep=2), config, writer, "poste-1", PARIS
        )
        assert nightly is not None
        nightly.stop()
        for _ in range(3):
            assert nightly.run_once() is not None
            (tmp_path / "sauv").joinpath("x").mkdir(exist_ok=True)  # not a backup: left alone
        writer.submit(lambda s: None).result(timeout=10)  # the events are written
    finally:
        writer.close()
    names = sorted(p.name for p in (tmp_path / "sauv").iterdir())
    assert len(names) == 3 and names[-1] == "x"  # two backups kept
    conn = sqlite3.connect(data / DB_NAME)
    kinds = conn.execute("SELECT station, operator, details FROM events WHERE kind = 'backup'")
    rows = kinds.fetchall()
    conn.close()
    assert len(rows) == 3
    assert {(r[0], r[1]) for r in rows} == {("poste-1", "console")}
    assert json.loads(rows[0][2])["via"] == "nocturne"


@pytest.mark.expected_logs("csu.backup")
def test_a_failed_nightly_backup_is_logged_and_does_not_raise(tmp_path: Path) -> None:
    messages: list[str] = []
    nightly = NightlyBackup(
        tmp_path / "vide", tmp_path / "sauv", at=time(3, 0), keep=2, tz=PARIS, config_dir=None,
        record=lambda d: None, on_done=lambda _r, m: messages.append(m),
    )  # fmt: skip
    assert nightly.run_once() is None
    assert messages and messages[0].startswith("sauvegarde nocturne impossible : ")
    assert "base introuvable" in messages[0]


@pytest.mark.expected_logs("csu.backup")
def test_a_failed_night_is_written_in_the_main_courante_until_a_backup_is(
    data: Path, tmp_path: Path
) -> None:
    """The backup folder is unusable one night (a file where the folder should be):
    ``backup_failed`` (where, why) in the main courante, the console told; the next
    backup written makes it the past."""
    blocked = tmp_path / "sauv"
    blocked.write_text("pas un dossier", encoding="utf-8")
    told: list[tuple[bool, str]] = []
    writer = StorageWriter(data / DB_NAME)
    writer.start()
    try:
        config = site_config(tmp_path)
        nightly = start_nightly(
            BackupConfig(blocked, time(3, 0), keep=2), config, writer, "poste-1", PARIS,
            on_done=lambda result, message: told.append((result is not None, message)),
        )  # fmt: skip
        assert nightly is not None
        nightly.stop()
        assert nightly.run_once() is None
        failed = writer.submit(last_backup).result(timeout=10)
        assert failed is not None and not failed.ok
        assert told == [(False, f"sauvegarde nocturne impossible : {failed.detail}")]
        blocked.unlink()  # the installer fixed it
        assert nightly.run_once() is not None
        written = writer.submit(last_backup).result(timeout=10)
    finally:
        writer.close()
    assert written is not None and written.ok and written.detail.startswith(str(blocked))
    assert told[-1][0] is True
    conn = sqlite3.connect(data / DB_NAME)
    [(station, operator, details)] = conn.execute(
        "SELECT station, operator, details FROM events WHERE kind = 'backup_failed'"
    ).fetchall()
    conn.close()
    assert (station, operator) == ("poste-1", "console")
    assert json.loads(details) == {"via": "nocturne", "dest": str(blocked), "error": failed.detail}


def test_without_any_backup_there_is_no_outcome(data: Path) -> None:
    writer = StorageWriter(data / DB_NAME)
    writer.start()
    try:
        assert writer.submit(last_backup).result(timeout=10) is None
    finally:
        writer.close()
