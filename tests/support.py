"""Helpers shared by the tests (imported as ``support``; ``tests/`` is on sys.path)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from csu_console.core.protocol import UpdateMessage
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.storage.store import Outcome

REPO_DIR = Path(__file__).resolve().parents[1]
CONFIG_DIR = REPO_DIR / "config"


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
