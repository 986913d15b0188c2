"""The single storage thread: every database operation of the console runs here.

Serialising all SQLite work through one thread gives one writer (no "database is
locked" between our own threads) and keeps the GUI and network threads from
ever blocking on disk. Callers get a :class:`concurrent.futures.Future`.

**A full disk.** The console's own events (:meth:`StorageWriter.record`) are
never lost to a failed write: they are kept in memory, in order
(:mod:`csu_console.storage.backlog`), retried on a backoff, and written oldest
first as soon as there is room. Meanwhile nothing newer may take their place in
the chain: any other job that would append an event is refused with
a :class:`~csu_console.errors.DiskFullError` (the GUI shows the operator
:data:`~csu_console.errors.DISK_FULL_REFUSAL`: the action is not pretended done);
reads go on. Watchers (:meth:`StorageWriter.watch`) are told
the :class:`~csu_console.storage.backlog.DiskState` at each change.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from csu_console.core.alerts import StoredAlert
from csu_console.errors import DiskFullError, StorageBugError, StorageError
from csu_console.log_repeat import RepeatedLog
from csu_console.storage.backlog import (
    BACKLOG_LIMIT,
    FLUSH_CHUNK,
    LOW_SPACE_BYTES,
    DiskState,
    EventBacklog,
    free_bytes,
)
from csu_console.storage.logbook import NewEvent
from csu_console.storage.store import Store

log = logging.getLogger("csu.storage")

T = TypeVar("T")
_Job = tuple[Callable[[Store], Any], Future[Any], bool]  # fn, future, own events?

#: Why a write is refused while the console's own events wait to be written.
HELD_MESSAGE = "Base de données indisponible : disque plein, des événements attendent d'être écrits"
#: Backoff of the retries while writes fail: first delay, longest delay (seconds).
RETRY_FIRST_S = 0.5
RETRY_MAX_S = 5.0
#: More own events try the backlog again at most this often (a failed try costs one chunk).
RETRY_GAP_S = 0.25
#: How often the free space of the data folder is looked at.
SPACE_CHECK_S = 30.0


class Recorded(NamedTuple):
    """What became of the events handed to :meth:`StorageWriter.record`."""

    pks: tuple[int, ...]  # written now (their pks)
    kept: int  # kept in memory, written when there is room
    dropped: int  # not kept: beyond the backlog's bound (logged, counted)


def _deny_event_inserts(action: int, arg1: str | None, *_rest: object) -> int:
    """SQLite authorizer while own events wait: nothing may be chained before them."""
    if action == sqlite3.SQLITE_INSERT and arg1 == "events":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _denied(exc: BaseException) -> bool:
    cause = exc.__cause__
    return isinstance(exc, StorageBugError) and (
        getattr(cause, "sqlite_errorname", "") == "SQLITE_AUTH"
        or "not authorized" in str(cause).lower()
    )


class StorageWriter:
    """Owns the read-write :class:`Store` on a dedicated thread."""

    def __init__(
        self,
        path: Path,
        tz: tzinfo | None = None,
        *,
        backlog_limit: int = BACKLOG_LIMIT,
        low_space_bytes: int = LOW_SPACE_BYTES,
    ) -> None:
        self.path = path
        #: Zone of the ``at_local`` of the events written here (``[site] timezone``).
        self.tz = tz
        self.low_space_bytes = low_space_bytes
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="csu-storage", daemon=False)
        self._opened: Future[None] = Future()
        self._closed = False
        # The rest belongs to the storage thread (``_state`` is replaced whole).
        self._backlog = EventBacklog(backlog_limit)
        self._state = DiskState()
        self._watchers: list[Callable[[DiskState], None]] = []
        self._repeats = RepeatedLog(log)
        self._retry_delay = RETRY_FIRST_S
        self._retry_at = 0.0
        self._last_try = 0.0
        self._space_at = 0.0
        self._held = False  # the authorizer refuses event inserts

    def start(self) -> None:
        """Start the thread and open the database; raises StorageError on failure."""
        self._thread.start()
        self._opened.result()

    @property
    def disk_state(self) -> DiskState:
        """The latest state of the disk as the storage thread saw it."""
        return self._state

    def watch(self, fn: Callable[[DiskState], None]) -> None:
        """Call ``fn(state)`` (on the storage thread) at each change of the disk state;
        register before :meth:`start`."""
        self._watchers.append(fn)

    def submit(self, fn: Callable[[Store], T]) -> Future[T]:
        """Run ``fn(store)`` on the storage thread; FIFO with every other job."""
        return self._put(fn, own=False)

    def expire_due(self, now: datetime | None = None) -> Future[list[StoredAlert]]:
        """The expiry sweep (every minute, from the console): alerts past their CAP
        ``expires`` marked EXPIRED (:meth:`Store.expire_due`); them, as they are now."""
        return self.submit(lambda store: store.expire_due(now))

    def record(
        self, events: Sequence[NewEvent] | Callable[[Store], Sequence[NewEvent]]
    ) -> Future[Recorded]:
        """Append the console's own events (or those ``events(store)`` builds, from
        reads); kept in memory and written later, in order, if the disk is full."""
        build = events if callable(events) else (lambda _s: events)
        return self._put(build, own=True)

    def _put(self, fn: Callable[[Store], Any], *, own: bool) -> Future[Any]:
        fut: Future[Any] = Future()
        if self._closed:
            fut.set_exception(StorageError("Stockage arrêté"))
            return fut
        self._jobs.put((fn, fut, own))
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

    # -- the storage thread ------------------------------------------------

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
        self._check_space(force=True)
        try:
            while True:
                try:
                    job = self._jobs.get(timeout=self._wait_s())
                except queue.Empty:
                    self._on_tick(store)
                    continue
                if job is None:
                    break
                self._run_job(store, job)
                if self._wait_s() <= 0.01:  # a busy queue still gets its retries
                    self._on_tick(store)
        finally:
            self._last_flush(store)
            store.close()
            log.info("base %s fermée", self.path)

    def _wait_s(self) -> float:
        now = time.monotonic()
        wake = self._space_at
        if self._backlog or self._state.failing:
            wake = min(wake, self._retry_at)
        return max(0.01, wake - now)

    def _on_tick(self, store: Store) -> None:
        now = time.monotonic()
        if (self._backlog or self._state.failing) and now >= self._retry_at:
            ok = self._flush(store) if self._backlog else self._probe(store)
            if not ok:  # the idle retries back off; an action's try does not count
                self._retry_delay = min(self._retry_delay * 2, RETRY_MAX_S)
                self._retry_at = time.monotonic() + self._retry_delay
        self._check_space()
        self._repeats.flush()

    def _run_job(self, store: Store, job: _Job) -> None:
        fn, fut, own = job
        if not fut.set_running_or_notify_cancel():
            return
        # The older events first: order holds. Before an operator's action always
        # (it is refused if they cannot go); before more own events, now and then.
        if self._backlog and (not own or time.monotonic() - self._last_try >= RETRY_GAP_S):
            self._flush(store)  # never raises: the thread must live on
        try:
            if own:
                fut.set_result(self._append_own(store, list(fn(store))))
            else:
                fut.set_result(fn(store))
        except BaseException as exc:  # noqa: BLE001 - delivered to the waiter
            fut.set_exception(self._refusal(exc))

    def _append_own(self, store: Store, events: list[NewEvent]) -> Recorded:
        if not events:
            return Recorded((), 0, 0)
        if self._backlog:
            return self._keep(store, events)  # behind the older ones
        try:
            pks = store.add_events(events)
        except StorageError as exc:
            self._failed(exc)
            return self._keep(store, events)
        self._succeeded()
        return Recorded(tuple(pks), 0, 0)

    def _keep(self, store: Store, events: list[NewEvent]) -> Recorded:
        kept = self._backlog.keep(events)
        dropped = len(events) - kept
        if dropped:
            self._repeats.log(
                logging.ERROR,
                "dropped",
                "mémoire d'attente pleine (%d événements) : %d événements de la console "
                "perdus depuis que le disque est plein",
                self._backlog.limit,
                self._backlog.dropped,
            )
        if kept:
            self._repeats.log(
                logging.WARNING,
                "kept",
                "événements de la console gardés en mémoire, écrits dans l'ordre dès qu'il "
                "y aura de la place (%d en attente)",
                len(self._backlog),
            )
        self._hold(store, True)
        self._publish(pending=len(self._backlog), dropped=self._backlog.dropped)
        return Recorded((), kept, dropped)

    def _refusal(self, exc: BaseException) -> BaseException:
        """A job's failure as the caller should see it: a write refused because
        older events wait is a :class:`DiskFullError` too (the GUI shows both as
        :data:`~csu_console.errors.DISK_FULL_REFUSAL`)."""
        if isinstance(exc, DiskFullError):
            self._failed(exc)  # « DISQUE PLEIN » until a write succeeds again
            return exc
        if not (self._held and _denied(exc)):
            return exc
        refused = DiskFullError(HELD_MESSAGE)
        refused.__cause__ = exc
        return refused

    def _flush(self, store: Store) -> bool:
        """Write the kept events, oldest first, a chunk per transaction."""
        self._last_try = time.monotonic()
        self._hold(store, False)
        waited_since = self._state.since
        dropped = self._backlog.dropped
        written = 0
        try:
            while self._backlog:
                chunk = self._backlog.head(FLUSH_CHUNK)
                try:
                    store.add_events(chunk)
                except StorageError:
                    raise
                except Exception:  # a bug must not block the others
                    # A bad event (kept while others waited, so never tried) must not
                    # block the rest: one at a time, the bad one said and left out.
                    log.exception("lot d'événements gardés refusé : écriture un par un")
                    written += self._write_one_by_one(store, len(chunk))
                    continue
                self._backlog.written(len(chunk))
                written += len(chunk)
        except StorageError as exc:
            self._hold(store, True)
            self._failed(exc)
            if written:
                self._publish(pending=len(self._backlog))
            return False
        self._succeeded()
        log.info(
            "écriture rétablie : %d événements de la console gardés en mémoire depuis %s "
            "écrits dans l'ordre%s",
            written,
            waited_since.isoformat(timespec="seconds") if waited_since else "?",
            f" ; {dropped} n'avaient pas pu être gardés (perdus)" if dropped else "",
        )
        return True

    def _write_one_by_one(self, store: Store, n: int) -> int:
        """The ``n`` oldest kept events, each in its own transaction; a bad one is
        logged and left out; StorageError stops (what was written is forgotten)."""
        written = 0
        for event in self._backlog.head(n):
            try:
                store.add_events([event])
                written += 1
            except StorageError:
                raise
            except Exception:  # a bug: said, and the rest goes on
                log.exception("événement gardé impossible à écrire (bogue), écarté : %s", event)
            self._backlog.written(1)
        return written

    def _probe(self, store: Store) -> bool:
        """Writes failed with nothing kept: is there room again? (one small write)"""
        self._last_try = time.monotonic()
        try:
            with store._transaction() as cur:  # the writer owns its store
                cur.execute(
                    "INSERT INTO meta (key, value) VALUES ('disk_checked_at', ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (datetime.now(UTC).isoformat(timespec="seconds"),),
                )
        except StorageError as exc:
            self._failed(exc)
            return False
        self._succeeded()
        log.info("écriture rétablie")
        return True

    def _hold(self, store: Store, on: bool) -> None:
        """While own events wait, nothing else may append an event (their order)."""
        if self._held == on:
            return
        store.conn.set_authorizer(_deny_event_inserts if on else None)
        self._held = on

    def _failed(self, exc: StorageError) -> None:
        now = time.monotonic()
        self._retry_at = now + self._retry_delay
        full = isinstance(exc, DiskFullError)
        first = not self._state.failing
        self._repeats.log(
            logging.ERROR,
            "write",
            "%s : écriture refusée — %s",
            "disque plein" if full else "écriture impossible",
            exc,
        )
        since = datetime.now(UTC) if first else self._state.since
        self._publish(full=full, failing=True, since=since, error=str(exc))
        self._check_space(force=True)

    def _succeeded(self) -> None:
        self._retry_delay = RETRY_FIRST_S
        if not self._state.failing and not self._state.pending:
            return
        for key in ("write", "kept", "dropped"):
            self._repeats.clear(key)
        self._publish(
            full=False, failing=False, since=None, error="", pending=len(self._backlog),
            dropped=self._backlog.dropped,
        )  # fmt: skip
        self._check_space(force=True)

    def _check_space(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now < self._space_at:
            return
        self._space_at = now + SPACE_CHECK_S
        free = free_bytes(self.path.parent)
        low = free is not None and free < self.low_space_bytes
        if free is not None and low and not self._state.low:
            log.warning(
                "espace disque faible : %d Mo libres dans %s", free // 1_000_000, self.path.parent
            )
        self._publish(free_bytes=free, low=low)

    def _publish(self, **changes: Any) -> None:
        state = replace(self._state, **changes)
        if state == self._state:
            return
        self._state = state
        for fn in self._watchers:
            try:
                fn(state)
            except Exception:
                log.exception("observateur de l'état du disque")

    def _last_flush(self, store: Store) -> None:
        """Closing: one more try; what still cannot be written is said, with its count."""
        if not self._backlog:
            return
        if not self._flush(store):
            log.error(
                "arrêt avec le disque plein : %d événements de la console jamais écrits (perdus)%s",
                len(self._backlog),
                f", plus {self._backlog.dropped} déjà perdus" if self._backlog.dropped else "",
            )
