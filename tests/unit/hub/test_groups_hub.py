"""The hub's side of the shared groups without NATS: ``[groups]`` of ``hub.toml``,
and the automatic decisions taken on the stream's order and times (the messages
are built as JetStream delivers them; the real stream is in
tests/e2e/team/test_groups_team.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from csu_console.core.group_ledger import auto_id
from csu_console.core.group_wire import change_json
from csu_console.core.groups import GroupChange, GroupChangeKind
from csu_console.core.hub_protocol import FEATURES, parse_hello
from csu_console.core.protocol import hello
from csu_console.errors import ValidationError
from csu_console.hub.auto_groups import AutoGroups
from csu_console.hub.config import check_hub_config
from csu_console.hub.groups import SYNC_MAX, HubGroups
from csu_console.hub.stations import SYNC_GROUPS, missing_groups

NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _fresh_now() -> None:
    """« Now » when the test runs, not when the module was imported: a hub leaves
    alerts older than the window alone, and a whole suite takes longer than that."""
    global NOW  # noqa: PLW0603 - the helpers below read it
    NOW = datetime.now(UTC)


def msg(data: dict[str, Any], seq: int, at: datetime | None = None) -> Any:
    meta = SimpleNamespace(timestamp=at or NOW, sequence=SimpleNamespace(stream=seq))
    return SimpleNamespace(data=json.dumps(data).encode(), metadata=meta)


def alert(n: int, dx_m: float = 0.0, category: str = "cambriolage") -> dict[str, Any]:
    return {
        "type": "alert",
        "alert": {
            "id": f"G-{n}", "source": "vv", "sent": NOW.isoformat(), "category": category,
            "title": "t", "commune": "Lyon",
            "location": {"lat": 45.758, "lon": 4.832 + dx_m / 78_000, "address": "1 rue"},
        },
    }  # fmt: skip


def decided(auto: AutoGroups) -> list[GroupChange]:
    out = []
    while not auto._pending.empty():
        out.append(auto._pending.get_nowait())
    return out


@pytest.fixture
def hub_groups() -> HubGroups:
    heard: list[Any] = []
    return HubGroups(None, heard.append)  # type: ignore[arg-type]  # no I/O in these tests


def test_alerts_join_the_first_group_once(hub_groups: HubGroups) -> None:
    auto = AutoGroups(hub_groups, "hub-a", 150.0, timedelta(minutes=15))
    for seq, frame in enumerate(
        [alert(1), alert(2, 60), alert(3, 5000), alert(4, 30, "incendie"),
         {"type": "cap", "xml": "<alert/>"}, alert(5, 100)],
        start=1,
    ):  # fmt: skip
        auto.on_msg(msg(frame, seq), False)
    changes = decided(auto)
    assert [(c.id, c.leader, c.members) for c in changes] == [
        (auto_id(("vv", "G-2")), ("vv", "G-1"), (("vv", "G-2"),)),
        (auto_id(("vv", "G-5")), ("vv", "G-1"), (("vv", "G-5"),)),
    ]
    assert all(c.kind is GroupChangeKind.MERGE and c.station == "hub-a" for c in changes)
    assert changes[0].at == NOW  # the stream's time: the same at every hub


def test_a_restarted_hub_keeps_what_was_decided(hub_groups: HubGroups) -> None:
    # Stored: G-2 was put under G-1 by another hub; a person split G-3.
    hub_groups.on_msg(msg(json.loads(change_json(GroupChange(
        auto_id(("vv", "G-2")), GroupChangeKind.MERGE, ("vv", "G-1"), (("vv", "G-2"),),
        "hub-b", "", NOW, "")), ), 1), True)  # fmt: skip
    hub_groups.on_msg(msg(json.loads(change_json(GroupChange(
        "poste-1:x", GroupChangeKind.SPLIT, ("vv", "G-1"), (("vv", "G-3"),),
        "poste-1", "dupont", NOW, "")), ), 2), True)  # fmt: skip
    auto = AutoGroups(hub_groups, "hub-a", 150.0, timedelta(minutes=15))
    old = NOW - timedelta(minutes=20)
    auto.on_msg(msg(alert(9, 3000), 1, old), False)  # replayed, alone then
    auto.on_msg(msg(alert(10, 3010), 2, old + timedelta(seconds=1)), False)  # replayed
    auto.on_msg(msg(alert(1), 3), False)
    auto.on_msg(msg(alert(2, 20), 4), False)  # decided already: placed, not published
    auto.on_msg(msg(alert(3, 40), 5), False)  # a person's: left to them
    auto.on_msg(msg(alert(4, 60), 6), False)  # new: joins G-1's group
    assert [c.members for c in decided(auto)] == [(("vv", "G-4"),)]
    assert auto.grouper.group_of(("vv", "G-2")) == ("vv", "G-1")
    assert auto.grouper.group_of(("vv", "G-10")) == ("vv", "G-9")  # state rebuilt


def test_groups_section_of_hub_toml(tmp_path: Path) -> None:
    base = '[hub]\nid = "hub-a"\n'
    path = tmp_path / "hub.toml"
    path.write_text(base + "[groups]\nradius_m = 80\nwindow_min = 30\n", encoding="utf-8")
    config, problems = check_hub_config(path)
    assert problems == [] and config is not None
    assert (config.group_radius_m, config.group_window_min) == (80, 30)
    path.write_text(base + "[groups]\nradius_m = -1\nrayon = 3\n", encoding="utf-8")
    config, problems = check_hub_config(path)
    assert config is None
    assert {p.field for p in problems} == {"radius_m", "rayon"}


def test_a_station_gets_the_changes_it_lacks() -> None:
    changes = tuple(
        (seq, GroupChange(f"c{seq}", GroupChangeKind.MERGE, ("vv", "A"), (("vv", f"B{seq}"),),
                          "poste-1", "", NOW, ""))
        for seq in range(1, 1301)
    )  # fmt: skip
    in_sync, after = missing_groups(changes, 1200)  # it holds up to 1200
    assert [s for s, _ in in_sync] == list(range(1201, 1301)) and after == ()
    in_sync, after = missing_groups(changes, 0)  # back after a long absence
    assert len(in_sync) == SYNC_GROUPS and [s for s, _ in after][:1] == [SYNC_GROUPS + 1]
    assert len(in_sync) + len(after) == 1300
    in_sync, after = missing_groups(changes, None)  # holds none: the latest
    assert len(in_sync) + len(after) == min(1300, SYNC_MAX)
    assert missing_groups(changes, 1300) == ([], ())


def test_hello_says_the_last_change_held() -> None:
    text = hello("poste-1", 12, FEATURES, groups_seq=812)
    assert parse_hello(json.loads(text)).groups_seq == 812
    assert parse_hello(json.loads(hello("poste-1", 12, FEATURES))).groups_seq is None
    with pytest.raises(ValidationError):
        parse_hello({**json.loads(text), "groups_seq": -1})
