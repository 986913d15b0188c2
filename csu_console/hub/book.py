"""The hub's side of the book extension (``docs/protocol.md`` § 10).

- ``head``: checked against the station's public key — ``[[station]] public_key``
  in ``hub.toml``, else the key pinned on first use in the ``csu_station_keys``
  bucket (logged as a warning); a head signed by another key, or badly signed,
  is refused and logged, never stored. Accepted heads go to ``CSU_HEADS``
  (``csu.heads.<station>``) and are relayed to every station (``witness``),
  through a durable consumer per station (``witness-<station>``).
- ``events``: a station's own events, published to ``CSU_EVENTS``
  (``csu.events.<station>``, ``Nats-Msg-Id`` ``<station>:<seq>``: resends are
  deduplicated) and answered once JetStream stored them. Every station gets the
  *other* stations' events (``peer_events``) through its durable consumer
  ``book-<station>``, acknowledged when the station committed them.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Sequence
from typing import Any, Protocol

import nats.errors
import nats.js.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext, api

from csu_console.core import book_protocol as bp
from csu_console.core.book_wire import (
    ChainHead,
    EventRecord,
    WireError,
    parse_event,
    parse_head,
)
from csu_console.core.witness import head_problem
from csu_console.errors import ValidationError
from csu_console.hub.config import HubConfig
from csu_console.hub.consumers import fetch_batch, safe_token
from csu_console.hub.jetstream import Retention
from csu_console.hub.placement import placed

log = logging.getLogger("csu.hub.book")

EVENTS_STREAM = "CSU_EVENTS"
EVENTS_SUBJECT = "csu.events"
HEADS_STREAM = "CSU_HEADS"
HEADS_SUBJECT = "csu.heads"
KEYS_BUCKET = "csu_station_keys"
BOOK_ACK_WAIT_S = 30.0
BOOK_MAX_PENDING = 2000
FETCH_WAIT_S = 1.0
PUBLISH_TIMEOUT_S = 5.0


class BookSession(Protocol):
    """What the book needs of a connected station (``hub/stations.py``'s ``_Session``)."""

    station: str
    out: asyncio.Queue[str | None]
    ready: bool  # ``sync`` sent: the book's messages come after it


async def ensure_book_streams(js: JetStreamContext, retention: Retention, replicas: int) -> None:
    """``CSU_EVENTS``, ``CSU_HEADS`` and the pinned keys' bucket, created when missing."""
    # Reserved against NATS's file store next to the alerts' (max_gb): events are
    # small JSON (a tenth of it holds years of a CSU's book), heads smaller still.
    max_bytes = int(retention.max_gb * 1024**3)
    sizes = {EVENTS_STREAM: max(1, max_bytes // 10), HEADS_STREAM: max(1, max_bytes // 100)}
    for name, subject in ((EVENTS_STREAM, EVENTS_SUBJECT), (HEADS_STREAM, HEADS_SUBJECT)):
        config = api.StreamConfig(
            name=name,
            subjects=[f"{subject}.>"],
            storage=api.StorageType.FILE,
            retention=api.RetentionPolicy.LIMITS,
            max_age=retention.alerts_days * 86400.0,
            max_bytes=sizes[name],
            duplicate_window=retention.dedup_minutes * 60.0,
            num_replicas=replicas,
            discard=api.DiscardPolicy.OLD,
        )
        try:
            await placed(functools.partial(js.add_stream, config), name)
        except nats.js.errors.BadRequestError:
            current = await js.stream_info(name)
            replicas_now = max(current.config.num_replicas or 1, replicas)
            await js.update_stream(config.evolve(num_replicas=replicas_now))
    try:
        await js.key_value(KEYS_BUCKET)
    except nats.js.errors.BucketNotFoundError:
        config_kv = api.KeyValueConfig(bucket=KEYS_BUCKET, history=5, replicas=replicas)
        await placed(lambda: js.create_key_value(config_kv), KEYS_BUCKET)


def events_subject(station: str) -> str:
    return f"{EVENTS_SUBJECT}.{safe_token(station)}"


def heads_subject(station: str) -> str:
    return f"{HEADS_SUBJECT}.{safe_token(station)}"


class HubBook:
    """Heads and events of every station connected to this hub."""

    def __init__(self, config: HubConfig, js: JetStreamContext) -> None:
        self.config = config
        self._js = js
        self._pending: dict[int, dict[str, Msg]] = {}  # id(session) → ref → message
        self.heads_refused = 0

    # -- station → hub ----------------------------------------------------------------

    async def on_message(self, session: BookSession, obj: dict[str, Any]) -> None:
        """A ``head``, ``events`` or ``book_ack`` of ``session``'s station."""
        try:
            message = bp.parse_station_message(obj)
        except ValidationError as exc:
            log.warning("poste %s : message %s refusé : %s", session.station, obj.get("type"),
                        exc.reason)  # fmt: skip
            return
        if isinstance(message, bp.BookAck):
            await self._acked(session, message.refs)
        elif isinstance(message, bp.HeadPublish):
            applied, why = await self.accept_head(session.station, message.head)
            head = message.head
            result = bp.HeadResult(head.station, head.seq, head.reason, applied, why)
            session.out.put_nowait(result.to_json())
        else:
            stored = await self.publish_events(session.station, message.events)
            session.out.put_nowait(stored.to_json())

    async def accept_head(self, station: str, head: ChainHead) -> tuple[bool, str]:
        """Check and keep a head; (applied, reason of a refusal in French)."""
        if head.station != station:
            why = f"témoin au nom de « {head.station} »"
        else:
            account = self.config.station(station)
            expected = account.public_key if account is not None and account.public_key else None
            if expected is None:
                expected = await self._pinned(station, head.public_key)
            why = head_problem(head, expected) or ""
        if why:
            self.heads_refused += 1
            log.warning("poste %s : témoin n° %d refusé (%s), non gardé", station, head.seq, why)
            return False, why
        ack = await self._js.publish(
            heads_subject(station),
            head.to_json(),
            headers={"Nats-Msg-Id": f"{station}:{head.seq}:{head.reason}"},
            timeout=PUBLISH_TIMEOUT_S,
        )
        if not ack.duplicate:
            log.info("poste %s : témoin n° %d (%s) gardé", station, head.seq, head.reason)
        return True, ""

    async def _pinned(self, station: str, offered: str) -> str:
        """The key pinned for ``station`` (trust on first use: ``offered`` is pinned
        when none is, with a warning)."""
        kv = await self._js.key_value(KEYS_BUCKET)
        key = safe_token(station)
        for _ in range(3):
            try:
                entry = await kv.get(key)
                return (entry.value or b"").decode()
            except nats.js.errors.KeyNotFoundError:
                try:
                    await kv.create(key, offered.encode())
                except nats.js.errors.KeyWrongLastSequenceError:
                    continue  # another hub pinned one meanwhile: read it
                log.warning(
                    "poste %s : clé publique inconnue de hub.toml, retenue à la première "
                    "utilisation (%s) ; déclarez-la : [[station]] public_key",
                    station,
                    offered,
                )
                return offered
        return offered

    async def publish_events(self, station: str, events: Sequence[EventRecord]) -> bp.EventsResult:
        """Store a station's events in ``CSU_EVENTS`` (deduplicated by station and seq)."""
        if not events:
            return bp.EventsResult(0, True)
        if any(e.station != station for e in events):
            log.warning("poste %s : événements au nom d'un autre poste refusés", station)
            return bp.EventsResult(0, False, "événements au nom d'un autre poste")
        subject = events_subject(station)
        try:
            acks = [
                await self._js.publish_async(
                    subject, e.to_json(), headers={"Nats-Msg-Id": e.msg_id()}
                )
                for e in events
            ]
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                await asyncio.gather(*acks)
        except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
            log.warning("poste %s : événements non enregistrés (%s), renvoyés par le poste",
                        station, exc)  # fmt: skip
            return bp.EventsResult(0, False, "JetStream indisponible")
        last = max(e.seq for e in events)
        log.debug("poste %s : événements jusqu'au n° %d enregistrés", station, last)
        return bp.EventsResult(last, True)

    async def _acked(self, session: BookSession, refs: Sequence[str]) -> None:
        pending = self._pending.get(id(session), {})
        for ref in refs:
            msg = pending.pop(ref, None)
            if msg is not None:
                with contextlib.suppress(nats.errors.Error):
                    await msg.ack()

    # -- hub → station ------------------------------------------------------------------

    async def feed(self, session: BookSession, nats_ok: asyncio.Event) -> None:
        """Until cancelled: witnessed heads and other stations' events to ``session``."""
        self._pending[id(session)] = {}
        try:
            while not session.ready:  # welcome and sync first (§ 9)
                await asyncio.sleep(0.05)
            await asyncio.gather(
                self._pull(session, nats_ok, HEADS_STREAM, HEADS_SUBJECT, "witness"),
                self._pull(session, nats_ok, EVENTS_STREAM, EVENTS_SUBJECT, "book"),
            )
        finally:
            pending = self._pending.pop(id(session), {})
            for msg in pending.values():  # given back: redelivered at once
                with contextlib.suppress(Exception):
                    await msg.nak()

    async def _pull(
        self, session: BookSession, nats_ok: asyncio.Event, stream: str, subject: str, prefix: str
    ) -> None:
        durable = f"{prefix}-{safe_token(session.station)}"
        while True:
            await nats_ok.wait()
            try:
                sub = await self._js.pull_subscribe(
                    f"{subject}.>",
                    durable=durable,
                    stream=stream,
                    config=api.ConsumerConfig(
                        ack_policy=api.AckPolicy.EXPLICIT,
                        ack_wait=BOOK_ACK_WAIT_S,
                        max_ack_pending=BOOK_MAX_PENDING,
                        max_deliver=-1,
                        deliver_policy=api.DeliverPolicy.ALL,
                    ),
                )
                try:
                    while True:
                        msgs = await fetch_batch(sub, bp.MAX_EVENTS, FETCH_WAIT_S)
                        if msgs:  # else nothing new within FETCH_WAIT_S
                            await self._relay(session, stream, msgs)
                finally:
                    with contextlib.suppress(Exception):
                        await sub.unsubscribe()
            except asyncio.CancelledError:
                raise
            except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
                log.warning(
                    "poste %s : relais %s interrompu (%s %s)",
                    session.station, stream, type(exc).__name__, exc,
                )  # fmt: skip
                await asyncio.sleep(0.5)

    async def _relay(self, session: BookSession, stream: str, msgs: Sequence[Msg]) -> None:
        pending = self._pending.setdefault(id(session), {})
        pairs: list[tuple[str, EventRecord]] = []
        for msg in msgs:
            seq = msg.metadata.sequence.stream
            try:
                if stream == HEADS_STREAM:
                    head = parse_head(msg.data)
                    ref = f"h{seq}"
                    pending[ref] = msg
                    session.out.put_nowait(bp.Witness(ref, head).to_json())
                    continue
                record = parse_event(msg.data)
            except WireError as exc:
                log.error("%s n° %d illisible, écarté : %s", stream, seq, exc)
                await msg.ack()
                continue
            if record.station == session.station:
                await msg.ack()  # its own book: the station has the original
                continue
            ref = f"e{seq}"
            pending[ref] = msg
            pairs.append((ref, record))
        if pairs:
            session.out.put_nowait(bp.peer_events(pairs))


async def list_heads(
    js: JetStreamContext, station: str | None = None, limit: int = 1000
) -> list[ChainHead]:
    """The heads kept in ``CSU_HEADS`` (one station's or all), oldest first, for
    ``csu-hub heads``: read with an ephemeral ordered consumer."""
    subject = heads_subject(station) if station else f"{HEADS_SUBJECT}.>"
    try:
        info = await js.stream_info(HEADS_STREAM)
    except nats.js.errors.NotFoundError:
        return []
    if not info.state or not info.state.messages:
        return []
    sub = await js.subscribe(subject, stream=HEADS_STREAM, ordered_consumer=True)
    heads: list[ChainHead] = []
    try:
        while len(heads) < limit:
            try:
                msg = await sub.next_msg(timeout=1.0)
            except (nats.errors.TimeoutError, TimeoutError):
                break
            with contextlib.suppress(WireError):
                heads.append(parse_head(msg.data))
            if msg.metadata.num_pending == 0:
                break
    finally:
        await sub.unsubscribe()
    return heads
