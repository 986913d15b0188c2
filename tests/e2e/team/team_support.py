"""Real parts for the team tests: hub processes (``python -m csu_console.hub run``) on
one NATS, stations made of the console's own receiving process and SQLite file, and
a TCP relay that cuts stations' connections as a network fault would."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from support import wait_until

from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import FEATURES, HubMessage, new_key
from csu_console.core.intake import Outcome
from csu_console.core.protocol import UpdateMessage
from csu_console.core.states import Actor, plan
from csu_console.hub.config import token_hash
from csu_console.hub.nats_server import free_port
from csu_console.net.link import LinkSettings
from csu_console.net.receiver import ReceiverProcess
from csu_console.net.state import LinkStatus
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

CSU = "csu-test"
TOKENS = {f"poste-{i}": f"jeton-du-poste-{i}-abcdefghijklmnop" for i in range(1, 5)}
REPO = Path(__file__).resolve().parents[3]


def hub_toml(folder: Path, hub_id: str, upstream_url: str, port: int) -> Path:
    stations = "\n".join(
        f'[[station]]\nid = "{s}"\ntoken_sha256 = "{token_hash(t)}"\n' for s, t in TOKENS.items()
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hub.toml"
    path.write_text(
        f'[hub]\nid = "{hub_id}"\ncsu = "{CSU}"\nlisten = "127.0.0.1:{port}"\n'
        f'data_dir = "data"\nack_wait_s = 3\n\n[retention]\nmax_gb = 1\n\n'
        f'[[upstream]]\nname = "simulateur"\nurl = "{upstream_url}"\n\n{stations}',
        encoding="utf-8",
    )
    return path


class HubProc:
    """``python -m csu_console.hub run`` on the given NATS servers; SIGKILL and restart."""

    def __init__(self, folder: Path, hub_id: str, upstream_url: str, nats_urls: str) -> None:
        self.port = free_port()
        self.hub_id = hub_id
        self.config = hub_toml(folder, hub_id, upstream_url, self.port)
        self.nats_urls = nats_urls
        self.log = folder / "stdout.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self, wait: bool = True) -> HubProc:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "csu_console.hub", "run", "--config", str(self.config),
                 "--nats", self.nats_urls],
                stdout=out, stderr=subprocess.STDOUT, env=env,
            )  # fmt: skip
        if wait:
            wait_until(lambda: self.health()[0] == 200, 30, f"hub {self.hub_id} prêt")
        return self

    def health(self) -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, {}
        except (OSError, ValueError):
            return 0, {}

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
            self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class DropRelay:
    """A TCP relay in front of a hub: ``drop()`` resets every connection through it
    (RST), as a switch or a cable would; new connections go through again."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="drop-relay", daemon=True)
        self._server: asyncio.Server | None = None
        self.drops = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self) -> DropRelay:
        self._thread.start()
        self._ready.wait(10)
        return self

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", self.port)
        )
        self._ready.set()
        self._loop.run_forever()
        if self._server is not None:  # stopped: close what is left, in the loop
            self._loop.run_until_complete(self._server.wait_closed())
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_w}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (OSError, ConnectionError):
                pass
            finally:
                self._writers.discard(dst)
                dst.close()

        await asyncio.gather(pipe(reader, up_w), pipe(up_r, writer))

    def drop(self) -> int:
        """Reset every connection now; how many were cut."""

        def cut() -> int:
            n = 0
            for w in list(self._writers):
                sock = w.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                w.transport.abort()
                n += 1
            self._writers.clear()
            return n

        done: list[int] = []
        ev = threading.Event()

        def run() -> None:
            done.append(cut())
            ev.set()

        self._loop.call_soon_threadsafe(run)
        ev.wait(5)
        self.drops += 1
        return done[0] // 2

    def close(self) -> None:
        def stop() -> None:
            if self._server is not None:
                self._server.close()
            for w in list(self._writers):
                w.transport.abort()
            self._loop.stop()

        self._loop.call_soon_threadsafe(stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()


class TimedListener:
    """A LinkListener keeping what it hears with ``time.monotonic()`` (thread-safe appends)."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.hub: list[tuple[float, HubMessage]] = []
        self.statuses: list[LinkStatus] = []
        self.storage_errors: list[str] = []

    def link_status_changed(self, status: LinkStatus) -> None:
        self.statuses.append(status)

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        self.outcomes.extend(outcomes)

    def update_received(self, update: UpdateMessage) -> None:
        pass

    def hub_message(self, message: HubMessage) -> None:
        self.hub.append((time.monotonic(), message))

    def storage_failed(self, message: str) -> None:
        self.storage_errors.append(message)


class Station:
    """A station as the console runs it, without its screen: the receiving process
    (``ReceiverProcess``, the console's own) on the station's SQLite file, and the
    GUI side's storage writer for what the operator does (F2 writes the state and its
    durable status in one transaction, then nudges the link, as AlertOperations)."""

    def __init__(self, folder: Path, name: str, urls: list[str]) -> None:
        self.name = name
        self.db = folder / name / "csu.sqlite3"
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self.listener = TimedListener()
        settings = LinkSettings(
            url=urls[0], urls=tuple(urls), station=name, token=TOKENS[name],
            features=FEATURES, reconnect_max_s=1.0,
        )  # fmt: skip
        self.receiver = ReceiverProcess(settings, self.db, self.listener, log_dir=self.db.parent)
        self.writer = StorageWriter(self.db)
        self.kills = 0

    def start(self) -> Station:
        self.writer.start()
        self.receiver.start()
        return self

    def stop(self) -> None:
        self.receiver.stop(10)
        self.writer.close(10)

    def kill_receiver(self) -> None:
        """SIGKILL of the receiving process; the console restarts it (1 s later)."""
        pid = self.receiver.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        self.kills += 1

    def keys(self) -> list[tuple[str, str]]:
        return self.writer.submit(
            lambda s: [
                (r["source"], r["alert_id"])
                for r in s.db.query("SELECT source, alert_id FROM alerts")
            ]
        ).result(30)

    def row(self, key: tuple[str, str]) -> dict[str, Any] | None:
        def read(store: Store) -> dict[str, Any] | None:
            rows = list(store.db.query(
                "SELECT * FROM alerts WHERE source = :s AND alert_id = :i",
                {"s": key[0], "i": key[1]},
            ))  # fmt: skip
            return rows[0] if rows else None

        return self.writer.submit(read).result(10)

    def take(self, key: tuple[str, str], operator: str = "Opérateur") -> tuple[str, bool]:
        """F2 on the alert: (sid, written locally) — False when already taken here."""
        sid = new_key(self.name)

        def apply(store: Store) -> bool:
            row = store.db.query(
                "SELECT pk FROM alerts WHERE source = :s AND alert_id = :i",
                {"s": key[0], "i": key[1]},
            )
            pk = next(row)["pk"]
            claim = store.claim(pk)
            if claim.state is not AlertState.NEW:
                return False
            t = plan(claim, Actor(self.name, operator), AlertState.ACKNOWLEDGED, datetime.now(UTC))
            return store.apply_transition(pk, t, sid)

        ok = self.writer.submit(apply).result(10)
        if ok:
            self.receiver.nudge_outbox()
        return sid, ok

    def outbox(self, sid: str) -> dict[str, Any]:
        return self.writer.submit(lambda s: s.outbox_row(sid)).result(10) or {}

    def first_hub(self, since: float, pred: Callable[[HubMessage], bool]) -> float | None:
        for t, m in list(self.listener.hub):
            if t >= since and pred(m):
                return t
        return None
