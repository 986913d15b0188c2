"""Plumbing shared by the backends: the source's thread, status publication, the
retry loop with backoff, frame numbering and frozen-picture detection."""

from __future__ import annotations

import atexit
import itertools
import logging
import queue
import threading
import time
import weakref
from abc import abstractmethod
from dataclasses import replace
from typing import Any

import numpy as np

from csu_console.media.video.classify import Diagnosis
from csu_console.media.video.health import FreezeDetector, backoff_delay
from csu_console.media.video.redact import redact_url
from csu_console.media.video.source import (
    CameraSource,
    Frame,
    HealthSettings,
    PixelFormat,
    SourceListener,
    SourceStatus,
    StreamError,
    StreamState,
)

log = logging.getLogger("csu.media")
_thread_ids = itertools.count(1)
_running: weakref.WeakSet[ThreadedSource] = weakref.WeakSet()
EXIT_JOIN_S = 3.0


@atexit.register
def _stop_all_at_exit() -> None:
    """Stop and join every source before the interpreter finalizes: a daemon thread
    that comes back from a decoder (OpenCV, libVLC) into a finalizing interpreter is
    killed by a forced unwind that OpenCV's C++ catches: "FATAL: exception not
    rethrown", the process aborts. The application should stop its sources itself;
    this is the safety net."""
    sources = list(_running)
    for source in sources:
        source.stop()
    deadline = time.monotonic() + EXIT_JOIN_S
    for source in sources:
        source.join(max(0.0, deadline - time.monotonic()))


