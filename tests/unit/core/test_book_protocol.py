"""The book extension's messages (core/book_protocol.py): round trips, and every bad
shape named (the hub and the station log it and go on)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from csu_console.core import book_protocol as bp
from csu_console.core.book_wire import EventRecord
from csu_console.core.hub_protocol import FEATURES, HUB_MESSAGE_TYPES
from csu_console.core.witness import make_head
from csu_console.errors import ValidationError

HEAD = make_head(Ed25519PrivateKey.generate(), "poste-1", 12, "a" * 64, "minute")
EVENT = EventRecord(
    station="poste-1", seq=12, at="2026-12-05T01:00:00.000+00:00", at_local=None, kind="entry",
    operator="dupont", details={"type": "radio", "text": "ok"}, details_salt=None,
    details_sha256="d" * 64, prev_hash="0" * 64, hash="h" * 64, event_station=None,
)  # fmt: skip


def test_the_feature_and_its_messages_are_known() -> None:
    assert bp.FEATURE in FEATURES
    assert bp.HUB_TYPES <= HUB_MESSAGE_TYPES  # decoded as hub frames by the station


@pytest.mark.parametrize(
    "message",
    [bp.HeadPublish(HEAD), bp.EventsPublish((EVENT,)), bp.BookAck(("e1", "h2"))],
    ids=["head", "events", "book_ack"],
)
def test_station_messages_survive_the_wire(message: Any) -> None:
    assert bp.parse_station_message(json.loads(message.to_json())) == message


@pytest.mark.parametrize(
    "message",
    [bp.HeadResult("poste-1", 12, "minute", False, "signature invalide"),
     bp.EventsResult(12, True), bp.Witness("h3", HEAD), bp.PeerEvents(("e9",), (EVENT,))],
    ids=["head_result", "events_result", "witness", "peer_events"],
)  # fmt: skip
def test_hub_messages_survive_the_wire(message: Any) -> None:
    assert bp.parse_hub_message(json.loads(message.to_json())) == message


def test_a_null_event_station_is_not_the_same_as_absent() -> None:
    obj = json.loads(EVENT.to_json())
    assert obj["event_station"] is None
    del obj["event_station"]
    assert (
        bp.parse_station_message({"type": "events", "events": [obj]}).events[0].event_station == ""
    )  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("obj", "problem"),
    [
        ({"type": "head", "head": []}, "head : objet attendu"),
        ({"type": "head", "head": {"v": 1, "station": "p", "seq": "1"}}, "seq"),
        ({"type": "events", "events": {}}, "events : liste attendue"),
        ({"type": "events", "events": [json.loads(EVENT.to_json())] * 201}, "201 éléments"),
        ({"type": "events", "events": [{"v": 2}]}, "version"),
        ({"type": "book_ack", "refs": [1]}, "refs"),
        ({"type": "bavardage"}, "type de message inconnu"),
    ],
    ids=["head-list", "head-seq", "events-object", "events-too-many", "events-version",
         "ack-refs", "unknown"],
)  # fmt: skip
def test_bad_station_messages_are_named(obj: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        bp.parse_station_message(obj)


@pytest.mark.parametrize(
    ("obj", "problem"),
    [
        ({"type": "head_result", "seq": 1, "reason": "minute", "result": "ok"}, "station"),
        ({"type": "events_result", "last": -1, "result": "applied"}, "last"),
        ({"type": "events_result", "last": 1, "result": "peut-être"}, "result"),
        ({"type": "witness", "head": json.loads(HEAD.to_json())}, "witness.ref"),
        ({"type": "peer_events", "refs": ["e1", "e2"], "events": [json.loads(EVENT.to_json())]},
         "autant de refs"),
    ],
    ids=["head_result-station", "events_result-last", "events_result-result", "witness-ref",
         "peer_events-refs"],
)  # fmt: skip
def test_bad_hub_messages_are_named(obj: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        bp.parse_hub_message(obj)
