"""One hub's side of the presence bucket: its stations' entries, and the stale ones.

A hub answers for the stations connected to it. It remembers what it last said of
each (:class:`~csu_console.hub.presence.Wanted`) before writing it, so that what
could not be written while NATS was away is written by the next :meth:`refresh`;
the refresh also rewrites each entry unchanged (a keep-alive) and sets offline the
online entries nobody rewrote for ``stale_after`` seconds (their hub died). Writes
are compare-and-set: with several hubs, one of them sets a stale entry offline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from nats.js.kv import KeyValue

from csu_console.core.hub_protocol import PresenceRecord, PresenceReport
from csu_console.hub import presence
from csu_console.hub.mirror import SharedMirror
from csu_console.hub.rules import name_key
from csu_console.hub.shared_io import SharedIO, SharedStateUnavailable, parse_or_none

log = logging.getLogger("csu.hub.shared")

#: Compare-and-set attempts before giving up (each loss means another hub wrote).
MAX_ATTEMPTS = 16


class PresenceKeeper:
    """Writes the presence of the stations one hub serves; sets stale ones offline."""

    def __init__(
        self,
        io: SharedIO,
        bucket: Callable[[], KeyValue],
        mirror: SharedMirror,
        hub: str,
        stale_after: float,
    ) -> None:
        self._io = io
        self._bucket = bucket
        self._mirror = mirror
        self._hub = hub
        self.stale_after = stale_after
        # the stations this hub answers for (connected here, or owed an « offline »)
        self._wanted: dict[str, presence.Wanted] = {}

    def online_stations(self) -> list[str]:
        return [station for station, w in self._wanted.items() if w.online]

    async def set(self, station: str, report: PresenceReport | None, *, online: bool) -> None:
        previous_wish = self._wanted.get(station)
        if report is None and online and previous_wish is not None:
            report = previous_wish.report
        wanted = presence.Wanted(online, report)
        self._wanted[station] = wanted  # before any I/O: see refresh()
        key = name_key(station)
        for _ in range(MAX_ATTEMPTS):
            revision, obj = await self._io.read(self._bucket(), key)
            previous = None if obj is None else parse_or_none(PresenceRecord.from_obj, obj)
            record = presence.next_record(
                previous, station, report, online=online, hub=self._hub, now=_now()
            )
            if record is None:  # online elsewhere
                self._forget(station, wanted)
                return
            new_revision = await self._io.cas(self._bucket(), key, presence.dump(record), revision)
            if new_revision is None:
                continue
            if not online:
                self._forget(station, wanted)
            self._mirror.observe_presence(new_revision, record)
            return
        raise SharedStateUnavailable(f"présence de {station} trop disputée")

    async def refresh(self) -> None:
        """Write what this hub owes, keep its stations alive, set stale entries offline."""
        now = time.time()
        for station, wanted in list(self._wanted.items()):
            cached = self._mirror.presence.get(station)
            record, keep = presence.enforce(
                None if cached is None else cached.record, station, wanted, self._hub, _now()
            )
            if record is None:
                if not keep:
                    self._forget(station, wanted)
                continue
            if cached is None or record != cached.record:
                log.info("présence de %s rétablie : %s", station, record.to_obj())
            revision = await self._io.cas(
                self._bucket(),
                name_key(station),
                presence.dump(record),
                0 if cached is None else cached.revision,
            )
            if revision is not None:
                self._mirror.observe_presence(revision, record, now)
                if not keep:
                    self._forget(station, wanted)
        for station, cached in presence.stale(self._mirror.presence, now, self.stale_after):
            record = presence.gone(cached.record, cached.seen)
            revision = await self._io.cas(
                self._bucket(), name_key(station), presence.dump(record), cached.revision
            )
            if revision is not None:
                log.info(
                    "poste %s sans nouvelles de son hub %s depuis %.0f s : hors ligne",
                    station,
                    cached.record.hub,
                    now - cached.seen,
                )
                self._mirror.observe_presence(revision, record, now)

    def _forget(self, station: str, wanted: presence.Wanted) -> None:
        if self._wanted.get(station) is wanted:  # not replaced meanwhile by a newer one
            del self._wanted[station]


def _now() -> datetime:
    return datetime.now(UTC)
