"""Presence rules: who is at each station, and when a station counts as gone.

A station's entry is written by the hub it is connected to: at login, logout and
when the viewed alert changes (online), and when the connection ends (offline,
keeping the operator and role: « vu pour la dernière fois »). That hub rewrites it
unchanged every few seconds; an online entry nobody rewrote for a while belongs to
a hub that died, and any hub sets it offline. Pure functions, no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from csu_console.core.hub_protocol import PresenceRecord, PresenceReport
from csu_console.hub.mirror import Cached


def next_record(
    previous: PresenceRecord | None,
    station: str,
    report: PresenceReport | None,
    *,
    online: bool,
    hub: str,
    now: datetime,
) -> PresenceRecord | None:
    """The entry to write, or None when the station is online at another hub.

    A connection ending at this hub must not hide the station from the hub it moved
    to: offline is written only over an entry of this hub, or one already offline.
    """
    if not online and previous is not None and previous.online and previous.hub != hub:
        return None
    if report is not None:
        return PresenceRecord(
            station, report.operator, report.role, now, report.viewing, online, hub
        )
    if previous is not None:
        return replace(previous, at=now, online=online, hub=hub)
    return PresenceRecord(station, "", "", now, None, online, hub)


def stale(
    entries: Mapping[str, Cached[PresenceRecord]], now: float, after: float
) -> Iterator[tuple[str, Cached[PresenceRecord]]]:
    """The online entries not rewritten for more than ``after`` seconds."""
    for station, cached in list(entries.items()):
        if cached.record.online and now - cached.seen > after:
            yield station, cached


@dataclass(frozen=True)
class Wanted:
    """What a hub last said of a station it serves: connected or not, and its report."""

    online: bool
    report: PresenceReport | None = None


def enforce(
    cached: PresenceRecord | None, station: str, wanted: Wanted, hub: str, now: datetime
) -> tuple[PresenceRecord | None, bool]:
    """The entry a hub (re)writes for a station it answers for, and whether it still does.

    Online: rewritten unchanged when it says what the hub wants (a keep-alive), else
    written again (another hub set it offline while this one could not reach NATS, or
    the last report could not be written). Offline: written once, if still online here.
    A station online at another hub has moved: nothing to write, no longer ours.
    """
    if cached is not None and cached.online and cached.hub != hub:
        return None, False
    if not wanted.online:
        if cached is None or not cached.online:
            return None, False
        return next_record(cached, station, None, online=False, hub=hub, now=now), False
    report = wanted.report
    if (
        cached is not None
        and cached.online
        and (
            report is None
            or (cached.operator, cached.role, cached.viewing)
            == (report.operator, report.role, report.viewing)
        )
    ):
        return cached, True
    return next_record(cached, station, report, online=True, hub=hub, now=now), True


def as_seen(
    entries: Mapping[str, Cached[PresenceRecord]], now: float, after: float
) -> Iterator[PresenceRecord]:
    """Every entry, the stale online ones shown offline (before any hub writes it)."""
    for cached in list(entries.values()):
        if cached.record.online and now - cached.seen > after:
            yield gone(cached.record, cached.seen)
        else:
            yield cached.record


def gone(record: PresenceRecord, last_seen: float) -> PresenceRecord:
    """The entry of a station whose hub went silent: offline, last seen then."""
    return replace(record, online=False, at=datetime.fromtimestamp(last_seen, UTC))


def dump(record: PresenceRecord) -> bytes:
    return json.dumps(record.to_obj(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
