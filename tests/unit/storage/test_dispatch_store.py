"""Dispatch and shifts in the store (csu_console.storage.dispatch): a planned
dispatch written with the alert's state in one transaction, units' status folded
back from the events after a restart, shift opening and closing with counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csu_console.core.alerts import Alert, AlertState, Category
from csu_console.core.dispatch import (
    DispatchPlan,
    DispatchVerdict,
    Outcome,
    Stage,
    Unit,
    UnitStatus,
    plan_dispatch,
    plan_end,
    plan_on_site,
    unit_statuses,
)
from csu_console.core.logbook import LogbookError
from csu_console.core.protocol import AlertMessage
from csu_console.core.states import Actor
from csu_console.errors import StorageBugError
from csu_console.storage.store import Store

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
ALPHA, BRAVO = Unit("pm-a1", "Alpha 1"), Unit("pm-b", "Bravo")
UNITS = (ALPHA, BRAVO)
ME, OTHER = Actor("poste-1", "durand"), Actor("poste-2", "dupont")


def add_alert(store: Store, alert_id: str = "A") -> int:
    alert = Alert("plateforme", alert_id, T0, Category.RIXE, 1)
    [out] = store.commit_batch([AlertMessage(store.count("alerts") + 1, alert)], "poste-1", T0)
    assert out.stored is not None
    return out.stored.pk


def dispatch(
    store: Store, pk: int, unit: Unit, *, confirmed: bool = False, reason: str = ""
) -> DispatchPlan:
    states = unit_statuses(UNITS, store.unit_events())
    now = T0 + timedelta(seconds=1)
    plan = plan_dispatch(
        unit, states, pk, store.claim(pk), ME, now, confirmed=confirmed, reason=reason
    )
    assert plan.allowed, plan.message
    assert store.record_dispatch(pk, plan, ME.station, ME.operator)
    return plan


def timeline(store: Store, pk: int) -> list[tuple[str, dict[str, object]]]:
    return [(e["kind"], json.loads(e["details"])) for e in store.events_for(pk)]


def test_first_and_second_unit(store: Store) -> None:
    pk = add_alert(store)
    dispatch(store, pk, ALPHA)
    claim = store.claim(pk)
    assert (claim.state, claim.station, claim.operator) == (
        AlertState.DISPATCHED,
        "poste-1",
        "durand",
    )
    dispatch(store, pk, BRAVO)
    assert store.claim(pk) == claim  # a second unit does not touch the state
    assert [(k, d.get("unit"), d.get("from_state")) for k, d in timeline(store, pk)] == [
        ("received", None, None),
        ("dispatched", "pm-a1", "new"),
        ("dispatched", "pm-b", None),
    ]
    assert store.verify_chain().ok


def test_a_takeover_dispatch_logs_the_takeover_then_the_unit(store: Store) -> None:
    pk = add_alert(store)
    store.set_state(
        pk, AlertState.ACKNOWLEDGED, OTHER.station, OTHER.operator, T0, "update_received"
    )
    dispatch(store, pk, ALPHA, reason="Poste 2 injoignable")
    kinds = [(k, d.get("reason"), d.get("unit")) for k, d in timeline(store, pk)]
    assert kinds[-2:] == [
        ("taken_over", "Poste 2 injoignable", None),
        ("dispatched", None, "pm-a1"),
    ]
    assert store.claim(pk).operator == "durand"


def test_a_stale_plan_writes_nothing(store: Store) -> None:
    pk = add_alert(store)
    plan = plan_dispatch(ALPHA, {}, pk, store.claim(pk), ME, T0)
    store.set_state(
        pk, AlertState.ACKNOWLEDGED, OTHER.station, OTHER.operator, T0, "update_received"
    )
    events = store.count("events")
    assert not store.record_dispatch(pk, plan, ME.station, ME.operator)
    assert store.count("events") == events
    assert store.claim(pk).operator == "dupont"


def test_a_plan_that_is_not_allowed_is_a_bug(store: Store) -> None:
    pk = add_alert(store)
    with pytest.raises(StorageBugError):
        store.record_dispatch(pk, DispatchPlan(DispatchVerdict.NEEDS_CONFIRMATION), "p", "o")


def test_unit_status_survives_a_restart(store: Store, db_path: Path) -> None:
    a, b = add_alert(store, "A"), add_alert(store, "B")
    dispatch(store, a, ALPHA)
    states = unit_statuses(UNITS, store.unit_events())
    store.add_event("on_site", a, "poste-1", "durand", plan_on_site(ALPHA, states, a))
    dispatch(store, b, BRAVO)
    states = unit_statuses(UNITS, store.unit_events())
    end = plan_end(BRAVO, states, b, Outcome.FAUSSE_ALERTE)
    store.add_event("dispatch_ended", b, "poste-1", "durand", end)
    store.close()
    reopened = Store(db_path)
    try:
        states = unit_statuses(UNITS, reopened.unit_events())
    finally:
        reopened.close()
    assert (states["pm-a1"].status, states["pm-a1"].alert_pk, states["pm-a1"].stage) == (
        UnitStatus.EN_INTERVENTION, a, Stage.ON_SITE,
    )  # fmt: skip
    assert states["pm-b"].status is UnitStatus.DISPONIBLE


def test_engaged_unit_asks_for_confirmation_from_stored_events(store: Store) -> None:
    a, b = add_alert(store, "A"), add_alert(store, "B")
    dispatch(store, a, ALPHA)
    states = unit_statuses(UNITS, store.unit_events())
    plan = plan_dispatch(ALPHA, states, b, store.claim(b), ME, T0)
    assert plan.verdict is DispatchVerdict.NEEDS_CONFIRMATION
    dispatch(store, b, ALPHA, confirmed=True)
    states = unit_statuses(UNITS, store.unit_events())
    assert states["pm-a1"].alert_pk == b


# --- shifts ---------------------------------------------------------------------------------


def test_shift_open_and_close_with_counts(store: Store) -> None:
    add_alert(store, "before")  # before the shift: not counted
    opened = store.open_shift("poste-1", "durand", T0)
    current = store.current_shift("poste-1")
    assert current is not None and current.pk == opened and current.operator == "durand"
    pk = add_alert(store, "A")
    add_alert(store, "B")
    dispatch(store, pk, ALPHA)
    store.add_event("muted", None, "poste-1", "martin", {"seconds": 30})
    store.add_event("muted", None, "poste-2", "dupont", {"seconds": 30})  # another station
    details = store.close_shift("poste-1", "martin", T0 + timedelta(hours=8))
    assert details["opened_pk"] == opened and details["opened_by"] == "durand"
    assert details["operators"] == ["durand", "martin"]
    assert details["counts"] == {"dispatched": 1, "muted": 1, "received": 2}
    assert details["events"] == 4
    assert store.current_shift("poste-1") is None
    [row] = store.conn.execute("SELECT operator, details FROM events WHERE kind = 'shift_closed'")
    assert row[0] == "martin" and json.loads(row[1]) == details
    assert store.verify_chain().ok


def test_shift_rules(store: Store) -> None:
    with pytest.raises(LogbookError, match="Aucune vacation ouverte"):
        store.close_shift("poste-1", "durand")
    store.open_shift("poste-1", "durand")
    with pytest.raises(LogbookError, match="déjà ouverte par durand"):
        store.open_shift("poste-1", "martin")
    store.open_shift("poste-2", "dupont")  # each station has its own
    assert not store.conn.in_transaction
