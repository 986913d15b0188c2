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
  what (:mod:`csu_console.hub.presence`).
- ``CSU_ESCALATIONS`` (stream, deduplicated by ``eid``): escalations, delivered to
  every hub from the moment it starts.

Each hub follows the three buckets (:class:`~csu_console.hub.feed.StreamFeed`) into
its :class:`~csu_console.hub.mirror.SharedMirror`, so :meth:`SharedState.claim_of`
answers without I/O, and tells its listeners of every change, whichever hub made it,
in order per key. When NATS is unreachable every method raises
:class:`SharedStateUnavailable` within ``op_timeout`` seconds; the feeds resume from
where they were once it is back (a reconnection is noticed within 0.2 s, a lost
consumer within 2 s).

Retention: a claim or a unit entry is kept ``claims_max_age`` seconds after its
last change (default 30 days: give it the alerts' retention, so that a ``sync``
holds the claims of the alerts the stations may still have), presence entries
``presence_max_age`` (7 days), escalations 1 day, ``CSU_STATUS`` 7 days. Status and
escalation ids are deduplicated for 1 day and 1 hour.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from nats.js.kv import KeyValue

from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import (
    AlertKey,
    ClaimRecord,
    Escalation,
    GroupRequest,
    GroupResult,
    HubMessage,
    PresenceRecord,
    PresenceReport,
    StatusRequest,
    StatusResult,
    Sync,
    UnitRecord,
    UnitRequest,
    UnitResult,
)
from csu_console.hub import presence
from csu_console.hub.auto_groups import AutoGroups
from csu_console.hub.feed import StreamFeed
from csu_console.hub.groups import GROUPS_STREAM, GROUPS_SUBJECT, HubGroups
from csu_console.hub.jetstream import ALERTS_STREAM, ALERTS_SUBJECT
from csu_console.hub.mirror import CLAIMS_BUCKET, PRESENCE_BUCKET, UNITS_BUCKET, SharedMirror
from csu_console.hub.presence_keeper import PresenceKeeper
from csu_console.hub.rules import (
    applied_ids,
    claim_key,
    decide_status,
    decide_unit,
    dump_claim,
    dump_unit,
    name_key,
)
from csu_console.hub.shared_io import (
    DAY,
    ESCALATION_STREAM,
    ESCALATION_SUBJECT,
    NATS_DOWN,
    STATUS_STREAM,
    STATUS_SUBJECT,
    SharedIO,
    SharedStateUnavailable,
    parse_or_none,
)

__all__ = [
    "CLAIMS_BUCKET",
    "ESCALATION_STREAM",
    "ESCALATION_SUBJECT",
    "PRESENCE_BUCKET",
    "STATUS_STREAM",
    "STATUS_SUBJECT",
    "UNITS_BUCKET",
    "SharedState",
    "SharedStateUnavailable",
]

log = logging.getLogger("csu.hub.shared")

#: Compare-and-set attempts before giving up (each loss means another hub wrote).
MAX_ATTEMPTS = 16

_T = TypeVar("_T")


