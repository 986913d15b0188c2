"""The station's side of the hub extension (``docs/protocol.md`` § 9): a real
:class:`AlertLink` and SQLite file against a scripted hub (``tests/fake_hub.py``,
a stand-in: the real hub is written in parallel) on 127.0.0.1, and ``csu-sim``
for plain protocol v1."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fake_hub import FakeHub, alert_obj, claim
from support import RecordingListener, wait_until

from csu_console.core import hub_protocol as hp
from csu_console.core import protocol
from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import UnitStatus
from csu_console.core.hub_protocol import (
    FEATURES,
    ClaimsApplied,
    Escalation,
    HubHealth,
    PresenceReport,
    Sync,
    UnitRecord,
    UnitRequest,
    Welcome,
    new_key,
)
from csu_console.core.protocol import AlertMessage
from csu_console.core.states import Actor, Claim, plan
from csu_console.net import hub_session
from csu_console.net.link import AlertLink, LinkSettings
from csu_console.net.state import LinkPhase
from csu_console.sim.control import SimProcess
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

STATION = "poste-1"
ME = Actor(STATION, "Durand")
Factory = Callable[..., tuple[AlertLink, RecordingListener]]


@pytest.fixture(autouse=True)
def _fast_resend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hub_session, "RESEND_S", 0.3)


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    h = FakeHub("hub-a").start()
    yield h
    h.close()


@pytest.fixture
def make_link(writer: StorageWriter) -> Iterator[Factory]:
    links: list[AlertLink] = []

    def make(*urls: str, **kw: Any) -> tuple[AlertLink, RecordingListener]:
        listener = RecordingListener()
        settings = LinkSettings(
            url=urls[0], station=STATION, urls=tuple(urls), features=FEATURES, **kw
        )
        link = AlertLink(settings, writer, listener)
        link.start()
        links.append(link)
        return link, listener

    yield make
    for link in links:
        link.stop()


def on(writer: StorageWriter, fn: Callable[[Store], Any]) -> Any:
    return writer.submit(fn).result(10)


def row(writer: StorageWriter, alert_id: str) -> dict[str, Any]:
    def read(store: Store) -> dict[str, Any]:
        return dict(
            next(store.db.query("SELECT * FROM alerts WHERE alert_id = :a", {"a": alert_id}))
        )

    return on(writer, read)  # type: ignore[no-any-return]


def connected_to_hub(listener: RecordingListener) -> Callable[[], bool]:
    return lambda: any(isinstance(m, Welcome) for m in listener.hub_messages)


def applied(listener: RecordingListener) -> list[ClaimsApplied]:
    return [m for m in listener.hub_messages if isinstance(m, ClaimsApplied)]


def write_status(writer: StorageWriter, alert_id: str, target: AlertState, reason: str = "") -> str:
    """What the console's operations do: the state change and its status, one transaction."""
    sid = new_key(STATION)

    def apply(store: Store) -> bool:
        r = next(store.db.query("SELECT * FROM alerts WHERE alert_id = :a", {"a": alert_id}))
        current = Claim(AlertState(r["state"]), r["state_station"], r["state_operator"])
        return store.apply_transition(
            r["pk"], plan(current, ME, target, datetime.now(UTC), reason), sid
        )

    assert on(writer, apply)
    return sid


def test_welcome_switches_to_hub_mode_and_names_the_hub(hub: FakeHub, make_link: Factory) -> None:
    link, listener = make_link(hub.url)
    wait_until(connected_to_hub(listener), 10, "welcome")
    assert hub.hellos[0]["features"] == list(FEATURES)
    wait_until(lambda: link.status.hub == "hub-a", 5, "le nom du serveur sur l'état")
    # Welcome, then the sync, in that order, before anything else.
    wait_until(lambda: len(listener.hub_messages) >= 2, 5, "sync")
    assert isinstance(listener.hub_messages[1], Sync)


