"""Shared fixtures: offscreen Qt, a real simulator process, a real database,
and a guard that fails a test on any unexpected WARNING from the console's loggers."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from csu_console.core.protocol import UpdateMessage
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.sim.control import SimProcess
from csu_console.storage.store import Outcome
from csu_console.storage.writer import StorageWriter

REPO_DIR = Path(__file__).resolve().parents[1]
CONFIG_DIR = REPO_DIR / "config"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "expected_logs(*prefixes): logger-name prefixes allowed to log WARNING or worse",
    )


@pytest.fixture(autouse=True)
def _fail_on_unexpected_logs(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    caplog.set_level(logging.INFO, logger="csu")
    yield
    allowed: list[str] = []
    for marker in request.node.iter_markers("expected_logs"):
        allowed.extend(marker.args)
    bad = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.WARNING
        and r.name.startswith("csu")
        and not any(r.name.startswith(p) for p in allowed)
    ]
    if bad:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in bad[:10])
        pytest.fail(f"journal inattendu (WARNING ou plus) :\n{lines}")


@pytest.fixture
def config_dir() -> Path:
    """The demo site."""
    return CONFIG_DIR


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimProcess]:
    """A real ``csu-sim`` process on 127.0.0.1 (random port), stopped after the test."""
    proc = SimProcess(
        CONFIG_DIR,
        state=tmp_path / "sim-state.sqlite3",
        extra_args=["--seed", "7", "--resend-after", "2"],
    )
    proc.start()
    yield proc
    proc.close()


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[StorageWriter]:
    """The storage thread on a fresh database file."""
    w = StorageWriter(tmp_path / "data" / "csu.sqlite3")
    w.start()
    yield w
    w.close()


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Wait for a condition of another process or thread (polled every 20 ms)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"délai dépassé ({timeout} s) en attendant : {what}")
        time.sleep(0.02)


class RecordingListener:
    """A LinkListener that keeps everything it is told (thread-safe appends)."""

    def __init__(self) -> None:
        self.statuses: list[LinkStatus] = []
        self.outcomes: list[Outcome] = []
        self.updates: list[UpdateMessage] = []
        self.storage_errors: list[str] = []

    def link_status_changed(self, status: LinkStatus) -> None:
        self.statuses.append(status)

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        self.outcomes.extend(outcomes)

    def update_received(self, update: UpdateMessage) -> None:
        self.updates.append(update)

    def storage_failed(self, message: str) -> None:
        self.storage_errors.append(message)

    @property
    def phase(self) -> LinkPhase | None:
        return self.statuses[-1].phase if self.statuses else None


def stored_keys(db: Path) -> list[tuple[str, str]]:
    """(source, id) of every stored alert, read from the database file itself."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [(r[0], r[1]) for r in conn.execute("SELECT source, alert_id FROM alerts")]
    finally:
        conn.close()
