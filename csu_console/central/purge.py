"""The retention of the central review's PostgreSQL: the stations' rules, applied
to their copy.

Run every hour by ``csu-hub collect --postgres DSN`` (beside the collecting, in
bounded batches of a short transaction each, so the collector keeps collecting),
and once by ``csu-hub collect --postgres DSN --purge [--dry-run]`` (cron). The
periods are the site's ``[retention]`` (``--site DIR``), or the options
``--personal-days``, ``--citizen-days``, ``--rejected-days``:

- citizen reports (:func:`~csu_console.storage.alert_seal.is_citizen`) received
  before ``citizen_days``: their zones kept in ``alerts.zone`` (from the site's
  zones), then title, place, commune, CAP area text and the personal fields
  sealed as on the station (:func:`~csu_console.storage.alert_seal.sealed_update`:
  the same columns, ``sha256:<hex>`` of a salt and the unit's values, the seal
  kept in ``extra._sealed``). The central row has no ``fields_salt`` (the alert
  comes from ``CSU_ALERTS``, not from a station, and no digest of it is checked
  here): each row is sealed with a random salt of its own, drawn for the purge
  and never stored — the seal looks like the station's but is not the same
  value, and cannot be tested against guesses;
- every alert received before ``personal_data_days``: description, pseudonym
  and attachments sealed likewise;
- events older than ``personal_data_days`` with personal details
  (:data:`~csu_console.core.logbook.PERSONAL_KEYS`): sealed exactly as
  :func:`csu_console.storage.logbook.sealed` does with their ``details_salt``
  (which the collector keeps), marked ``_purged``, the salt forgotten: their
  digest and their link are unchanged, so ``csu-hub collect --check`` still
  recomputes every chain whole. The ``events_append_only`` trigger lets exactly
  that update through, nothing else;
- messages refused by the collector (``rejected``, raw frames) collected before
  ``rejected_days``: deleted.

Legal holds: the central database has no ``legal_holds`` table, but a station's
hold and its release are events of its book (``legal_hold``, ``legal_hold_released``,
with the alert's key and the hold's number): an alert with a hold event of its
station's book not followed by that hold's release is left as it is, with its events.

Idempotent: what is sealed is not selected again (partial indexes keep the hourly
run to what is left to do).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from csu_console.core.logbook import PERSONAL_KEYS, PURGED_KEY
from csu_console.core.retention import RetentionPolicy
from csu_console.core.review.zoning import zones_of
from csu_console.storage import alert_seal
from csu_console.storage.codec import iso
from csu_console.storage.logbook import sealed
from csu_console.storage.retention import PurgeZones

log = logging.getLogger("csu.hub.collect")

#: How often the collector applies the retention.
PURGE_INTERVAL_S = 3600.0
#: Rows per transaction: short, so the collector's batches are never held long.
PURGE_BATCH = 500
#: The collector's write lock (:data:`csu_console.central.collector.WRITE_LOCK`):
#: a hold event is either committed before a batch reads the holds or after it.
_WRITE_LOCK = 16061

#: The alerts' keys under an active hold: a ``legal_hold`` event on an alert, of a
#: station's book, with no release of that hold after it in the same book.
HELD = """
SELECT h.alert_source, h.alert_id FROM events h
WHERE h.kind = 'legal_hold' AND h.details ->> 'target' = 'alert'
    AND h.alert_source IS NOT NULL AND h.alert_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM events r WHERE r.book = h.book
        AND r.kind = 'legal_hold_released' AND r.seq > h.seq
        AND r.details ->> 'hold' = h.details ->> 'hold')
