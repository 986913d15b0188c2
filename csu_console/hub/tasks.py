"""Ending the hub's asyncio tasks when Python 3.11 can lose a cancel.

On 3.11, ``asyncio.wait_for`` returns the awaited result when it completes in the
same turn of the loop as the cancel, and the cancel is gone. Our code uses
``asyncio.timeout`` instead (tests/unit/test_architecture.py), but nats-py waits for
each pulled message with ``wait_for`` in a task of its own (``next_msg``). A station's
relay task that lost its cancel that way went on fetching for a closed connection
and held the hub's stop for its whole 8-s bound (CI, stop 27).

Two guards: a loop around a NATS fetch checks :func:`raise_if_cancelled` each turn
(the task's pending cancel requests survive the loss), and whoever ends tasks does it
with :func:`end_tasks`, which cancels again a task still running after a grace.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger("csu.hub")

RECANCEL_S = 0.5


def raise_if_cancelled() -> None:
    """Raise the cancel a library swallowed: the current task was asked to stop."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def end_tasks(*tasks: asyncio.Task[Any] | None) -> None:
    """Cancel ``tasks`` and return once every one has ended; one that is still
    running after :data:`RECANCEL_S` lost its cancel and is cancelled again. An
    exception other than the cancel is logged (it would otherwise go unread)."""
    live = {t for t in tasks if t is not None and not t.done()}
    for task in live:
        task.cancel()
    ended = {t for t in tasks if t is not None} - live
    while live:
        done, live = await asyncio.wait(live, timeout=RECANCEL_S)
        ended |= done
        for task in live:
            log.info("tâche %s toujours en cours après son annulation : annulée à nouveau",
                     task.get_name())  # fmt: skip
            task.cancel()
    for task in ended:
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("tâche %s terminée en erreur : %s", task.get_name(), exc, exc_info=exc)
