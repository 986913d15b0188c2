"""The hub between a real ``csu-sim`` upstream and real stations, on a real nats-server.

Stations are the console's own alert link on SQLite (plain protocol v1) or raw
websocket clients for the protocol checks.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from conftest import HubFactory, StationFactory
from hub_support import TOKENS, raw_station, recv_json, recv_until
from support import stored_keys, wait_until
from websockets.exceptions import ConnectionClosed

from csu_console.hub.jetstream import ALERTS_STREAM, REJECTED_STREAM
from csu_console.hub.nats_server import NatsServer
from csu_console.net.state import LinkPhase
from csu_console.sim.control import SimProcess
from csu_console.storage.store import Store

UPSTREAM = "csu-test"  # the name every hub presents upstream


def acked(sim: SimProcess) -> int:
    st = sim.command("stats")["stations"].get(UPSTREAM)
    return 0 if st is None else int(st["acked"])


def stream_messages(hub: Any, stream: str) -> int:
    async def count() -> int:
        assert hub.server.nc is not None
        info = await hub.server.nc.jetstream().stream_info(stream)
        return int(info.state.messages)

    return int(hub.call(count()))


def is_alert(m: dict[str, Any]) -> bool:
    return m.get("type") in ("alert", "cap")


def test_two_stations_store_every_alert_once_and_duplicates_are_dropped(
    sim: SimProcess, make_hub: HubFactory, make_station: StationFactory
) -> None:
    hub = make_hub(upstreams=[sim.url])
    _l1, _s1, w1 = make_station(hub.url, "poste-1")
    _l2, _s2, w2 = make_station(hub.url, "poste-2")
    sim.command("emit", count=60, cap_ratio=0.2, duplicates=15)
    wait_until(lambda: acked(sim) == 75, 20, "75 trames acquittées en amont")
    wait_until(lambda: len(stored_keys(w1.path)) == 60, 20, "poste-1 : 60 alertes")
    wait_until(lambda: len(stored_keys(w2.path)) == 60, 20, "poste-2 : 60 alertes")
    ids = sorted(map(tuple, sim.command("ids")))
    assert sorted(stored_keys(w1.path)) == ids == sorted(stored_keys(w2.path))
    assert stream_messages(hub, ALERTS_STREAM) == 60  # the 15 doubles dropped by msg-id
    counters = hub.health()[1]["upstreams"]["amont0"]
    assert (counters["stored"], counters["duplicate"]) == (60, 15)
    # every station's seq is the stream's: the same at both
    seqs1 = w1.submit(lambda s: s.last_seq()).result()
    assert seqs1 == w2.submit(Store.last_seq).result() == 60


@pytest.mark.expected_logs("csu.hub", "csu.net")
def test_nothing_is_acked_upstream_while_nats_is_down(
    sim: SimProcess,
    nats_server: NatsServer,
    make_hub: HubFactory,
    make_station: StationFactory,
) -> None:
    hub = make_hub(upstreams=[sim.url])
    _link, _listener, writer = make_station(hub.url, "poste-1")
    health_url = hub.url.replace("ws://", "http://") + "/health"
    sim.command("emit", count=10)
    wait_until(lambda: len(stored_keys(writer.path)) == 10, 20, "10 alertes au poste")
    with urllib.request.urlopen(health_url, timeout=5) as resp:
        assert resp.status == 200
        body = json.loads(resp.read())
    assert body["state"] == "ok" and body["stations"] == ["poste-1"]
    assert body["upstreams"]["amont0"]["phase"] == "connected"

    ws = raw_station(hub.url, "poste-2", features=["claims"])
    recv_until(ws, lambda m: is_alert(m) and m["seq"] == 10)
    nats_server.kill()
    wait_until(lambda: not hub.health()[0], 10, "hub dégradé")
    health = recv_until(ws, lambda m: m.get("type") == "hub_health")[-1]
    assert (health["state"], health["detail"]) == ("degraded", "NATS injoignable")
    sim.command("emit", count=20)
    listener = hub.server.intake.listeners["amont0"]  # type: ignore[union-attr]
    wait_until(lambda: listener.counters.failed_batches > 0, 20, "un lot refusé par JetStream")
    assert acked(sim) == 10  # nothing acknowledged that is not stored
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(health_url, timeout=5)
    assert err.value.code == 503
    assert json.loads(err.value.read())["nats"]["connected"] is False
    assert hub.server.stations is not None and "poste-1" in hub.server.stations.sessions

    nats_server.start()
    wait_until(lambda: hub.health()[0], 20, "hub rétabli")
    assert recv_until(ws, lambda m: m.get("type") == "hub_health")[-1]["state"] == "ok"
    ws.close()
    wait_until(lambda: acked(sim) == 30, 30, "30 alertes acquittées en amont")
    wait_until(lambda: len(stored_keys(writer.path)) == 30, 30, "30 alertes au poste")
    assert sorted(stored_keys(writer.path)) == sorted(map(tuple, sim.command("ids")))
    assert stream_messages(hub, ALERTS_STREAM) == 30


def test_two_hubs_on_one_nats_and_one_upstream(
    sim: SimProcess, make_hub: HubFactory, make_station: StationFactory
) -> None:
    hub_a = make_hub("hub-a", upstreams=[sim.url])
    hub_b = make_hub("hub-b", upstreams=[sim.url])
    link1, _s1, w1 = make_station(hub_a.url, "poste-1")
    _l2, _s2, w2 = make_station(hub_b.url, "poste-2")
    sim.command("emit", count=100, cap_ratio=0.1)
    wait_until(lambda: len(stored_keys(w1.path)) == 100, 30, "poste-1 : 100 alertes")
    wait_until(lambda: len(stored_keys(w2.path)) == 100, 30, "poste-2 : 100 alertes")
    wait_until(lambda: acked(sim) == 100, 20, "amont : 100 acquittées")
    assert stream_messages(hub_a, ALERTS_STREAM) == 100
    assert len(set(stored_keys(w1.path))) == len(stored_keys(w1.path))
    assert sorted(stored_keys(w1.path)) == sorted(stored_keys(w2.path))

    # a claim goes upstream once, whichever hub relays it
    from datetime import UTC, datetime

    from csu_console.core.alerts import AlertState

    source, alert_id = stored_keys(w1.path)[0]
    link1.send_status(source, alert_id, AlertState.ACKNOWLEDGED, "Durand", datetime.now(UTC))
    wait_until(lambda: len(sim.command("updates")) == 1, 10, "statut relayé en amont")

    async def relay_idle() -> bool:
        assert hub_a.server.nc is not None
        ci = await hub_a.server.nc.jetstream().consumer_info("CSU_STATUS", "relay-amont0")
        return (ci.num_pending, ci.num_ack_pending) == (0, 0)

    wait_until(lambda: hub_a.call(relay_idle()), 10, "relais vidé")
    relayed = [
        h.server.intake.listeners["amont0"].counters.relayed  # type: ignore[union-attr]
        for h in (hub_a, hub_b)
    ]
    assert sum(relayed) == 1
    assert len(sim.command("updates")) == 1


def test_a_station_offline_catches_up_in_order(sim: SimProcess, make_hub: HubFactory) -> None:
    hub = make_hub(upstreams=[sim.url])
    sim.command("emit", count=3)
    ws = raw_station(hub.url, "poste-3")
    first = [recv_json(ws) for _ in range(3)]
    assert [m["seq"] for m in first] == [1, 2, 3]
    for m in first:
        ws.send(json.dumps({"type": "ack", "seq": m["seq"], "id": m.get("alert", {}).get("id")}))
    ws.close()
    sim.command("emit", count=40)
    wait_until(lambda: stream_messages(hub, ALERTS_STREAM) == 43, 20, "43 alertes stockées")
    ws = raw_station(hub.url, "poste-3", last_seq=3)
    got = [recv_json(ws) for _ in range(40)]
    assert [m["seq"] for m in got] == list(range(4, 44))
    assert all(is_alert(m) for m in got)
    ws.close()


def test_a_station_moving_to_another_hub_gets_what_it_had_not_acked(
    sim: SimProcess, make_hub: HubFactory
) -> None:
    hub_a = make_hub("hub-a", upstreams=[sim.url], ack_wait_s=60)
    hub_b = make_hub("hub-b", ack_wait_s=60)
    sim.command("emit", count=10)
    ws_a = raw_station(hub_a.url, "poste-2")
    got = [recv_json(ws_a) for _ in range(10)]
    for m in got[:4]:
        ws_a.send(json.dumps({"type": "ack", "seq": m["seq"]}))
    wait_until(lambda: _unacked(hub_a, "poste-2") == 6, 10, "4 acquittées")
    # Hub A "dies" for this station: its connection stays open, nothing is given back.
    ws_b = raw_station(hub_b.url, "poste-2", last_seq=4)
    again = [recv_json(ws_b, timeout=5) for _ in range(6)]  # well before ack_wait (60 s)
    assert [m["seq"] for m in again] == [5, 6, 7, 8, 9, 10]
    # the stale connection at hub A is closed rather than fight over the consumer
    with pytest.raises(ConnectionClosed):
        recv_json(ws_a, timeout=10)
    ws_b.send(json.dumps({"type": "ack", "seq": 5}))
    wait_until(lambda: _unacked(hub_b, "poste-2") == 5, 10, "acquittement via hub-b")
    ws_b.close()


def _unacked(hub: Any, station: str) -> int:
    async def info() -> int:
        assert hub.server.nc is not None
        ci = await hub.server.nc.jetstream().consumer_info(ALERTS_STREAM, f"station-{station}")
        return int(ci.num_ack_pending or 0)

    return int(hub.call(info()))


@pytest.mark.expected_logs("csu.net", "csu.hub.intake")
def test_poison_upstream_frames_are_rejected_kept_and_do_not_block(
    sim: SimProcess, make_hub: HubFactory, make_station: StationFactory
) -> None:
    hub = make_hub(upstreams=[sim.url])
    _link, _listener, writer = make_station(hub.url, "poste-1")
    sim.command(
        "inject",
        frames=[
            {"raw": '{"type": "alert", "seq": 1, "alert": {"id": NaN}}'},
            {"raw": "pas du json"},
            {"json": {"type": "alert", "seq": "auto", "alert": {"id": "x"}}},
        ],
    )
    sim.command("emit", count=5)
    wait_until(lambda: len(stored_keys(writer.path)) == 5, 20, "les 5 alertes derrière")
    wait_until(lambda: stream_messages(hub, REJECTED_STREAM) == 3, 10, "3 rejets gardés")
    stats = sim.command("stats")["stations"][UPSTREAM]
    assert stats["rejected"] == 2  # NaN frame answered with its seq, and the bad alert
    assert stats["unanswered"] == 0

    async def first_rejected() -> dict[str, Any]:
        assert hub.server.nc is not None
        msg = await hub.server.nc.jetstream().get_msg(REJECTED_STREAM, 1)
        return dict(json.loads(msg.data or b"{}"))

    kept = hub.call(first_rejected())
    assert kept["seq"] == 1 and "JSON invalide" in kept["reason"]
    assert kept["raw_b64"]


def test_a_plain_v1_station_gets_alerts_and_updates_and_its_status_goes_upstream(
    sim: SimProcess, make_hub: HubFactory, make_station: StationFactory
) -> None:
    from datetime import UTC, datetime

    from csu_console.core.alerts import AlertState

    hub = make_hub(upstreams=[sim.url])
    link1, _s1, w1 = make_station(hub.url, "poste-1")
    _link2, s2, w2 = make_station(hub.url, "poste-2")
    sim.command("emit", count=3, cap_ratio=0)
    wait_until(lambda: len(stored_keys(w1.path)) == 3, 20, "poste-1 : 3 alertes")
    wait_until(lambda: len(stored_keys(w2.path)) == 3, 20, "poste-2 : 3 alertes")
    source, alert_id = stored_keys(w1.path)[0]
    link1.send_status(source, alert_id, AlertState.ACKNOWLEDGED, "Durand", datetime.now(UTC))
    wait_until(lambda: len(s2.updates) == 1, 10, "update au poste-2")
    update = s2.updates[0]
    assert (update.source, update.id, update.station) == (source, alert_id, "poste-1")
    assert update.state is AlertState.ACKNOWLEDGED
    wait_until(lambda: len(sim.command("updates")) == 1, 10, "statut relayé en amont")
    up = sim.command("updates")[0]
    assert (up["source"], up["id"], up["state"]) == (source, alert_id, "acknowledged")
    assert up["station"] == UPSTREAM


@pytest.mark.expected_logs("csu.hub.stations")
def test_feature_station_gets_welcome_sync_then_alerts_with_their_claim(
    sim: SimProcess, make_hub: HubFactory
) -> None:
    hub = make_hub(upstreams=[sim.url])
    sim.command("emit", count=2, cap_ratio=0)
    ws1 = raw_station(hub.url, "poste-1", features=["claims", "units", "bogus"])
    msgs = recv_until(ws1, lambda m: is_alert(m) and m["seq"] == 2)
    assert msgs[0] == {
        "type": "welcome",
        "protocol": 1,
        "hub": "hub-a",
        "features": ["claims", "units"],
    }
    assert msgs[1]["type"] == "sync"
    alert = msgs[2]["alert"]
    ws1.send(
        json.dumps(
            {
                "type": "status",
                "sid": "poste-1:1",
                "source": alert["source"],
                "id": alert["id"],
                "state": "acknowledged",
                "kind": "acknowledged",
                "station": "poste-1",
                "operator": "Durand",
                "at": "2026-01-01T10:00:00+01:00",
            }
        )
    )
    answers = recv_until(ws1, lambda m: m.get("type") == "status_result")
    assert answers[-1]["result"] == "applied" and answers[-1]["sid"] == "poste-1:1"
    ws1.send("pas du json")  # a poison frame from a station: logged, connection kept
    ws1.send(json.dumps({"type": "status", "sid": "poste-1:2", "source": "x"}))
    bad = recv_until(ws1, lambda m: m.get("type") == "status_result")[-1]
    assert bad["result"] == "refused" and bad["sid"] == "poste-1:2" and bad["message"]
    # another station, coming later, gets the first alert with its claim
    ws2 = raw_station(hub.url, "poste-2", features=["claims"])
    got = recv_until(ws2, lambda m: is_alert(m) and m["seq"] == 1)
    assert got[-1]["claim"]["station"] == "poste-1"
    assert got[-1]["claim"]["operator"] == "Durand"
    ws1.close()
    ws2.close()


@pytest.mark.expected_logs("csu.hub.stations")
def test_unknown_station_or_wrong_token_is_refused_and_logged(
    make_hub: HubFactory, caplog: pytest.LogCaptureFixture
) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    hub = make_hub()
    bad = "jeton-faux-123456"
    with pytest.raises(InvalidStatus) as err:
        connect(
            hub.url,
            additional_headers={"Authorization": f"Bearer {bad}"},
            open_timeout=5,
            legacy=True,
        )
    assert err.value.response.status_code == 401
    with pytest.raises(InvalidStatus) as err:
        connect(
            hub.url,
            additional_headers={"Authorization": f"Bearer {bad}", "X-Csu-Station": "poste-9"},
            open_timeout=5,
            legacy=True,
        )
    assert err.value.response.status_code == 401
    with pytest.raises(InvalidStatus):
        connect(
            hub.url,
            additional_headers={"Authorization": f"Bearer {bad}", "X-Csu-Station": "poste-1"},
            open_timeout=5,
            legacy=True,
        )
    # the right token, but a hello in another station's name
    ws = raw_station(hub.url, "poste-2", token=TOKENS["poste-1"])
    with pytest.raises(Exception):  # noqa: B017 - closed by the hub
        recv_json(ws, timeout=5)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "csu.hub.stations")
    assert "jeton inconnu" in text
    assert "poste inconnu « poste-9 »" in text
    assert "jeton invalide pour le poste « poste-1 »" in text
    assert "127.0.0.1" in text
    assert "hello au nom de « poste-2 »" in text
    assert bad not in text and TOKENS["poste-1"] not in text


@pytest.mark.expected_logs("csu.hub", "csu.net")
def test_on_a_three_node_cluster_a_node_killed_mid_stream_loses_nothing(
    tmp_path: Any, sim: SimProcess, make_station: StationFactory
) -> None:
    from hub_support import HubThread, hub_config

    from csu_console.hub.nats_server import cluster, start_cluster, stop_all

    nodes = cluster(tmp_path / "cluster")
    for node in nodes:
        node.max_file_store = "2G"
    start_cluster(nodes)
    hub = None
    try:
        hub = HubThread(hub_config(tmp_path, "hub-a", [sim.url]), nodes[0].url).start()

        async def replicas() -> int:
            assert hub is not None and hub.server.nc is not None
            info = await hub.server.nc.jetstream().stream_info(ALERTS_STREAM)
            return int(info.config.num_replicas or 0)

        assert hub.call(replicas()) == 3
        _link, _listener, writer = make_station(hub.url, "poste-1")
        sim.command("emit", count=300)
        sim.command("wait", station=UPSTREAM, field="acked", at_least=50, timeout=30)
        nodes[0].kill()  # the node the hub is connected to
        wait_until(lambda: acked(sim) == 300, 60, "300 acquittées en amont")
        wait_until(lambda: len(stored_keys(writer.path)) == 300, 60, "300 au poste")
        assert sorted(stored_keys(writer.path)) == sorted(map(tuple, sim.command("ids")))
    finally:
        if hub is not None:
            hub.stop()
        stop_all(nodes)


def test_units_presence_and_escalations_reach_stations_on_another_hub(
    make_hub: HubFactory,
) -> None:
    hub_a = make_hub("hub-a")
    hub_b = make_hub("hub-b")
    everything = ["claims", "units", "presence", "escalation", "durable_status"]
    ws1 = raw_station(hub_a.url, "poste-1", features=everything)
    ws2 = raw_station(hub_b.url, "poste-2", features=everything)
    ws3 = raw_station(hub_b.url, "poste-3")  # plain v1: none of these
    for ws in (ws1, ws2):
        recv_until(ws, lambda m: m.get("type") == "sync")
    ws1.send(json.dumps({"type": "presence", "operator": "Durand", "role": "supervisor"}))
    seen = recv_until(
        ws2,
        lambda m: m.get("type") == "presence" and m["presence"]["operator"] == "Durand",
    )[-1]["presence"]
    assert (seen["station"], seen["role"], seen["hub"], seen["online"]) == (
        "poste-1",
        "supervisor",
        "hub-a",
        True,
    )
    unit = {
        "unit": "PM-1",
        "status": "indisponible",
        "stage": None,
        "alert": None,
        "station": "poste-2",  # in another's name: recorded under its own (its token's)
        "operator": "Durand",
        "at": "2026-01-01T10:00:00+01:00",
        "comment": "plein d'essence",
        "uid": "poste-1:u1",
    }
    ws1.send(json.dumps({"type": "unit", "uid": "poste-1:u1", "unit": unit, "confirm": False}))
    result = recv_until(ws1, lambda m: m.get("type") == "unit_result")[-1]
    assert result["result"] == "applied"
    shared = recv_until(ws2, lambda m: m.get("type") == "unit")[-1]["unit"]
    assert (shared["unit"], shared["status"], shared["comment"], shared["station"]) == (
        "PM-1",
        "indisponible",
        "plein d'essence",
        "poste-1",
    )
    ws1.send(
        json.dumps(
            {
                "type": "escalate",
                "eid": "poste-1:e1",
                "source": "s",
                "id": "a1",
                "station": "poste-3",  # as for units: its own name is what counts
                "operator": "Durand",
                "at": "2026-01-01T10:00:00+01:00",
                "note": "urgent",
            }
        )
    )
    esc = recv_until(ws2, lambda m: m.get("type") == "escalation")[-1]
    assert (esc["eid"], esc["note"], esc["station"]) == ("poste-1:e1", "urgent", "poste-1")
    ws1.close()  # poste-1 leaves: shown offline at the other hub
    gone = recv_until(
        ws2, lambda m: m.get("type") == "presence" and m["presence"]["online"] is False
    )[-1]["presence"]
    assert gone["station"] == "poste-1"
    ws3.send(json.dumps({"type": "ack", "seq": 1}))  # nothing sent to it, nothing breaks
    with pytest.raises(TimeoutError):
        recv_json(ws3, timeout=0.5)
    ws2.close()
    ws3.close()


def test_a_last_seq_from_another_gateway_is_not_taken_for_the_hubs(
    sim: SimProcess, make_hub: HubFactory
) -> None:
    """A station that talked to a gateway directly joins the hub with that gateway's
    last_seq, beyond the hub's stream: it must still get everything."""
    hub = make_hub(upstreams=[sim.url])
    sim.command("emit", count=3)
    wait_until(lambda: stream_messages(hub, ALERTS_STREAM) == 3, 20, "3 alertes stockées")
    ws = raw_station(hub.url, "poste-4", last_seq=5000)
    assert [recv_json(ws)["seq"] for _ in range(3)] == [1, 2, 3]
    ws.close()


def test_stations_over_wss_with_the_configured_certificate(
    tmp_path: Any, sim: SimProcess, nats_server: NatsServer
) -> None:
    import subprocess
    from dataclasses import replace

    from hub_support import HubThread, hub_config
    from support import RecordingListener

    from csu_console.net.link import AlertLink, LinkSettings
    from csu_console.storage.writer import StorageWriter

    cert, key = tmp_path / "hub.crt", tmp_path / "hub.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    config = replace(hub_config(tmp_path, "hub-tls", [sim.url]), tls_cert=cert, tls_key=key)
    hub = HubThread(config, nats_server.url).start()
    writer = StorageWriter(tmp_path / "tls-station.sqlite3")
    writer.start()
    listener = RecordingListener()
    settings = LinkSettings(
        url=f"wss://127.0.0.1:{hub.server.port}",
        station="poste-1",
        token=TOKENS["poste-1"],
        ca_file=cert,
    )
    link = AlertLink(settings, writer, listener)
    link.start()
    try:
        sim.command("emit", count=5)
        wait_until(lambda: len(stored_keys(writer.path)) == 5, 20, "5 alertes par wss")
        assert listener.phase is LinkPhase.CONNECTED
    finally:
        link.stop()
        writer.close()
        hub.stop()
