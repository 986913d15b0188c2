"""The gate on OpenCV's options variable: same options open together, others wait."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from csu_console.media.video.ffmpeg_env import OPTIONS_VAR, OptionsGate

BLOCKED_S = 0.2  # how long a waiter is shown not to get in (a negative check)


class Holder:
    """A thread that holds the gate with ``value`` until released; notes what it saw."""

    def __init__(self, gate: OptionsGate, value: str | None, log: list[str]) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.seen: str | None = "?"
        self._gate, self._value, self._log = gate, value, log
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with self._gate.holding(self._value):
            self.seen = os.environ.get(OPTIONS_VAR)
            self._log.append(str(self._value))
            self.entered.set()
            self.release.wait(5)

    def done(self) -> None:
        self.release.set()
        self.thread.join(5)
        assert not self.thread.is_alive()


@pytest.fixture
def user_value(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv(OPTIONS_VAR, "user;value")
    yield "user;value"


def test_same_options_open_together_and_the_environment_comes_back(user_value: str) -> None:
    gate, log = OptionsGate(), []
    a1 = Holder(gate, "tuned", log)
    assert a1.entered.wait(2)
    a2 = Holder(gate, "tuned", log)
    assert a2.entered.wait(2)  # while a1 still holds
    assert a1.seen == a2.seen == "tuned"
    a1.done()
    a2.done()
    assert os.environ[OPTIONS_VAR] == user_value


def test_other_options_wait_and_newcomers_queue_behind_them(user_value: str) -> None:
    gate, log = OptionsGate(), []
    tuned = Holder(gate, "tuned", log)
    assert tuned.entered.wait(2)
    default = Holder(gate, None, log)
    assert not default.entered.wait(BLOCKED_S)
    late = Holder(gate, "tuned", log)
    assert not late.entered.wait(BLOCKED_S)  # no starvation of the waiting default
    tuned.done()
    assert default.entered.wait(2)
    assert default.seen is None  # FFmpeg's defaults: the variable is unset
    assert not late.entered.wait(BLOCKED_S)
    default.done()
    assert late.entered.wait(2)
    late.done()
    assert log == ["tuned", "None", "tuned"]
    assert os.environ[OPTIONS_VAR] == user_value


def test_many_threads_always_see_their_own_options(user_value: str) -> None:
    """8 threads, 3 values, 400 holdings: never another value inside, no deadlock."""
    gate, wrong, done = OptionsGate(), [], []
    values = ["tuned", None, "other"]

    def worker(i: int) -> None:
        for n in range(50):
            value = values[(i + n) % 3]
            with gate.holding(value):
                if os.environ.get(OPTIONS_VAR) != value:
                    wrong.append((value, os.environ.get(OPTIONS_VAR)))
        done.append(i)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(done) == list(range(8))
    assert wrong == []
    assert os.environ[OPTIONS_VAR] == user_value