"""
_NOT_HELD_ALERT = (
    "NOT EXISTS (SELECT 1 FROM held WHERE held.alert_source = a.source"
    " AND held.alert_id = a.alert_id)"
)
_NOT_HELD_EVENT = (
    "(e.alert_source IS NULL OR NOT EXISTS (SELECT 1 FROM held"
    " WHERE held.alert_source = e.alert_source AND held.alert_id = e.alert_id))"
)
_CITIZEN = "a.fmt = 'json' AND a.seq IS NOT NULL"
#: Each condition is its partial index's (schema 6).
PERSONAL_WHERE = "(a.extra -> '_sealed' -> 'personnel') IS NULL AND a.received_at < %(cut)s"
CITIZEN_WHERE = (
    f"{_CITIZEN} AND (a.extra -> '_sealed' -> 'lieu') IS NULL AND a.received_at < %(cut)s"
)
EVENTS_WHERE = "e.details_salt IS NOT NULL AND e.at < %(cut)s"
_ALERT_COLUMNS = (
    "pk", "received_at", "fmt", "seq", "zone", "extra",
    *(c for u in alert_seal.UNITS.values() for c in u if not c.startswith("extra.")),
)  # fmt: skip


@dataclass(frozen=True)
class CentralPurgeReport:
    """What a central purge did (or would do, with ``dry_run``)."""

    alerts: int = 0
    citizen: int = 0
    events: int = 0
    rejected: int = 0
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.alerts + self.citizen + self.events + self.rejected

    def summary(self) -> str:
        """One French line for the log or the terminal."""
        verb = "à purger" if self.dry_run else "purgés"
        return (
            f"{verb} : {self.citizen} signalements citoyens (titre et lieu scellés), "
            f"{self.alerts} alertes (données personnelles), {self.events} événements "
            f"(détails personnels), {self.rejected} messages refusés"
        )


def _count(cur: Any, sql: str, cut: str, **more: Any) -> int:
    row = cur.execute(f"WITH held AS ({HELD}) {sql}", {"cut": cut, **more}).fetchone()
    return int(row[0])


def _alert_rows(cur: Any, where: str, cut: str, after: tuple[str, int], n: int) -> list[Any]:
    names = ", ".join(f"a.{c}" for c in _ALERT_COLUMNS)
    rows = cur.execute(
        f"WITH held AS ({HELD}) SELECT {names} FROM alerts a WHERE {where}"
        f" AND {_NOT_HELD_ALERT} AND (a.received_at, a.pk) > (%(at)s, %(pk)s)"
        " ORDER BY a.received_at, a.pk LIMIT %(n)s",
        {"cut": cut, "at": after[0], "pk": after[1], "n": n},
    ).fetchall()
    return [dict(zip(_ALERT_COLUMNS, r, strict=True)) for r in rows]


def _seal_alert(row: dict[str, Any], units: Sequence[str], salt: str) -> dict[str, Any]:
    """The changes sealing ``units`` of a central row, with ``salt`` (forgotten)."""
    state: dict[str, Any] = {**row, "fields_salt": salt, "extra": json.dumps(row["extra"])}
    changes: dict[str, Any] = {}
    for unit in units:
        done = alert_seal.sealed_update({**state, **changes}, unit)
        if done is not None:
            changes.update(done)
    return changes


class _Run:
    """One purge: its cutoffs, zones and counts, a batch per transaction."""

    def __init__(
        self, conn: Any, policy: RetentionPolicy, now: datetime, zones: PurgeZones, batch: int
    ) -> None:
        self.conn, self.zones, self.batch = conn, zones, max(1, batch)
        cut = policy.cutoffs(now)
        self.personal, self.citizen = iso(cut.personal), iso(cut.citizen)
        self.rejected_cut = cut.rejected

    def _tx(self) -> Any:
        return self.conn.transaction()

    def alerts(self, where: str, cut: str, units: Sequence[str], stop: Callable[[], bool]) -> int:
        """Seal ``units`` of the alerts chosen by ``where``, a batch at a time."""
        count, after = 0, ("", 0)
        while not stop():
            with self._tx(), self.conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                rows = _alert_rows(cur, where, cut, after, self.batch)
                if not rows:
                    break
                salts = alert_seal.new_salts(len(rows))
                places = (
                    zones_of([(r["lon"], r["lat"]) for r in rows], self.zones)
                    if "lieu" in units and self.zones
                    else None
                )
                # One statement per shape of change (nearly always one), many rows each.
                shapes: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
                for i, (row, salt) in enumerate(zip(rows, salts, strict=True)):
                    changes = _seal_alert(row, units, salt)
                    if not changes:
                        continue  # not sealable (an unreadable extra): left, not looped on
                    if places is not None and row["zone"] is None and row["lat"] is not None:
                        changes["zone"] = json.dumps(list(places[i]), ensure_ascii=False)
                    shapes.setdefault(tuple(changes), []).append((*changes.values(), row["pk"]))
                for columns, params in shapes.items():
                    sets = ", ".join(
                        f"{c} = %s::jsonb" if c == "extra" else f"{c} = %s" for c in columns
                    )
                    cur.executemany(f"UPDATE alerts SET {sets} WHERE pk = %s", params)
                    count += len(params)
                after = (rows[-1]["received_at"], rows[-1]["pk"])
            if len(rows) < self.batch:
                break
        return count

    def events(self, stop: Callable[[], bool]) -> int:
        """Seal the personal details of the old events, a batch at a time."""
        count, after = 0, ("", "", 0)
        while not stop():
            with self._tx(), self.conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                rows = cur.execute(
                    f"WITH held AS ({HELD}) SELECT e.at, e.book, e.seq, e.details, e.details_salt"
                    f" FROM events e WHERE {EVENTS_WHERE} AND {_NOT_HELD_EVENT}"
                    " AND (e.at, e.book, e.seq) > (%(at)s, %(book)s, %(seq)s)"
                    " ORDER BY e.at, e.book, e.seq LIMIT %(n)s",
                    {"cut": self.personal, "at": after[0], "book": after[1], "seq": after[2],
                     "n": self.batch},
                ).fetchall()  # fmt: skip
                books, seqs, texts = [], [], []
                for _at, book, seq, details, salt in rows:
                    if not isinstance(details, dict):
                        continue  # not an object: left, not looped on
                    done = sorted(PERSONAL_KEYS & set(details))
                    purged = {**sealed(details, salt), PURGED_KEY: done}
                    books.append(book)
                    seqs.append(seq)
                    texts.append(json.dumps(purged, ensure_ascii=False))
                if books:  # one statement for the batch
                    cur.execute(
                        "UPDATE events e SET details = v.d::jsonb, details_salt = NULL"
                        " FROM unnest(%s::text[], %s::bigint[], %s::text[]) AS v(book, seq, d)"
                        " WHERE e.book = v.book AND e.seq = v.seq AND e.details_salt IS NOT NULL",
                        (books, seqs, texts),
                    )
                    count += int(cur.rowcount)
                if rows:
                    after = (rows[-1][0], rows[-1][1], rows[-1][2])
            if len(rows) < self.batch:
                break
        return count

    def rejected(self, stop: Callable[[], bool]) -> int:
        count = 0
        while not stop():
            with self._tx(), self.conn.cursor() as cur:
                cur.execute(
                    "DELETE FROM rejected WHERE pk IN (SELECT pk FROM rejected"
                    " WHERE collected_at < %s ORDER BY pk LIMIT %s)",
                    (self.rejected_cut, self.batch),
                )
                gone = int(cur.rowcount)
            count += gone
            if gone < self.batch:
                break
        return count


def purge(
    conn: Any,
    policy: RetentionPolicy,
    now: datetime | None = None,
    *,
    dry_run: bool = False,
    zones: PurgeZones = (),
    batch: int = PURGE_BATCH,
    stop: Callable[[], bool] = lambda: False,
) -> CentralPurgeReport:
    """Apply ``policy`` as of ``now`` to the central database (a psycopg connection
    in autocommit: each batch commits on its own); what it did, logged when anything.
    ``stop``: asked between batches (the collector stopping)."""
    run = _Run(conn, policy, now or datetime.now(UTC), zones, batch)
    if dry_run:
        with conn.cursor() as cur:
            citizen = _count(
                cur,
                f"SELECT count(*) FROM alerts a WHERE {CITIZEN_WHERE} AND {_NOT_HELD_ALERT}",
                run.citizen,
            )
            alerts = _count(
                cur,
                f"SELECT count(*) FROM alerts a WHERE {PERSONAL_WHERE} AND {_NOT_HELD_ALERT}"
                f" AND NOT ({_CITIZEN} AND a.received_at < %(citizen)s)",
                run.personal,
                citizen=run.citizen,
            )
            events = _count(
                cur,
                f"SELECT count(*) FROM events e WHERE {EVENTS_WHERE} AND {_NOT_HELD_EVENT}",
                run.personal,
            )
            row = cur.execute(
                "SELECT count(*) FROM rejected WHERE collected_at < %s", (run.rejected_cut,)
            ).fetchone()
        return CentralPurgeReport(alerts, citizen, events, int(row[0]), dry_run=True)
    citizen = run.alerts(CITIZEN_WHERE, run.citizen, ("personnel", "lieu"), stop)
    alerts = run.alerts(PERSONAL_WHERE, run.personal, ("personnel",), stop)
    events = run.events(stop)
    rejected = run.rejected(stop)
    report = CentralPurgeReport(alerts, citizen, events, rejected)
    if report.total:
        log.info("purge RGPD de la base centrale : %s", report.summary())
    return report


def describe(policy: RetentionPolicy) -> str:
    """The periods applied, in French (said at start and by ``--purge``)."""
    return (
        f"signalements citoyens {policy.citizen_days} j, données personnelles "
        f"{policy.personal_data_days} j, messages refusés {policy.rejected_days} j"
    )


async def purge_loop(
    connect: Callable[[], Any],
    policy: RetentionPolicy,
    zones: PurgeZones,
    stopping: asyncio.Event,
    interval_s: float | None = None,
) -> None:
    """:func:`purge` now and every ``interval_s`` (an hour) until ``stopping``; a
    failure is logged and tried again at the next tick, never stops the collector."""
    every = PURGE_INTERVAL_S if interval_s is None else interval_s
    flag = threading.Event()  # read by the purge's thread between batches

    def once() -> None:
        conn = connect()
        try:
            purge(conn, policy, zones=zones, stop=flag.is_set)
        finally:
            conn.close()

    while not stopping.is_set():
        task = asyncio.ensure_future(asyncio.to_thread(once))
        waiter = asyncio.ensure_future(stopping.wait())
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if stopping.is_set():
            flag.set()  # the batch under way ends, no other starts
        waiter.cancel()
        try:
            await task
        except Exception as exc:  # noqa: BLE001 - PostgreSQL away, a bug: next hour
            log.warning("purge RGPD de la base centrale impossible (nouvel essai dans "
                        "%.0f s) : %s", every, str(exc).strip())  # fmt: skip
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(every):
                await stopping.wait()


def print_purge(dsn: str, policy: RetentionPolicy, zones: PurgeZones, *, dry_run: bool) -> int:
    """``csu-hub collect --purge [--dry-run]``: one purge, its counts printed; 1 when
    PostgreSQL does not answer."""
    import sys

    import psycopg

    from csu_console.central.schema import ensure_schema

    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.Error as exc:
        print(f"csu-hub collect : PostgreSQL injoignable : {exc}", file=sys.stderr)
        return 1
    try:
        ensure_schema(conn)
        unknown = "" if zones else " (zones du site inconnues)"
        print(f"conservation : {describe(policy)}{unknown}")
        report = purge(conn, policy, dry_run=dry_run, zones=zones)
    except psycopg.Error as exc:
        print(f"csu-hub collect : purge impossible : {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    print(report.summary())
    return 0
