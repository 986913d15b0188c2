"""The wire form of a station's events and chain heads (core/book_wire.py)."""

from __future__ import annotations

import json

import pytest

from csu_console.core.book_wire import ChainHead, EventRecord, WireError, parse_event, parse_head


def _record() -> EventRecord:
    return EventRecord(
        station="poste-1", seq=7, at="2026-12-05T01:00:00.000Z",
        at_local="2026-12-05T02:00:00.000+01:00", kind="entry", operator="dupont",
        details={"type": "radio", "text": "Patrouille 2 sur place"}, details_salt="ab" * 16,
        details_sha256="d" * 64, prev_hash="0" * 64, hash="h" * 64, alert_pk=3,
        alert_source="vvs", alert_id="A-1",
    )  # fmt: skip


def test_an_event_record_survives_the_wire() -> None:
    record = _record()
    assert parse_event(record.to_json()) == record
    assert record.msg_id() == "poste-1:7"


def test_a_head_survives_the_wire_and_signs_its_fields() -> None:
    head = ChainHead("poste-1", 12, "f" * 64, "2026-12-05T01:00:00Z", "minute", "k", "s")
    assert parse_head(head.to_json()) == head
    assert json.loads(head.signed_bytes()) == ["poste-1", 12, "f" * 64, head.at, "minute"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [({"seq": "7"}, "seq"), ({"details": []}, "details"), ({"v": 2}, "version"),
     ({"hash": ""}, "hash")],
)  # fmt: skip
def test_a_bad_record_is_named(change: dict[str, object], problem: str) -> None:
    obj = json.loads(_record().to_json())
    obj.update(change)
    with pytest.raises(WireError, match=problem):
        parse_event(json.dumps(obj))
