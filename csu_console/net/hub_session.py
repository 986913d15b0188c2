"""The station's side of the hub extension on one :class:`~csu_console.net.link.AlertLink`.

Per connection (``docs/protocol.md`` § 9): ``hello`` lists the features; a first
message ``welcome`` switches that connection to hub mode, anything else (or one
two seconds of silence) means a plain protocol-v1 gateway, which gets exactly what it
got before. In hub mode:

- hub messages are parsed (a bad one is logged and dropped), applied in the
  storage thread's FIFO order with the commits (claims from ``sync``, ``claim``
  and ``status_result``, answers recorded in the outbox), and only then handed to
  the listener, followed by a :class:`~csu_console.core.hub_protocol.ClaimsApplied`
  naming the alerts whose row changed;
- the outbox (:mod:`csu_console.storage.outbox`) is sent after ``sync``, then again
  every :data:`RESEND_S` seconds while unanswered, and at once when the console
  nudges (it wrote a row); presence is re-sent on every connection.

On a plain gateway the outbox's ``status`` rows are sent (their extra fields are
ignored by v1) and marked ``sent``; units and escalations are not spoken there.
Runs on the link's asyncio thread, except the storage jobs (storage thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, Protocol

from csu_console.core import book_protocol
from csu_console.core.alert_share import FEATURE as SHARE_FEATURE
from csu_console.core.alert_share import SHARE_TYPE, AlertShareResult
from csu_console.core.hub_protocol import (
    ClaimChanged,
    ClaimRecord,
    ClaimsApplied,
    GroupChanged,
    GroupResult,
    HubHealth,
    HubMessage,
    PresenceReport,
    StatusResult,
    Sync,
    UnitResult,
    Welcome,
    parse_hub_message,
)
from csu_console.core.intake import Outcome
from csu_console.core.protocol import AlertMessage, Rejection
from csu_console.errors import ValidationError
from csu_console.net.book_session import StationBook
from csu_console.net.state import LinkListener
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

log = logging.getLogger("csu.net")

#: An unanswered message is sent again after this many seconds on a live connection.
RESEND_S = 3.0
#: Without a first message this long after ``hello``, the gateway is plain v1.
WELCOME_WAIT_S = 2.0
#: After ``welcome``, the outbox waits at most this long for ``sync``.
SYNC_WAIT_S = 2.0


class _Socket(Protocol):
    async def send(self, message: str) -> None: ...


class StationHub:
    """Mode, outbox and hub messages of one station's link (see the module doc)."""

    def __init__(
        self,
        writer: StorageWriter,
        features: Sequence[str],
        listener: LinkListener,
        on_health: Callable[[str, HubHealth | None], None],
        station: str = "",
    ) -> None:
        self._writer = writer
        self.features = tuple(features)
        self._listener = listener
        self._on_health = on_health  # (hub name, health) for the link's status
        self.mode: str | None = None  # None: not decided, "hub" or "v1"
        self.first_seen = False  # the connection's first frame came
        self.welcome: Welcome | None = None
        self._decided: asyncio.Event | None = None
        self._synced: asyncio.Event | None = None
        self._nudged: asyncio.Event | None = None
        self._ws: _Socket | None = None
        self._task: asyncio.Task[None] | None = None
        self._sent_at: dict[str, float] = {}
        self._presence: PresenceReport | None = None
        # The book extension (§ 10): heads and events out, witnesses and peers in.
        self.book = StationBook(writer, station) if book_protocol.FEATURE in features else None
        self._book_task: asyncio.Task[None] | None = None

    # -- connection life (link thread) ---------------------------------------

    def connected(self, ws: _Socket) -> None:
        """A new connection (``hello`` sent): decide its mode, then run the outbox."""
        self._ws = ws
        self.mode = None
        self.first_seen = False
        self.welcome = None
        self._sent_at = {}
        self._decided, self._synced, self._nudged = (
            asyncio.Event(),
            asyncio.Event(),
            asyncio.Event(),
        )
        self._task = asyncio.get_running_loop().create_task(self._outbox_loop(ws))

    async def disconnected(self) -> None:
        """The connection ended: stop sending on it."""
        self._ws = None
        for task in (self._task, self._book_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    try:
                        await task
                    except Exception as exc:  # noqa: BLE001 - it ended with the connection
                        # (a send on the closed socket): never the link's concern, which
                        # reconnects; raised here, it ended the link's thread for good.
                        log.info("tâche de la connexion terminée : %s", exc)
        self._task = self._book_task = None
        if self.mode == "hub":
            self._on_health("", None)

    @property
    def wants_hub_frames(self) -> bool:
        """Decode the extension's messages (until a plain gateway shows itself)."""
        return self.mode != "v1" or not self.first_seen

    def first_frame(self, item: object) -> str:
        """The connection's first frame decides its mode (returned). A ``welcome``
        later than :data:`WELCOME_WAIT_S` still counts while it is the first frame
        (the outbox went out as to a plain gateway meanwhile)."""
        if self.first_seen:
            return self.mode or "v1"
        self.first_seen = True
        late = self.mode == "v1"
        is_welcome = False
        if isinstance(item, dict) and item.get("type") == "welcome":
            try:
                parsed = parse_hub_message(item)
            except ValidationError as exc:
                log.warning("welcome illisible, passerelle v1 : %s", exc.reason)
            else:
                if isinstance(parsed, Welcome):
                    self.welcome = parsed
                    is_welcome = True
        if late and not is_welcome:
            return "v1"
        self._decide("hub" if is_welcome else "v1")
        if self.welcome is not None:
            if late and self._presence is not None and self._ws is not None:
                self._spawn(self._send_quietly(self._ws, self._presence.to_json()))
            log.info(
                "serveur d'alertes %s : fonctions %s",
                self.welcome.hub or "?",
                ", ".join(self.welcome.features) or "aucune",
            )
            self._on_health(self.welcome.hub, HubHealth("ok"))
            if "claims" not in self.welcome.features and self._synced is not None:
                self._synced.set()
            self._deliver([self.welcome])
        return self.mode or "v1"

    def _decide(self, mode: str) -> None:
        self.mode = mode
        if mode == "v1":
            log.info("passerelle en protocole v1 simple (pas de welcome)")
        if self._decided is not None:
            self._decided.set()

    # -- hub messages (link thread) ------------------------------------------------

    def on_hub_frame(self, obj: dict[str, Any], flush: Callable[[], None]) -> None:
        """A hub message: parsed, applied after the frames before it, then delivered."""
        if obj.get("type") in book_protocol.HUB_TYPES:
            if self.book is not None:
                self.book.on_frame(obj)
            return
        try:
            message = parse_hub_message(obj)
        except ValidationError as exc:
            log.warning(
                "message du serveur d'alertes ignoré (%s) : %s", obj.get("type"), exc.reason
            )
            return
        if isinstance(message, Welcome):
            log.warning("welcome inattendu au milieu de la connexion : ignoré")
            return
        if isinstance(message, Sync) and self._synced is not None:
            self._synced.set()
        if isinstance(message, HubHealth):
            self._on_health(self.welcome.hub if self.welcome else "", message)
        flush()  # the frames received before it are committed first (FIFO storage)
        fut = self._writer.submit(lambda store: _apply(store, message))
        fut.add_done_callback(lambda f: self._applied(message, f))

    def _applied(self, message: HubMessage, fut: Future[ClaimsApplied | None]) -> None:
        exc = fut.exception()
        if exc is not None:
            log.error("message du serveur d'alertes non enregistré : %s", exc)
            self._deliver([message])
            return
        applied = fut.result()
        self._deliver([message] if applied is None else [message, applied])

    def after_commit(
        self, items: Sequence[AlertMessage | Rejection], outcomes: Sequence[Outcome]
    ) -> None:
        """Storage thread: an alert received again with a claim (after a failover,
        say) was not inserted; its claim is applied all the same."""
        claims = [
            item.claim
            for item, o in zip(items, outcomes, strict=True)
            if o.kind == "duplicate" and isinstance(item, AlertMessage) and item.claim is not None
        ]
        if not claims:
            return

        def apply(store: Store) -> ClaimsApplied | None:
            return _apply_claims(store, claims)

        def done(f: Future[ClaimsApplied | None]) -> None:
            if f.exception() is None and (applied := f.result()) is not None:
                self._deliver([applied])

        self._writer.submit(apply).add_done_callback(done)

    def _deliver(self, messages: list[HubMessage]) -> None:
        for message in messages:
            try:
                self._listener.hub_message(message)
            except Exception:
                log.exception("listener hub_message")

    async def groups_seq(self) -> int | None:
        """The last group change held from the hubs, said in ``hello`` (§ 9.9): the hub
        then sends only the newer ones. None without the feature, or unreadable."""
        if "groups" not in self.features:
            return None
        try:
            return await asyncio.wrap_future(self._writer.submit(Store.group_max_seq))
        except Exception as exc:  # noqa: BLE001 - the hub then sends its latest changes
            log.warning("dernier changement de groupe illisible : %s", exc)
            return None

    # -- station → hub (link thread) -------------------------------------------------

    def nudge(self) -> None:
        """The console wrote an outbox row: send it now."""
        if self._nudged is not None:
            self._nudged.set()

    def add(self, key: str, kind: str, text: str) -> None:
        """A unit request or escalation: into the outbox, then sent (hub mode only)."""
        if self.mode == "v1":
            log.debug("%s %s non envoyé : passerelle v1 simple", kind, key)
            return
        fut = self._writer.submit(lambda store: store.outbox_add(key, kind, text))
        loop = asyncio.get_running_loop()
        fut.add_done_callback(lambda _f: loop.call_soon_threadsafe(self.nudge))

    def presence(self, report: PresenceReport) -> None:
        """Latest presence: sent now on a hub connection, and on every new one."""
        self._presence = report
        ws = self._ws
        if self._speaks("presence") and ws is not None:
            self._spawn(self._send_quietly(ws, report.to_json()))
        elif self.mode == "v1":
            log.debug("présence non envoyée : passerelle v1 simple")

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        task.add_done_callback(lambda t: None if t.cancelled() else t.exception())

    async def _send_quietly(self, ws: _Socket, text: str) -> None:
        with contextlib.suppress(Exception):
            await ws.send(text)

    async def _outbox_loop(self, ws: _Socket) -> None:
        assert self._decided is not None and self._synced is not None
        assert self._nudged is not None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(WELCOME_WAIT_S):
                await self._decided.wait()
        if self.mode is None:
            self._decide("v1")  # a quiet plain gateway
        if self.mode == "hub":
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SYNC_WAIT_S):
                    await self._synced.wait()
            if self._presence is not None and self._speaks("presence"):
                await ws.send(self._presence.to_json())
            if self.book is not None and self.book.station and self._speaks(book_protocol.FEATURE):
                task = asyncio.get_running_loop().create_task(self.book.run(ws))
                task.add_done_callback(_book_ended)
                self._book_task = task
        try:
            while True:
                self._nudged.clear()
                await self._send_pending(ws)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(RESEND_S):
                        await self._nudged.wait()
        except Exception as exc:  # noqa: BLE001 - the connection's end is the session's business
            log.debug("envoi de la file sortante arrêté : %s", exc)

    def _speaks(self, feature: str) -> bool:
        return self.welcome is not None and feature in self.welcome.features

    def _fate(self, kind: str) -> str:
        """What this connection does with an outbox row of ``kind``: ``answered``
        (sent until the hub answers), ``once`` (written once: nobody answers),
        or ``dropped`` (not spoken here)."""
        if kind == "status":
            return "answered" if self._speaks("durable_status") else "once"
        if kind == "unit":
            return "answered" if self._speaks("units") else "dropped"
        if kind == "group":  # § 9.9: without a hub the change stays at this station
            return "answered" if self._speaks("groups") else "dropped"
        if kind == SHARE_TYPE:  # § 9.10: without a hub the alert stays at this station
            return "answered" if self._speaks(SHARE_FEATURE) else "dropped"
        return "once" if self._speaks("escalation") else "dropped"  # escalate

    async def _send_pending(self, ws: _Socket) -> None:
        rows = await asyncio.wrap_future(self._writer.submit(Store.outbox_pending))
        now = time.monotonic()
        sent: list[str] = []
        written: list[str] = []  # answered by being written (nobody answers them)
        dropped: list[str] = []
        for row in rows:
            fate = self._fate(row.kind)
            if fate == "dropped":
                dropped.append(row.key)
                continue
            last = self._sent_at.get(row.key)
            if last is not None and now - last < RESEND_S:
                continue
            await ws.send(row.text)
            self._sent_at[row.key] = now
            sent.append(row.key)
            if fate == "once":
                written.append(row.key)
        if sent:
            log.info(
                "%d message(s) de la file sortante envoyé(s)%s",
                len(sent),
                "" if self.mode == "hub" else " (passerelle v1 : sans réponse)",
            )

        def record(store: Store) -> None:
            store.outbox_sent(sent)
            store.outbox_answer(written, "written" if self.mode == "hub" else "sent")
            if dropped:
                log.info(
                    "%d message(s) non parlé(s) par cette passerelle : abandonné(s)", len(dropped)
                )
                store.outbox_answer(dropped, "dropped")

        if sent or dropped:
            await asyncio.wrap_future(self._writer.submit(record))


