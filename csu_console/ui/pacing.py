"""Pacing: work that a storm would repeat on every batch, run at most every so often;
background work that gives way to the GUI thread while a storm floods it."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from csu_console.heap import resident_bytes, trim_heap
from csu_console.ui.offthread import LatestResult

log = logging.getLogger("csu.ui")

#: While the GUI is flooded, background work keeps at most this share of the time.
BACKGROUND_SHARE = 0.25
#: The GUI counts as flooded this long after it last said so.
FLOOD_HOLD_S = 0.3
#: Longest single pause of background work (it always moves on).
MAX_PAUSE_S = 0.05
#: While the GUI is flooded, a throttled widget repaints at most this often.
THROTTLED_PAINT_MS = 250
#: A throttled widget the operator touched repaints freely for this long.
HANDS_ON_S = 3.0


def start_after(timer: QTimer, every_s: float, last: float, at_least_ms: int = 0) -> None:
    """Start the single-shot ``timer`` for what is left of ``every_s`` since ``last``
    (a ``time.monotonic()``), at once if that has passed: always on a later turn of
    the event loop, after what the current batch paints, and not before
    ``at_least_ms``. A running timer is left be.
    """
    if not timer.isActive():
        wait = every_s - (time.monotonic() - last)
        timer.start(max(at_least_ms, int(wait * 1000) + 1))


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
        self._on_flood: list[Callable[[], None]] = []

    def mark_flooded(self) -> None:
        """The GUI thread has more than it can do at once (called by the GUI thread)."""
        calm = not self.flooded
        self._until = self._clock() + self._hold_s
        if calm:
            for callback in list(self._on_flood):
                try:
                    callback()
                except RuntimeError:  # its Qt object was deleted without unsubscribing
                    log.debug("flood listener dropped: %r", callback)
                    self._on_flood.remove(callback)

    def add_flood_listener(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (on the GUI thread) each time a flood starts."""
        self._on_flood.append(callback)

    def remove_flood_listener(self, callback: Callable[[], None]) -> None:
        """Stop calling ``callback``; unknown ones are ignored."""
        if callback in self._on_flood:
            self._on_flood.remove(callback)

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


_HANDS_ON = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
    }
)


