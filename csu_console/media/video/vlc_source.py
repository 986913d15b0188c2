"""UDP/RTP (multicast), HTTP and files through libVLC, decoded into numpy buffers.

libVLC decodes on its own threads and calls our ``lock``/``display`` callbacks
from its video output thread: that is this source's decoding thread, the one
that publishes frames. The source's own thread is a watchdog that starts the
player, restarts it with backoff, and releases it at stop().

**Health.** libVLC shows its last picture again and again while it buffers or
when the stream stops, so a picture identical to the previous one is not a new
frame (not published). LOST when, for ``freeze_after_s``: nothing was received
(network streams; libVLC's own counters), no new picture came (*image figée* if
the decoder still decodes identical pictures), or the player failed.

**Buffers.** Every ``lock`` gets a freshly allocated buffer (about 0.9 MB at
640x360, a few microseconds of malloc at 25 fps), so a frame handed to the GUI is
never written again, however long the GUI keeps it; no pool to size, no reasoning
about how many frames the GUI may still hold.

**Size.** libVLC 3's setup callback reports the decoder's *allocation* size
(640x386 for a 640x360 H.264 stream) and scales the picture into it: stretched.
The visible size is only known once the first picture is out
(``video_get_size``). So the first connection to a URL is checked: if the sizes
differ, the player restarts at once with the visible size, remembered per URL
(a second or less, once). ``size=(w, h)`` skips the check and scales to that.
"""

from __future__ import annotations

import ctypes
import itertools
import threading
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import vlc

from csu_console.media.video import vlc_runtime
from csu_console.media.video.classify import Diagnosis, check_reachable, diagnose
from csu_console.media.video.source import (
    HealthSettings,
    PixelFormat,
    SourceListener,
    StreamError,
)
from csu_console.media.video.threaded import ThreadedSource

WATCH_PERIOD_S = 0.2
SIZE_CHECK_FRAMES = 25  # give up checking the visible size after this many frames
_ALIGN = 64
_known_sizes: dict[str, tuple[int, int]] = {}
_sizes_lock = threading.Lock()


def _is_live(url: str) -> bool:
    """A network stream (its input comes at the stream's pace), not a file read ahead."""
    scheme = urlsplit(url).scheme.lower()
    return len(scheme) > 1 and scheme != "file"  # "C:\\..." is a file


def _same_picture(a: np.ndarray, b: np.ndarray) -> bool:
    """Pixel-identical? A sparse sample settles most cases in microseconds; only a
    still picture (or a clock-only change) pays the full comparison (~0.3 ms)."""
    if a.shape != b.shape or not np.array_equal(a[::8, ::8], b[::8, ::8]):
        return False
    return bool(np.array_equal(a, b))


def _aligned_buffer(rows: int, width: int) -> np.ndarray:
    """A (rows, width, 4) uint8 array whose data starts on a 64-byte boundary
    (libVLC asks for 32)."""
    nbytes = rows * width * 4
    raw = np.empty(nbytes + _ALIGN, dtype=np.uint8)
    offset = (-raw.ctypes.data) % _ALIGN
    return raw[offset : offset + nbytes].reshape(rows, width, 4)


class _Session:
    """One player's callbacks; they must stay referenced while libVLC may call them
    (ctypes frees a callback's trampoline with the Python object: a segfault)."""

    def __init__(
        self, source: VlcSource, player: Any, media: Any, size: tuple[int, int] | None
    ) -> None:
        self.source = source
        self.player = player
        self.media = media
        self.size = size  # buffer size (w, h); set by setup() when None
        self.verify_size = size is None  # a forced size is scaled to: nothing to check
        self.wrong_size: tuple[int, int] | None = None
        self.alive = True
        self.frames = 0
        self.first_frame_mono: float | None = None
        self.last_frame_mono: float | None = None  # of the last *new* picture
        self.frozen = False
        self._previous: np.ndarray | None = None
        self._ids = itertools.count(1)
        self._pending: OrderedDict[int, np.ndarray] = OrderedDict()
        self.setup = vlc_runtime.FormatCb(self._setup)
        self.cleanup = vlc_runtime.CleanupCb(self._cleanup)
        self.lock = vlc_runtime.LockCb(self._lock)
        self.display = vlc_runtime.DisplayCb(self._display)

    def _setup(
        self, _opaque: Any, chroma: int, width: Any, height: Any, pitches: Any, lines: Any
    ) -> int:
        known = _known_sizes.get(self.source.url)
        w, h = known or (int(width[0]), int(height[0]))
        ctypes.memmove(chroma, b"RV32", 4)
        width[0], height[0] = w, h
        pitches[0], lines[0] = w * 4, h
        self.size = (w, h)
        return 1

    def _cleanup(self, _opaque: Any) -> None:
        pass

    def _lock(self, _opaque: Any, planes: Any) -> int:
        assert self.size is not None
        w, h = self.size
        buf = _aligned_buffer(h + (-h) % 32, w)  # spare rows: libVLC may round lines up
        key = next(self._ids)
        self._pending[key] = buf
        while len(self._pending) > 8:  # pictures locked but never displayed (late)
            self._pending.popitem(last=False)
        planes[0] = buf.ctypes.data
        return key

    def _display(self, _opaque: Any, picture: Any) -> None:
        buf = self._pending.pop(int(picture or 0), None)
        if buf is None or not self.alive or self.size is None:
            return
        w, h = self.size
        now = time.monotonic()
        if self.verify_size and not self._size_ok(w, h):
            return
        image = buf[:h]
        if self._previous is not None and _same_picture(image, self._previous):
            return  # libVLC showing its last picture again: not a new frame
        self._previous = image
        if self.first_frame_mono is None:
            self.first_frame_mono = now
            # Known by now; the track list is the input item's, safe from this thread.
            self.source._set_status(codec=vlc_runtime.video_codec(self.media))
        self.frames += 1
        self.last_frame_mono = now
        if not self.source._deliver(image, PixelFormat.BGRA32, now):
            self.frozen = True

    def _size_ok(self, w: int, h: int) -> bool:
        """Compare the buffer with the visible size; False while a frame must not be
        shown (stretched, or not known yet)."""
        try:
            visible = tuple(int(v) for v in self.player.video_get_size(0))
        except vlc.VLCException:
            visible = (0, 0)
        if visible == (w, h) or (visible == (0, 0) and self.frames >= SIZE_CHECK_FRAMES):
            self.verify_size = False
            with _sizes_lock:
                _known_sizes[self.source.url] = (w, h)
            return True
        if visible != (0, 0):
            self.wrong_size = (visible[0], visible[1])
            with _sizes_lock:
                _known_sizes[self.source.url] = self.wrong_size
        self.frames += 1
        return False


