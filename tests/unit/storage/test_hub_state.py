"""The station's hub state in SQLite (``docs/protocol.md`` § 9): the hub's claims
applied as is or kept until their alert arrives, and the durable outbox written in
the same transaction as the state change — on a real database file."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_store_states import T0, kinds, msg, row

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import Unit, plan_dispatch
from csu_console.core.hub_protocol import ClaimRecord, StatusRequest, new_key
from csu_console.core.protocol import AlertMessage
from csu_console.core.states import Actor, Claim, plan
from csu_console.storage.schema import SCHEMA_VERSION
from csu_console.storage.store import Store

ME = Actor("poste-1", "Durand")
ACK = AlertState.ACKNOWLEDGED


def hub_claim(
    alert_id: str,
    station: str = "poste-2",
    operator: str = "Martin",
    state: AlertState = ACK,
    at: datetime = T0 + timedelta(minutes=1),
) -> ClaimRecord:
    return ClaimRecord(
        "plateforme", alert_id, state, station, operator, at, "poste-2:1", "acknowledged"
    )


def stored_pk(store: Store, item: AlertMessage) -> int:
    [outcome] = store.commit_batch([item], "poste-1", T0)
    assert outcome.stored is not None
    return outcome.stored.pk


def test_a_claim_is_applied_as_is_with_its_event_and_only_once(store: Store) -> None:
    pk = stored_pk(store, msg(1, "A"))
    result = store.apply_claim(hub_claim("A"))
    assert result.effect == "applied" and result.stored is not None
    assert (result.stored.state, result.stored.state_station) == (ACK, "poste-2")
    r = row(store, pk)
    assert (r["state"], r["state_station"], r["state_operator"]) == (
        "acknowledged",
        "poste-2",
        "Martin",
    )
    assert kinds(store, pk) == ["received", "update_received"]
    details = json.loads(store.events_for(pk)[-1]["details"])
    assert details["hub"] is True and details["from_state"] == "new"
    # The same claim again (a resend, the next sync): nothing written.
    assert store.apply_claim(hub_claim("A")).effect == "same"
    assert kinds(store, pk) == ["received", "update_received"]


def test_the_hubs_claim_wins_even_backwards(store: Store) -> None:
    """Authoritative: a station that closed an alert on its own (a refused status)
    goes back to the hub's holder."""
    pk = stored_pk(store, msg(1, "A"))
    t = plan(Claim(), ME, AlertState.CLOSED, T0)
    assert store.apply_transition(pk, t)
    store.apply_claim(hub_claim("A", state=ACK))
    assert row(store, pk)["state"] == "acknowledged"


def test_a_claim_for_an_alert_not_yet_stored_is_kept_then_applied(store: Store) -> None:
    assert store.apply_claim(hub_claim("B")).effect == "kept"
    assert store.pending_claims_count() == 1
    [outcome] = store.commit_batch([msg(1, "A"), msg(2, "B")], "poste-1", T0)[1:]
    assert outcome.stored is not None
    # Stored handled in the same transaction: the GUI never sees it new.
    assert (outcome.stored.state, outcome.stored.state_operator) == (ACK, "Martin")
    assert row(store, outcome.stored.pk)["state"] == "acknowledged"
    assert kinds(store, outcome.stored.pk) == ["received", "update_received"]
    assert store.pending_claims_count() == 0


def test_an_alert_frame_carries_its_claim(store: Store) -> None:
    item = msg(1, "C")
    item = AlertMessage(item.seq, item.alert, claim=hub_claim("C", state=AlertState.CLOSED))
    [outcome] = store.commit_batch([item], "poste-1", T0)
    assert outcome.stored is not None and outcome.stored.state is AlertState.CLOSED
    assert store.open_alerts() == []


