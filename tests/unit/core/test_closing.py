"""Closing without any unit needs a qualification; reopening needs a reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from csu_console.core.alerts import AlertState
from csu_console.core.closing import (
    QUALIFICATION_LABELS,
    Qualification,
    closing_details,
    needs_qualification,
)
from csu_console.core.logbook import LogbookError
from csu_console.core.states import Actor, Claim, TransitionRefused, decide, plan_reopen

T0 = datetime(2025, 1, 15, 8, 0, tzinfo=UTC)
ME = Actor("poste-1", "dupont")


def test_every_qualification_has_a_label() -> None:
    assert set(QUALIFICATION_LABELS) == set(Qualification)


@pytest.mark.parametrize(
    ("state", "needed"),
    [
        (AlertState.NEW, True),
        (AlertState.ACKNOWLEDGED, True),
        (AlertState.DISPATCHED, False),  # its units ended with an outcome
    ],
)
def test_only_alerts_no_unit_handled_need_a_qualification(state: AlertState, needed: bool) -> None:
    assert needs_qualification(state) is needed


def test_no_qualification_or_autre_without_comment_is_refused() -> None:
    with pytest.raises(LogbookError, match="qualification"):
        closing_details(None)
    with pytest.raises(LogbookError, match="commentaire"):
        closing_details(Qualification.AUTRE, "   ")
    assert closing_details(Qualification.AUTRE, " voisin  prévenu ") == {
        "qualification": "autre",
        "comment": "voisin prévenu",
    }
    assert closing_details(Qualification.DOUBLON) == {"qualification": "doublon"}


def test_a_closed_alert_reopens_with_a_reason_held_by_who_reopened_it() -> None:
    closed = Claim(AlertState.CLOSED, "poste-2", "martin", T0)
    t = plan_reopen(closed, ME, T0, "  le témoin rappelle ")
    assert t.kind == "reopened"
    assert t.after.state is AlertState.ACKNOWLEDGED and t.after.holder == ME
    assert t.after.at is not None and t.after.at > T0
    assert t.details == {
        "from_state": "closed",
        "reason": "le témoin rappelle",
        "from_station": "poste-2",
        "from_operator": "martin",
    }
    # and it can be closed again
    assert decide(t.after, ME, AlertState.CLOSED).allowed


def test_reopening_needs_a_closed_alert_and_a_reason() -> None:
    with pytest.raises(TransitionRefused):
        plan_reopen(Claim(AlertState.NEW), ME, T0, "motif")
    with pytest.raises(TransitionRefused, match="motif"):
        plan_reopen(Claim(AlertState.CLOSED, "poste-2", "martin", T0), ME, T0, "  ")
