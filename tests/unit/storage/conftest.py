"""Fixtures of the storage tests: a real database file, opened and migrated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_review import Shift, build

from csu_console.storage.review import ReviewReader
from csu_console.storage.store import DB_NAME, Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's database lives."""
    return tmp_path / "data" / DB_NAME


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh store on ``db_path``."""
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def data(store: Store) -> Shift:
    """The review tests' known shift (``test_review.build``), written to ``store``."""
    return build(store)


@pytest.fixture
def reader(store: Store, data: Shift) -> Iterator[ReviewReader]:
    """A read-only connection on that shift, as the review screen's worker opens it."""
    del data
    ro = Store(store.path, readonly=True)
    yield ReviewReader(ro.conn)
    ro.close()