@pytest.mark.expected_logs("csu.net")
def test_plain_v1_gateway_unchanged_and_status_sent_once(
    sim: SimProcess, writer: StorageWriter, make_link: Factory
) -> None:
    """``csu-sim`` ignores ``features`` and never welcomes: alerts as before, the
    outbox's status goes out as a v1 ``status`` and is marked sent."""
    link, listener = make_link(sim.url)
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
    sim.command("emit", count=20)
    wait_until(lambda: on(writer, lambda s: s.count("alerts")) == 20, 20, "20 alertes")
    sim.command("wait", station=STATION, field="unanswered", at_most=0, timeout=20)
    first = on(writer, lambda s: next(s.db.query("SELECT alert_id FROM alerts LIMIT 1")))
    sid = write_status(writer, first["alert_id"], AlertState.ACKNOWLEDGED)
    link.nudge_outbox()
    wait_until(lambda: (on(writer, lambda s: s.outbox_row(sid)) or {}).get("result") == "sent",
               10, "statut v1 envoyé")  # fmt: skip
    assert not any(isinstance(m, Welcome) for m in listener.hub_messages)
    assert link.status.hub == ""
    # Units and escalations are not spoken there: nothing stored, nothing sent.
    link.send_escalation(Escalation("e1", "s", "i", STATION, "Durand", datetime.now(UTC)))
    assert on(writer, lambda s: s.outbox_pending()) == []


def test_a_late_welcome_still_switches_to_hub_mode(
    hub: FakeHub, writer: StorageWriter, make_link: Factory
) -> None:
    """A hub slower to welcome than the console waits: what was pending went out
    as to a plain gateway (written once), the welcome still counts, and the next
    status is answered."""
    hub.welcome_delay_s = hub_session.WELCOME_WAIT_S + 0.5
    on(writer, lambda s: s.commit_batch(_msgs("A", "B"), STATION))
    early = write_status(writer, "A", AlertState.ACKNOWLEDGED)
    link, listener = make_link(hub.url)
    wait_until(lambda: (on(writer, lambda s: s.outbox_row(early)) or {}).get("result") == "sent",
               10, "envoyé comme à une passerelle v1")  # fmt: skip
    wait_until(connected_to_hub(listener), 10, "welcome tardif")
    assert link.status.hub == "hub-a"
    later = write_status(writer, "B", AlertState.ACKNOWLEDGED)
    link.nudge_outbox()
    wait_until(lambda: (on(writer, lambda s: s.outbox_row(later)) or {}).get("result") == "applied",
               10, "répondu par le hub")  # fmt: skip


def test_claims_from_sync_frames_and_claim_messages(
    hub: FakeHub, writer: StorageWriter, make_link: Factory
) -> None:
    """Sync: applied to a known alert, kept for one not yet here (stored handled
    when it comes); an alert frame's claim; a ``claim`` message."""
    # "A" is already here (stored on an earlier connection); "B" not yet.
    writer_store = writer.submit(lambda s: s.commit_batch(_msgs("A"), STATION)).result(10)
    assert writer_store[0].kind == "stored"
    hub.sync_claims = [claim("A"), claim("B", operator="Leroy")]
    link, listener = make_link(hub.url)
    wait_until(lambda: row(writer, "A")["state"] == "acknowledged", 10, "A prise par poste-2")
    wait_until(lambda: bool(applied(listener)), 5, "la console est prévenue")
    assert [s.alert.id for s in applied(listener)[0].stored] == ["A"]
    assert on(writer, lambda s: s.pending_claims_count()) == 1
    hub.push_alert(2, "B")
    hub.push_alert(3, "C", with_claim=claim("C", state=AlertState.CLOSED))
    hub.push_alert(4, "D")
    wait_until(lambda: hub.acked >= {2, 3, 4}, 10, "B, C, D acquittées")
    stored = {o.alert_id: o.stored for o in listener.outcomes if o.stored is not None}
    # Stored already handled: the GUI gets them not new (they never ring).
    assert stored["B"] is not None and stored["B"].state is AlertState.ACKNOWLEDGED
    assert stored["B"].state_operator == "Leroy"
    assert stored["C"] is not None and stored["C"].state is AlertState.CLOSED
    assert stored["D"] is not None and stored["D"].state is AlertState.NEW
    hub.push(hp.claim_changed(claim("D", station="poste-3", operator="Petit")))
    wait_until(lambda: row(writer, "D")["state_station"] == "poste-3", 10, "claim appliqué")
    wait_until(lambda: any(s.alert.id == "D" for a in applied(listener) for s in a.stored),
               5, "D à la console")  # fmt: skip
    assert link.status.phase is LinkPhase.CONNECTED


def test_an_alert_received_again_with_its_claim_takes_the_claim(
    hub: FakeHub, writer: StorageWriter, make_link: Factory
) -> None:
    """After a failover the next hub resends what was not acknowledged, now with its
    claim: not stored twice, but its holder is applied."""
    _link, listener = make_link(hub.url)
    hub_ready(hub, listener)
    hub.push_alert(1, "A")
    wait_until(lambda: 1 in hub.acked, 10, "A acquittée")
    hub.push_alert(1, "A", with_claim=claim("A", operator="Martin"))
    wait_until(lambda: row(writer, "A")["state_operator"] == "Martin", 10, "claim appliqué")
    wait_until(lambda: bool(applied(listener)), 5, "la console est prévenue")
    assert on(writer, lambda s: s.count("alerts")) == 1


