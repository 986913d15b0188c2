"""Replaying one camera's recordings as a :class:`CameraSource` (Qt-free).

CONTRACT (foundation of issue 18; the bodies are filled in by the replay engine):

* A :class:`ReplayFeed` says where a camera's recordings are: the project's
  recorder (:class:`~csu_console.recorder.index.RecordingIndex` + segment files,
  ``LocalFeed``) or an NVR's RTSP replay (``camera.replay_url``, ``NvrFeed``).
  :class:`ReplayFeeds` picks one per camera.
* A :class:`ReplaySource` decodes with PyAV on its own thread and follows a
  :class:`~csu_console.media.replay.clock.ReplayClock`: it publishes the latest
  frame recorded at or before the clock's position, with ``Frame.at`` set (the
  Unix time the frame was filmed). When the clock's ``epoch`` changes it seeks
  again. The GUI thread never waits on it: :meth:`ReplaySource.start`,
  :meth:`~ReplaySource.stop` and every control return at once.
* Its :class:`SourceStatus`: ``CONNECTING`` while opening or seeking,
  ``PLAYING`` with frames, ``GAP`` at an instant with no recording (``detail`` is
  the :class:`~csu_console.core.recording.GapReason`'s French words: never a
  frozen picture), ``LOST`` when the backend fails (an NVR unreachable; retried).
* A corrupt segment is skipped (logged, shown as a gap « segment illisible »).
* ``ReplaySource.url`` is ``replay:<camera id>``: never mistaken for a live URL.
* A feed may mark keyframes (``RecordedFrame.key``) and convert pictures only when
  shown (:class:`LazyRecordedFrame`): the source then keeps up at 8× by skipping
  to the next keyframe when decoding falls behind.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from csu_console.config import Camera
from csu_console.core.recording import Coverage, Gap, GapReason
from csu_console.media.replay.clock import ReplayClock
from csu_console.media.video.classify import Diagnosis
from csu_console.media.video.health import backoff_delay
from csu_console.media.video.source import (
    Frame,
    HealthSettings,
    PixelFormat,
    SourceListener,
    StreamError,
    StreamState,
)
from csu_console.media.video.threaded import ThreadedSource

if TYPE_CHECKING:
    from csu_console.recorder.index import RecordingIndex

log = logging.getLogger("csu.replay")

REPLAY_SCHEME = "replay:"

#: How often the source looks at its clock when it has nothing else to do (a
#: pause, a wait for the next frame): a seek or stop() is seen this fast.
SLICE_S = 0.02
#: The picture never lags the clock by more than this: when behind, frames are
#: decoded and dropped, and if that is not enough the source skips ahead.
LAG_MAX_S = 0.5
#: A forward jump this short (a frame step) decodes on instead of seeking again.
NEAR_S = 1.0
#: With nothing recorded after the last picture, look for new segments this often
#: (the recorder indexes a segment when it closes it).
POLL_S = 1.0
#: While catching up, publish at least this often (the picture moves on).
DRAIN_S = 0.02
#: What a GOP may be (seconds between keyframes), to learn it from the stream.
MIN_GOP_S, MAX_GOP_S = 0.2, 30.0
_EPS = 0.001  # datetime rounding (µs) between the clock and a frame's time


class ReplayError(Exception):
    """Recordings that cannot be reached (NVR down, folder missing); French message."""


@dataclass(frozen=True, slots=True)
class RecordedFrame:
    """One decoded picture of a recording: BGR24 (H×W×3, C-contiguous) and the Unix
    time it was filmed."""

    at: float
    image: np.ndarray
    key: bool = False  # a keyframe (added by the engine: it learns the GOP to skip ahead)


class LazyRecordedFrame(RecordedFrame):
    """A :class:`RecordedFrame` turned into BGR24 only when its ``image`` is first
    read: a replay decodes many pictures it never shows (from the keyframe to the
    instant asked for, the frames dropped at 8×), and the conversion costs more
    than the decoding. ``convert`` runs at most once, on the reader's thread."""

    __slots__ = ("_convert", "_image")
    _convert: Callable[[], np.ndarray] | None
    _image: np.ndarray | None

    def __init__(self, at: float, convert: Callable[[], np.ndarray], key: bool = False) -> None:
        object.__setattr__(self, "at", at)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "_convert", convert)
        object.__setattr__(self, "_image", None)

    @property
    def image(self) -> np.ndarray:
        image = self._image
        if image is None:
            assert self._convert is not None
            image = self._convert()
            object.__setattr__(self, "_image", image)
            object.__setattr__(self, "_convert", None)
        return image


