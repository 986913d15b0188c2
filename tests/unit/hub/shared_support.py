"""Helpers for the shared-state tests: a real nats-server, and "hubs" (each a
SharedState on its own NATS connection, with what its listener heard)."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import nats
import pytest
from nats.aio.client import Client as NatsClient

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.hub_protocol import (
    ClaimChanged,
    ClaimRecord,
    HubMessage,
    StatusRequest,
    UnitRecord,
    UnitRequest,
)
from csu_console.hub.nats_server import NatsServer
from csu_console.hub.shared import (
    STATUS_STREAM,
    SharedState,
    SharedStateUnavailable,
)

T0 = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)


def nats_server_fixture() -> Any:
    """A module-scoped fixture: one nats-server for the test module."""

    @pytest.fixture(scope="module")
    def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
        server = NatsServer(tmp_path_factory.mktemp("nats"))
        server.start()
        yield server
        server.stop()

    return nats_server


@dataclass
class Hub:
    """One hub: its own NATS connection, its SharedState, what its listener heard."""

    nc: NatsClient
    state: SharedState
    heard: list[HubMessage] = field(default_factory=list)

    def claims(self, alert_id: str) -> list[ClaimRecord]:
        return [
            m.claim for m in self.heard if isinstance(m, ClaimChanged) and m.claim.id == alert_id
        ]


async def connect(url: str) -> NatsClient:
    return await nats.connect(
        url,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.1,
        connect_timeout=2,
        allow_reconnect=True,
    )


@asynccontextmanager
async def hubs(url: str, count: int = 2, **options: Any) -> AsyncIterator[list[Hub]]:
    made: list[Hub] = []
    try:
        for i in range(count):
            nc = await connect(url)
            state = SharedState(nc.jetstream(), f"hub-{'ab'[i]}", **options)
            hub = Hub(nc, state)
            state.listen(hub.heard.append)
            await state.start()
            made.append(hub)
        yield made
    finally:
        for hub in made:
            await hub.state.stop()
            await hub.nc.close()


async def until(predicate: Callable[[], object], timeout: float = 3.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"délai dépassé ({timeout} s) : {what}")
        await asyncio.sleep(0.005)


def run(coro: Awaitable[None]) -> None:
    asyncio.run(asyncio.wait_for(coro, 60))  # type: ignore[arg-type]


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def status(
    alert: str,
    state: AlertState,
    station: str,
    operator: str,
    *,
    kind: str | None = None,
    reason: str = "",
    expect: ClaimRecord | None = None,
    sid: str | None = None,
    at: datetime = T0,
) -> StatusRequest:
    return StatusRequest(
        sid=f"{station}:{new_id()}" if sid is None else sid,
        source="sim",
        id=alert,
        state=state,
        kind=kind or state.value,
        station=station,
        operator=operator,
        at=at,
        reason=reason,
        expect=expect,
    )


def engage(
    unit: str, alert: str, station: str, operator: str, confirm: bool = False
) -> UnitRequest:
    uid = f"{station}:{new_id()}"
    record = UnitRecord(
        unit, UnitStatus.EN_INTERVENTION, station, operator, T0, ("sim", alert), Stage.DISPATCHED
    )
    return UnitRequest(uid, record, confirm)


async def published_for(nc: NatsClient, alert: str) -> list[tuple[str, dict[str, Any]]]:
    """(Nats-Msg-Id, payload) of every CSU_STATUS message about this alert, in order."""
    js = nc.jetstream()
    sub = await js.subscribe("csu.status", stream=STATUS_STREAM, ordered_consumer=True)
    found: list[tuple[str, dict[str, Any]]] = []
    info = await js.stream_info(STATUS_STREAM)
    for _ in range(info.state.messages):
        msg = await sub.next_msg(timeout=2)
        payload = json.loads(msg.data)
        if payload["id"] == alert:
            found.append(((msg.headers or {}).get("Nats-Msg-Id", ""), payload))
    await sub.unsubscribe()
    return found


async def status_messages(nc: NatsClient, sid: str) -> list[dict[str, Any]]:
    """Every message of CSU_STATUS with this Nats-Msg-Id."""
    js = nc.jetstream()
    sub = await js.subscribe("csu.status", stream=STATUS_STREAM, ordered_consumer=True)
    found: list[dict[str, Any]] = []
    info = await js.stream_info(STATUS_STREAM)
    for _ in range(info.state.messages):
        msg = await sub.next_msg(timeout=2)
        if msg.headers and msg.headers.get("Nats-Msg-Id") == sid:
            found.append(json.loads(msg.data))
    await sub.unsubscribe()
    return found


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000


async def until_started(state: SharedState, timeout: float = 15.0) -> None:
    """Start, and write once, again while the new cluster still elects its stream
    leaders and spreads their subjects (« no responders » for a moment)."""
    t0 = time.monotonic()
    probe = status(new_id(), AlertState.ACKNOWLEDGED, "probe", "")
    while True:
        try:
            await state.start()
            await state.apply_status(probe)
            return
        except SharedStateUnavailable:
            if time.monotonic() - t0 > timeout:
                raise
            await asyncio.sleep(0.2)
