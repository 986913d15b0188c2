"""The book over a real hub and a real nats-server (``docs/protocol.md`` § 10): an
entry written at one station reaches the other's ``peer_events`` with its chain
checked; heads are signed, checked by the hub and witnessed both ways; a head
signed with another key than the registered one is refused and never kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hub_support import TOKENS, HubThread, hub_config, raw_station, recv_until
from support import RecordingListener, wait_until

from csu_console.cli import main as console_main
from csu_console.core.book_protocol import EventsPublish
from csu_console.core.book_wire import EventRecord, parse_head
from csu_console.core.hub_protocol import FEATURES
from csu_console.core.logbook import EventKind
from csu_console.core.witness import make_head, public_key_b64
from csu_console.hub.book import list_heads
from csu_console.hub.cli import main as hub_main
from csu_console.hub.nats_server import NatsServer
from csu_console.net.link import AlertLink, LinkSettings
from csu_console.storage.book_sync import peer_breaks
from csu_console.storage.station_key import ensure_key
from csu_console.storage.writer import StorageWriter


class BookStation:
    """A station's link (with every feature) on its own SQLite file and key."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.db = folder / name / "csu.sqlite3"
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self.key, _ = ensure_key(self.db.parent)
        self.writer = StorageWriter(self.db)
        self.link: AlertLink | None = None

    def start(self, url: str) -> BookStation:
        self.writer.start()
        settings = LinkSettings(
            url=url, station=self.name, token=TOKENS[self.name], features=FEATURES,
            reconnect_max_s=1.0,
        )  # fmt: skip
        self.link = AlertLink(settings, self.writer, RecordingListener())
        self.link.start()
        return self

    def stop(self) -> None:
        if self.link is not None:
            self.link.stop()
        self.writer.close()

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


