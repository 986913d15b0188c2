"""Creating JetStream streams and buckets on a cluster that has just started.

Right after a NATS cluster forms, its meta leader may still see a peer as offline:
a stream or bucket with three replicas is then refused with « no suitable peers for
placement » for a moment, although the cluster is fine. :func:`placed` retries such a
creation for up to :data:`PLACEMENT_WAIT_S`; any other error is the caller's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import nats.js.errors

log = logging.getLogger("csu.hub.nats")

T = TypeVar("T")

#: How long a creation waits for the cluster to place its replicas.
PLACEMENT_WAIT_S = 30.0


def is_placement_error(exc: BaseException) -> bool:
    """A refusal for want of peers (a cluster still forming), not a real conflict."""
    text = str(getattr(exc, "description", "") or exc).casefold()
    return isinstance(exc, nats.js.errors.APIError) and "no suitable peers" in text


async def placed(create: Callable[[], Awaitable[T]], what: str) -> T:
    """``await create()``, again while the cluster cannot place its replicas."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PLACEMENT_WAIT_S
    delay = 0.2
    while True:
        try:
            return await create()
        except nats.js.errors.APIError as exc:
            if not is_placement_error(exc) or loop.time() >= deadline:
                raise
            log.info("%s : réplicas pas encore plaçables (%s), nouvel essai", what, exc.description)
            await asyncio.sleep(delay)
            delay = min(2.0, delay * 2)
