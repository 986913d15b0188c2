"""Queries off the GUI thread: a newer request makes the older ones stale (dropped,
never shown), a running query is interrupted, and the worker answers afterwards."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from review_shift import Data

from csu_console.core.review.filter import ReviewFilter
from csu_console.storage.review import ReviewCancelled, ReviewReader
from csu_console.storage.store import Store
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker

# Counts to a billion: minutes of work, unless interrupted.
ENDLESS = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000)"
    " SELECT count(*) FROM c"
)


def test_a_newer_request_drops_the_older_one(
    qtbot: Any, window: ReviewWindow, worker: ReviewWorker, data: Data
) -> None:
    shown: list[ReviewFilter] = []
    window.loaded.connect(shown.append)
    dropped = worker.dropped
    window.picker.set_days(date(2025, 6, 1), date(2025, 6, 3))  # every alert, B0 to B9
    window.picker.apply()  # summary, list and chain of the three days…
    window.narrow("zones", "sud")  # …stale at once: the supervisor clicked again
    qtbot.waitUntil(lambda: bool(shown) and not worker.busy, timeout=10_000)
    assert worker.dropped - dropped == 3  # the three queries of the first request
    assert len(shown) == 1 and shown[0].zones == {"sud"}
    assert shown[0].start.date() == date(2025, 5, 31)  # midnight Paris is 22:00 UTC
    assert data.names(r.pk for r in window.model.rows) == ["B2", "B4"]
    assert window.figures.texts()["Alertes reçues"] == "2"


def test_a_running_query_is_interrupted_by_a_newer_one(
    qtbot: Any, worker: ReviewWorker, data: Data
) -> None:
    del data
    started, cancelled = threading.Event(), threading.Event()
    results: list[object] = []

    def endless(reader: ReviewReader, _store: Store, _progress: Callable[[float], None]) -> int:
        started.set()
        try:
            return int(reader.execute(ENDLESS).fetchone()[0])
        except ReviewCancelled:
            cancelled.set()
            raise

    worker.new_generation()
    worker.submit(endless, results.append, results.append)
    qtbot.waitUntil(started.is_set, timeout=5000)
    worker.new_generation()  # what a new filter does
    qtbot.waitUntil(cancelled.is_set, timeout=5000)
    qtbot.waitUntil(lambda: not worker.busy, timeout=5000)
    assert results == [] and worker.dropped == 1  # neither result nor error shown

    def count(reader: ReviewReader, _store: Store, _progress: Callable[[float], None]) -> int:
        return int(reader.execute("SELECT count(*) FROM alerts").fetchone()[0])

    worker.submit(count, results.append)
    qtbot.waitUntil(lambda: results == [8], timeout=5000)


def test_an_export_is_not_interrupted_by_a_screen_request(
    qtbot: Any, worker: ReviewWorker, data: Data
) -> None:
    del data
    started, release = threading.Event(), threading.Event()
    results: list[object] = []

    def export_like(reader: ReviewReader, _store: Store, _p: Callable[[float], None]) -> int:
        started.set()
        release.wait(10)
        return int(reader.execute("SELECT count(*) FROM alerts").fetchone()[0])

    worker.submit(export_like, results.append, results.append, screen=False)
    qtbot.waitUntil(started.is_set, timeout=5000)
    worker.new_generation()  # a new filter meanwhile must not cancel the export
    release.set()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [8]


def test_a_month_shows_its_progress_then_hides_it(
    qtbot: Any, window: ReviewWindow, worker: ReviewWorker, data: Data
) -> None:
    seen: list[tuple[int, float]] = []
    worker.progress.connect(lambda generation, done: seen.append((generation, done)))
    window.picker.set_days(date(2025, 6, 30), date(2025, 6, 1))  # either order
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.picker.apply()
        assert window.progress.isVisible() and window.status.text() == "Chargement…"
    assert window.base_label == "Du dimanche 1 juin 2025 au lundi 30 juin 2025"
    mine = [done for generation, done in seen if generation == worker.generation]
    assert mine and mine[-1] == 1.0 and mine == sorted(mine)
    assert window.progress.value() == 100
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=10_000)
    assert data.names(r.pk for r in window.model.rows) == [
        "B0", "B1", "B2", "B3", "B4", "B5", "B6", "B9",
    ]  # fmt: skip
    assert window.status.text() == "8 alerte(s)"