class VlcSource(ThreadedSource):
    """One stream played by libVLC, frames as BGRA32 (``RV32``: B, G, R, then a
    padding byte, not alpha: wrap as ``QImage.Format_RGB32``).

    ``size`` forces the output size (libVLC scales); ``network_caching_ms`` is
    libVLC's jitter buffer for network streams (its default, 1000 ms, is latency
    an operator sees).
    """

    backend = "vlc"

    def __init__(
        self,
        url: str,
        listener: SourceListener,
        health: HealthSettings | None = None,
        *,
        size: tuple[int, int] | None = None,
        network_caching_ms: int = 300,
    ) -> None:
        super().__init__(url, listener, health or HealthSettings())
        self.size = size
        self.network_caching_ms = network_caching_ms

    def _session(self) -> Diagnosis | None:
        refused = check_reachable(self.url, self.health.open_timeout_s)
        if refused is not None:
            return refused
        try:
            inst = vlc_runtime.instance()
        except RuntimeError as exc:
            return Diagnosis(StreamError.UNSUPPORTED, str(exc))
        player = inst.media_player_new()
        media = inst.media_new(self.url)
        media.add_option(f":network-caching={self.network_caching_ms}")
        session = _Session(self, player, media, self.size)
        player.video_set_callbacks(session.lock, None, session.display, None)
        if self.size is not None:
            w, h = self.size
            player.video_set_format("RV32", w, h, w * 4)
        else:
            vlc_runtime.set_format_callbacks(player, session.setup, session.cleanup)
        player.set_media(media)
        try:
            player.play()
            return self._watch(session)
        finally:
            session.alive = False
            player.stop()  # returns once the video output is closed: no more callbacks
            player.release()
            media.release()
            del session  # only now may ctypes free the callbacks

    def _watch(self, session: _Session) -> Diagnosis | None:
        h = self.health
        began = time.monotonic()
        first_deadline = began + max(h.open_timeout_s, h.freeze_after_s)
        stats = vlc.MediaStats()
        read_bytes, decoded, input_mono, decoded_mono = -1, -1, began, began
        live = _is_live(self.url)
        while not self._stop_event.wait(WATCH_PERIOD_S):
            now = time.monotonic()
            # libVLC's counters (refreshed a few times a second): data in, pictures out
            if session.media.get_stats(stats):
                if stats.read_bytes != read_bytes:
                    read_bytes, input_mono = stats.read_bytes, now
                if stats.decoded_video != decoded:
                    decoded, decoded_mono = stats.decoded_video, now
            if session.wrong_size is not None:
                return None  # restart at once with the visible size
            if session.frozen:
                return self._frozen_diagnosis(now)
            state = session.player.get_state()
            if state in (vlc.State.Error, vlc.State.Ended):
                found = diagnose(self.url, h.open_timeout_s)
                what = "erreur de lecture" if state == vlc.State.Error else "fin du flux"
                return found or Diagnosis(StreamError.NO_VIDEO, f"libVLC : {what}")
            last = session.last_frame_mono
            if last is None:
                if now >= first_deadline:
                    waited = now - began
                    return Diagnosis(StreamError.NO_VIDEO, f"aucune image reçue en {waited:.1f} s")
                continue
            silent = now - input_mono
            if live and silent >= h.freeze_after_s:
                # libVLC would still play its buffer for a while (~0.8 s here)
                return Diagnosis(StreamError.TIMEOUT, f"plus rien reçu depuis {silent:.1f} s")
            if now - last >= h.freeze_after_s:
                if now - decoded_mono < h.freeze_after_s:  # decoded, yet never changes
                    return self._frozen_diagnosis(now)
                return Diagnosis(StreamError.TIMEOUT, f"plus d'image depuis {now - last:.1f} s")
        return Diagnosis(StreamError.OTHER, "arrêt demandé")
