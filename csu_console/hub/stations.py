"""The stations' websocket server: protocol v1, plus the hub extension when negotiated.

Each station authenticates with its own bearer token (SHA-256 compared with
``hmac.compare_digest``), says ``hello``, and gets — with ``features`` — ``welcome``
then ``sync`` before any alert. Alerts come from the station's durable consumer,
in stream order, with the stream sequence as ``seq``; the station's ``ack`` (sent
after its SQLite commit) acknowledges the consumer. ``GET /health`` on the same
port serves the hub's health for the CSU's monitoring.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import json
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, Protocol

import nats.errors
import nats.js.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from csu_console.core import book_protocol
from csu_console.core import hub_protocol as hp
from csu_console.core.alert_share import SHARE_TYPE, share_key, share_result
from csu_console.core.group_wire import group_changed, group_result
from csu_console.core.groups import GroupChange
from csu_console.errors import CsuError, ValidationError
from csu_console.hub.alert_shares import publish_share
from csu_console.hub.book import HubBook
from csu_console.hub.config import HubConfig, StationAccount, token_hash
from csu_console.hub.consumers import (
    MAX_ACK_PENDING,
    Puller,
    station_consumer,
    usable_last_seq,
)
from csu_console.hub.groups import SYNC_MAX
from csu_console.hub.jetstream import H_ORIGIN, decode_key, station_frame
from csu_console.hub.tasks import end_tasks
from csu_console.hub.wire import StationConnection, json_response, peer_address, render

log = logging.getLogger("csu.hub.stations")

FETCH_BATCH = 200
WRITE_BATCH = 200
ROOM_AT = MAX_ACK_PENDING - FETCH_BATCH  # in flight at most, before fetching again
HELLO_TIMEOUT_S = 10.0
STATION_HEADER = "X-Csu-Station"


class SharedLike(Protocol):
    """What the station server needs of ``hub/shared.py``'s ``SharedState``."""

    def listen(self, callback: Callable[[hp.HubMessage], None]) -> None: ...
    def claim_of(self, key: tuple[str, str]) -> hp.ClaimRecord | None: ...
    async def snapshot(self) -> hp.Sync: ...
    async def apply_status(self, req: hp.StatusRequest) -> hp.StatusResult: ...
    async def apply_unit(self, req: hp.UnitRequest) -> hp.UnitResult: ...
    async def set_presence(
        self, station: str, report: hp.PresenceReport | None, *, online: bool
    ) -> None: ...
    async def escalate(self, e: hp.Escalation) -> None: ...
    async def apply_group(self, req: hp.GroupRequest) -> hp.GroupResult: ...


class HealthSource(Protocol):
    """The hub's health, for ``/health`` and ``hub_health``."""

    def health(self) -> tuple[bool, dict[str, Any]]: ...


@dataclass
class _Session:
    """One connected station."""

    ws: ServerConnection
    account: StationAccount
    station: str
    last_seq: int | None
    features: tuple[str, ...]
    out: asyncio.Queue[str | None]
    pending: dict[int, Msg]
    ready: bool = False  # sync sent: broadcasts go straight out
    held: list[str] | None = None  # broadcasts waiting for the sync
    delivered: int = 0
    acked: int = 0
    groups_seq: int | None = None  # the last group change it holds (§ 9.9)
    room: asyncio.Event = field(default_factory=asyncio.Event)

    def has(self, feature: str) -> bool:
        return feature in self.features


