"""The alert link against a real ``csu-sim`` process on 127.0.0.1.

Every valid alert is stored exactly once and acknowledged, whatever happens to
the gateway (killed, restarted, connections cut, duplicates, bad frames).
"""

from __future__ import annotations

import random
import socket
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from support import CONFIG_DIR, RecordingListener, stored_keys, wait_until

from csu_console.core.alerts import AlertState
from csu_console.net.link import AlertLink, LinkSettings, _FrameConnection
from csu_console.net.state import LinkPhase
from csu_console.sim.control import SimProcess
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

STATION = "poste-1"

LinkFactory = Callable[..., tuple[AlertLink, RecordingListener]]


@pytest.fixture
def make_link(writer: StorageWriter) -> Iterator[LinkFactory]:
    links: list[AlertLink] = []

    def make(url: str, **kw: Any) -> tuple[AlertLink, RecordingListener]:
        listener = RecordingListener()
        link = AlertLink(
            LinkSettings(url=url, station=kw.pop("station", STATION), **kw), writer, listener
        )
        link.start()
        links.append(link)
        return link, listener

    yield make
    for link in links:
        link.stop()


def all_answered(sim: SimProcess, station: str = STATION) -> bool:
    st = sim.command("stats")["stations"].get(station)
    return st is not None and st["unanswered"] == 0


def test_alerts_are_stored_then_acked(
    sim: SimProcess, writer: StorageWriter, make_link: LinkFactory
) -> None:
    _link, listener = make_link(sim.url)
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
    seqs = sim.command("emit", count=50, cap_ratio=0.2)
    wait_until(lambda: all_answered(sim), 20, "50 alertes acquittées")
    keys = stored_keys(writer.path)
    assert len(keys) == len(set(keys)) == 50
    assert sorted(map(list, keys)) == sim.command("ids")
    assert sim.command("stats")["stations"][STATION]["acked"] == 50
    assert writer.submit(Store.last_seq).result() == seqs[-1]
    stored = [o for o in listener.outcomes if o.kind == "stored"]
    assert len(stored) == 50
    assert {o.stored.alert.fmt for o in stored if o.stored} == {"json", "cap"}
    hello = sim.command("hellos")[0]
    assert hello == {"type": "hello", "protocol": 1, "station": STATION, "last_seq": None}


@pytest.mark.expected_logs("csu.net")
def test_reconnect_sends_last_seq_and_resends_are_not_doubled(
    sim: SimProcess, writer: StorageWriter, make_link: LinkFactory
) -> None:
    _link, listener = make_link(sim.url)
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
    sim.command("emit", count=20, duplicates=10)
    wait_until(lambda: all_answered(sim), 20, "acquittements")
    assert len(stored_keys(writer.path)) == 20
    assert [o.kind for o in listener.outcomes].count("duplicate") == 10
    sim.command("drop")
    wait_until(lambda: len(sim.command("hellos")) == 2, 20, "reconnexion")
    assert sim.command("hellos")[1]["last_seq"] == 30


@pytest.mark.expected_logs("csu.net")
def test_bad_frames_are_rejected_stored_and_do_not_block(
    sim: SimProcess, writer: StorageWriter, make_link: LinkFactory
) -> None:
    _link, listener = make_link(sim.url)
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
    sim.command(
        "inject",
        frames=[
            {"raw": "pas du json"},
            {"b64": "/w==", "binary": False},  # invalid UTF-8
            {"b64": "AAEC", "binary": True},
            {"json": {"type": "alert", "seq": "auto", "alert": {"id": "x"}}},
            {"json": {"type": "bonjour", "seq": "auto"}},
        ],
    )
    sim.command("emit", count=5)
    wait_until(lambda: all_answered(sim), 20, "tout est répondu")
    assert len(stored_keys(writer.path)) == 5
    assert writer.submit(lambda s: s.count("rejected")).result() == 5
    stats = sim.command("stats")["stations"][STATION]
    assert stats["rejected"] == 2  # the two frames whose seq could be read
    assert listener.phase is LinkPhase.CONNECTED


