"""The stations' shared state in JetStream, with a real nats-server and two "hubs".

Every scenario runs two :class:`SharedState` objects on two separate NATS
connections, as two hub processes would. Each test uses its own alert ids, unit
names and station names, so they share one server per module.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client as NatsClient

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.hub_protocol import (
    ClaimChanged,
    ClaimRecord,
    Escalation,
    EscalationRaised,
    HubMessage,
    PresenceReport,
    StatusRequest,
    UnitChanged,
    UnitRecord,
    UnitRequest,
)
from csu_console.hub import presence
from csu_console.hub.nats_server import NatsServer, cluster, start_cluster, stop_all
from csu_console.hub.rules import claim_key, name_key
from csu_console.hub.shared import (
    CLAIMS_BUCKET,
    STATUS_STREAM,
    SharedState,
    SharedStateUnavailable,
)

T0 = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("nats"))
    server.start()
    yield server
    server.stop()


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


# -- claims ------------------------------------------------------------------------------


def test_claim_rules_across_two_hubs(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            alert = new_id()
            # allowed: a new alert, at hub A
            first = await a.state.apply_status(
                status(alert, AlertState.ACKNOWLEDGED, "p1", "Durand")
            )
            assert first.applied and first.claim is not None
            assert first.claim.station == "p1"
            # the OTHER hub hears it and caches it
            await until(lambda: b.claims(alert), what="hub B entend la prise en charge")
            assert b.state.claim_of(("sim", alert)) == first.claim
            # unchanged: same holder, same state
            again = await b.state.apply_status(
                status(alert, AlertState.ACKNOWLEDGED, "p1", "Durand")
            )
            assert again.applied and again.claim == first.claim
            # another station without takeover: refused, with the holder, in French
            refused = await b.state.apply_status(
                status(alert, AlertState.ACKNOWLEDGED, "p2", "Martin")
            )
            assert not refused.applied
            assert refused.claim == first.claim
            assert refused.message == (
                "Alerte prise en compte par p1 – Durand : indiquez le motif de la reprise."
            )
            # a takeover without a reason: refused
            no_reason = await b.state.apply_status(
                status(
                    alert,
                    AlertState.ACKNOWLEDGED,
                    "p2",
                    "Martin",
                    kind="taken_over",
                    reason="  ",
                    expect=first.claim,
                )
            )
            assert not no_reason.applied
            # with a reason but having seen another holder: refused
            stale_view = ClaimRecord("sim", alert, AlertState.ACKNOWLEDGED, "p3", "X", T0)
            mismatch = await b.state.apply_status(
                status(
                    alert,
                    AlertState.ACKNOWLEDGED,
                    "p2",
                    "Martin",
                    kind="taken_over",
                    reason="p1 absent",
                    expect=stale_view,
                )
            )
            assert not mismatch.applied
            assert "p1 – Durand" in mismatch.message
            # with a reason and the right holder: applied, stamped after the claim replaced
            taken = await b.state.apply_status(
                status(
                    alert,
                    AlertState.ACKNOWLEDGED,
                    "p2",
                    "Martin",
                    kind="taken_over",
                    reason="p1 absent",
                    expect=first.claim,
                    at=T0 - timedelta(seconds=5),
                )
            )
            assert taken.applied and taken.claim is not None
            assert (taken.claim.station, taken.claim.kind, taken.claim.reason) == (
                "p2",
                "taken_over",
                "p1 absent",
            )
            assert taken.claim.at > first.claim.at
            # dispatch by the holder, then backwards: refused
            sent = await b.state.apply_status(status(alert, AlertState.DISPATCHED, "p2", "Martin"))
            assert sent.applied
            back = await a.state.apply_status(
                status(alert, AlertState.ACKNOWLEDGED, "p2", "Martin")
            )
            assert not back.applied and "retour" in back.message
            # a second dispatch by another holder: refused outright, even with a reason
            second = await a.state.apply_status(
                status(
                    alert,
                    AlertState.DISPATCHED,
                    "p1",
                    "Durand",
                    kind="taken_over",
                    reason="moi",
                    expect=sent.claim,
                )
            )
            assert not second.applied and "pas de second engagement" in second.message
            closed = await a.state.apply_status(
                status(
                    alert,
                    AlertState.CLOSED,
                    "p1",
                    "Durand",
                    kind="taken_over",
                    reason="fin",
                    expect=sent.claim,
                )
            )
            assert closed.applied
            # reopen: without a reason refused, with one back to acknowledged
            bad_reopen = await b.state.apply_status(
                status(alert, AlertState.ACKNOWLEDGED, "p2", "Martin", kind="reopened")
            )
            assert not bad_reopen.applied
            reopened = await b.state.apply_status(
                status(
                    alert,
                    AlertState.ACKNOWLEDGED,
                    "p2",
                    "Martin",
                    kind="reopened",
                    reason="nouvel appel",
                )
            )
            assert reopened.applied and reopened.claim is not None
            assert reopened.claim.state is AlertState.ACKNOWLEDGED
            assert reopened.claim.kind == "reopened"
            # hub A heard every applied change, in order
            await until(lambda: len(a.claims(alert)) == 5, what="5 changements à A")
            assert [c.kind for c in a.claims(alert)] == [
                "acknowledged",
                "taken_over",
                "dispatched",
                "taken_over",
                "reopened",
            ]
            # CSU_STATUS: once per applied change, in order, nothing for the rest
            published = await published_for(a.nc, alert)
            assert [p for _, p in published] == [c.to_obj() for c in a.claims(alert)]
            assert [sid for sid, _ in published] == [c.sid for c in a.claims(alert)]

    run(scenario())


def test_resend_is_applied_once_and_published_once(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            alert = new_id()
            req = status(alert, AlertState.ACKNOWLEDGED, "p1", "Durand")
            first = await a.state.apply_status(req)
            # the station crashed before the answer: it resends to the other hub
            second = await b.state.apply_status(req)
            assert first.applied and second.applied
            assert second.claim == first.claim
            # and again after someone else moved the alert on: still « applied »
            await a.state.apply_status(status(alert, AlertState.DISPATCHED, "p1", "Durand"))
            third = await b.state.apply_status(req)
            assert third.applied and third.claim is not None
            assert third.claim.state is AlertState.DISPATCHED
            kv = await b.nc.jetstream().key_value(CLAIMS_BUCKET)
            entry = await kv.get(claim_key("sim", alert))
            assert json.loads(entry.value or b"")["applied"] == [req.sid, third.claim.sid]
            published = await status_messages(b.nc, req.sid)
            assert len(published) == 1
            assert published[0]["station"] == "p1" and published[0]["state"] == "acknowledged"

    run(scenario())


def test_v1_status(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            alert = new_id()
            v1 = status(alert, AlertState.ACKNOWLEDGED, "p1", "Durand", sid="")
            first = await a.state.apply_status(v1)
            assert first.applied and first.claim is not None
            assert first.claim.sid.startswith("v1:p1:")
            # the same v1 status again (the console's resend): the same claim
            assert (await b.state.apply_status(v1)).claim == first.claim
            # a v1 takeover (the v1 console asked the reason itself): applied
            take = status(alert, AlertState.ACKNOWLEDGED, "p2", "Martin", sid="", reason="absent")
            taken = await b.state.apply_status(take)
            assert taken.applied and taken.claim is not None
            assert taken.claim.kind == "taken_over"
            # never backwards
            await b.state.apply_status(status(alert, AlertState.CLOSED, "p2", "Martin", sid=""))
            back = await a.state.apply_status(
                status(alert, AlertState.DISPATCHED, "p1", "Durand", sid="")
            )
            assert not back.applied
            assert len(await status_messages(a.nc, first.claim.sid)) == 1

    run(scenario())


def test_claim_race_exactly_one_holder(nats_server: NatsServer) -> None:
    """Two stations press F2 on the same alert at the same moment, at two hubs, 50 times."""

    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            told: list[float] = []
            for _ in range(50):
                alert = new_id()

                async def press(hub: Hub, station: str, alert: str = alert) -> tuple[Any, float]:
                    t0 = time.perf_counter()
                    result = await hub.state.apply_status(
                        status(alert, AlertState.ACKNOWLEDGED, station, station.upper())
                    )
                    return result, time.perf_counter() - t0

                (ra, ta), (rb, tb) = await asyncio.gather(press(a, "p1"), press(b, "p2"))
                assert ra.applied != rb.applied, (ra, rb)
                winner, loser, lost_in = (ra, rb, tb) if ra.applied else (rb, ra, ta)
                assert loser.claim == winner.claim
                assert "indiquez le motif de la reprise" in loser.message
                told.append(lost_in)
                kv = await a.nc.jetstream().key_value(CLAIMS_BUCKET)
                entry = await kv.get(claim_key("sim", alert))
                assert json.loads(entry.value or b"")["station"] == winner.claim.station
                await until(
                    lambda alert=alert, w=winner: (
                        a.state.claim_of(("sim", alert)) == w.claim
                        and b.state.claim_of(("sim", alert)) == w.claim
                    ),
                    what="les deux hubs connaissent le gagnant",
                )
            p50, _ = _percentiles(told)
            print(f"\nclaim race, loser told: p50 {p50:.2f} ms, max {max(told) * 1000:.2f} ms")
            assert max(told) < 0.2, f"le perdant su en {max(told) * 1000:.1f} ms au pire"

    run(scenario())


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000


def test_cas_round_trip(
    nats_server: NatsServer, record_property: Callable[[str, object], None]
) -> None:
    """Figures for the report: a bare compare-and-set, and a whole apply_status
    (read + decide + compare-and-set + publish to CSU_STATUS), on loopback."""

    async def scenario() -> None:
        async with hubs(nats_server.url, count=1) as (a,):
            js = a.nc.jetstream()
            kv = await js.create_key_value(bucket="bench_cas", history=1)
            key = new_id()
            revision = await kv.create(key, b"{}")
            cas: list[float] = []
            for _ in range(300):
                t0 = time.perf_counter()
                revision = await kv.update(key, b"{}", last=revision)
                cas.append(time.perf_counter() - t0)
            applies: list[float] = []
            for _ in range(300):
                t0 = time.perf_counter()
                result = await a.state.apply_status(
                    status(new_id(), AlertState.ACKNOWLEDGED, "p1", "Durand")
                )
                applies.append(time.perf_counter() - t0)
                assert result.applied
            for name, times in (("cas", cas), ("apply_status", applies)):
                p50, p99 = _percentiles(times)
                record_property(f"{name}_p50_ms", round(p50, 2))
                record_property(f"{name}_p99_ms", round(p99, 2))
                print(f"\n{name}: p50 {p50:.2f} ms, p99 {p99:.2f} ms (n={len(times)})")
                assert p99 < 100
            await js.delete_key_value("bench_cas")

    run(scenario())


# -- units -------------------------------------------------------------------------------


def test_unit_rules(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            unit = f"PM-{new_id()}"
            first = await a.state.apply_unit(engage(unit, "A1", "p1", "Durand"))
            assert first.applied
            await until(lambda: b.state.unit_of(unit) == first.unit, what="B connaît l'unité")
            assert any(isinstance(m, UnitChanged) and m.unit == first.unit for m in b.heard)
            # engaged elsewhere: refused with the current record and a French message
            other = await b.state.apply_unit(engage(unit, "A2", "p2", "Martin"))
            assert not other.applied and other.unit == first.unit
            assert other.message == f"{unit} est déjà engagée par p1 – Durand (alerte A1)."
            # the same uid again (a resend): applied, nothing written
            req = engage(unit, "A2", "p2", "Martin", confirm=True)
            confirmed = await b.state.apply_unit(req)
            assert confirmed.applied and confirmed.unit is not None
            assert confirmed.unit.alert == ("sim", "A2")
            assert (await a.state.apply_unit(req)).unit == confirmed.unit
            # on site, then free again: every other change is applied
            assert confirmed.unit is not None
            on_site = UnitRequest(
                f"p2:{new_id()}",
                UnitRecord(
                    unit,
                    UnitStatus.EN_INTERVENTION,
                    "p2",
                    "Martin",
                    T0,
                    ("sim", "A2"),
                    Stage.ON_SITE,
                ),
            )
            assert (await a.state.apply_unit(on_site)).applied
            free = UnitRequest(
                f"p1:{new_id()}",
                UnitRecord(unit, UnitStatus.INDISPONIBLE, "p1", "Durand", T0, comment="panne"),
            )
            done = await a.state.apply_unit(free)
            assert done.applied and done.unit is not None and done.unit.at > confirmed.unit.at
            await until(lambda: b.state.unit_of(unit) == done.unit, what="B voit l'indisponibilité")

    run(scenario())


def test_unit_race(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            for _ in range(50):
                unit = f"PM-{new_id()}"
                ra, rb = await asyncio.gather(
                    a.state.apply_unit(engage(unit, "A1", "p1", "Durand")),
                    b.state.apply_unit(engage(unit, "A2", "p2", "Martin")),
                )
                assert ra.applied != rb.applied, (ra, rb)
                winner, loser = (ra, rb) if ra.applied else (rb, ra)
                assert loser.unit == winner.unit
                assert "est déjà engagée par" in loser.message

    run(scenario())


# -- presence ----------------------------------------------------------------------------


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


# -- escalation --------------------------------------------------------------------------


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


# -- snapshot ----------------------------------------------------------------------------


def test_snapshot_holds_every_hubs_changes(nats_server: NatsServer) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            alert, unit, station = new_id(), f"PM-{new_id()}", f"p-{new_id()}"
            claim = (
                await a.state.apply_status(status(alert, AlertState.DISPATCHED, "p1", "D"))
            ).claim
            engaged = (await a.state.apply_unit(engage(unit, alert, "p1", "D"))).unit
            await a.state.set_presence(station, PresenceReport("D", "operator"), online=True)
            snap = await b.state.snapshot()  # at the other hub, right away
            assert claim in snap.claims
            assert engaged in snap.units
            assert station in {p.station for p in snap.presence}
            assert all(c.state is not AlertState.NEW for c in snap.claims)
            assert claim is not None
            recent = await b.state.snapshot(claims_since=claim.at)
            assert claim in recent.claims
            assert all(c.at >= claim.at for c in recent.claims)
            later = await b.state.snapshot(claims_since=claim.at + timedelta(milliseconds=1))
            assert claim not in later.claims
        # a hub started afterwards loads the same state
        async with hubs(nats_server.url, count=1) as (c,):
            assert c.state.claim_of(("sim", alert)) == claim
            assert claim in (await c.state.snapshot()).claims

    run(scenario())


@pytest.mark.expected_logs("csu.hub.shared")
def test_listener_errors_are_logged_not_raised(
    nats_server: NatsServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):

            def broken(message: HubMessage) -> None:
                raise RuntimeError("écouteur cassé")

            b.state.listen(broken)
            alert = new_id()
            await a.state.apply_status(status(alert, AlertState.ACKNOWLEDGED, "p1", "D"))
            await until(lambda: b.claims(alert), what="B entend malgré l'écouteur cassé")
            second = new_id()
            await a.state.apply_status(status(second, AlertState.ACKNOWLEDGED, "p1", "D"))
            await until(lambda: b.claims(second), what="B entend toujours")

    run(scenario())
    assert any("écouteur" in r.getMessage() for r in caplog.records)


# -- NATS down and back ------------------------------------------------------------------


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


def test_changes_told_in_order_per_key(nats_server: NatsServer) -> None:
    """Both hubs move one alert and one unit in turn: every hub tells them in order."""

    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            alert, unit = new_id(), f"PM-{new_id()}"
            steps = [AlertState.ACKNOWLEDGED, AlertState.DISPATCHED, AlertState.CLOSED]
            for i, state in enumerate(steps):
                hub = (a, b)[i % 2]
                current = hub.state.claim_of(("sim", alert))
                result = await hub.state.apply_status(
                    status(
                        alert, state, f"p{i}", "X", kind="taken_over", reason="r", expect=current
                    )
                )
                assert result.applied, result
                engaged = await hub.state.apply_unit(engage(unit, f"A{i}", f"p{i}", "X", True))
                assert engaged.applied
            for hub in (a, b):
                await until(lambda hub=hub: len(hub.claims(alert)) == 3, what="3 changements")
                assert [c.state for c in hub.claims(alert)] == steps
                units = [
                    m.unit for m in hub.heard if isinstance(m, UnitChanged) and m.unit.unit == unit
                ]
                await until(
                    lambda hub=hub: (
                        len(
                            [
                                m
                                for m in hub.heard
                                if isinstance(m, UnitChanged) and m.unit.unit == unit
                            ]
                        )
                        == 3
                    ),
                    what="3 unités",
                )
                units = [
                    m.unit for m in hub.heard if isinstance(m, UnitChanged) and m.unit.unit == unit
                ]
                assert [u.alert for u in units] == [("sim", f"A{i}") for i in range(3)]

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


@pytest.mark.expected_logs("csu.hub.shared")
def test_damaged_values_are_logged_skipped_and_replaced(
    nats_server: NatsServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with hubs(nats_server.url) as (a, b):
            bad, after = new_id(), new_id()
            kv = await a.nc.jetstream().key_value(CLAIMS_BUCKET)
            await kv.put(claim_key("sim", bad), b"pas du json")
            # the feed skips it and goes on with the next change
            await a.state.apply_status(status(after, AlertState.ACKNOWLEDGED, "p1", "D"))
            await until(lambda: b.claims(after), what="B continue après la valeur abîmée")
            assert b.state.claim_of(("sim", bad)) is None
            # a station's status on that alert replaces the damaged value
            fixed = await b.state.apply_status(status(bad, AlertState.ACKNOWLEDGED, "p2", "M"))
            assert fixed.applied and fixed.claim is not None
            await until(
                lambda: a.state.claim_of(("sim", bad)) == fixed.claim, what="A voit la réparation"
            )

    run(scenario())
    messages = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("illisible" in m for m in messages), messages


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
