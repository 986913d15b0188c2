"""Shared groups at a real console (link process, SQLite, queue, alarm) against the
scripted stand-in hub of ``tests/fake_hub.py``: another station's merge puts a
ringing report under its leader's row (it rings as that group), the console's own
merge goes to the hub and is answered, and a console started again shows the same
groups from its database before the hub says anything about them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fake_hub import FakeHub, claim
from PySide6.QtWidgets import QApplication
from test_interrupt_cycle import Harness

from csu_console.core import hub_protocol as hp
from csu_console.core.group_wire import group_changed, group_result
from csu_console.core.groups import GroupChange, GroupChangeKind
from csu_console.media.stream_server.control import RtspServerProcess

SOURCE = "plateforme-citoyenne"


@pytest.fixture
def groups_hub() -> Iterator[FakeHub]:
    h = FakeHub("hub-a").start()
    yield h
    h.close()


@pytest.fixture
def on_groups_hub(
    qtbot: Any,
    qapp: QApplication,
    groups_hub: FakeHub,
    tmp_path: Path,
    demo_streams: RtspServerProcess,
) -> Iterator[Harness]:
    h = Harness(qtbot, qapp, groups_hub, tmp_path, demo_streams)  # type: ignore[arg-type]
    try:
        yield h
    finally:
        h.stop()


def key(alert_id: str) -> tuple[str, str]:
    return (SOURCE, alert_id)


def test_groups_from_the_hub_and_of_this_console(
    on_groups_hub: Harness, groups_hub: FakeHub, qtbot: Any
) -> None:
    hub = groups_hub
    console = on_groups_hub.start()
    qtbot.waitUntil(lambda: console.groups.hub_mode, timeout=20_000)
    assert not console.model.book.local_auto  # the hub decides the automatic groups
    ringing = console.alarm.scheduler.ringing_keys
    for seq, alert_id in enumerate(("L", "M", "N"), start=1):
        hub.push_alert(seq, alert_id)
    qtbot.waitUntil(lambda: {key("L"), key("M"), key("N")} <= set(ringing()), timeout=10_000)
    qtbot.waitUntil(lambda: console.model.by_key(key("N")) is not None, timeout=5000)
    leader = console.model.by_key(key("L"))
    assert leader is not None

    # poste-2 merged M under L: M's row goes, it rings as L's group.
    other = GroupChange("poste-2:1", GroupChangeKind.MERGE, key("L"), (key("M"),), "poste-2",
                        "martin", datetime.now(UTC), "même porte")  # fmt: skip
    console.window.table.clearSelection()
    hub.push(group_changed(1, other))
    qtbot.waitUntil(lambda: console.model.leader_pk(console.model.by_key(key("M")).pk)  # type: ignore[union-attr]
                    == leader.pk, timeout=10_000)  # fmt: skip
    assert key("M") not in ringing() and key("L") in ringing()
    assert console.model.group_size(leader.pk) == 2

    # This console merges N under L: sent to the hub, answered, numbered by its echo.
    console.groups.merge(key("L"), [key("N")], "même immeuble")
    qtbot.waitUntil(lambda: bool(hub.of_type("group")), timeout=10_000)
    sent = hub.of_type("group")[0]["change"]
    assert (sent["kind"], sent["station"], sent["reason"]) == ("merge", "poste-1", "même immeuble")
    assert console.model.group_size(leader.pk) == 3
    mine = console.groups.ledger.entries()[-1].change
    hub.push(group_result(mine.id, True))
    hub.push(group_changed(2, mine))
    qtbot.waitUntil(lambda: [e.seq for e in console.groups.ledger.entries()] == [1, 2],
                    timeout=10_000)  # fmt: skip

    def outbox() -> list[Any]:
        return console.writer.submit(
            lambda s: list(s.db.query("SELECT * FROM status_outbox WHERE kind = 'group'"))
        ).result(10)

    qtbot.waitUntil(lambda: outbox()[0]["result"] == "applied", timeout=10_000)
    console.stop()
    shutil.rmtree(on_groups_hub.tmp_path / "config")  # written again by the harness

    # Started again: the same groups from SQLite (the stand-in hub's sync has none).
    again = on_groups_hub.start()
    qtbot.waitUntil(lambda: again.model.by_key(key("N")) is not None, timeout=10_000)
    lead = again.model.by_key(key("L"))
    assert lead is not None and again.model.group_size(lead.pk) == 3
    assert again.groups.hub_mode


def test_a_report_grouped_after_it_rang_alone_rings_and_stops_as_its_group(
    on_groups_hub: Harness, groups_hub: FakeHub, qtbot: Any
) -> None:
    """The hub's decision can come after a report rang alone and before the queue
    shows it (the queue waits while the pointer rests on it). The report then goes
    straight into its group: it must ring as that group, and stop when the group
    is taken, not ring on alone for ever."""
    hub = groups_hub
    console = on_groups_hub.start()
    qtbot.waitUntil(lambda: console.groups.hub_mode, timeout=20_000)
    ringing = console.alarm.scheduler.ringing_keys
    hub.push_alert(1, "L")
    qtbot.waitUntil(lambda: console.model.by_key(key("L")) is not None, timeout=10_000)
    leader = console.model.by_key(key("L"))
    assert leader is not None and key("L") in ringing()

    console.model.hold("pointeur")  # rows stay where they are: M waits to be shown
    hub.push_alert(2, "M")
    qtbot.waitUntil(lambda: key("M") in ringing(), timeout=10_000)  # rang alone, at once
    assert console.model.by_key(key("M")) is None  # not shown yet
    change = GroupChange("poste-2:7", GroupChangeKind.MERGE, key("L"), (key("M"),), "poste-2",
                         "martin", datetime.now(UTC), "même porte")  # fmt: skip
    hub.push(group_changed(1, change))
    qtbot.waitUntil(lambda: len(console.groups.ledger.entries()) == 1, timeout=10_000)
    console.model.release("pointeur")
    qtbot.waitUntil(lambda: console.model.by_key(key("M")) is not None, timeout=10_000)
    member = console.model.by_key(key("M"))
    assert member is not None and console.model.leader_pk(member.pk) == leader.pk
    assert set(ringing()) == {key("L")}  # M rings as L's group
    assert console.alarm.state()["ringing"] == 1

    # poste-2 takes M: its group stops ringing, nothing rings on.
    hub.push(hp.claim_changed(claim("M", operator="Martin")))
    qtbot.waitUntil(lambda: not ringing(), timeout=10_000)
    assert console.alarm.state()["ringing"] == 0
