"""The hub's retention, enforced every hour on the streams carrying citizen data.

``CSU_ALERTS`` (every alert frame, citizen reports' titles, places and pseudonyms
included) and ``CSU_REJECTED`` (raw refused frames, which may hold the same) are
created with ``max_age = alerts_days``; a stream created by an older hub, or a
``citizen_days`` shorter than ``alerts_days``, still needs the hub to act. Each
hour (and at start) :func:`enforce_retention` purges, from each stream, the
messages older than the shorter of the two periods, and logs what it purged.

``CSU_EVENTS`` (every station's events, personal details in clear with their
salt, for the other stations and the central collector) is purged the same way
after ``[retention] events_days`` (``citizen_days`` when absent; never longer
than ``alerts_days``, its ``max_age``): the stations' ``peer_events`` and the
central PostgreSQL keep their own copy, sealed by their own purge; a station or
a collector away for longer than that misses what went (a gap its chain check names).

Messages of a stream are in time order by sequence: the first one to keep is
found by a binary search on sequences (a few dozen requests for millions of
messages), then everything before it goes with one purge request.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import nats.errors
import nats.js.errors
from nats.js import JetStreamContext

from csu_console.hub.book import EVENTS_STREAM
from csu_console.hub.jetstream import ALERTS_STREAM, REJECTED_STREAM
from csu_console.hub.tasks import raise_if_cancelled

log = logging.getLogger("csu.hub.nats")

#: How often the hub applies its retention.
PURGE_INTERVAL_S = 3600.0
#: The streams holding citizens' data.
CITIZEN_STREAMS = (ALERTS_STREAM, REJECTED_STREAM)


async def _time_at(js: JetStreamContext, stream: str, seq: int) -> tuple[int, datetime] | None:
    """The first message at or after ``seq``: its sequence and time (None: none left)."""
    try:
        msg = await js.get_msg(stream, seq=seq, subject=">", next=True)
    except nats.js.errors.NotFoundError:
        return None
    if msg.seq is None or msg.time is None:
        return None
    at = msg.time if msg.time.tzinfo else msg.time.replace(tzinfo=UTC)
    return msg.seq, at


async def purge_before(js: JetStreamContext, stream: str, cutoff: datetime) -> int:
    """Purge the messages of ``stream`` stored before ``cutoff``; how many went."""
    info = await js.stream_info(stream)
    state = info.state
    if not state.messages:
        return 0
    lo, hi = state.first_seq, state.last_seq + 1  # the first seq to keep is in [lo, hi]
    while lo < hi:
        mid = (lo + hi) // 2
        found = await _time_at(js, stream, mid)
        if found is None or found[1] >= cutoff:
            hi = mid
        else:
            lo = found[0] + 1
    if lo <= state.first_seq:
        return 0
    await js.purge_stream(stream, seq=lo)
    after = await js.stream_info(stream)
    return int(state.messages - after.state.messages)


async def enforce_retention(
    js: JetStreamContext,
    days: float,
    now: datetime | None = None,
    events_days: float | None = None,
) -> dict[str, int]:
    """Purge every citizen stream of what is older than ``days``, and ``CSU_EVENTS``
    of what is older than ``events_days`` (None: ``days``); counts per stream (a
    stream that does not exist, or a failure, is logged and skipped)."""
    at = now or datetime.now(UTC)
    periods = {stream: days for stream in CITIZEN_STREAMS}
    periods[EVENTS_STREAM] = days if events_days is None else events_days
    purged: dict[str, int] = {}
    for stream, period in periods.items():
        cutoff = at - timedelta(days=period)
        try:
            purged[stream] = await purge_before(js, stream, cutoff)
        except nats.js.errors.NotFoundError:
            continue  # not created (yet) on this cluster
        except (nats.errors.Error, TimeoutError) as exc:
            log.warning("purge de %s impossible (nouvel essai dans une heure) : %s", stream, exc)
            continue
        if purged[stream]:
            log.info(
                "purge RGPD : %d messages de %s antérieurs au %s supprimés",
                purged[stream], stream, cutoff.isoformat(timespec="seconds"),
            )  # fmt: skip
    return purged


async def retention_loop(
    js: JetStreamContext,
    days: float,
    interval_s: float | None = None,
    events_days: float | None = None,
) -> None:
    """:func:`enforce_retention` now and every ``interval_s`` (an hour), until cancelled."""
    every = PURGE_INTERVAL_S if interval_s is None else interval_s
    while True:
        try:
            await enforce_retention(js, days, events_days=events_days)
        except Exception:  # a bug here must not stop the hub
            log.exception("purge RGPD du hub : erreur inattendue")
        raise_if_cancelled()  # a cancel lost in a NATS request (hub/tasks.py)
        await asyncio.sleep(every)