class SharedState:
    """The shared state of one CSU, as seen and changed by one hub process.

    ``replicas``: the buckets' and streams' replication (3 on a three-node cluster).
    ``presence_refresh`` / ``presence_stale``: this hub rewrites the presence of its
    stations every so many seconds, and any hub sets offline an entry not rewritten
    for ``presence_stale`` seconds (its hub died). ``offline_kept``: how long a
    station gone offline stays in a ``sync`` (« vu pour la dernière fois »).
    """

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
        group_radius_m: float = 150.0,
        group_window: timedelta = timedelta(minutes=15),
    ) -> None:
        self._js = js
        self._jsx = SharedIO(js, op_timeout)
        self._nc = self._jsx.nc
        self.hub = hub
        self._replicas = replicas
        self._claims_max_age = claims_max_age
        self._presence_max_age = presence_max_age
        self.presence_refresh = presence_refresh
        self.presence_stale = presence_stale
        self._offline_kept = offline_kept
        self._timeout = op_timeout
        self._mirror = SharedMirror()
        self.groups = HubGroups(self._jsx, self._mirror.emit)  # § 9.9
        self.auto_groups = AutoGroups(self.groups, hub, group_radius_m, group_window)
        self._keeper = PresenceKeeper(
            self._jsx, lambda: self._kv[PRESENCE_BUCKET], self._mirror, hub, presence_stale
        )
        self._kv: dict[str, KeyValue] = {}
        self._feeds: list[StreamFeed] = []
        self._task: asyncio.Task[None] | None = None
        self._started = False
        self._stopping = False
        self._reconnects = 0

    # -- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Create or bind the buckets and streams, load the caches, follow the changes.

        Idempotent, and safe with several hubs starting at once (JetStream creates a
        stream once and accepts the same definition again).
        """
        if self._started:
            return
        if not self._nc.is_connected:
            raise SharedStateUnavailable("NATS injoignable")
        try:
            async with asyncio.timeout(5 * self._timeout):
                await self._setup()
        except NATS_DOWN as exc:
            await self._close_feeds()
            raise SharedStateUnavailable(f"NATS injoignable : {exc or type(exc).__name__}") from exc
        self._reconnects = self._nc.stats["reconnects"]
        self._stopping = False
        self._task = asyncio.create_task(self._maintain(), name=f"shared-{self.hub}")
        self._started = True
        log.info(
            "état partagé prêt (hub %s : %d prises en charge, %d unités, %d postes)",
            self.hub,
            len(self._mirror.claims),
            len(self._mirror.units),
            len(self._mirror.presence),
        )

    async def _setup(self) -> None:
        await self._ensure_objects()
        self._feeds = self._make_feeds()
        for feed in self._feeds:
            await feed.open()
        for feed in self._feeds:
            await feed.ready.wait()
        # The automatic groups once the stored changes are known (§ 9.9).
        auto = StreamFeed(
            self._js,
            ALERTS_STREAM,
            f"{ALERTS_SUBJECT}.>",
            self.auto_groups.on_msg,
            initial="since",
            since=self.auto_groups.since,
        )
        try:
            await auto.open()
        except NotFoundError:  # a shared state without the hub's streams (tools, tests)
            log.info("pas de flux %s : groupes automatiques non décidés ici", ALERTS_STREAM)
            return
        self._feeds.append(auto)
        self.auto_groups.start()

    async def _ensure_objects(self) -> None:
        """Create (or bind) the three buckets and the two streams."""
        self._kv = await self._jsx.ensure_objects(
            self._replicas, self._claims_max_age, self._presence_max_age
        )
        await self.groups.ensure(self._replicas, self._claims_max_age)

    def _make_feeds(self) -> list[StreamFeed]:
        mirror = self._mirror

        def bucket_feed(bucket: str, handler: Callable[[Any, bool], None]) -> StreamFeed:
            return StreamFeed(
                self._js,
                f"KV_{bucket}",
                f"$KV.{bucket}.>",
                handler,
                initial="last_per_subject",
                on_reset=lambda: mirror.forget(bucket),
            )

        return [
            bucket_feed(CLAIMS_BUCKET, mirror.on_claim_msg),
            bucket_feed(UNITS_BUCKET, mirror.on_unit_msg),
            bucket_feed(PRESENCE_BUCKET, mirror.on_presence_msg),
            StreamFeed(
                self._js,
                GROUPS_STREAM,
                GROUPS_SUBJECT,
                self.groups.on_msg,
                initial="all",
                on_reset=self.groups.forget,
            ),
            StreamFeed(
                self._js,
                ESCALATION_STREAM,
                ESCALATION_SUBJECT,
                mirror.on_escalation_msg,
                initial="new",
            ),
        ]

    async def stop(self, *, offline: bool = True) -> None:
        """Stop following the changes; with ``offline``, say this hub's stations left.

        The shared state itself stays in NATS. Setting the stations offline is best
        effort (NATS may be down): otherwise the other hubs do it after
        ``presence_stale`` seconds.
        """
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True  # a cancellation lost in a wait_for (3.11) still ends it
            task.cancel()
            await asyncio.wait([task], timeout=self._timeout)
        if offline:
            for station in self._keeper.online_stations():
                try:
                    await self.set_presence(station, None, online=False)
                except SharedStateUnavailable as exc:
                    log.info("postes de %s non marqués hors ligne : %s", self.hub, exc)
                    break  # NATS away: the other hubs will see them go stale
        await self.auto_groups.stop()
        await self._close_feeds()
        self._started = False

    async def _close_feeds(self) -> None:
        for feed in self._feeds:
            await feed.close()
        self._feeds = []

    @property
    def healthy(self) -> bool:
        """NATS connected and every feed following (False while resuming after an outage)."""
        return self._nc.is_connected and not any(feed.broken for feed in self._feeds)

    # -- listeners and caches (no I/O) ------------------------------------------------

    def listen(self, callback: Callable[[HubMessage], None]) -> None:
        """Call ``callback`` on the loop for every change made by any hub, in order per key.

        ``ClaimChanged``, ``UnitChanged``, ``PresenceChanged``, ``EscalationRaised``;
        each change once per hub (never the initial values, never a rewrite of the
        same record). An exception in a callback is logged, never raised into NATS.
        """
        self._mirror.listen(callback)

    def claim_of(self, key: AlertKey) -> ClaimRecord | None:
        """The alert's holder as this hub last heard it (no I/O)."""
        cached = self._mirror.claims.get(key)
        return None if cached is None else cached.record

    def unit_of(self, unit: str) -> UnitRecord | None:
        cached = self._mirror.units.get(unit)
        return None if cached is None else cached.record

    def presence_of(self, station: str) -> PresenceRecord | None:
        cached = self._mirror.presence.get(station)
        return None if cached is None else cached.record

    # -- claims -------------------------------------------------------------------------

    async def apply_status(self, req: StatusRequest) -> StatusResult:
        """Decide a station's ``status`` on the stored claim and write it (compare-and-set)."""
        key = claim_key(req.source, req.id)
        for _ in range(MAX_ATTEMPTS):
            revision, obj = await self._jsx.read(self._kv[CLAIMS_BUCKET], key)
            current = None if obj is None else parse_or_none(ClaimRecord.from_obj, obj)
            applied = () if obj is None else applied_ids(obj)
            if current is not None:
                self._mirror.observe_claim(revision, current)
            decision = decide_status(current, applied, req)
            if decision.write is None:
                if decision.again and current is not None and current.sid == decision.sid:
                    # the answer may have been lost after the write: make sure it went up
                    await self._publish_status(current)
                return StatusResult(req.sid, decision.applied, decision.claim, decision.message)
            value = dump_claim(decision.write, (*applied, decision.sid))
            new_revision = await self._jsx.cas(self._kv[CLAIMS_BUCKET], key, value, revision)
            if new_revision is None:
                continue  # another hub wrote first: decide again on its claim
            self._mirror.observe_claim(new_revision, decision.write)
            await self._publish_status(decision.write)
            return StatusResult(req.sid, True, decision.write, "")
        raise SharedStateUnavailable(f"prise en charge de {req.source}/{req.id} trop disputée")

    async def _publish_status(self, claim: ClaimRecord) -> None:
        payload = json.dumps(claim.to_obj(), ensure_ascii=False, separators=(",", ":"))
        await self._jsx.publish(STATUS_SUBJECT, STATUS_STREAM, payload.encode("utf-8"), claim.sid)

    # -- units --------------------------------------------------------------------------

    async def apply_unit(self, req: UnitRequest) -> UnitResult:
        """Change a unit's shared status; engaging it twice needs ``confirm``."""
        key = name_key(req.record.unit)
        for _ in range(MAX_ATTEMPTS):
            revision, obj = await self._jsx.read(self._kv[UNITS_BUCKET], key)
            current = None if obj is None else parse_or_none(UnitRecord.from_obj, obj)
            applied = () if obj is None else applied_ids(obj)
            if current is not None:
                self._mirror.observe_unit(revision, current)
            decision = decide_unit(current, applied, req)
            if decision.write is None:
                return UnitResult(req.uid, decision.applied, decision.unit, decision.message)
            value = dump_unit(decision.write, (*applied, req.uid))
            new_revision = await self._jsx.cas(self._kv[UNITS_BUCKET], key, value, revision)
            if new_revision is None:
                continue
            self._mirror.observe_unit(new_revision, decision.write)
            return UnitResult(req.uid, True, decision.write, "")
        raise SharedStateUnavailable(f"unité {req.record.unit} trop disputée")

    # -- presence -----------------------------------------------------------------------

    async def set_presence(
        self, station: str, report: PresenceReport | None, *, online: bool
    ) -> None:
        """Who is at ``station`` (``report``), and whether it is connected to this hub.

        ``report`` None keeps the operator, role and viewed alert last known (a
        disconnection: « vu pour la dernière fois »). Offline is not written when the
        station is online at another hub (it moved there first). What this hub said
        is remembered first: if NATS is away, :meth:`refresh` writes it once back.
        """
        await self._keeper.set(station, report, online=online)

    async def refresh(self) -> None:
        """Keep this hub's stations alive, and set offline those whose hub went silent.

        Run by this object's own task every ``presence_refresh`` seconds (the hub
        need not call it; public for tests). See
        :class:`~csu_console.hub.presence_keeper.PresenceKeeper`.
        """
        await self._keeper.refresh()

    # -- escalation ---------------------------------------------------------------------

    async def escalate(self, e: Escalation) -> None:
        """Publish an escalation once (``eid`` deduplicated); every hub tells its stations."""
        await self._jsx.publish(
            ESCALATION_SUBJECT, ESCALATION_STREAM, e.to_json().encode("utf-8"), e.eid
        )

    # -- groups -------------------------------------------------------------------------

    async def apply_group(self, req: GroupRequest) -> GroupResult:
        """Store a station's merge or split once (by id); every hub tells its stations."""
        return await self.groups.apply(req.change)

    # -- snapshot -----------------------------------------------------------------------

    async def snapshot(self, *, claims_since: datetime | None = None) -> Sync:
        """The shared state as it stands now, for a station's ``sync``.

        Waits (at most ``op_timeout``) until this hub's copy holds every change
        already stored, so a station never gets a state older than its request.
        Claims (never of a new alert; with ``claims_since``, only those changed since
        then: a big CSU's 30 days of claims weigh some 250 bytes each), every unit, the
        stations online and those offline for less than ``offline_kept`` seconds.
        """
        for feed in self._feeds[:4]:  # the three buckets and the groups
            target, messages = await self._jsx.last_seq(feed.stream)
            if messages and not await feed.wait_caught_up(target, self._timeout):
                log.info("%s : copie en retard (%s < %s)", feed.stream, feed.last_seq, target)
        horizon = _now() - timedelta(seconds=self._offline_kept)
        mirror = self._mirror
        return Sync(
            claims=tuple(
                c.record
                for c in mirror.claims.values()
                if c.record.state is not AlertState.NEW
                and (claims_since is None or c.record.at >= claims_since)
            ),
            units=tuple(u.record for u in mirror.units.values()),
            presence=tuple(
                record
                for record in presence.as_seen(mirror.presence, time.time(), self.presence_stale)
                if record.online or record.at >= horizon
            ),
            groups=tuple(self.groups.changes),
        )

    # -- upkeep -------------------------------------------------------------------------

    async def _maintain(self, tick: float = 0.2, probe_every: float = 2.0) -> None:
        """Resume the feeds after NATS comes back; refresh presence; forget expired entries."""
        loop = asyncio.get_running_loop()
        next_probe = loop.time() + probe_every
        next_refresh = loop.time() + self.presence_refresh
        while not self._stopping:
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
                        async with asyncio.timeout(self._timeout):
                            await feed.check()
                    except NotFoundError:
                        # NATS came back without its storage: make the buckets again
                        feed.broken = True
                        log.error("%s disparu de NATS : buckets et flux recréés", feed.stream)
                        with contextlib.suppress(*NATS_DOWN):
                            async with asyncio.timeout(self._timeout):
                                await self._ensure_objects()
                    except NATS_DOWN as exc:
                        # NATS still away: try again at the next tick
                        feed.broken = True
                        log.info("%s : suivi pas encore repris (%s)", feed.stream, exc)
            if loop.time() >= next_refresh:
                next_refresh = loop.time() + self.presence_refresh
                self._mirror.prune(time.time() - self._claims_max_age)
                try:
                    await self.refresh()
                except SharedStateUnavailable as exc:
                    log.info("présence non rafraîchie : %s", exc)


def _now() -> datetime:
    return datetime.now(UTC)
