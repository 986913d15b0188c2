"""JetStream requests with a deadline, for the shared state: never hang on a lost NATS.

Every request is bounded by ``timeout`` and fails with :class:`SharedStateUnavailable`
when NATS is disconnected (at once) or does not answer (after ``timeout``). A write
whose answer was lost may still have been stored: the callers make every write
idempotent (request ids remembered in the entry, ``Nats-Msg-Id`` on streams).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import nats.errors
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext, api
from nats.js.errors import BadRequestError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from csu_console.errors import CsuError, ValidationError
from csu_console.hub.mirror import CLAIMS_BUCKET, PRESENCE_BUCKET, UNITS_BUCKET
from csu_console.hub.placement import placed

log = logging.getLogger("csu.hub.shared")

_T = TypeVar("_T")

STATUS_STREAM = "CSU_STATUS"  # every applied claim change, for the upstream relay
STATUS_SUBJECT = "csu.status"
ESCALATION_STREAM = "CSU_ESCALATIONS"
ESCALATION_SUBJECT = "csu.escalation"
DAY = 86400.0

#: What nats-py raises when NATS is away (a request timed out, the connection is gone).
NATS_DOWN: tuple[type[BaseException], ...] = (TimeoutError, nats.errors.Error, OSError)


class SharedStateUnavailable(CsuError):
    """NATS is unreachable or did not answer in time: nothing was decided."""


class SharedIO:
    """The shared state's requests to JetStream, each with a deadline."""

    def __init__(self, js: JetStreamContext, timeout: float) -> None:
        self.js = js
        self.nc: NatsClient = js._nc  # nats-py keeps the connection there; we watch it
        self.timeout = timeout

    async def io(self, make: Callable[[], Awaitable[_T]]) -> _T:
        """Run one request; :class:`SharedStateUnavailable` when NATS cannot answer."""
        if not self.nc.is_connected:
            raise SharedStateUnavailable("NATS injoignable")
        try:
            # asyncio.timeout, not wait_for: in 3.11 wait_for may swallow the caller's
            # own cancellation when the request completes at the same moment
            async with asyncio.timeout(self.timeout):
                return await make()
        except (KeyWrongLastSequenceError, KeyNotFoundError):
            raise
        except NATS_DOWN as exc:
            raise SharedStateUnavailable(
                f"NATS ne répond pas : {exc or type(exc).__name__}"
            ) from exc

    async def read(self, kv: KeyValue, key: str) -> tuple[int, dict[str, Any] | None]:
        """The entry's revision and JSON object; the object is None when absent.

        The revision of an absent key is 0, or its deletion's: a compare-and-set on
        it creates the key. An unreadable value (written by something else) reads as
        ``{"unreadable": true}``, with its revision, so it can be replaced.
        """
        try:
            entry = await self.io(lambda: kv.get(key))
        except KeyNotFoundError as exc:
            deleted = getattr(exc, "entry", None)
            return (getattr(deleted, "revision", None) or 0), None
        try:
            obj = json.loads(entry.value or b"null")
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            log.error("valeur illisible pour %s (révision %s) : remplacée", key, entry.revision)
            obj = {"unreadable": True}
        return entry.revision or 0, obj

    async def cas(self, kv: KeyValue, key: str, value: bytes, revision: int) -> int | None:
        """Write when the entry is still at ``revision`` (0: never written); None when
        it moved.

        Always an ``update`` with the expected last sequence: nats-py's ``create``
        reads the key back after a lost race and then fails with « not found » when
        that read comes too early (seen on a three-node cluster).
        """
        try:
            return await self.io(lambda: kv.update(key, value, last=revision))
        except KeyWrongLastSequenceError:
            return None

    async def publish(self, subject: str, stream: str, payload: bytes, msg_id: str) -> None:
        """Store ``payload`` once per ``msg_id`` (within the stream's duplicate window)."""
        await self.io(
            lambda: self.js.publish(
                subject, payload, stream=stream, headers={"Nats-Msg-Id": msg_id}
            )
        )

    async def last_seq(self, stream: str) -> tuple[int, int]:
        """The stream's last sequence and message count."""
        info = await self.io(lambda: self.js.stream_info(stream))
        return info.state.last_seq, info.state.messages

    async def bucket(self, name: str, ttl: float, replicas: int) -> KeyValue:
        """Create the bucket, or bind it as it is (made by another hub, or another version)."""
        try:
            config = api.KeyValueConfig(
                bucket=name,
                history=1,
                ttl=ttl,
                replicas=replicas,
                storage=api.StorageType.FILE,
                direct=False,  # reads from the stream leader: compare-and-set on fresh values
            )
            return await placed(lambda: self.js.create_key_value(config), name)
        except BadRequestError as exc:
            log.info("bucket %s existant gardé tel quel (%s)", name, exc.description)
            return await self.js.key_value(name)

    async def ensure_objects(
        self, replicas: int, claims_max_age: float, presence_max_age: float
    ) -> dict[str, KeyValue]:
        """Create (or bind) the three buckets and the two streams of the shared state."""
        kv = {
            CLAIMS_BUCKET: await self.bucket(CLAIMS_BUCKET, claims_max_age, replicas),
            UNITS_BUCKET: await self.bucket(UNITS_BUCKET, claims_max_age, replicas),
            PRESENCE_BUCKET: await self.bucket(PRESENCE_BUCKET, presence_max_age, replicas),
        }
        await self.stream(
            STATUS_STREAM, STATUS_SUBJECT, max_age=7 * DAY, dedup=DAY, replicas=replicas
        )
        await self.stream(
            ESCALATION_STREAM, ESCALATION_SUBJECT, max_age=DAY, dedup=3600.0, replicas=replicas
        )
        return kv

    async def stream(
        self, name: str, subject: str, *, max_age: float, dedup: float, replicas: int
    ) -> None:
        """Create the stream, or keep it as it is."""
        config = api.StreamConfig(
            name=name,
            subjects=[subject],
            storage=api.StorageType.FILE,
            num_replicas=replicas,
            max_age=max_age,
            duplicate_window=dedup,
        )
        try:
            await placed(lambda: self.js.add_stream(config), name)
        except BadRequestError as exc:
            log.info("flux %s existant gardé tel quel (%s)", name, exc.description)
            await self.js.stream_info(name)


def parse_or_none(parser: Callable[[dict[str, Any]], _T], obj: dict[str, Any]) -> _T | None:
    """The record of a stored value; None when unreadable (it will be replaced)."""
    if obj.get("unreadable"):
        return None
    try:
        return parser(obj)
    except ValidationError as exc:
        log.error("valeur partagée invalide (%s) : remplacée", exc.reason)
        return None
