"""The units' status folded incrementally (what the console does after every step)
agrees with a full fold of the logbook, and reads only what it must."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from csu_console.core.alerts import Alert, AlertState, Category
from csu_console.core.dispatch import (
    Outcome,
    Unit,
    UnitStatus,
    plan_dispatch,
    plan_end,
    unit_statuses,
)
from csu_console.core.protocol import AlertMessage
from csu_console.core.states import Actor, plan
from csu_console.storage.store import Store
from csu_console.storage.unit_fold import UnitFold

ALPHA, BRAVO = Unit("pm-a1", "Alpha 1"), Unit("pm-b", "Bravo")
UNITS = (ALPHA, BRAVO)
ME = Actor("poste-1", "durand")


def add_alert(store: Store, n: int) -> int:
    alert = Alert("plateforme", f"A{n}", datetime.now(UTC), Category.RIXE, 1)
    [out] = store.commit_batch([AlertMessage(n, alert)], "poste-1")
    assert out.stored is not None
    return out.stored.pk


def engage(store: Store, pk: int, unit: Unit) -> None:
    states = unit_statuses(UNITS, store.unit_events())
    p = plan_dispatch(unit, states, pk, store.claim(pk), ME, datetime.now(UTC), confirmed=True)
    assert p.allowed, p.message
    assert store.record_dispatch(pk, p, ME.station, ME.operator)


def close(store: Store, pk: int) -> None:
    t = plan(store.claim(pk), ME, AlertState.CLOSED, datetime.now(UTC))
    assert store.apply_transition(pk, t)


def test_incremental_fold_matches_the_full_fold(tmp_path: Path) -> None:
    store = Store(tmp_path / "csu.sqlite3")
    fold = UnitFold(UNITS)
    a1, a2, a3 = (add_alert(store, n) for n in (1, 2, 3))
    assert fold.update(store)[ALPHA.id].status is UnitStatus.DISPONIBLE
    engage(store, a1, ALPHA)
    engage(store, a2, BRAVO)
    assert fold.update(store)[BRAVO.id].alert_pk == a2
    close(store, a3)  # never dispatched: no unit cares
    close(store, a2)  # frees Bravo
    details = plan_end(ALPHA, fold.states, a1, Outcome.VERBALISATION, "")
    store.add_event("dispatch_ended", a1, ME.station, ME.operator, details)
    incremental = fold.update(store)
    assert incremental == unit_statuses(UNITS, store.unit_events())
    assert incremental[ALPHA.id].status is incremental[BRAVO.id].status is UnitStatus.DISPONIBLE
    # nothing new: nothing read
    assert store.unit_events(fold.last_pk, since=fold.last_at, engaged=set()) == []
    store.close()


def test_the_first_fold_reads_only_the_horizon(tmp_path: Path) -> None:
    store = Store(tmp_path / "csu.sqlite3")
    pk = add_alert(store, 1)
    old = datetime.now(UTC) - UnitFold.HORIZON - timedelta(days=1)
    store.add_event("unit_unavailable", None, "poste-1", "durand", {"unit": ALPHA.id}, at=old)
    engage(store, pk, BRAVO)
    states = UnitFold(UNITS).update(store)
    assert states[ALPHA.id].status is UnitStatus.DISPONIBLE  # older than the horizon
    assert states[BRAVO.id].status is UnitStatus.EN_INTERVENTION
    store.close()
