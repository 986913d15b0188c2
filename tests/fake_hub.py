"""A scripted stand-in for ``csu-hub``'s station side (``docs/protocol.md`` § 9).

The real hub is being written in parallel (``csu_console/hub``); these tests need a
peer that speaks § 9 exactly as scripted, on a real websocket server on 127.0.0.1,
so that the station's side can be tested on its own: ``welcome`` + ``sync`` on
``hello`` with features, alerts with or without their ``claim``, ``claim``
messages, ``status_result`` (applied, refused, or held back), ``unit_result``. It
decides nothing (no compare-and-set, no JetStream). The real-hub end-to-end tests
come with the merge.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from csu_console.core import hub_protocol as hp
from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import ClaimRecord

Json = dict[str, Any]


_places = iter(range(1, 1_000_000))


def alert_obj(alert_id: str, source: str = "plateforme-citoyenne") -> Json:
    """A valid alert object of protocol v1, 1 km from the previous one (never grouped)."""
    lat = 60.10 + 0.01 * next(_places)
    return {
        "id": alert_id,
        "source": source,
        "sent": "2026-12-04T14:03:12+01:00",
        "category": "cambriolage",
        "priority": 2,
        "title": f"Porte fracturée {alert_id}",
        "description": "Bruit de verre brisé.",
        "location": {"lat": lat, "lon": 24.95, "address": "1 rue de la Paix"},
        "commune": "Helsinki (démo)",
    }


def claim(
    alert_id: str,
    station: str = "poste-2",
    operator: str = "Martin",
    state: AlertState = AlertState.ACKNOWLEDGED,
    at: datetime | None = None,
    source: str = "plateforme-citoyenne",
) -> ClaimRecord:
    return ClaimRecord(
        source=source,
        id=alert_id,
        state=state,
        station=station,
        operator=operator,
        at=at or datetime.now(UTC),
        sid=f"{station}:x",
        kind=state.value,
    )


class FakeHub:
    """One scripted hub on a thread of its own.

    ``welcome``: answer a ``hello`` that has features (False: a plain v1 gateway).
    ``sync_claims``: the claims of the ``sync``. ``answer_status``: called with each
    status (a dict), returns the ``status_result`` text to send, or None to hold it.
    Everything received is kept in ``received``; ``sids`` counts each status sid.
    """

    def __init__(self, name: str = "hub-a", welcome: bool = True) -> None:
        self.name = name
        self.welcome = welcome
        self.sync_claims: list[ClaimRecord] = []
        self.features: list[str] | None = None  # None: every feature the station asks
        self.welcome_delay_s = 0.0  # a hub slow to welcome (NATS busy)
        self.answer_status: Callable[[Json], str | None] = lambda m: hp.status_result(
            m["sid"], True, None
        )
        self.received: list[Json] = []
        self.hellos: list[Json] = []
        self.sids: Counter[str] = Counter()
        self.acked: set[int] = set()
        self._conns: set[ServerConnection] = set()
        self._loop = asyncio.new_event_loop()
        self._server: Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self, port: int = 0) -> FakeHub:
        if not self._thread.is_alive():
            self._thread.start()
        self._server = self._run(self._serve(port))
        return self

    async def _serve(self, port: int) -> Server:
        server = await serve(self._handle, "127.0.0.1", port)
        self.port = next(iter(server.sockets)).getsockname()[1]
        return server

    def stop_serving(self) -> None:
        """The hub dies: every connection cut, nothing listens on the port."""
        server = self._server
        if server is not None:

            async def close() -> None:
                server.close()
                for conn in list(self._conns):
                    conn.transport.abort()
                await server.wait_closed()

            self._run(close())
            self._server = None

    def close(self) -> None:
        self.stop_serving()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def push(self, text: str) -> None:
        """Send a message to every connected station."""

        async def send() -> None:
            for conn in list(self._conns):
                with contextlib.suppress(ConnectionClosed):
                    await conn.send(text)

        self._run(send())

    def push_alert(self, seq: int, alert_id: str, with_claim: ClaimRecord | None = None) -> None:
        frame: Json = {"type": "alert", "seq": seq, "alert": alert_obj(alert_id)}
        if with_claim is not None:
            frame["claim"] = with_claim.to_obj()
        self.push(json.dumps(frame))

    @property
    def connections(self) -> int:
        return len(self._conns)

    def of_type(self, mtype: str) -> list[Json]:
        return [m for m in list(self.received) if m.get("type") == mtype]

    async def _handle(self, conn: ServerConnection) -> None:
        try:
            hello = json.loads(await conn.recv())
            self.hellos.append(hello)
            if self.welcome and hello.get("features"):
                if self.welcome_delay_s:
                    await asyncio.sleep(self.welcome_delay_s)
                features = [
                    f for f in hello["features"] if f in (self.features or hello["features"])
                ]
                await conn.send(hp.welcome(self.name, features))
                await conn.send(hp.sync(self.sync_claims, [], []))
            self._conns.add(conn)
            async for raw in conn:
                message = json.loads(raw)
                self.received.append(message)
                mtype = message.get("type")
                if mtype == "ack":
                    self.acked.add(message["seq"])
                elif mtype == "status" and self.welcome and "sid" in message:
                    if self.features is not None and "durable_status" not in self.features:
                        continue
                    self.sids[message["sid"]] += 1
                    answer = self.answer_status(message)
                    if answer is not None:
                        await conn.send(answer)
                elif mtype == "unit" and self.welcome:
                    record = hp.UnitRecord.from_obj(message["unit"])
                    await conn.send(hp.unit_result(message["uid"], True, record))
        except ConnectionClosed:
            pass
        finally:
            self._conns.discard(conn)
