"""The weak-signal scan in the console: every ``[signals] every_min`` minutes and on
demand (« Analyser maintenant »), never on the GUI thread.

The history is read and the detector runs on a reading thread of its own (a
:class:`~csu_console.ui.review.worker.ReviewWorker` with a read-only connection),
so that the storage thread keeps writing alerts meanwhile; the findings are then
saved by the storage thread (:class:`~csu_console.ui.bridge.DbTasks`). One scan at
a time: a tick or a click while one runs is not queued (the running one answers it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from csu_console.core.territory import Territory
from csu_console.storage.review import ReviewReader
from csu_console.storage.signal_scan import (
    Findings,
    ScanEngine,
    ScanResult,
    ScanSettings,
    find_signals,
)
from csu_console.storage.store import Store
from csu_console.storage.weak_signals import save_scan
from csu_console.ui.bridge import DbTasks
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.signals")

#: The first scan waits this long after the console starts (it has more urgent work).
FIRST_SCAN_MS = 60_000


class SignalScanner(QObject):
    """Runs scans on a timer and on demand; says when one starts, ends or fails."""

    scan_started = Signal()
    scan_finished = Signal(object)  # ScanResult
    scan_failed = Signal(str)  # French, for the screen and the status bar
    new_signals = Signal(list)  # ids of the signals the last scan found first

    def __init__(
        self,
        settings: ScanSettings,
        every_min: float,
        territory: Territory,
        reader: ReviewWorker,
        tasks: DbTasks,
        station: str | None,
        engine: ScanEngine,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings, self.territory, self.reader, self.tasks = settings, territory, reader, tasks
        self.station, self.engine = station, engine
        self._now = now or (lambda: datetime.now(UTC))
        self.busy = False
        self._stopped = False
        self.last: ScanResult | None = None
        self.last_error: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, round(every_min * 60_000)))
        self.timer.timeout.connect(self.scan_now)

    def start(self, first_after_ms: int = FIRST_SCAN_MS) -> None:
        """Scan every ``every_min`` minutes, the first time after ``first_after_ms``."""
        self.timer.start()
        QTimer.singleShot(first_after_ms, self, self.scan_now)

    def stop(self) -> None:
        """No scan starts or is saved from now on (the first scan's single shot may
        still fire, and a scan under way may still answer: both are ignored)."""
        self._stopped = True
        self.timer.stop()

    @Slot()
    def scan_now(self) -> bool:
        """Start a scan; False when one is already under way (it is not queued)."""
        if self._stopped:
            return False
        if self.busy:
            log.info("analyse déjà en cours : demande ignorée")
            return False
        self.busy = True
        now = self._now()
        territory, settings, engine = self.territory, self.settings, self.engine

        def find(
            _reader: ReviewReader, store: Store, _progress: Callable[[float], None]
        ) -> Findings:
            return find_signals(store, territory, settings, now, engine)

        self.scan_started.emit()
        try:
            self.reader.submit(find, self._on_found, self._on_failed, screen=False)
        except RuntimeError as exc:  # the reader was closed (the console is stopping)
            self._on_failed(exc)
        return True

    def _on_found(self, findings: Findings) -> None:
        if self._stopped:  # the console is closing: its storage with it
            self.busy = False
            return
        station = self.station

        def save(store: Store) -> ScanResult:
            return ScanResult(findings, save_scan(store, findings.signals, findings.at, station))

        self.tasks.run(save, self._on_saved, self._on_failed, owner=self)

    def _on_saved(self, result: ScanResult) -> None:
        self.busy = False
        self.last, self.last_error = result, None
        log.info(
            "analyse des signaux faibles : %d trouvé(s), %d nouveau(x), %d alerte(s) lues",
            result.found, len(result.new_ids), result.findings.alerts,
        )  # fmt: skip
        self.scan_finished.emit(result)
        if result.new_ids:
            self.new_signals.emit(list(result.new_ids))

    def _on_failed(self, exc: BaseException) -> None:
        self.busy = False
        log.error("analyse des signaux faibles en échec : %s", exc, exc_info=exc)
        self.last_error = self.tr("Analyse des signaux faibles en échec : {e}").format(e=exc)
        self.scan_failed.emit(self.last_error)
