"""The hub's claim and unit rules (pure: no NATS), one test per case of protocol § 9.3–9.4."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from nats.aio.msg import Msg

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.hub_protocol import (
    ClaimRecord,
    Escalation,
    EscalationRaised,
    HubMessage,
    PresenceRecord,
    PresenceReport,
    StatusRequest,
    UnitRecord,
    UnitRequest,
)
from csu_console.hub import presence
from csu_console.hub.mirror import (
    ESCALATION_MAX_LATE,
    Cached,
    SharedMirror,
    decode_claim_key,
    decode_name,
)
from csu_console.hub.rules import (
    REMEMBERED_IDS,
    applied_ids,
    claim_key,
    decide_status,
    decide_unit,
    dump_claim,
    name_key,
    v1_sid,
)

T0 = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
ACK, SENT, CLOSED, NEW = (
    AlertState.ACKNOWLEDGED,
    AlertState.DISPATCHED,
    AlertState.CLOSED,
    AlertState.NEW,
)


def held(state: AlertState, station: str = "p1", operator: str = "Durand") -> ClaimRecord:
    return ClaimRecord("sim", "A1", state, station, operator, T0, f"{station}:old", state.value)


def req(
    state: AlertState,
    station: str = "p2",
    operator: str = "Martin",
    *,
    kind: str | None = None,
    reason: str = "",
    expect: ClaimRecord | None = None,
    sid: str = "p2:1",
    at: datetime = T0,
) -> StatusRequest:
    return StatusRequest(
        sid, "sim", "A1", state, kind or state.value, station, operator, at, reason, expect
    )


def test_new_alert_is_claimed() -> None:
    d = decide_status(None, (), req(ACK))
    assert d.applied and d.write is not None
    assert (d.write.station, d.write.operator, d.write.sid, d.write.kind) == (
        "p2",
        "Martin",
        "p2:1",
        "acknowledged",
    )


def test_same_holder_forwards_and_unchanged() -> None:
    current = held(ACK, "p2", "Martin")
    forwards = decide_status(current, (), req(SENT))
    assert forwards.applied and forwards.write is not None
    assert forwards.write.at > current.at  # stamped strictly after
    same = decide_status(current, (), req(ACK))
    assert same.applied and same.write is None and same.claim == current and not same.again


def test_other_holder_needs_takeover_reason_and_expect() -> None:
    current = held(ACK)
    plain = decide_status(current, (), req(ACK))
    assert not plain.applied and plain.claim == current
    assert (
        plain.message == "Alerte prise en compte par p1 – Durand : indiquez le motif de la reprise."
    )
    blank = decide_status(current, (), req(ACK, kind="taken_over", reason=" \n ", expect=current))
    assert not blank.applied
    no_expect = decide_status(current, (), req(ACK, kind="taken_over", reason="absent"))
    assert not no_expect.applied
    assert (
        no_expect.message
        == "Alerte désormais prise en compte par p1 – Durand : confirmez la reprise."
    )
    other = replace(current, operator="Roux")
    assert not decide_status(
        current, (), req(ACK, kind="taken_over", reason="x", expect=other)
    ).applied
    ok = decide_status(
        current, (), req(SENT, kind="taken_over", reason="  p1   absent ", expect=current)
    )
    assert ok.applied and ok.write is not None
    assert (ok.write.kind, ok.write.reason, ok.write.state) == ("taken_over", "p1 absent", SENT)


def test_same_station_other_operator_is_a_takeover() -> None:
    current = held(ACK, "p2", "Durand")
    assert not decide_status(current, (), req(SENT)).applied


@pytest.mark.parametrize(
    ("current", "target"), [(SENT, ACK), (CLOSED, ACK), (CLOSED, SENT), (ACK, NEW)]
)
def test_backwards_refused(current: AlertState, target: AlertState) -> None:
    stored = held(current, "p2", "Martin")
    d = decide_status(stored, (), req(target, kind="taken_over", reason="x", expect=stored))
    assert not d.applied and d.write is None and d.claim == stored and d.message


def test_new_state_on_a_new_alert_is_refused() -> None:
    d = decide_status(None, (), req(NEW))
    assert not d.applied and d.claim is None and "impossible" in d.message


def test_second_dispatch_refused_even_with_reason() -> None:
    current = held(SENT)
    d = decide_status(current, (), req(SENT, kind="taken_over", reason="x", expect=current))
    assert not d.applied and "pas de second engagement" in d.message


def test_reopen() -> None:
    current = held(CLOSED)
    d = decide_status(current, (), req(ACK, kind="reopened", reason="nouvel appel"))
    assert d.applied and d.write is not None
    assert (d.write.state, d.write.kind, d.write.reason) == (ACK, "reopened", "nouvel appel")
    assert not decide_status(current, (), req(ACK, kind="reopened")).applied
    assert not decide_status(held(ACK), (), req(ACK, kind="reopened", reason="x")).applied


def test_resend_applied_again_without_writing() -> None:
    current = held(ACK, "p2", "Martin")
    current = replace(current, sid="p2:1")
    d = decide_status(current, (), req(ACK))
    assert d.applied and d.again and d.write is None and d.claim == current
    # superseded since by another holder: still « applied », with the holder now
    later = held(SENT, "p3", "Roux")
    d2 = decide_status(later, ("p2:1", "p3:old"), req(ACK))
    assert d2.applied and d2.again and d2.claim == later


def test_v1_status() -> None:
    v1 = req(ACK, sid="")
    assert v1_sid(v1) == v1_sid(req(ACK, sid=""))
    assert v1_sid(v1) != v1_sid(req(ACK, sid="", at=T0 + timedelta(seconds=1)))
    assert re.fullmatch(r"v1:p2:[0-9a-f]{20}", v1_sid(v1))
    first = decide_status(None, (), v1)
    assert first.applied and first.write is not None and first.write.sid == v1_sid(v1)
    assert decide_status(first.write, (v1_sid(v1),), v1).again
    # a v1 takeover is applied (the console asked the reason itself), even without one
    taken = decide_status(held(ACK), (), v1)
    assert taken.applied and taken.write is not None and taken.write.kind == "taken_over"
    # never backwards, no v1 reopening
    assert not decide_status(held(SENT), (), req(ACK, sid="")).applied
    assert not decide_status(
        held(CLOSED), (), req(ACK, sid="", kind="reopened", reason="x")
    ).applied


def test_stored_value_keeps_the_last_ids() -> None:
    ids = [f"p:{i}" for i in range(REMEMBERED_IDS + 5)]
    obj = json.loads(dump_claim(held(ACK), ids))
    assert ClaimRecord.from_obj(obj) == held(ACK)
    assert applied_ids(obj) == tuple(ids[-REMEMBERED_IDS:])
    assert applied_ids({"applied": "x"}) == ()


@pytest.mark.parametrize(
    ("source", "alert_id"),
    [("sim", "A1"), ("cap:préfecture 25", "urn:oid:2.49.0.1/ä b"), ("s", "=")],
)
def test_keys_are_valid_nats_keys_and_reversible(source: str, alert_id: str) -> None:
    key = claim_key(source, alert_id)
    assert re.fullmatch(r"[-/_=.a-zA-Z0-9]+", key)
    assert decode_claim_key(key) == (source, alert_id)
    assert decode_name(name_key("Équipe 2")) == "Équipe 2"
    assert claim_key("a.b", "c") != claim_key("a", "b.c")


# -- units -------------------------------------------------------------------------------


def unit(
    status: UnitStatus = UnitStatus.EN_INTERVENTION,
    station: str = "p1",
    alert: str | None = "A1",
    stage: Stage | None = Stage.DISPATCHED,
    uid: str = "p1:u1",
) -> UnitRecord:
    key = None if alert is None else ("sim", alert)
    return UnitRecord("PM-1", status, station, "Durand", T0, key, stage, "", uid)


def test_engaging_a_unit_engaged_elsewhere_needs_confirmation() -> None:
    current = unit()
    other_alert = UnitRequest("p1:u2", unit(alert="A2", uid=""))
    d = decide_unit(current, (), other_alert)
    assert not d.applied and d.unit == current
    assert d.message == "PM-1 est déjà engagée par p1 – Durand (alerte A1)."
    other_station = UnitRequest("p2:u1", unit(station="p2", uid=""))
    assert not decide_unit(current, (), other_station).applied
    confirmed = decide_unit(current, (), replace(other_station, confirm=True))
    assert confirmed.applied and confirmed.write is not None
    assert confirmed.write.uid == "p2:u1" and confirmed.write.at > current.at


def test_other_unit_changes_are_applied() -> None:
    current = unit()
    on_site = decide_unit(
        current, (), UnitRequest("p2:u9", unit(station="p2", stage=Stage.ON_SITE))
    )
    assert on_site.applied
    free = UnitRequest("p2:u10", unit(UnitStatus.DISPONIBLE, "p2", None, None))
    assert decide_unit(current, (), free).applied
    assert decide_unit(None, (), UnitRequest("p3:u1", unit(station="p3"))).applied


def test_unit_resend_applied_again() -> None:
    current = unit(uid="p1:u1")
    d = decide_unit(current, (), UnitRequest("p1:u1", unit(alert="A9", uid="")))
    assert d.applied and d.again and d.write is None and d.unit == current
    assert decide_unit(unit(uid="p2:x"), ("p1:u1",), UnitRequest("p1:u1", unit())).again


# -- presence ----------------------------------------------------------------------------


def test_presence_records() -> None:
    report = PresenceReport("Durand", "supervisor", ("sim", "A1"))
    online = presence.next_record(None, "p1", report, online=True, hub="hub-a", now=T0)
    assert online == PresenceRecord("p1", "Durand", "supervisor", T0, ("sim", "A1"), True, "hub-a")
    later = T0 + timedelta(minutes=5)
    offline = presence.next_record(online, "p1", None, online=False, hub="hub-a", now=later)
    assert offline is not None and not offline.online
    assert (offline.operator, offline.role, offline.at) == ("Durand", "supervisor", later)
    # the station is online at hub B: hub A's late « offline » is not written
    at_b = replace(online, hub="hub-b")
    assert presence.next_record(at_b, "p1", None, online=False, hub="hub-a", now=later) is None
    assert presence.next_record(None, "p9", None, online=False, hub="hub-a", now=T0) == (
        PresenceRecord("p9", "", "", T0, None, False, "hub-a")
    )
    gone = presence.gone(online, T0.timestamp() + 30)
    assert not gone.online and gone.at == T0 + timedelta(seconds=30)


def test_presence_enforced_by_the_hub_that_serves_the_station() -> None:
    here = PresenceRecord("p1", "Durand", "operator", T0, None, True, "hub-a")
    later = T0 + timedelta(minutes=1)
    online = presence.Wanted(True, PresenceReport("Durand", "operator"))
    # as wanted: rewritten unchanged (a keep-alive), still ours
    assert presence.enforce(here, "p1", online, "hub-a", later) == (here, True)
    assert presence.enforce(here, "p1", presence.Wanted(True), "hub-a", later) == (here, True)
    # moved to another hub: nothing to write, no longer ours
    assert presence.enforce(replace(here, hub="hub-b"), "p1", online, "hub-a", later) == (
        None,
        False,
    )
    # set offline by another hub while this one was cut off: online again, here
    revived, keep = presence.enforce(
        replace(here, online=False, hub="hub-b"), "p1", online, "hub-a", later
    )
    assert keep and revived == replace(here, at=later)
    # a report that could not be written: written now
    report = PresenceReport("Roux", "supervisor", ("sim", "A1"))
    newer, _ = presence.enforce(here, "p1", presence.Wanted(True, report), "hub-a", later)
    assert newer is not None
    assert (newer.operator, newer.role, newer.viewing, newer.at) == (
        "Roux",
        "supervisor",
        ("sim", "A1"),
        later,
    )
    # never written at all: created
    created, _ = presence.enforce(None, "p1", online, "hub-a", later)
    assert created == replace(here, at=later)
    # an « offline » owed: written once (operator kept), then no longer ours
    gone, keep = presence.enforce(here, "p1", presence.Wanted(False), "hub-a", later)
    assert not keep and gone == replace(here, online=False, at=later)
    offline = replace(here, online=False)
    assert presence.enforce(offline, "p1", presence.Wanted(False), "hub-a", later) == (None, False)


def test_presence_seen_and_stale() -> None:
    here = PresenceRecord("p1", "Durand", "operator", T0, None, True, "hub-a")
    entries = {
        "p1": Cached(1, here, 100.0),
        "p2": Cached(2, replace(here, station="p2"), 10.0),
        "p3": Cached(3, replace(here, station="p3", online=False), 10.0),
    }
    seen = {r.station: r.online for r in presence.as_seen(entries, 120.0, 30.0)}
    assert seen == {"p1": True, "p2": False, "p3": False}
    assert [s for s, _ in presence.stale(entries, 120.0, 30.0)] == ["p2"]


def _escalation_msg(e: Escalation, sent: float) -> Msg:
    reply = f"$JS.ACK.CSU_ESCALATIONS.c.1.7.1.{int(sent * 1e9)}.0"
    return Msg(_client=None, subject="csu.escalation", reply=reply, data=e.to_json().encode())  # type: ignore[arg-type]


def test_escalations_heard_late_do_not_ring() -> None:
    mirror = SharedMirror()
    heard: list[HubMessage] = []
    mirror.listen(heard.append)
    e = Escalation("p1:1", "sim", "A1", "p1", "Durand", T0, "vite")
    mirror.on_escalation_msg(_escalation_msg(e, time.time() - 5), loading=False)
    assert heard == [EscalationRaised(e)]
    mirror.on_escalation_msg(_escalation_msg(e, time.time() - ESCALATION_MAX_LATE - 5), False)
    assert heard == [EscalationRaised(e)]
