"""The review's one worker thread: it owns the read-only connection and its
:class:`~csu_console.storage.review.ReviewReader`, runs one job at a time, and
hands results back to the GUI thread through a queued Qt signal.

Screen jobs carry a *generation*: a newer screen request makes the older ones
stale. A stale job still queued is skipped; a stale job running is interrupted
(``reader.interrupt()`` → :class:`~csu_console.storage.review.ReviewCancelled`);
a stale result that arrives anyway is dropped. Exports are never interrupted by
a screen request: they are not screen jobs, and the interrupt only ever hits a
running screen job (checked under one lock with the worker's switch to its next
job).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from csu_console.storage.review import ReviewCancelled, ReviewReader
from csu_console.storage.store import Store

log = logging.getLogger("csu.ui")
T = TypeVar("T")

#: A job: ``fn(reader, store, progress)``; ``progress`` takes 0…1.
Job = Callable[[ReviewReader, Store, Callable[[float], None]], T]


@dataclass
class _Task:
    fn: Job[Any]
    future: Future[Any]
    generation: int | None  # None: not a screen job (an export), never interrupted
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None] | None
    owner: QObject | None


class ReviewWorker(QObject):
    """Runs review jobs on one thread with a read-only :class:`Store` of ``db_path``.

    ``progress(generation, fraction)`` reports screen jobs (generation -1 for the
    others); ``busy_changed`` says whether a job is under way or queued.
    """

    progress = Signal(int, float)
    busy_changed = Signal(bool)
    _finished = Signal(object)  # _Task

    def __init__(self, db_path: Path, parent: QObject | None = None, *, source: str = "") -> None:
        super().__init__(parent)
        self.db_path = db_path
        #: ``[review] source``: empty for this station's database, else the central
        #: PostgreSQL (the store stays this station's: its shift, its export events).
        self.source = source
        self.generation = 0
        self._jobs: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running: _Task | None = None
        self._reader: ReviewReader | None = None
        self._pending = 0
        self._thread: threading.Thread | None = None
        self._closed = False
        self.dropped = 0  # stale results dropped (for tests and the log)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    # -- GUI thread -----------------------------------------------------------

    def new_generation(self) -> int:
        """Make every earlier screen job stale (the running one is interrupted)."""
        with self._lock:
            self.generation += 1
            running = self._running
            if running is not None and running.generation is not None and self._reader:
                self._reader.interrupt()
        return self.generation

    def submit(
        self,
        fn: Job[T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        screen: bool = True,
        owner: QObject | None = None,
    ) -> int:
        """Queue ``fn``; ``on_done(result)`` later on the GUI thread, unless stale.

        A screen job belongs to the current generation (see :meth:`new_generation`);
        returns it (-1 for other jobs).
        """
        if self._closed:
            raise RuntimeError("review worker closed")
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="csu-review", daemon=True)
            self._thread.start()
        generation = self.generation if screen else None
        task = _Task(fn, Future(), generation, on_done, on_error, owner)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._jobs.put(task)
        return -1 if generation is None else generation

    @property
    def busy(self) -> bool:
        """True while a job is queued or running."""
        return self._pending > 0

    def close(self) -> None:
        """Stop the running job, skip the rest, close the connection."""
        if self._closed:
            return
        self._closed = True
        self.new_generation()
        self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(10)

    @Slot(object)
    def _on_finished(self, task: _Task) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if task.owner is not None and not shiboken6.isValid(task.owner):
            return
        if self._closed or (task.generation is not None and task.generation != self.generation):
            self.dropped += 1
            log.debug("résultat de revue périmé ignoré (génération %s)", task.generation)
            return
        exc = task.future.exception()
        if exc is None:
            task.on_done(task.future.result())
        elif task.on_error is not None:
            task.on_error(exc)
        else:
            log.error("revue : tâche en échec", exc_info=exc)

    # -- worker thread --------------------------------------------------------

    def _stale(self, task: _Task) -> bool:
        return self._closed or (task.generation is not None and task.generation != self.generation)

    def _run(self) -> None:
        store: Store | None = None
        try:
            while (task := self._jobs.get()) is not None:
                with self._lock:
                    if self._reader is not None:
                        self._reader.begin()  # forget an interrupt aimed at the last job
                    self._running = task
                try:
                    if self._stale(task):
                        raise ReviewCancelled("revue périmée")
                    if self._reader is None:
                        store = store or Store(self.db_path, readonly=True)
                        reader = self._open_reader(store)
                        with self._lock:
                            self._reader = reader
                    assert store is not None
                    task.future.set_result(self._call(task, store))
                except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
                    task.future.set_exception(exc)
                finally:
                    with self._lock:
                        self._running = None
                if not self._closed:  # closed: nobody is left to tell
                    self._finished.emit(task)
        finally:
            if self._reader is not None and self._reader.dialect != "sqlite":
                self._reader.conn.close()  # the central database's connection
            if store is not None:
                store.close()

    def _open_reader(self, store: Store) -> ReviewReader:
        if not self.source:
            return ReviewReader(store.conn)
        from csu_console.central.reader import PgReviewReader, connect

        log.info("revue : base centrale PostgreSQL")
        return PgReviewReader(connect(self.source))

    def _call(self, task: _Task, store: Store) -> Any:
        reader = self._reader
        assert reader is not None
        try:
            return task.fn(reader, store, self._reporter(task))
        except ReviewCancelled:
            if self._stale(task):
                raise
            # The interrupt was aimed at the job before: SQLite keeps it until that
            # job's statements are all done, and it can hit this one's first. Once more.
            log.debug("revue : interruption destinée à la tâche précédente, reprise")
            with self._lock:
                reader.begin()
            return task.fn(reader, store, self._reporter(task))

    def _reporter(self, task: _Task) -> Callable[[float], None]:
        """Progress of ``task`` as signals, at most one per percent."""
        last = [-1]
        generation = -1 if task.generation is None else task.generation

        def report(done: float) -> None:
            percent = int(done * 100)
            if percent != last[0] and not self._closed:
                last[0] = percent
                self.progress.emit(generation, done)

        return report
