"""Tests for the alert life cycle (csu_console.core.states): transitions, takeovers, updates."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone

import pytest

from csu_console.core.alerts import Alert, AlertState, Category, StoredAlert
from csu_console.core.protocol import UpdateMessage
from csu_console.core.states import (
    Actor,
    Claim,
    TransitionRefused,
    UpdateEffect,
    Verdict,
    apply_update,
    decide,
    plan,
    stamp,
)
from csu_console.errors import UserFacingError

NEW, ACK, DISP, CLOSED = (
    AlertState.NEW,
    AlertState.ACKNOWLEDGED,
    AlertState.DISPATCHED,
    AlertState.CLOSED,
)
T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
ME = Actor("poste-1", "Durand")
COLLEAGUE = Actor("poste-1", "Martin")  # same station, other operator
OTHER = Actor("poste-2", "Dupont")
NAMES = {"poste-1": "Poste 1", "poste-2": "Poste 2"}

ALLOWED, REASON, REFUSED, SAME = (
    Verdict.ALLOWED,
    Verdict.NEEDS_TAKEOVER_REASON,
    Verdict.REFUSED,
    Verdict.UNCHANGED,
)


def held(state: AlertState, by: Actor | None, at: datetime | None = T0) -> Claim:
    if by is None:
        return Claim(state, at=at)
    return Claim(state, by.station, by.operator, at)


# --- decide: the full table ---------------------------------------------------------

# (current state, holder, target) -> verdict; ME asks.
TABLE: list[tuple[AlertState, Actor | None, AlertState, Verdict]] = [
    # new: anyone may move it forward, skipping steps
    (NEW, None, NEW, REFUSED),
    (NEW, None, ACK, ALLOWED),
    (NEW, None, DISP, ALLOWED),
    (NEW, None, CLOSED, ALLOWED),
    # held by me
    (ACK, ME, NEW, REFUSED),
    (ACK, ME, ACK, SAME),
    (ACK, ME, DISP, ALLOWED),
    (ACK, ME, CLOSED, ALLOWED),
    (DISP, ME, ACK, REFUSED),
    (DISP, ME, DISP, SAME),
    (DISP, ME, CLOSED, ALLOWED),
    (DISP, ME, NEW, REFUSED),
    (CLOSED, ME, CLOSED, REFUSED),
    (CLOSED, ME, ACK, REFUSED),
    # held by another station
    (ACK, OTHER, ACK, REASON),
    (ACK, OTHER, DISP, REASON),
    (ACK, OTHER, CLOSED, REASON),
    (ACK, OTHER, NEW, REFUSED),
    (DISP, OTHER, DISP, REFUSED),  # no double dispatch
    (DISP, OTHER, ACK, REFUSED),
    (DISP, OTHER, CLOSED, REASON),
    (CLOSED, OTHER, CLOSED, REFUSED),
    (CLOSED, OTHER, DISP, REFUSED),
    (CLOSED, OTHER, NEW, REFUSED),
    # held by another operator at this station: a takeover too
    (ACK, COLLEAGUE, ACK, REASON),
    (ACK, COLLEAGUE, DISP, REASON),
    (DISP, COLLEAGUE, DISP, REFUSED),
    # state without a recorded holder (older data): nobody to take over from
    (ACK, None, ACK, SAME),
    (ACK, None, DISP, ALLOWED),
]


@pytest.mark.parametrize(
    ("state", "holder", "target", "verdict"),
    TABLE,
    ids=[f"{s}-{h.operator if h else 'none'}-{t}" for s, h, t, _ in TABLE],
)
def test_transition_table(
    state: AlertState, holder: Actor | None, target: AlertState, verdict: Verdict
) -> None:
    decision = decide(held(state, holder), ME, target)
    assert decision.verdict is verdict
    assert decision.allowed == (verdict is ALLOWED)
    assert bool(decision.message) == (verdict is not ALLOWED)


def test_table_covers_every_pair_of_states() -> None:
    seen = {(s, t) for s, _, t, _ in TABLE}
    assert seen == set(itertools.product(AlertState, AlertState))


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (held(DISP, OTHER), DISP, "Alerte déjà engagée par Poste 2 – Dupont : pas de second"),
        (held(CLOSED, OTHER), CLOSED, "Alerte déjà clôturée par Poste 2 – Dupont."),
        (held(CLOSED, None), ACK, "Alerte déjà clôturée."),
        (
            held(DISP, ME),
            ACK,
            "déjà à l'état « Patrouille engagée » par Poste 1 – Durand : "
            "retour à « Prise en compte » impossible",
        ),
        (held(NEW, None), NEW, "Retour à l'état « Nouvelle » impossible."),
        (
            held(ACK, OTHER),
            DISP,
            "Alerte prise en compte par Poste 2 – Dupont : indiquez le motif de la reprise.",
        ),
        (
            held(DISP, OTHER),
            CLOSED,
            "Alerte engagée par Poste 2 – Dupont : indiquez le motif",
        ),
    ],
)
def test_messages_are_french_and_name_the_holder(
    current: Claim, target: AlertState, message: str
) -> None:
    assert message in decide(current, ME, target, NAMES).message


def test_station_without_a_known_name_shows_its_id() -> None:
    decision = decide(held(DISP, OTHER), ME, DISP)
    assert "poste-2 – Dupont" in decision.message
    assert Actor("poste-3").label() == "poste-3"


def test_decision_names_the_holder_being_displaced() -> None:
    assert decide(held(ACK, OTHER), ME, DISP).previous == OTHER
    assert decide(held(NEW, None), ME, ACK).previous is None


# --- plan: transitions ready to store -----------------------------------------------


def test_plan_a_plain_transition() -> None:
    t = plan(Claim(), ME, ACK, T0 + timedelta(microseconds=123456))
    assert t.before == Claim()
    assert t.after == Claim(ACK, "poste-1", "Durand", T0 + timedelta(milliseconds=123))
    assert t.kind == "acknowledged"
    assert t.details == {"from_state": "new"}


def test_plan_a_takeover_needs_a_reason_and_logs_it() -> None:
    current = held(ACK, OTHER)
    with pytest.raises(TransitionRefused) as info:
        plan(current, ME, DISP, T0 + timedelta(seconds=5))
    assert info.value.decision.verdict is REASON
    assert isinstance(info.value, UserFacingError)
    with pytest.raises(TransitionRefused):
        plan(current, ME, DISP, T0 + timedelta(seconds=5), reason="  \n ")
    t = plan(current, ME, DISP, T0 + timedelta(seconds=5), reason="  Poste 2\n absent  ")
    assert t.kind == "taken_over"
    assert t.after.state is DISP and t.after.station == "poste-1"
    assert t.details == {
        "from_state": "acknowledged",
        "state": "dispatched",
        "from_station": "poste-2",
        "from_operator": "Dupont",
        "reason": "Poste 2 absent",
    }


def test_plan_keeps_a_bounded_reason() -> None:
    t = plan(held(ACK, OTHER), ME, ACK, T0 + timedelta(seconds=1), reason="x" * 5000)
    assert len(t.details["reason"]) == 500


@pytest.mark.parametrize(
    ("current", "target"),
    [(held(DISP, OTHER), DISP), (held(CLOSED, ME), CLOSED), (held(ACK, ME), ACK)],
)
def test_plan_refuses_and_unchanged_raise(current: Claim, target: AlertState) -> None:
    with pytest.raises(TransitionRefused) as info:
        plan(current, ME, target, T0 + timedelta(seconds=1), reason="motif")
    assert str(info.value) == info.value.decision.message


def test_plan_sorts_after_the_state_it_replaces_even_with_a_slow_clock() -> None:
    current = held(ACK, OTHER, at=T0)
    t = plan(current, ME, ACK, T0 - timedelta(seconds=3), reason="relève")
    assert t.after.at == T0 + timedelta(milliseconds=1)


def test_stamp_is_utc_to_the_millisecond() -> None:
    paris = timezone(timedelta(hours=2))
    at = stamp(datetime(2024, 6, 1, 14, 0, 0, 999999, tzinfo=paris))
    assert at == datetime(2024, 6, 1, 12, 0, 0, 999000, tzinfo=UTC)
    assert at.tzinfo is UTC


def test_claim_of_a_stored_alert() -> None:
    alert = Alert("plateforme", "X", T0, Category.RIXE, 1)
    stored = StoredAlert(1, alert, T0, state=ACK, state_station="poste-2", state_operator="Dupont")
    assert Claim.of(stored).holder == OTHER
    assert Claim.of(StoredAlert(2, alert, T0)).holder is None


# --- updates from other stations ----------------------------------------------------


def update(state: AlertState, by: Actor, at: datetime) -> UpdateMessage:
    return UpdateMessage("plateforme", "X", state, by.station, by.operator, at)


def test_update_sets_the_holder_and_state() -> None:
    result = apply_update(Claim(), update(ACK, OTHER, T0))
    assert result.effect is UpdateEffect.APPLIED
    assert result.after == Claim(ACK, "poste-2", "Dupont", T0)


def test_older_update_is_ignored() -> None:
    current = held(ACK, ME, at=T0)
    result = apply_update(current, update(ACK, OTHER, T0 - timedelta(seconds=1)))
    assert result.effect is UpdateEffect.STALE
    assert result.after == current


def test_newer_update_of_the_same_state_is_a_takeover() -> None:
    current = held(ACK, ME, at=T0)
    result = apply_update(current, update(ACK, OTHER, T0 + timedelta(seconds=1)))
    assert result.effect is UpdateEffect.APPLIED
    assert result.after.holder == OTHER


def test_our_own_status_echoed_back_is_a_duplicate() -> None:
    t = plan(Claim(), ME, ACK, T0 + timedelta(microseconds=123456))
    echo = update(ACK, ME, T0 + timedelta(microseconds=123456))  # full precision on the wire
    assert apply_update(t.after, echo).effect is UpdateEffect.DUPLICATE


def test_a_later_state_wins_even_when_older() -> None:
    # Poste 2 closed at T0; we acknowledged at T0+1 s without knowing: closed stays.
    current = held(ACK, ME, at=T0 + timedelta(seconds=1))
    result = apply_update(current, update(CLOSED, OTHER, T0))
    assert result.effect is UpdateEffect.APPLIED
    assert result.after.state is CLOSED


@pytest.mark.parametrize("state", [NEW, ACK])
def test_update_to_an_earlier_state_is_ignored(state: AlertState) -> None:
    current = held(DISP, ME, at=T0)
    result = apply_update(current, update(state, OTHER, T0 + timedelta(seconds=9)))
    assert result.effect is UpdateEffect.BACKWARDS
    assert result.after == current


def test_update_without_known_state_time_applies() -> None:
    current = held(ACK, ME, at=None)
    assert apply_update(current, update(ACK, OTHER, T0)).effect is UpdateEffect.APPLIED


AT = T0 + timedelta(seconds=2)
CONVERGENCE = [
    (
        [
            update(ACK, ME, T0),
            update(ACK, OTHER, AT),
            update(ACK, COLLEAGUE, AT),
            update(DISP, OTHER, T0 + timedelta(seconds=1)),
            update(ACK, Actor("poste-3", "Petit"), T0 + timedelta(seconds=30)),
        ],
        Claim(DISP, "poste-2", "Dupont", T0 + timedelta(seconds=1)),
    ),
    (
        # Two takeovers at the same millisecond: the tie-break picks the same one everywhere.
        [update(ACK, ME, T0), update(ACK, OTHER, AT), update(ACK, COLLEAGUE, AT)],
        Claim(ACK, "poste-2", "Dupont", AT),
    ),
]


@pytest.mark.parametrize(("updates", "expected"), CONVERGENCE)
def test_every_station_converges_whatever_the_order(
    updates: list[UpdateMessage], expected: Claim
) -> None:
    """One total order everywhere: the result does not depend on arrival order."""
    finals = set()
    for order in itertools.permutations(updates):
        claim = Claim()
        for u in order:
            claim = apply_update(claim, u).after
        finals.add(claim)
    assert finals == {expected}


def test_our_own_close_echoed_after_a_reopen_does_not_close_it_again() -> None:
    """The gateway echoes every status to every station, the sender too: the echo of
    « closed » can come after the reopen (seen as a flaky GUI test); a later state
    from another station still wins."""
    reopened = held(ACK, ME, T0 + timedelta(seconds=5))
    result = apply_update(reopened, update(CLOSED, ME, T0 + timedelta(seconds=1)))
    assert result.effect is UpdateEffect.STALE and result.after == reopened
    other = apply_update(reopened, update(CLOSED, OTHER, T0 + timedelta(seconds=1)))
    assert other.effect is UpdateEffect.APPLIED