class _Starter:
    """Starts the decoders' threads on a thread of its own.

    ``Thread.start()`` waits until the new thread runs, which takes the GIL: with the
    link's reader and the storage thread busy (a storm of alerts), a few ms per
    thread, and the wall starts a dozen when alerts arrive — on the GUI thread.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[threading.Thread, threading.Event]] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, thread: threading.Thread, started: threading.Event) -> None:
        """Start ``thread`` soon; ``started`` is set once it runs."""
        self._queue.put((thread, started))
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="csu-video-starter", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            thread, started = self._queue.get()
            try:
                thread.start()
            except RuntimeError:  # the interpreter is shutting down
                log.warning("flux non démarré : %s", thread.name)
            finally:
                started.set()


_STARTER = _Starter()


class ThreadedSource(CameraSource):
    """A :class:`CameraSource` whose own thread runs :meth:`_session` again and again,
    waiting ``backoff_delay(attempt)`` between tries, until :meth:`stop`.

    A session returns a :class:`Diagnosis` when the stream is lost; ``attempt``
    counts the failed sessions since the last good (non-frozen) frame.
    """

    def __init__(self, url: str, listener: SourceListener, health: HealthSettings) -> None:
        super().__init__(url, listener, health)
        self.redacted_url = redact_url(url)
        self._stop_event = threading.Event()
        # Re-entrant: a listener may read ``status`` from inside status_changed().
        self._status_lock = threading.RLock()
        self._status = SourceStatus(StreamState.STOPPED, time.monotonic())
        self._thread: threading.Thread | None = None
        self._thread_started = threading.Event()
        self._seq = 0
        self._last_frame_mono: float | None = None
        self._freeze = FreezeDetector(time.monotonic())

    # -- public ---------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("source already started")
        self._set_status(StreamState.CONNECTING)
        self._thread = threading.Thread(
            target=self._thread_main,
            name=f"csu-video-{self.backend}-{next(_thread_ids)}",
            daemon=True,  # a decoder stuck in a blocking call must not hold up exit
        )
        _running.add(self)
        _STARTER.start(self._thread, self._thread_started)

    def stop(self) -> None:
        self._stop_event.set()

    def join(self, timeout_s: float) -> bool:
        thread = self._thread
        if thread is None:
            return True
        deadline = time.monotonic() + timeout_s
        if not self._thread_started.wait(timeout_s):
            return False  # still waiting for the starter: it will stop at once
        if thread.ident is None:
            return True  # never started (the interpreter was shutting down)
        thread.join(max(0.0, deadline - time.monotonic()))
        return not thread.is_alive()

    @property
    def status(self) -> SourceStatus:
        # last_frame_mono changes with every frame: read fresh, never published alone.
        with self._status_lock:
            return replace(self._status, last_frame_mono=self._last_frame_mono)

    # -- for the backends -----------------------------------------------------

    @property
    def stopping(self) -> bool:
        return self._stop_event.is_set()

    def _set_status(self, state: StreamState | None = None, **changes: Any) -> SourceStatus:
        with self._status_lock:
            old = self._status
            new = replace(old, state=state or old.state, **changes)
            if new == old:
                return old
            if new.state != old.state:
                new = replace(new, since_mono=time.monotonic())
            new = replace(new, last_frame_mono=self._last_frame_mono)
            self._status = new
            # Inside the lock: two threads (decoder and watchdog) may publish, and
            # the listener must see the changes in the order they were made.
            self._listener.status_changed(self, new)
            return new

    def _deliver(self, image: np.ndarray, fmt: PixelFormat, now: float) -> bool:
        """Hand one decoded picture over; False (and nothing published) when the
        picture has been identical for ``freeze_after_s``."""
        self._freeze.update(image, now)
        if self._freeze.frozen_for(now) >= self.health.freeze_after_s:
            return False
        self._seq += 1
        self._publish(Frame(image=image, fmt=fmt, seq=self._seq, mono=now))
        previous = self._playing(image)
        if previous.state is StreamState.LOST:
            log.info("caméra %s : flux rétabli", self.redacted_url)
        self._last_frame_mono = now
        return True

    def _playing(self, image: np.ndarray) -> SourceStatus:
        """PLAYING with the picture's size, when not already; the status before."""
        previous = self._status
        if previous.state is not StreamState.PLAYING:
            self._set_status(
                StreamState.PLAYING,
                error=None,
                detail="",
                attempt=0,
                next_retry_s=None,
                width=int(image.shape[1]),
                height=int(image.shape[0]),
            )
        return previous

    def _frozen_diagnosis(self, now: float) -> Diagnosis:
        return Diagnosis(
            StreamError.FROZEN, f"image identique depuis {self._freeze.frozen_for(now):.1f} s"
        )

    @abstractmethod
    def _session(self) -> Diagnosis | None:
        """Connect, deliver frames until the stream is lost or stop() is called;
        say why it ended (ignored after stop()), or None to reconnect at once
        without counting a failure."""

    # -- the thread -----------------------------------------------------------

    def _thread_main(self) -> None:
        try:
            self._retry_loop()
        finally:
            self._set_status(StreamState.STOPPED, next_retry_s=None)

    def _retry_loop(self) -> None:
        while not self._stop_event.is_set():
            if self._status.state is StreamState.LOST:
                self._set_status(next_retry_s=None)  # retrying now
            diag = self._session()
            if self._stop_event.is_set():
                return
            if diag is None:
                continue
            previous = self._status
            attempt = previous.attempt + 1
            delay = backoff_delay(attempt, self.health)
            self._set_status(
                StreamState.LOST,
                error=diag.error,
                detail=diag.detail,
                attempt=attempt,
                next_retry_s=delay,
            )
            self._log_loss(previous, diag, attempt, delay)
            if self._stop_event.wait(delay):
                return

    def _log_loss(
        self, previous: SourceStatus, diag: Diagnosis, attempt: int, delay: float
    ) -> None:
        # One WARNING when a camera goes down, not one every five seconds forever.
        if previous.state is not StreamState.LOST:
            level = logging.WARNING
        elif previous.error is not diag.error:
            level = logging.INFO
        else:
            level = logging.DEBUG
        log.log(
            level,
            "caméra %s : %s (%s), nouvel essai n° %d dans %.1f s",
            self.redacted_url,
            diag.error.value,
            diag.detail,
            attempt,
            delay,
        )
