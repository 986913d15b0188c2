"""Alert states in the store: set_state, transitions, updates from other stations,
the append-only timeline and migration 2 — on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from csu_console.core.alerts import Alert, AlertState, Category, Location
from csu_console.core.protocol import AlertMessage, UpdateMessage
from csu_console.core.states import Actor, Claim, UpdateEffect, plan
from csu_console.errors import StorageBugError
from csu_console.storage.schema import MIGRATIONS, SCHEMA_VERSION
from csu_console.storage.store import DB_NAME, Store
from csu_console.storage.writer import StorageWriter

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
ME = Actor("poste-1", "Durand")
OTHER = Actor("poste-2", "Dupont")
ACK, DISP, CLOSED = AlertState.ACKNOWLEDGED, AlertState.DISPATCHED, AlertState.CLOSED


def msg(seq: int, alert_id: str, priority: int = 2) -> AlertMessage:
    alert = Alert(
        source="plateforme",
        id=alert_id,
        sent=T0 - timedelta(minutes=1),
        category=Category.CAMBRIOLAGE,
        priority=priority,
        location=Location(60.17, 24.94),
    )
    return AlertMessage(seq, alert)


def add(store: Store, alert_id: str = "A", priority: int = 2, at: datetime = T0) -> int:
    [outcome] = store.commit_batch([msg(store.count("alerts") + 1, alert_id, priority)], "p", at)
    assert outcome.stored is not None
    return outcome.stored.pk


def row(store: Store, pk: int) -> dict[str, Any]:
    return next(store.db.query("SELECT * FROM alerts WHERE pk = :pk", {"pk": pk}))


def kinds(store: Store, pk: int) -> list[str]:
    return [e["kind"] for e in store.events_for(pk)]


def update(state: AlertState, by: Actor, at: datetime, alert_id: str = "A") -> UpdateMessage:
    return UpdateMessage("plateforme", alert_id, state, by.station, by.operator, at)


# --- set_state ----------------------------------------------------------------------


def test_set_state_writes_the_row_and_one_event(store: Store) -> None:
    pk = add(store)
    at = T0 + timedelta(seconds=5)
    assert store.set_state(pk, ACK, "poste-1", "Durand", at, "acknowledged", {"from_state": "new"})
    r = row(store, pk)
    assert (r["state"], r["state_station"], r["state_operator"]) == (
        "acknowledged",
        "poste-1",
        "Durand",
    )
    assert r["state_at"] == "2024-06-01T12:00:05.000+00:00"
    last = store.events_for(pk)[-1]
    assert (last["kind"], last["station"], last["operator"], last["at"]) == (
        "acknowledged",
        "poste-1",
        "Durand",
        r["state_at"],
    )
    assert json.loads(last["details"]) == {"from_state": "new"}
    assert kinds(store, pk) == ["received", "acknowledged"]
    assert store.claim(pk) == Claim(ACK, "poste-1", "Durand", at)


def test_set_state_survives_reopening(db_path: Path) -> None:
    first = Store(db_path)
    pk = add(first)
    first.set_state(pk, DISP, "poste-1", "Durand", T0, "dispatched")
    first.close()
    second = Store(db_path)
    try:
        [stored] = second.recent_alerts()
        assert (stored.state, stored.state_station) == (DISP, "poste-1")
    finally:
        second.close()


def test_set_state_with_a_stale_expectation_writes_nothing(store: Store) -> None:
    pk = add(store)
    store.set_state(pk, ACK, "poste-2", "Dupont", T0, "update_received")
    events = store.count("events")
    # Decided on "new", but poste-2 took it meanwhile: decide again.
    assert not store.set_state(pk, ACK, "poste-1", "Durand", T0, "acknowledged", expect=Claim())
    assert store.claim(pk).station == "poste-2"
    assert store.count("events") == events
    assert not store.conn.in_transaction
    assert store.set_state(
        pk, DISP, "poste-1", "Durand", T0, "taken_over", expect=Claim(ACK, "poste-2", "Dupont")
    )


def test_expectation_with_a_time_checks_it_too(store: Store) -> None:
    pk = add(store)
    store.set_state(pk, ACK, "poste-1", "Durand", T0, "acknowledged")
    wrong = Claim(ACK, "poste-1", "Durand", T0 - timedelta(seconds=1))
    assert not store.set_state(pk, DISP, "poste-1", "Durand", T0, "dispatched", expect=wrong)
    assert store.set_state(pk, DISP, "poste-1", "Durand", T0, "dispatched", expect=store.claim(pk))


def test_set_state_of_an_unknown_alert_is_a_bug(store: Store) -> None:
    with pytest.raises(StorageBugError, match="alerte 99 inconnue"):
        store.set_state(99, ACK, "poste-1", "Durand", T0, "acknowledged")
    assert store.count("events") == 0
    with pytest.raises(StorageBugError):
        store.set_state(99, ACK, "poste-1", "Durand", T0, "acknowledged", expect=Claim())
    with pytest.raises(StorageBugError):
        store.claim(99)


def test_a_failing_event_leaves_the_row_untouched(store: Store) -> None:
    """Row and event go together: the event insert fails after the row update."""
    pk = add(store)
    before_row, before_events = row(store, pk), store.count("events")
    store.conn.execute(
        "CREATE TEMP TRIGGER fail_events BEFORE INSERT ON events"
        " BEGIN SELECT RAISE(ABORT, 'disque simulé en panne'); END"
    )
    with pytest.raises(StorageBugError, match="disque simulé en panne"):
        store.set_state(pk, ACK, "poste-1", "Durand", T0, "acknowledged")
    assert row(store, pk) == before_row
    assert store.count("events") == before_events
    assert not store.conn.in_transaction
    store.conn.execute("DROP TRIGGER fail_events")
    assert store.set_state(pk, ACK, "poste-1", "Durand", T0, "acknowledged")


def test_details_that_cannot_be_stored_leave_the_row_untouched(store: Store) -> None:
    pk = add(store)
    before = row(store, pk)
    with pytest.raises(TypeError):
        store.set_state(pk, ACK, "poste-1", "Durand", T0, "acknowledged", {"x": object()})
    assert row(store, pk) == before
    assert not store.conn.in_transaction


def test_apply_transition_stores_a_planned_takeover(store: Store) -> None:
    pk = add(store)
    store.set_state(pk, ACK, "poste-2", "Dupont", T0, "update_received")
    t = plan(store.claim(pk), ME, DISP, T0 + timedelta(seconds=9), reason="Poste 2 absent")
    assert store.apply_transition(pk, t)
    assert store.claim(pk) == t.after
    last = store.events_for(pk)[-1]
    assert last["kind"] == "taken_over"
    assert json.loads(last["details"])["reason"] == "Poste 2 absent"
    assert not store.apply_transition(pk, t), "the row moved on: not applied twice"


# --- updates from other stations ---------------------------------------------------


def test_update_applied(store: Store) -> None:
    pk = add(store)
    result = store.apply_update(update(ACK, OTHER, T0 + timedelta(seconds=3)))
    assert result.effect is UpdateEffect.APPLIED
    assert result.stored is not None
    assert (result.stored.state, result.stored.state_station, result.stored.state_operator) == (
        ACK,
        "poste-2",
        "Dupont",
    )
    assert result.claim == store.claim(pk)
    last = store.events_for(pk)[-1]
    assert (last["kind"], last["station"], last["operator"]) == (
        "update_received",
        "poste-2",
        "Dupont",
    )
    assert json.loads(last["details"])["from_state"] == "new"


def test_stale_update_is_logged_not_applied(store: Store) -> None:
    pk = add(store)
    store.set_state(pk, ACK, "poste-1", "Durand", T0 + timedelta(seconds=10), "acknowledged")
    result = store.apply_update(update(ACK, OTHER, T0 + timedelta(seconds=2)))
    assert result.effect is UpdateEffect.STALE
    assert store.claim(pk).station == "poste-1"
    last = store.events_for(pk)[-1]
    assert last["kind"] == "update_ignored"
    assert json.loads(last["details"])["effect"] == "stale"


def test_backwards_update_is_logged_not_applied(store: Store) -> None:
    pk = add(store)
    store.set_state(pk, CLOSED, "poste-1", "Durand", T0, "closed")
    result = store.apply_update(update(ACK, OTHER, T0 + timedelta(seconds=2)))
    assert result.effect is UpdateEffect.BACKWARDS
    assert store.claim(pk).state is CLOSED
    assert kinds(store, pk)[-1] == "update_ignored"


def test_our_echo_is_a_duplicate_and_logs_nothing(store: Store) -> None:
    pk = add(store)
    t = plan(store.claim(pk), ME, ACK, T0 + timedelta(microseconds=500_700))
    store.apply_transition(pk, t)
    events = store.count("events")
    result = store.apply_update(update(ACK, ME, T0 + timedelta(microseconds=500_700)))
    assert result.effect is UpdateEffect.DUPLICATE
    assert store.count("events") == events


def test_update_for_an_unknown_alert(store: Store) -> None:
    result = store.apply_update(update(ACK, OTHER, T0, alert_id="absent"))
    assert result.effect is UpdateEffect.UNKNOWN_ALERT
    assert result.stored is None
    assert store.count("events") == 0
    assert not store.conn.in_transaction


# --- reads, events ------------------------------------------------------------------


def test_open_alerts_most_urgent_then_newest(store: Store) -> None:
    low_old = add(store, "low-old", 3, T0)
    low_new = add(store, "low-new", 3, T0 + timedelta(minutes=1))
    urgent = add(store, "urgent", 1, T0)
    done = add(store, "done", 1, T0 + timedelta(minutes=2))
    store.set_state(done, CLOSED, "poste-1", "Durand", T0, "closed")
    store.set_state(low_old, ACK, "poste-1", "Durand", T0, "acknowledged")
    assert [s.pk for s in store.open_alerts()] == [urgent, low_new, low_old]


def test_add_event_for_a_mute(store: Store) -> None:
    pk = store.add_event("muted", None, "poste-1", "Durand", {"seconds": 120, "until": "…"})
    assert pk > 0
    [event] = list(store.iter_rows("events"))
    assert (event["kind"], event["operator"], event["alert_pk"]) == ("muted", "Durand", None)
    assert json.loads(event["details"]) == {"seconds": 120, "until": "…"}


def test_events_are_append_only(store: Store) -> None:
    pk = add(store)
    store.set_state(pk, ACK, "poste-1", "Durand", T0, "acknowledged")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE events SET kind = 'forged'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM events")
    assert kinds(store, pk) == ["received", "acknowledged"]


def test_set_state_through_the_storage_thread(tmp_path: Path) -> None:
    writer = StorageWriter(tmp_path / DB_NAME)
    writer.start()
    try:
        pk = writer.submit(add).result(timeout=10)
        t = plan(Claim(), ME, ACK, T0)
        assert writer.submit(lambda s: s.apply_transition(pk, t)).result(timeout=10)
        assert writer.submit(lambda s: s.claim(pk)).result(timeout=10) == t.after
    finally:
        writer.close()


# --- migration 2 ----------------------------------------------------------------------


def test_a_version_1_database_is_migrated_with_its_data(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.executescript("BEGIN;" + MIGRATIONS[0] + ";PRAGMA user_version=1;COMMIT;")
    conn.execute(
        "INSERT INTO alerts (source, alert_id, fmt, sent, received_at, category, priority)"
        " VALUES ('plateforme', 'old', 'json', '2024-01-01', '2024-01-01', 'rixe', 1)"
    )
    conn.execute("INSERT INTO events (alert_pk, at, kind) VALUES (1, '2024-01-01', 'received')")
    conn.close()
    store = Store(db_path)
    try:
        assert SCHEMA_VERSION >= 2
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "migration du schéma 1 -> 2" in caplog.text
        assert [s.alert.id for s in store.open_alerts()] == ["old"]
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("DELETE FROM events")
        assert store.set_state(1, ACK, "poste-1", "Durand", T0, "acknowledged")
        assert kinds(store, 1) == ["received", "acknowledged"]
    finally:
        store.close()
