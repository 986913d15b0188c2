"""Merges and splits in the station's alert book and its ledger (Qt-free): the
order every station agrees on, duplicates applied once, rows moving under their
leader and standing alone again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from csu_console.core.alert_book import AlertBook
from csu_console.core.alerts import Alert, AlertState, Category, Location, StoredAlert
from csu_console.core.group_ledger import GroupLedger, auto_id
from csu_console.core.grouping import Grouper
from csu_console.core.groups import GroupChange, GroupChangeKind

T0 = datetime(2026, 12, 5, 8, 0, 0, tzinfo=UTC)
MERGE, SPLIT = GroupChangeKind.MERGE, GroupChangeKind.SPLIT


def item(pk: int, *, lon: float = 4.88, cat: Category = Category.CAMBRIOLAGE) -> StoredAlert:
    alert = Alert(
        source="vv", id=f"A-{pk}", sent=T0, category=cat, priority=3, title=f"Alerte {pk}",
        description="", location=Location(lon, 45.76, "1 rue", 10.0), commune="Lyon",
    )  # fmt: skip
    return StoredAlert(pk=pk, alert=alert, received_at=T0 + timedelta(seconds=pk), seq=pk,
                       state=AlertState.NEW)  # fmt: skip


def k(pk: int) -> tuple[str, str]:
    return ("vv", f"A-{pk}")


def change(cid: str, kind: GroupChangeKind, leader: int, *members: int, t: int = 0) -> GroupChange:
    return GroupChange(cid, kind, k(leader), tuple(k(m) for m in members), "poste-1", "dupont",
                       T0 + timedelta(minutes=t), "même incident")  # fmt: skip


def rows(book: AlertBook) -> dict[int, list[int]]:
    return {a.pk: [m.pk for m in book.members(a.pk)[1:]] for a in book.rows}


def far_apart_book(n: int) -> tuple[AlertBook, GroupLedger]:
    ledger = GroupLedger()
    book = AlertBook(Grouper(), ledger)
    book.queue([item(pk, lon=4.80 + pk * 0.01) for pk in range(1, n + 1)])  # ~800 m apart
    book.merge_all()
    return book, ledger


def test_merge_puts_a_row_under_its_leader_and_split_gives_it_back() -> None:
    book, ledger = far_apart_book(3)
    assert rows(book) == {1: [], 2: [], 3: []}
    book.regroup_all(ledger.add(change("c1", MERGE, 1, 3)))
    assert rows(book) == {1: [3], 2: []}
    assert book.leader_pk(3) == 1 and book.group_size(1) == 2
    plan = book.regroup_all(ledger.add(change("c2", SPLIT, 1, 3, t=1)))
    assert [a.pk for a in plan.fresh] == [3] and plan.grown == {1}
    assert rows(book) == {1: [], 2: [], 3: []}


def test_merging_a_group_takes_its_reports_along() -> None:
    book, ledger = far_apart_book(4)
    book.regroup_all(ledger.add(change("c1", MERGE, 2, 3)))
    book.regroup_all(ledger.add(change("c2", MERGE, 1, 2, t=1)))
    assert rows(book) == {1: [2, 3], 4: []}
    # the leader leaves: the first report under it leads the rest
    book.regroup_all(ledger.add(change("c3", SPLIT, 1, 1, t=2)))
    assert rows(book) == {1: [], 2: [3], 4: []}


def test_the_same_change_twice_is_applied_once() -> None:
    book, ledger = far_apart_book(2)
    first = change("c1", MERGE, 1, 2)
    assert ledger.add(first)
    book.regroup_all({k(1), k(2)})
    assert ledger.add(first) == set()
    assert ledger.add(first, seq=7) == set()  # the hub's echo: same place (the end)
    assert ledger.add(first, seq=7) == set()
    assert [e.seq for e in ledger.entries()] == [7]
    assert rows(book) == {1: [2]}


def test_the_hub_order_decides_between_two_stations() -> None:
    # station 1 merged 2 under 1, station 2 split it at the same time: the hub's
    # order (split then merge) is what both stations end with, whatever they saw first
    merge, split = change("m", MERGE, 1, 2, t=5), change("s", SPLIT, 1, 2, t=1)
    a, b = GroupLedger(), GroupLedger()
    a.add(merge)  # station 1: its own merge first
    a.add(split, seq=1)
    a.add(merge, seq=2)
    b.add(split, seq=1)
    b.add(merge, seq=2)
    assert a.group_of(k(2)) == b.group_of(k(2)) == k(1)
    c = GroupLedger()  # the other order at the hub
    c.add(merge, seq=1)
    c.add(split, seq=2)
    assert c.group_of(k(2)) == k(2)


def test_a_report_whose_leader_comes_later_joins_it_then() -> None:
    ledger = GroupLedger()
    book = AlertBook(None, ledger)
    book.queue([item(2)])
    book.merge_all()
    ledger.add(GroupChange(auto_id(k(2)), MERGE, k(1), (k(2),), "hub", "", T0), seq=1)
    book.regroup_all({k(1), k(2)})
    assert rows(book) == {2: []}  # its leader is not here yet: alone
    book.queue([item(1)])
    book.merge_all()
    assert rows(book) == {1: [2]}


def test_a_split_undoes_the_local_automatic_rule() -> None:
    ledger = GroupLedger()
    book = AlertBook(Grouper(), ledger)
    book.queue([item(1), item(2), item(3)])  # same place, same minute: one group
    book.merge_all()
    assert rows(book) == {1: [2, 3]}
    book.regroup_all(ledger.add(change("s", SPLIT, 1, 2, t=1)))
    assert rows(book) == {1: [3], 2: []}


def test_replayed_in_the_stored_order_the_groups_come_back() -> None:
    changes = [
        change("a", MERGE, 1, 2),
        change("b", MERGE, 1, 3, t=1),
        change("c", SPLIT, 1, 2, t=2),
    ]
    live, again = GroupLedger(), GroupLedger()
    for c in changes:
        live.add(c)
    for c in reversed(changes):  # the database gives them back in any order
        again.add(c)
    for pk in (1, 2, 3):
        assert live.group_of(k(pk)) == again.group_of(k(pk))
    assert again.group_of(k(3)) == k(1) and again.group_of(k(2)) == k(2)


def closed(a: StoredAlert) -> StoredAlert:
    return StoredAlert(pk=a.pk, alert=a.alert, received_at=a.received_at, seq=a.seq,
                       state=AlertState.CLOSED, state_station="poste-2",
                       state_operator="Op")  # fmt: skip


def test_a_group_let_go_of_takes_its_changes_along_and_the_others_stay() -> None:
    """Weeks on end: the changes of retired groups do not pile up in memory."""
    ledger = GroupLedger()
    book = AlertBook(Grouper(radius_m=200, window=timedelta(minutes=10)), ledger)
    near = [item(1), item(2), item(3)]  # one group, automatic
    far = [item(4, lon=5.5), item(5, lon=5.5)]  # another
    book.queue(near + far)
    book.merge_all()
    book.regroup_all(ledger.add(change("c1", MERGE, 4, 5, t=1)))  # by hand, too
    assert rows(book) == {1: [2, 3], 4: [5]}
    assert {auto_id(k(2)), auto_id(k(3)), "c1"} <= {e.change.id for e in ledger.entries()}
    for a in near:
        book.apply_stored(closed(a))
    gone = book.retire_closed(0)
    assert sorted(a.pk for a in gone) == [1, 2, 3]
    ids = {e.change.id for e in ledger.entries()}
    assert not ids & {auto_id(k(2)), auto_id(k(3))}  # the retired group's changes went
    assert "c1" in ids and ledger.group_of(k(5)) == k(4)  # the open group's stayed
    assert ledger.group_of(k(2)) is None and not ledger.mentions(k(1))
    assert rows(book) == {4: [5]}
