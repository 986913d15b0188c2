"""The hub's fan-out: one upstream, a real ``csu-hub``, four real stations.

    PYTHONPATH=$PWD .venv/bin/python bench/hub_fanout.py [--rate 50] [--seconds 60]
        [--burst 10000] [--stations 4]

Real parts: a ``nats-server`` (the wheel's), ``python -m csu_console.hub run`` processes,
and each station a real console (``Console``, offscreen Qt, its receiving process,
SQLite with ``synchronous=FULL``) in its own process, logged in. The upstream is a
minimal protocol-v1 gateway in this process that stamps each frame when it sends it
(``time.monotonic()`` is one clock for every process on Linux); a station notes when
each alert reached its GUI, committed and acknowledged (the receiving process
acknowledges right after the commit, before telling the GUI: the figure is an upper
bound of "stored and acknowledged").

1. steady flow: ``--rate`` alerts/s for ``--seconds``: upstream frame → stored at each
   station, p50 / p99 / max;
2. burst: ``--burst`` alerts at once to the stations through the hub, then to ONE
   console on a direct link (no hub) in the same run: both times, and their ratio;
3. failover: a station given two hubs; the one it is on is killed (SIGKILL); the time
   until it is connected to the other, and until the next alert is stored there;
4. the hub's memory (VmRSS) after the flow and after the burst.

Last line: ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


# -- a station: the real console, offscreen, in its own process ----------------------


def station_child(name: str, url: str, data: Path, out: Path) -> int:
    """Run a console; append ``alert_id monotonic`` for each alert its GUI got."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from csu_console.app import Console
    from csu_console.core.intake import Outcome
    from csu_console.startup import RunOptions

    app = QApplication(sys.argv[:1])
    console = Console(
        app,
        RunOptions(REPO / "config", data, gateway=url, station=name, autologin="banc"),
    )
    sink = out.open("a", encoding="utf-8", buffering=1)

    def on_committed(outcomes: list[Outcome]) -> None:
        now = time.monotonic()
        lines = [f"{o.alert_id} {now:.6f}\n" for o in outcomes if o.kind == "stored"]
        if lines:
            sink.write("".join(lines))

    console.bridge.frames_committed.connect(on_committed)
    # The operator acknowledges what rings, once a second, as in a CSU.
    ack = QTimer()
    ack.timeout.connect(
        lambda: [console.alarm.acknowledged(k) for k in console.alarm.scheduler.ringing_keys()]
    )
    ack.start(1000)
    # The bench ends each console: no « Quitter la console ? » in the way.
    signal.signal(
        signal.SIGTERM,
        lambda *_: QTimer.singleShot(0, lambda: (console.quitter.stop(), app.quit())),
    )
    poll = QTimer()  # lets Python see SIGTERM while Qt waits
    poll.start(200)
    console.start()
    app.exec()
    console.stop()
    console.window.close()
    sink.close()
    return 0


class StationProc:
    """A console process of :func:`station_child`."""

    def __init__(self, tmp: Path, name: str, url: str, token: str) -> None:
        self.name = name
        self.out = tmp / f"{name}.times"
        self.out.write_text("", encoding="utf-8")
        env = dict(os.environ, CSU_GATEWAY_TOKEN=token, QT_QPA_PLATFORM="offscreen")
        env.setdefault("PYTHONPATH", str(REPO))
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--station-child", name, url, str(tmp / name),
             str(self.out)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def times(self) -> dict[str, float]:
        got: dict[str, float] = {}
        for line in self.out.read_text(encoding="utf-8").splitlines():
            alert_id, _, t = line.partition(" ")
            if t:
                got.setdefault(alert_id, float(t))
        return got

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# -- the upstream gateway ------------------------------------------------------------


