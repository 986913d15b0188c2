"""The stations' shared state, in NATS JetStream: claims, units, presence, escalations.

Everything the stations share lives in JetStream, so any number of hub processes
(none with state of its own) serve one CSU consistently (``docs/protocol.md`` § 9):

- ``csu_claims`` (key-value): who holds each alert. A ``status`` is decided with the
  console's own rules (:mod:`csu_console.hub.rules`) on the stored claim and written
  with compare-and-set on the entry's revision: when two stations press F2 at once,
  one write wins, the other hub reads again and refuses with the winner. Every
  applied change is also published to the stream ``CSU_STATUS`` (subject
  ``csu.status``, ``Nats-Msg-Id`` = the status id) for the upstream relay.
- ``csu_units`` (key-value): each patrol's status; engaging one that is engaged
  elsewhere is refused unless confirmed.
- ``csu_presence`` (key-value): who is logged in at each station, where, looking at
  what. The hub serving a station refreshes its entry every ``presence_refresh``
  seconds; an ``online`` entry not refreshed for ``presence_stale`` seconds (its hub
  died) is set offline by whichever hub notices first (compare-and-set).
- ``CSU_ESCALATIONS`` (stream, deduplicated by ``eid``): escalations, delivered to
  every hub from the moment it starts.

Each hub follows the three buckets (:class:`~csu_console.hub.feed.StreamFeed`) and
keeps them in memory, so :meth:`SharedState.claim_of` answers without I/O, and tells
its listeners of every change, whichever hub made it, in order per key. When NATS
is unreachable every method raises :class:`SharedStateUnavailable` within
``op_timeout`` seconds; the feeds resume, from where they were, once it is back.

Retention: a claim or a unit entry is kept ``claims_max_age`` seconds after its
last change (default 30 days: set it to the alerts' retention), presence entries
``presence_max_age`` (7 days), escalations 1 day, ``CSU_STATUS`` 7 days.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

import nats.errors
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js import JetStreamContext, api
from nats.js.errors import BadRequestError, KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from csu_console.core.hub_protocol import (
    AlertKey,
    ClaimChanged,
    ClaimRecord,
    Escalation,
    EscalationRaised,
    HubMessage,
    PresenceChanged,
    PresenceRecord,
    PresenceReport,
    StatusRequest,
    StatusResult,
    Sync,
    UnitChanged,
    UnitRecord,
    UnitRequest,
    UnitResult,
)
from csu_console.errors import CsuError, ValidationError
from csu_console.hub.feed import StreamFeed, header
from csu_console.hub.rules import (
    applied_ids,
    claim_key,
    decide_status,
    decide_unit,
    dump_claim,
    dump_unit,
    name_key,
)

log = logging.getLogger("csu.hub.shared")

CLAIMS_BUCKET = "csu_claims"
UNITS_BUCKET = "csu_units"
PRESENCE_BUCKET = "csu_presence"
STATUS_STREAM = "CSU_STATUS"
STATUS_SUBJECT = "csu.status"
ESCALATION_STREAM = "CSU_ESCALATIONS"
ESCALATION_SUBJECT = "csu.escalation"

DAY = 86400.0
#: Compare-and-set attempts before giving up (each loss means another hub wrote).
MAX_ATTEMPTS = 16

_T = TypeVar("_T")
_R = TypeVar("_R")


class SharedStateUnavailable(CsuError):
    """NATS is unreachable or did not answer in time: nothing was decided."""


@dataclass(frozen=True)
class _Cached(Generic[_R]):
    revision: int
    record: _R
    seen: float  # time.time() of the entry's last write (presence: liveness)


class SharedState:
    """The shared state of one CSU, as seen and changed by one hub process."""

    def __init__(
        self,
        js: JetStreamContext,
        hub: str,
        *,
        replicas: int = 1,
        claims_max_age: float = 30 * DAY,
        presence_max_age: float = 7 * DAY,
        presence_refresh: float = 10.0,
        presence_stale: float = 30.0,
        offline_kept: float = 12 * 3600.0,
        op_timeout: float = 2.0,
    ) -> None:
        self._js = js
        self._nc: NatsClient = js._nc  # nats-py keeps the connection there; we watch it
        self.hub = hub
        self._replicas = replicas
        self._claims_max_age = claims_max_age
        self._presence_max_age = presence_max_age
        self.presence_refresh = presence_refresh
        self.presence_stale = presence_stale
        self._offline_kept = offline_kept
        self._timeout = op_timeout
        self._listeners: list[Callable[[HubMessage], None]] = []
        self._claims: dict[AlertKey, _Cached[ClaimRecord]] = {}
        self._units: dict[str, _Cached[UnitRecord]] = {}
        self._presence: dict[str, _Cached[PresenceRecord]] = {}
        self._local: set[str] = set()  # stations this hub serves (presence refreshed here)
        self._kv: dict[str, KeyValue] = {}
        self._feeds: list[StreamFeed] = []
        self._task: asyncio.Task[None] | None = None
        self._started = False
        self._reconnects = 0

    # -- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Create or bind the buckets and streams, load the caches, follow the changes."""
        if self._started:
            return
        try:
            await self._setup()
        except (TimeoutError, nats.errors.Error, OSError) as exc:
            await self._close_feeds()
            raise SharedStateUnavailable(f"NATS injoignable : {exc or type(exc).__name__}") from exc
        self._reconnects = self._nc.stats["reconnects"]
        self._task = asyncio.create_task(self._maintain(), name=f"shared-{self.hub}")
        self._started = True
        log.info("état partagé prêt (hub %s, %d prises en charge)", self.hub, len(self._claims))

    async def _setup(self) -> None:
        for bucket, ttl, history in (
            (CLAIMS_BUCKET, self._claims_max_age, 1),
            (UNITS_BUCKET, self._claims_max_age, 1),
            (PRESENCE_BUCKET, self._presence_max_age, 1),
        ):
            self._kv[bucket] = await self._bucket(bucket, ttl, history)
        await self._stream(STATUS_STREAM, STATUS_SUBJECT, max_age=7 * DAY, dedup=DAY)
        await self._stream(ESCALATION_STREAM, ESCALATION_SUBJECT, max_age=DAY, dedup=3600.0)
        self._feeds = [
            StreamFeed(
                self._js,
                f"KV_{CLAIMS_BUCKET}",
                f"$KV.{CLAIMS_BUCKET}.>",
                self._on_claim_msg,
                initial="last_per_subject",
            ),
            StreamFeed(
                self._js,
                f"KV_{UNITS_BUCKET}",
                f"$KV.{UNITS_BUCKET}.>",
                self._on_unit_msg,
                initial="last_per_subject",
            ),
            StreamFeed(
                self._js,
                f"KV_{PRESENCE_BUCKET}",
                f"$KV.{PRESENCE_BUCKET}.>",
                self._on_presence_msg,
                initial="last_per_subject",
            ),
            StreamFeed(
                self._js,
                ESCALATION_STREAM,
                ESCALATION_SUBJECT,
                self._on_escalation_msg,
                initial="new",
            ),
        ]
        for feed in self._feeds:
            await asyncio.wait_for(feed.open(), self._timeout * 2)
        for feed in self._feeds:
            await asyncio.wait_for(feed.ready.wait(), self._timeout * 5)

    async def _bucket(self, name: str, ttl: float, history: int) -> KeyValue:
        try:
            return await self._js.create_key_value(
                bucket=name,
                history=history,
                ttl=ttl,
                replicas=self._replicas,
                storage=api.StorageType.FILE,
                direct=False,  # reads from the stream leader: compare-and-set on fresh values
            )
        except BadRequestError as exc:
            # an existing bucket made with other settings (another version): use it as is
            log.info("bucket %s existant gardé tel quel (%s)", name, exc.description)
            return await self._js.key_value(name)

    async def _stream(self, name: str, subject: str, *, max_age: float, dedup: float) -> None:
        config = api.StreamConfig(
            name=name,
            subjects=[subject],
            storage=api.StorageType.FILE,
            num_replicas=self._replicas,
            max_age=max_age,
            duplicate_window=dedup,
        )
        try:
            await self._js.add_stream(config)
        except BadRequestError as exc:
            log.info("flux %s existant gardé tel quel (%s)", name, exc.description)
            await self._js.stream_info(name)

    async def stop(self) -> None:
        """Stop following the changes (the shared state itself stays in NATS)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._close_feeds()
        self._started = False

    async def _close_feeds(self) -> None:
        for feed in self._feeds:
            await feed.close()
        self._feeds = []

    # -- listeners and caches ---------------------------------------------------------

    def listen(self, callback: Callable[[HubMessage], None]) -> None:
        """Call ``callback`` on the loop for every change made by any hub, in order per key.

        ``ClaimChanged``, ``UnitChanged``, ``PresenceChanged``, ``EscalationRaised``;
        an exception in a callback is logged, never raised into NATS.
        """
        self._listeners.append(callback)

    def _emit(self, message: HubMessage) -> None:
        for callback in list(self._listeners):
            try:
                callback(message)
            except Exception:
                log.exception("écouteur de l'état partagé en erreur sur %s", type(message).__name__)

    def claim_of(self, key: AlertKey) -> ClaimRecord | None:
        """The alert's holder as this hub last heard it (no I/O)."""
        cached = self._claims.get(key)
        return None if cached is None else cached.record

    def unit_of(self, unit: str) -> UnitRecord | None:
        cached = self._units.get(unit)
        return None if cached is None else cached.record

    def presence_of(self, station: str) -> PresenceRecord | None:
        cached = self._presence.get(station)
        return None if cached is None else cached.record

    def _observe_claim(self, revision: int, record: ClaimRecord, loading: bool = False) -> None:
        cached = self._claims.get(record.key)
        if cached is not None and cached.revision >= revision:
            return
        self._claims[record.key] = _Cached(revision, record, time.time())
        if not loading and (cached is None or cached.record != record):
            self._emit(ClaimChanged(record))

    def _observe_unit(self, revision: int, record: UnitRecord, loading: bool = False) -> None:
        cached = self._units.get(record.unit)
        if cached is not None and cached.revision >= revision:
            return
        self._units[record.unit] = _Cached(revision, record, time.time())
        if not loading and (cached is None or cached.record != record):
            self._emit(UnitChanged(record))

    def _observe_presence(
        self, revision: int, record: PresenceRecord, seen: float, loading: bool = False
    ) -> None:
        cached = self._presence.get(record.station)
        if cached is not None and cached.revision >= revision:
            return
        self._presence[record.station] = _Cached(revision, record, seen)
        if not loading and (cached is None or cached.record != record):
            self._emit(PresenceChanged(record))

    # -- feed handlers ----------------------------------------------------------------

    @staticmethod
    def _value(msg: Msg, prefix: str) -> tuple[str, dict[str, Any] | None]:
        """The key and the JSON object of a bucket message (None: deleted or expired)."""
        key = msg.subject[len(prefix) :]
        if header(msg, "KV-Operation") in ("DEL", "PURGE") or header(msg, "Nats-Marker-Reason"):
            return key, None
        obj = json.loads(msg.data)
        if not isinstance(obj, dict):
            raise ValidationError("objet JSON attendu")
        return key, obj

    def _on_claim_msg(self, msg: Msg, loading: bool) -> None:
        key, obj = self._value(msg, f"$KV.{CLAIMS_BUCKET}.")
        if obj is None:
            alert = _decode_claim_key(key)
            if alert is not None:
                self._claims.pop(alert, None)
            return
        self._observe_claim(msg.metadata.sequence.stream, ClaimRecord.from_obj(obj), loading)

    def _on_unit_msg(self, msg: Msg, loading: bool) -> None:
        key, obj = self._value(msg, f"$KV.{UNITS_BUCKET}.")
        if obj is None:
            self._units.pop(_decode_name(key), None)
            return
        self._observe_unit(msg.metadata.sequence.stream, UnitRecord.from_obj(obj), loading)

    def _on_presence_msg(self, msg: Msg, loading: bool) -> None:
        key, obj = self._value(msg, f"$KV.{PRESENCE_BUCKET}.")
        if obj is None:
            self._presence.pop(_decode_name(key), None)
            return
        seen = msg.metadata.timestamp.timestamp()
        record = PresenceRecord.from_obj(obj)
        self._observe_presence(msg.metadata.sequence.stream, record, seen, loading)

    def _on_escalation_msg(self, msg: Msg, loading: bool) -> None:
        obj = json.loads(msg.data)
        if not isinstance(obj, dict):
            raise ValidationError("objet JSON attendu")
        self._emit(EscalationRaised(Escalation.from_obj(obj)))

    # -- I/O with a deadline ----------------------------------------------------------

    async def _io(self, make: Callable[[], Awaitable[_T]]) -> _T:
        """Run one NATS request; :class:`SharedStateUnavailable` when NATS cannot answer."""
        if not self._nc.is_connected:
            raise SharedStateUnavailable("NATS injoignable")
        try:
            return await asyncio.wait_for(make(), self._timeout)
        except (KeyWrongLastSequenceError, KeyNotFoundError):
            raise
        except (TimeoutError, nats.errors.Error, OSError) as exc:
            raise SharedStateUnavailable(
                f"NATS ne répond pas : {exc or type(exc).__name__}"
            ) from exc

    async def _read(self, bucket: str, key: str) -> tuple[int, dict[str, Any]] | None:
        kv = self._kv[bucket]
        try:
            entry = await self._io(lambda: kv.get(key))
        except KeyNotFoundError:
            return None
        obj = json.loads(entry.value or b"null")
        if not isinstance(obj, dict):
            raise ValidationError(f"{bucket}/{key} : objet JSON attendu")
        return entry.revision or 0, obj

    async def _cas(self, bucket: str, key: str, value: bytes, revision: int) -> int | None:
        """Write when the entry is still at ``revision`` (0: absent); None when it moved."""
        kv = self._kv[bucket]
        try:
            if revision == 0:
                return await self._io(lambda: kv.create(key, value))
            return await self._io(lambda: kv.update(key, value, last=revision))
        except KeyWrongLastSequenceError:
            return None

    # -- claims -------------------------------------------------------------------------

    async def apply_status(self, req: StatusRequest) -> StatusResult:
        """Decide a station's ``status`` on the stored claim and write it (compare-and-set)."""
        key = claim_key(req.source, req.id)
        for _ in range(MAX_ATTEMPTS):
            entry = await self._read(CLAIMS_BUCKET, key)
            current: ClaimRecord | None = None
            applied: tuple[str, ...] = ()
            revision = 0
            if entry is not None:
                revision, obj = entry
                current = ClaimRecord.from_obj(obj)
                applied = applied_ids(obj)
                self._observe_claim(revision, current)
            decision = decide_status(current, applied, req)
            if decision.write is None:
                if decision.again and current is not None and current.sid == decision.sid:
                    # the answer may have been lost after the write: make sure it went up
                    await self._publish_status(current)
                return StatusResult(req.sid, decision.applied, decision.claim, decision.message)
            value = dump_claim(decision.write, (*applied, decision.sid))
            new_revision = await self._cas(CLAIMS_BUCKET, key, value, revision)
            if new_revision is None:
                continue  # another hub wrote first: decide again on its claim
            self._observe_claim(new_revision, decision.write)
            await self._publish_status(decision.write)
            return StatusResult(req.sid, True, decision.write, "")
        raise SharedStateUnavailable(f"prise en charge de {req.source}/{req.id} trop disputée")

    async def _publish_status(self, claim: ClaimRecord) -> None:
        payload = json.dumps(claim.to_obj(), ensure_ascii=False, separators=(",", ":"))
        await self._io(
            lambda: self._js.publish(
                STATUS_SUBJECT,
                payload.encode("utf-8"),
                stream=STATUS_STREAM,
                headers={"Nats-Msg-Id": claim.sid},
            )
        )

    # -- units --------------------------------------------------------------------------

    async def apply_unit(self, req: UnitRequest) -> UnitResult:
        """Change a unit's shared status; engaging it twice needs ``confirm``."""
        key = name_key(req.record.unit)
        for _ in range(MAX_ATTEMPTS):
            entry = await self._read(UNITS_BUCKET, key)
            current: UnitRecord | None = None
            applied: tuple[str, ...] = ()
            revision = 0
            if entry is not None:
                revision, obj = entry
                current = UnitRecord.from_obj(obj)
                applied = applied_ids(obj)
                self._observe_unit(revision, current)
            decision = decide_unit(current, applied, req)
            if decision.write is None:
                return UnitResult(req.uid, decision.applied, decision.unit, decision.message)
            value = dump_unit(decision.write, (*applied, req.uid))
            new_revision = await self._cas(UNITS_BUCKET, key, value, revision)
            if new_revision is None:
                continue
            self._observe_unit(new_revision, decision.write)
            return UnitResult(req.uid, True, decision.write, "")
        raise SharedStateUnavailable(f"unité {req.record.unit} trop disputée")

    # -- presence -----------------------------------------------------------------------

    async def set_presence(
        self, station: str, report: PresenceReport | None, *, online: bool
    ) -> None:
        """Who is at ``station`` (``report``), and whether it is connected to this hub.

        Offline (the station's connection ended) keeps the operator, role and time as
        « last seen »; it is not written when the station is already online at
        another hub (it moved there first).
        """
        key = name_key(station)
        now = _now()
        for _ in range(MAX_ATTEMPTS):
            entry = await self._read(PRESENCE_BUCKET, key)
            previous = None if entry is None else PresenceRecord.from_obj(entry[1])
            revision = 0 if entry is None else entry[0]
            if not online and previous is not None and previous.online and previous.hub != self.hub:
                self._local.discard(station)
                return
            if report is not None:
                record = PresenceRecord(
                    station, report.operator, report.role, now, report.viewing, online, self.hub
                )
            elif previous is not None:
                record = replace(previous, at=now, online=online, hub=self.hub)
            else:
                record = PresenceRecord(station, "", "", now, None, online, self.hub)
            value = json.dumps(record.to_obj(), ensure_ascii=False, separators=(",", ":"))
            new_revision = await self._cas(PRESENCE_BUCKET, key, value.encode("utf-8"), revision)
            if new_revision is None:
                continue
            if online:
                self._local.add(station)
            else:
                self._local.discard(station)
            self._observe_presence(new_revision, record, time.time())
            return
        raise SharedStateUnavailable(f"présence de {station} trop disputée")

    async def refresh(self) -> None:
        """Keep this hub's stations alive, and set offline those whose hub went silent.

        Called by the hub's own task every ``presence_refresh`` seconds (public for
        tests and for a hub that wants to do it itself). A station's entry written by
        this hub is rewritten unchanged (same record: no change is told); an online
        entry older than ``presence_stale`` seconds is set offline, by one hub only
        (compare-and-set).
        """
        now = time.time()
        for station in list(self._local):
            cached = self._presence.get(station)
            if cached is None or not cached.record.online or cached.record.hub != self.hub:
                self._local.discard(station)
                continue
            value = json.dumps(cached.record.to_obj(), ensure_ascii=False, separators=(",", ":"))
            revision = await self._cas(
                PRESENCE_BUCKET, name_key(station), value.encode("utf-8"), cached.revision
            )
            if revision is not None:
                self._presence[station] = _Cached(revision, cached.record, now)
        for station, cached in list(self._presence.items()):
            if not cached.record.online or now - cached.seen <= self.presence_stale:
                continue
            last_seen = datetime.fromtimestamp(cached.seen, UTC)
            record = replace(cached.record, online=False, at=last_seen)
            value = json.dumps(record.to_obj(), ensure_ascii=False, separators=(",", ":"))
            revision = await self._cas(
                PRESENCE_BUCKET, name_key(station), value.encode("utf-8"), cached.revision
            )
            if revision is not None:
                log.info(
                    "poste %s sans nouvelles de son hub %s depuis %.0f s : hors ligne",
                    station,
                    cached.record.hub,
                    now - cached.seen,
                )
                self._observe_presence(revision, record, now)

    # -- escalation ---------------------------------------------------------------------

    async def escalate(self, e: Escalation) -> None:
        """Publish an escalation once (``eid`` deduplicated); every hub tells its stations."""
        await self._io(
            lambda: self._js.publish(
                ESCALATION_SUBJECT,
                e.to_json().encode("utf-8"),
                stream=ESCALATION_STREAM,
                headers={"Nats-Msg-Id": e.eid},
            )
        )

    # -- snapshot -----------------------------------------------------------------------

    async def snapshot(self) -> Sync:
        """The shared state as it stands now, for a station's ``sync``.

        Waits (briefly) until this hub's caches hold every change already stored, so
        a station never gets a state older than the moment it asked. Claims of alerts
        not new, every unit, stations online and those offline for less than
        ``offline_kept`` seconds.
        """
        for feed in self._feeds[:3]:
            info = await self._io(lambda f=feed: self._js.stream_info(f.stream))  # type: ignore[misc]
            target = info.state.last_seq
            if info.state.messages and not await feed.wait_caught_up(target, self._timeout):
                log.info("%s : cache en retard (%s < %s)", feed.stream, feed.last_seq, target)
        horizon = _now() - timedelta(seconds=self._offline_kept)
        return Sync(
            claims=tuple(c.record for c in self._claims.values() if c.record.state.value != "new"),
            units=tuple(u.record for u in self._units.values()),
            presence=tuple(
                p.record
                for p in self._presence.values()
                if p.record.online or p.record.at >= horizon
            ),
        )

    # -- upkeep -------------------------------------------------------------------------

    async def _maintain(self, tick: float = 0.2, probe_every: float = 2.0) -> None:
        """Resume the feeds after NATS comes back; refresh presence."""
        loop = asyncio.get_running_loop()
        next_probe = loop.time() + probe_every
        next_refresh = loop.time() + self.presence_refresh
        while True:
            await asyncio.sleep(tick)
            if not self._nc.is_connected:
                continue
            reconnects = self._nc.stats["reconnects"]
            if reconnects != self._reconnects:
                self._reconnects = reconnects
                log.info("NATS revenu : reprise du suivi de l'état partagé")
                for feed in self._feeds:
                    feed.broken = True
            probe = loop.time() >= next_probe
            if probe:
                next_probe = loop.time() + probe_every
            for feed in self._feeds:
                if feed.broken or probe:
                    try:
                        await asyncio.wait_for(feed.check(), self._timeout)
                    except (TimeoutError, nats.errors.Error, OSError) as exc:
                        # NATS still away: try again at the next tick
                        feed.broken = True
                        log.info("%s : suivi pas encore repris (%s)", feed.stream, exc)
            if loop.time() >= next_refresh:
                next_refresh = loop.time() + self.presence_refresh
                try:
                    await self.refresh()
                except SharedStateUnavailable as exc:
                    log.info("présence non rafraîchie : %s", exc)
                except Exception:
                    log.exception("rafraîchissement de la présence en erreur")


def _now() -> datetime:
    return datetime.now(UTC)


def _decode_name(key: str) -> str:
    try:
        return base64.urlsafe_b64decode(key.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError):
        return key


def _decode_claim_key(key: str) -> AlertKey | None:
    source, sep, alert_id = key.partition(".")
    if not sep:
        return None
    return _decode_name(source), _decode_name(alert_id)
