"""Shared groups on the GUI thread: what the hub's changes cost the station's queue.

A queue of ``--rows`` reports (5,000: the console's load at start), none grouped;
then a storm's automatic decisions from the hub, ``--changes`` merges (each puts a
new report under an earlier one), shown in batches as the console does (every
100 ms; ``--batch`` changes a batch). Timed per batch, on the Qt-free book and
ledger (what :meth:`AlertTableModel.regroup` runs between its row signals):
``GroupLedger.add`` for each change, then ``AlertBook.plan_regroup`` with the rows
dropped and inserted. Also: a console's start replaying ``--replay`` stored changes
into a fresh ledger (before the alerts show), and one operator merge of a 20-report
group into another.

    .venv/bin/python bench/groups_regroup.py [--rows 5000] [--changes 2000] [--batch 50]

Goal: batch_p95_ms <= 16 (one frame). Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from csu_console.core.alert_book import AlertBook
from csu_console.core.alerts import Alert, AlertState, Category, Location, StoredAlert
from csu_console.core.group_ledger import GroupLedger, auto_id
from csu_console.core.groups import GroupChange, GroupChangeKind

T0 = datetime(2026, 12, 5, 8, tzinfo=UTC)
GOAL_P95_MS = 16.0


def report(pk: int) -> StoredAlert:
    alert = Alert(
        source="vv", id=f"A-{pk}", sent=T0, category=Category.CAMBRIOLAGE, priority=1 + pk % 4,
        title=f"Alerte {pk}", location=Location(4.80 + (pk % 100) * 0.01, 45.7 + pk // 100 * 0.01,
                                                "1 rue", 10.0),
    )  # fmt: skip
    return StoredAlert(pk, alert, T0 + timedelta(seconds=pk), pk, AlertState.NEW)


def merge(cid: str, leader: int, members: list[int]) -> GroupChange:
    return GroupChange(cid, GroupChangeKind.MERGE, ("vv", f"A-{leader}"),
                       tuple(("vv", f"A-{m}") for m in members), "hub-a", "", T0)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--replay", type=int, default=20_000)
    args = parser.parse_args()

    ledger = GroupLedger()
    book = AlertBook(None, ledger)
    book.queue([report(pk) for pk in range(1, args.rows + 1)])
    book.merge_all()
    # The storm: report rows+i arrives, then the hub puts it under report i.
    times: list[float] = []
    cpu: list[float] = []  # the process's CPU time: the machine may be shared
    seq = 0
    for start in range(0, args.changes, args.batch):
        n = min(args.batch, args.changes - start)
        fresh = [report(args.rows + start + i + 1) for i in range(n)]
        book.queue(fresh)
        book.merge_all()  # they show alone first (the hub's answer comes after)
        t, c = time.perf_counter(), time.process_time()
        keys: set[tuple[str, str]] = set()
        for i, item in enumerate(fresh):
            seq += 1
            change = merge(auto_id(item.alert.key), 1 + (start + i) % args.rows, [item.pk])
            keys |= ledger.add(change, seq)
        book.regroup_all(keys)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    assert len(book.rows) == args.rows, len(book.rows)
    p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
    cpu95 = statistics.quantiles(cpu, n=20)[18]

    # An operator merges a 20-report group into another (one change, at once).
    big = GroupLedger()
    book2 = AlertBook(None, big)
    book2.queue([report(pk) for pk in range(1, args.rows + 1)])
    book2.merge_all()
    book2.regroup_all(big.add(merge("a", 100, list(range(101, 120))), 1))
    t = time.perf_counter()
    book2.regroup_all(big.add(merge("b", 1, [100]), 2))
    operator_ms = (time.perf_counter() - t) * 1000
    assert book2.group_size(1) == 21

    # A start: the stored changes replayed into a fresh ledger.
    stored = [(merge(f"c{i}", 1 + i % 1000, [1000 + i]), i + 1) for i in range(args.replay)]
    t = time.perf_counter()
    again = GroupLedger()
    again.load(stored)
    replay_ms = (time.perf_counter() - t) * 1000

    print(f"{args.rows} lignes, {args.changes} regroupements du hub par lots de {args.batch}")
    print(f"  par lot : p50 {p50:.2f} ms, p95 {p95:.2f} ms (objectif ≤ {GOAL_P95_MS:g} ms),"
          f" temps CPU p95 {cpu95:.2f} ms")  # fmt: skip
    print(f"  fusion d'un groupe de 20 par un opérateur : {operator_ms:.2f} ms")
    print(f"  démarrage : {args.replay} changements relus en {replay_ms:.0f} ms")
    print(
        f"batch_p50_ms={p50:.2f} batch_p95_ms={p95:.2f} batch_cpu_p95_ms={cpu95:.2f} "
        f"operator_merge_ms={operator_ms:.2f} "
        f"replay_ms={replay_ms:.0f} replay_changes={args.replay} goal_met={p95 <= GOAL_P95_MS}"
    )


if __name__ == "__main__":
    main()
