"""The GUI's one executor for "run off-thread, hand back the newest result": work
runs on its own thread, results come back on the GUI thread, a request replaced
before it started never runs, a failure is told and does not stop the next, and
nothing comes back after the stop."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from csu_console.ui.offthread import LatestResult


@pytest.fixture
def work(qapp: Any) -> Any:
    executor = LatestResult("essai")
    yield executor
    executor.stop()


def _worker_alive(name: str) -> bool:
    return any(t.name.startswith(f"csu-{name}") for t in threading.enumerate())


def _run_one_gated(qtbot: Any, work: LatestResult, answer: str, got: list[str]) -> None:
    """Submit a job that waits on a gate; return once its worker runs and the gate
    is open (the job finishing, its result not handed back yet)."""
    gate = threading.Event()

    def job() -> str:
        gate.wait(5)
        return answer

    work.submit(job, got.append)
    qtbot.waitUntil(lambda: _worker_alive(work.name))
    gate.set()


def test_the_work_runs_off_the_gui_thread_and_the_result_comes_back_on_it(
    qtbot: Any, work: LatestResult
) -> None:
    ran_on: list[threading.Thread] = []
    got: list[tuple[int, threading.Thread]] = []

    def job() -> int:
        ran_on.append(threading.current_thread())
        return 42

    work.submit(job, lambda r: got.append((r, threading.current_thread())))
    assert work.busy
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert ran_on[0] is not threading.main_thread()
    assert ran_on[0].name.startswith("csu-essai")
    assert got == [(42, threading.main_thread())]
    assert not work.busy


def test_a_request_replaced_before_it_starts_never_runs(qtbot: Any, work: LatestResult) -> None:
    gate = threading.Event()
    ran: list[str] = []
    got: list[str] = []

    def job(name: str) -> str:
        if name == "premier":
            gate.wait(5)
        ran.append(name)
        return name

    work.submit(lambda: job("premier"), got.append)
    work.submit(lambda: job("deuxième"), got.append)  # waits behind the first
    work.submit(lambda: job("troisième"), got.append)  # replaces the second
    gate.set()
    qtbot.waitUntil(lambda: got == ["premier", "troisième"], timeout=5000)
    assert ran == ["premier", "troisième"]
    assert work.cancelled == 1


def test_a_failure_goes_to_on_error_and_the_next_request_runs(
    qtbot: Any, work: LatestResult
) -> None:
    errors: list[BaseException] = []
    got: list[int] = []

    def boom() -> int:
        raise ValueError("calcul impossible")

    work.submit(boom, got.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0]) == "calcul impossible"
    work.submit(lambda: 7, got.append)
    qtbot.waitUntil(lambda: got == [7], timeout=5000)


@pytest.mark.expected_logs("csu.ui")
def test_a_failure_without_on_error_is_logged_not_raised(
    qtbot: Any, work: LatestResult, caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> int:
        raise RuntimeError("bogue")

    work.submit(boom, lambda _r: None)
    qtbot.waitUntil(lambda: not work.busy, timeout=5000)
    assert "calcul en arrière-plan essai en échec" in caplog.text


def test_nothing_comes_back_after_the_stop_and_the_thread_is_joined(qtbot: Any, qapp: Any) -> None:
    work = LatestResult("essai-arret")
    got: list[str] = []
    _run_one_gated(qtbot, work, "trop tard", got)
    work.stop()  # waits for the running job
    assert not _worker_alive("essai-arret")
    qapp.processEvents()
    assert got == []
    work.submit(lambda: "après", got.append)  # ignored: stopped
    qapp.processEvents()
    assert got == [] and work.requests == 1


def test_after_a_reset_the_old_result_is_dropped_and_new_requests_run(
    qtbot: Any, qapp: Any
) -> None:
    """A map view closed (reset) and shown again: what ran before is not drawn,
    what is asked afterwards is, on a new worker."""
    work = LatestResult("essai-reprise")
    got: list[str] = []
    _run_one_gated(qtbot, work, "avant", got)
    work.reset()  # waits for the running job, hands it nowhere
    assert not work.busy
    assert not _worker_alive("essai-reprise")
    work.submit(lambda: "après", got.append)
    qtbot.waitUntil(lambda: got == ["après"])
    assert work.requests == 2
    work.stop()
