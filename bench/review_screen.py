"""The review screen on a month of a busy centre: does it open without a freeze?

The real :class:`~csu_console.ui.review.window.ReviewWindow` (offscreen Qt, its
worker thread, the real charts, list and map) on the base of ``review_query.py``
(1,000,000 alerts and ~5,000,000 events over March 2025, cached in ``var/bench/``):

- ``open``: the window opens on the last completed shift (14–22 on 31/03); time until
  the indicators and the list are shown, then the chain check;
- ``month``: the whole month is chosen; time until the indicators and the list are
  shown, time to the first progress, and the longest stall of the GUI thread meanwhile
  (a 1 ms timer);
- ``narrow``: a click-equivalent narrowing (one zone) during the month's load: the
  stale load is interrupted, the narrowed one shown.

Generate the base first with ``bench/review_query.py`` (about 5 minutes, once).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/review_screen.py

Goal (issue 7): a month opens without a freeze (stall well under a second; the
console's interrupt goal is 100 ms). Last line: name=value pairs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from csu_console.config import default_config_dir, load_site
from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.review.launcher import ReviewLauncher
from csu_console.ui.review.window import ReviewWindow

REPO = Path(__file__).resolve().parents[1]
BASE = REPO / "var" / "bench" / "review-1000000.sqlite3"
NOW = datetime(2025, 3, 30, 21, 0, tzinfo=UTC)  # 23:00 in Paris: 14–22 just ended


class Stalls:
    """The longest gap between two ticks of a 1 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0.0
        self.max_ms = 0.0
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        if self.last:
            self.max_ms = max(self.max_ms, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last, self.max_ms = 0.0, 0.0


def wait_for(ready: Callable[[], bool], timeout_s: float) -> float:
    """Seconds until ``ready()`` (polled every 2 ms, the event loop running)."""
    loop = QEventLoop()
    start = time.perf_counter()
    done: list[float] = []

    def check() -> None:
        if ready():
            done.append(time.perf_counter() - start)
            loop.quit()

    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    poll.stop()
    if not done:
        raise SystemExit(f"revue : rien d'affiché en {timeout_s:.0f} s")
    return done[0]


def shown(window: ReviewWindow) -> Callable[[], bool]:
    """Indicators and list shown for the current filter."""
    return lambda: not window._waiting and window.summary is not None


def main() -> int:
    if not BASE.exists():
        print(f"base absente : lancez d'abord bench/review_query.py ({BASE})")
        return 2
    app = QApplication(sys.argv[:1])  # noqa: F841 (kept alive for the whole run)
    site = load_site(default_config_dir())
    main_window = QWidget()
    session = Session(main_window)
    session.log_in(Account("chef", "Claire Martin", Role.SUPERVISEUR))
    with tempfile.TemporaryDirectory(prefix="csu-bench-") as tmp:
        # Exports are not measured here: the writer only has to exist.
        writer = StorageWriter(Path(tmp) / "exports.sqlite3")
        writer.start()
        launcher = ReviewLauncher(
            site, session, writer, "poste-1", BASE, main_window, now=lambda: NOW
        )
        try:
            stalls = Stalls()
            start = time.perf_counter()
            launcher.open_review()
            window = launcher.window
            assert window is not None
            window.resize(1920, 1080)
            open_s = wait_for(shown(window), 120)
            open_chain_s = open_s + wait_for(lambda: window.chain is not None, 300)
            open_stall = stalls.max_ms
            shift_alerts = window.model.rowCount()

            progress: list[float] = []
            window.worker.progress.connect(lambda _g, _d: progress.append(time.perf_counter()))
            stalls.reset()
            start = time.perf_counter()
            window.picker.set_days(date(2025, 3, 1), date(2025, 3, 31))
            window.picker.apply()
            month_s = wait_for(shown(window), 300)
            month_stall = stalls.max_ms
            first_progress = (progress[0] - start) if progress else month_s
            month_alerts = window.summary.indicators.alerts.count if window.summary else 0

            # A narrowing while the month loads: the stale load gives way.
            window.picker.apply()
            stalls.reset()
            start = time.perf_counter()
            zone = site.zones[0].id
            window.narrow("zones", zone)
            narrow_s = wait_for(shown(window), 300)
            narrow_stall = stalls.max_ms
            narrowed = window.summary.indicators.alerts.count if window.summary else 0
        finally:
            launcher.stop()
            writer.close()
    res = {
        "open_s": round(open_s, 2),
        "open_stall_ms": round(open_stall, 1),
        "open_chain_s": round(open_chain_s, 2),
        "shift_rows": shift_alerts,
        "month_s": round(month_s, 2),
        "month_first_progress_s": round(first_progress, 2),
        "month_stall_ms": round(month_stall, 1),
        "month_alerts": month_alerts,
        "narrow_s": round(narrow_s, 2),
        "narrow_stall_ms": round(narrow_stall, 1),
        "narrow_alerts": narrowed,
        "load": round(os.getloadavg()[0], 2),
    }
    for k, v in res.items():
        print(f"{k:24s} {v}")
    print(" ".join(f"{k}={v}" for k, v in res.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
