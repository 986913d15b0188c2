"""« Installation › Configuration du site… »: for the installer only, one window."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session
from csu_console.ui.setup.launcher import SetupLauncher

PARIS_TZ = "Europe/Paris"


def make_launcher(
    site_dir: Path, tmp_path: Path, tasks: DbTasks, session: Session
) -> SetupLauncher:
    from zoneinfo import ZoneInfo

    return SetupLauncher(site_dir, tmp_path / "data", tasks, session, "poste-1", ZoneInfo(PARIS_TZ))


def test_operator_is_refused(qtbot: QtBot, site_dir: Path, tmp_path: Path, tasks: DbTasks) -> None:
    session = Session()
    session.log_in(Account("mroux", "Mme Roux", Role.OPERATEUR))
    launcher = make_launcher(site_dir, tmp_path, tasks, session)
    with qtbot.waitSignal(launcher.message) as blocker:
        launcher.open_setup()
    assert blocker.args is not None and "Action réservée" in blocker.args[0]
    assert "modifier la configuration du site" in blocker.args[0]
    assert launcher.window is None


def test_installer_gets_one_window(
    qtbot: QtBot, site_dir: Path, tmp_path: Path, tasks: DbTasks, session: Session
) -> None:
    launcher = make_launcher(site_dir, tmp_path, tasks, session)
    launcher.open_setup()
    window = launcher.window
    try:
        assert window is not None
        assert window.isVisible() and window.isWindow()
        assert window.save_action.isEnabled()
        launcher.open_setup()
        assert launcher.window is window  # raised, not duplicated
    finally:
        launcher.stop()  # closes it (and it deletes itself)
    assert launcher.window is None
    with qtbot.waitSignal(window.destroyed, timeout=2000):
        pass