def test_an_entry_reaches_the_other_station_and_heads_are_witnessed_both_ways(
    tmp_path: Path, hub: HubThread, nats_server: NatsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    one = BookStation(tmp_path, "poste-1").start(hub.url)
    two = BookStation(tmp_path, "poste-2").start(hub.url)
    try:
        text = "Patrouille 2 sur place, rue de la République"
        pk = one.writer.submit(
            lambda s: s.add_event(
                EventKind.ENTRY, None, "poste-1", "dupont", {"type": "radio", "text": text}
            )
        ).result()
        copied = "SELECT 1 FROM peer_events WHERE station = 'poste-1' AND seq = ?"
        wait_until(lambda: two.query(copied, pk), 20, "l'entrée de poste-1 copiée à poste-2")
        [(kind, details, operator)] = two.query(
            "SELECT kind, details, operator FROM peer_events WHERE station = 'poste-1' AND seq = ?",
            pk,
        )
        assert (kind, json.loads(details)["text"], operator) == ("entry", text, "dupont")
        conn = sqlite3.connect(two.db)
        try:
            assert peer_breaks(conn) == []  # every link of poste-1's chain held
        finally:
            conn.close()
        # Heads: each station's, witnessed by the hub, kept by both (its own too).
        two.writer.submit(
            lambda s: s.add_event(EventKind.ENTRY, None, "poste-2", "martin",
                                  {"type": "information", "text": "Relève à 14 h"})
        ).result()  # fmt: skip
        for station in (one, two):
            wait_until(
                lambda st=station: {r[0] for r in st.query("SELECT station FROM witness_heads")}
                >= {"poste-1", "poste-2"},
                20, f"témoins des deux postes à {station.name}",
            )  # fmt: skip
        # A shift closing gets its own head (the closing event's seq and hash).
        closed = one.writer.submit(
            lambda s: s.add_event(EventKind.SHIFT_CLOSED, None, "poste-1", "dupont", {})
        ).result()
        wait_until(
            lambda: two.query("SELECT 1 FROM witness_heads WHERE station = 'poste-1' AND seq = ?"
                              " AND reason = 'shift_close'", closed),
            20, "le témoin de fin de vacation de poste-1 à poste-2",
        )  # fmt: skip
        kept = hub.call(list_heads(hub.server.stations._js))  # type: ignore[union-attr]
        assert {h.station for h in kept} == {"poste-1", "poste-2"}
        assert ("poste-1", closed, "shift_close") in {(h.station, h.seq, h.reason) for h in kept}
        # Nothing of its own book comes back to a station.
        assert not one.query("SELECT 1 FROM peer_events WHERE station = 'poste-1'")
        # The book agrees with the heads the hub keeps (read from its NATS).
        capsys.readouterr()
        verify = ["logbook", "verify", "--data-dir", str(one.db.parent), "--nats", nats_server.url]
        assert console_main(verify) == 0
        assert "témoin(s) signé(s) de poste-1 concordent" in capsys.readouterr().out
    finally:
        one.stop()
        two.stop()


@pytest.mark.expected_logs("csu.hub.book")  # the refusals are logged as warnings
def test_a_forged_head_is_refused_and_never_kept(hub: HubThread) -> None:
    forger = Ed25519PrivateKey.generate()
    ws = raw_station(hub.url, "poste-1", features=list(FEATURES))
    try:
        recv_until(ws, lambda m: m.get("type") == "sync")
        head = make_head(forger, "poste-1", 10, "f" * 64, "minute")
        ws.send(json.dumps({"type": "head", "head": json.loads(head.to_json())}))
        [*_, answer] = recv_until(ws, lambda m: m.get("type") == "head_result")
        assert answer["result"] == "refused"
        assert "autre clé" in answer["message"]
        # A validly signed head of the same seq with the wrong key: refused too;
        # a head in another station's name: refused.
        other = make_head(forger, "poste-2", 10, "f" * 64, "minute")
        ws.send(json.dumps({"type": "head", "head": json.loads(other.to_json())}))
        [*_, answer] = recv_until(ws, lambda m: m.get("type") == "head_result")
        assert answer["result"] == "refused"
        # Events in another station's name: refused, nothing stored.
        record = EventRecord("poste-2", 1, "2026-12-05T01:00:00+00:00", None, "entry", "x",
                             {}, None, "d" * 64, "0" * 64, "h" * 64)  # fmt: skip
        ws.send(EventsPublish((record,)).to_json())
        [*_, answer] = recv_until(ws, lambda m: m.get("type") == "events_result")
        assert (answer["result"], answer["message"]) == (
            "refused",
            "événements au nom d'un autre poste",
        )
    finally:
        ws.close()
    assert hub.call(list_heads(hub.server.stations._js)) == []  # type: ignore[union-attr]
    assert hub.server.stations is not None and hub.server.stations.book.heads_refused == 2


@pytest.mark.expected_logs("csu.hub.book")  # pinned on first use, then a refusal: warnings
def test_without_a_registered_key_the_first_is_pinned_and_another_refused(
    make_hub: Any, nats_server: NatsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = make_hub()  # hub.toml without public_key
    first, second = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    ws = raw_station(hub.url, "poste-3", features=list(FEATURES))
    try:
        recv_until(ws, lambda m: m.get("type") == "sync")
        answers, got = [], []
        for key, seq in ((first, 4), (second, 5), (first, 6)):
            head = make_head(key, "poste-3", seq, "a" * 64, "shift_close")
            ws.send(json.dumps({"type": "head", "head": json.loads(head.to_json())}))
            got += recv_until(ws, lambda m: m.get("type") == "head_result")
            answers.append((got[-1]["seq"], got[-1]["result"]))
        assert answers == [(4, "applied"), (5, "refused"), (6, "applied")]
        # Kept heads are relayed to the station itself (witnessed by the hub).
        if not any(m.get("type") == "witness" and m["head"]["seq"] == 6 for m in got):
            got += recv_until(ws, lambda m: m.get("type") == "witness" and m["head"]["seq"] == 6)
        assert [m["head"]["seq"] for m in got if m.get("type") == "witness"] == [4, 6]
    finally:
        ws.close()
    kept = hub.call(list_heads(hub.server.stations._js))  # type: ignore[union-attr]
    assert [h.seq for h in kept] == [4, 6]
    # The operator's listing, and its JSON for csu-console logbook verify --heads.
    capsys.readouterr()
    assert hub_main(["heads", "--nats", nats_server.url, "--station", "poste-3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in lines] == [["poste-3", "n°", "4"], ["poste-3", "n°", "6"]]
    assert lines[0].endswith("fin de vacation")
    assert hub_main(["heads", "--nats", nats_server.url, "--json"]) == 0
    assert [parse_head(line) for line in capsys.readouterr().out.splitlines()] == kept


@pytest.mark.expected_logs("csu.hub.book")  # the keys pinned on first use: warnings
def test_through_the_consoles_receiving_process_the_key_is_made_at_first_start(
    tmp_path: Path, nats_server: NatsServer
) -> None:
    """The console's own receiving process (a child, as the console runs it): no key
    at install, so it makes one at its first start; its events and heads go out;
    the hub, with no key registered, pins it."""
    from csu_console.net.receiver import ReceiverProcess

    server = HubThread(hub_config(tmp_path, "hub-b", []), nats_server.url).start()
    db = tmp_path / "poste-4" / "csu.sqlite3"
    db.parent.mkdir(parents=True)
    settings = LinkSettings(url=server.url, station="poste-4", token=TOKENS["poste-4"],
                            features=FEATURES, reconnect_max_s=1.0)  # fmt: skip
    writer = StorageWriter(db)  # the console's own side, where entries are written
    writer.start()
    receiver = ReceiverProcess(settings, db, RecordingListener(), log_dir=db.parent)
    two = BookStation(tmp_path, "poste-2").start(server.url)
    try:
        receiver.start()
        pk = writer.submit(
            lambda s: s.add_event(EventKind.ENTRY, None, "poste-4", "leroy",
                                  {"type": "constat", "text": "Attroupement place du marché"})
        ).result()  # fmt: skip
        copied = "SELECT 1 FROM peer_events WHERE station = 'poste-4' AND seq = ?"
        wait_until(lambda: two.query(copied, pk), 30, "l'entrée de poste-4 copiée à poste-2")
        wait_until(
            lambda: two.query("SELECT 1 FROM witness_heads WHERE station = 'poste-4'"),
            30, "un témoin de poste-4 à poste-2",
        )  # fmt: skip
        key = db.parent / "keys" / "station.ed25519"
        assert key.stat().st_mode & 0o777 == 0o600
        [(signer,)] = two.query(
            "SELECT DISTINCT public_key FROM witness_heads WHERE station = 'poste-4'"
        )
        assert signer == public_key_b64(ensure_key(db.parent)[0])
    finally:
        receiver.stop(10)
        writer.close()
        two.stop()
        server.stop()
