"""The hub's streams, and the sink through which the upstream links commit to JetStream.

``CSU_ALERTS`` holds every valid alert frame received from upstream (without its
upstream ``seq``: a station gets the stream sequence instead), one per
(source, id) within the duplicate window (``Nats-Msg-Id``). ``CSU_REJECTED`` keeps
the frames refused, with the reason and the raw bytes. A CAP alert's message id is
its CAP triplet's (``hub/cap_seen.py``): the same document from a gateway, a
partner's POST or a feed is stored once. ``CSU_STATUS`` belongs to
the shared state (``hub/shared.py``); the intake relays it upstream.

The sink completes a link's future only once JetStream has acknowledged every
publish of the batch: the link acknowledges upstream after that, never before.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import json
import logging
import secrets
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import nats.errors
import nats.js.errors
from nats.js import JetStreamContext, api

from csu_console.core.intake import Outcome
from csu_console.core.protocol import AlertMessage, Rejection
from csu_console.errors import StorageError
from csu_console.hub.cap_seen import CapTriplet, SeenTriplets, ensure_seen_bucket
from csu_console.hub.placement import placed

log = logging.getLogger("csu.hub.nats")

ALERTS_STREAM = "CSU_ALERTS"
ALERTS_SUBJECT = "csu.alerts"  # csu.alerts.<upstream>
REJECTED_STREAM = "CSU_REJECTED"
REJECTED_SUBJECT = "csu.rejected"
STATUS_STREAM = "CSU_STATUS"
STATUS_SUBJECT = "csu.status"
INTAKE_BUCKET = "csu_intake"  # last_seq.<upstream>, and links.<hub>.<upstream> (TTL)
LINKS_TTL_S = 30.0
#: One header (every delivery parses every header, per station): where the frame
#: came from and the alert's key, « <upstream> <seq> <source> <id> » (percent-encoded).
H_ORIGIN = "Csu"
PUBLISH_TIMEOUT_S = 5.0


class JetStreamUnavailable(StorageError):
    """NATS or JetStream did not answer: nothing of the batch may be acknowledged."""


@dataclass(frozen=True)
class Retention:
    """How long and how much the alerts stream keeps; how long duplicates are caught."""

    alerts_days: float = 30.0
    max_gb: float = 10.0
    dedup_minutes: float = 10.0


def msg_id(source: str, alert_id: str) -> str:
    """``Nats-Msg-Id`` of an alert: a hash of (source, id), safe as a header value."""
    digest = hashlib.sha256(f"{source}\x00{alert_id}".encode()).hexdigest()
    return f"alert-{digest[:40]}"


def encode_origin(upstream: str, seq: int | None, key: tuple[str, str] | None = None) -> str:
    """The ``Csu`` header: upstream, upstream seq and (source, id), space-separated."""
    parts = [upstream, "-" if seq is None else str(seq)]
    if key is not None:
        parts += [quote(key[0], safe=""), quote(key[1], safe="")]
    return " ".join(parts)


def decode_key(origin: str | None) -> tuple[str, str] | None:
    """(source, id) from a ``Csu`` header, None when it has none."""
    parts = (origin or "").split(" ")
    if len(parts) != 4:
        return None
    return unquote(parts[2]), unquote(parts[3])


def frame_body(raw: bytes) -> bytes:
    """The upstream frame without its ``seq`` (and any ``claim``): compact JSON object
    text, to which each delivery prepends the stream sequence."""
    obj: dict[str, Any] = json.loads(raw)
    obj.pop("seq", None)
    obj.pop("claim", None)
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def station_frame(body: bytes, seq: int, claim_json: str | None = None) -> str:
    """The protocol-v1 frame a station receives: ``seq`` (and ``claim``) first."""
    head = f'{{"seq":{seq},' if claim_json is None else f'{{"seq":{seq},"claim":{claim_json},'
    return head + body[1:].decode("utf-8")


async def probe_replicas(js: JetStreamContext) -> int:
    """How many replicas the NATS we reach can give (3 on a cluster of 3 or more,
    1 on a single node): a throw-away stream is created with 3, then 2, then 1.
    (The client's list of discovered servers fills in over time: not a measure.)"""
    name = f"CSU_PROBE_{secrets.token_hex(6)}"  # one per hub start: hubs may start together
    for replicas in (3, 2):
        config = api.StreamConfig(
            name=name,
            subjects=[f"csu.probe.{name}"],
            storage=api.StorageType.MEMORY,
            num_replicas=replicas,
            max_msgs=1,
        )
        try:
            await js.add_stream(config)
        except nats.js.errors.APIError:
            continue
        with contextlib.suppress(nats.js.errors.APIError, nats.errors.Error):
            await js.delete_stream(name)
        return replicas
    return 1


async def ensure_streams(js: JetStreamContext, retention: Retention, replicas: int) -> None:
    """Create the alerts and rejected streams, or bring their limits up to date."""
    max_bytes = int(retention.max_gb * 1024**3)
    configs = [
        api.StreamConfig(
            name=ALERTS_STREAM,
            subjects=[f"{ALERTS_SUBJECT}.>"],
            storage=api.StorageType.FILE,
            retention=api.RetentionPolicy.LIMITS,
            max_age=retention.alerts_days * 86400.0,
            max_bytes=max_bytes,
            duplicate_window=retention.dedup_minutes * 60.0,
            num_replicas=replicas,
            discard=api.DiscardPolicy.OLD,
        ),
        api.StreamConfig(
            name=REJECTED_STREAM,
            subjects=[f"{REJECTED_SUBJECT}.>"],
            storage=api.StorageType.FILE,
            max_age=retention.alerts_days * 86400.0,
            max_bytes=max(1, max_bytes // 10),
            duplicate_window=retention.dedup_minutes * 60.0,
            num_replicas=replicas,
            discard=api.DiscardPolicy.OLD,
        ),
    ]
    for config in configs:
        try:
            await placed(functools.partial(js.add_stream, config), config.name or "")
        except nats.js.errors.BadRequestError:  # exists with other limits
            assert config.name is not None
            current = await js.stream_info(config.name)
            # Never fewer replicas than it has: a hub restarted while a cluster node
            # is down must not lower the stream's protection.
            replicas = max(current.config.num_replicas or 1, config.num_replicas or 1)
            await js.update_stream(config.evolve(num_replicas=replicas))
    try:
        await js.key_value(INTAKE_BUCKET)
    except nats.js.errors.BucketNotFoundError:
        intake = api.KeyValueConfig(bucket=INTAKE_BUCKET, history=1, replicas=replicas)
        await placed(lambda: js.create_key_value(intake), INTAKE_BUCKET)
    await ensure_seen_bucket(js, retention.alerts_days * 86400.0, replicas)


class JetStreamSink:
    """``BatchSink`` of one upstream link: publishes to JetStream on the hub's loop."""

    def __init__(self, js: JetStreamContext, loop: asyncio.AbstractEventLoop, upstream: str):
        self._js = js
        self._loop = loop
        self.upstream = upstream
        self._last_seq_key = f"last_seq.{upstream}"
        self._lock = asyncio.Lock()  # batches in order (the link's FIFO)
        #: Sources of the alerts this upstream sent (where their statuses go back).
        self.sources: set[str] = set()
        self._seq_wanted: int | None = None
        self._seq_task: asyncio.Task[None] | None = None
        self._seen = SeenTriplets(js)

    # -- BatchSink (any thread) ------------------------------------------------

    def last_seq(self) -> Future[int | None]:
        return asyncio.run_coroutine_threadsafe(self._read_last_seq(), self._loop)

    def commit(
        self, items: Sequence[AlertMessage | Rejection], station: str
    ) -> Future[list[Outcome]]:
        return asyncio.run_coroutine_threadsafe(self._commit(list(items)), self._loop)

    def barrier(self) -> Future[None]:
        return asyncio.run_coroutine_threadsafe(self._barrier(), self._loop)

    # -- hub loop ----------------------------------------------------------------

    async def _read_last_seq(self) -> int | None:
        """The highest upstream seq stored by any hub (None: unknown, or NATS down:
        the gateway then resends what this CSU has not acknowledged)."""
        try:
            kv = await self._js.key_value(INTAKE_BUCKET)
            entry = await kv.get(self._last_seq_key)
        except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
            log.info("dernier seq de %s inconnu (%s)", self.upstream, exc)
            return None
        try:
            return int(entry.value or b"")
        except ValueError:
            return None

    async def _barrier(self) -> None:
        async with self._lock:
            return

    async def _commit(self, items: list[AlertMessage | Rejection]) -> list[Outcome]:
        async with self._lock:
            try:
                outcomes = await self._publish_all(items)
            except (nats.errors.Error, nats.js.errors.Error, TimeoutError, OSError) as exc:
                raise JetStreamUnavailable(
                    f"JetStream n'a pas enregistré le lot ({type(exc).__name__} {exc})".strip()
                ) from exc
            seqs = [o.seq for o in outcomes if o.seq is not None]
            if seqs:
                self._note_last_seq(max(seqs))
            return outcomes

    def _note_last_seq(self, seq: int) -> None:
        """Record ``last_seq`` in the background: it is a hint for ``hello`` (the
        gateway's own record decides), so the acknowledgement does not wait for it."""
        self._seq_wanted = max(seq, self._seq_wanted or 0)
        if self._seq_task is None or self._seq_task.done():
            self._seq_task = asyncio.get_running_loop().create_task(self._write_last_seq())

    async def _write_last_seq(self) -> None:
        written = 0
        while self._seq_wanted is not None and self._seq_wanted > written:
            written = self._seq_wanted
            try:
                await self._advance_last_seq(written)
            except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
                log.info("dernier seq de %s non enregistré (%s)", self.upstream, exc)
                return

    async def _publish_all(self, items: list[AlertMessage | Rejection]) -> list[Outcome]:
        # A CAP message already stored through another channel (or days ago) is a
        # duplicate, answered as such without a second copy.
        triplets = {
            i: CapTriplet.of(item.alert)
            for i, item in enumerate(items)
            if isinstance(item, AlertMessage) and item.alert.fmt == "cap"
        }
        known = await self._seen.known(triplets.values())
        acks: list[asyncio.Future[api.PubAck] | None] = []
        for i, item in enumerate(items):
            if isinstance(item, AlertMessage):
                alert = item.alert
                self.sources.add(alert.source)
                triplet = triplets.get(i)
                if triplet is not None and triplet in known:
                    acks.append(None)
                    continue
                headers = {
                    "Nats-Msg-Id": msg_id(alert.source, alert.id)
                    if triplet is None
                    else triplet.msg_id,
                    H_ORIGIN: encode_origin(self.upstream, item.seq, alert.key),
                }
                subject = f"{ALERTS_SUBJECT}.{self.upstream}"
                payload = frame_body(item.raw)
            else:
                headers = {H_ORIGIN: encode_origin(self.upstream, item.seq)}
                payload = json.dumps(
                    {
                        "seq": item.seq,
                        "reason": item.reason,
                        "raw_b64": base64.b64encode(item.raw).decode("ascii"),
                        "raw_size": item.raw_size,
                        "is_text": item.is_text,
                    },
                    ensure_ascii=False,
                ).encode()
                subject = f"{REJECTED_SUBJECT}.{self.upstream}"
            acks.append(await self._js.publish_async(subject, payload, headers=headers))
        published = [a for a in acks if a is not None]
        async with asyncio.timeout(PUBLISH_TIMEOUT_S):
            done = iter(await asyncio.gather(*published))
        outcomes: list[Outcome] = []
        records = []
        for i, (item, fut) in enumerate(zip(items, acks, strict=True)):
            ack = next(done) if fut is not None else None
            if isinstance(item, AlertMessage):
                kind = "duplicate" if ack is None or ack.duplicate else "stored"
                outcomes.append(Outcome(item.seq, kind, alert_id=item.alert.id))
                if ack is not None and i in triplets:
                    records.append(self._seen.record(triplets[i], self.upstream, ack.seq))
            else:
                outcomes.append(Outcome(item.seq, "rejected", rejection=item))
        if records:
            await asyncio.gather(*records)
        return outcomes

    async def _advance_last_seq(self, seq: int) -> None:
        """Raise ``last_seq.<upstream>`` to ``seq`` (compare-and-set: two hubs race)."""
        kv = await self._js.key_value(INTAKE_BUCKET)
        for _ in range(5):
            try:
                entry = await kv.get(self._last_seq_key)
            except nats.js.errors.KeyNotFoundError:
                try:
                    await kv.create(self._last_seq_key, str(seq).encode())
                    return
                except nats.js.errors.KeyWrongLastSequenceError:
                    continue
            try:
                current = int(entry.value or b"0")
            except ValueError:
                current = 0
            if current >= seq:
                return
            try:
                await kv.update(self._last_seq_key, str(seq).encode(), last=entry.revision)
                return
            except nats.js.errors.KeyWrongLastSequenceError:
                continue
        log.info("dernier seq de %s non mis à jour (course entre hubs)", self.upstream)
