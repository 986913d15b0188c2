"""The one interface every decoding backend implements (Qt-free).

A :class:`CameraSource` decodes one stream on its own thread and keeps only the
**latest** frame in a slot: when the GUI is behind, older frames are dropped,
never queued. It tells a :class:`SourceListener` (from its decoding thread) that a
new frame is in the slot and when its :class:`SourceStatus` changes; the GUI side
(one bridge, see ``ui/wall``) turns those calls into Qt signals and pulls the
frame with :meth:`CameraSource.latest` when it paints.

Health rules are the same for every backend: a stream that errors, sends no new
frame for ``freeze_after_s`` or only identical frames is LOST and retried with
backoff (``backoff_initial_s`` doubling to ``backoff_max_s``) forever.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import numpy as np


class StreamState(StrEnum):
    """Where a source is; the tiles show it."""

    STOPPED = "stopped"
    CONNECTING = "connecting"
    PLAYING = "playing"
    LOST = "lost"  # was playing or trying; retrying with backoff
    GAP = "gap"  # a replay at a time with no recording (``SourceStatus.detail`` says why)


class StreamError(StrEnum):
    """Error classes an operator or installer can act on (values are the French words)."""

    REFUSED = "refusé"
    UNAUTHORIZED = "non autorisé"
    TIMEOUT = "délai dépassé"
    UNKNOWN_HOST = "hôte inconnu"
    NO_VIDEO = "pas de vidéo"
    FROZEN = "image figée"
    UNSUPPORTED = "non pris en charge"
    OTHER = "erreur"


class PixelFormat(StrEnum):
    BGR24 = "bgr24"  # OpenCV: H x W x 3
    BGRA32 = "bgra32"  # libVLC RV32: H x W x 4 (byte order B, G, R, A)


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded picture. ``image`` is C-contiguous and never written to again
    by the source once handed over, so the GUI may wrap it without copying."""

    image: np.ndarray
    fmt: PixelFormat
    seq: int  # 1, 2, 3... per source, across reconnections
    mono: float  # time.monotonic() when decoded
    at: float | None = None  # a recorded frame: when it was filmed (Unix time); live: None

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A snapshot of a source's health; a new one is published on every change."""

    state: StreamState
    since_mono: float
    error: StreamError | None = None
    detail: str = ""  # precise, for the log; credentials already removed
    attempt: int = 0  # reconnection attempts since the last good frame
    next_retry_s: float | None = None
    last_frame_mono: float | None = None
    width: int | None = None
    height: int | None = None
    codec: str | None = None


class SourceListener(Protocol):
    """Called from the source's own thread; implementations must not block."""

    def frame_ready(self, source: CameraSource) -> None: ...

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None: ...


@dataclass(frozen=True, slots=True)
class HealthSettings:
    open_timeout_s: float = 2.0
    read_timeout_s: float = 2.0
    freeze_after_s: float = 3.0  # no new frame, or only identical ones, for this long
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 5.0


class CameraSource(ABC):
    """One stream, decoded on its own thread. ``start``/``stop`` never block the
    caller for longer than it takes to signal the thread."""

    backend: str = ""

    def __init__(self, url: str, listener: SourceListener, health: HealthSettings) -> None:
        self.url = url
        self._listener = listener
        self.health = health
        self._slot_lock = threading.Lock()
        self._latest: Frame | None = None

    def latest(self) -> Frame | None:
        """The newest decoded frame (or None); cheap, callable from any thread."""
        with self._slot_lock:
            return self._latest

    def _publish(self, frame: Frame) -> None:
        with self._slot_lock:
            self._latest = frame
        self._listener.frame_ready(self)

    @abstractmethod
    def start(self) -> None: ...

    @abstractmethod
    def stop(self) -> None:
        """Ask the thread to finish; returns at once (the thread exits by itself)."""

    def join(self, timeout_s: float) -> bool:
        """After :meth:`stop`, wait (at most ``timeout_s``) for the thread to end;
        True when it has. For shutdown: a decoder thread still running when the
        interpreter exits can abort the process. Never called on the GUI thread."""
        return True

    @property
    @abstractmethod
    def status(self) -> SourceStatus: ...
