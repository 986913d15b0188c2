"""The simulated gateway: a real websocket server speaking protocol v1.

Consoles connect on ``/`` (bearer token checked when one is set); tests and
tools drive the simulator on ``/control`` with JSON commands (emit, inject,
drop, freeze, stats, ids, updates). Unanswered messages are resent on every
(re)connection and after ``resend_after_s`` on a live one; ``status`` messages
are broadcast to every station as ``update``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import ssl
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from csu_console.sim.generator import AlertGenerator
from csu_console.sim.outbox import Outbox, Payload

log = logging.getLogger("csu.sim")


@dataclass(eq=False)
class _Peer:
    """One connected console."""

    ws: ServerConnection
    station: str
    queue: asyncio.Queue[int | None] = field(default_factory=asyncio.Queue)
    sent_at: dict[int, float] = field(default_factory=dict)


class Gateway:
    """Gateway side of protocol v1, with fault injection for tests."""

    def __init__(
        self,
        outbox: Outbox,
        generator: AlertGenerator | None,
        *,
        token: str | None = None,
        resend_after_s: float = 5.0,
        cap_ratio: float = 0.1,
    ) -> None:
        self.outbox = outbox
        self.generator = generator
        self.token = token
        self.resend_after_s = resend_after_s
        self.cap_ratio = cap_ratio
        self.peers: set[_Peer] = set()
        self.updates: list[dict[str, Any]] = []
        self.refused = 0
        self.hellos: list[dict[str, Any]] = []
        self._frozen = False
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._server: Server | None = None
        self._flusher: asyncio.Task[None] | None = None

    # -- server --------------------------------------------------------------

    async def start(self, host: str, port: int, ssl_context: ssl.SSLContext | None = None) -> int:
        """Listen; returns the actual port (``port=0`` picks a free one)."""
        self._server = await serve(
            self._handler,
            host,
            port,
            ssl=ssl_context,
            process_request=self._check_request,
            max_size=8 * 1024 * 1024,
            ping_interval=5,
            ping_timeout=10,
        )
        self._flusher = asyncio.get_running_loop().create_task(self._flush_answers())
        sock = next(iter(self._server.sockets))
        return int(sock.getsockname()[1])

    async def _flush_answers(self) -> None:
        while True:
            await asyncio.sleep(0.2)
            self.outbox.flush()

    async def stop(self) -> None:
        """Stop listening and close every connection."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        if self._flusher is not None:
            self._flusher.cancel()
        self.outbox.flush()

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path.startswith("/control"):
            return None
        expected = f"Bearer {self.token}"
        if self.token is not None and request.headers.get("Authorization") != expected:
            self.refused += 1
            log.warning("connexion refusée : jeton absent ou invalide")
            return connection.respond(HTTPStatus.UNAUTHORIZED, "jeton invalide\n")
        return None

    async def _handler(self, ws: ServerConnection) -> None:
        if ws.request is not None and ws.request.path.startswith("/control"):
            await self._control(ws)
            return
        try:
            async with asyncio.timeout(10):
                first = json.loads(await ws.recv())
        except (TimeoutError, ConnectionClosed, ValueError):
            await ws.close(1002, "hello attendu")
            return
        if not isinstance(first, dict) or first.get("type") != "hello":
            await ws.close(1002, "hello attendu")
            return
        self.hellos.append(first)
        station = str(first.get("station"))
        last_seq = first.get("last_seq")
        if station not in self.outbox.answers and isinstance(last_seq, int):
            self.outbox.skip_up_to(station, last_seq)
        peer = _Peer(ws, station)
        for seq in self.outbox.unanswered(station):
            peer.queue.put_nowait(seq)
        self.peers.add(peer)
        self._check_waiters()  # a wait may be about this station being connected
        log.info("station %s connectée (last_seq %s)", station, last_seq)
        sender = asyncio.create_task(self._sender(peer))
        resender = asyncio.create_task(self._resender(peer))
        try:
            async for text in ws:
                self._on_console_message(peer, text)
        except ConnectionClosed:
            pass
        finally:
            self.peers.discard(peer)
            sender.cancel()
            resender.cancel()
            log.info("station %s déconnectée", station)

    async def _sender(self, peer: _Peer) -> None:
        with contextlib.suppress(ConnectionClosed):
            while (seq := await peer.queue.get()) is not None:
                msg = self.outbox.messages.get(seq)
                if msg is None or seq in self.outbox.answers.get(peer.station, {}):
                    continue
                if msg.expect != "none":
                    peer.sent_at[seq] = time.monotonic()
                await peer.ws.send(msg.payload, text=msg.is_text)

    async def _resender(self, peer: _Peer) -> None:
        while True:
            await asyncio.sleep(self.resend_after_s / 2)
            now = time.monotonic()
            done = self.outbox.answers.get(peer.station, {})
            for seq, at in list(peer.sent_at.items()):
                if seq in done:
                    del peer.sent_at[seq]
                elif now - at > self.resend_after_s:
                    peer.sent_at[seq] = now
                    peer.queue.put_nowait(seq)

    def _on_console_message(self, peer: _Peer, text: str | bytes) -> None:
        try:
            msg = json.loads(text)
        except ValueError:
            log.warning("message illisible de %s", peer.station)
            return
        kind = msg.get("type")
        if kind in ("ack", "reject") and isinstance(msg.get("seq"), int):
            self.outbox.answer(peer.station, msg["seq"], kind)
            peer.sent_at.pop(msg["seq"], None)
            if self._waiters:
                self._check_waiters()
        elif kind == "status":
            update = dict(msg, type="update")
            self.updates.append(update)
            text_out = json.dumps(update, ensure_ascii=False)
            for other in list(self.peers):
                asyncio.get_running_loop().create_task(self._send_quiet(other.ws, text_out))

    @staticmethod
    async def _send_quiet(ws: ServerConnection, text: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(text)

    # -- offering messages ---------------------------------------------------

    def offer(self, payloads: list[Payload]) -> list[int]:
        """Persist then send to every connected station."""
        seqs = self.outbox.add(payloads)
        for peer in self.peers:
            for seq in seqs:
                peer.queue.put_nowait(seq)
        return seqs

    def emit(self, count: int, cap_ratio: float | None = None, duplicates: int = 0) -> list[int]:
        """Generate ``count`` alerts (some CAP); ``duplicates`` re-offer earlier ones
        under new seqs, as a gateway that lost track would."""
        if self.generator is None:
            raise RuntimeError("pas de générateur (site sans zones)")
        ratio = self.cap_ratio if cap_ratio is None else cap_ratio
        payloads: list[Payload] = []
        for _ in range(count):
            seq = self.outbox.next_seq + len(payloads)
            if self.generator.rng.random() < ratio:
                xml, source, ident = self.generator.cap()
                body = {"type": "cap", "seq": seq, "xml": xml}
                key = (source, ident)
            else:
                alert = self.generator.alert()
                body = {"type": "alert", "seq": seq, "alert": alert}
                key = (alert["source"], alert["id"])
            payloads.append((json.dumps(body, ensure_ascii=False).encode(), True, key, "ack"))
        valid: list[tuple[bytes, tuple[str, str] | None]] = []
        if duplicates:
            valid = [(m.payload, m.key) for m in self.outbox.messages.values() if m.key]
            valid += [(p[0], p[2]) for p in payloads]
        for _ in range(duplicates if valid else 0):
            payload, dup_key = self.generator.rng.choice(valid)
            body = json.loads(payload)
            body["seq"] = self.outbox.next_seq + len(payloads)
            payloads.append((json.dumps(body, ensure_ascii=False).encode(), True, dup_key, "ack"))
        return self.offer(payloads)

    def inject(self, frames: list[dict[str, Any]]) -> list[int]:
        """Offer hand-made frames. ``{"json": obj}`` gets its ``seq`` filled in and
        is tracked (a reject is expected and it is resent until answered);
        ``{"raw": str}`` and ``{"b64": str, "binary": bool}`` are sent once, untracked,
        since a frame the console cannot parse can only be answered with ``seq: null``."""
        payloads: list[Payload] = []
        for frame in frames:
            binary = bool(frame.get("binary", False))
            expect = "none"
            if "json" in frame:
                obj = dict(frame["json"])
                if obj.get("seq", "auto") == "auto":
                    obj["seq"] = self.outbox.next_seq + len(payloads)
                data = json.dumps(obj, ensure_ascii=False, allow_nan=True).encode()
                expect = str(frame.get("expect", "reject"))
            elif "b64" in frame:
                data = base64.b64decode(frame["b64"])
            else:
                data = str(frame["raw"]).encode("utf-8", "surrogatepass")
            payloads.append((data, not binary, None, expect))
        return self.offer(payloads)

    def acked_keys(self, station: str) -> list[list[str]]:
        """(source, id) of every valid alert the station acknowledged."""
        done = self.outbox.answers.get(station, {})
        keys = {
            m.key
            for seq, m in self.outbox.messages.items()
            if m.key is not None and done.get(seq) == "ack"
        }
        return [list(k) for k in sorted(keys)]

    def drop(self) -> int:
        """Cut every console connection without a closing handshake."""
        n = 0
        for peer in list(self.peers):
            peer.ws.transport.abort()
            n += 1
        return n

    def freeze(self, frozen: bool) -> None:
        """Stop reading sockets (no pongs, no acks): the console must see the link die."""
        self._frozen = frozen
        for peer in self.peers:
            if frozen:
                peer.ws.transport.pause_reading()
            else:
                peer.ws.transport.resume_reading()

    def stats(self) -> dict[str, Any]:
        """Counts per station, for tests and the operator of the simulator (O(1))."""
        stations: dict[str, Any] = {}
        for station in set(self.outbox.answers) | {p.station for p in self.peers}:
            counts = self.outbox.counts.get(station, Counter())
            stations[station] = {
                "acked": counts.get("ack", 0),
                "rejected": counts.get("reject", 0),
                "skipped": counts.get("skipped", 0),
                "unanswered": self.outbox.unanswered_count(station),
            }
        return {
            "next_seq": self.outbox.next_seq,
            "messages": len(self.outbox.messages),
            "valid": len(self.outbox.valid_keys),
            "tracked": self.outbox.tracked,
            "stations": stations,
            "connected": sorted(p.station for p in self.peers),
            "refused": self.refused,
            "updates": len(self.updates),
            "hellos": len(self.hellos),
        }

    async def wait_for(
        self,
        station: str,
        field: str,
        at_least: int | None = None,
        at_most: int | None = None,
        timeout: float = 60.0,
    ) -> dict[str, Any]:
        """Wait until a station's counter crosses a bound; returns the stats then."""

        def reached() -> bool:
            counts = self.outbox.counts.get(station)
            if counts is None and not any(p.station == station for p in self.peers):
                return False
            if field == "unanswered":
                value = self.outbox.unanswered_count(station)
            else:
                value = (counts or Counter())[{"acked": "ack", "rejected": "reject"}[field]]
            return (at_least is None or value >= at_least) and (at_most is None or value <= at_most)

        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiter = (reached, fut)
        self._waiters.append(waiter)
        self._check_waiters()
        try:
            async with asyncio.timeout(timeout):
                await fut
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
        return self.stats()

    def _check_waiters(self) -> None:
        for reached, fut in list(self._waiters):
            if not fut.done() and reached():
                fut.set_result(None)

    # -- control channel -----------------------------------------------------

    async def _control(self, ws: ServerConnection) -> None:
        commands: dict[str, Callable[[dict[str, Any]], Any]] = {
            "emit": lambda c: self.emit(
                int(c.get("count", 1)), c.get("cap_ratio"), int(c.get("duplicates", 0))
            ),
            "inject": lambda c: self.inject(list(c.get("frames", []))),
            "drop": lambda c: self.drop(),
            "freeze": lambda c: self.freeze(bool(c.get("on", True))),
            "stats": lambda c: self.stats(),
            "ids": lambda c: [list(k) for k in sorted(self.outbox.valid_keys)],
            "wait": lambda c: self.wait_for(
                str(c["station"]),
                str(c.get("field", "unanswered")),
                c.get("at_least"),
                c.get("at_most"),
                float(c.get("timeout", 60)),
            ),
            "acked_keys": lambda c: self.acked_keys(str(c["station"])),
            "updates": lambda c: self.updates,
            "hellos": lambda c: self.hellos,
        }
        with contextlib.suppress(ConnectionClosed):
            await self._control_loop(ws, commands)

    async def _control_loop(
        self, ws: ServerConnection, commands: dict[str, Callable[[dict[str, Any]], Any]]
    ) -> None:
        async for text in ws:
            try:
                cmd = json.loads(text)
                result = commands[cmd["cmd"]](cmd)
                if asyncio.iscoroutine(result):
                    result = await result
                reply: dict[str, Any] = {"ok": True, "result": result}
            except (KeyError, ValueError, TypeError, RuntimeError, TimeoutError) as exc:
                reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            await ws.send(json.dumps(reply, ensure_ascii=False))
