"""``csu-hub collect --postgres DSN``: JetStream → PostgreSQL for the central review.

Two durable pull consumers read ``CSU_ALERTS`` (each payload is an alert frame's
body, parsed as a station parses it) and ``CSU_EVENTS`` (each payload an
:class:`~csu_console.core.book_wire.EventRecord`). A batch is written in one
PostgreSQL transaction (``ON CONFLICT DO NOTHING``: a message delivered twice is
stored once) and acknowledged only after the commit: a collector killed at any
point loses nothing (what was not acknowledged comes again) and doubles nothing.
A message that is not an alert nor an event is kept in ``rejected`` with the
reason. Each station's chain is re-checked as its events come (a bad link, a
gap: logged); ``csu-hub collect --check`` lists every gap. Every hour (and at
start) the retention is applied to the central copy, in short batches beside
the collecting (:mod:`csu_console.central.purge`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import nats
import nats.errors
import nats.js.errors
import psycopg
from nats.aio.msg import Msg
from nats.js import api

from csu_console.central.purge import describe, purge_loop
from csu_console.central.schema import ensure_schema
from csu_console.central.store import (
    alert_values,
    apply_cap,
    insert_alerts,
    insert_events,
    reject,
)
from csu_console.core.alerts import Category
from csu_console.core.book_wire import EventRecord, WireError, parse_event
from csu_console.core.protocol import AlertMessage, decode_frame
from csu_console.core.retention import RetentionPolicy
from csu_console.hub.book import EVENTS_STREAM, EVENTS_SUBJECT, events_subject
from csu_console.hub.consumers import fetch_batch
from csu_console.hub.jetstream import ALERTS_STREAM, ALERTS_SUBJECT, station_frame
from csu_console.storage.retention import PurgeZones

log = logging.getLogger("csu.hub.collect")

ALERTS_DURABLE = "csu_collect_alerts"
EVENTS_DURABLE = "csu_collect_events"


@dataclass(frozen=True)
class CollectSettings:
    """Where from, where to, and how much at a time."""

    nats_urls: Sequence[str]
    dsn: str
    batch: int = 500
    ack_wait_s: float = 30.0
    retry_s: float = 2.0
    #: The site's ``[priorities]`` (as the stations apply them); None: the defaults.
    priority_rules: Mapping[Category, int] | None = None
    #: The retention applied to the central copy every ``purge_interval_s``
    #: (None: no purge — the command line always gives one).
    retention: RetentionPolicy | None = None
    #: The site's zones, kept on a citizen report whose place is sealed.
    zones: PurgeZones = ()
    purge_interval_s: float | None = None


def _connect_pg(dsn: str) -> Any:
    return psycopg.connect(dsn, autocommit=True)


def _received(msg: Msg) -> datetime:
    try:
        stamp = msg.metadata.timestamp
    except Exception:  # noqa: BLE001 - a message without metadata: now
        return datetime.now(UTC)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _stream_seq(msg: Msg) -> int:
    return int(msg.metadata.sequence.stream)


#: Taken by each batch's transaction: an alert and its events written at the same
#: time by the two streams' tasks would not see each other (each one's trigger links
#: them only if the other is committed), and the event would stay without its alert.
WRITE_LOCK = 16061


def write_alerts(
    conn: Any, msgs: Sequence[Msg], priority_rules: Mapping[Category, int] | None = None
) -> int:
    """One batch of ``CSU_ALERTS`` into PostgreSQL, committed; how many were new."""
    rows: list[list[Any]] = []
    new = 0
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        for msg in msgs:
            seq = _stream_seq(msg)
            try:
                frame = station_frame(msg.data, seq)
            except (UnicodeDecodeError, IndexError) as exc:
                reject(cur, ALERTS_STREAM, seq, msg.subject, f"trame illisible : {exc}", msg.data)
                continue
            parsed = decode_frame(frame, True, priority_rules)
            if not isinstance(parsed, AlertMessage):
                reason = getattr(parsed, "reason", "pas une alerte")
                log.warning("alerte %d du flux refusée : %s", seq, reason)
                reject(cur, ALERTS_STREAM, seq, msg.subject, reason, msg.data)
                continue
            row = alert_values(parsed, _received(msg), seq)
            if parsed.alert.fmt == "cap":
                # In stream order: an Update may follow its original in this batch.
                new += insert_alerts(cur, rows)
                rows.clear()
                if apply_cap(cur, parsed, row) != "alert":
                    continue
            rows.append(row)
        return new + insert_alerts(cur, rows)


def write_events(conn: Any, msgs: Sequence[Msg]) -> int:
    """One batch of ``CSU_EVENTS`` into PostgreSQL, committed; how many were new."""
    records: list[EventRecord] = []
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        for msg in msgs:
            seq = _stream_seq(msg)
            try:
                record = parse_event(msg.data)
            except WireError as exc:
                log.warning("événement %d du flux refusé : %s", seq, exc)
                reject(cur, EVENTS_STREAM, seq, msg.subject, str(exc), msg.data)
                continue
            if msg.subject != events_subject(record.station):
                reason = f"poste {record.station} publié sur {msg.subject}"
                log.warning("événement %d du flux refusé : %s", seq, reason)
                reject(cur, EVENTS_STREAM, seq, msg.subject, reason, msg.data)
                continue
            records.append(record)
        records.sort(key=lambda r: (r.station, r.seq))
        return len(insert_events(cur, records))


class Collector:
    """The collector's loop (one asyncio task); :meth:`stop` ends it."""

    def __init__(self, settings: CollectSettings) -> None:
        self.settings = settings
        self._stop = asyncio.Event()
        self.counts = {"alerts": 0, "events": 0}

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        s = self.settings
        while not await self._schema_ready():
            await self._pause()
            if self._stop.is_set():
                return
        nc = await nats.connect(list(s.nats_urls), max_reconnect_attempts=-1)
        try:
            await self._loop(nc)
        finally:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await nc.close()

    async def _schema_ready(self) -> bool:
        """The central schema there (made or brought up to date); False (said in
        the log) while PostgreSQL does not answer."""
        try:
            conn = await asyncio.to_thread(_connect_pg, self.settings.dsn)
            try:
                await asyncio.to_thread(ensure_schema, conn)
            finally:
                conn.close()
        except psycopg.Error as exc:
            log.warning("PostgreSQL injoignable (%s) : nouvel essai", str(exc).strip())
            return False
        return True

    async def _subscribe(self, js: Any, stream: str, subject: str, durable: str) -> Any:
        """The durable pull consumer, once its stream exists."""
        config = api.ConsumerConfig(
            durable_name=durable,
            ack_policy=api.AckPolicy.EXPLICIT,
            deliver_policy=api.DeliverPolicy.ALL,
            ack_wait=self.settings.ack_wait_s,
            max_ack_pending=max(1000, 4 * self.settings.batch),
        )
        while not self._stop.is_set():
            try:
                return await js.pull_subscribe(f"{subject}.>", durable, stream=stream,
                                               config=config)  # fmt: skip
            except (nats.js.errors.NotFoundError, nats.errors.TimeoutError) as exc:
                log.info("flux %s pas encore là (%s) : nouvel essai", stream, exc)
                await self._pause()
        return None

    async def _pause(self) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.settings.retry_s):
                await self._stop.wait()

    async def _loop(self, nc: Any) -> None:
        js, rules = nc.jetstream(), self.settings.priority_rules
        log.info("collecte vers PostgreSQL : flux %s et %s", ALERTS_STREAM, EVENTS_STREAM)
        alerts = functools.partial(write_alerts, priority_rules=rules)
        tasks = [
            self._consume(js, "alerts", ALERTS_STREAM, ALERTS_SUBJECT, ALERTS_DURABLE, alerts),
            self._consume(
                js, "events", EVENTS_STREAM, EVENTS_SUBJECT, EVENTS_DURABLE, write_events
            ),
        ]
        s = self.settings
        if s.retention is not None:
            log.info("purge RGPD de la base centrale toutes les heures : %s%s",
                     describe(s.retention),
                     "" if s.zones else " (zones du site inconnues : --site)")  # fmt: skip
            connect = functools.partial(_connect_pg, s.dsn)
            tasks.append(purge_loop(connect, s.retention, s.zones, self._stop, s.purge_interval_s))
        await asyncio.gather(*tasks)

    async def _consume(
        self,
        js: Any,
        name: str,
        stream: str,
        subject: str,
        durable: str,
        write: Callable[[Any, Sequence[Msg]], int],
    ) -> None:
        """One stream into PostgreSQL, a batch at a time, on its own connection."""
        sub = await self._subscribe(js, stream, subject, durable)
        if sub is None:
            return
        conn = await asyncio.to_thread(_connect_pg, self.settings.dsn)
        try:
            while not self._stop.is_set():
                try:
                    msgs = await fetch_batch(sub, self.settings.batch, 1.0)
                except (nats.errors.Error, nats.js.errors.Error) as exc:
                    log.warning("lecture du flux %s impossible : %s", stream, exc)
                    await self._pause()
                    continue
                if not msgs:
                    continue
                try:
                    new = await asyncio.to_thread(write, conn, msgs)
                except psycopg.Error as exc:
                    # Not acknowledged: JetStream delivers them again after ack_wait.
                    log.warning("PostgreSQL n'a pas enregistré le lot de %s : %s", stream, exc)
                    conn = await self._reconnect(conn)
                    continue
                # Acknowledged only now: committed in PostgreSQL.
                for msg in msgs:
                    await msg.ack()
                self.counts[name] += new
                log.debug("%s : %d messages, %d nouveaux", stream, len(msgs), new)
        finally:
            with contextlib.suppress(Exception):
                conn.close()

    async def _reconnect(self, conn: Any) -> Any:
        """A fresh PostgreSQL connection (the old one closed), once it answers."""
        with contextlib.suppress(Exception):
            conn.close()
        while not self._stop.is_set():
            await self._pause()
            try:
                return await asyncio.to_thread(_connect_pg, self.settings.dsn)
            except psycopg.Error as exc:
                log.warning("PostgreSQL injoignable : %s", exc)
        return conn


def collect(settings: CollectSettings) -> int:
    """Run until SIGINT / SIGTERM."""
    import signal

    async def main() -> None:
        collector = Collector(settings)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, collector.stop)
        await collector.run()
        log.info("collecte arrêtée : %d alertes, %d événements nouveaux",
                 collector.counts["alerts"], collector.counts["events"])  # fmt: skip

    asyncio.run(main())
    return 0
