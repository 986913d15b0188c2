"""« Sauvegarder maintenant »: administrators only, written off the GUI thread into
``[backup] dir``, logged, said in French; refused to the other roles."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from csu_console.backup.nightly import NightlyBackup
from csu_console.backup.restore import check_backup
from csu_console.config.backup_section import BackupConfig
from csu_console.core.accounts import Account
from csu_console.core.logbook import EventKind
from csu_console.core.roles import Role
from csu_console.storage.logbook import NewEvent
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.backup_notice import BackupNotice
from csu_console.ui.console.backup_now import BackupNow
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.session import Session

STATION = "poste-1"


class NoLink:
    """No link: nothing is sent upstream here."""

    def nudge_outbox(self) -> None:
        raise AssertionError("nothing is sent here")


@pytest.fixture
def tasks(writer: StorageWriter) -> Iterator[DbTasks]:
    t = DbTasks(writer)
    yield t
    t.deleteLater()


def build(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks, tz: ZoneInfo, dest: Path | None
) -> tuple[MainWindow, Session, BackupNow]:
    session = Session()
    window = MainWindow(AlertTableModel(tz), tasks, tz, "Villeurbanne", STATION, session=session)
    qtbot.addWidget(window)
    session.setParent(window)
    ctx = StationContext(STATION, tasks, session, NoLink())  # type: ignore[arg-type]
    config = writer.path.parent.parent / "config"
    config.mkdir(exist_ok=True)
    (config / "site.toml").write_text('[site]\nname = "Villeurbanne"\n', encoding="utf-8")
    action = BackupNow(BackupConfig(dest, time(3, 0), 7), config, writer, ctx, window.gates, window)
    window.backup_requested.connect(action.run)
    action.finished.connect(lambda _ok, text: window.show_message(text))
    return window, session, action


def backup_events(writer: StorageWriter) -> list[tuple[str | None, dict[str, Any]]]:
    writer.submit(lambda s: None).result(timeout=10)  # what was queued is written
    conn = sqlite3.connect(f"file:{writer.path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT operator, details FROM events WHERE kind = 'backup'")
        return [(op, json.loads(d)) for op, d in rows.fetchall()]
    finally:
        conn.close()


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_an_administrator_may_back_up(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks, tz: ZoneInfo, tmp_path: Path, role: Role
) -> None:
    window, session, action = build(qtbot, writer, tasks, tz, tmp_path / "sauv")
    assert not window.backup_action.isEnabled()  # nobody logged in
    session.log_in(Account("x.dupont", "Xavier Dupont", role))
    assert not window.backup_action.isEnabled()
    action.run()  # reached anyway (a shortcut, a script): refused, nothing written
    assert "réservée" in window.statusBar().currentMessage().lower()
    assert not (tmp_path / "sauv").exists()
    assert backup_events(writer) == []


def test_an_administrator_backs_up_off_the_gui_thread(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks, tz: ZoneInfo, tmp_path: Path
) -> None:
    window, session, action = build(qtbot, writer, tasks, tz, tmp_path / "sauv")
    note = {"text": "relève de 6 h"}
    writer.submit(lambda s: s.add_event("note", None, STATION, "durand", note)).result(timeout=10)
    session.log_in(Account("a.martin", "Anne Martin", Role.ADMIN))
    assert window.backup_action.isEnabled()
    with qtbot.waitSignal(action.finished, timeout=20_000) as done:
        window.backup_action.trigger()
        assert action.running or done.signal_triggered  # the GUI did not wait for it
    ok, text = done.args
    [folder] = list((tmp_path / "sauv").iterdir())
    assert ok is True
    assert text == f"Sauvegarde écrite : {folder} (sans les identifiants des caméras)."
    assert window.statusBar().currentMessage() == text
    meta = check_backup(folder)  # the restore's checks: chain walked there
    assert meta["chain_ok"] is None  # not walked in the console (the GUI shares the GIL)
    assert meta["verified_events"] == meta["events"] > 0
    assert {f["path"] for f in meta["files"]} >= {"data/csu.sqlite3", "config/site.toml"}
    [(operator, details)] = backup_events(writer)
    assert operator == "a.martin"
    assert details["via"] == "console" and details["to"] == str(folder)


def test_without_a_backup_folder_the_administrator_is_told_what_to_do(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks, tz: ZoneInfo
) -> None:
    window, session, action = build(qtbot, writer, tasks, tz, None)
    session.log_in(Account("a.martin", "Anne Martin", Role.ADMIN))
    with qtbot.waitSignal(action.finished, timeout=5000) as done:
        window.backup_action.trigger()
    assert done.args[0] is False
    assert "[backup] dir" in done.args[1] and "csu-console backup --to" in done.args[1]


@pytest.mark.expected_logs("csu.backup")
def test_a_failed_night_is_shown_to_who_answers_for_the_data_until_a_backup_is_written(
    qtbot: Any, writer: StorageWriter, tasks: DbTasks, tz: ZoneInfo, tmp_path: Path
) -> None:
    """The night's backup fails (its folder is a file): the next morning the supervisor
    sees it in the status bar, even after a restart (read from the main courante);
    operators do not; « Sauvegarder maintenant » written, it is gone."""
    blocked = tmp_path / "sauv"
    blocked.write_text("pas un dossier", encoding="utf-8")
    window, session, action = build(qtbot, writer, tasks, tz, blocked)
    notice = BackupNotice(session, tasks, tz, window)
    window.statusBar().addPermanentWidget(notice)
    action.finished.connect(notice.on_backup_finished)
    window.show()
    nightly = NightlyBackup(
        writer.path.parent, blocked, at=time(3, 0), keep=2, tz=tz, config_dir=None,
        record=lambda d: None, on_done=notice.nightly_done,
        record_failure=lambda d: writer.record([NewEvent(
            EventKind.BACKUP_FAILED.value, datetime.now(UTC), None, STATION, "console", d)]),
    )  # fmt: skip
    nightly.run_once()  # on this thread, as the backup's thread would
    qtbot.waitUntil(lambda: notice.failure is not None, timeout=5000)
    assert notice.isHidden()  # nobody logged in
    session.log_in(Account("p.roux", "Paul Roux", Role.OPERATEUR))
    assert notice.isHidden()  # the operator is not interrupted by it
    session.log_in(Account("c.chef", "Claire Chef", Role.SUPERVISEUR))
    assert notice.isVisible()
    assert notice.text().startswith("Sauvegarde nocturne impossible (")
    assert notice.toolTip() == f"le dossier de sauvegarde {blocked} est un fichier, pas un dossier"

    # The console restarted: the failure is read back from the main courante.
    again = BackupNotice(session, tasks, tz, window)
    window.statusBar().addPermanentWidget(again)
    again.start()
    qtbot.waitUntil(again.isVisible, timeout=5000)
    assert again.failure is not None and again.failure.detail == notice.failure.detail

    blocked.unlink()  # fixed; the administrator backs up now
    session.log_in(Account("a.martin", "Anne Martin", Role.ADMIN))
    assert notice.isVisible()
    with qtbot.waitSignal(action.finished, timeout=20_000) as done:
        window.backup_action.trigger()
    assert done.args[0] is True
    assert notice.isHidden() and notice.failure is None
