"""Claims and units shared in JetStream, with a real nats-server and two "hubs".

Every scenario runs two :class:`SharedState` objects on two separate NATS
connections, as two hub processes would. Each test uses its own alert ids and unit
names, so they share one server per module.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from shared_support import (
    T0,
    Hub,
    engage,
    hubs,
    nats_server_fixture,
    new_id,
    percentiles,
    published_for,
    run,
    status,
    status_messages,
    until,
)

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.hub_protocol import (
    ClaimRecord,
    HubMessage,
    PresenceReport,
    UnitChanged,
    UnitRecord,
    UnitRequest,
)
from csu_console.hub.nats_server import NatsServer
from csu_console.hub.rules import claim_key
from csu_console.hub.shared import (
    CLAIMS_BUCKET,
)

nats_server = nats_server_fixture()


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
            p50, _ = percentiles(told)
            print(f"\nclaim race, loser told: p50 {p50:.2f} ms, max {max(told) * 1000:.2f} ms")
            assert max(told) < 0.2, f"le perdant su en {max(told) * 1000:.1f} ms au pire"

    run(scenario())


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
                p50, p99 = percentiles(times)
                record_property(f"{name}_p50_ms", round(p50, 2))
                record_property(f"{name}_p99_ms", round(p99, 2))
                print(f"\n{name}: p50 {p50:.2f} ms, p99 {p99:.2f} ms (n={len(times)})")
                assert p99 < 100
            await js.delete_key_value("bench_cas")

    run(scenario())


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
