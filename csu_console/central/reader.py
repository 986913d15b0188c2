"""The supervisor review on the central PostgreSQL (``[review] source``): the same
:class:`~csu_console.storage.review.ReviewReader`, its statements translated
(:mod:`csu_console.central.dialect`), on a psycopg connection.

Differences with a station's database, all here: a review is one ``REPEATABLE
READ, READ ONLY`` transaction (the collector goes on, unseen); an interrupt
cancels the query on the server; JSON comes back as text, as from SQLite; a
correction names the event it corrects by its station's sequence; and the hash
chain is checked station by station (:meth:`PgReviewReader.verify_chains`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.string import TextLoader

from csu_console.central.dialect import to_postgres
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.period import Period
from csu_console.errors import StorageError
from csu_console.storage import review_sql as q
from csu_console.storage.logbook import GENESIS
from csu_console.storage.logbook_audit import ChainBreak, ChainReport, _problem
from csu_console.storage.review import Progress, ReviewCancelled, ReviewReader
from csu_console.storage.review_rows import bounds

log = logging.getLogger("csu.storage")

_CORRECTED_OUTCOMES = """
SELECT t.pk, c.details ->> 'outcome' FROM events c
JOIN events t ON t.book = c.book AND t.seq = (c.details ->> 'corrects')::bigint
WHERE c.kind = 'correction' AND c.details ->> 'outcome' IS NOT NULL
    AND jsonb_typeof(c.details -> 'corrects') = 'number'
ORDER BY c.at, c.pk
"""

# Events per operator and kind: PostgreSQL counts a period's events from the index
# (events_at_who) faster than SQLite's skip scan of the (operator, kind) pairs.
_OPERATOR_LOAD = """
SELECT e.operator, e.kind, count(*) FROM events e
WHERE e.operator > '' AND e.at >= :start AND e.at < :end {extra} {only}
GROUP BY e.operator, e.kind
"""

# A station's events as logbook_audit reads them (its own seq and alert pk).
_CHAIN = """
SELECT seq, station_alert_pk, at, at_local, kind, station, operator, details::text,
       details_salt, details_sha256, prev_hash, hash
