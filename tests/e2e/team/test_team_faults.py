"""Issue 15's "done when", with real parts end to end: a real ``nats-server`` (the
wheel's), real ``csu-hub`` processes, a real ``csu-sim`` upstream, and stations made of
the console's own receiving process on their SQLite files (the screen is left out:
three offscreen GUIs on two cores would test the CPU, not the hub; the GUI's side of
claims is tested in tests/gui/console).

- faults: hubs killed, NATS restarted, station connections cut, stations killed
  during 10,000 alerts: every station stores every valid alert exactly once, and
  upstream got acknowledgements only for alerts JetStream had stored;
- claim race and unit race from two stations on two hubs, 50 times each;
- catch-up of a station that was off during 1,000 alerts and 50 claims;
- a status written right before ``kill -9`` reaches the hub exactly once;
- a poison frame answered with its seq;
- a three-node NATS cluster losing a node mid-stream.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.js.api import DeliverPolicy
from support import wait_until
from team_support import CSU, DropRelay, HubProc, Station

from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.hub_protocol import (
    StatusResult,
    UnitChanged,
    UnitRecord,
    UnitRequest,
    UnitResult,
    new_key,
)
from csu_console.core.intake import Outcome
from csu_console.hub.jetstream import ALERTS_STREAM, H_ORIGIN, STATUS_STREAM, decode_key
from csu_console.hub.nats_server import NatsServer, cluster, start_cluster, stop_all
from csu_console.sim.control import SimProcess

pytestmark = [pytest.mark.slow, pytest.mark.expected_logs("csu.net", "csu.storage")]


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats", max_file_store="4G")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def team(tmp_path: Path) -> Iterator[dict[str, list[Any]]]:
    """Everything a test starts, stopped afterwards whatever happened."""
    made: dict[str, list[Any]] = {"hubs": [], "stations": [], "relays": []}
    yield made
    for station in made["stations"]:
        station.stop()
    for relay in made["relays"]:
        relay.close()
    for hub in made["hubs"]:
        hub.stop()


def stream_keys(nats_url: str, stream: str = ALERTS_STREAM) -> list[tuple[str, str]]:
    """(source, id) of every message in the alerts stream, read back from JetStream."""

    async def read() -> list[tuple[str, str]]:
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            info = await js.stream_info(stream)
            total = info.state.messages
            sub = await js.subscribe(
                "csu.alerts.>", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
            )
            keys: list[tuple[str, str]] = []
            while len(keys) < total:
                msg = await sub.next_msg(timeout=5)
                key = decode_key((msg.headers or {}).get(H_ORIGIN))
                assert key is not None, msg.headers
                keys.append(key)
            await sub.unsubscribe()
            return keys
        finally:
            await nc.close()

    return asyncio.run(read())


def status_sids(nats_url: str) -> list[str]:
    """The sid of every claim change the hubs applied (stream CSU_STATUS)."""

    async def read() -> list[str]:
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            total = (await js.stream_info(STATUS_STREAM)).state.messages
            sub = await js.subscribe(
                "csu.status", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
            )
            sids: list[str] = []
            for _ in range(total):
                msg = await sub.next_msg(timeout=5)
                sids.append(json.loads(msg.data)["sid"])
            await sub.unsubscribe()
            return sids
        finally:
            await nc.close()

    return asyncio.run(read())


def _hub_and_station(
    tmp_path: Path, sim: SimProcess, nats_urls: str, team: dict[str, list[Any]]
) -> tuple[HubProc, Station]:
    """One hub on the upstream simulator, and poste-1 on it."""
    hub = HubProc(tmp_path / "hub-a", "hub-a", sim.url, nats_urls).start()
    team["hubs"].append(hub)
    station = Station(tmp_path, "poste-1", [hub.url]).start()
    team["stations"].append(station)
    return hub, station


def settle(sim: SimProcess, stations: list[Station], timeout: float = 120) -> list[tuple[str, str]]:
    """Wait until upstream has nothing unanswered and every station holds every alert."""
    sim.command("wait", station=CSU, field="unanswered", at_most=0, timeout=timeout)
    ids = sorted(map(tuple, sim.command("ids")))
    for st in stations:
        wait_until(lambda st=st: len(st.keys()) >= len(ids), timeout, f"{st.name} complet")
    return ids


# -- 1. faults -------------------------------------------------------------------------


def test_faults_lose_nothing_and_double_nothing(
    tmp_path: Path, sim: SimProcess, nats_server: NatsServer, team: dict[str, list[Any]]
) -> None:
    hubs = [HubProc(tmp_path / h, h, sim.url, nats_server.url).start() for h in ("hub-a", "hub-b")]
    team["hubs"] += hubs
    relays = [DropRelay(h.port).start() for h in hubs]
    team["relays"] += relays
    stations = [
        Station(tmp_path, f"poste-{i}", [relays[i % 2].url, relays[(i + 1) % 2].url]).start()
        for i in range(1, 4)
    ]
    team["stations"] += stations
    total, chunks = 10_000, 20
    faults = (
        ["hub"] * 10 + ["nats"] * 3 + ["drop"] * 10 + ["station"] * 3
    )  # 26 faults over 20 chunks: some chunks get two
    plan = {i: [] for i in range(chunks)}  # type: dict[int, list[str]]
    for n, fault in enumerate(faults):
        plan[(n * 7) % chunks].append(fault)
    acked_during: list[set[tuple[str, ...]]] = []
    for chunk in range(chunks):
        sim.command("emit", count=total // chunks, cap_ratio=0.1, duplicates=10)
        target = (chunk * total // chunks) + total // chunks // 3
        sim.command("wait", station=CSU, field="acked", at_least=target, timeout=60)
        for fault in plan[chunk]:
            if fault == "hub":
                victim = hubs[sum(h.kills for h in hubs) % 2]
                victim.kill()
                acked_during.append(set(map(tuple, sim.command("acked_keys", station=CSU))))
                victim.start()
            elif fault == "nats":
                nats_server.stop()
                acked_during.append(set(map(tuple, sim.command("acked_keys", station=CSU))))
                nats_server.start()
            elif fault == "drop":
                relays[sum(r.drops for r in relays) % 2].drop()
            else:
                stations[sum(s.kills for s in stations) % 3].kill_receiver()
    ids = settle(sim, stations, timeout=180)
    valid = len(ids)
    assert valid >= total  # the duplicates re-offer earlier alerts under new seqs
    for st in stations:
        keys = st.keys()
        assert len(keys) == len(set(keys)), f"{st.name} : alerte en double"
        assert sorted(keys) == ids, f"{st.name} : alertes manquantes"
    stored = stream_keys(nats_server.url)
    assert len(stored) == len(set(stored)) == valid  # JetStream kept each one once
    acked = set(map(tuple, sim.command("acked_keys", station=CSU)))
    assert acked == set(ids)
    for snapshot in acked_during:  # acknowledged before a kill: stored already
        assert snapshot <= set(stored)
    assert sum(h.kills for h in hubs) == 10 and sum(s.kills for s in stations) == 3
    assert sum(r.drops for r in relays) == 10


# -- 2, 3. races -----------------------------------------------------------------------


def _two_stations(
    tmp_path: Path, sim: SimProcess, nats_server: NatsServer, team: dict[str, list[Any]], n: int
) -> tuple[list[Station], list[tuple[str, str]]]:
    hubs = [HubProc(tmp_path / h, h, sim.url, nats_server.url).start() for h in ("hub-a", "hub-b")]
    team["hubs"] += hubs
    stations = [
        Station(tmp_path, "poste-1", [hubs[0].url]).start(),
        Station(tmp_path, "poste-2", [hubs[1].url]).start(),
    ]
    team["stations"] += stations
    sim.command("emit", count=n, cap_ratio=0.0)
    ids = settle(sim, stations, timeout=60)
    return stations, ids


def _race(fns: list[Any]) -> list[Any]:
    """Run the callables at the same moment (a barrier), from two threads."""
    import threading

    barrier = threading.Barrier(len(fns))
    results: list[Any] = [None] * len(fns)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = (time.monotonic(), fns[i]())

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(fns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _claim_race(stations: list[Station], key: tuple[str, str]) -> tuple[float, float] | None:
    """Both stations press F2 on ``key`` at once: (gap between the presses, time
    until the loser's link heard the hub's refusal); None when one station already
    saw the other's claim as it pressed (its database was busy a moment: the book's
    copies share it), which must still leave one holder."""
    (t1, (sid1, ok1)), (t2, (sid2, ok2)) = _race([lambda st=st: st.take(key) for st in stations])
    if ok1 != ok2:  # one saw it taken already: no race, still exactly one holder
        holder = stations[0] if ok1 else stations[1]
        for st in stations:
            wait_until(
                lambda st=st: (st.row(key) or {}).get("state_station") == holder.name,
                10,
                f"{st.name} voit {holder.name}",
            )
        return None
    assert ok1 and ok2  # both operators saw it new and pressed F2
    sids = (sid1, sid2)
    pairs = list(zip(stations, sids, strict=True))
    wait_until(
        lambda: all(st.outbox(sid).get("result") for st, sid in pairs), 10, f"réponses {key}"
    )
    results = [st.outbox(sid)["result"] for st, sid in pairs]
    assert sorted(results) == ["applied", "refused"], results
    winner = stations[results.index("applied")]
    loser = stations[results.index("refused")]
    loser_sid = sids[results.index("refused")]
    for st in stations:  # both stations end on the same holder
        wait_until(
            lambda st=st: (st.row(key) or {}).get("state_station") == winner.name,
            10,
            f"{st.name} voit {winner.name}",
        )

    # The receiving process writes the answer, then tells the GUI side through its
    # pipe: the GUI side may hear it a moment after the row shows it (time of hearing,
    # noted when it came, is what is measured).
    def heard() -> float | None:
        return loser.first_hub(
            min(t1, t2), lambda m: isinstance(m, StatusResult) and m.sid == loser_sid
        )

    wait_until(lambda: heard() is not None, 10, f"{loser.name} entend le refus")
    at = heard()
    assert at is not None
    return abs(t1 - t2), at - max(t1, t2)


def test_claim_race_has_exactly_one_holder(
    tmp_path: Path, sim: SimProcess, nats_server: NatsServer, team: dict[str, list[Any]]
) -> None:
    stations, ids = _two_stations(tmp_path, sim, nats_server, team, 50)
    rounds = [_claim_race(stations, key) for key in ids]
    races = [r for r in rounds if r is not None]
    assert len(races) >= len(ids) // 2, f"{len(races)} vraies courses sur {len(ids)}"
    gaps = [g for g, _ in races]
    told = sorted(t for _, t in races)
    assert max(gaps) < 0.005, f"F2 pas simultanés : {max(gaps) * 1000:.1f} ms"
    print(
        f"claim_race races={len(races)}/{len(ids)} told_p50_ms={told[len(told) // 2] * 1000:.1f}"
        f" max_ms={told[-1] * 1000:.1f}"
    )
    assert told[-1] < 2.0  # the goal (200 ms) is measured by bench/hub_fanout.py


def _engage(st: Station, key: tuple[str, str], unit: str) -> str:
    uid = new_key(st.name)
    record = UnitRecord(
        unit=unit, status=UnitStatus.EN_INTERVENTION, station=st.name,
        operator="Opérateur", at=datetime.now(UTC), alert=key,
        stage=Stage.DISPATCHED, uid=uid,
    )  # fmt: skip
    st.receiver.send_unit(UnitRequest(uid, record))
    return uid


def _unit_result(st: Station, uid: str) -> UnitResult | None:
    for _t, m in list(st.listener.hub):
        if isinstance(m, UnitResult) and m.uid == uid:
            return m
    return None


def _hears_unit(st: Station, unit: str, holder: str) -> bool:
    return any(
        isinstance(m, UnitChanged) and m.unit.unit == unit and m.unit.station == holder
        for _t, m in list(st.listener.hub)
    )


def _unit_race(stations: list[Station], key: tuple[str, str], unit: str) -> None:
    (_t1, uid1), (_t2, uid2) = _race([lambda st=st: _engage(st, key, unit) for st in stations])
    first, second = stations
    wait_until(lambda: _unit_result(first, uid1) and _unit_result(second, uid2), 10, "unit_result")
    r1, r2 = _unit_result(first, uid1), _unit_result(second, uid2)
    assert r1 is not None and r2 is not None
    assert sorted([r1.applied, r2.applied]) == [False, True], (r1, r2)
    refused = r1 if not r1.applied else r2
    assert refused.unit is not None and refused.unit.status is UnitStatus.EN_INTERVENTION
    assert refused.message  # French, names who engaged it
    holder = refused.unit.station
    for st in stations:  # every station hears the engagement
        wait_until(lambda st=st: _hears_unit(st, unit, holder), 10, f"{st.name} voit {unit}")


def test_unit_race_engages_the_patrol_once(
    tmp_path: Path, sim: SimProcess, nats_server: NatsServer, team: dict[str, list[Any]]
) -> None:
    stations, ids = _two_stations(tmp_path, sim, nats_server, team, 50)
    for n, key in enumerate(ids):
        _unit_race(stations, key, f"PM-{n}")


# -- 4. catch-up -------------------------------------------------------------------------


def test_station_catches_up_and_rings_only_for_unclaimed(
    tmp_path: Path, sim: SimProcess, nats_server: NatsServer, team: dict[str, list[Any]]
) -> None:
    hub, first = _hub_and_station(tmp_path, sim, nats_server.url, team)
    # poste-2 has been here before (its durable consumer exists), then goes away
    second = Station(tmp_path, "poste-2", [hub.url]).start()
    wait_until(lambda: second.receiver.status.phase.value == "connected", 20, "poste-2 connecté")
    second.stop()
    sim.command("emit", count=1000, cap_ratio=0.1)
    ids = settle(sim, [first], timeout=120)
    claimed = ids[::20]  # 50 alerts taken by poste-1 while poste-2 is off
    sids = []
    for key in claimed:
        sid, ok = first.take(key, "Durand")
        assert ok
        sids.append(sid)
    wait_until(
        lambda: all(first.outbox(s).get("result") == "applied" for s in sids), 30, "50 claims"
    )
    back = Station(tmp_path, "poste-2", [hub.url]).start()
    team["stations"].append(back)
    wait_until(lambda: len(back.keys()) >= 1000, 120, "poste-2 rattrapé")
    keys = back.keys()
    assert len(keys) == len(set(keys)) == 1000
    assert sorted(keys) == ids

    def told() -> dict[tuple[str, str], Outcome]:
        """What the receiving process told the console it stored (over its pipe,
        which can lag behind the database file)."""
        return {(o.stored.alert.source, o.stored.alert.id): o for o in back.listener.outcomes
                if o.stored is not None and o.kind == "stored"}  # fmt: skip

    wait_until(lambda: len(told()) >= 1000, 30, "la console a appris les 1000 alertes")
    outcomes = told()
    rings = {k for k, o in outcomes.items() if o.stored is not None
             and o.stored.state.value == "new"}  # fmt: skip
    held = set(claimed)
    # What the console's alarm rings for: alerts stored new. The claimed ones came in
    # already taken by poste-1.
    assert rings == set(ids) - held
    for key in claimed:
        row = back.row(key)
        assert row is not None
        assert (row["state"], row["state_station"], row["state_operator"]) == (
            "acknowledged", "poste-1", "Durand",
        )  # fmt: skip


# -- 5. status after a crash ----------------------------------------------------------


def test_status_written_before_kill_reaches_the_hub_once(
    tmp_path: Path, sim: SimProcess, nats_server: NatsServer, team: dict[str, list[Any]]
) -> None:
    _hub, station = _hub_and_station(tmp_path, sim, nats_server.url, team)
    sim.command("emit", count=6, cap_ratio=0.0)
    ids = settle(sim, [station], timeout=60)
    sids = []
    for key in ids:
        sid, ok = station.take(key)  # written, nudged...
        assert ok
        station.kill_receiver()  # ...and the link killed at once
        sids.append(sid)
        wait_until(lambda sid=sid: station.outbox(sid).get("result") == "applied", 30, sid)
    applied = status_sids(nats_server.url)
    for sid in sids:
        assert applied.count(sid) == 1
    # the citizen platform heard « pris en compte » once per alert
    wait_until(lambda: len(sim.command("updates")) >= len(ids), 30, "statuts relayés")
    relayed = [(u["source"], u["id"]) for u in sim.command("updates")]
    assert sorted(relayed) == ids


# -- 6. poison frame ------------------------------------------------------------------


def test_poison_frame_is_answered_with_its_seq(
    tmp_path: Path, sim: SimProcess, nats_server: NatsServer, team: dict[str, list[Any]]
) -> None:
    _hub, station = _hub_and_station(tmp_path, sim, nats_server.url, team)
    good = sim.command("emit", count=1, cap_ratio=0.0)
    poison = {"type": "alert", "seq": "auto", "alert": {"id": "x", "lat": math.nan}}
    [bad_seq] = sim.command("inject", frames=[{"json": poison, "expect": "reject"}])
    sim.command("emit", count=3, cap_ratio=0.0)
    stats = sim.command("wait", station=CSU, field="unanswered", at_most=0, timeout=30)
    assert stats["stations"][CSU]["rejected"] == 1  # answered with its seq: not resent
    assert bad_seq > good[0]
    wait_until(lambda: len(station.keys()) == 4, 30, "les alertes derrière passent")


# -- 7. cluster -------------------------------------------------------------------------


def test_cluster_node_killed_mid_stream_loses_nothing(
    tmp_path: Path, sim: SimProcess, team: dict[str, list[Any]]
) -> None:
    nodes = cluster(tmp_path / "cluster", 3)
    start_cluster(nodes)
    try:
        urls = ",".join(n.url for n in nodes)
        _hub, station = _hub_and_station(tmp_path, sim, urls, team)
        sim.command("emit", count=2000, cap_ratio=0.1)
        sim.command("wait", station=CSU, field="acked", at_least=300, timeout=60)
        nodes[0].kill()
        acked_at_kill = set(map(tuple, sim.command("acked_keys", station=CSU)))
        sim.command("emit", count=1000, cap_ratio=0.1)
        ids = settle(sim, [station], timeout=120)
        keys = station.keys()
        assert len(keys) == len(set(keys)) == len(ids) == 3000
        assert acked_at_kill <= set(keys)
        stored = stream_keys(nodes[1].url)
        assert sorted(stored) == ids
    finally:
        stop_all(nodes)
