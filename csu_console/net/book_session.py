"""The station's side of the book extension (``docs/protocol.md`` § 10) on a hub connection.

While linked to a hub that speaks ``book``:

- every :data:`HEAD_EVERY_S` seconds (when the chain moved) and at each shift
  closing, the chain head is signed with the station's key
  (:mod:`csu_console.storage.station_key`) and sent as ``head``, until the hub
  answers ``head_result``;
- its own events go as ``events`` in order from the cursor
  (:mod:`csu_console.storage.book_sync`), one batch at a time, resent until the
  hub's ``events_result`` moves the cursor;
- ``witness`` heads (any station's, checked against their signature, and this
  station's against its own key) go to ``witness_heads``; ``peer_events`` to
  ``peer_events``, chains checked; both are acknowledged (``book_ack``) once
  committed, so the hub's consumer redelivers what a crash lost.

Runs on the link's asyncio thread; database work in the storage thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import math
import os
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Protocol, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from csu_console.core import book_protocol as bp
from csu_console.core.witness import head_problem, make_head, public_key_b64
from csu_console.errors import CsuError, ValidationError
from csu_console.storage import book_sync
from csu_console.storage.station_key import ensure_key
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

log = logging.getLogger("csu.net")

#: A minute head at most this often (``CSU_HEAD_EVERY_S`` overrides it: tests, demo).
HEAD_EVERY_S = 60.0
#: New own events are looked for this often (the console's process writes most).
POLL_S = 1.0
#: An answer (``head_result``, ``events_result``) is awaited this long, then resent.
ANSWER_WAIT_S = 10.0

T = TypeVar("T")


class _Socket(Protocol):
    async def send(self, message: str) -> None: ...


class StationBook:
    """Heads, own events out, witnessed heads and peer events in (see the module doc)."""

    def __init__(self, writer: StorageWriter, station: str) -> None:
        self._writer = writer
        self.station = station
        self.head_every_s = _env_float("CSU_HEAD_EVERY_S", HEAD_EVERY_S)
        self._key: Ed25519PrivateKey | None = None
        self.public_key = ""
        try:
            self._key, _created = ensure_key(writer.path.parent)
            self.public_key = public_key_b64(self._key)
        except CsuError as exc:
            log.error("témoins de la main courante désactivés : %s", exc)
        self._ws: _Socket | None = None
        self._head_wait: dict[tuple[int, str], asyncio.Future[bp.HeadResult]] = {}
        self._events_wait: asyncio.Future[bp.EventsResult] | None = None
        self._loop_ref: asyncio.AbstractEventLoop | None = None
        self._last_head_at = -math.inf
        self._last_head_seq: int | None = None
        self.sent_events = 0
        self.peer_stored = 0

    # -- storage ---------------------------------------------------------------------

    async def _db(self, fn: Callable[[Store], T]) -> T:
        fut: Future[T] = self._writer.submit(fn)
        return await asyncio.wrap_future(fut)

    # -- one connection ------------------------------------------------------------------

    async def run(self, ws: _Socket) -> None:
        """Until cancelled (the connection ended): heads and own events out."""
        self._ws = ws
        self._loop_ref = asyncio.get_running_loop()
        self._last_head_at = -math.inf  # a head at once on every connection
        try:
            while True:
                try:
                    moved = await self._turn(ws)
                except CsuError as exc:  # the database is busy or full: later
                    log.warning("main courante partagée : %s", exc)
                    moved = False
                if not moved:
                    await asyncio.sleep(POLL_S)
        finally:
            self._ws = None
            for fut in self._head_wait.values():
                fut.cancel()
            self._head_wait.clear()
            if self._events_wait is not None:
                self._events_wait.cancel()
                self._events_wait = None

    async def _turn(self, ws: _Socket) -> bool:
        """Heads due, then one batch of events; True when events moved."""
        if self._key is not None:
            for seq, h in await self._db(lambda s: book_sync.pending_shift_heads(s.conn)):
                if await self._send_head(ws, seq, h, "shift_close") is not None:
                    await self._db(functools.partial(_shift_done, seq=seq))
            if time.monotonic() - self._last_head_at >= self.head_every_s:
                head = await self._db(lambda s: book_sync.head_now(s.conn))
                if head is None:
                    pass  # an empty book: a head as soon as it has an event
                elif head[0] == self._last_head_seq:
                    self._last_head_at = time.monotonic()
                elif (result := await self._send_head(ws, *head, "minute")) is not None:
                    self._last_head_at = time.monotonic()
                    if result.applied:
                        self._last_head_seq = head[0]
        return await self._push_events(ws)

    async def _send_head(
        self, ws: _Socket, seq: int, chain_hash: str, reason: str
    ) -> bp.HeadResult | None:
        """Sign and send a head; the hub's answer (None: none in time)."""
        assert self._key is not None
        head = make_head(self._key, self.station, seq, chain_hash, reason)
        fut: asyncio.Future[bp.HeadResult] = asyncio.get_running_loop().create_future()
        self._head_wait[(seq, reason)] = fut
        try:
            await ws.send(bp.HeadPublish(head).to_json())
            async with asyncio.timeout(ANSWER_WAIT_S):
                result = await fut
        except TimeoutError:
            log.info("témoin n° %d (%s) sans réponse du hub : renvoyé plus tard", seq, reason)
            return None
        finally:
            self._head_wait.pop((seq, reason), None)
        if result.applied:
            log.info("témoin de la main courante au n° %d (%s) gardé par le hub", seq, reason)
        else:
            log.error("témoin n° %d (%s) refusé par le hub : %s", seq, reason, result.message)
        return result

    async def _push_events(self, ws: _Socket) -> bool:
        """One batch of own events to the hub; True when the cursor moved."""
        station = self.station
        batch = await self._db(lambda s: book_sync.outgoing_events(s.conn, station, bp.MAX_EVENTS))
        if not batch:
            return False
        fut: asyncio.Future[bp.EventsResult] = asyncio.get_running_loop().create_future()
        self._events_wait = fut
        try:
            await ws.send(bp.EventsPublish(tuple(batch)).to_json())
            async with asyncio.timeout(ANSWER_WAIT_S):
                result = await fut
        except TimeoutError:
            log.info("événements n° %d à %d sans réponse du hub : renvoyés", batch[0].seq,
                     batch[-1].seq)  # fmt: skip
            return False
        finally:
            self._events_wait = None
        if not result.applied:
            log.error("événements refusés par le hub : %s", result.message)
            await asyncio.sleep(ANSWER_WAIT_S)
            return False
        await self._db(lambda s: book_sync.advance_cursor(s.conn, result.last))
        self.sent_events += len(batch)
        log.debug("événements jusqu'au n° %d gardés par le hub", result.last)
        return True

    # -- hub messages (link thread) ---------------------------------------------------------

    def on_frame(self, obj: dict[str, Any]) -> None:
        """A book message from the hub."""
        try:
            message = bp.parse_hub_message(obj)
        except ValidationError as exc:
            log.warning("message « %s » du hub ignoré : %s", obj.get("type"), exc.reason)
            return
        if isinstance(message, bp.HeadResult):
            fut = self._head_wait.get((message.seq, message.reason))
            if fut is not None and not fut.done():
                fut.set_result(message)
        elif isinstance(message, bp.EventsResult):
            if self._events_wait is not None and not self._events_wait.done():
                self._events_wait.set_result(message)
        elif isinstance(message, bp.Witness):
            self._witness(message)
        else:
            self._peer_events(message)

    def _witness(self, message: bp.Witness) -> None:
        head = message.head
        expected = self.public_key if head.station == self.station and self.public_key else None
        problem = head_problem(head, expected)
        if problem is not None:
            log.error("témoin de %s au n° %d ignoré : %s", head.station, head.seq, problem)
            self._ack([message.ref])
            return
        fut = self._writer.submit(lambda s: book_sync.store_witness(s.conn, head))
        fut.add_done_callback(lambda f: self._stored(f, [message.ref], "témoin"))

    def _peer_events(self, message: bp.PeerEvents) -> None:
        own = self.station

        def store(s: Store) -> book_sync.PeerOutcome:
            return book_sync.store_peer_events(s.conn, message.events, own)

        fut = self._writer.submit(store)
        fut.add_done_callback(lambda f: self._stored(f, list(message.refs), "événements"))

    def _stored(self, fut: Future[Any], refs: list[str], what: str) -> None:
        """Storage thread: acknowledged once committed (else the hub sends it again)."""
        exc = fut.exception()
        if exc is not None:
            log.error("%s d'un autre poste non enregistré(s) : %s", what, exc)
            return
        result = fut.result()
        if isinstance(result, book_sync.PeerOutcome):
            self.peer_stored += result.stored
        self._ack(refs)

    def _ack(self, refs: list[str]) -> None:
        ws = self._ws
        if ws is None:
            return
        text = bp.BookAck(tuple(refs)).to_json()
        with contextlib.suppress(RuntimeError):  # the loop closed: stopping
            self._loop().call_soon_threadsafe(self._send_soon, ws, text)

    def _loop(self) -> asyncio.AbstractEventLoop:
        if self._loop_ref is None:
            raise RuntimeError("boucle absente")
        return self._loop_ref

    def _send_soon(self, ws: _Socket, text: str) -> None:
        async def send() -> None:
            with contextlib.suppress(Exception):
                await ws.send(text)

        task = asyncio.get_running_loop().create_task(send())
        task.add_done_callback(lambda t: None if t.cancelled() else t.exception())


def _shift_done(store: Store, seq: int) -> None:
    book_sync.shift_head_done(store.conn, seq)


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default
