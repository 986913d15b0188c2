"""The single storage thread: every database operation of the console runs here.

Serialising all SQLite work through one thread gives one writer (no "database is
locked" between our own threads) and keeps the GUI and network threads from
ever blocking on disk. Callers get a :class:`concurrent.futures.Future`.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import tzinfo
from pathlib import Path
from typing import Any, TypeVar

from csu_console.errors import StorageError
from csu_console.storage.store import Store

log = logging.getLogger("csu.storage")

T = TypeVar("T")
_Job = tuple[Callable[[Store], Any], Future[Any]]


class StorageWriter:
    """Owns the read-write :class:`Store` on a dedicated thread."""

    def __init__(self, path: Path, tz: tzinfo | None = None) -> None:
        self.path = path
        #: Zone of the ``at_local`` of the events written here (``[site] timezone``).
        self.tz = tz
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="csu-storage", daemon=False)
        self._opened: Future[None] = Future()
        self._closed = False

    def start(self) -> None:
        """Start the thread and open the database; raises StorageError on failure."""
        self._thread.start()
        self._opened.result()

    def submit(self, fn: Callable[[Store], T]) -> Future[T]:
        """Run ``fn(store)`` on the storage thread; FIFO with every other job."""
        fut: Future[T] = Future()
        if self._closed:
            fut.set_exception(StorageError("Stockage arrêté"))
            return fut
        self._jobs.put((fn, fut))
        return fut

    def close(self, timeout: float | None = 30.0) -> None:
        """Finish every queued job, then close the database and the thread."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("le stockage ne s'est pas arrêté en %s s", timeout)

    def _run(self) -> None:
        try:
            store = Store(self.path, tz=self.tz)
        except StorageError as exc:
            log.error("ouverture de la base %s impossible : %s", self.path, exc)
            self._opened.set_exception(exc)
            return
        except Exception as exc:  # noqa: BLE001 - a bug: hand it to the caller of start()
            self._opened.set_exception(exc)
            return
        self._opened.set_result(None)
        try:
            while (job := self._jobs.get()) is not None:
                fn, fut = job
                if not fut.set_running_or_notify_cancel():
                    continue
                try:
                    fut.set_result(fn(store))
                except BaseException as exc:  # noqa: BLE001 - delivered to the waiter
                    fut.set_exception(exc)
        finally:
            store.close()
            log.info("base %s fermée", self.path)
