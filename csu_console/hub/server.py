"""The hub process: NATS (embedded or a cluster), streams, shared state, intake, stations.

The hub keeps no state of its own: everything durable is in JetStream, so several
hubs serve one CSU side by side and a hub killed at any moment loses nothing it
acknowledged. When NATS goes away nats-py reconnects by itself; meanwhile the
stations keep their connections and hear ``hub_health: degraded``, and nothing is
acknowledged upstream (the links' commits fail until JetStream answers again).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import signal
import time
from collections.abc import Coroutine
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import nats.errors
import nats.js.errors
from nats.aio.client import Client

from csu_console.hub.book import ensure_book_streams
from csu_console.hub.cap_feeds import FeedPollers
from csu_console.hub.cap_http import CapHttpServer
from csu_console.hub.cap_intake import CapIntake
from csu_console.hub.config import HubConfig
from csu_console.hub.consumers import (
    CONTACT_BUCKET,
    LIVE_BUCKET,
    ensure_buckets,
    now_iso,
    put_json,
    safe_token,
)
from csu_console.hub.intake import Intake
from csu_console.hub.jetstream import Retention, ensure_streams, probe_replicas
from csu_console.hub.nats_server import NatsServer
from csu_console.hub.purge import retention_loop
from csu_console.hub.shared import SharedState
from csu_console.hub.stations import StationServer
from csu_console.hub.tasks import end_tasks

log = logging.getLogger("csu.hub")

#: The longest one step of the hub's stop may take (closing the stations' connections…).
STOP_STEP_S = 8.0
nats_log = logging.getLogger("csu.hub.nats")

NATS_URL_FILE = "nats.url"
LIVE_EVERY_S = 5.0
ERROR_EVERY_S = 30.0


class HubServer:
    """One ``csu-hub run``: start, serve until :meth:`request_stop`, stop in order."""

    def __init__(self, config: HubConfig, nats_urls: tuple[str, ...] | None = None) -> None:
        self.config = config
        self.nats_urls = nats_urls if nats_urls else config.nats_urls
        self.embedded: NatsServer | None = None
        self.nc: Client | None = None
        self.stations: StationServer | None = None
        self.intake: Intake | None = None
        self.shared: SharedState | None = None
        self.cap: CapIntake | None = None
        self.cap_http: CapHttpServer | None = None
        self.feeds: FeedPollers | None = None
        self.port: int | None = None
        self.nats_ok = asyncio.Event()
        self._degraded_since: datetime | None = None
        self._stop = asyncio.Event()
        self._stopping = False
        self._told = "ok"
        self._last_error_log = -ERROR_EVERY_S
        self._tasks: list[asyncio.Task[None]] = []

    # -- lifecycle -----------------------------------------------------------------

    async def start(self) -> None:
        cfg = self.config
        cfg.data_dir.mkdir(parents=True, exist_ok=True)
        urls = self.nats_urls
        if not urls:
            # Room for the streams' limits (alerts, rejected at a tenth, the book's
            # events at a tenth and heads at a hundredth: hub/book.py) and the buckets.
            store_gb = math.ceil(cfg.max_gb * 1.3) + 1
            self.embedded = NatsServer(
                cfg.data_dir / "nats", name=f"csu-nats-{cfg.id}", max_file_store=f"{store_gb}G"
            )
            pid_file = cfg.data_dir / "nats" / "nats-server.pid"
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, stop_orphan, pid_file)
            await loop.run_in_executor(None, self.embedded.start)
            pid_file.write_text(f"{self.embedded.pid}\n", encoding="utf-8")
            urls = (self.embedded.url,)
        (cfg.data_dir / NATS_URL_FILE).write_text(",".join(urls) + "\n", encoding="utf-8")
        self.nc = await self._connect(urls)
        js = self.nc.jetstream()
        replicas = await probe_replicas(js)
        retention = Retention(cfg.alerts_days, cfg.max_gb, cfg.dedup_minutes)
        await ensure_streams(js, retention, replicas)
        await ensure_buckets(js, replicas)
        await ensure_book_streams(js, retention, replicas)
        self.shared = SharedState(
            js,
            cfg.id,
            replicas=replicas,
            claims_max_age=cfg.alerts_days * 86400.0,
            group_radius_m=cfg.group_radius_m,
            group_window=timedelta(minutes=cfg.group_window_min),
        )
        await self.shared.start()
        self.stations = StationServer(
            cfg, js, self.shared, self, self.nats_ok, on_contact=self._contact
        )
        self.port = await self.stations.start()
        if cfg.port == 0:
            self.config = cfg = replace(cfg, port=self.port)
        self.cap = CapIntake(js)
        self.intake = Intake(cfg, js, local_sources=self.cap.sources)
        await self.intake.start()
        if cfg.cap_http is not None:
            self.cap_http = CapHttpServer(cfg.cap_http, cfg.partners, self.cap)
            await self.cap_http.start()
        self.feeds = FeedPollers(cfg.feeds, cfg.partners, self.cap)
        self.feeds.start()
        loop = asyncio.get_running_loop()
        self._tasks.append(loop.create_task(self._publish_live()))
        self._tasks.append(loop.create_task(self._watch_health()))
        days = min(cfg.alerts_days, cfg.citizen_days)
        purge = retention_loop(js, days, events_days=cfg.book_days)
        self._tasks.append(loop.create_task(purge))
        log.info(
            "hub %s prêt : postes sur le port %d, NATS %s (%s), %d amont(s), %d poste(s)",
            cfg.id,
            self.port,
            ",".join(urls),
            "intégré" if self.embedded else "externe",
            len(cfg.upstreams),
            len(cfg.stations),
        )

    async def _connect(self, urls: tuple[str, ...]) -> Client:
        attempt = 0
        while True:
            try:
                nc = await nats.connect(
                    servers=list(urls),
                    name=f"csu-hub {self.config.id}",
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                    ping_interval=2,
                    max_outstanding_pings=2,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                    error_cb=self._on_error,
                )
            except (nats.errors.Error, OSError, TimeoutError) as exc:
                attempt += 1
                nats_log.error("NATS injoignable (%s) ; nouvel essai %d", exc, attempt)
                await asyncio.sleep(min(5.0, 0.5 * attempt))
                continue
            self.nats_ok.set()
            nats_log.info("connecté à NATS %s", nc.connected_url.netloc if nc.connected_url else "")
            return nc

    async def run(self) -> None:
        """Start, serve until SIGTERM/SIGINT (or :meth:`request_stop`), then stop."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.request_stop)
        starting = loop.create_task(self.start())
        stopping = loop.create_task(self._stop.wait())
        try:
            await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if starting.done():
                starting.result()  # a failed start ends the process, with its reason
                await stopping
            else:  # stopped while still starting (NATS unreachable, say)
                starting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await starting
        finally:
            stopping.cancel()
            await self.stop()

    def request_stop(self) -> None:
        log.info("arrêt demandé")
        self._stop.set()

    async def stop(self) -> None:
        self._stopping = True
        if self.cap_http is not None:
            # A POST in progress is answered or abandoned.
            await self._bounded(self.cap_http.stop(), "réception CAP (POST)")
        if self.feeds is not None:
            await self._bounded(self.feeds.stop(), "flux CAP")
        if self.intake is not None:
            # The links commit and ack what they received.
            await self._bounded(self.intake.stop(), "liaisons amont")
        if self.stations is not None:
            await self._bounded(self.stations.stop(), "connexions des postes")
        await end_tasks(*self._tasks)
        if self.shared is not None:
            with contextlib.suppress(Exception):
                await self._bounded(self.shared.stop(), "état partagé")
        if self.nc is not None:
            # Acks to consumers and KV writes are flushed; pull requests in flight
            # are simply abandoned (drain would wait for them to expire).
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await self.nc.flush()
            with contextlib.suppress(Exception):
                await self.nc.close()
        if self.embedded is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.embedded.stop)
        log.info("hub %s arrêté", self.config.id)

    @staticmethod
    async def _bounded(step: Coroutine[Any, Any, None], what: str) -> None:
        """One step of the hub's stop, at most :data:`STOP_STEP_S`: a connection that
        never finishes closing must not keep the hub (and its NATS) running for ever."""
        try:
            async with asyncio.timeout(STOP_STEP_S):
                await step
        except TimeoutError:
            log.warning("arrêt : %s pas terminé(es) après %.0f s, abandonné(es)", what, STOP_STEP_S)

    # -- NATS health ------------------------------------------------------------------------

    async def _on_disconnected(self) -> None:
        if self.nats_ok.is_set() and not self._stopping:
            self.nats_ok.clear()
            self._degraded_since = datetime.now(UTC)
            nats_log.error("NATS perdu : serveur d'alertes dégradé, rien n'est acquitté en amont")
            self._tell("degraded", "NATS injoignable")

    async def _on_reconnected(self) -> None:
        url = self.nc.connected_url if self.nc else None
        nats_log.info("NATS de retour (%s)", url.netloc if url else "?")
        self.nats_ok.set()
        self._degraded_since = None
        if self.health()[0]:
            self._tell("ok", "")

    def _tell(self, state: str, detail: str) -> None:
        """``hub_health`` to every feature station, when the state changes."""
        if state == self._told or self.stations is None:
            return
        self._told = state
        self.stations.broadcast_health(state, detail)

    async def _watch_health(self) -> None:
        """JetStream can fail while the connection holds (a cluster without quorum,
        a full disk): the links then say storage down, and so do the stations."""
        while True:
            await asyncio.sleep(0.5)
            ok, body = self.health()
            if ok:
                self._tell("ok", "")
            elif body["nats"]["connected"]:
                self._tell("degraded", "JetStream n'enregistre plus les alertes")
            else:
                self._tell("degraded", "NATS injoignable")

    async def _on_error(self, exc: Exception) -> None:
        """nats-py retries by itself; an installer still needs to see why (once per
        ``ERROR_EVERY_S``, the rest at INFO)."""
        now = time.monotonic()
        if now - self._last_error_log >= ERROR_EVERY_S:
            self._last_error_log = now
            nats_log.error("NATS injoignable ou en erreur : %s", exc or type(exc).__name__)
        else:
            nats_log.info("NATS : %s", exc or type(exc).__name__)

    def health(self) -> tuple[bool, dict[str, Any]]:
        """``/health``: NATS, upstream links and stations; ok False means degraded."""
        nats_up = self.nats_ok.is_set() and self.nc is not None and self.nc.is_connected
        links = self.intake.phases() if self.intake else {}
        storage_down = any(v["phase"] == "storage_down" for v in links.values())
        ok = nats_up and not storage_down
        body: dict[str, Any] = {
            "hub": self.config.id,
            "state": "ok" if ok else "degraded",
            "nats": {
                "connected": nats_up,
                "server": self.nc.connected_url.netloc
                if self.nc and self.nc.connected_url
                else None,
                "embedded": self.embedded is not None,
                "degraded_since": self._degraded_since.isoformat()
                if self._degraded_since
                else None,
            },
            "upstreams": links,
            "stations": sorted(self.stations.sessions) if self.stations else [],
        }
        if self.cap is not None and (self.cap_http is not None or self.config.feeds):
            body["cap"] = self.cap_status()
        return ok, body

    def cap_status(self) -> dict[str, Any]:
        """The CAP intake: ``POST /cap``, per partner and per feed (``/health``)."""
        assert self.cap is not None
        return {
            "http": self.cap_http.status() if self.cap_http else None,
            "partners": {
                p.name: self.cap.counters_of(f"http.{p.name}") for p in self.config.partners
            },
            "feeds": self.feeds.status() if self.feeds else {},
        }

    # -- operational keys (read by ``csu-hub status``) ---------------------------------------

    def _contact(self, station: str, connected: bool) -> None:
        if self._stopping:
            return
        task = asyncio.get_running_loop().create_task(self._write_contact(station, connected))
        self._tasks.append(task)
        task.add_done_callback(lambda t: self._tasks.remove(t) if t in self._tasks else None)

    async def _write_contact(self, station: str, connected: bool) -> None:
        if self.nc is None:
            return
        with contextlib.suppress(nats.errors.Error, nats.js.errors.Error, TimeoutError):
            await put_json(
                self.nc.jetstream(),
                CONTACT_BUCKET,
                f"contact.{safe_token(station)}",
                {
                    "station": station,
                    "hub": self.config.id,
                    "connected": connected,
                    "at": now_iso(),
                },
            )

    async def _publish_live(self) -> None:
        while True:
            if self.nc is not None and self.nats_ok.is_set():
                js = self.nc.jetstream()
                _ok, body = self.health()
                try:
                    await put_json(
                        js,
                        LIVE_BUCKET,
                        f"hub.{safe_token(self.config.id)}",
                        body | {"at": now_iso()},
                    )
                    for station in list(self.stations.sessions if self.stations else {}):
                        await self._write_contact(station, True)
                except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
                    nats_log.info("état du hub non publié (%s)", exc)
                except Exception:  # noqa: BLE001 - the task must outlive any surprise
                    nats_log.exception("état du hub non publié")
            await asyncio.sleep(LIVE_EVERY_S)


def data_dir_nats_url(data_dir: Path) -> str | None:
    """The NATS URL(s) a hub running on ``data_dir`` uses (for ``csu-hub status``)."""
    path = data_dir / NATS_URL_FILE
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def stop_orphan(pid_file: Path, timeout: float = 10.0) -> None:
    """Stop the embedded nats-server a hub killed with SIGKILL left running (it holds
    the store's lock). Only a ``nats-server`` on this very store is touched."""
    try:
        pid = int(pid_file.read_text(encoding="utf-8").strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"nats-server" not in cmdline or str(pid_file.parent).encode() not in cmdline:
        return
    nats_log.warning("nats-server intégré resté d'un hub arrêté brutalement (pid %d) : arrêt", pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
