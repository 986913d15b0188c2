"""A repeated error is logged once, then with a count (csu_console.log_repeat)."""

from __future__ import annotations

import logging

import pytest

from csu_console.log_repeat import RepeatedLog


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.mark.expected_logs("csu.test")
def test_a_storm_is_one_line_then_a_count(clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    repeats = RepeatedLog(logging.getLogger("csu.test.repeat"), 60.0, clock)
    caplog.set_level(logging.INFO, logger="csu.test")
    written = []
    for i in range(313):
        clock.now += 0.15  # ~47 s of failures, several a second
        written.append(repeats.log(logging.ERROR, "disk", "écriture impossible (%d)", i))
    assert written[0] and not any(written[1:])
    lines = [r.getMessage() for r in caplog.records if r.name == "csu.test.repeat"]
    assert lines == ["écriture impossible (0)"]
    assert repeats.repeats("disk") == 312
    repeats.flush()  # the window is not over: nothing yet
    assert len([r for r in caplog.records if r.name == "csu.test.repeat"]) == 1
    clock.now += 20
    repeats.flush()
    lines = [r.getMessage() for r in caplog.records if r.name == "csu.test.repeat"]
    assert lines[1] == "écriture impossible (312) (répété 312 fois en 67 s)"
    assert repeats.repeats("disk") == 0


@pytest.mark.expected_logs("csu.test")
def test_keys_are_counted_apart_and_clear_ends_a_run(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    repeats = RepeatedLog(logging.getLogger("csu.test.repeat"), 60.0, clock)
    for _ in range(3):
        repeats.log(logging.WARNING, "a", "refusé")
        repeats.log(logging.ERROR, "b", "plein")
    clock.now += 5
    repeats.clear("a")
    repeats.clear("a")  # nothing left to say
    lines = [r.getMessage() for r in caplog.records if r.name == "csu.test.repeat"]
    assert lines == ["refusé", "plein", "refusé (répété 2 fois en 5 s)"]
    # After its window, the next occurrence writes itself with the count of the last.
    clock.now += 60
    assert repeats.log(logging.ERROR, "b", "plein")
    assert caplog.records[-1].getMessage() == "plein (répété 3 fois en 65 s)"