class Upstream:
    """A protocol-v1 gateway: sends alerts to every client, stamps them, records acks."""

    def __init__(self) -> None:
        from csu_console.hub.nats_server import free_port

        self.sent: dict[str, float] = {}
        self.acked: dict[int, float] = {}
        self.loop = asyncio.new_event_loop()
        self.clients: set[Any] = set()
        self.port = free_port()
        self._seq = 0
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    async def _start(self) -> None:
        from websockets.asyncio.server import serve

        await serve(self._handler, "127.0.0.1", self.port, compression=None, max_size=2**23)

    async def _handler(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            await ws.recv()  # hello
            self.clients.add(ws)
            async for text in ws:
                msg = json.loads(text)
                if msg.get("type") == "ack":
                    self.acked.setdefault(msg["seq"], time.monotonic())
        except ConnectionClosed:
            pass  # the failover's killed hub
        finally:
            self.clients.discard(ws)

    async def _send(self, n: int) -> None:
        from websockets.exceptions import ConnectionClosed

        texts = []
        for _ in range(n):
            self._seq += 1
            alert_id = f"banc-{self._seq:07d}"
            frame = {
                "type": "alert", "seq": self._seq,
                "alert": {
                    "id": alert_id, "source": "banc", "sent": datetime.now(UTC).isoformat(),
                    "category": "rixe", "priority": 3, "title": "Rixe signalée",
                    "description": "Plusieurs personnes en viennent aux mains.",
                    "location": {"lat": 60.1699, "lon": 24.9384, "address": "Esplanadi"},
                },
            }  # fmt: skip
            texts.append((alert_id, json.dumps(frame)))
        for alert_id, text in texts:
            self.sent[alert_id] = time.monotonic()
            for ws in list(self.clients):
                with contextlib.suppress(ConnectionClosed):
                    await ws.send(text)

    def send(self, n: int) -> list[str]:
        first = self._seq + 1
        asyncio.run_coroutine_threadsafe(self._send(n), self.loop).result(120)
        return [f"banc-{i:07d}" for i in range(first, self._seq + 1)]


# -- helpers -------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank] * 1000


def wait(pred: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Hub:
    def __init__(self, tmp: Path, hub_id: str, upstream: str, nats: str, tokens: dict[str, str]):
        from csu_console.hub.config import token_hash
        from csu_console.hub.nats_server import free_port

        self.port = free_port()
        folder = tmp / hub_id
        folder.mkdir()
        stations = "".join(
            f'[[station]]\nid = "{s}"\ntoken_sha256 = "{token_hash(t)}"\n'
            for s, t in tokens.items()
        )
        config = folder / "hub.toml"
        config.write_text(
            f'[hub]\nid = "{hub_id}"\ncsu = "banc"\nlisten = "127.0.0.1:{self.port}"\n'
            f'data_dir = "data"\n[retention]\nmax_gb = 2\n'
            f'[[upstream]]\nname = "banc"\nurl = "{upstream}"\n' + stations,
            encoding="utf-8",
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "csu_console.hub", "run", "--config", str(config),
             "--nats", nats],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait(self.healthy, 30, f"{hub_id} prêt")

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


def steady(
    up: Upstream, stations: list[StationProc], rate: float, seconds: float
) -> dict[str, Any]:
    n = int(rate * seconds)
    t0 = time.monotonic()
    ids: list[str] = []
    for i in range(n):
        delay = t0 + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        ids += up.send(1)
    wait(lambda: all(set(ids) <= s.times().keys() for s in stations), 120, "flux stocké")
    result: dict[str, Any] = {}
    for s in stations:
        times = s.times()
        lat = [times[a] - up.sent[a] for a in ids]
        result[s.name] = (pct(lat, 50), pct(lat, 99), max(lat) * 1000)
    return result


def burst(up: Upstream, stations: list[StationProc], n: int) -> float:
    t0 = time.monotonic()
    ids = up.send(n)
    wait(lambda: all(set(ids) <= s.times().keys() for s in stations), 600, "rafale stockée")
    return max(max(s.times()[a] for a in ids) for s in stations) - t0


def failover(tmp: Path, up: Upstream, nats: str, tokens: dict[str, str]) -> tuple[float, float]:
    """Two hubs; a station (the console's link, in this process) on the first; kill it."""
    from csu_console.core.hub_protocol import FEATURES
    from csu_console.net.link import AlertLink, LinkSettings
    from csu_console.net.state import LinkPhase, LinkStatus, NullListener
    from csu_console.storage.writer import StorageWriter

    a = Hub(tmp, "hub-fa", up.url, nats, tokens)
    b = Hub(tmp, "hub-fb", up.url, nats, tokens)
    connected: list[tuple[float, str]] = []
    stored: dict[str, float] = {}

    class Listener(NullListener):
        def link_status_changed(self, status: LinkStatus) -> None:
            if status.phase is LinkPhase.CONNECTED:
                connected.append((time.monotonic(), status.url))

        def frames_committed(self, outcomes: list[Any]) -> None:
            now = time.monotonic()
            for o in outcomes:
                if o.kind == "stored" and o.alert_id:
                    stored.setdefault(o.alert_id, now)

    writer = StorageWriter(tmp / "failover.sqlite3")
    writer.start()
    settings = LinkSettings(
        a.url, "poste-9", tokens["poste-9"], urls=(a.url, b.url), features=FEATURES
    )
    link = AlertLink(settings, writer, Listener())
    link.start()
    try:
        wait(lambda: any(u == a.url for _t, u in connected), 20, "poste sur hub-fa")
        [first] = up.send(1)
        wait(lambda: first in stored, 20, "première alerte")
        killed = time.monotonic()
        a.proc.kill()
        up_ids: list[str] = []
        while not any(t > killed and u == b.url for t, u in connected) or not any(
            i in stored for i in up_ids
        ):
            up_ids += up.send(1)
            time.sleep(0.1)
            if time.monotonic() - killed > 30:
                raise TimeoutError("pas de bascule en 30 s")
        on_b = min(t for t, u in connected if t > killed and u == b.url) - killed
        flowing = min(stored[i] for i in up_ids if i in stored) - killed
        return on_b, flowing
    finally:
        link.stop()
        writer.close()
        a.stop()
        b.stop()


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--station-child":
        name, url, data, out = sys.argv[2:6]
        return station_child(name, url, Path(data), Path(out))
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=4)
    ap.add_argument("--rate", type=float, default=50.0)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--burst", type=int, default=10_000)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from csu_console.hub.nats_server import NatsServer

    tmp = Path(tempfile.mkdtemp(prefix="csu-fanout-"))
    tokens = {f"poste-{i}": f"jeton-banc-{i}-0123456789abcdef" for i in range(1, 10)}
    nats = NatsServer(tmp / "nats", max_file_store="8G")
    nats.start()
    up = Upstream()
    hub = Hub(tmp, "hub-a", up.url, nats.url, tokens)
    wait(lambda: bool(up.clients), 30, "hub relié à l'amont")
    stations = [
        StationProc(tmp, f"poste-{i}", hub.url, tokens[f"poste-{i}"])
        for i in range(1, args.stations + 1)
    ]
    direct: StationProc | None = None
    try:
        warm = up.send(20)
        wait(lambda: all(set(warm) <= s.times().keys() for s in stations), 120, "démarrage")
        nats_pid = nats.pid or 0
        cpu0 = (cpu_s(hub.proc.pid), cpu_s(nats_pid), time.monotonic())
        flow = steady(up, stations, args.rate, args.seconds)
        wall = time.monotonic() - cpu0[2]
        hub_cpu = (cpu_s(hub.proc.pid) - cpu0[0]) / wall * 100
        nats_cpu = (cpu_s(nats_pid) - cpu0[1]) / wall * 100
        rss_flow = rss_mb(hub.proc.pid)
        print(f"{int(args.rate * args.seconds)} alertes à {args.rate:g}/s, amont → stockée :")
        for name, (p50, p99, mx) in flow.items():
            print(f"  {name} : p50 {p50:.1f} ms  p99 {p99:.1f} ms  max {mx:.1f} ms")
        print(f"  CPU pendant le flux : hub {hub_cpu:.1f} % d'un cœur, NATS {nats_cpu:.1f} %")
        t_hub = burst(up, stations, args.burst)
        rss_burst = rss_mb(hub.proc.pid)
        print(f"rafale de {args.burst} via le hub : stockée aux {args.stations} postes en "
              f"{t_hub:.2f} s")  # fmt: skip
        for s in stations:
            s.stop()
        hub.stop()
        # The same burst to ONE console on a direct link (no hub), same machine, same run.
        up_direct = Upstream()
        direct = StationProc(tmp, "direct", up_direct.url, "")
        wait(lambda: bool(up_direct.clients), 60, "poste direct connecté")
        warm = up_direct.send(20)
        wait(lambda: set(warm) <= direct.times().keys(), 120, "démarrage direct")
        t_direct = burst(up_direct, [direct], args.burst)
        print(f"rafale de {args.burst} en liaison directe : 1 poste en {t_direct:.2f} s")
        direct.stop()
        direct = None
        on_b, flowing = failover(tmp, up, nats.url, tokens)
        print(
            f"bascule : connecté à l'autre hub en {on_b:.2f} s, alertes reçues en {flowing:.2f} s"
        )
        p99_max = max(v[1] for v in flow.values())
        print(
            f"fanout_p99_ms_max={p99_max:.1f} "
            + " ".join(f"{n}_p99_ms={v[1]:.1f}" for n, v in flow.items())
            + f" burst_hub_{args.stations}st_s={t_hub:.2f} burst_direct_1st_s={t_direct:.2f}"
            f" burst_ratio={t_hub / t_direct:.2f} failover_s={on_b:.2f}"
            f" failover_flowing_s={flowing:.2f} hub_rss_mb_flow={rss_flow:.0f}"
            f" hub_rss_mb_burst={rss_burst:.0f} hub_cpu_pct_flow={hub_cpu:.1f}"
            f" nats_cpu_pct_flow={nats_cpu:.1f}"
        )
    finally:
        for s in stations:
            if s.proc.poll() is None:
                s.stop()
        if direct is not None:
            direct.stop()
        hub.stop()
        nats.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