@pytest.mark.expected_logs("csu.net")
def test_heartbeat_detects_a_silent_gateway(sim: SimProcess, make_link: LinkFactory) -> None:
    _link, listener = make_link(sim.url, ping_interval_s=0.3, ping_timeout_s=0.6)
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
    sim.command("freeze", on=True)
    wait_until(lambda: listener.phase is LinkPhase.LOST, 10, "liaison perdue")
    lost = listener.statuses[-1]
    assert lost.lost_since is not None and lost.attempt == 1
    assert 0.4 <= (lost.next_retry_s or 0) <= 0.6
    sim.command("freeze", on=False)
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 20, "reconnexion")


@pytest.mark.slow
@pytest.mark.expected_logs("csu.net")
def test_soak_10000_alerts_20_kills_20_drops(
    tmp_path: Path, writer: StorageWriter, make_link: LinkFactory
) -> None:
    """10,000 alerts across 20 gateway SIGKILL/restarts and 20 cut connections,
    with duplicates and bad frames mixed in: each valid alert stored once, acked."""
    sim = SimProcess(
        CONFIG_DIR,
        state=tmp_path / "sim.sqlite3",
        extra_args=["--seed", "11", "--resend-after", "2"],
    ).start()
    try:
        _link, listener = make_link(sim.url)
        wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
        for round_ in range(40):
            # Each disruption must hit a live connection, mid-stream.
            wait_until(lambda: STATION in sim.command("stats")["connected"], 30, "reconnexion")
            sim.command("emit", count=250, duplicates=5, cap_ratio=0.1)
            if round_ % 4 == 0:
                sim.command(
                    "inject", frames=[{"raw": "{"}, {"json": {"type": "alert", "seq": "auto"}}]
                )
            if round_ % 2 == 0:
                sim.kill()
                sim.start()  # same port, same state file
            else:
                sim.command("drop")
        wait_until(lambda: all_answered(sim), 120, "toutes les alertes acquittées")
        stats = sim.command("stats")
        assert stats["valid"] == 10_000
        keys = stored_keys(writer.path)
        assert len(keys) == len(set(keys)) == 10_000
        assert sorted(map(list, keys)) == sim.command("ids")
        assert (
            stats["stations"][STATION]["acked"] + stats["stations"][STATION]["rejected"]
            == stats["messages"] - 10
        )  # the ten raw "{" frames are untracked
        connections = [s for s in listener.statuses if s.phase is LinkPhase.CONNECTED]
        assert len(connections) >= 41
    finally:
        sim.close()


def test_status_is_relayed_to_other_stations_as_update(
    sim: SimProcess, writer: StorageWriter, make_link: LinkFactory
) -> None:
    link1, one = make_link(sim.url, station="poste-1")
    _link2, two = make_link(sim.url, station="poste-2")
    wait_until(
        lambda: one.phase is LinkPhase.CONNECTED and two.phase is LinkPhase.CONNECTED,
        10,
        "deux postes connectés",
    )
    sim.command("emit", count=1)
    sim.command("wait", station="poste-1", field="acked", at_least=1, timeout=20)
    source, alert_id = sim.command("ids")[0]
    at = datetime(2026, 11, 21, 21, 15, 2, tzinfo=UTC)
    link1.send_status(source, alert_id, AlertState.ACKNOWLEDGED, "M. Durand", at)
    wait_until(lambda: two.updates, 10, "mise à jour reçue par le poste 2")
    update = two.updates[0]
    assert (update.source, update.id, update.state) == (source, alert_id, AlertState.ACKNOWLEDGED)
    assert (update.station, update.operator, update.at) == ("poste-1", "M. Durand", at)
    relayed = sim.command("updates")[0]
    assert relayed["type"] == "update" and relayed["station"] == "poste-1"


