"""The groups' messages (``docs/protocol.md`` § 9.9): built and parsed back, and one
test per bad shape (rejected with the field named, never raised as anything else)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from csu_console.core import hub_protocol as hp
from csu_console.core.group_wire import change_to_obj, group_changed, group_result
from csu_console.core.groups import GroupChange, GroupChangeKind
from csu_console.errors import ValidationError

AT = datetime(2026, 12, 5, 9, tzinfo=UTC)
CHANGE = GroupChange("poste-1:1", GroupChangeKind.SPLIT, ("vv", "A-1"), (("vv", "A-2"),),
                     "poste-1", "dupont", AT, "autre lieu")  # fmt: skip


def test_round_trips() -> None:
    request = hp.parse_station_message(json.loads(hp.GroupRequest(CHANGE).to_json()))
    assert request == hp.GroupRequest(CHANGE)
    assert hp.parse_hub_message(json.loads(group_changed(5, CHANGE))) == hp.GroupChanged(5, CHANGE)
    answer = hp.parse_hub_message(json.loads(group_result("poste-1:1", False, "vide")))
    assert answer == hp.GroupResult("poste-1:1", False, "vide")
    sync = hp.parse_hub_message(json.loads(hp.sync([], [], [], [(3, CHANGE)])))
    assert isinstance(sync, hp.Sync) and sync.groups == ((3, CHANGE),)
    assert "groups" not in json.loads(hp.sync([], [], []))  # not to a station without it
    assert "groups" in hp.FEATURES


def bad(**changes: Any) -> dict[str, Any]:
    obj = change_to_obj(CHANGE)
    obj.update(changes)
    return {"type": "group", "change": {k: v for k, v in obj.items() if v is not ...}}


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "group"}, "group.change"),
        (bad(kind="fusion"), "kind"),
        (bad(leader=None), "leader"),
        (bad(leader={"source": "vv"}), "leader.id"),
        (bad(members=[]), "members"),
        (bad(members="A-2"), "members"),
        (bad(members=[{"source": "vv", "id": str(i)} for i in range(201)]), "members"),
        (bad(members=[{"source": "vv", "id": 3}]), "members.id"),
        (bad(id=...), "id"),
        (bad(station=""), "station"),
        (bad(at="hier"), "at"),
        (bad(reason="x" * 501), "reason"),
    ],
)
def test_bad_requests_are_rejected_naming_the_field(message: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        hp.parse_station_message(message)
    assert field in err.value.reason


@pytest.mark.parametrize(
    "message",
    [
        {"type": "group", "change": change_to_obj(CHANGE)},  # no seq
        {"type": "group", "seq": 0, "change": change_to_obj(CHANGE)},
        {"type": "group", "seq": True, "change": change_to_obj(CHANGE)},
        {"type": "group_result", "id": "x", "result": "ok"},
        {"type": "group_result", "result": "applied"},
        {"type": "sync", "groups": [{"seq": 1}]},
        {"type": "sync", "groups": "tout"},
    ],
)
def test_bad_hub_messages_are_rejected(message: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        hp.parse_hub_message(message)
