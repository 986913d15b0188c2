"""Decoding with the hub extension asked (``docs/protocol.md`` § 9): the extension's
messages come back whole for the link to parse, an alert's ``claim`` is read, and
nothing changes for a link that did not ask."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from test_protocol import encode, make_frame

from csu_console.core import hub_protocol as hp
from csu_console.core.alerts import AlertState
from csu_console.core.protocol import AlertMessage, HubFrame, Rejection, decode_frame, hello

CLAIM = hp.ClaimRecord(
    "plateforme-citoyenne", "SIG-2024-000123", AlertState.ACKNOWLEDGED, "poste-2", "Martin",
    datetime(2024, 6, 1, 12, 5, tzinfo=UTC), "poste-2:1", "acknowledged",
)  # fmt: skip


def test_hello_lists_features_only_when_asked() -> None:
    assert "features" not in json.loads(hello("poste-1", 3))
    sent = json.loads(hello("poste-1", 3, hp.FEATURES))
    assert sent["features"] == list(hp.FEATURES) and sent["last_seq"] == 3


@pytest.mark.parametrize("mtype", sorted(hp.HUB_MESSAGE_TYPES))
def test_hub_messages_are_left_to_the_link_only_when_asked(mtype: str) -> None:
    frame = encode({"type": mtype})
    assert isinstance(decode_frame(frame, True, hub=True), HubFrame)
    plain = decode_frame(frame, True)
    assert isinstance(plain, Rejection) and "type de message inconnu" in plain.reason


def test_an_alert_carries_its_claim_with_the_extension() -> None:
    frame = encode(make_frame(claim=CLAIM.to_obj()))
    item = decode_frame(frame, True, hub=True)
    assert isinstance(item, AlertMessage) and item.claim == CLAIM
    plain = decode_frame(frame, True)
    assert isinstance(plain, AlertMessage) and plain.claim is None


@pytest.mark.expected_logs("csu.net")
def test_a_bad_claim_is_dropped_the_alert_kept(caplog: pytest.LogCaptureFixture) -> None:
    item = decode_frame(encode(make_frame(claim={"source": "x"})), True, hub=True)
    assert isinstance(item, AlertMessage) and item.claim is None and item.seq == 7
    assert any("prise en compte jointe" in r.getMessage() for r in caplog.records)
