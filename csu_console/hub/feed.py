"""Follow a JetStream stream in order, and pick up where we left after NATS comes back.

nats-py's key-value watcher (an ordered consumer) notices a lost consumer only after
missed heartbeats (10 s and more) and gives up if NATS is still down then. The hub
needs its caches right within a second of NATS returning, so :class:`StreamFeed`
keeps the last stream sequence it handled and, when told to (a reconnection, a gap
in the consumer sequence, a consumer gone), opens a new ephemeral consumer from the
next sequence: every change made meanwhile arrives, in stream order, exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from nats.aio.msg import Msg
from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError

from csu_console.errors import ValidationError

log = logging.getLogger("csu.hub.shared")

#: An ephemeral consumer the server removes once nobody listens to it for this long.
INACTIVE_THRESHOLD = 30.0


class StreamFeed:
    """One stream subject, delivered to ``handler(msg, loading)`` in stream order.

    ``initial``: ``"last_per_subject"`` (a key-value bucket: the current value of each
    key, then every change), ``"all"`` (every message kept, then every new one),
    ``"since"`` (from the time ``since()`` gives, then every new one) or ``"new"``
    (only what is published from now on).
    ``loading`` is true for the initial values, until the consumer has caught up.
    """

    def __init__(
        self,
        js: JetStreamContext,
        stream: str,
        subject: str,
        handler: Callable[[Msg, bool], None],
        *,
        initial: str,
        on_reset: Callable[[], None] | None = None,
        since: Callable[[], datetime] | None = None,
    ) -> None:
        self._js = js
        self.stream = stream
        self._subject = subject
        self._handler = handler
        self._initial = initial
        self._on_reset = on_reset
        self._since = since  # initial "since": from this time (asked at each first open)
        self.last_seq = 0  # last stream sequence handled
        self._opened = False  # a consumer was opened once (next ones resume by sequence)
        self._loading = initial in ("last_per_subject", "all")
        self.ready = asyncio.Event()
        self.progress = asyncio.Event()  # set at every message: snapshot waits on it
        self._sub: JetStreamContext.PushSubscription | None = None
        self._generation = 0
        self._expected_dseq = 1
        self.broken = False  # reopen at the next check

    async def open(self) -> None:
        """Open a consumer: the initial policy the first time, else from ``last_seq + 1``."""
        self._generation += 1
        generation = self._generation
        await self._drop_sub()
        config = api.ConsumerConfig(
            ack_policy=api.AckPolicy.NONE,
            mem_storage=True,
            num_replicas=1,
            inactive_threshold=INACTIVE_THRESHOLD,
        )
        if not self._opened and self._initial == "new":
            # "new" as a sequence, so that a reopen resumes after it rather than replay
            stream_info = await self._js.stream_info(self.stream)
            if generation != self._generation:
                return
            self.last_seq = stream_info.state.last_seq
            self._opened = True
        if self._opened:
            config.deliver_policy = api.DeliverPolicy.BY_START_SEQUENCE
            config.opt_start_seq = self.last_seq + 1
        elif self._initial == "all":
            config.deliver_policy = api.DeliverPolicy.ALL
        elif self._initial == "since" and self._since is not None:
            config.deliver_policy = api.DeliverPolicy.BY_START_TIME
            config.opt_start_time = self._since().astimezone(UTC)
        else:
            config.deliver_policy = api.DeliverPolicy.LAST_PER_SUBJECT
        self._expected_dseq = 1

        async def on_msg(msg: Msg) -> None:
            if generation == self._generation:
                self._on_msg(msg)

        sub = await self._js.subscribe(
            self._subject, stream=self.stream, cb=on_msg, config=config, manual_ack=True
        )
        self._sub = sub
        self.broken = False
        if not self._opened:
            self._opened = True
            info = await sub.consumer_info()
            if info.num_pending == 0 and sub.delivered == 0:
                self._caught_up()
        else:
            self._caught_up()

    def _caught_up(self) -> None:
        self._loading = False
        self.ready.set()

    def _on_msg(self, msg: Msg) -> None:
        try:
            meta = msg.metadata
        except Exception:  # not a JetStream message: nothing to do with it
            log.exception("message inattendu sur %s", self._subject)
            return
        dseq = meta.sequence.consumer
        sseq = meta.sequence.stream
        if dseq != self._expected_dseq:
            # a message lost between the server and us: start again after the last one
            log.info(
                "%s : séquence du consommateur %s au lieu de %s, reprise après %s",
                self.stream,
                dseq,
                self._expected_dseq,
                self.last_seq,
            )
            self.broken = True
            self._generation += 1
            return
        self._expected_dseq = dseq + 1
        if sseq > self.last_seq:
            self.last_seq = sseq
            try:
                self._handler(msg, self._loading)
            except (ValidationError, ValueError) as exc:  # not ours, or damaged: skipped
                log.error("%s : message %s illisible, ignoré (%s)", self.stream, sseq, exc)
            except Exception:
                log.exception("%s : message %s mal traité", self.stream, sseq)
        if self._loading and meta.num_pending == 0:
            self._caught_up()
        self.progress.set()

    async def check(self) -> None:
        """Reopen when broken, or when the server no longer knows our consumer.

        A stream that went back in time (NATS started again without its storage) is
        loaded again from scratch, after ``on_reset``.
        """
        if not self.broken and self._sub is not None:
            try:
                await self._sub.consumer_info()
                return
            except NotFoundError:
                log.info("%s : consommateur disparu, reprise après %s", self.stream, self.last_seq)
        info = await self._js.stream_info(self.stream)
        if info.state.last_seq < self.last_seq:
            log.error(
                "%s recréé (séquence %s < %s) : rechargé en entier",
                self.stream,
                info.state.last_seq,
                self.last_seq,
            )
            self.last_seq = 0
            if self._initial != "new":
                self._opened = False
                self._loading = True
            if self._on_reset is not None:
                self._on_reset()
        await self.open()

    async def wait_caught_up(self, target: int, timeout: float) -> bool:
        """Wait until ``last_seq`` reaches ``target`` (False when the timeout came first)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.last_seq < target:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            self.progress.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self.progress.wait()
        return True

    async def _drop_sub(self) -> None:
        sub, self._sub = self._sub, None
        if sub is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(1.0):
                    await sub.unsubscribe()

    async def close(self) -> None:
        self._generation += 1
        await self._drop_sub()


def header(msg: Msg, name: str) -> str | None:
    headers: dict[str, Any] | None = msg.headers
    if not headers:
        return None
    value = headers.get(name)
    return None if value is None else str(value)
