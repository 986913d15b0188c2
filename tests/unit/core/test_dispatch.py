"""Tests for units, their status folded from events, and dispatch planning
(csu_console.core.dispatch)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import (
    DispatchRefused,
    DispatchVerdict,
    Outcome,
    Stage,
    Unit,
    UnitKind,
    UnitState,
    UnitStatus,
    engaged_on,
    plan_availability,
    plan_dispatch,
    plan_end,
    plan_on_site,
    unit_statuses,
)
from csu_console.core.logbook import EventKind, LogbookError, LogEvent
from csu_console.core.states import Actor, Claim

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
ALPHA = Unit("pm-a1", "Alpha 1", UnitKind.VEHICULE)
BRAVO = Unit("pm-b", "Bravo", UnitKind.VELO)
UNITS = (ALPHA, BRAVO)
ME = Actor("poste-1", "durand")
OTHER = Actor("poste-2", "dupont")
FREE = UnitState()


def ev(pk: int, kind: str, alert: int | None = None, **details: Any) -> LogEvent:
    return LogEvent(pk, kind, T0 + timedelta(minutes=pk), alert, "poste-1", "durand", details)


# --- status from events ----------------------------------------------------------------


def test_no_events_every_unit_is_available() -> None:
    assert unit_statuses(UNITS, []) == {"pm-a1": FREE, "pm-b": FREE}


def test_engagement_life_cycle() -> None:
    events = [ev(1, "dispatched", 7, unit="pm-a1")]
    st = unit_statuses(UNITS, events)
    assert st["pm-a1"] == UnitState(UnitStatus.EN_INTERVENTION, 7, Stage.DISPATCHED, ev(1, "").at)
    assert st["pm-b"] == FREE
    events.append(ev(2, "on_site", 7, unit="pm-a1"))
    st = unit_statuses(UNITS, events)
    assert (st["pm-a1"].status, st["pm-a1"].stage) == (UnitStatus.EN_INTERVENTION, Stage.ON_SITE)
    assert engaged_on(st, 7) == ["pm-a1"]
    events.append(ev(3, "dispatch_ended", 7, unit="pm-a1", outcome="verbalisation"))
    st = unit_statuses(UNITS, events)
    assert st["pm-a1"].status is UnitStatus.DISPONIBLE
    assert engaged_on(st, 7) == []


def test_steps_for_another_alert_do_not_move_the_unit() -> None:
    st = unit_statuses(
        UNITS,
        [
            ev(1, "dispatched", 7, unit="pm-a1"),
            ev(2, "on_site", 8, unit="pm-a1"),
            ev(3, "dispatch_ended", 8, unit="pm-a1"),
        ],
    )
    assert (st["pm-a1"].alert_pk, st["pm-a1"].stage) == (7, Stage.DISPATCHED)


def test_closing_the_alert_frees_its_units_only() -> None:
    st = unit_statuses(
        UNITS,
        [
            ev(1, "dispatched", 7, unit="pm-a1"),
            ev(2, "dispatched", 8, unit="pm-b"),
            ev(3, "closed", 7, from_state="dispatched"),
        ],
    )
    assert st["pm-a1"].status is UnitStatus.DISPONIBLE
    assert st["pm-b"].alert_pk == 8


def test_a_takeover_that_closes_frees_units_too() -> None:
    st = unit_statuses(
        UNITS,
        [ev(1, "dispatched", 7, unit="pm-a1"), ev(2, "taken_over", 7, state="closed")],
    )
    assert st["pm-a1"].status is UnitStatus.DISPONIBLE


def test_unavailable_then_available_and_unknown_units_ignored() -> None:
    st = unit_statuses(
        UNITS,
        [
            ev(1, "unit_unavailable", unit="pm-b"),
            ev(2, "dispatched", 9, unit="retiree"),  # removed from the settings since
            ev(3, "muted", seconds=30),
        ],
    )
    assert st["pm-b"].status is UnitStatus.INDISPONIBLE
    assert set(st) == {"pm-a1", "pm-b"}
    st = unit_statuses(
        UNITS, [ev(1, "unit_unavailable", unit="pm-b"), ev(2, "unit_available", unit="pm-b")]
    )
    assert st["pm-b"].status is UnitStatus.DISPONIBLE


def test_engaged_again_elsewhere_leaves_the_first_alert() -> None:
    st = unit_statuses(
        UNITS, [ev(1, "dispatched", 7, unit="pm-a1"), ev(2, "dispatched", 8, unit="pm-a1")]
    )
    assert st["pm-a1"].alert_pk == 8
    assert engaged_on(st, 7) == []


# --- plan_dispatch -------------------------------------------------------------------


def test_first_unit_moves_the_alert_to_dispatched() -> None:
    claim = Claim(AlertState.ACKNOWLEDGED, "poste-1", "durand", T0)
    p = plan_dispatch(ALPHA, {}, 7, claim, ME, T0 + timedelta(seconds=5))
    assert p.verdict is DispatchVerdict.ALLOWED and p.allowed
    assert p.transition is not None and p.transition.after.state is AlertState.DISPATCHED
    assert p.before == claim
    assert p.at == T0 + timedelta(seconds=5)
    assert p.details == {
        "from_state": "acknowledged",
        "unit": "pm-a1",
        "unit_name": "Alpha 1",
        "unit_kind": "vehicule",
    }


def test_second_unit_by_the_same_operator_keeps_the_state() -> None:
    claim = Claim(AlertState.DISPATCHED, "poste-1", "durand", T0)
    p = plan_dispatch(BRAVO, {}, 7, claim, ME, T0)
    assert p.allowed and p.transition is None
    assert p.at is not None and p.at > T0  # after the state it follows
    assert p.details["unit"] == "pm-b"
    assert "from_state" not in p.details


def test_a_unit_engaged_elsewhere_needs_confirmation() -> None:
    states = {"pm-a1": UnitState(UnitStatus.EN_INTERVENTION, 3, Stage.ON_SITE, T0)}
    p = plan_dispatch(ALPHA, states, 7, Claim(), ME, T0)
    assert p.verdict is DispatchVerdict.NEEDS_CONFIRMATION
    assert p.message == (
        "Alpha 1 est déjà engagée sur l'alerte n° 3 (sur place) : "
        "l'engager quand même sur celle-ci ?"
    )
    assert p.transition is None and not p.allowed
    confirmed = plan_dispatch(ALPHA, states, 7, Claim(), ME, T0, confirmed=True)
    assert confirmed.allowed
    assert confirmed.details["previous_alert"] == 3


def test_an_unavailable_unit_needs_confirmation() -> None:
    states = {"pm-b": UnitState(UnitStatus.INDISPONIBLE)}
    p = plan_dispatch(BRAVO, states, 7, Claim(), ME, T0)
    assert p.verdict is DispatchVerdict.NEEDS_CONFIRMATION
    assert "indisponible" in p.message
    assert plan_dispatch(BRAVO, states, 7, Claim(), ME, T0, confirmed=True).details[
        "was_unavailable"
    ]


def test_the_same_unit_twice_on_one_alert_is_refused() -> None:
    states = {"pm-a1": UnitState(UnitStatus.EN_INTERVENTION, 7, Stage.DISPATCHED, T0)}
    p = plan_dispatch(ALPHA, states, 7, Claim(AlertState.DISPATCHED, "poste-1", "durand"), ME, T0)
    assert p.verdict is DispatchVerdict.REFUSED
    assert p.message == "Alpha 1 est déjà engagée sur cette alerte."


@pytest.mark.parametrize(
    ("claim", "verdict", "text"),
    [
        (Claim(AlertState.CLOSED, "poste-1", "durand", T0), DispatchVerdict.REFUSED, "clôturée"),
        (
            Claim(AlertState.DISPATCHED, "poste-2", "dupont", T0),
            DispatchVerdict.REFUSED,
            "pas de second engagement",
        ),
        (
            Claim(AlertState.ACKNOWLEDGED, "poste-2", "dupont", T0),
            DispatchVerdict.NEEDS_TAKEOVER_REASON,
            "motif de la reprise",
        ),
    ],
)
def test_the_alert_state_rules_apply(claim: Claim, verdict: DispatchVerdict, text: str) -> None:
    p = plan_dispatch(ALPHA, {}, 7, claim, ME, T0)
    assert p.verdict is verdict
    assert text in p.message


def test_a_takeover_with_reason_then_confirmation() -> None:
    claim = Claim(AlertState.ACKNOWLEDGED, "poste-2", "dupont", T0)
    busy = {"pm-a1": UnitState(UnitStatus.EN_INTERVENTION, 3, Stage.DISPATCHED, T0)}
    asked = plan_dispatch(ALPHA, busy, 7, claim, ME, T0, reason="Poste 2 absent")
    assert asked.verdict is DispatchVerdict.NEEDS_CONFIRMATION
    p = plan_dispatch(ALPHA, busy, 7, claim, ME, T0, reason="Poste 2 absent", confirmed=True)
    assert p.allowed and p.transition is not None
    assert p.transition.kind == "taken_over"
    assert p.transition.details["reason"] == "Poste 2 absent"
    assert "reason" not in p.details  # the dispatched event holds the unit only


# --- on site, end, availability ------------------------------------------------------------

ENGAGED = {"pm-a1": UnitState(UnitStatus.EN_INTERVENTION, 7, Stage.DISPATCHED, T0)}
ON_SITE = {"pm-a1": UnitState(UnitStatus.EN_INTERVENTION, 7, Stage.ON_SITE, T0)}


def test_on_site() -> None:
    assert plan_on_site(ALPHA, ENGAGED, 7) == {"unit": "pm-a1", "unit_name": "Alpha 1"}
    with pytest.raises(DispatchRefused, match="déjà sur place"):
        plan_on_site(ALPHA, ON_SITE, 7)
    with pytest.raises(DispatchRefused, match="n'est pas engagée sur l'alerte n° 8"):
        plan_on_site(ALPHA, ENGAGED, 8)


def test_end_with_outcome_and_comment() -> None:
    details = plan_end(ALPHA, ON_SITE, 7, Outcome.REMIS_POLICE_NATIONALE, "  remis   à la PN ")
    assert details == {
        "unit": "pm-a1",
        "unit_name": "Alpha 1",
        "outcome": "remis_police_nationale",
        "comment": "remis à la PN",
    }
    assert plan_end(ALPHA, ENGAGED, 7, Outcome.FAUSSE_ALERTE)["comment"] == ""
    with pytest.raises(LogbookError, match="commentaire est obligatoire"):
        plan_end(ALPHA, ON_SITE, 7, Outcome.AUTRE, "   ")
    with pytest.raises(DispatchRefused):
        plan_end(BRAVO, ON_SITE, 7, Outcome.RIEN_A_SIGNALER)


def test_availability() -> None:
    kind, details = plan_availability(BRAVO, {}, available=False, comment="pause repas")
    assert kind is EventKind.UNIT_UNAVAILABLE
    assert details == {"unit": "pm-b", "unit_name": "Bravo", "comment": "pause repas"}
    with pytest.raises(DispatchRefused, match="déjà disponible"):
        plan_availability(BRAVO, {}, available=True)
    with pytest.raises(DispatchRefused, match="terminez d'abord"):
        plan_availability(ALPHA, ENGAGED, available=False)
