"""Pacing: background work, paints and full garbage collections give way to a flooded
GUI thread, and only then."""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from csu_console.ui.pacing import MAX_PAUSE_S, GcHold, GuiLoad, HeapTrim, PaintThrottle


class FakeClock:
    """A clock the test moves by hand (the pacing arithmetic, not the machine's speed)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_calm_gui_never_slows_background_work(clock: FakeClock) -> None:
    load = GuiLoad(clock=clock, sleep=clock.sleep)
    pause = load.pacer()
    for _ in range(5):
        clock.now += 0.004  # four milliseconds of work between pause points
        pause()
    assert clock.slept == []
    assert not load.flooded
    assert load.paused_s == 0


def test_while_flooded_work_keeps_only_its_share_of_the_time(clock: FakeClock) -> None:
    load = GuiLoad(share=0.25, hold_s=10.0, clock=clock, sleep=clock.sleep)
    pause = load.pacer()
    load.mark_flooded()
    start = clock.now
    for _ in range(8):
        clock.now += 0.004
        pause()
    # Each 4 ms of work is followed by 12 ms given to the GUI: 25 % of the time.
    assert clock.slept == pytest.approx([0.012] * 8)
    assert 8 * 0.004 / (clock.now - start) == pytest.approx(0.25)
    assert load.paused_s == pytest.approx(0.096)


def test_a_long_piece_of_work_pauses_at_most_max_pause(clock: FakeClock) -> None:
    load = GuiLoad(share=0.25, hold_s=10.0, clock=clock, sleep=clock.sleep)
    pause = load.pacer()
    load.mark_flooded()
    clock.now += 1.0
    pause()
    assert clock.slept == [MAX_PAUSE_S]  # it always moves on


def test_the_flood_ends_hold_s_after_the_gui_last_said_so(clock: FakeClock) -> None:
    load = GuiLoad(hold_s=0.3, clock=clock, sleep=clock.sleep)
    pause = load.pacer()
    load.mark_flooded()
    clock.now += 0.2
    assert load.flooded
    load.mark_flooded()  # the storm goes on
    clock.now += 0.25
    assert load.flooded
    clock.now += 0.06
    assert not load.flooded
    pause()
    assert clock.slept == []


def test_time_spent_before_the_flood_is_not_paid_back(clock: FakeClock) -> None:
    """Only work done since the last pause point counts, not the time a job waited."""
    load = GuiLoad(share=0.5, hold_s=10.0, clock=clock, sleep=clock.sleep)
    pause = load.pacer()
    clock.now += 5.0  # calm: work (or waiting) without pauses
    pause()
    load.mark_flooded()
    clock.now += 0.002
    pause()
    assert clock.slept == pytest.approx([0.002])


@pytest.mark.parametrize("share", [0.0, -0.5, 1.5])
def test_a_share_outside_0_1_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="share"):
        GuiLoad(share=share)


def test_a_real_worker_thread_gives_most_of_the_flood_away() -> None:
    """Real threads and the real clock: the worker sleeps (without the GIL) about
    three quarters of a 0.2 s flood, then runs free."""
    load = GuiLoad(share=0.25, hold_s=0.2)
    load.mark_flooded()
    pauses: list[int] = []

    def worker() -> None:
        pause = load.pacer()
        count = 0
        while load.flooded:
            total = 0
            for i in range(2000):  # some Python work
                total += i
            pause()
            count += 1
        pauses.append(count)

    thread = threading.Thread(target=worker, name="background")
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
    assert pauses[0] > 0
    assert 0.1 <= load.paused_s <= 0.2 + MAX_PAUSE_S


# -- the paint throttle and the garbage collector, on the GUI thread ---------------


class PaintCounter(QWidget):
    """A widget that notes each paint (and what painted just before it)."""

    log: ClassVar[list[str]] = []

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.paints = 0
        self.setMinimumSize(200, 100)

    def paintEvent(self, _event: QPaintEvent) -> None:
        self.paints += 1
        PaintCounter.log.append(self.name)


@pytest.fixture
def pair(qtbot: QtBot) -> Iterator[tuple[PaintCounter, PaintCounter]]:
    """Two widgets side by side in one window (the queue and the map of the console)."""
    PaintCounter.log = []
    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    widgets = (PaintCounter("queue"), PaintCounter("map"))
    for w in widgets:
        layout.addWidget(w)
    window.show()
    qtbot.waitExposed(window)
    yield widgets  # the window (their parent) lives as long as the test


def keep_changing(qtbot: QtBot, widgets: tuple[QWidget, ...], seconds: float) -> None:
    """Ask every widget for a repaint every 10 ms for ``seconds`` (a storm's batches)."""
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: [w.update() for w in widgets])
    timer.start()
    qtbot.wait(int(seconds * 1000))  # the test's own storm lasts this long
    timer.stop()


def test_calm_widgets_repaint_on_every_change(
    qtbot: QtBot, pair: tuple[PaintCounter, PaintCounter]
) -> None:
    throttle = PaintThrottle(GuiLoad(), every_ms=250)
    for w in pair:
        throttle.add(w)
    before = [w.paints for w in pair]
    keep_changing(qtbot, pair, 0.3)
    assert not throttle.throttled
    assert all(w.paints - b >= 10 for w, b in zip(pair, before, strict=True))


