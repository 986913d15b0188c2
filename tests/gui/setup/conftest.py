"""Fixtures of the setup screen's tests: a copy of the demo site's config, a real
database on its storage thread, an installer logged in, the window itself, and
helpers to press, drag and click on the map's viewport like a mouse does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot
from support import CONFIG_DIR

from csu_console.config.secrets import SecretStore
from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session
from csu_console.ui.setup.window import SetupContext, SetupWindow

PARIS = ZoneInfo("Europe/Paris")
INSTALLER = Account("jdupont", "Jean Dupont", Role.INSTALLATEUR)


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A private copy of the demo site's configuration."""
    target = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, target, ignore=shutil.ignore_patterns("history", "*.json"))
    return target


@pytest.fixture
def tasks(writer: StorageWriter) -> DbTasks:
    return DbTasks(writer)


@pytest.fixture
def session() -> Session:
    s = Session()
    s.log_in(INSTALLER)
    return s


@pytest.fixture
def ctx(site_dir: Path, tasks: DbTasks, session: Session, tmp_path: Path) -> SetupContext:
    secrets = SecretStore(tmp_path / "data" / "secrets" / "stream-credentials.json")
    return SetupContext(site_dir, tasks, session, secrets, "poste-1", PARIS, "Helsinki (démo)")


@pytest.fixture
def window(qtbot: QtBot, ctx: SetupContext) -> Iterator[SetupWindow]:
    """The setup screen, shown, with the whole site in view."""
    w = SetupWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1500, 900)
    w.show()
    qtbot.waitExposed(w)
    w.fit_site()
    yield w
    w.model.mark_saved()  # no "unsaved changes" question at teardown
    w.close()