class RecordedFrames(Protocol):
    """Pictures from an instant on, in recorded order, decoded on the caller's
    thread. A :class:`~csu_console.core.recording.Gap` comes in between when the
    recording stops (its end says where pictures resume; a local feed knows it
    from the index, an NVR says so by sending nothing)."""

    def __iter__(self) -> Iterator[RecordedFrame | Gap]: ...

    def close(self) -> None: ...


class ReplayFeed(Protocol):
    """Where one camera's recordings come from. Every method may block (disk,
    network): call it on a worker or the source's own thread, never the GUI's."""

    camera_id: str

    def coverage(self, start: datetime, end: datetime) -> Coverage:
        """What is recorded over ``[start, end)`` (the timeline under the tile)."""
        ...

    def open(self, at: datetime) -> RecordedFrames:
        """Pictures from the last keyframe at or before ``at`` on (the caller drops
        those before ``at``). Raises ``ReplayError`` (French message) when the
        recordings cannot be reached at all."""
        ...


class ReplayFeeds:
    """The feed of each camera: its NVR's when it has a ``replay_url``, else the
    project's recorder folder (``None``: no local recordings configured).

    One :class:`~csu_console.recorder.index.RecordingIndex` (opened read-only at
    the first use) is shared by the local feeds; a feed is kept per camera, so
    what it learnt (an unreadable segment) is not learnt again."""

    def __init__(self, recordings_dir: object | None) -> None:
        self.recordings_dir = None if recordings_dir is None else Path(str(recordings_dir))
        self._lock = threading.Lock()
        self._index: RecordingIndex | None = None
        self._feeds: dict[tuple[str, str | None], ReplayFeed] = {}

    def feed(self, camera: Camera) -> ReplayFeed:
        """``camera``'s feed; :class:`ReplayError` (French) when it has none."""
        key = (camera.id, camera.replay_url or None)
        with self._lock:
            feed = self._feeds.get(key)
            if feed is None:
                if camera.replay_url:
                    feed = self._nvr(camera.id, camera.replay_url)
                else:
                    feed = self._local(camera)
                self._feeds[key] = feed
            return feed

    def _nvr(self, camera_id: str, template: str) -> ReplayFeed:
        from csu_console.media.replay.nvr import NvrFeed

        try:
            return NvrFeed(camera_id, template)
        except ValueError as exc:  # checked at load: only a template changed by hand
            raise ReplayError(f"Relecture de {camera_id} : {exc}") from exc

    def _local(self, camera: Camera) -> ReplayFeed:
        from csu_console.media.replay.local import LocalFeed

        if self._index is None:
            self._index = self._open_index()
        return LocalFeed(camera.id, self._index)

    def _open_index(self) -> RecordingIndex:
        from csu_console.recorder.index import RecordingIndex

        folder = self.recordings_dir
        if folder is None:
            raise ReplayError(
                "aucun enregistrement : pas de dossier d'enregistrement configuré ([recorder] dir)"
            )
        if not folder.is_dir():
            raise ReplayError(f"aucun enregistrement : dossier {folder} introuvable")
        try:
            return RecordingIndex(folder, create=False)
        except FileNotFoundError as exc:
            raise ReplayError(
                f"aucun enregistrement : pas d'index dans le dossier {folder}"
            ) from exc
        except sqlite3.Error as exc:
            log.warning("index d'enregistrement illisible dans %s : %s", folder, exc)
            raise ReplayError(
                f"aucun enregistrement : index illisible dans le dossier {folder}"
            ) from exc

    def coverage(self, camera: Camera, start: datetime, end: datetime) -> Coverage:
        return self.feed(camera).coverage(start, end)

    def close(self) -> None:
        with self._lock:
            index, self._index = self._index, None
            self._feeds.clear()
        if index is not None:
            index.close()