def test_flooded_widgets_repaint_in_turns_every_250_ms_and_freely_after(
    qtbot: QtBot, pair: tuple[PaintCounter, PaintCounter]
) -> None:
    clock = FakeClock()
    load = GuiLoad(hold_s=1.0, clock=clock, sleep=clock.sleep)
    throttle = PaintThrottle(load, every_ms=250)
    for w in pair:
        throttle.add(w)
    load.mark_flooded()
    assert throttle.throttled
    PaintCounter.log = []
    keep_changing(qtbot, pair, 1.0)
    # About four steps each in a second (not a hundred), in turns.
    counts = [w.paints for w in pair]
    assert 2 <= PaintCounter.log.count("queue") <= 6
    assert 2 <= PaintCounter.log.count("map") <= 6
    assert all(a != b for a, b in itertools.pairwise(PaintCounter.log)), PaintCounter.log
    assert throttle.steps >= 6

    clock.now += 2.0  # the flood is over
    qtbot.waitUntil(lambda: not throttle.throttled, timeout=2000)
    keep_changing(qtbot, pair, 0.3)
    assert all(w.paints - c >= 10 for w, c in zip(pair, counts, strict=True))


def test_the_operators_click_frees_the_widget_at_once(
    qtbot: QtBot, pair: tuple[PaintCounter, PaintCounter]
) -> None:
    queue, map_ = pair
    load = GuiLoad(hold_s=60.0)
    throttle = PaintThrottle(load, every_ms=250)
    throttle.add(queue)
    throttle.add(map_)
    load.mark_flooded()
    qtbot.mouseClick(queue, Qt.MouseButton.LeftButton)
    before = (queue.paints, map_.paints)
    keep_changing(qtbot, pair, 0.5)
    assert queue.paints - before[0] >= 15  # the one the operator works with
    assert map_.paints - before[1] <= 4  # the other one still in steps
    throttle.stop()
    assert not throttle.throttled


def test_a_deleted_widget_leaves_the_throttle_working(qtbot: QtBot) -> None:
    load = GuiLoad(hold_s=60.0)
    throttle = PaintThrottle(load, every_ms=100)
    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    gone, kept = PaintCounter("gone"), PaintCounter("kept")
    layout.addWidget(gone)
    layout.addWidget(kept)
    window.show()
    qtbot.waitExposed(window)
    throttle.add(gone)
    throttle.add(kept)
    gone.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(gone), timeout=2000)
    load.mark_flooded()
    before = kept.paints
    keep_changing(qtbot, (kept,), 0.5)
    assert 2 <= kept.paints - before <= 8
    throttle.stop()


def full_collections() -> int:
    return int(gc.get_stats()[2]["collections"])


def make_long_lived_objects() -> list[list[int]]:
    """Containers that survive: what a storm's alerts are to the collector."""
    return [[i] for i in range(600_000)]


def test_no_full_collection_while_flooded_then_as_before(qtbot: QtBot) -> None:
    saved = gc.get_threshold()
    gc.collect()
    clock = FakeClock()
    load = GuiLoad(hold_s=1.0, clock=clock, sleep=clock.sleep)
    hold = GcHold(load)
    try:
        before = full_collections()
        kept = make_long_lived_objects()  # calm: the collector does run a full pass
        assert full_collections() > before

        load.mark_flooded()
        assert hold.holding
        before = full_collections()
        kept += make_long_lived_objects()
        assert full_collections() == before

        clock.now += 2.0  # the flood is over
        qtbot.waitUntil(lambda: not hold.holding, timeout=2000)
        assert gc.get_threshold() == saved
        del kept
    finally:
        hold.stop()
        gc.set_threshold(*saved)


def test_a_widget_outliving_its_throttle_dies_quietly(qtbot: QtBot) -> None:
    """At exit Qt deletes objects in its own order: the throttle may go first."""
    throttle = PaintThrottle(GuiLoad(hold_s=60.0), every_ms=100)
    widget = PaintCounter("late")
    throttle.add(widget)
    shiboken6.delete(throttle)
    widget.deleteLater()  # its ``destroyed`` reaches the dead throttle's Python side
    qtbot.waitUntil(lambda: not shiboken6.isValid(widget), timeout=2000)


def test_the_heap_is_trimmed_off_the_gui_thread_on_its_timer_and_never_in_a_flood(
    qtbot: QtBot, clock: FakeClock
) -> None:
    load = GuiLoad(clock=clock, sleep=clock.sleep)
    trim = HeapTrim(load, every_ms=50)
    figures: list[tuple[int, int, float]] = []
    trim.trimmed.connect(figures.append)
    try:
        load.mark_flooded()
        trim.trim()  # a storm: not now
        assert not trim._work.busy and trim._work.requests == 0
        clock.now += 3600  # the flood is over
        trim.start()  # the timer brings the next trim
        qtbot.waitUntil(lambda: len(figures) >= 2, timeout=5000)
    finally:
        trim.stop()
    before, after, took = figures[0]
    assert before > 0 and after > 0 and took >= 0
    assert not any(t.name.startswith("csu-memoire") for t in threading.enumerate())
