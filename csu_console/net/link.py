"""The alert link: a websocket client of protocol v1 on one asyncio thread.

Frames are decoded on the network thread, committed in batches by the storage
thread, and only then acknowledged (``ack`` / ``reject``). The link reconnects
forever with capped exponential backoff and jitter; everything it learns goes to
a :class:`~csu_console.net.state.LinkListener` (the Qt bridge in the GUI).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from csu_console.core import protocol
from csu_console.core.alert_share import SHARE_TYPE, AlertShare
from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import Escalation, HubHealth, PresenceReport, UnitRequest
from csu_console.core.intake import Outcome
from csu_console.core.protocol import AlertMessage, HubFrame, Rejection, UpdateMessage
from csu_console.errors import LinkError, StorageError
from csu_console.log_repeat import RepeatedLog
from csu_console.net.connection import _FrameConnection, describe_error
from csu_console.net.hub_session import StationHub
from csu_console.net.link_settings import LinkSettings
from csu_console.net.sink import BatchSink, StoreSink
from csu_console.net.state import LinkListener, LinkPhase, LinkStatus
from csu_console.storage.writer import StorageWriter

log = logging.getLogger("csu.net")

BATCH_MAX = 500
#: Delay before trying the next hub address after a lost or refused connection.
FAILOVER_DELAY_S = 0.2
MAX_WS_MESSAGE = 8 * 1024 * 1024  # beyond 1 MiB frames are rejected by protocol.decode_frame

#: Said here too, where the console and the tests have always found it.
__all__ = ["AlertLink", "LinkSettings"]


class AlertLink:
    """Receives alerts for one station, stores them, then acknowledges them."""

    def __init__(
        self, settings: LinkSettings, sink: StorageWriter | BatchSink, listener: LinkListener
    ) -> None:
        settings.validate()
        self.settings = settings
        self._sink: BatchSink = StoreSink(sink) if isinstance(sink, StorageWriter) else sink
        self._listener = listener
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._thread_main, name="csu-net", daemon=True)
        self._ready = threading.Event()
        self._stop_event: asyncio.Event | None = None
        self._stopping = False
        self._rng = random.Random()  # jitter; private, so nobody else's seed is touched
        self._shutdown_task: asyncio.Task[None] | None = None
        self._attempt: asyncio.Future[tuple[bool, bool, str]] | None = None
        self._opening = False  # connecting: nothing received yet, a stop cancels
        self._ws: _FrameConnection | None = None
        self._pending: list[AlertMessage | Rejection] = []
        self._pending_times: list[float] = []
        self._flush_scheduled = False
        self._inflight = 0
        self._idle: asyncio.Event | None = None
        self._send_tasks: set[asyncio.Task[None]] = set()
        self._outbox: deque[str] = deque()  # status messages waiting for a connection
        self._last_seq: int | None = None
        self._url = settings.candidates[0]
        self._hub_name = ""
        self._hub_degraded = ""
        self._status = LinkStatus(LinkPhase.STOPPED, self._url, datetime.now(UTC))
        # A full disk fails every batch (and every resend) alike: one line, then counts.
        self._repeats = RepeatedLog(log)
        # The station's side of the hub extension: only with the console's own
        # store (the hub's upstream links speak plain v1).
        self._hub: StationHub | None = None
        if settings.features and isinstance(sink, StorageWriter):
            self._hub = StationHub(
                sink, settings.features, listener, self._on_hub_health, settings.station
            )

    # -- public API (any thread) --------------------------------------------

    @property
    def status(self) -> LinkStatus:
        """The latest status (also delivered to the listener)."""
        return self._status

    def start(self) -> None:
        """Read the last committed seq, then start the network thread."""
        self._last_seq = self._sink.last_seq().result()
        self._thread.start()
        self._ready.wait()

    def send_status(
        self, source: str, alert_id: str, state: AlertState, operator: str, at: datetime
    ) -> None:
        """Queue a ``status`` message; sent now, or at the next connection."""
        text = protocol.status(source, alert_id, state, self.settings.station, operator, at)
        loop = self._loop
        if loop is None:
            self._outbox.append(text)
            return
        loop.call_soon_threadsafe(self._queue_status, text)

    def nudge_outbox(self) -> None:
        """The console wrote a durable ``status`` (``status_outbox``): send it now.
        Unanswered rows are also sent at every connection and every few seconds."""
        self._call(lambda hub: hub.nudge())

    def send_unit(self, request: UnitRequest) -> None:
        """A unit's change, durable (outbox) until the hub's ``unit_result``."""
        self._call(lambda hub: hub.add(request.uid, "unit", request.to_json()))

    def send_presence(self, report: PresenceReport) -> None:
        """Who is logged in here and what they look at; the latest is re-sent on
        every hub connection."""
        self._call(lambda hub: hub.presence(report))

    def send_escalation(self, escalation: Escalation) -> None:
        """An escalation, durable (outbox) until written on a hub connection."""
        self._call(lambda hub: hub.add(escalation.eid, "escalate", escalation.to_json()))

    def send_alert_share(self, share: AlertShare) -> None:
        """This station's own alert for every station, durable (outbox) until the
        hub's ``alert_share_result`` (§ 9.10)."""
        self._call(lambda hub: hub.add(share.key, SHARE_TYPE, share.to_json()))

    def _call(self, fn: Callable[[StationHub], None]) -> None:
        hub, loop = self._hub, self._loop
        if hub is None:
            log.debug("extension du serveur d'alertes non demandée : rien à envoyer")
            return
        if loop is None:
            raise LinkError("liaison non démarrée")
        with contextlib.suppress(RuntimeError):  # the loop already closed: stopping
            loop.call_soon_threadsafe(fn, hub)

    def stop(self, timeout: float = 10.0) -> None:
        """Commit and acknowledge what was received, close the socket, end the thread."""
        loop = self._loop
        if loop is None or not self._thread.is_alive():
            return
        try:
            loop.call_soon_threadsafe(self._begin_shutdown, timeout)
        except RuntimeError:  # the loop already closed
            return
        self._thread.join(timeout + 5)
        if self._thread.is_alive():
            log.error("la liaison ne s'est pas arrêtée en %s s", timeout + 5)

    # -- network thread -----------------------------------------------------

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.close()
            log.info("liaison arrêtée")

    def _set_status(self, phase: LinkPhase, **kw: Any) -> None:
        kw.setdefault("hub", self._hub_name)
        kw.setdefault("hub_degraded", self._hub_degraded)
        self._status = LinkStatus(phase, self._url, datetime.now(UTC), **kw)
        try:
            self._listener.link_status_changed(self._status)
        except Exception:
            log.exception("listener link_status_changed")

    async def _main(self) -> None:
        self._stop_event = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._ready.set()
        s = self.settings
        urls = s.candidates
        index = 0
        failed_in_row = 0  # attempts that failed since the last connection
        backoff = s.reconnect_min_s
        attempt = 0
        lost_since: datetime | None = None
        self._set_status(LinkPhase.CONNECTING)
        while not self._stop_event.is_set():
            self._url = urls[index]
            self._attempt = asyncio.ensure_future(self._connect_and_serve())
            try:
                connected, refused, error = await self._attempt
            except asyncio.CancelledError:
                if not self._stop_event.is_set():
                    raise
                connected, refused, error = False, False, "arrêt pendant la connexion"
            finally:
                self._attempt = None
            if connected:
                attempt, backoff, lost_since, failed_in_row = 0, s.reconnect_min_s, None, 0
            if self._stop_event.is_set():
                break
            lost_since = lost_since or datetime.now(UTC)
            attempt += 1
            failed_url = self._url
            if not connected:
                failed_in_row += 1
            if len(urls) > 1 and (connected or failed_in_row % len(urls) != 0):
                # Another hub may be up: try the next address almost at once (a
                # round of all of them failing falls back to the backoff).
                index = (index + 1) % len(urls)
                delay = FAILOVER_DELAY_S * self._rng.uniform(0.8, 1.2)
            else:
                index = (index + 1) % len(urls)
                delay = min(backoff, s.reconnect_max_s) * self._rng.uniform(0.8, 1.2)
                backoff = min(backoff * 2, s.reconnect_max_s)
            phase = LinkPhase.REFUSED if refused else LinkPhase.LOST
            (log.error if refused or attempt == 1 else log.warning)(
                "liaison %s : %s ; nouvelle tentative %d dans %.1f s%s",
                failed_url,
                error,
                attempt,
                delay,
                f" sur {urls[index]}" if len(urls) > 1 else "",
            )
            self._set_status(
                phase, lost_since=lost_since, attempt=attempt, next_retry_s=delay, error=error
            )
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._stop_event.wait()
        if self._shutdown_task is not None:
            await self._shutdown_task
        self._set_status(LinkPhase.STOPPED)

    async def _connect_and_serve(self) -> tuple[bool, bool, str]:
        """One connection to ``self._url``: (connected at all, refused, why it ended).

        Until the session starts, a stop cancels it (``_opening``): a console quit
        while the gateway is slow to answer must not wait for the open timeout, nor
        read a session that starts after its stop.
        """
        s = self.settings
        connected = refused = False
        self._opening = True
        try:
            async with connect(
                self._url,
                additional_headers=({"Authorization": f"Bearer {s.token}"} if s.token else None),
                ssl=s.ssl_context(self._url),
                ping_interval=s.ping_interval_s,
                ping_timeout=s.ping_timeout_s,
                open_timeout=s.open_timeout_s,
                close_timeout=2,
                max_size=MAX_WS_MESSAGE,
                compression=None,  # small JSON on a LAN: deflate costs more than it saves
                proxy=None,  # closed networks: never follow proxy variables
                user_agent_header="csu-console/1",
                create_connection=_FrameConnection,
            ) as ws:
                assert isinstance(ws, _FrameConnection)
                connected = True
                error = await self._session(ws)
        except InvalidStatus as exc:
            code = exc.response.status_code
            refused = code in (401, 403)
            error = f"refus de la passerelle (HTTP {code})"
        except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as exc:
            error = describe_error(exc)
        finally:
            self._ws, self._opening = None, False
            if self._hub is not None:
                try:
                    await self._hub.disconnected()
                except Exception:  # a bug there must not end the link for good
                    log.exception("fin de session du hub")
        return connected, refused, error

    def _begin_shutdown(self, timeout: float) -> None:
        if self._shutdown_task is None:
            self._shutdown_task = asyncio.get_running_loop().create_task(self._shutdown(timeout))

    async def _session(self, ws: _FrameConnection) -> str:
        self._ws = ws
        self._opening = False  # from here a stop closes the socket (``_shutdown``)
        self._hub_name = self._hub_degraded = ""
        log.info("liaison connectée à %s (dernier seq %s)", self._url, self._last_seq)
        self._set_status(LinkPhase.CONNECTED)
        hub = self._hub
        features = hub.features if hub is not None else ()
        groups_seq = await hub.groups_seq() if hub is not None else None
        await ws.send(protocol.hello(self.settings.station, self._last_seq, features, groups_seq))
        if hub is not None:
            hub.connected(ws)
        while self._outbox:
            await ws.send(self._outbox[0])
            self._outbox.popleft()
        try:
            while True:
                data, is_text = await ws.recv_frame()
                self._on_frame(data, is_text)
        except ConnectionClosed as exc:
            return describe_error(exc)

    def _on_frame(self, data: bytes, is_text: bool) -> None:
        if self._stopping:
            return  # not acknowledged: the gateway sends it again later
        hub = self._hub
        rules, cap = self.settings.priority_rules, self.settings.cap_parser
        if hub is None:
            item = protocol.decode_frame(data, is_text, rules, cap)
        else:
            item = protocol.decode_frame(data, is_text, rules, cap, hub=hub.wants_hub_frames)
            if not hub.first_seen:
                mode = hub.first_frame(item.obj if isinstance(item, HubFrame) else item)
                if isinstance(item, HubFrame):
                    if mode == "hub":
                        return  # the welcome itself
                    item = protocol.decode_frame(data, is_text, rules, cap)
        if isinstance(item, HubFrame):
            if hub is not None:
                hub.on_hub_frame(item.obj, self._flush)
            return
        if isinstance(item, UpdateMessage):
            # After the frames received before it are committed (the storage thread
            # is FIFO): an update must never reach the store before its alert.
            self._flush()
            update = item

            def deliver(_f: Future[None]) -> None:
                self._deliver_update(update)

            self._sink.barrier().add_done_callback(deliver)
            return
        if isinstance(item, Rejection):
            log.warning("trame rejetée (seq %s) : %s", item.seq, item.reason)
        self._pending.append(item)
        self._pending_times.append(time.monotonic())
        if len(self._pending) >= BATCH_MAX:
            self._flush()
        elif not self._flush_scheduled:
            # Runs once recv() has drained what the socket gave: natural batching.
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _deliver_update(self, update: UpdateMessage) -> None:
        try:
            self._listener.update_received(update)
        except Exception:
            log.exception("listener update_received")

    def _flush(self) -> None:
        self._flush_scheduled = False
        if not self._pending:
            return
        items, self._pending = self._pending, []
        times, self._pending_times = self._pending_times, []
        ws, loop = self._ws, asyncio.get_running_loop()
        station = self.settings.station
        self._inflight += 1
        assert self._idle is not None
        self._idle.clear()
        fut = self._sink.commit(items, station)

        def done(f: Future[list[Outcome]]) -> None:
            # The acknowledgements first: telling the screen can block (the pipe to
            # the console's process is full while the GUI is busy), they must not
            # wait for it.
            loop.call_soon_threadsafe(self._on_committed, ws, f)
            if f.exception() is None:
                # Straight from the storage thread: the listener bridges threads.
                outcomes = [
                    replace(o, received_mono=t) for o, t in zip(f.result(), times, strict=True)
                ]
                try:
                    self._listener.frames_committed(outcomes)
                except Exception:
                    log.exception("listener frames_committed")
                if self._hub is not None:
                    self._hub.after_commit(items, outcomes)

        fut.add_done_callback(done)

    def _on_committed(self, ws: _FrameConnection | None, fut: Future[list[Outcome]]) -> None:
        self._inflight -= 1
        if self._inflight == 0 and self._idle is not None:
            self._idle.set()
        exc = fut.exception()
        if exc is not None:
            message = str(exc)
            if isinstance(exc, StorageError):
                self._repeats.log(
                    logging.ERROR,
                    "commit",
                    "lot non enregistré : rien n'est acquitté, la passerelle le renverra — %s",
                    message,
                )
            else:
                log.error("lot non enregistré (bogue)", exc_info=exc)
            self._set_status(LinkPhase.STORAGE_DOWN, error=message)
            try:
                self._listener.storage_failed(message)
            except Exception:
                log.exception("listener storage_failed")
            return
        if self._status.phase is LinkPhase.STORAGE_DOWN:
            self._repeats.clear("commit")
            log.info("enregistrement des alertes rétabli")
            if ws is self._ws:
                self._set_status(LinkPhase.CONNECTED)
        outcomes = fut.result()
        seqs = [o.seq for o in outcomes if o.seq is not None]
        if seqs:
            self._last_seq = max(seqs + ([self._last_seq] if self._last_seq is not None else []))
        replies = [
            protocol.reject(o.seq, o.rejection.reason)
            if o.rejection is not None
            else protocol.ack(o.seq or 0, o.alert_id or "")
            for o in outcomes
        ]
        if ws is None or ws is not self._ws:
            return  # that connection is gone: the gateway resends, we ack again
        task = asyncio.get_running_loop().create_task(self._send_all(ws, replies))
        self._send_tasks.add(task)
        task.add_done_callback(self._send_tasks.discard)

    async def _send_all(self, ws: _FrameConnection, messages: list[str]) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send_texts(messages)

    def _on_hub_health(self, hub: str, health: HubHealth | None) -> None:
        """Link thread: the hub's name (``welcome``) and health go on the link status."""
        self._hub_name = hub
        self._hub_degraded = (
            "" if health is None or not health.degraded else (health.detail or health.state)
        )
        if health is not None and health.degraded:
            log.warning("serveur d'alertes %s dégradé : %s", hub or "?", health.detail)
        if self._ws is not None:  # the phase stays (connected, or storage down)
            self._set_status(self._status.phase, error=self._status.error)

    def _queue_status(self, text: str) -> None:
        ws = self._ws
        if ws is None:
            self._outbox.append(text)
            return

        async def send() -> None:
            try:
                await ws.send(text)
            except ConnectionClosed:
                self._outbox.append(text)

        task = asyncio.get_running_loop().create_task(send())
        self._send_tasks.add(task)
        task.add_done_callback(self._send_tasks.discard)

    async def _shutdown(self, timeout: float) -> None:
        self._stopping = True
        self._flush()
        assert self._idle is not None and self._stop_event is not None
        try:
            async with asyncio.timeout(timeout):
                await self._idle.wait()
            if self._send_tasks:
                async with asyncio.timeout(timeout):
                    await asyncio.gather(*self._send_tasks)
        except TimeoutError:
            log.error("arrêt : écritures ou accusés encore en cours après %s s", timeout)
        self._stop_event.set()
        ws = self._ws
        if ws is not None:
            await ws.close(1001, "arrêt de la console")
        elif self._opening and self._attempt is not None:
            self._attempt.cancel()  # still connecting: no session will start