class ReplaySource(ThreadedSource):
    """One camera's recordings following ``clock``; see the module's contract.

    The thread keeps one :class:`RecordedFrames` open and the next item it gave
    (``_pending``): a frame is published when the clock reaches its time (the
    latest due one when several are: the others are decoded and dropped), a gap
    is shown while the clock is inside it. A jump of the clock opens the feed
    again at the new position."""

    backend = "replay"

    def __init__(
        self,
        camera_id: str,
        feed: ReplayFeed,
        clock: ReplayClock,
        listener: SourceListener,
        health: HealthSettings | None = None,
    ) -> None:
        super().__init__(REPLAY_SCHEME + camera_id, listener, health or HealthSettings())
        self.camera_id = camera_id
        self.feed = feed
        self.clock = clock
        # The thread's own state (never touched from another thread).
        self._frames: RecordedFrames | None = None
        self._items: Iterator[RecordedFrame | Gap] | None = None
        self._pending: RecordedFrame | Gap | None = None
        self._exhausted = False
        self._opened_mono = 0.0
        self._epoch = -1
        self._shown_at: float | None = None  # the published picture's time
        self._fresh = False  # opened by a jump: the first due frame is shown whatever its lag
        self._lead_s = 0.0  # how far ahead the last blind skip went (grows while it does not help)
        # Skipping ahead when decoding does not keep up: the keyframes seen (the
        # GOP), and the next keyframe already opened and decoded, waiting to be due
        # while the current pictures go on.
        self._last_key: float | None = None
        self._gop_s: float | None = None
        self._open_s = 0.0  # how long the last open took
        self._show_next = False  # after a skip: the first due picture at once, no draining
        self._ahead: tuple[RecordedFrames, Iterator[RecordedFrame | Gap], RecordedFrame] | None = (
            None
        )
        self._last_gap = GapReason.NONE

    # -- CameraSource (start/stop/join/status come from ThreadedSource) ---------------

    def _session(self) -> Diagnosis | None:  # pragma: no cover - _retry_loop is replaced
        raise NotImplementedError

    # -- the thread -------------------------------------------------------------------

    def _retry_loop(self) -> None:
        while not self._stop_event.is_set():
            try:
                self._follow()
                return
            except ReplayError as exc:
                detail = str(exc)
            except Exception as exc:  # a bug or a decoder's surprise: retried, not fatal
                log.exception("relecture de %s : erreur inattendue", self.camera_id)
                detail = f"erreur de relecture : {exc}"
            finally:
                self._close_frames()
            if self._stop_event.is_set():
                return
            previous = self.status
            attempt = previous.attempt + 1  # back to 0 with a picture or a gap
            delay = backoff_delay(attempt, self.health)
            self._set_status(
                StreamState.LOST,
                error=StreamError.OTHER,
                detail=detail,
                attempt=attempt,
                next_retry_s=delay,
            )
            level = logging.WARNING if previous.state is not StreamState.LOST else logging.DEBUG
            log.log(
                level,
                "relecture de %s : %s, nouvel essai dans %.1f s",
                self.camera_id,
                detail,
                delay,
            )
            self._clear_picture()
            epoch = self.clock.epoch
            deadline = time.monotonic() + delay
            while not self._stop_event.is_set() and self.clock.epoch == epoch:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._stop_event.wait(min(left, SLICE_S))

    def _follow(self) -> None:
        """Follow the clock until stop() (returns) or the feed fails (raises)."""
        self._epoch = -1
        self._close_frames()
        while not self._stop_event.is_set():
            state = self.clock.state()
            pos = state.position.timestamp()
            if state.epoch != self._epoch or self._frames is None:
                jumped = self._frames is not None
                self._epoch = state.epoch
                if not (jumped and self._near_ahead(pos)):
                    self._open(state.position, connecting=True)
                continue
            item = self._peek()
            if item is None:
                self._at_end(pos, state.playing)
                continue
            if isinstance(item, Gap):
                self._in_gap(item, pos, state.playing, state.speed)
                continue
            if self._ahead is not None and self._ahead[2].at <= pos + _EPS:
                self._take_ahead()
                continue
            if item.at > pos + _EPS:
                self._wait_due(item.at - pos, state.playing, state.speed)
                continue
            self._catch_up()

    def _near_ahead(self, pos: float) -> bool:
        """A short jump forward from the picture shown: decoding on reaches it."""
        shown = self._shown_at
        return shown is not None and shown - _EPS <= pos <= shown + NEAR_S

    def _open(self, at: datetime, *, connecting: bool) -> None:
        self._close_frames()
        if connecting:
            self._set_status(StreamState.CONNECTING, error=None, detail="", next_retry_s=None)
            self._fresh = True
            self._lead_s = 0.0
            self._last_key = self._gop_s = None
            self._show_next = False
        began = time.monotonic()
        frames = self.feed.open(at)
        self._adopt(frames, iter(frames), None)
        self._open_s = time.monotonic() - began

    def _adopt(
        self,
        frames: RecordedFrames,
        items: Iterator[RecordedFrame | Gap],
        pending: RecordedFrame | Gap | None,
    ) -> None:
        self._frames, self._items = frames, items
        self._pending, self._exhausted = pending, False
        self._last_gap = GapReason.NONE
        self._opened_mono = time.monotonic()

    def _close_frames(self) -> None:
        frames, self._frames, self._items = self._frames, None, None
        self._pending = None
        ahead, self._ahead = self._ahead, None
        for closing in (frames, ahead[0] if ahead is not None else None):
            if closing is not None:
                try:
                    closing.close()
                except Exception:  # closing must not hide why the session ended
                    log.exception("relecture de %s : fermeture", self.camera_id)

    def _peek(self) -> RecordedFrame | Gap | None:
        if self._pending is None and not self._exhausted and self._items is not None:
            try:
                item = self._pending = next(self._items)
            except StopIteration:
                self._exhausted = True
                return None
            if isinstance(item, RecordedFrame) and item.key:
                self._note_key(item.at)
        return self._pending

    def _note_key(self, at: float) -> None:
        """A keyframe at ``at``: the GOP is the shortest distance seen between two."""
        last, self._last_key = self._last_key, at
        if last is not None and MIN_GOP_S <= abs(at - last) <= MAX_GOP_S:
            distance = abs(at - last)
            self._gop_s = distance if self._gop_s is None else min(self._gop_s, distance)

    def _skip_ahead(self, now: float, shown: float) -> bool:
        """Decoding does not keep up (a high speed, a heavy stream): open the feed
        again at the keyframe that will be due once decoded, and keep it aside
        while the current pictures go on (``_take_ahead`` switches when it is
        due). False when no keyframe ahead of ``shown`` was found (then frames are
        only dropped)."""
        speed = self.clock.speed
        margin = speed * (self._open_s + 0.03)
        # First the keyframe at or before where the clock will be once it is
        # decoded; if that is not past the picture shown, the GOP is long: the
        # next one, from the GOP learnt, else further each time.
        targets = [now + margin]
        if self._gop_s is not None and self._last_key is not None:
            steps = max(1, int((now + margin - self._last_key) // self._gop_s) + 1)
            targets.insert(0, self._last_key + steps * self._gop_s + 0.01)
        else:
            self._lead_s = min(max(self._lead_s * 2, 0.1 * speed, 0.5), 8.0)
            targets.append(now + margin + self._lead_s)
        for target in targets:
            began = time.monotonic()
            frames = self.feed.open(datetime.fromtimestamp(target, UTC))
            self._open_s = time.monotonic() - began
            items = iter(frames)
            first = next(items, None)
            if isinstance(first, RecordedFrame) and first.at <= shown + _EPS:
                frames.close()  # not past what is shown: no help
                continue
            now = self.clock.position().timestamp()
            if isinstance(first, RecordedFrame) and first.at > now + _EPS:
                self._ahead = (frames, items, first)
                log.debug(
                    "relecture de %s : image clé %.2f s en avant", self.camera_id, first.at - now
                )
                return True
            # A gap, the end, or a keyframe already due: go there now.
            self._close_frames_only()
            self._adopt(frames, items, first)
            if first is None:
                self._exhausted = True
            elif isinstance(first, RecordedFrame):
                self._note_key(first.at)
            self._show_next = True
            return True
        return False

    def _close_frames_only(self) -> None:
        frames, self._frames, self._items = self._frames, None, None
        self._pending = None
        if frames is not None:
            frames.close()

    def _take_ahead(self) -> None:
        """The keyframe skipped to is due: go on from there."""
        ahead, self._ahead = self._ahead, None
        assert ahead is not None
        self._close_frames_only()
        frames, items, first = ahead
        self._adopt(frames, items, None)
        self._pending = first
        self._note_key(first.at)
        self._show_next = True

    def _take(self) -> None:
        self._pending = None

    def _at_end(self, pos: float, playing: bool) -> None:
        """Nothing more recorded (yet) after the last picture."""
        shown = self._shown_at
        if shown is None or pos > shown + LAG_MAX_S:
            self._enter_gap(self._last_gap)
        if playing and time.monotonic() - self._opened_mono >= POLL_S:
            self._open(datetime.fromtimestamp(pos, UTC), connecting=False)
            return
        self._stop_event.wait(SLICE_S)

    def _in_gap(self, gap: Gap, pos: float, playing: bool, speed: float) -> None:
        start, end = gap.start.timestamp(), gap.end.timestamp()
        self._last_gap = gap.reason
        if pos >= end - _EPS:
            self._take()  # the clock is past it
            return
        if pos >= start - _EPS or self._shown_at is None:
            self._enter_gap(gap.reason)
            self._wait_due(end - pos, playing, speed)
        else:
            self._wait_due(start - pos, playing, speed)  # the last picture holds till then

    def _wait_due(self, recorded_s: float, playing: bool, speed: float) -> None:
        wall = recorded_s / speed if playing else SLICE_S
        self._stop_event.wait(max(0.0, min(wall, SLICE_S)))

    def _catch_up(self) -> None:
        """Frames are due: take every due one, publish the latest."""
        due: RecordedFrame | None = None
        began = time.monotonic()
        pos = self.clock.position().timestamp()
        while not self._stop_event.is_set():
            item = self._peek()
            if not isinstance(item, RecordedFrame) or item.at > pos + _EPS:
                break
            due = item
            self._take()
            if self._show_next or time.monotonic() - began > DRAIN_S:
                break
            if self._ahead is not None and self._ahead[2].at <= pos + _EPS:
                break  # the keyframe skipped to is due: show this one, then go there
            state = self.clock.state()
            if state.epoch != self._epoch:
                return  # the clock jumped: this frame is not wanted any more
            pos = state.position.timestamp()
        if due is None:
            return
        self._show_next = False
        now = self.clock.position().timestamp()
        lag = now - due.at
        fresh, self._fresh = self._fresh, False
        behind = lag > LAG_MAX_S and not fresh and self._ahead is None and self.clock.playing
        if behind and self._skip_ahead(now, due.at) and self._ahead is None:
            return  # skipped at once: the picture comes from the new place
        self._show(due)  # late or not, the picture moves on
        if lag <= LAG_MAX_S / 2:
            self._lead_s = 0.0
        elif not fresh and self._ahead is None and self.clock.playing:
            # Falling behind: get the next keyframe ready before the lag shows.
            self._skip_ahead(now, due.at)

    def _show(self, recorded: RecordedFrame) -> None:
        now = time.monotonic()
        self._seq += 1
        self._last_frame_mono = now
        self._shown_at = recorded.at
        image = recorded.image
        self._publish(
            Frame(image=image, fmt=PixelFormat.BGR24, seq=self._seq, mono=now, at=recorded.at)
        )
        self._playing(image)

    def _enter_gap(self, reason: GapReason) -> None:
        """Inside a gap: no picture (never a frozen one), the reason in the status."""
        status = self.status
        if status.state is StreamState.GAP and status.detail == reason.value:
            return
        self._clear_picture()
        self._set_status(
            StreamState.GAP, error=None, detail=reason.value, attempt=0, next_retry_s=None
        )

    def _clear_picture(self) -> None:
        self._shown_at = None
        with self._slot_lock:
            self._latest = None


def open_replay(
    camera: Camera, clock: ReplayClock, listener: SourceListener, feeds: ReplayFeeds
) -> ReplaySource:
    """A started :class:`ReplaySource` of ``camera`` on ``clock``."""
    source = ReplaySource(camera.id, feeds.feed(camera), clock, listener)
    source.start()
    return source