@pytest.mark.expected_logs("csu.net")
def test_a_bad_hub_message_is_dropped_and_the_link_goes_on(
    hub: FakeHub, writer: StorageWriter, make_link: Factory
) -> None:
    _link, listener = make_link(hub.url)
    wait_until(connected_to_hub(listener), 10, "welcome")
    hub.push(json.dumps({"type": "claim", "claim": {"source": "x"}}))
    hub.push(json.dumps({"type": "hub_health", "state": "degraded", "detail": "NATS injoignable"}))
    hub.push_alert(1, "A")
    wait_until(lambda: 1 in hub.acked, 10, "l'alerte suivante acquittée")
    assert any(isinstance(m, HubHealth) and m.degraded for m in listener.hub_messages)
    wait_until(lambda: listener.statuses[-1].hub_degraded == "NATS injoignable", 5, "dégradé")
    hub.push(hp.hub_health("ok"))
    wait_until(lambda: listener.statuses[-1].hub_degraded == "", 5, "rétabli")


def test_durable_status_resent_until_answered(
    hub: FakeHub, writer: StorageWriter, make_link: Factory
) -> None:
    seen: list[str] = []

    def answer(message: dict[str, Any]) -> str | None:
        seen.append(message["sid"])
        if len(seen) < 3:
            return None  # the hub says nothing: the station must send it again
        return hp.status_result(message["sid"], True, None)

    hub.answer_status = answer
    link, listener = make_link(hub.url)
    hub_ready(hub, listener)
    hub.push_alert(1, "A")
    wait_until(lambda: 1 in hub.acked, 10, "A acquittée")
    sid = write_status(writer, "A", AlertState.ACKNOWLEDGED)
    link.nudge_outbox()
    wait_until(lambda: (on(writer, lambda s: s.outbox_row(sid)) or {}).get("result") == "applied",
               10, "réponse enregistrée")  # fmt: skip
    assert hub.sids[sid] == 3
    sent = hub.of_type("status")[0]
    assert (sent["kind"], sent["expect"], sent["station"]) == ("acknowledged", None, STATION)
    # Answered: never sent again.
    time.sleep(1.0)  # three resend periods: what must NOT happen has no event to wait on
    assert hub.sids[sid] == 3


def hub_ready(hub: FakeHub, listener: RecordingListener) -> None:
    wait_until(connected_to_hub(listener), 10, "welcome")
    wait_until(lambda: hub.connections == 1, 5, "station inscrite au serveur")


def test_a_refused_status_applies_the_holder_and_tells_the_console(
    hub: FakeHub, writer: StorageWriter, make_link: Factory
) -> None:
    holder = claim("A", station="poste-2", operator="Martin")
    hub.answer_status = lambda m: hp.status_result(
        m["sid"], False, holder, "Alerte prise en compte par poste-2 – Martin."
    )
    link, listener = make_link(hub.url)
    hub_ready(hub, listener)
    hub.push_alert(1, "A")
    wait_until(lambda: 1 in hub.acked, 10, "A acquittée")
    sid = write_status(writer, "A", AlertState.ACKNOWLEDGED)
    assert row(writer, "A")["state_station"] == STATION  # shown done at once
    link.nudge_outbox()
    wait_until(lambda: any(a.refused for a in applied(listener)), 10, "refus à la console")
    [refusal] = [a for a in applied(listener) if a.refused]
    assert refusal.refused is not None and refusal.refused.sid == sid
    assert [(s.state_station, s.state_operator) for s in refusal.stored] == [("poste-2", "Martin")]
    r = row(writer, "A")
    assert (r["state_station"], r["state_operator"]) == ("poste-2", "Martin")
    assert (on(writer, lambda s: s.outbox_row(sid)) or {})["result"] == "refused"


