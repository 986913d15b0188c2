"""Pacing: work that a storm would repeat on every batch, run at most every so often;
background work that gives way to the GUI thread while a storm floods it."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer

#: While the GUI is flooded, background work keeps at most this share of the time.
BACKGROUND_SHARE = 0.25
#: The GUI counts as flooded this long after it last said so.
FLOOD_HOLD_S = 0.3
#: Longest single pause of background work (it always moves on).
MAX_PAUSE_S = 0.05


def start_after(timer: QTimer, every_s: float, last: float) -> None:
    """Start the single-shot ``timer`` for what is left of ``every_s`` since ``last``
    (a ``time.monotonic()``), at once if that has passed: always on a later turn of
    the event loop, after what the current batch paints. A running timer is left be.
    """
    if not timer.isActive():
        wait = every_s - (time.monotonic() - last)
        timer.start(max(0, int(wait * 1000) + 1))


def _no_pause() -> None:
    """A pause point that never pauses (work outside any pacing)."""


NO_PAUSE: Callable[[], None] = _no_pause


class GuiLoad:
    """Whether the GUI thread is flooded (a storm of alerts), so that background work
    in this process gives way to it.

    Qt needs Python's GIL each time it calls into Python: for every cell of the
    queue's repaint, every slot. A worker thread busy in Python or in a long
    PySide call (the basemap's drawing) holds the GIL, and the GUI thread waits at
    each of those calls: in a storm the basemap's rendering alone doubled the GUI's
    longest stall (``bench/alert_storm.py``). The GUI side calls
    :meth:`mark_flooded`; a worker calls the :meth:`pacer`'s pause between short
    pieces of work, and while the flood lasts it sleeps — without the GIL — long
    enough to keep only :data:`BACKGROUND_SHARE` of the time. It never stops: a
    long storm slows the basemap down, it does not starve it.
    """

    def __init__(
        self,
        share: float = BACKGROUND_SHARE,
        hold_s: float = FLOOD_HOLD_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 < share <= 1:
            raise ValueError("share must be in (0, 1]")
        self._share, self._hold_s = share, hold_s
        self._clock, self._sleep = clock, sleep
        self._until = 0.0  # written by the GUI thread, read by workers (a float: atomic)
        self.paused_s = 0.0  # total time workers gave way (for benchmarks and tests)

    def mark_flooded(self) -> None:
        """The GUI thread has more than it can do at once (called by the GUI thread)."""
        self._until = self._clock() + self._hold_s

    @property
    def flooded(self) -> bool:
        """True while the last :meth:`mark_flooded` is recent."""
        return self._clock() < self._until

    def pacer(self) -> Callable[[], None]:
        """A pause point for one piece of background work (one per job and thread)."""
        last = self._clock()

        def pause() -> None:
            nonlocal last
            now = self._clock()
            if now < self._until:
                worked = now - last
                wait = min(MAX_PAUSE_S, worked * (1 - self._share) / self._share)
                self._sleep(wait)
                self.paused_s += wait
                now = self._clock()
            last = now

        return pause


#: The console's GUI thread (one per process, like the ``QApplication``).
GUI_LOAD = GuiLoad()
