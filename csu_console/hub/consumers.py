"""Each station's durable consumer on ``CSU_ALERTS``, and the hub's operational keys.

A station's consumer (``station-<id>``) is shared by every hub of the CSU: the
station can connect to any of them and resume where it stopped. Messages a dead
hub had fetched but the station never acknowledged would wait for ``ack_wait``;
a station that connects while its consumer still has such messages gets its
consumer rebuilt from the acknowledgement floor, so it receives them at once
(anything after the floor it already has is recognised by ``(source, id)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import nats.errors
import nats.js.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext, api

from csu_console.hub.jetstream import ALERTS_STREAM, ALERTS_SUBJECT
from csu_console.hub.placement import placed
from csu_console.hub.tasks import raise_if_cancelled

log = logging.getLogger("csu.hub.stations")

MAX_ACK_PENDING = 1000
LIVE_BUCKET = "csu_hub_live"  # link.<hub>.<upstream>, hub.<hub> — short TTL
CONTACT_BUCKET = "csu_hub_contact"  # contact.<station>
LIVE_TTL_S = 30.0
STATUS_HEADER = "Status"
_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def safe_token(value: str) -> str:
    """``value`` as a NATS name / key token (hashed when it holds other characters)."""
    if _SAFE.match(value):
        return value
    return "x" + hashlib.sha256(value.encode()).hexdigest()[:24]


def consumer_name(station: str) -> str:
    return f"station-{safe_token(station)}"


async def usable_last_seq(js: JetStreamContext, station: str, last_seq: int | None) -> int | None:
    """The station's ``last_seq``, unless it cannot be one of this stream's (beyond
    its end: the station counted another gateway's seqs before joining the hub)."""
    if last_seq is None:
        return None
    info = await js.stream_info(ALERTS_STREAM)
    end = info.state.last_seq if info.state else 0
    if last_seq > end:
        log.info(
            "poste %s : dernier seq %d au-delà du flux (%d) : ignoré, tout lui est proposé",
            station,
            last_seq,
            end,
        )
        return None
    return last_seq


async def station_consumer(
    js: JetStreamContext, station: str, last_seq: int | None, ack_wait_s: float
) -> str:
    """The station's consumer, created or rebuilt as needed; returns its name."""
    durable = consumer_name(station)
    start: int | None = None
    try:
        info = await js.consumer_info(ALERTS_STREAM, durable)
    except nats.js.errors.NotFoundError:
        info = None
        if last_seq is not None:
            start = last_seq + 1  # a new consumer: the station has the rest already
    if info is not None and (info.num_ack_pending or 0) > 0:
        floor = info.ack_floor.stream_seq if info.ack_floor is not None else 0
        start = floor + 1
        log.info(
            "poste %s : %d alertes en attente d'acquittement d'une connexion perdue, "
            "renvoi depuis le seq %d",
            station,
            info.num_ack_pending,
            start,
        )
        await js.delete_consumer(ALERTS_STREAM, durable)
        info = None
    if info is None:
        config = api.ConsumerConfig(
            name=durable,
            durable_name=durable,
            description=f"alertes du poste {station}",
            ack_policy=api.AckPolicy.EXPLICIT,
            ack_wait=ack_wait_s,
            max_ack_pending=MAX_ACK_PENDING,
            max_deliver=-1,
            filter_subject=f"{ALERTS_SUBJECT}.>",
            deliver_policy=api.DeliverPolicy.ALL
            if start is None
            else api.DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=start,
        )
        await js.add_consumer(ALERTS_STREAM, config)
    return durable


async def fetch_batch(
    sub: JetStreamContext.PullSubscription, batch: int, timeout: float
) -> list[Msg]:
    """``sub.fetch``: at most ``batch`` messages, none when nothing came within
    ``timeout``; a cancel nats-py lost while waiting is raised here (hub/tasks.py)."""
    try:
        msgs: list[Msg] = await sub.fetch(batch, timeout=timeout)
    except (nats.errors.TimeoutError, TimeoutError):
        msgs = []
    raise_if_cancelled()
    return msgs


class Puller:
    """Pull requests of up to ``batch`` messages that linger ``expires_s``: a message
    is delivered as soon as it is stored, and a burst costs one request per batch.

    Messages go to ``handler`` from the subscription's own task, one after the
    other in stream order, without a task switch between them, so whoever they
    feed (the station's writer) finds them together. (nats-py's ``fetch`` returns
    after the first message of a lingering request: one request per alert.)
    """

    def __init__(
        self,
        nc: Client,
        durable: str,
        handler: Callable[[Msg], Awaitable[None]],
        batch: int = 200,
        expires_s: float = 5.0,
    ) -> None:
        self._nc = nc
        self._subject = f"$JS.API.CONSUMER.MSG.NEXT.{ALERTS_STREAM}.{durable}"
        self._handler = handler
        self._batch = batch
        self._expires_s = expires_s
        self._inbox = nc.new_inbox()
        self._sub: Subscription | None = None
        self._left = 0
        self._done = asyncio.Event()
        self._error: Exception | None = None

    async def start(self) -> None:
        self._sub = await self._nc.subscribe(
            self._inbox, cb=self._on_msg, pending_msgs_limit=4 * MAX_ACK_PENDING
        )

    async def stop(self) -> None:
        if self._sub is not None:
            with contextlib.suppress(Exception):
                await self._sub.unsubscribe()
            self._sub = None

    async def pull(self, want: int) -> int:
        """One request of at most ``want`` messages; returns once it is served,
        expired or refused, with how many messages it brought."""
        want = max(1, min(want, self._batch))
        self._left = want
        self._done.clear()
        request = {"batch": want, "expires": int(self._expires_s * 1e9)}
        await self._nc.publish(self._subject, json.dumps(request).encode(), reply=self._inbox)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._expires_s + 1.0):
                await self._done.wait()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return want - self._left

    async def _on_msg(self, msg: Msg) -> None:
        status = msg.headers.get(STATUS_HEADER) if msg.headers else None
        if status:
            description = (msg.headers or {}).get("Description", "")
            if status == "409" and "Deleted" in description:
                self._error = nats.js.errors.NotFoundError(description=description)
            elif status not in ("404", "408", "409"):  # no messages, expired, busy
                log.info("demande d'alertes refusée : %s %s", status, description)
            self._done.set()
            return
        self._left -= 1
        try:
            await self._handler(msg)
        except Exception:  # never kill the subscription's task
            log.exception("alerte non transmise au poste")
        if self._left <= 0:
            self._done.set()


