"""What partners' CAP Updates, Cancels, exercises and expiry do to the alarm and the
alert book (core/cap_alarm.py, core/alert_book.py, core/interrupt.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from csu_console.core.alert_book import AlertBook
from csu_console.core.alerts import (
    Alert,
    AlertState,
    Category,
    IssuerState,
    Location,
    StoredAlert,
)
from csu_console.core.cap_alarm import RingAction, is_new_row, issuer_text, ring_action
from csu_console.core.cap_facts import CapFacts, CapInfo, MsgType, Status
from csu_console.core.intake import Outcome
from csu_console.core.interrupt import AlarmPolicy, AlarmScheduler, RingReason

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
STATION = "poste-1"


def cap_alert(
    ident: str,
    *,
    priority: int = 2,
    status: Status = Status.ACTUAL,
    msg_type: MsgType = MsgType.ALERT,
    expires: datetime | None = None,
    note: str = "",
    infos: tuple[CapInfo, ...] = (),
) -> Alert:
    return Alert(
        source="vigicrues@example.fr",
        id=ident,
        sent=T0,
        category=Category.INONDATION,
        priority=priority,
        title=f"Crue {ident}",
        location=Location(43.83, 4.36, "Quai de la Fontaine"),
        fmt="cap",
        expires=expires,
        cap=CapFacts(msg_type=msg_type, status=status, note=note, infos=infos),
    )


def stored(pk: int, alert: Alert, **kw: object) -> StoredAlert:
    return StoredAlert(pk=pk, alert=alert, received_at=T0 + timedelta(seconds=pk), seq=pk, **kw)  # type: ignore[arg-type]


def action(o: Outcome, ring_exercises: bool = False) -> RingAction:
    return ring_action(o, ring_exercises=ring_exercises, station=STATION, now=T0)


# -- what rings ------------------------------------------------------------------


def test_a_new_actual_alert_rings_an_exercise_only_when_the_site_says_so() -> None:
    actual = stored(1, cap_alert("a"))
    exercise = stored(2, cap_alert("e", status=Status.EXERCISE))
    assert action(Outcome(1, "stored", "a", actual)) is RingAction.RING
    assert action(Outcome(2, "stored", "e", exercise)) is RingAction.NONE
    assert action(Outcome(2, "stored", "e", exercise), ring_exercises=True) is RingAction.RING


def test_an_original_arriving_after_its_cancel_or_past_its_expiry_never_rings() -> None:
    cancelled = stored(1, cap_alert("a"), issuer_state=IssuerState.CANCELLED)
    assert action(Outcome(1, "stored", "a", cancelled)) is RingAction.SILENCE
    past = stored(2, cap_alert("b", expires=T0 - timedelta(minutes=1)))
    assert action(Outcome(2, "stored", "b", past)) is RingAction.NONE
    later = stored(3, cap_alert("c", expires=T0 + timedelta(hours=1)))
    assert action(Outcome(3, "stored", "c", later)) is RingAction.RING


def test_an_update_rings_again_only_when_its_priority_rose_and_the_alert_is_ours() -> None:
    new = stored(1, cap_alert("a", priority=1), version=1)
    assert action(Outcome(1, "updated", "a", new, rings=True)) is RingAction.RING
    assert action(Outcome(1, "updated", "a", new, rings=False)) is RingAction.REFRESH
    held_here = replace(new, state=AlertState.ACKNOWLEDGED, state_station=STATION)
    assert action(Outcome(1, "updated", "a", held_here, rings=True)) is RingAction.RING
    held_there = replace(held_here, state_station="poste-2")
    assert action(Outcome(1, "updated", "a", held_there, rings=True)) is RingAction.REFRESH
    closed = replace(held_here, state=AlertState.CLOSED)
    assert action(Outcome(1, "updated", "a", closed, rings=True)) is RingAction.REFRESH
    drill = stored(2, cap_alert("e", status=Status.EXERCISE, priority=1), version=1)
    assert action(Outcome(2, "updated", "e", drill, rings=True)) is RingAction.REFRESH


def test_a_cancel_silences_feed_messages_do_nothing() -> None:
    cancelled = stored(1, cap_alert("a"), issuer_state=IssuerState.CANCELLED)
    assert action(Outcome(1, "cancelled", "a", cancelled)) is RingAction.SILENCE
    assert action(Outcome(2, "pending", "c")) is RingAction.NONE
    logged = stored(3, cap_alert("t", status=Status.TEST))
    assert action(Outcome(3, "logged", "t", logged)) is RingAction.NONE
    assert not is_new_row(Outcome(3, "logged", "t", logged))
    assert not is_new_row(Outcome(1, "cancelled", "a", cancelled))
    assert is_new_row(Outcome(4, "stored", "x", stored(4, cap_alert("x"))))


@pytest.mark.parametrize(
    ("note", "infos", "said"),
    [
        ("Fausse alerte :  capteur   défectueux", (), "Fausse alerte : capteur défectueux"),
        ("", (CapInfo("fr-FR", "Crue", description="Décrue amorcée"),), "Décrue amorcée"),
        ("", (CapInfo("fr-FR", "Crue", headline="Fin de vigilance"),), "Fin de vigilance"),
        ("", (), ""),
    ],
)
def test_what_a_cancel_said(note: str, infos: tuple[CapInfo, ...], said: str) -> None:
    cancel = cap_alert("c", msg_type=MsgType.CANCEL, note=note, infos=infos)
    assert issuer_text(stored(1, cancel)) == said
    # The row kept the original's facts: nothing to quote from it.
    assert issuer_text(stored(1, cap_alert("a", note=note))) == ""


def test_the_scheduler_stops_ringing_a_withdrawn_alert_without_an_acknowledgement() -> None:
    s = AlarmScheduler(AlarmPolicy(escalation_after_s=30))
    s.alert_arrived(("p", "a"), 1, 0.0)
    assert [r.reason for r in s.due(0.0)] == [RingReason.NEW]
    assert s.withdrawn(("p", "a"), 1.0)
    assert s.due(100.0) == [] and s.next_deadline(100.0) is None  # no repeat, no escalation
    assert not s.withdrawn(("p", "a"), 2.0)


# -- the book ----------------------------------------------------------------------


def book_with(*items: StoredAlert) -> AlertBook:
    book = AlertBook()
    book.receive([Outcome(i.seq, "stored", i.alert.id, i) for i in items])
    book.merge_all()
    return book


def test_an_update_replaces_the_row_in_place_and_is_unseen_until_looked_at() -> None:
    a, b = stored(1, cap_alert("a", priority=2)), stored(2, cap_alert("b", priority=3))
    book = book_with(a, b)
    new = replace(a, alert=replace(a.alert, title="Crue : niveau 2"), version=1)
    book.receive([Outcome(None, "updated", "a", new, rings=False)])
    assert book.incoming == []  # not a new row
    assert book.revise(new) == 1
    assert [r.pk for r in book.rows] == [1, 2] and book.rows[0].alert.title == "Crue : niveau 2"
    assert book.update_unseen(1) and not book.unsorted
    assert book.mark_seen(1) and not book.update_unseen(1) and not book.mark_seen(1)


def test_a_priority_change_moves_the_row_at_the_next_relayout() -> None:
    a, b = stored(1, cap_alert("a", priority=3)), stored(2, cap_alert("b", priority=2))
    book = book_with(a, b)
    assert [r.pk for r in book.rows] == [2, 1]
    book.revise(replace(a, alert=replace(a.alert, priority=1), version=1))
    assert book.unsorted
    book.relayout()
    assert [r.pk for r in book.rows] == [1, 2] and not book.unsorted


def test_a_cancel_marks_the_row_and_feed_messages_never_enter_the_book() -> None:
    a = stored(1, cap_alert("a"))
    book = book_with(a)
    book.receive(
        [
            Outcome(None, "pending", "x"),
            Outcome(None, "logged", "t", stored(9, cap_alert("t", status=Status.TEST))),
        ]
    )
    assert book.incoming == [] and book.feed_messages == 2
    book.revise(replace(a, issuer_state=IssuerState.CANCELLED))
    assert book.rows[0].issuer_state is IssuerState.CANCELLED
    assert not book.update_unseen(1)  # a cancel is not an update
    # An alert the book does not hold stays out of it.
    assert book.revise(stored(5, cap_alert("z"), issuer_state=IssuerState.CANCELLED)) is None
    assert book.merge_all().fresh == [] and len(book.rows) == 1


def test_a_revision_of_an_alert_still_waiting_for_the_merge_changes_it_there() -> None:
    book = AlertBook()
    a = stored(1, cap_alert("a"))
    book.receive([Outcome(1, "stored", "a", a)])
    assert book.revise(replace(a, issuer_state=IssuerState.EXPIRED)) is None
    book.merge_all()
    assert book.rows[0].issuer_state is IssuerState.EXPIRED


def test_a_cancelled_first_report_gathers_no_new_report_under_its_grey_row() -> None:
    """Two floods 10 m apart group; once the first is cancelled, a third one nearby
    starts a row of its own instead of hiding under the cancelled one."""
    from csu_console.core.grouping import Grouper

    book = AlertBook(Grouper())
    first, second = stored(1, cap_alert("a")), stored(2, cap_alert("b"))
    book.receive([Outcome(1, "stored", "a", first), Outcome(2, "stored", "b", second)])
    book.merge_all()
    assert len(book.rows) == 1 and book.group_size(1) == 2
    book.revise(replace(first, issuer_state=IssuerState.CANCELLED))
    third = stored(3, cap_alert("c"))
    book.receive([Outcome(3, "stored", "c", third)])
    book.merge_all()
    assert len(book.rows) == 2
    assert book.group_key(third) == third.alert.key
    assert book.group_size(1) == 2  # the cancelled group keeps its members
