"""The shared state when NATS fails: restarts, lost storage, a cluster node killed."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import nats
import pytest
from shared_support import (
    T0,
    Hub,
    hubs,
    new_id,
    run,
    status,
    until,
    until_started,
)

from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import (
    ClaimRecord,
    Escalation,
    PresenceReport,
)
from csu_console.hub.nats_server import NatsServer, cluster, start_cluster, stop_all
from csu_console.hub.shared import (
    SharedState,
    SharedStateUnavailable,
)


@pytest.mark.expected_logs("csu.hub.shared")
def test_nats_restart(tmp_path: Path) -> None:
    server = NatsServer(tmp_path / "nats")
    server.start()
    try:

        async def scenario() -> None:
            async with hubs(server.url, presence_refresh=0.2) as (a, b):
                alert, leaving, arriving = new_id(), f"p-{new_id()}", f"p-{new_id()}"
                await a.state.set_presence(leaving, PresenceReport("Roux", "operator"), online=True)
                await a.state.apply_status(status(alert, AlertState.ACKNOWLEDGED, "p1", "D"))
                await until(lambda: b.claims(alert), what="B entend avant la coupure")
                await asyncio.to_thread(server.kill)
                await until(lambda: not a.nc.is_connected, what="A voit NATS tomber")
                t0 = time.monotonic()
                with pytest.raises(SharedStateUnavailable):
                    await a.state.apply_status(status(alert, AlertState.DISPATCHED, "p1", "D"))
                with pytest.raises(SharedStateUnavailable):
                    await b.state.escalate(Escalation("e", "sim", alert, "p1", "D", T0))
                with pytest.raises(SharedStateUnavailable):
                    await b.state.snapshot()
                with pytest.raises(SharedStateUnavailable):
                    await SharedState(a.nc.jetstream(), "hub-c").start()
                # stations leaving and arriving while NATS is away: written once it is back
                with pytest.raises(SharedStateUnavailable):
                    await a.state.set_presence(leaving, None, online=False)
                with pytest.raises(SharedStateUnavailable):
                    await a.state.set_presence(
                        arriving, PresenceReport("Petit", "supervisor"), online=True
                    )
                assert time.monotonic() - t0 < 2.5
                await asyncio.to_thread(server.start)
                await until(
                    lambda: a.nc.is_connected and b.nc.is_connected, timeout=10, what="reconnexion"
                )
                # a change made after the restart, at A, reaches B's cache and listeners
                t1 = time.monotonic()
                while True:
                    try:
                        done = await a.state.apply_status(
                            status(alert, AlertState.DISPATCHED, "p1", "D")
                        )
                        break
                    except SharedStateUnavailable:
                        assert time.monotonic() - t1 < 10
                        await asyncio.sleep(0.1)
                assert done.applied
                await until(
                    lambda: b.state.claim_of(("sim", alert)) == done.claim,
                    timeout=5,
                    what="le cache de B converge",
                )
                assert [c.state for c in b.claims(alert)] == [
                    AlertState.ACKNOWLEDGED,
                    AlertState.DISPATCHED,
                ]

                def presence_at_b(station: str) -> tuple[bool, str] | None:
                    record = b.state.presence_of(station)
                    return None if record is None else (record.online, record.operator)

                await until(
                    lambda: (
                        presence_at_b(leaving) == (False, "Roux")
                        and presence_at_b(arriving) == (True, "Petit")
                    ),
                    timeout=5,
                    what="les présences dues écrites au retour de NATS",
                )

        run(scenario())
    finally:
        server.stop()


@pytest.mark.expected_logs("csu.hub.shared")
def test_nats_back_without_its_storage(tmp_path: Path) -> None:
    """The embedded NATS lost its folder: buckets made again, copies emptied, work goes on."""
    server = NatsServer(tmp_path / "nats")
    server.start()
    try:

        async def scenario() -> None:
            async with hubs(server.url) as (a, b):
                alert = new_id()
                await a.state.apply_status(status(alert, AlertState.ACKNOWLEDGED, "p1", "D"))
                await until(lambda: b.state.claim_of(("sim", alert)), what="B connaît la prise")
                await asyncio.to_thread(server.kill)
                shutil.rmtree(tmp_path / "nats" / "jetstream")
                await asyncio.to_thread(server.start)
                await until(
                    lambda: b.state.claim_of(("sim", alert)) is None,
                    timeout=10,
                    what="B oublie ce que NATS a perdu",
                )
                t0 = time.monotonic()
                while True:
                    try:
                        done = await a.state.apply_status(
                            status(alert, AlertState.DISPATCHED, "p2", "M")
                        )
                        break
                    except SharedStateUnavailable:
                        assert time.monotonic() - t0 < 10
                        await asyncio.sleep(0.1)
                assert done.applied
                await until(
                    lambda: b.state.claim_of(("sim", alert)) == done.claim,
                    timeout=5,
                    what="B suit le nouveau bucket",
                )

        run(scenario())
    finally:
        server.stop()


@pytest.mark.expected_logs("csu.hub.shared")
def test_three_node_cluster_with_a_node_killed(tmp_path: Path) -> None:
    """Replicated buckets (R3): the race holds, and one node killed loses nothing."""
    nodes = cluster(tmp_path)
    start_cluster(nodes)
    try:

        async def scenario() -> None:
            urls = [n.url for n in nodes]
            made: list[Hub] = []
            try:
                for i, first in enumerate((0, 1)):
                    # each hub lists every node, starting with its own
                    servers = urls[first:] + urls[:first]
                    nc = await nats.connect(
                        servers,
                        max_reconnect_attempts=-1,
                        reconnect_time_wait=0.1,
                        connect_timeout=2,
                        dont_randomize=True,
                    )
                    state = SharedState(nc.jetstream(), f"hub-{'ab'[i]}", replicas=3)
                    hub = Hub(nc, state)
                    state.listen(hub.heard.append)
                    await until_started(state)
                    made.append(hub)
                a, b = made
                claims: dict[str, ClaimRecord] = {}
                for _ in range(10):
                    alert = new_id()
                    ra, rb = await asyncio.gather(
                        a.state.apply_status(status(alert, AlertState.ACKNOWLEDGED, "p1", "D")),
                        b.state.apply_status(status(alert, AlertState.ACKNOWLEDGED, "p2", "M")),
                    )
                    assert ra.applied != rb.applied
                    winner = ra if ra.applied else rb
                    assert winner.claim is not None
                    claims[alert] = winner.claim
                await asyncio.to_thread(nodes[0].kill)  # hub A's node
                # hub A closes five alerts (its connection moves to another node), then
                # hub B the five others: each hub must hear the other's
                for alert, hub in zip(claims, [a] * 5 + [b] * 5, strict=True):
                    t0 = time.monotonic()
                    holder = claims[alert]
                    # sent again as is until answered, as a station does: a write whose
                    # answer was lost with the node is then « applied » once
                    req = status(alert, AlertState.CLOSED, holder.station, holder.operator)
                    while True:
                        try:
                            done = await hub.state.apply_status(req)
                            break
                        except SharedStateUnavailable:
                            assert time.monotonic() - t0 < 15, "le cluster ne répond plus"
                            await asyncio.sleep(0.2)
                    assert done.applied and done.claim is not None
                    claims[alert] = done.claim
                for alert, claim in claims.items():
                    await until(
                        lambda alert=alert, claim=claim: (
                            b.state.claim_of(("sim", alert)) == claim
                            and a.state.claim_of(("sim", alert)) == claim
                        ),
                        timeout=10,
                        what="les deux hubs d'accord après la perte d'un nœud",
                    )
            finally:
                for hub in made:
                    await hub.state.stop()
                    await hub.nc.close()

        run(scenario())
    finally:
        stop_all(nodes)
