"""The station's alert book, without Qt: merging, order, groups, claims, holds,
escalation marks and other stations' presence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from csu_console.core.alert_book import AlertBook, Viewer, sort_key
from csu_console.core.alerts import Alert, AlertState, Category, Location, StoredAlert
from csu_console.core.grouping import Grouper
from csu_console.core.intake import Outcome
from csu_console.core.protocol import Rejection
from csu_console.core.states import Claim

T0 = datetime(2025, 1, 15, 8, 0, 0, tzinfo=UTC)


def stored(pk: int, priority: int = 3, *, lon: float = 4.88, at: int | None = None) -> StoredAlert:
    alert = Alert(
        source="vv",
        id=f"A-{pk}",
        sent=T0,
        category=Category.CAMBRIOLAGE,
        priority=priority,
        title=f"Alerte {pk}",
        description="",
        location=Location(lon, 45.76, "1 rue", 10.0),
        commune="Lyon",
    )
    received = T0 + timedelta(seconds=pk if at is None else at)
    return StoredAlert(pk=pk, alert=alert, received_at=received, seq=pk, state=AlertState.NEW)


def outcome(item: StoredAlert) -> Outcome:
    return Outcome(item.seq, "stored", item.alert.id, item)


def pks(book: AlertBook) -> list[int]:
    return [a.pk for a in book.rows]


def test_merges_most_urgent_then_newest_and_drops_duplicates() -> None:
    book = AlertBook()
    items = [stored(1, 3), stored(2, 1), stored(3, 2), stored(4, 1)]
    book.receive([outcome(a) for a in items])
    assert book.pending_merge() == 4 and book.rows == []
    merge = book.merge_all()
    assert {a.pk for a in merge.fresh} == {1, 2, 3, 4}
    assert pks(book) == [4, 2, 3, 1]
    assert book.keys == sorted(book.keys) and book.keys[0] == sort_key(items[3])
    book.queue([items[0]])  # again (the database's load racing the link)
    assert book.merge_all().fresh == [] and len(book.rows) == 4


def test_rejected_frames_are_counted_not_shown() -> None:
    book = AlertBook()
    raw = b"{x"
    rejected = Outcome(9, "rejected", rejection=Rejection(9, "JSON invalide", raw, 2, True))
    book.receive([rejected, outcome(stored(1))])
    book.merge_all()
    assert book.rejected_count == 1 and pks(book) == [1]


def test_a_limited_take_leaves_the_rest_waiting() -> None:
    book = AlertBook()
    book.queue([stored(i) for i in range(1, 11)])
    merge = book.take_incoming(4)
    assert len(merge.fresh) == 4 and book.pending_merge() == 6


def test_grouped_reports_join_their_leader() -> None:
    book = AlertBook(Grouper(radius_m=200, window=timedelta(minutes=10)))
    leader, near, far = stored(1), stored(2), stored(3, lon=5.5)
    book.queue([leader, near, far])
    merge = book.merge_all()
    assert merge.grown == {1}
    assert sorted(pks(book)) == [1, 3]
    assert [m.pk for m in book.members(1)] == [1, 2]
    assert book.leader_pk(2) == 1 and book.group_size(1) == 2 and book.report_count() == 3
    assert book.by_key(near.alert.key) == near and book.member(2) == near


def test_claims_change_rows_members_and_waiting_alerts() -> None:
    book = AlertBook(Grouper(radius_m=200, window=timedelta(minutes=10)))
    book.queue([stored(1), stored(2)])
    book.merge_all()
    claim = Claim(AlertState.ACKNOWLEDGED, "poste-2", "martin", T0)
    assert book.apply_claim(2, claim) == 1  # a member: its leader's row shows it
    member = book.member(2)
    assert member is not None and member.state_station == "poste-2"
    assert book.apply_claim(1, claim) == 1
    assert book.count_in_state(AlertState.ACKNOWLEDGED) == 1
    # Still waiting for the merge: changed where it waits, found once merged.
    book.queue([stored(7, lon=6.0)])
    assert book.apply_claim(7, claim) is None
    book.merge_all()
    shown = book.alert_by_pk(7)
    assert shown is not None and shown.state is AlertState.ACKNOWLEDGED


def test_holds_count_and_only_the_last_release_frees() -> None:
    book = AlertBook()
    book.hold("pointer")
    book.hold("dialog")
    assert book.is_held()
    assert not book.release("pointer") and not book.release("unknown")
    assert book.release("dialog") and not book.is_held()


def test_escalation_marks() -> None:
    book = AlertBook()
    book.queue([stored(1)])
    book.merge_all()
    assert not book.is_escalated(1)
    book.mark_escalated(1)
    assert book.is_escalated(1)


def test_other_stations_viewing_move_with_them() -> None:
    book = AlertBook(Grouper(radius_m=200, window=timedelta(minutes=10)))
    a, member, b = stored(1), stored(2), stored(3, lon=5.5)
    book.queue([a, member, b])
    book.merge_all()
    assert book.set_viewing("poste-2", "martin", member.alert.key) == {1}  # its group's row
    assert book.viewers(1) == [Viewer("poste-2", "martin")] and book.viewers(3) == []
    # poste-2 moves to b: both rows change, the first loses its mark.
    assert book.set_viewing("poste-2", "martin", b.alert.key) == {1, 3}
    assert book.viewers(1) == [] and book.viewers(3) == [Viewer("poste-2", "martin")]
    book.set_viewing("poste-3", "durand", b.alert.key)
    assert [v.station for v in book.viewers(3)] == ["poste-2", "poste-3"]
    assert book.set_viewing("poste-2", "", None) == {3}
    assert book.viewers(3) == [Viewer("poste-3", "durand")]
    # An alert this station does not have (yet): remembered, no row to change.
    assert book.set_viewing("poste-4", "x", ("vv", "unknown")) == set()


def closed(item: StoredAlert) -> StoredAlert:
    return StoredAlert(
        pk=item.pk, alert=item.alert, received_at=item.received_at, seq=item.seq,
        state=AlertState.CLOSED, state_station="poste-2", state_operator="Op",
    )  # fmt: skip


def test_closed_rows_past_the_newest_ones_kept_are_let_go_and_open_ones_never() -> None:
    book = AlertBook()
    items = [stored(i) for i in range(1, 11)]
    book.queue(items)
    book.merge_all()
    for item in items[:7]:  # 1…7 closed, 8…10 open
        book.apply_stored(closed(item))
    book.mark_escalated(1)
    assert book.retirable(3) == sorted(book.row_of(pk) for pk in (1, 2, 3, 4))
    gone = book.retire_closed(3, spare=[2])  # the operator looks at n° 2
    assert sorted(a.pk for a in gone) == [1, 3, 4]
    assert sorted(pks(book)) == [2, 5, 6, 7, 8, 9, 10]
    assert book.keys == sorted(book.keys) and len(book.keys) == len(book.rows)
    assert book.by_key(items[0].alert.key) is None and not book.is_escalated(1)
    assert book.retired_count() == 3
    assert book.retire_closed(3, spare=[2]) == []  # nothing more past the newest three


def test_a_group_goes_only_when_all_its_reports_are_closed_and_whole() -> None:
    grouper = Grouper(radius_m=200, window=timedelta(minutes=10))
    book = AlertBook(grouper)
    leader, near, other = stored(1), stored(2), stored(3, lon=5.5)
    book.queue([leader, near, other])
    book.merge_all()
    book.apply_stored(closed(leader))
    book.apply_stored(closed(other))
    assert [book.rows[r].pk for r in book.retirable(0)] == [3]  # n° 2 still open
    book.apply_stored(closed(near))
    # Reports are counted: n° 3 (the newest, alone) keeps one; n° 1's group holds two.
    assert [book.rows[r].pk for r in book.retirable(1)] == [1]
    assert book.retirable(2) == []  # n° 1's group kept whole to reach two
    gone = book.retire_closed(0)
    assert sorted(a.pk for a in gone) == [1, 2, 3] and book.rows == []
    assert book.member(2) is None and book.report_count() == 0
    assert grouper.group_of(leader.alert.key) is None  # the grouping rule forgot it too


def test_a_retired_alert_reopened_elsewhere_comes_back_and_a_closed_update_does_not() -> None:
    book = AlertBook()
    item = stored(1)
    book.queue([item, stored(2)])
    book.merge_all()
    book.apply_stored(closed(item))
    assert [a.pk for a in book.retire_closed(0)] == [1]
    assert book.apply_stored(closed(item)) is None and book.pending_merge() == 0
    reopened = replace(closed(item), state=AlertState.ACKNOWLEDGED)
    assert book.apply_stored(reopened) is None
    book.merge_all()
    assert sorted(pks(book)) == [1, 2] and book.alert_by_pk(1) == reopened