class StationServer:
    """Serves every configured station; one task set per connection."""

    def __init__(
        self,
        config: HubConfig,
        js: JetStreamContext,
        shared: SharedLike,
        health: HealthSource,
        nats_ok: asyncio.Event,
        on_contact: Callable[[str, bool], None] | None = None,
    ) -> None:
        self.config = config
        self._js = js
        self._nc = js._nc  # nats-py keeps the connection there
        self._shared = shared
        self._health = health
        self._nats_ok = nats_ok
        self._on_contact = on_contact or (lambda _s, _c: None)
        self.sessions: dict[str, _Session] = {}
        # connection → account, from the HTTP upgrade to the handler (weak: a client
        # gone between the two leaves nothing behind)
        self._accounts: weakref.WeakKeyDictionary[ServerConnection, StationAccount] = (
            weakref.WeakKeyDictionary()
        )
        self._server: Server | None = None
        self.refused = 0
        self.book = HubBook(config, js)  # the book extension (§ 10)
        shared.listen(self._on_shared)

    # -- server -------------------------------------------------------------------

    async def start(self) -> int:
        self._server = await serve(
            self._handler,
            self.config.host,
            self.config.port,
            ssl=self.config.ssl_context(),
            process_request=self._check_request,
            max_size=1024 * 1024,
            ping_interval=5,
            ping_timeout=10,
            compression=None,
            server_header="csu-hub/1",
            create_connection=StationConnection,
        )
        sock = next(iter(self._server.sockets))
        port = int(sock.getsockname()[1])
        scheme = "wss" if self.config.tls_cert else "ws"
        log.info("postes : écoute sur %s://%s:%d", scheme, self.config.host, port)
        return port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path.split("?")[0] == "/health":
            ok, body = self._health.health()
            return json_response(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE, body)
        peer = peer_address(connection)
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        claimed = request.headers.get(STATION_HEADER)
        account = self._authenticate(token, claimed)
        if account is None:
            self.refused += 1
            if claimed and self.config.station(claimed) is None:
                why = f"poste inconnu « {claimed} »"
            elif claimed:
                why = f"jeton invalide pour le poste « {claimed} »"
            elif token:
                why = "jeton inconnu"
            else:
                why = "jeton absent"
            log.warning("connexion refusée depuis %s : %s", peer, why)
            return connection.respond(HTTPStatus.UNAUTHORIZED, "poste ou jeton refusé\n")
        self._accounts[connection] = account
        return None

    def _authenticate(self, token: str, claimed: str | None) -> StationAccount | None:
        if not token:
            return None
        digest = token_hash(token)
        found: StationAccount | None = None
        for account in self.config.stations:  # every comparison, constant time each
            if hmac.compare_digest(digest, account.token_sha256) and found is None:
                found = account
        if found is not None and claimed is not None and claimed != found.id:
            return None
        return found

    # -- one connection -------------------------------------------------------------

    async def _handler(self, ws: ServerConnection) -> None:
        account = self._accounts.pop(ws, None)
        if account is None:  # cannot happen: process_request refused it
            await ws.close(1008, "non authentifié")
            return
        peer = peer_address(ws)
        try:
            async with asyncio.timeout(HELLO_TIMEOUT_S):
                raw = await ws.recv()
            info = hp.parse_hello(json.loads(raw))
        except (TimeoutError, ConnectionClosed, ValueError, ValidationError) as exc:
            log.warning("poste %s (%s) : hello invalide (%s)", account.id, peer, exc)
            await ws.close(1002, "hello attendu")
            return
        if info.station != account.id:
            log.warning(
                "poste %s (%s) : hello au nom de « %s », refusé", account.id, peer, info.station
            )
            await ws.close(1008, "poste différent du jeton")
            return
        old = self.sessions.get(account.id)
        if old is not None:
            log.info("poste %s : nouvelle connexion, l'ancienne est fermée", account.id)
            await old.ws.close(1000, "remplacée par une nouvelle connexion")
        features = tuple(f for f in hp.FEATURES if f in info.features)
        session = _Session(ws, account, account.id, info.last_seq, features, asyncio.Queue(), {})
        session.groups_seq = info.groups_seq
        session.held = []
        self.sessions[account.id] = session
        log.info(
            "poste %s connecté depuis %s (dernier seq %s, fonctions %s)",
            account.id,
            peer,
            info.last_seq,
            ",".join(features) or "v1",
        )
        self._on_contact(account.id, True)
        with contextlib.suppress(CsuError):  # NATS down: the station's report comes later
            await self._shared.set_presence(account.id, None, online=True)
        writer = asyncio.create_task(self._writer(session))
        deliver = asyncio.create_task(self._deliver(session))
        book = (
            asyncio.create_task(self.book.feed(session, self._nats_ok))
            if session.has(book_protocol.FEATURE)
            else None
        )
        try:
            if info.features:
                session.out.put_nowait(hp.welcome(self.config.id, features))
                if not self._nats_ok.is_set():
                    session.out.put_nowait(hp.hub_health("degraded", "NATS injoignable"))
            async for message in ws:
                await self._on_message(session, message)
        except ConnectionClosed:
            pass
        finally:
            await end_tasks(deliver, book)
            session.out.put_nowait(None)
            writer.cancel()
            await self._release(session)
            if self.sessions.get(account.id) is session:
                del self.sessions[account.id]
                self._on_contact(account.id, False)
                await self._presence_offline(account.id)
            log.info(
                "poste %s déconnecté (%d alertes envoyées, %d acquittées)",
                account.id,
                session.delivered,
                session.acked,
            )

    async def _writer(self, session: _Session) -> None:
        """The connection's only sender: welcome, sync, alerts and broadcasts in order."""
        ws = session.ws
        with contextlib.suppress(ConnectionClosed):
            while (text := await session.out.get()) is not None:
                batch = [text]
                while len(batch) < WRITE_BATCH and not session.out.empty():
                    nxt = session.out.get_nowait()
                    if nxt is None:
                        session.out.put_nowait(None)  # seen at the next turn
                        break
                    batch.append(nxt)
                if len(batch) == 1:
                    await ws.send(text)
                    continue
                # Framed together and written at once, as the link does for its acks:
                # one system call for a batch of alerts rather than one each.
                while ws.send_in_progress is not None:
                    await asyncio.shield(ws.send_in_progress)
                async with ws.send_context():
                    for item in batch:
                        ws.protocol.send_text(item.encode())

    async def _release(self, session: _Session) -> None:
        """Give back what the station did not acknowledge: redelivered at once."""
        pending, session.pending = session.pending, {}
        for msg in pending.values():
            with contextlib.suppress(Exception):
                await msg.nak()

    async def _presence_offline(self, station: str) -> None:
        try:
            await self._shared.set_presence(station, None, online=False)
        except CsuError as exc:
            log.warning("présence de %s non enregistrée : %s", station, exc)

    # -- alerts to the station ----------------------------------------------------------

    async def _deliver(self, session: _Session) -> None:
        """Sync (feature stations), then the station's consumer, in stream order."""
        while True:
            await self._nats_ok.wait()
            try:
                if not session.ready:
                    await self._send_sync(session)
                session.last_seq = await usable_last_seq(
                    self._js, session.station, session.last_seq
                )
                durable = await station_consumer(
                    self._js, session.station, session.last_seq, self.config.ack_wait_s
                )
                puller = Puller(
                    self._nc, durable, functools.partial(self._to_station, session), FETCH_BATCH
                )
                await puller.start()
                try:
                    await self._pump(session, puller)
                finally:
                    await puller.stop()
            except asyncio.CancelledError:
                raise
            except nats.js.errors.NotFoundError:
                # Another connection of this station (at this hub or another) rebuilt
                # its consumer: this one is stale (a dead link not yet noticed).
                log.info(
                    "poste %s : file reprise par une autre connexion, fermeture", session.station
                )
                await session.ws.close(1000, "reprise par une autre connexion")
                return
            except (nats.errors.Error, nats.js.errors.Error, TimeoutError, CsuError) as exc:
                log.warning("poste %s : flux d'alertes interrompu (%s)", session.station, exc)
                await asyncio.sleep(0.5)

    async def _send_sync(self, session: _Session) -> None:
        if session.features:
            snap = await self._shared.snapshot()
            groups, more = (
                missing_groups(snap.groups, session.groups_seq)
                if session.has("groups")
                else (None, ())
            )
            session.out.put_nowait(hp.sync(snap.claims, snap.units, snap.presence, groups))
            for seq, change in more:  # the rest, one message each (bounded sizes)
                session.out.put_nowait(group_changed(seq, change))
        held, session.held = session.held or [], None
        session.ready = True
        for text in held:
            session.out.put_nowait(text)

    async def _pump(self, session: _Session, puller: Puller) -> None:
        while True:
            if len(session.pending) > ROOM_AT:
                # Ask again once the station made room for a batch (the consumer's
                # max_ack_pending would hold the request anyway).
                session.room.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.config.ack_wait_s):
                        await session.room.wait()
            if not self._nats_ok.is_set():
                raise nats.errors.ConnectionReconnectingError
            asked = time.monotonic()
            got = await puller.pull(MAX_ACK_PENDING - len(session.pending))
            if got == 0 and time.monotonic() - asked < 0.05:
                await asyncio.sleep(0.2)  # refused at once (consumer busy)

    async def _to_station(self, session: _Session, msg: Msg) -> None:
        """One message of the station's consumer, as the frame the station receives."""
        seq = msg.metadata.sequence.stream
        # Never skipped on the station's last_seq: that is the highest seq it
        # committed, not a floor — after a redelivery or a consumer rebuilt from its
        # ack floor, older alerts come after newer ones, and skipping them lost 140 to
        # 400 alerts per station in the fault test (tests/e2e/team). What the station
        # has already is recognised there by (source, id) and acknowledged again.
        claim_json = None
        if session.has("claims"):
            key = decode_key((msg.headers or {}).get(H_ORIGIN))
            claim = self._shared.claim_of(key) if key is not None else None
            if claim is not None:
                claim_json = json.dumps(claim.to_obj(), ensure_ascii=False, separators=(",", ":"))
        session.pending[seq] = msg
        session.delivered += 1
        session.out.put_nowait(station_frame(msg.data, seq, claim_json))

    # -- station → hub ------------------------------------------------------------------

    async def _on_message(self, session: _Session, message: str | bytes) -> None:
        try:
            obj = json.loads(message)
            if not isinstance(obj, dict):
                raise ValidationError("objet JSON attendu")
        except (ValueError, ValidationError) as exc:
            log.warning("poste %s : message illisible ignoré (%s)", session.station, exc)
            return
        mtype = obj.get("type")
        if mtype in ("ack", "reject"):
            seq = obj.get("seq")
            msg = session.pending.pop(seq, None) if isinstance(seq, int) else None
            if mtype == "reject":
                log.warning(
                    "poste %s : alerte seq %s rejetée (%s)", session.station, seq, obj.get("reason")
                )
            if len(session.pending) <= ROOM_AT:
                session.room.set()
            if msg is not None:
                session.acked += 1
                try:
                    await msg.ack()
                except nats.errors.Error as exc:
                    log.warning("acquittement de %s perdu (%s)", seq, exc)
            return
        if mtype in book_protocol.STATION_TYPES and session.has(book_protocol.FEATURE):
            try:
                await self.book.on_message(session, obj)
            except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
                log.warning("poste %s : %s non traité (%s)", session.station, mtype, exc)
            return
        try:
            request = hp.parse_station_message(obj)
        except ValidationError as exc:
            log.warning("poste %s : message %s refusé : %s", session.station, mtype, exc.reason)
            self._answer_bad(session, obj, exc.reason)
            return
        try:
            await self._apply(session, request)
        except CsuError as exc:  # shared state unavailable: the station resends
            log.warning("poste %s : %s non appliqué (%s)", session.station, mtype, exc)

    def _answer_bad(self, session: _Session, obj: dict[str, Any], reason: str) -> None:
        if not session.features:
            return
        if obj.get("type") == "status" and isinstance(obj.get("sid"), str) and obj["sid"]:
            session.out.put_nowait(hp.status_result(obj["sid"], False, None, reason))
        elif obj.get("type") == "unit" and isinstance(obj.get("uid"), str) and obj["uid"]:
            session.out.put_nowait(hp.unit_result(obj["uid"], False, None, reason))
        elif obj.get("type") == SHARE_TYPE and isinstance(obj.get("alert"), dict):
            source, alert_id = obj["alert"].get("source"), obj["alert"].get("id")
            if isinstance(source, str) and isinstance(alert_id, str):
                session.out.put_nowait(share_result(share_key((source, alert_id)), False, reason))
        elif obj.get("type") == "group" and isinstance(obj.get("change"), dict):
            change_id = obj["change"].get("id")
            if isinstance(change_id, str) and change_id:
                session.out.put_nowait(group_result(change_id, False, reason))

    async def _apply(self, session: _Session, request: hp.StationMessage) -> None:
        if isinstance(request, hp.StatusRequest):
            if request.station != session.station:
                request = _restamp(request, session.station)
            result = await self._shared.apply_status(request)
            if session.features and request.sid:
                session.out.put_nowait(
                    hp.status_result(result.sid, result.applied, result.claim, result.message)
                )
        elif isinstance(request, hp.UnitRequest):
            if request.record.station != session.station:  # its own name, not another's
                request = replace(request, record=replace(request.record, station=session.station))
            unit_result = await self._shared.apply_unit(request)
            session.out.put_nowait(
                hp.unit_result(
                    unit_result.uid, unit_result.applied, unit_result.unit, unit_result.message
                )
            )
        elif isinstance(request, hp.PresenceReport):
            await self._shared.set_presence(session.station, request, online=True)
        elif isinstance(request, hp.GroupRequest):
            if request.change.station != session.station:  # its own name, not another's
                request = hp.GroupRequest(replace(request.change, station=session.station))
            answer = await self._shared.apply_group(request)
            session.out.put_nowait(group_result(answer.id, answer.applied, answer.message))
        elif isinstance(request, hp.AlertShare):
            await publish_share(self._js, session.station, request)  # or offered again
            session.out.put_nowait(share_result(request.key, True))
        else:
            if request.station != session.station:
                request = replace(request, station=session.station)
            await self._shared.escalate(request)

    # -- hub → every station -----------------------------------------------------------

    def _on_shared(self, message: hp.HubMessage) -> None:
        """A change made by any hub: to every connected station, in its dialect."""
        for session in list(self.sessions.values()):
            text = render(message, session.features)
            if text is None:
                continue
            if session.ready:
                session.out.put_nowait(text)
            elif session.held is not None:
                session.held.append(text)

    def broadcast_health(self, state: str, detail: str) -> None:
        """``hub_health`` to every feature station (plain consoles do not know it)."""
        text = hp.hub_health(state, detail, datetime.now(UTC))
        for session in list(self.sessions.values()):
            if session.features:
                session.out.put_nowait(text)


#: At most this many group changes in the ``sync`` itself; the rest follow it as
#: ``group`` messages (a station back after a long absence: no huge message).
SYNC_GROUPS = 500


def missing_groups(
    changes: tuple[tuple[int, GroupChange], ...], held: int | None
) -> tuple[list[tuple[int, GroupChange]], tuple[tuple[int, GroupChange], ...]]:
    """What a station lacks (§ 9.9): the changes after ``held`` (None: it holds none
    yet, the latest :data:`~csu_console.hub.groups.SYNC_MAX`), the first
    :data:`SYNC_GROUPS` for the ``sync`` and the others after it."""
    lacking = changes[-SYNC_MAX:] if held is None else tuple(c for c in changes if c[0] > held)
    return list(lacking[:SYNC_GROUPS]), lacking[SYNC_GROUPS:]


def _restamp(req: hp.StatusRequest, station: str) -> hp.StatusRequest:
    """A station acts under its own name (the token's), whatever the message says."""
    return replace(req, station=station)