class PaintThrottle(QObject):
    """While the GUI is flooded, each widget :meth:`add`-ed repaints at most every
    ``every_ms``, the widgets in turn.

    In a storm the queue and the map were repainted on every merge tick and every
    pulse step, 15–20 times a second, each repaint tens of milliseconds of the GUI
    thread (and CPU taken from the receiving process): most of the GUI's work in a
    storm. Throttled, they show the storm in steps — still moving, never frozen —
    and never in the same turn of the event loop (their paints would add up).
    Between its steps a widget's updates are off: Qt keeps its last picture. The
    operator's own input on a widget (a click, the wheel, a key) frees it for
    :data:`HANDS_ON_S`; the end of the flood frees them all.
    """

    def __init__(self, load: GuiLoad = GUI_LOAD, every_ms: int = THROTTLED_PAINT_MS) -> None:
        super().__init__()
        self._load = load
        self._every_ms = every_ms
        self._widgets: list[QWidget] = []
        self._inputs: dict[QObject, QWidget] = {}  # watched object -> its throttled widget
        self._hands_on: dict[QWidget, float] = {}  # widget -> time.monotonic() it is free until
        self._turn = 0
        self.steps = 0  # paints let through while throttled (tests, benchmarks)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._step)
        self._closing: list[QWidget] = []
        self._close_timer = QTimer(self)  # after a step's paint, on a later turn
        self._close_timer.setSingleShot(True)
        self._close_timer.setInterval(0)
        self._close_timer.timeout.connect(self._close)
        load.add_flood_listener(self._on_flood)

    def add(self, widget: QWidget, inputs: tuple[QWidget, ...] = ()) -> None:
        """Throttle ``widget``'s paints; input on it or on ``inputs`` frees it."""
        self._widgets.append(widget)
        for w in (widget, *inputs):
            self._inputs[w] = widget
            w.installEventFilter(self)
        # The signal carries a bare QObject, not this wrapper: close over the widget.
        widget.destroyed.connect(lambda: self._forget(widget))

    def stop(self) -> None:
        """Stop throttling for good (the console is closing): every widget repaints."""
        self._load.remove_flood_listener(self._on_flood)
        self._release_all()

    @property
    def throttled(self) -> bool:
        """True while paints are held back."""
        return self._timer.isActive()

    def _on_flood(self) -> None:
        if self._timer.isActive() or not self._widgets:
            return
        self._hold(self._widgets)
        self._timer.start(max(1, self._every_ms // len(self._widgets)))

    @Slot()
    def _step(self) -> None:
        if not self._load.flooded or not self._widgets:
            self._release_all()  # the flood is over: everything repaints, for good
            return
        self.steps += 1
        self._turn = (self._turn + 1) % len(self._widgets)
        self._widgets[self._turn].setUpdatesEnabled(True)  # paints what changed

    def _release_all(self) -> None:
        self._timer.stop()
        for w in self._widgets:
            w.setUpdatesEnabled(True)

    @Slot()
    def _close(self) -> None:
        closing, self._closing = self._closing, []
        if self._timer.isActive():
            self._hold(closing)

    def _hold(self, widgets: list[QWidget]) -> None:
        """Updates off for ``widgets``, but for one the operator is working with."""
        now = time.monotonic()
        for w in widgets:
            if self._hands_on.get(w, 0.0) <= now:
                w.setUpdatesEnabled(False)

    def _forget(self, obj: QWidget) -> None:
        # Python state only: at exit this throttle's own timers may be gone already.
        self._widgets = [w for w in self._widgets if w is not obj]
        self._inputs = {k: v for k, v in self._inputs.items() if v is not obj and k is not obj}
        self._closing = [w for w in self._closing if w is not obj]
        self._hands_on.pop(obj, None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint:
            if self._timer.isActive() and watched in self._widgets:
                self._closing.append(self._inputs[watched])
                self._close_timer.start()
        elif kind in _HANDS_ON:
            widget = self._inputs.get(watched)
            if widget is not None:
                self._hands_on[widget] = time.monotonic() + HANDS_ON_S
                widget.setUpdatesEnabled(True)
        return False


class GcHold(QObject):
    """No full garbage collection while the GUI is flooded.

    A storm adds hundreds of thousands of long-lived objects; Python then runs a
    full collection each time the heap grows by a quarter, 20–60 ms with the GIL
    held (measured during ``bench/alert_storm.py``, finding nothing to free): the
    GUI thread stalled that long. Younger generations are still collected; the
    full collections resume when the flood ends.
    """

    def __init__(self, load: GuiLoad = GUI_LOAD, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self._saved: tuple[int, int, int] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(THROTTLED_PAINT_MS)
        self._timer.timeout.connect(self._check)
        load.add_flood_listener(self._on_flood)

    @property
    def holding(self) -> bool:
        """True while full collections are held back."""
        return self._saved is not None

    def _on_flood(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], _NEVER)
            self._timer.start()

    @Slot()
    def _check(self) -> None:
        if not self._load.flooded:
            self.release()

    def release(self) -> None:
        """Full collections as before (the flood is over, or the console stops)."""
        self._timer.stop()
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def stop(self) -> None:
        """Release and stop listening (the console is closing)."""
        self._load.remove_flood_listener(self._on_flood)
        self.release()


#: A collection threshold never reached (a full collection needs that many younger ones).
_NEVER = 1 << 30


#: How often the C heap's free pages go back to the system (:class:`HeapTrim`).
HEAP_TRIM_EVERY_MS = 10 * 60_000


class HeapTrim(QObject):
    """Every ten minutes, off the GUI thread and never during a flood, the C heap's
    free pages go back to the system (:mod:`csu_console.heap`): a console running
    for weeks keeps the memory it uses, not the most it ever used."""

    trimmed = Signal(object)  # (RSS before, RSS after, seconds), bytes

    def __init__(
        self,
        load: GuiLoad = GUI_LOAD,
        parent: QObject | None = None,
        every_ms: int = HEAP_TRIM_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._work = LatestResult("memoire", self)
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.trim)

    def start(self) -> None:
        self._timer.start()

    @Slot()
    def trim(self) -> None:
        """Trim now (unless the GUI is flooded: the next tick will)."""
        if self._load.flooded or self._work.busy:
            return
        self._work.submit(_trim, self._on_trimmed)

    def _on_trimmed(self, figures: tuple[int | None, int | None, float] | None) -> None:
        if figures is None:
            return
        before, after, took = figures
        if before is not None and after is not None:
            freed = (before - after) / 1e6
            level = logging.INFO if freed >= 20 else logging.DEBUG
            log.log(level, "mémoire rendue au système : %.0f Mo en %.0f ms", freed, took * 1000)
        self.trimmed.emit(figures)

    def stop(self) -> None:
        self._timer.stop()
        self._work.stop()


def _trim() -> tuple[int | None, int | None, float] | None:
    """Worker: RSS before and after the trim, and its time (None: not possible here)."""
    before, began = resident_bytes(), time.perf_counter()
    if not trim_heap():
        return None
    return before, resident_bytes(), time.perf_counter() - began
