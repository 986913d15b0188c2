"""Quick measure of csu-hub: upstream frame → stored at 1–2 stations (and acked upstream).

Not the issue's benchmark (``bench/hub_fanout.py``, four offscreen consoles): the
stations here are the console's alert link on SQLite, in this process; the hub is
a real ``python -m csu_console.hub run`` process on a real nats-server; the
upstream is a minimal protocol-v1 gateway in this process that stamps each frame.

    PYTHONPATH=$PWD python bench/hub_quick.py [--stations 2] [--rate 50] [--seconds 20]
        [--burst 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

from csu_console.core.intake import Outcome
from csu_console.hub.config import token_hash
from csu_console.hub.nats_server import NatsServer, free_port
from csu_console.net.link import AlertLink, LinkSettings
from csu_console.net.state import NullListener
from csu_console.storage.writer import StorageWriter


class Upstream:
    """A protocol-v1 gateway that sends alerts on demand and records send/ack times."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.acked: dict[int, float] = {}
        self.seq_sent: dict[int, float] = {}
        self.loop = asyncio.new_event_loop()
        self.ws: ServerConnection | None = None
        self.connected = threading.Event()
        self.port = free_port()
        self._seq = 0
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    async def _start(self) -> None:
        await serve(self._handler, "127.0.0.1", self.port, compression=None)

    async def _handler(self, ws: ServerConnection) -> None:
        await ws.recv()  # hello
        self.ws = ws
        self.connected.set()
        async for text in ws:
            msg = json.loads(text)
            if msg.get("type") == "ack":
                self.acked.setdefault(msg["seq"], time.monotonic())

    async def _send(self, n: int) -> None:
        assert self.ws is not None
        for _ in range(n):
            self._seq += 1
            alert_id = f"bench-{self._seq:07d}"
            frame = {
                "type": "alert",
                "seq": self._seq,
                "alert": {
                    "id": alert_id,
                    "source": "bench",
                    "sent": datetime.now(UTC).isoformat(),
                    "category": "rixe",
                    "title": "Rixe signalée",
                    "description": "Plusieurs personnes en viennent aux mains.",
                    "location": {"lat": 60.17, "lon": 24.94},
                },
            }
            now = time.monotonic()
            self.sent[alert_id] = now
            self.seq_sent[self._seq] = now
            await self.ws.send(json.dumps(frame))

    def send(self, n: int) -> None:
        asyncio.run_coroutine_threadsafe(self._send(n), self.loop).result(60)


class TimingListener(NullListener):
    def __init__(self) -> None:
        self.stored: dict[str, float] = {}

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        now = time.monotonic()
        for o in outcomes:
            if o.kind == "stored" and o.alert_id:
                self.stored.setdefault(o.alert_id, now)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def wait(pred: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.01)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=2)
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--burst", type=int, default=10000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    nats_server = NatsServer(tmp / "nats", max_file_store="4G")
    nats_server.start()
    up = Upstream()
    port = free_port()
    tokens = {f"poste-{i}": f"jeton-{i}-0123456789abcdef" for i in range(1, args.stations + 1)}
    stations_toml = "".join(
        f'[[station]]\nid = "{s}"\ntoken_sha256 = "{token_hash(t)}"\n' for s, t in tokens.items()
    )
    (tmp / "hub.toml").write_text(
        f'[hub]\nid = "hub-a"\nlisten = "127.0.0.1:{port}"\ndata_dir = "data"\n'
        f'[retention]\nmax_gb = 1\n[[upstream]]\nname = "bench"\nurl = "ws://127.0.0.1:{up.port}"\n'
        + stations_toml,
        encoding="utf-8",
    )
    env = dict(os.environ)
    hub = subprocess.Popen(
        [sys.executable, *(["-m", "cProfile", "-o", os.environ["HUB_PROFILE"]]
                           if os.environ.get("HUB_PROFILE") else []),
         "-m", "csu_console.hub", "run", "--config", str(tmp / "hub.toml"),
         "--nats", nats_server.url],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    links: list[tuple[AlertLink, StorageWriter, TimingListener]] = []
    try:
        wait(healthy, 30)
        up.connected.wait(10)
        for station, token in tokens.items():
            writer = StorageWriter(tmp / f"{station}.sqlite3")
            writer.start()
            listener = TimingListener()
            link = AlertLink(
                LinkSettings(f"ws://127.0.0.1:{port}", station, token), writer, listener
            )
            link.start()
            links.append((link, writer, listener))
        # warm-up
        up.send(20)
        wait(lambda: all(len(lst.stored) == 20 for _l, _w, lst in links), 30)

        # steady rate
        n = int(args.rate * args.seconds)
        start_ids = len(up.sent)
        t0 = time.monotonic()
        for i in range(n):
            target = t0 + i / args.rate
            delay = target - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            up.send(1)
        total = start_ids + n
        wait(lambda: all(len(lst.stored) == total for _l, _w, lst in links), 60)
        ids = [a for a in up.sent if int(a.split("-")[1]) > start_ids]
        print(f"{n} alertes à {args.rate:g}/s, {args.stations} poste(s) :")
        for (_link, _w, lst), station in zip(links, tokens, strict=True):
            lat = [lst.stored[a] - up.sent[a] for a in ids]
            print(
                f"  {station} : amont → stockée au poste  p50 {pct(lat, 0.5):.1f} ms"
                f"  p99 {pct(lat, 0.99):.1f} ms  max {max(lat) * 1000:.1f} ms"
            )
        seqs = [s for s in up.seq_sent if s > start_ids]
        wait(lambda: all(s in up.acked for s in seqs), 30)
        ack = [up.acked[s] - up.seq_sent[s] for s in seqs]
        print(
            f"  amont → ack amont (stocké JetStream)  p50 {pct(ack, 0.5):.1f} ms"
            f"  p99 {pct(ack, 0.99):.1f} ms"
        )

        # burst
        before = len(up.sent)
        t0 = time.monotonic()
        up.send(args.burst)
        total = before + args.burst
        wait(lambda: all(len(lst.stored) == total for _l, _w, lst in links), 300)
        t_all = time.monotonic() - t0
        wait(lambda: len(up.acked) >= total, 60)
        t_up = max(up.acked.values()) - t0
        print(
            f"rafale de {args.burst} : toutes stockées aux {args.stations} poste(s)"
            f" en {t_all:.2f} s"
            f" (acquittées en amont en {t_up:.2f} s)"
        )
    finally:
        for link, writer, _lst in links:
            link.stop()
            writer.close()
        hub.terminate()
        hub.wait(30)
        nats_server.stop()


if __name__ == "__main__":
    main()
