"""Upstream intake: one alert link per configured gateway, and the status relay.

Each link is the console's own :class:`~csu_console.net.link.AlertLink` (its own
thread), committing through a :class:`JetStreamSink`: upstream gets ``ack`` only
once JetStream stored the alert. Every hub of a CSU presents the same name
upstream (``[hub] csu``), so the gateway counts either hub's ``ack``; JetStream's
message-id window drops the doubles. Claims applied by the shared state
(``CSU_STATUS``) go up as protocol-v1 ``status`` through one durable consumer
per upstream, shared by every hub: each status goes up once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from dataclasses import dataclass, field

import nats.errors
import nats.js.errors
from nats.js import JetStreamContext, api

from csu_console.core.hub_protocol import ClaimRecord, HubMessage
from csu_console.core.intake import Outcome
from csu_console.core.protocol import UpdateMessage
from csu_console.errors import ValidationError
from csu_console.hub.config import HubConfig, UpstreamConfig
from csu_console.hub.consumers import fetch_batch, safe_token
from csu_console.hub.jetstream import STATUS_STREAM, STATUS_SUBJECT, JetStreamSink
from csu_console.hub.tasks import end_tasks
from csu_console.net.link import AlertLink, LinkSettings
from csu_console.net.state import LinkPhase, LinkStatus

log = logging.getLogger("csu.hub.intake")


@dataclass
class UpstreamCounters:
    """What one upstream link did since the hub started (for status and tests)."""

    stored: int = 0
    duplicate: int = 0
    rejected: int = 0
    failed_batches: int = 0
    relayed: int = 0


@dataclass
class _Listener:
    """The link's listener: thread-safe counters and phase, logged per upstream."""

    name: str
    counters: UpstreamCounters = field(default_factory=UpstreamCounters)
    status: LinkStatus | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def link_status_changed(self, status: LinkStatus) -> None:
        with self.lock:
            self.status = status
        level = logging.WARNING if status.phase is LinkPhase.STORAGE_DOWN else logging.INFO
        log.log(level, "amont %s : %s %s", self.name, status.phase.value, status.error)

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        with self.lock:
            for o in outcomes:
                if o.kind == "stored":
                    self.counters.stored += 1
                elif o.kind == "duplicate":
                    self.counters.duplicate += 1
                else:
                    self.counters.rejected += 1

    def update_received(self, update: UpdateMessage) -> None:
        log.debug("amont %s : update %s/%s ignorée", self.name, update.source, update.id)

    def hub_message(self, message: HubMessage) -> None:
        """Never sent by a gateway."""

    def storage_failed(self, message: str) -> None:
        with self.lock:
            self.counters.failed_batches += 1
        log.warning("amont %s : lot non stocké, rien n'est acquitté (%s)", self.name, message)


class Intake:
    """The links to every upstream gateway, and the relay of claims back up."""

    def __init__(
        self, config: HubConfig, js: JetStreamContext, local_sources: set[str] | None = None
    ) -> None:
        self.config = config
        self._js = js
        #: CAP senders received through the hub's own channels (POST, feeds): their
        #: claims go to no gateway unless a gateway sent them too.
        self.local_sources = local_sources if local_sources is not None else set()
        self.links: dict[str, AlertLink] = {}
        self.listeners: dict[str, _Listener] = {}
        self.sinks: dict[str, JetStreamSink] = {}
        self._relays: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for up in self.config.upstreams:
            sink = JetStreamSink(self._js, loop, up.name)
            listener = _Listener(up.name)
            link = AlertLink(_settings(up, self.config.csu), sink, listener)
            # start() waits for the sink's last_seq, answered on this loop: not here.
            await loop.run_in_executor(None, link.start)
            self.sinks[up.name] = sink
            self.listeners[up.name] = listener
            self.links[up.name] = link
            self._relays.append(loop.create_task(self._relay(up.name)))
            log.info("amont %s : %s (nom présenté : %s)", up.name, up.url, self.config.csu)

    async def stop(self) -> None:
        await end_tasks(*self._relays)
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(None, link.stop, 5.0) for link in self.links.values())
        )

    def phases(self) -> dict[str, dict[str, object]]:
        """Each upstream's link phase and counters (for /health and ``status``)."""
        out: dict[str, dict[str, object]] = {}
        for name, listener in self.listeners.items():
            with listener.lock:
                st, c = listener.status, listener.counters
                out[name] = {
                    "url": self.links[name].settings.url,
                    "phase": st.phase.value if st else "stopped",
                    "since": st.since.isoformat() if st else None,
                    "error": st.error if st else "",
                    "stored": c.stored,
                    "duplicate": c.duplicate,
                    "rejected": c.rejected,
                    "failed_batches": c.failed_batches,
                    "relayed": c.relayed,
                }
        return out

    # -- status relay ------------------------------------------------------------------

    async def _relay(self, upstream: str) -> None:
        durable = f"relay-{safe_token(upstream)}"
        while True:
            try:
                psub = await self._relay_subscription(durable)
                while True:
                    for msg in await fetch_batch(psub, 100, 2.0):
                        self._relay_one(upstream, msg.data)
                        await msg.ack()  # handed to the link: sent now or at reconnection
            except asyncio.CancelledError:
                raise
            except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
                log.info("relais des statuts vers %s en attente (%s)", upstream, exc)
                await asyncio.sleep(1.0)

    async def _relay_subscription(self, durable: str) -> JetStreamContext.PullSubscription:
        try:
            await self._js.consumer_info(STATUS_STREAM, durable)
        except nats.js.errors.NotFoundError:
            await self._js.add_consumer(
                STATUS_STREAM,
                api.ConsumerConfig(
                    name=durable,
                    durable_name=durable,
                    ack_policy=api.AckPolicy.EXPLICIT,
                    ack_wait=30.0,
                    max_deliver=-1,
                    filter_subject=STATUS_SUBJECT,
                    deliver_policy=api.DeliverPolicy.ALL,
                ),
            )
        return await self._js.pull_subscribe_bind(durable=durable, stream=STATUS_STREAM)

    def _relay_one(self, upstream: str, data: bytes) -> None:
        try:
            claim = ClaimRecord.from_obj(json.loads(data))
        except (ValueError, ValidationError) as exc:
            log.warning("statut illisible dans %s, ignoré : %s", STATUS_STREAM, exc)
            return
        senders = {n for n, s in self.sinks.items() if claim.source in s.sources}
        if senders and upstream not in senders:
            return  # this alert came from another upstream
        if not senders and claim.source in self.local_sources:
            return  # a partner's POST or feed: no gateway knows it
        link = self.links[upstream]
        link.send_status(claim.source, claim.id, claim.state, _operator(claim), claim.at)
        with self.listeners[upstream].lock:
            self.listeners[upstream].counters.relayed += 1


def _operator(claim: ClaimRecord) -> str:
    return f"{claim.station} – {claim.operator}" if claim.operator else claim.station


def _settings(up: UpstreamConfig, csu: str) -> LinkSettings:
    return LinkSettings(url=up.url, station=csu, token=up.token, ca_file=up.ca_file)
