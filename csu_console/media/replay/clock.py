"""The replay's clock: which recorded instant is shown now (Qt-free, thread-safe).

One :class:`ReplayClock` drives one tile's replay, or every tile of the wall
(« Relecture du mur »): each replay source shows the latest frame recorded at or
before :meth:`ReplayClock.position`, so tiles sharing a clock stay in step by
construction. The controls (play/pause, 1×/2×/4×/8×, frame step, ±10 s, a click
on the timeline) change the clock; a jump (anything but time flowing) bumps
:attr:`ReplayClock.epoch`, and the sources seek again when they see it change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SPEEDS = (1.0, 2.0, 4.0, 8.0)
FRAME_STEP_S = 0.04  # one frame at 25 fps


@dataclass(frozen=True, slots=True)
class ClockState:
    """A consistent snapshot of the clock."""

    position: datetime
    playing: bool
    speed: float
    epoch: int  # bumped at each jump (seek, step): sources seek again


class ReplayClock:
    """Recorded time as a function of monotonic time: ``anchor + (now − mono0) ×
    speed`` while playing, ``anchor`` when paused."""

    def __init__(
        self,
        start: datetime,
        *,
        speed: float = 1.0,
        playing: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("heure sans fuseau")
        self._mono = monotonic
        self._lock = threading.Lock()
        self._anchor = start.astimezone(UTC)
        self._mono0 = monotonic()
        self._speed = speed
        self._playing = playing
        self._epoch = 0

    def _position(self, now: float) -> datetime:
        if not self._playing:
            return self._anchor
        return self._anchor + timedelta(seconds=(now - self._mono0) * self._speed)

    def _rebase(self) -> None:
        now = self._mono()
        self._anchor, self._mono0 = self._position(now), now

    # -- read ---------------------------------------------------------------------

    def position(self) -> datetime:
        with self._lock:
            return self._position(self._mono())

    def state(self) -> ClockState:
        with self._lock:
            return ClockState(self._position(self._mono()), self._playing, self._speed, self._epoch)

    @property
    def epoch(self) -> int:
        with self._lock:
            return self._epoch

    @property
    def playing(self) -> bool:
        with self._lock:
            return self._playing

    @property
    def speed(self) -> float:
        with self._lock:
            return self._speed

    # -- controls ---------------------------------------------------------------------

    def play(self) -> None:
        with self._lock:
            if not self._playing:
                self._mono0 = self._mono()
                self._playing = True

    def pause(self) -> None:
        with self._lock:
            if self._playing:
                self._rebase()
                self._playing = False

    def toggle(self) -> bool:
        """Play ↔ pause; True when now playing."""
        if self.playing:
            self.pause()
            return False
        self.play()
        return True

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("vitesse positive attendue")
        with self._lock:
            self._rebase()
            self._speed = speed

    def seek(self, at: datetime) -> None:
        """Jump to ``at`` (a click on the timeline, « Relecture »)."""
        if at.tzinfo is None:
            raise ValueError("heure sans fuseau")
        with self._lock:
            self._anchor, self._mono0 = at.astimezone(UTC), self._mono()
            self._epoch += 1

    def skip(self, seconds: float) -> None:
        """±10 s: jump relative to the position shown."""
        with self._lock:
            now = self._mono()
            self._anchor, self._mono0 = self._position(now) + timedelta(seconds=seconds), now
            self._epoch += 1

    def step(self, frames: int = 1, frame_s: float = FRAME_STEP_S) -> None:
        """Pause and move ``frames`` frames (negative: back)."""
        with self._lock:
            if self._playing:
                self._rebase()
                self._playing = False
            self._anchor += timedelta(seconds=frames * frame_s)
            self._epoch += 1