FROM events WHERE book = ? AND seq BETWEEN ? AND ? ORDER BY seq
"""


#: Periods up to this long are read in one go (see :meth:`PgReviewReader.stream`).
SHORT_PERIOD = timedelta(days=3)


def _short(params: Any) -> bool:
    try:
        start = datetime.fromisoformat(params["start"])
        end = datetime.fromisoformat(params["end"])
    except (KeyError, TypeError, ValueError):
        return False
    return end - start <= SHORT_PERIOD


def is_postgres_source(source: str | None) -> bool:
    """Whether ``[review] source`` names a PostgreSQL database."""
    return bool(source) and str(source).startswith(("postgresql://", "postgres://"))


def connect(dsn: str) -> psycopg.Connection[Any]:
    """A connection for the review (autocommit: :meth:`snapshot` opens the transactions)."""
    try:
        conn = psycopg.connect(dsn, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise StorageError(f"base centrale PostgreSQL injoignable : {exc}") from exc
    conn.prepare_threshold = 0  # a review reruns the same statements: planned once
    conn.adapters.register_loader("jsonb", TextLoader)  # JSON as text, as from SQLite
    conn.adapters.register_loader("json", TextLoader)
    return conn


class PgReviewReader(ReviewReader):
    """The review's queries on the central PostgreSQL."""

    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn  # type: ignore[assignment]
        self._pg = conn
        self._cancelled = threading.Event()
        self._cursors = 0
        self._open: list[Any] = []  # server-side cursors of the transaction

    def interrupt(self) -> None:
        self._cancelled.set()
        with contextlib.suppress(psycopg.Error):
            self._pg.cancel_safe()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        outer = self._pg.info.transaction_status == TransactionStatus.IDLE
        if outer:
            self.begin()
            self._run(lambda: self._pg.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        try:
            yield
        finally:
            if outer:
                self._close_cursors()
            if outer and self._pg.info.transaction_status != TransactionStatus.IDLE:
                with contextlib.suppress(psycopg.Error):
                    self._pg.execute("ROLLBACK")

    def execute(self, sql: str, params: Any = ()) -> Any:
        text = to_postgres(sql)
        return self._run(lambda: self._pg.execute(text, params or None))

    def stream(self, sql: str, params: Any = ()) -> Any:
        """A server-side cursor inside a review's transaction: a month's alerts come
        a batch at a time, not all at once into memory. A few days' rows (a shift,
        a day: tens of thousands) come at once, sooner."""
        if self._pg.info.transaction_status == TransactionStatus.IDLE or _short(params):
            return self.execute(sql, params)
        self._cursors += 1
        cur = self._pg.cursor(name=f"csu_review_{self._cursors}")
        cur.itersize = 5000
        self._open.append(cur)
        text = to_postgres(sql)
        return self._run(lambda: cur.execute(text, params or None))

    def _close_cursors(self) -> None:
        for cur in self._open:
            with contextlib.suppress(psycopg.Error):
                cur.close()
        self._open.clear()

    def _run(self, fn: Callable[[], Any]) -> Any:
        if self._cancelled.is_set():
            raise ReviewCancelled("revue interrompue")
        try:
            return fn()
        except psycopg.errors.QueryCanceled as exc:
            self._recover()
            raise ReviewCancelled("revue interrompue") from exc
        except psycopg.Error as exc:
            self._recover()
            raise StorageError(f"base centrale PostgreSQL : {exc}".strip()) from exc

    def _recover(self) -> None:
        """Out of a failed transaction: the next review starts clean."""
        if self._pg.info.transaction_status == TransactionStatus.INERROR:
            self._close_cursors()
            with contextlib.suppress(psycopg.Error):
                self._pg.execute("ROLLBACK")

    def corrected_outcomes(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for pk, outcome in self.execute(_CORRECTED_OUTCOMES).fetchall():
            if isinstance(outcome, str):
                out[int(pk)] = outcome
        return out

    def operator_counts(self, f: ReviewFilter) -> list[tuple[str | None, str, int]]:
        params = bounds(f)
        extra = q.event_filter(f.narrowed(operators=frozenset()), params, "e.")
        only = q.event_filter(f.narrowed(stations=frozenset()), params, "e.")
        sql = _OPERATOR_LOAD.format(extra=extra, only=only)
        return [(r[0], r[1], int(r[2])) for r in self.execute(sql, params).fetchall()]

    def verify_chains(self, period: Period, progress: Progress | None = None) -> ChainReport:
        """Each station's chain over the events it logged in ``period``, from the
        hash of its event before them; the first break of any station. ``pk`` of a
        break is the station's sequence (the station is named in the problem)."""
        with self.snapshot():
            bounds = self.execute(
                "SELECT book, min(seq), max(seq) FROM events WHERE at >= :start AND at < :end"
                " GROUP BY book ORDER BY book",
                {"start": period.start.isoformat(timespec="milliseconds"),
                 "end": period.end.isoformat(timespec="milliseconds")},
            ).fetchall()  # fmt: skip
            total = sum(int(last) - int(first) + 1 for _s, first, last in bounds) or 1
            count, head = 0, GENESIS
            for station, first, last in bounds:
                before = self.execute(
                    "SELECT hash FROM events WHERE book = ? AND seq = ?", (station, first - 1)
                ).fetchone()
                prev = before[0] if before else GENESIS
                prev_seq: int | None = first - 1 if before else None
                if before is None and first > 1:
                    missing = f"poste {station} : événements avant le n° {first} absents"
                    return ChainReport(count, prev, ChainBreak(int(first), "", "", missing))
                cur = self.execute(_CHAIN, (station, first, last))
                expected = first
                while batch := self.fetchmany(cur, 5000):
                    for r in batch:
                        problem: str | None = _problem(prev, prev_seq, r)
                        if problem is None and int(r[0]) != expected:
                            problem = f"événements {expected} à {int(r[0]) - 1} absents (trou)"
                        if problem is not None:
                            text = f"poste {station} : {problem}"
                            return ChainReport(count, prev, ChainBreak(int(r[0]), r[2], r[4], text))
                        prev, prev_seq, count, expected = r[11], int(r[0]), count + 1, expected + 1
                    if progress is not None:
                        progress(min(1.0, count / total))
                head = prev
            return ChainReport(count, head)
