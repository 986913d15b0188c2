"""Fixtures of the review screen's tests: the known shift of ``review_shift.py`` in a
real database (written on the real storage thread), a supervisor's session, the
review worker and the window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from review_shift import NOW, SITE, STATION, Data, build

from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker


@pytest.fixture
def data(writer: StorageWriter) -> Data:
    """The data set, written on the storage thread into the writer's database."""
    return writer.submit(build).result(timeout=30)


@pytest.fixture
def session() -> Iterator[Session]:
    s = Session()
    s.log_in(Account("chef", "Claire Chef", Role.SUPERVISEUR))
    yield s
    s.deleteLater()


@pytest.fixture
def worker(writer: StorageWriter) -> Iterator[ReviewWorker]:
    w = ReviewWorker(writer.path)
    yield w
    w.close()
    w.deleteLater()


def open_window(
    qtbot: Any, writer: StorageWriter, session: Session, worker: ReviewWorker, tmp_path: Path
) -> ReviewWindow:
    window = ReviewWindow(
        SITE, session, worker, writer, STATION, now=lambda: NOW,
        choose_path=lambda _kind, name: tmp_path / name,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.load_default()
    return window


@pytest.fixture
def window(
    qtbot: Any,
    writer: StorageWriter,
    data: Data,
    session: Session,
    worker: ReviewWorker,
    tmp_path: Path,
) -> ReviewWindow:
    """The review window on the data set, loaded on its default period."""
    del data
    return open_window(qtbot, writer, session, worker, tmp_path)


@pytest.fixture
def open_review(
    qtbot: Any, writer: StorageWriter, session: Session, tmp_path: Path
) -> Callable[[ReviewWorker], ReviewWindow]:
    """Opens a review window on any worker (the station's, the central one)."""
    return lambda worker: open_window(qtbot, writer, session, worker, tmp_path)
