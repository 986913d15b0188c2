"""The hub's hourly retention on a real nats-server: the citizen streams lose the
messages older than the period, the others stay; a missing stream is skipped."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nats
import pytest

from csu_console.hub.book import EVENTS_STREAM, ensure_book_streams
from csu_console.hub.jetstream import ALERTS_STREAM, REJECTED_STREAM, Retention, ensure_streams
from csu_console.hub.nats_server import NatsServer
from csu_console.hub.purge import enforce_retention, retention_loop
from csu_console.hub.tasks import end_tasks


@pytest.fixture
def server(tmp_path: Path) -> NatsServer:
    nats_server = NatsServer(tmp_path / "nats")
    nats_server.start()
    yield nats_server  # type: ignore[misc]
    nats_server.stop()


@pytest.mark.expected_logs("csu.hub.nats")
def test_old_citizen_messages_are_purged_and_logged(
    server: NatsServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> tuple[dict[str, int], list[int], int]:
        nc = await nats.connect(server.url)
        try:
            js = nc.jetstream()
            await ensure_streams(js, Retention(max_gb=0.01), 1)
            for n in range(5):
                await js.publish(f"csu.alerts.up.{n}", b"old", headers={"Nats-Msg-Id": f"o{n}"})
            await js.publish("csu.rejected.up", b"old frame")
            info = await js.stream_info(ALERTS_STREAM)
            last_old = await js.get_msg(ALERTS_STREAM, seq=info.state.last_seq)
            assert last_old.time is not None
            between = last_old.time + timedelta(milliseconds=1)
            while datetime.now(UTC) <= between:  # the server's clock must move on
                await asyncio.sleep(0.005)
            for n in range(3):
                await js.publish(f"csu.alerts.up.{n}", b"new", headers={"Nats-Msg-Id": f"n{n}"})
            # Seven days of citizen_days, "now" a week after the old ones.
            purged = await enforce_retention(js, 7, now=between + timedelta(days=7))
            seqs = []
            info = await js.stream_info(ALERTS_STREAM)
            for seq in range(info.state.first_seq, info.state.last_seq + 1):
                msg = await js.get_msg(ALERTS_STREAM, seq=seq)
                assert msg.data == b"new"
                seqs.append(seq)
            again = await enforce_retention(js, 7, now=between + timedelta(days=7))
            rejected = (await js.stream_info(REJECTED_STREAM)).state.messages
            assert again == {ALERTS_STREAM: 0, REJECTED_STREAM: 0}
            return purged, seqs, rejected
        finally:
            await nc.close()

    purged, seqs, rejected = asyncio.run(scenario())
    assert purged == {ALERTS_STREAM: 5, REJECTED_STREAM: 1}
    assert seqs == [6, 7, 8] and rejected == 0
    assert any("5 messages de CSU_ALERTS" in r.getMessage() for r in caplog.records)


@pytest.mark.expected_logs("csu.hub.nats")
def test_the_book_stream_is_purged_after_events_days(
    server: NatsServer, caplog: pytest.LogCaptureFixture
) -> None:
    """CSU_EVENTS (personal details in clear, with their salt) keeps a station's
    events no longer than events_days, whatever the citizen streams keep."""

    async def scenario() -> tuple[dict[str, int], list[bytes], int]:
        nc = await nats.connect(server.url)
        try:
            js = nc.jetstream()
            retention = Retention(max_gb=0.01)
            await ensure_streams(js, retention, 1)
            await ensure_book_streams(js, retention, 1)
            for n in range(1, 5):
                await js.publish("csu.events.poste-1", b"old", headers={"Nats-Msg-Id": f"p:{n}"})
            await js.publish("csu.alerts.up.1", b"alert", headers={"Nats-Msg-Id": "a1"})
            info = await js.stream_info(EVENTS_STREAM)
            last_old = await js.get_msg(EVENTS_STREAM, seq=info.state.last_seq)
            assert last_old.time is not None
            between = last_old.time + timedelta(milliseconds=1)
            while datetime.now(UTC) <= between:
                await asyncio.sleep(0.005)
            await js.publish("csu.events.poste-1", b"new", headers={"Nats-Msg-Id": "p:5"})
            # events_days 3, citizen streams 30: "now" is 3 days after the old ones.
            purged = await enforce_retention(js, 30, now=between + timedelta(days=3), events_days=3)
            info = await js.stream_info(EVENTS_STREAM)
            left = [
                (await js.get_msg(EVENTS_STREAM, seq=seq)).data
                for seq in range(info.state.first_seq, info.state.last_seq + 1)
            ]
            alerts = (await js.stream_info(ALERTS_STREAM)).state.messages
            return purged, left, alerts
        finally:
            await nc.close()

    purged, left, alerts = asyncio.run(scenario())
    assert purged == {ALERTS_STREAM: 0, REJECTED_STREAM: 0, EVENTS_STREAM: 4}
    assert left == [b"new"] and alerts == 1
    assert any("4 messages de CSU_EVENTS" in r.getMessage() for r in caplog.records)


def test_the_loop_runs_at_start_and_skips_missing_streams(server: NatsServer) -> None:
    async def scenario() -> int:
        nc = await nats.connect(server.url)
        try:
            js = nc.jetstream()
            await js.add_stream(name=ALERTS_STREAM, subjects=["csu.alerts.>"])  # no CSU_REJECTED
            await js.publish("csu.alerts.up.1", b"x")
            # A period of a millionth of a day: everything published is older at once.
            task = asyncio.create_task(retention_loop(js, 1e-6, interval_s=0.05))
            try:
                for _ in range(200):
                    if (await js.stream_info(ALERTS_STREAM)).state.messages == 0:
                        break
                    await asyncio.sleep(0.05)
            finally:
                await end_tasks(task)  # ended before the connection closes
            return (await js.stream_info(ALERTS_STREAM)).state.messages
        finally:
            await nc.close()

    assert asyncio.run(scenario()) == 0