def _book_ended(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.debug("main courante partagée arrêtée sur cette connexion : %s", exc)


def _apply(store: Store, message: HubMessage) -> ClaimsApplied | None:
    """Storage thread: what a hub message changes in this station's database."""
    if isinstance(message, Sync):
        if message.groups:
            fresh = store.receive_group_changes(message.groups)
            log.info("groupes du serveur : %d changement(s), %d nouveau(x)",
                     len(message.groups), len(fresh))  # fmt: skip
        return _apply_claims(store, message.claims)
    if isinstance(message, GroupChanged):
        store.receive_group_changes([(message.seq, message.change)])
        return None
    if isinstance(message, GroupResult):
        store.outbox_answer(
            [message.id], "applied" if message.applied else "refused", message.message
        )
        return None
    if isinstance(message, ClaimChanged):
        return _apply_claims(store, [message.claim])
    if isinstance(message, StatusResult):
        store.outbox_answer(
            [message.sid], "applied" if message.applied else "refused", message.message
        )
        claims = [] if message.claim is None else [message.claim]
        applied = _apply_claims(store, claims)
        if message.applied:
            return applied
        log.info("statut %s refusé par le serveur : %s", message.sid, message.message)
        return ClaimsApplied(applied.stored if applied else (), message)
    if isinstance(message, UnitResult):
        store.outbox_answer(
            [message.uid], "applied" if message.applied else "refused", message.message
        )
    if isinstance(message, AlertShareResult):
        if not message.applied:
            log.warning("alerte du poste refusée par le serveur : %s", message.message)
        store.outbox_answer(
            [message.key], "applied" if message.applied else "refused", message.message
        )
    return None


def _apply_claims(store: Store, claims: Sequence[ClaimRecord]) -> ClaimsApplied | None:
    changed = []
    kept = 0
    for claim in claims:
        result = store.apply_claim(claim)
        if result.effect == "applied" and result.stored is not None:
            changed.append(result.stored)
        elif result.effect == "kept":
            kept += 1
    if claims:
        log.info(
            "prises en compte du serveur : %d appliquée(s), %d gardée(s) pour plus tard",
            len(changed),
            kept,
        )
    return ClaimsApplied(tuple(changed)) if changed else None