@pytest.mark.expected_logs("csu.net")
def test_status_sent_while_disconnected_goes_out_on_reconnection(
    sim: SimProcess, writer: StorageWriter, make_link: LinkFactory
) -> None:
    port = sim.port
    sim.kill()
    link, listener = make_link(f"ws://127.0.0.1:{port}/")
    wait_until(lambda: listener.phase is LinkPhase.LOST, 10, "liaison perdue")
    at = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
    link.send_status("voisins-vigilants", "vv-1", AlertState.CLOSED, "Mme Roux", at)
    sim.start()
    wait_until(lambda: sim.command("updates"), 20, "statut envoyé après reconnexion")
    assert sim.command("updates")[0]["state"] == "closed"


def test_keepalive_pings_leave_the_global_random_state_alone(
    sim: SimProcess, make_link: LinkFactory
) -> None:
    """websockets draws ping payloads from the process-wide ``random``; the link
    must not (seeded code and Hypothesis in the same process rely on it)."""
    random.seed(1234)
    before = random.getstate()
    link, listener = make_link(sim.url, ping_interval_s=0.02, ping_timeout_s=2.0)
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
    # websockets sets latency when a pong answers one of our pings: wait for
    # three distinct values, i.e. at least three pings sent and answered
    seen: set[float] = set()

    def pongs() -> int:
        if link._ws is not None and link._ws.latency > 0:
            seen.add(link._ws.latency)
        return len(seen)

    wait_until(lambda: pongs() >= 3, 10, "trois pings et leurs pongs")
    assert random.getstate() == before


def test_the_acks_of_a_batch_leave_in_one_write(
    sim: SimProcess, writer: StorageWriter, make_link: LinkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A storm's acknowledgements go out a committed batch at a time, each batch in
    one socket write (one system call, not one per alert)."""
    per_call: list[int] = []  # messages handed to send_texts
    writes: list[int] = []  # transport writes made by each send_data
    send_texts, send_data = _FrameConnection.send_texts, _FrameConnection.send_data

    async def counted_send_texts(self: _FrameConnection, messages: Sequence[str]) -> None:
        per_call.append(len(messages))
        await send_texts(self, messages)

    def counted_send_data(self: _FrameConnection) -> None:
        transport, calls = self.transport, [0]
        real_write = transport.write

        def write(data: bytes) -> None:
            calls[0] += 1
            real_write(data)

        transport.write = write  # type: ignore[method-assign]
        try:
            send_data(self)
        finally:
            del transport.write
        writes.append(calls[0])

    monkeypatch.setattr(_FrameConnection, "send_texts", counted_send_texts)
    monkeypatch.setattr(_FrameConnection, "send_data", counted_send_data)
    _link, listener = make_link(sim.url)
    wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 10, "connexion")
    sim.command("emit", count=300)
    wait_until(lambda: all_answered(sim), 20, "300 alertes acquittées")
    assert sim.command("stats")["stations"][STATION]["acked"] == 300
    assert sum(per_call) == 300 and max(per_call) > 1
    assert max(writes) == 1


def test_a_stop_right_after_the_start_ends_the_link(
    sim: SimProcess, make_link: LinkFactory
) -> None:
    """A console quit in its first instant: the connection then being opened must not
    start a session that nobody stops (the receiving process was killed after 15 s)."""
    link, listener = make_link(sim.url)
    link.stop(timeout=2)
    assert not link._thread.is_alive()
    assert listener.phase is LinkPhase.STOPPED
    wait_until(lambda: STATION not in sim.command("stats")["connected"], 10, "déconnecté")


def test_a_stop_while_the_gateway_is_slow_to_answer_does_not_wait_for_it(
    make_link: LinkFactory,
) -> None:
    """A gateway that accepts the TCP connection and never answers the handshake:
    the stop cancels the opening instead of waiting for the open timeout."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(10)
        port = server.getsockname()[1]
        link, listener = make_link(f"ws://127.0.0.1:{port}/", open_timeout_s=120)
        peer, _ = server.accept()  # the link is in its opening handshake
        with peer:
            link.stop(timeout=1)
            assert not link._thread.is_alive()
            assert listener.phase is LinkPhase.STOPPED
            assert LinkPhase.CONNECTED not in {s.phase for s in listener.statuses}