@pytest.mark.expected_logs("csu.net")  # the hub restarted: « connexion coupée »
def test_units_presence_and_escalation_reach_the_hub(
    hub: FakeHub, writer: StorageWriter, make_link: Factory
) -> None:
    link, listener = make_link(hub.url)
    report = PresenceReport("Durand", "operator", ("plateforme-citoyenne", "A"))
    link.send_presence(report)  # before the connection: sent after welcome
    hub_ready(hub, listener)
    wait_until(lambda: hub.of_type("presence") != [], 5, "présence envoyée")
    assert hub.of_type("presence")[0]["viewing"] == {"source": "plateforme-citoyenne", "id": "A"}
    record = UnitRecord("PM-1", UnitStatus.EN_INTERVENTION, STATION, "Durand", datetime.now(UTC))
    request = UnitRequest(new_key(STATION), record)
    link.send_unit(request)
    wait_until(
        lambda: (on(writer, lambda s: s.outbox_row(request.uid)) or {}).get("result") == "applied",
        10,
        "unit_result enregistré",
    )
    escalation = Escalation(new_key(STATION), "s", "A", STATION, "Durand", datetime.now(UTC))
    link.send_escalation(escalation)
    wait_until(lambda: hub.of_type("escalate") != [], 5, "escalade envoyée")
    wait_until(
        lambda: (
            (on(writer, lambda s: s.outbox_row(escalation.eid)) or {}).get("result") == "written"
        ),
        5,
        "escalade marquée écrite",
    )
    # A new connection: the presence again (the latest only).
    link.send_presence(PresenceReport("", "operator"))
    wait_until(lambda: len(hub.of_type("presence")) == 2, 5, "déconnexion de l'opérateur")
    hub.stop_serving()
    hub.start(hub.port)
    wait_until(lambda: len(hub.of_type("presence")) == 3, 15, "présence renvoyée")
    assert hub.of_type("presence")[-1]["operator"] == ""
    assert len(hub.of_type("unit")) == 1 and len(hub.of_type("escalate")) == 1


def test_what_the_hub_does_not_speak_is_not_waited_for(
    hub: FakeHub, writer: StorageWriter, make_link: Factory
) -> None:
    """A hub that welcomes with ``claims`` only: statuses are written once (nobody
    answers them), unit requests and presence are not sent."""
    hub.features = ["claims"]
    link, listener = make_link(hub.url)
    hub_ready(hub, listener)
    link.send_presence(PresenceReport("Durand", "operator"))
    hub.push_alert(1, "A")
    wait_until(lambda: 1 in hub.acked, 10, "A acquittée")
    sid = write_status(writer, "A", AlertState.ACKNOWLEDGED)
    record = UnitRecord("PM-1", UnitStatus.INDISPONIBLE, STATION, "Durand", datetime.now(UTC))
    request = UnitRequest(new_key(STATION), record)
    link.send_unit(request)
    link.nudge_outbox()
    wait_until(lambda: (on(writer, lambda s: s.outbox_row(sid)) or {}).get("result") == "written",
               10, "statut écrit une fois")  # fmt: skip
    wait_until(
        lambda: (on(writer, lambda s: s.outbox_row(request.uid)) or {}).get("result") == "dropped",
        10,
        "demande d'unité abandonnée",
    )
    assert len(hub.of_type("status")) == 1
    assert hub.of_type("unit") == [] and hub.of_type("presence") == []


@pytest.mark.expected_logs("csu.net")
def test_failover_to_the_next_hub_within_5_s(writer: StorageWriter, make_link: Factory) -> None:
    a, b = FakeHub("hub-a").start(), FakeHub("hub-b").start()
    try:
        link, listener = make_link(a.url, b.url)
        hub_ready(a, listener)
        a.push_alert(1, "A")
        wait_until(lambda: 1 in a.acked, 10, "A acquittée par hub-a")
        assert link.status.hub == "hub-a" and link.status.url == a.url
        t0 = time.monotonic()
        a.stop_serving()
        wait_until(lambda: link.status.hub == "hub-b", 5, "sur hub-b en moins de 5 s")
        failover_s = time.monotonic() - t0
        assert link.status.url == b.url
        assert b.hellos[-1]["last_seq"] == 1
        # What hub-a sent and hub-b sends again is recognised, not doubled.
        b.push_alert(1, "A")
        b.push_alert(2, "B")
        wait_until(lambda: b.acked >= {1, 2}, 10, "acquittées par hub-b")
        assert on(writer, lambda s: s.count("alerts")) == 2
        assert failover_s < 5.0
    finally:
        a.close()
        b.close()


def _msgs(*ids: str) -> list[AlertMessage]:
    """Alerts stored before the test's connection (seq None: no ack involved)."""
    out = []
    for alert_id in ids:
        frame = json.dumps({"type": "alert", "seq": 1, "alert": alert_obj(alert_id)})
        item = protocol.decode_frame(frame.encode(), True)
        assert isinstance(item, AlertMessage)
        out.append(AlertMessage(None, item.alert))
    return out
