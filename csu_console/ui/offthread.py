"""Run work off the GUI thread and hand back the newest result on it.

Work that takes longer than a frame and only matters by its latest answer (the
assisted triage's pass over a storm's queue, the heap trim, the basemap and the
heatmap of a map view, the recorder's status on a share) goes through this one
executor rather than a thread, flag and signal of its own. (The replay's coverage
still keeps its own pool: it shares it with opening the recordings, which no newer
request may cancel.)

- one worker thread per executor: a job runs alone, so a stateful engine it calls
  (the triage's caches) is only ever touched from that thread;
- a request not started yet when a newer one comes is cancelled (never run); the
  one running finishes, and its result is handed to its callback on the GUI thread
  (newer than what is shown; the next one follows);
- after :meth:`stop`, nothing is handed over (the console stopped) and the thread
  is joined (a console running for weeks keeps a flat thread count);
  :meth:`reset` does the same for what was asked so far but takes later requests
  on a new thread (a map view closed and shown again).

The work itself must not touch Qt objects: it gets plain data, snapshotted on the
GUI thread, and returns plain data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger("csu.ui")

T = TypeVar("T")


@dataclass(eq=False)
class _Job(Generic[T]):
    fn: Callable[[], T]
    on_done: Callable[[T], None]
    on_error: Callable[[BaseException], None] | None
    future: Future[T] | None = None
    #: The executor's reset count when it was asked (older ones are not handed back).
    epoch: int = 0
    #: How long the work took on the worker (seconds), once it ran.
    took: float = field(default=0.0)


class LatestResult(QObject):
    """One worker thread; the newest request wins (see the module doc)."""

    _finished = Signal(object)  # _Job, from the worker thread (queued to the GUI)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._pool: ThreadPoolExecutor | None = None
        self._waiting: list[_Job[Any]] = []  # submitted, not handed back yet
        self._stopped = False
        self._epoch = 0
        self.requests = 0
        self.cancelled = 0  # requests replaced before they started
        #: How long the last job handed back took on the worker (seconds).
        self.last_took = 0.0
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """A request is waiting or running."""
        return bool(self._waiting)

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn()`` on the worker; ``on_done(result)`` later on the GUI thread.

        Without ``on_error``, a failure is logged (a bug in the work must not end
        the console; the next request runs as usual).
        """
        if self._stopped:
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix=f"csu-{self.name}")
        still: list[_Job[Any]] = []
        for old in self._waiting:
            if old.future is not None and old.future.cancel():
                self.cancelled += 1
            else:
                still.append(old)
        self._waiting = still
        job: _Job[T] = _Job(fn, on_done, on_error, epoch=self._epoch)
        job.future = self._pool.submit(self._run, job)
        job.future.add_done_callback(lambda _f: self._finished.emit(job))
        self._waiting.append(job)
        self.requests += 1

    @staticmethod
    def _run(job: _Job[T]) -> T:
        began = time.perf_counter()
        try:
            return job.fn()
        finally:
            job.took = time.perf_counter() - began

    @Slot(object)
    def _on_finished(self, job: _Job[Any]) -> None:
        if job in self._waiting:
            self._waiting.remove(job)
        future = job.future
        if self._stopped or job.epoch != self._epoch or future is None or future.cancelled():
            return
        self.last_took = job.took
        exc = future.exception()
        if exc is None:
            job.on_done(future.result())
        elif job.on_error is not None:
            job.on_error(exc)
        else:
            log.error("calcul en arrière-plan %s en échec", self.name, exc_info=exc)

    def reset(self, wait: bool = True) -> None:
        """Cancel what has not started, wait for what runs (unless ``wait`` is
        False: a read on a network share may hang), and hand none of it back; a
        later :meth:`submit` starts a new worker."""
        self._epoch += 1
        self._waiting.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def stop(self, wait: bool = True) -> None:
        """:meth:`reset`, and no request is taken afterwards (the console stopped)."""
        self._stopped = True
        self.reset(wait)
