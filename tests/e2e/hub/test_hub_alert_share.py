"""A phone alert created at one station reaches every station through the real hub
and NATS (§ 9.10): stored once everywhere, without the caller's name and number,
recognised by its own station; a station cannot pass off someone else's alert."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import HubFactory
from hub_support import TOKENS, raw_station, recv_until
from support import RecordingListener, stored_keys, wait_until

from csu_console.core.alert_share import AlertShare
from csu_console.core.alerts import Category
from csu_console.core.hub_protocol import FEATURES, Welcome
from csu_console.core.phone_alert import PhoneCall, created_details, phone_alert
from csu_console.net.link import AlertLink, LinkSettings
from csu_console.storage.phone_alerts import store_phone_alert
from csu_console.storage.writer import StorageWriter

CALL = PhoneCall(
    Category.RIXE, 1, "Bagarre devant le bar", 60.1699, 24.9384,
    address="12 rue de la Gare", description="Trois personnes, une blessée à terre.",
    caller_name="Mme Lefèvre", caller_phone="06 12 34 56 78",
)  # fmt: skip

Station = tuple[AlertLink, RecordingListener, StorageWriter]


@pytest.fixture
def stations(tmp_path: Path) -> Iterator[list[Station]]:
    made: list[Station] = []
    yield made
    for link, _listener, writer in made:
        link.stop()
        writer.close()


def feature_station(url: str, name: str, tmp_path: Path, made: list[Station]) -> Station:
    """The console's receiving side (link and SQLite), speaking the hub's features."""
    writer = StorageWriter(tmp_path / name / "csu.sqlite3")
    writer.start()
    listener = RecordingListener()
    link = AlertLink(
        LinkSettings(url=url, station=name, token=TOKENS[name], features=FEATURES), writer, listener
    )
    link.start()
    made.append((link, listener, writer))
    wait_until(
        lambda: any(isinstance(m, Welcome) for m in listener.hub_messages), 15, f"{name} accueilli"
    )
    return link, listener, writer


def stored(listener: RecordingListener, key: tuple[str, str], kind: str) -> bool:
    return any(
        o.kind == kind and (o.stored is None or o.stored.alert.key == key) and o.alert_id == key[1]
        for o in listener.outcomes
    )


def test_a_phone_alert_reaches_every_station_once_without_its_caller(
    make_hub: HubFactory, stations: list[Station], tmp_path: Path
) -> None:
    hub = make_hub()
    link1, heard1, db1 = feature_station(hub.url, "poste-1", tmp_path, stations)
    _link2, heard2, db2 = feature_station(hub.url, "poste-2", tmp_path, stations)
    alert = phone_alert(CALL, "poste-1", datetime.now(UTC))
    details = created_details(alert, CALL)
    db1.submit(lambda s: store_phone_alert(s, alert, "poste-1", "dupont", details)).result(10)
    share = AlertShare.of(alert)
    link1.send_alert_share(share)

    wait_until(lambda: stored(heard2, alert.key, "stored"), 20, "l'alerte au poste 2")
    [other] = [o.stored for o in heard2.outcomes if o.stored and o.stored.alert.key == alert.key]
    assert other.alert.reporter is None  # the caller stayed at poste-1
    assert (other.alert.category, other.alert.priority, other.alert.title) == (
        alert.category, alert.priority, alert.title,
    )  # fmt: skip
    assert other.alert.location == alert.location
    # poste-1 recognises its own alert: one copy, its caller kept
    wait_until(lambda: stored(heard1, alert.key, "duplicate"), 20, "l'alerte revenue au poste 1")
    assert stored_keys(db1.path).count(alert.key) == 1
    assert stored_keys(db2.path).count(alert.key) == 1
    mine = db1.submit(lambda s: s.recent_alerts()).result(10)
    assert next(a.alert.reporter for a in mine if a.alert.key == alert.key) is not None
    # answered by the hub: out of the outbox
    wait_until(lambda: not db1.submit(lambda s: s.outbox_pending()).result(10), 10, "réponse")

    link1.send_alert_share(share)  # offered again (a resend after a crash): still once
    wait_until(lambda: not db1.submit(lambda s: s.outbox_pending()).result(10), 10, "réponse")
    assert stored_keys(db2.path).count(alert.key) == 1


@pytest.mark.expected_logs("csu.hub.stations")
def test_a_station_cannot_pass_off_a_citizen_s_alert(make_hub: HubFactory) -> None:
    hub = make_hub()
    ws = raw_station(hub.url, "poste-3", features=list(FEATURES))
    recv_until(ws, lambda m: m.get("type") == "sync")
    obj = json.loads(AlertShare.of(phone_alert(CALL, "poste-3", datetime.now(UTC))).to_json())
    obj["alert"]["source"] = "voisins-vigilants"
    ws.send(json.dumps(obj))
    answer = recv_until(ws, lambda m: m.get("type") == "alert_share_result")[-1]
    assert answer["result"] == "refused" and "créée au poste" in answer["message"]
    assert answer["key"] == f"share:voisins-vigilants/{obj['alert']['id']}"
    ws.close()
