"""Tasks end even when a cancel is lost (hub/tasks.py): Python 3.11's ``wait_for``,
used inside nats-py, returns its result when it completes in the same turn as the
cancel."""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest

from csu_console.hub.tasks import end_tasks, raise_if_cancelled


async def _started(task: asyncio.Task[object], flag: asyncio.Event) -> None:
    async with asyncio.timeout(5):
        await flag.wait()
    assert not task.done()


def test_a_cancel_lost_in_wait_for_is_raised_by_the_guard() -> None:
    """The real loss: the awaited event is set in the same turn as the cancel."""
    outcome: dict[str, bool] = {}

    async def library_wait(ready: asyncio.Event, go: asyncio.Event, guard: bool) -> str:
        ready.set()
        await asyncio.wait_for(go.wait(), 10)  # as nats-py's next_msg does
        if guard:
            raise_if_cancelled()
        return "continued"

    async def run(guard: bool) -> None:
        ready, go = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(library_wait(ready, go, guard))
        await _started(task, ready)
        await asyncio.sleep(0)  # into wait_for's wait
        go.set()
        task.cancel()
        await asyncio.wait([task], timeout=5)
        outcome[f"guard={guard}"] = task.cancelled()

    asyncio.run(run(True))
    asyncio.run(run(False))
    assert outcome["guard=True"]  # the guard stops the task
    if sys.version_info < (3, 12):  # the loss itself, fixed in 3.12's wait_for
        assert not outcome["guard=False"]


@pytest.mark.expected_logs("csu.hub")  # the failing task's error
def test_end_tasks_cancels_again_a_task_that_lost_its_cancel(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cancels: list[int] = []

    async def stubborn(ready: asyncio.Event) -> None:
        ready.set()
        while True:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                cancels.append(1)
                if len(cancels) == 2:
                    raise
                asyncio.current_task().uncancel()  # type: ignore[union-attr]  # lost

    async def plain(ready: asyncio.Event) -> None:
        ready.set()
        await asyncio.sleep(60)

    async def failing(ready: asyncio.Event) -> None:
        ready.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            raise RuntimeError("fermeture ratée") from None

    async def run() -> list[asyncio.Task[None]]:
        flags = [asyncio.Event() for _ in range(3)]
        tasks = [
            asyncio.create_task(f(e), name=f.__name__)
            for f, e in zip((stubborn, plain, failing), flags, strict=True)
        ]
        for task, flag in zip(tasks, flags, strict=True):
            await _started(task, flag)
        async with asyncio.timeout(5):
            await end_tasks(*tasks, None)
        return tasks

    with caplog.at_level(logging.INFO, logger="csu.hub"):
        tasks = asyncio.run(run())
    assert all(t.done() for t in tasks)
    assert len(cancels) == 2
    assert tasks[0].cancelled() and tasks[1].cancelled()
    messages = [r.getMessage() for r in caplog.records]
    assert any("stubborn toujours en cours" in m for m in messages)
    assert any("failing terminée en erreur : fermeture ratée" in m for m in messages)
    assert not any("plain" in m for m in messages)
