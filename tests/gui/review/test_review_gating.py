"""Who may open the review: the supervisor and the administrator; an operator
neither sees the menu entry enabled nor gets the window by its key, and a
review left open closes when an operator takes the station."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QWidget
from review_shift import NOW, SITE, STATION, Data

from csu_console.core.accounts import Account
from csu_console.core.roles import PERMISSIONS, Permission, Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.session import Session
from csu_console.ui.review.access import REVIEW_PERMISSIONS
from csu_console.ui.review.launcher import ReviewLauncher
from csu_console.ui.review.window import ReviewWindow

MAY_REVIEW = {Role.SUPERVISEUR, Role.ADMIN}


@pytest.fixture
def launcher(qtbot: Any, writer: StorageWriter, data: Data) -> Iterator[ReviewLauncher]:
    del data
    main = QWidget()
    qtbot.addWidget(main)
    session = Session(main)
    launcher = ReviewLauncher(SITE, session, writer, STATION, writer.path, main, now=lambda: NOW)
    yield launcher
    launcher.stop()


def log_in(launcher: ReviewLauncher, role: Role) -> None:
    launcher.session.log_in(Account("x", "X", role))


@pytest.mark.parametrize("role", list(Role))
def test_only_supervisors_and_administrators_may_open_it(
    qtbot: Any, launcher: ReviewLauncher, role: Role
) -> None:
    log_in(launcher, role)
    messages: list[str] = []
    launcher.message.connect(messages.append)
    launcher.open_review()
    if role in MAY_REVIEW:
        assert isinstance(launcher.window, ReviewWindow) and launcher.window.isVisible()
        assert messages == []
        with qtbot.waitSignal(launcher.window.loaded, timeout=10_000):
            pass
    else:
        assert launcher.window is None
        [refusal] = messages
        assert refusal.startswith("Action réservée : le rôle « ")


def test_the_operator_is_refused_in_french(launcher: ReviewLauncher) -> None:
    log_in(launcher, Role.OPERATEUR)
    messages: list[str] = []
    launcher.message.connect(messages.append)
    launcher.open_review()
    assert messages == [
        "Action réservée : le rôle « Opérateur » ne permet pas de vérifier l'intégrité "
        "de la main courante."
    ]


def test_the_window_closes_when_an_operator_takes_the_station(
    qtbot: Any, launcher: ReviewLauncher
) -> None:
    log_in(launcher, Role.SUPERVISEUR)
    launcher.open_review()
    window = launcher.window
    assert window is not None
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        pass
    launcher.session.log_out()
    log_in(launcher, Role.OPERATEUR)
    assert not window.isVisible()


@pytest.mark.parametrize("role", list(Role))
def test_the_menu_entry_follows_the_role(qtbot: Any, writer: StorageWriter, role: Role) -> None:
    # The menu is gated on one permission: it must match every permission the window asks.
    assert (Permission.VERIFY_LOGBOOK in PERMISSIONS[role]) == all(
        p in PERMISSIONS[role] for p in REVIEW_PERMISSIONS
    )
    session = Session()
    tasks = DbTasks(writer)
    window = MainWindow(AlertTableModel(ZoneInfo("Europe/Paris")), tasks,
                        ZoneInfo("Europe/Paris"), "Ville", STATION, session=session)  # fmt: skip
    qtbot.addWidget(window)
    session.setParent(window)
    tasks.setParent(window)
    assert not window.review_action.isEnabled()  # nobody logged in
    session.log_in(Account("x", "X", role))
    assert window.review_action.isEnabled() == (role in MAY_REVIEW)
    assert window.review_action.shortcut().toString() == "Ctrl+R"
    requested: list[bool] = []
    window.review_requested.connect(lambda: requested.append(True))
    window.review_action.trigger()
    assert requested == ([True] if role in MAY_REVIEW else [])
