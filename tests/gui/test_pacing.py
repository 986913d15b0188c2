"""Pacing: background work gives way to a flooded GUI thread, and only then."""

from __future__ import annotations

import threading

import pytest

from csu_console.ui.pacing import MAX_PAUSE_S, GuiLoad


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
