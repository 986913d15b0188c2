"""A station's own alert offered to the hub (§ 9.10): the shared object round-trips
through the station protocol without the caller; only the station's own alerts and
no caller are accepted; the hub's answer parses."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from csu_console.core.alert_share import (
    AlertShare,
    AlertShareResult,
    parse_share_result,
    share_key,
    share_result,
)
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.hub_protocol import FEATURES, parse_hub_message, parse_station_message
from csu_console.core.phone_alert import PhoneCall, phone_alert
from csu_console.errors import ValidationError

NOW = datetime(2026, 12, 5, 22, 14, 5, 250_000, tzinfo=UTC)
CALL = PhoneCall(
    Category.RIXE, 1, "Bagarre devant le bar", 60.1699, 24.9384,
    address="12 rue de la Gare", description="Trois personnes, une blessée à terre.",
    caller_name="Mme Lefèvre", caller_phone="06 12 34 56 78",
)  # fmt: skip


def test_the_shared_alert_is_the_station_s_without_its_caller() -> None:
    alert = phone_alert(CALL, "poste-1", NOW)
    assert alert.reporter is not None  # the caller, at the station that took the call
    share = AlertShare.of(alert)
    text = share.to_json()
    assert "Lefèvre" not in text and "06 12" not in text
    parsed = parse_station_message(json.loads(text))
    assert isinstance(parsed, AlertShare)
    got = parsed.alert
    assert got.key == alert.key and got.reporter is None
    assert (got.category, got.priority, got.title, got.description) == (
        alert.category, alert.priority, alert.title, alert.description,
    )  # fmt: skip
    assert got.location == alert.location and got.commune == alert.commune
    assert got.sent == alert.sent
    assert parsed.key == share.key == share_key(alert.key)
    frame = json.loads(share.frame())
    assert frame["type"] == "alert" and "seq" not in frame and frame["alert"]["id"] == alert.id


def test_only_the_station_s_own_alerts_are_shared_and_never_with_a_caller() -> None:
    citizen = Alert(
        source="voisins-vigilants", id="vv-1", sent=NOW, category=Category.CAMBRIOLAGE,
        priority=2, title="Vitre", description="", location=Location(60.17, 24.94),
    )  # fmt: skip
    with pytest.raises(ValueError, match="pas créée au poste"):
        AlertShare.of(citizen)
    obj = json.loads(AlertShare.of(phone_alert(CALL, "poste-1", NOW)).to_json())
    forged = dict(obj, alert=dict(obj["alert"], source="voisins-vigilants"))
    with pytest.raises(ValidationError, match="créée au poste"):
        parse_station_message(forged)
    with_caller = dict(obj, alert=dict(obj["alert"], reporter={"pseudonym": "x"}))
    with pytest.raises(ValidationError, match="appelant"):
        parse_station_message(with_caller)
    with pytest.raises(ValidationError, match="objet attendu"):
        parse_station_message({"type": "alert_share", "alert": "rien"})


def test_the_hub_s_answer_and_the_feature() -> None:
    assert "alert_share" in FEATURES
    answer = parse_hub_message(json.loads(share_result("share:telephone/x", False, "non")))
    assert answer == AlertShareResult("share:telephone/x", False, "non")
    assert parse_share_result(json.loads(share_result("k", True))) == AlertShareResult("k", True)
    with pytest.raises(ValidationError, match="applied ou refused"):
        parse_share_result({"type": "alert_share_result", "key": "k", "result": "peut-être"})