async def ensure_buckets(js: JetStreamContext, replicas: int) -> None:
    """The operational buckets: live state (TTL) and stations' last contact."""
    for bucket, ttl in ((LIVE_BUCKET, LIVE_TTL_S), (CONTACT_BUCKET, None)):
        try:
            await js.key_value(bucket)
        except nats.js.errors.BucketNotFoundError:
            config = api.KeyValueConfig(bucket=bucket, history=1, ttl=ttl, replicas=replicas)
            await placed(functools.partial(js.create_key_value, config), bucket)


async def put_json(js: JetStreamContext, bucket: str, key: str, value: dict[str, Any]) -> None:
    kv = await js.key_value(bucket)
    await kv.put(key, json.dumps(value, ensure_ascii=False).encode())


async def read_all(js: JetStreamContext, bucket: str) -> dict[str, dict[str, Any]]:
    """Every live key of a bucket, decoded, read from its stream's subjects (no
    watcher: a short-lived command reads exactly what is stored now)."""
    kv = await js.key_value(bucket)
    info = await js.stream_info(f"KV_{bucket}", subjects_filter=f"$KV.{bucket}.>")
    out: dict[str, dict[str, Any]] = {}
    for subject in sorted((info.state.subjects or {}) if info.state else {}):
        key = subject.removeprefix(f"$KV.{bucket}.")
        try:
            entry = await kv.get(key)
        except nats.js.errors.KeyNotFoundError:
            continue  # deleted, or expired meanwhile
        try:
            out[key] = json.loads(entry.value or b"{}")
        except ValueError:
            continue
    return out


def now_iso() -> str:
    return datetime.now(UTC).isoformat()
