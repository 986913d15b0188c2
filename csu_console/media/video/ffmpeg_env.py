"""The environment variables through which OpenCV's FFmpeg backend is configured.

OpenCV reads ``OPENCV_FFMPEG_CAPTURE_OPTIONS`` *during* each open, so the value
must not change while an open that needs another value is in flight. It also
serialises every open process-wide behind its own mutex, unless
``OPENCV_FFMPEG_IS_THREAD_SAFE=1`` (FFmpeg itself has been thread-safe for years):
with the mutex, 9 cameras come up one after the other, and a silent camera holds
all the others for its whole open timeout. :class:`OptionsGate` lets opens with
the same options run together and makes an open with other options wait for them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import cv2

OPTIONS_VAR = "OPENCV_FFMPEG_CAPTURE_OPTIONS"
_NOBODY = object()
_setup_lock = threading.Lock()
_configured = False


def configure_once() -> None:
    """Before the first open: parallel opens, and quiet decoders (our own
    classification says why a stream fails; FFmpeg's and OpenCV's stderr lines would
    repeat it at every retry, forever). The environment wins:
    ``OPENCV_FFMPEG_IS_THREAD_SAFE=0`` restores OpenCV's lock, and
    ``OPENCV_FFMPEG_LOGLEVEL=32`` or ``OPENCV_LOG_LEVEL=INFO`` bring the messages back."""
    global _configured  # noqa: PLW0603 - once per process
    with _setup_lock:
        if _configured:
            return
        _configured = True
        os.environ.setdefault("OPENCV_FFMPEG_IS_THREAD_SAFE", "1")
        os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "8")  # AV_LOG_FATAL
        if "OPENCV_LOG_LEVEL" not in os.environ:
            # also hides the WARNING OpenCV logs at every open in thread-safe mode
            cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


class OptionsGate:
    """Shared holding of one value of ``OPENCV_FFMPEG_CAPTURE_OPTIONS``.

    Any number of opens may hold the current value at once; an open wanting
    another value waits until none is in flight, and meanwhile newcomers with the
    current value wait behind it (no starvation). ``None`` means "unset" (FFmpeg's
    defaults). The environment is restored when the last holder leaves.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._value: str | None = None
        self._inflight = 0
        self._next: object = _NOBODY  # the value (str or None) someone waits to switch to
        self._saved: str | None = None

    @contextmanager
    def holding(self, value: str | None) -> Iterator[None]:
        with self._cond:
            while not self._may_enter(value):
                if self._next is _NOBODY and self._value != value:
                    self._next = value  # first in line for another value
                self._cond.wait()
            if self._next == value:
                self._next = _NOBODY
                self._cond.notify_all()  # others waiting for this value may come along
            if self._inflight == 0:
                self._saved = os.environ.get(OPTIONS_VAR)
                self._set(value)
            self._inflight += 1
        try:
            yield
        finally:
            with self._cond:
                self._inflight -= 1
                if self._inflight == 0:
                    self._set(self._saved)
                    self._cond.notify_all()

    def _may_enter(self, value: str | None) -> bool:
        if self._inflight == 0:
            return self._next is _NOBODY or self._next == value
        return self._value == value and self._next is _NOBODY

    def _set(self, value: str | None) -> None:
        self._value = value
        if value is None:
            os.environ.pop(OPTIONS_VAR, None)
        else:
            os.environ[OPTIONS_VAR] = value