def test_a_status_is_written_with_its_state_change_or_not_at_all(store: Store) -> None:
    pk = stored_pk(store, msg(1, "A"))
    store.apply_claim(hub_claim("A"))
    before = Claim(ACK, "poste-2", "Martin")
    t = plan(before, ME, ACK, T0 + timedelta(minutes=2), "poste-2 ne répond pas")
    sid = new_key("poste-1")
    assert store.apply_transition(pk, t, sid)
    [pending] = store.outbox_pending()
    assert pending.key == sid and pending.kind == "status"
    sent = json.loads(pending.text)
    assert sent["kind"] == "taken_over" and sent["reason"] == "poste-2 ne répond pas"
    # ``expect``: the claim the operator acted on, with the hub's time.
    assert sent["expect"]["station"] == "poste-2"
    assert sent["expect"]["at"] == (T0 + timedelta(minutes=1)).isoformat()
    # A transition on a row that moved on writes neither the state nor the status.
    stale = plan(Claim(), ME, ACK, T0 + timedelta(minutes=3))
    assert not store.apply_transition(pk, stale, new_key("poste-1"))
    assert len(store.outbox_pending()) == 1


def test_the_outbox_and_the_state_change_are_one_transaction(store: Store) -> None:
    """A status that cannot be written (its key already there) leaves the state as it was."""
    pk = stored_pk(store, msg(1, "A"))
    store.conn.execute(
        "CREATE TRIGGER outbox_fails BEFORE INSERT ON status_outbox"
        " BEGIN SELECT RAISE(ABORT, 'disque plein'); END"
    )
    with pytest.raises(Exception, match="disque plein"):
        store.apply_transition(pk, plan(Claim(), ME, ACK, T0), new_key("poste-1"))
    assert row(store, pk)["state"] == "new"
    assert kinds(store, pk) == ["received"]


def test_a_dispatch_writes_its_status_too(store: Store) -> None:
    pk = stored_pk(store, msg(1, "A"))
    unit = Unit("PM-1", "Patrouille 1")
    p = plan_dispatch(unit, {}, pk, Claim(), ME, T0)
    assert store.record_dispatch(pk, p, "poste-1", "Durand", sid="poste-1:d1")
    [pending] = store.outbox_pending()
    request = json.loads(pending.text)
    assert (request["state"], request["kind"], request["expect"]) == (
        "dispatched",
        "dispatched",
        None,
    )


def test_answers_are_recorded_and_rows_leave_the_pending_list(store: Store) -> None:
    for key in ("k1", "k2", "k3"):
        assert store.outbox_add(key, "unit", "{}")
    assert not store.outbox_add("k1", "unit", "{}")  # a resend of the same uid
    store.outbox_sent(["k1", "k2"])
    assert store.outbox_answer(["k1"], "applied") == 1
    assert store.outbox_answer(["k1"], "applied") == 0  # answered once
    assert store.outbox_answer(["k2"], "refused", "déjà engagée") == 1
    assert [r.key for r in store.outbox_pending()] == ["k3"]
    k2 = store.outbox_row("k2")
    assert k2 is not None and k2["result"] == "refused" and k2["attempts"] == 1


def test_migration_6_on_an_existing_database(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 6
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"status_outbox", "hub_pending_claims"} <= tables
    conn.close()


def test_status_request_is_what_the_hub_parses(store: Store) -> None:
    from csu_console.core.hub_protocol import parse_station_message

    pk = stored_pk(store, msg(1, "A"))
    store.apply_transition(pk, plan(Claim(), ME, ACK, datetime.now(UTC)), "poste-1:s")
    parsed = parse_station_message(json.loads(store.outbox_pending()[0].text))
    assert isinstance(parsed, StatusRequest)
    assert (parsed.sid, parsed.state, parsed.kind, parsed.expect) == (
        "poste-1:s",
        ACK,
        "acknowledged",
        None,
    )


def test_a_kept_claim_whose_alert_never_comes_is_forgotten(store: Store) -> None:
    store.apply_claim(hub_claim("OLD"))
    store.conn.execute("UPDATE hub_pending_claims SET at = '2020-01-01T00:00:00.000+00:00'")
    store.apply_claim(hub_claim("NEW"))
    assert store.pending_claims_count() == 1
