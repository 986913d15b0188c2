"""Helpers of the hub's end-to-end tests: a real hub on its own loop thread, stations
(real alert links on SQLite), raw websocket clients for the protocol checks."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from websockets.sync.client import ClientConnection, connect

from csu_console.hub.config import HubConfig, StationAccount, UpstreamConfig, token_hash
from csu_console.hub.server import HubServer

T = TypeVar("T")

TOKENS = {f"poste-{i}": f"jeton-secret-du-poste-{i}-0123456789" for i in range(1, 5)}


def hub_config(
    tmp_path: Path,
    hub_id: str,
    upstream_urls: list[str],
    *,
    ack_wait_s: float = 10.0,
    citizen_days: float = 30.0,
) -> HubConfig:
    return HubConfig(
        id=hub_id,
        csu="csu-test",
        host="127.0.0.1",
        port=0,
        data_dir=tmp_path / hub_id,
        ack_wait_s=ack_wait_s,
        citizen_days=citizen_days,
        max_gb=1.0,
        upstreams=tuple(UpstreamConfig(f"amont{i}", url) for i, url in enumerate(upstream_urls)),
        stations=tuple(StationAccount(s, s, token_hash(t)) for s, t in TOKENS.items()),
    )


class HubThread:
    """A real :class:`HubServer` running on an asyncio loop in a thread."""

    def __init__(self, config: HubConfig, nats_url: str) -> None:
        self.server = HubServer(config, (nats_url,))
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="hub-test", daemon=True)

    def start(self) -> HubThread:
        self._thread.start()
        try:
            self.call(self.server.start(), 30)
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.port}"

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        fut: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return fut.result(timeout)

    def stop(self) -> None:
        if self._thread.is_alive():
            self.call(self.server.stop(), 30)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
        if not self.loop.is_closed() and not self._thread.is_alive():
            self.loop.close()

    def health(self) -> tuple[bool, dict[str, Any]]:
        async def get() -> tuple[bool, dict[str, Any]]:
            return self.server.health()

        return self.call(get())


def raw_station(
    url: str,
    station: str,
    *,
    last_seq: int | None = None,
    features: list[str] | None = None,
    token: str | None = None,
) -> ClientConnection:
    ws = connect(
        url,
        additional_headers={"Authorization": f"Bearer {token or TOKENS[station]}"},
        open_timeout=5,
        legacy=True,
    )
    hello: dict[str, Any] = {
        "type": "hello",
        "protocol": 1,
        "station": station,
        "last_seq": last_seq,
    }
    if features is not None:
        hello["features"] = features
    ws.send(json.dumps(hello))
    return ws


def recv_json(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads(ws.recv(timeout))
    return obj


def recv_until(
    ws: ClientConnection, pred: Callable[[dict[str, Any]], bool], timeout: float = 5.0
) -> list[dict[str, Any]]:
    """Every message received up to and including the first matching ``pred``."""
    import time

    deadline = time.monotonic() + timeout
    got: list[dict[str, Any]] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"rien d'attendu après {len(got)} messages : {got[-3:]}")
        msg = recv_json(ws, left)
        got.append(msg)
        if pred(msg):
            return got
