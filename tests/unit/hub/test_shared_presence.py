"""Presence and escalations shared in JetStream, with a real nats-server and two hubs."""

from __future__ import annotations

import time
from dataclasses import replace

from shared_support import (
    T0,
    Hub,
    hubs,
    nats_server_fixture,
    new_id,
    run,
    until,
)

from csu_console.core.hub_protocol import (
    Escalation,
    EscalationRaised,
    PresenceReport,
)
from csu_console.hub import presence
from csu_console.hub.nats_server import NatsServer
from csu_console.hub.rules import name_key

nats_server = nats_server_fixture()


def test_presence_online_offline_and_dead_hub(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url, presence_refresh=0.2, presence_stale=0.8) as (a, b):
            station, lonely = f"p-{new_id()}", f"p-{new_id()}"
            await a.state.set_presence(
                station, PresenceReport("Durand", "supervisor", ("sim", "A1")), online=True
            )
            await until(lambda: b.state.presence_of(station) is not None, what="B voit p")
            seen = b.state.presence_of(station)
            assert seen is not None and seen.online and seen.hub == "hub-a"
            assert seen.viewing == ("sim", "A1") and seen.role == "supervisor"
            # A keeps it alive: B hears the rewrites (newer revisions) but tells nothing
            heard_before = len(b.heard)
            kv = await b.nc.jetstream().key_value("csu_presence")
            first = (await kv.get(name_key(station))).revision or 0
            await until(
                lambda: b.state._mirror.presence[station].revision > first + 2,
                what="trois rafraîchissements entendus par B",
            )
            assert b.state.presence_of(station) == seen
            assert len(b.heard) == heard_before
            # disconnect: offline, operator kept as « last seen »
            await a.state.set_presence(station, None, online=False)
            await until(
                lambda: not (b.state.presence_of(station) or seen).online, what="B voit hors ligne"
            )
            gone = b.state.presence_of(station)
            assert gone is not None and gone.operator == "Durand"
            # a station whose hub dies: set offline by the hub still alive
            await a.state.set_presence(lonely, PresenceReport("Roux", "operator"), online=True)
            await until(lambda: b.state.presence_of(lonely) is not None, what="B voit lonely")
            await a.state.stop(offline=False)  # hub A dies: nobody refreshes lonely any more
            t0 = time.monotonic()
            await until(
                lambda: not (b.state.presence_of(lonely) or seen).online,
                timeout=3,
                what="lonely hors ligne",
            )
            assert time.monotonic() - t0 < 2.5
            snap = await b.state.snapshot()
            assert {
                p.station: p.online for p in snap.presence if p.station in (station, lonely)
            } == {
                station: False,
                lonely: False,
            }

    run(scenario())


def test_offline_from_old_hub_does_not_hide_a_move(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            station = f"p-{new_id()}"
            await a.state.set_presence(station, PresenceReport("Durand", "operator"), online=True)
            # the station moved to hub B before hub A noticed its connection ended
            await b.state.set_presence(station, PresenceReport("Durand", "operator"), online=True)
            await a.state.set_presence(station, None, online=False)
            await until(
                lambda: (
                    (a.state.presence_of(station) or None) is not None
                    and a.state.presence_of(station).hub == "hub-b"
                ),  # type: ignore[union-attr]
                what="A voit le poste chez B",
            )
            now = a.state.presence_of(station)
            assert now is not None and now.online

    run(scenario())


def test_a_hub_stopping_sets_its_stations_offline(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            station = f"p-{new_id()}"
            await a.state.set_presence(station, PresenceReport("Durand", "operator"), online=True)
            await until(lambda: b.state.presence_of(station) is not None, what="B voit le poste")
            await a.state.stop()
            gone = b.state.presence_of(station)
            await until(
                lambda: not (b.state.presence_of(station) or gone).online,  # type: ignore[union-attr]
                what="hors ligne dès l'arrêt",
            )

    run(scenario())


def test_a_station_set_offline_while_its_hub_was_cut_off_comes_back(
    nats_server: NatsServer,
) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url, presence_refresh=3600) as (a, b):
            station = f"p-{new_id()}"
            await a.state.set_presence(station, PresenceReport("Durand", "operator"), online=True)
            await until(lambda: b.state.presence_of(station) is not None, what="B voit le poste")
            # hub B took hub A for dead (A could not reach NATS) and wrote it offline
            record = b.state.presence_of(station)
            assert record is not None
            kv = await b.nc.jetstream().key_value("csu_presence")
            await kv.put(name_key(station), presence.dump(replace(record, online=False)))
            await until(
                lambda: not (a.state.presence_of(station) or record).online, what="A le voit parti"
            )
            await a.state.refresh()  # A still serves it: online again, at A
            await until(
                lambda: (b.state.presence_of(station) or replace(record, online=False)).online,
                what="B le revoit en ligne",
            )
            back = b.state.presence_of(station)
            assert back is not None and back.hub == "hub-a" and back.operator == "Durand"

    run(scenario())


def test_escalation_once_per_eid_at_every_hub(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            e = Escalation(f"p1:{new_id()}", "sim", "A1", "p1", "Durand", T0, "urgent")
            await a.state.escalate(e)
            await b.state.escalate(e)  # a resend through the other hub
            other = Escalation(f"p2:{new_id()}", "sim", "A2", "p2", "Martin", T0)
            await b.state.escalate(other)

            def raised(hub: Hub) -> list[Escalation]:
                return [m.escalation for m in hub.heard if isinstance(m, EscalationRaised)]

            # the stream keeps order: a duplicate would be told before ``other``
            await until(
                lambda: other in raised(a) and other in raised(b), what="la seconde escalade"
            )
            assert raised(a) == [e, other]
            assert raised(b) == [e, other]
        # a hub started later does not replay history
        async with hubs(nats_server.url, count=1) as (c,):
            assert not [m for m in c.heard if isinstance(m, EscalationRaised)]

    run(scenario())
