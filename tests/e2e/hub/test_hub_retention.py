"""The running hub enforces its retention on the citizen streams by itself: its
hourly task (here every 0.1 s, with a period of a few milliseconds) purges what
is older than ``citizen_days`` from ``CSU_ALERTS`` and ``CSU_REJECTED``, and from
``CSU_EVENTS`` (the stations' events: ``events_days``, by default ``citizen_days``)."""

from __future__ import annotations

import asyncio

import nats
import pytest
from conftest import HubFactory
from support import wait_until

from csu_console.hub import purge
from csu_console.hub.book import EVENTS_STREAM
from csu_console.hub.jetstream import ALERTS_STREAM, REJECTED_STREAM
from csu_console.hub.nats_server import NatsServer


@pytest.mark.expected_logs("csu.hub.nats")
def test_the_hub_purges_old_citizen_data_while_it_runs(
    make_hub: HubFactory,
    nats_server: NatsServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(purge, "PURGE_INTERVAL_S", 0.1)
    make_hub(citizen_days=0.05 / 86400)  # 50 ms

    async def publish() -> None:
        nc = await nats.connect(nats_server.url)
        try:
            js = nc.jetstream()
            await js.publish("csu.alerts.amont0", b"{}", headers={"Nats-Msg-Id": "x-1"})
            await js.publish("csu.rejected.amont0", b"trame refusee")
            await js.publish("csu.events.poste-1", b"{}", headers={"Nats-Msg-Id": "poste-1:1"})
        finally:
            await nc.close()

    async def counts() -> tuple[int, int, int]:
        nc = await nats.connect(nats_server.url)
        try:
            js = nc.jetstream()
            alerts = (await js.stream_info(ALERTS_STREAM)).state.messages
            rejected = (await js.stream_info(REJECTED_STREAM)).state.messages
            events = (await js.stream_info(EVENTS_STREAM)).state.messages
            return alerts, rejected, events
        finally:
            await nc.close()

    asyncio.run(publish())
    wait_until(lambda: asyncio.run(counts()) == (0, 0, 0), 15, "flux purgés par le hub")
    assert any("messages de CSU_ALERTS" in r.getMessage() for r in caplog.records)
    assert any("1 messages de CSU_EVENTS" in r.getMessage() for r in caplog.records)
