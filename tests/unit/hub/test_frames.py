"""What the hub stores and forwards: frame bodies, stream frames, header values,
shared changes rendered for each kind of station (no NATS, no sockets)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from csu_console.core import hub_protocol as hp
from csu_console.core.alerts import AlertState
from csu_console.core.protocol import AlertMessage, UpdateMessage, decode_frame
from csu_console.hub.jetstream import (
    decode_key,
    encode_origin,
    frame_body,
    msg_id,
    station_frame,
)
from csu_console.hub.wire import render

AT = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
ALERT = {
    "type": "alert",
    "seq": 41,
    "claim": {"forged": True},
    "alert": {
        "id": "a-1",
        "source": "voisins vigilants/é",
        "sent": "2026-01-01T10:00:00+01:00",
        "category": "rixe",
        "title": "Rixe « devant » le bar",
        "location": {"lat": 47.5, "lon": 6.8},
    },
}


def test_the_stored_body_drops_upstream_seq_and_any_claim() -> None:
    raw = json.dumps(ALERT, ensure_ascii=False).encode()
    body = frame_body(raw)
    obj = json.loads(body)
    assert "seq" not in obj and "claim" not in obj
    assert obj["alert"] == ALERT["alert"]


def test_a_station_frame_decodes_as_the_same_alert_with_the_stream_seq() -> None:
    raw = json.dumps(ALERT, ensure_ascii=False).encode()
    original = decode_frame(raw, True)
    assert isinstance(original, AlertMessage)
    text = station_frame(frame_body(raw), 7)
    again = decode_frame(text, True)
    assert isinstance(again, AlertMessage)
    assert again.seq == 7 and again.alert == original.alert
    assert again.raw == text.encode()
    claim = hp.ClaimRecord("s", "a-1", AlertState.ACKNOWLEDGED, "poste-2", "Martin", AT)
    with_claim = json.loads(station_frame(frame_body(raw), 8, json.dumps(claim.to_obj())))
    assert with_claim["seq"] == 8
    assert hp.ClaimRecord.from_obj(with_claim["claim"]) == claim


@pytest.mark.parametrize(
    ("source", "alert_id"),
    [("s", "1"), ("a b", "x\r\ny"), ("é/ü", "id: 3"), ("", "")],
)
def test_header_values_are_safe_and_round_trip(source: str, alert_id: str) -> None:
    mid = msg_id(source, alert_id)
    assert mid.isascii() and " " not in mid and "\n" not in mid
    assert mid == msg_id(source, alert_id) != msg_id(source + "x", alert_id)
    origin = encode_origin("plateforme", 12, (source, alert_id))
    assert origin.isascii() and "\r" not in origin and "\n" not in origin
    assert decode_key(origin) == (source, alert_id)


def test_origin_without_key() -> None:
    assert decode_key(encode_origin("plateforme", None)) is None
    assert decode_key(None) is None


def test_shared_changes_per_kind_of_station() -> None:
    claim = hp.ClaimRecord("s", "a-1", AlertState.ACKNOWLEDGED, "poste-2", "Martin", AT)
    changed = hp.ClaimChanged(claim)
    full = hp.FEATURES
    assert json.loads(render(changed, full) or "")["type"] == "claim"
    update = json.loads(render(changed, ()) or "")
    assert update["type"] == "update"
    parsed = decode_frame(json.dumps(update), True)
    assert parsed == UpdateMessage("s", "a-1", AlertState.ACKNOWLEDGED, "poste-2", "Martin", AT)
    esc = hp.EscalationRaised(hp.Escalation("e1", "s", "a-1", "poste-1", "Durand", AT))
    assert json.loads(render(esc, full) or "")["type"] == "escalation"
    assert render(esc, ("claims",)) is None
    assert render(esc, ()) is None
