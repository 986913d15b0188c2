"""Read-only queries of the supervisor review.

A :class:`ReviewReader` wraps a connection of its own, normally the read-only one
of ``Store(path, readonly=True)``: in WAL mode a reader never blocks the console's
writer, nor waits for it. It belongs to the thread that made it (the review's
worker); :meth:`ReviewReader.interrupt` may be called from any thread to stop a
long query (:class:`ReviewCancelled` is raised in the worker).

Rows come back as the plain records of :mod:`csu_console.core.review.rows`; the
arithmetic is in :mod:`csu_console.core.review`; a whole review (summary, list,
chain) is in :mod:`csu_console.storage.review_load`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterator
from datetime import datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from csu_console.core.review.activity import open_dispatches
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.places import ReviewZones
from csu_console.core.review.rows import (
    AlertFacts,
    AlertRow,
    CameraBack,
    LogLine,
    MuteEvent,
    OutageAlert,
    UnitStep,
)
from csu_console.core.review.zoning import bbox_of
from csu_console.errors import CsuError
from csu_console.storage import review_sql as q
from csu_console.storage.codec import classify
from csu_console.storage.review_rows import (
    RowMaker,
    ZoneShapes,
    bounds,
    down_since,
    log_line,
)
from csu_console.storage.review_rows import keep as keep_row
from csu_console.storage.review_rows import unit_steps as to_steps

__all__ = ["ReviewCancelled", "ReviewReader", "ZoneShapes", "consistent"]

P = ParamSpec("P")
T = TypeVar("T")


def consistent(
    fn: Callable[Concatenate[ReviewReader, P], T],
) -> Callable[Concatenate[ReviewReader, P], T]:
    """Run ``fn(reader, …)`` inside ``reader.snapshot()``: all its statements see
    the same database."""

    @functools.wraps(fn)
    def wrapper(reader: ReviewReader, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with reader.snapshot():
            return fn(reader, *args, **kwargs)

    return wrapper


Progress = Callable[[float], None]

#: Longest possible mute (``[alarm] mute_max_s`` is at most 600 s): how far before
#: a period a mute may start and still silence part of it.
MAX_MUTE_S = 600.0
PSEUDONYM_KEY = "review_pseudonym_key"
_CHUNK = 2000


class ReviewCancelled(CsuError):
    """The review was interrupted (a new filter came before the old one finished)."""


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


class ReviewReader:
    """The review's queries on one connection (read-only is enough).

    The central review on PostgreSQL runs the same queries through
    :class:`csu_console.central.reader.PgReviewReader` (its ``dialect``).
    """

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, cache_mib: int = 64) -> None:
        self.conn = conn
        self._cancelled = threading.Event()
        # A review rereads the same pages (the list, then its filters): keep them.
        conn.execute(f"PRAGMA cache_size = -{int(cache_mib) * 1024}")

    def interrupt(self) -> None:
        """Stop the query under way, from any thread (:class:`ReviewCancelled`)."""
        self._cancelled.set()
        self.conn.interrupt()

    def begin(self) -> None:
        """Forget an earlier :meth:`interrupt`: called as a new review starts."""
        self._cancelled.clear()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One view of the database for a whole review, however many statements (a
        read transaction: the console's writer goes on, unseen, never blocked);
        the outermost one forgets an earlier :meth:`interrupt` and is the one that
        counts."""
        outer = not self.conn.in_transaction
        if outer:
            self.begin()
            self._run(lambda: self.conn.execute("BEGIN"))
        try:
            yield
        finally:
            if outer and self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """Run one statement, errors classified (:class:`ReviewCancelled` if interrupted)."""
        cur: sqlite3.Cursor = self._run(lambda: self.conn.execute(sql, params))
        return cur

    def stream(self, sql: str, params: Any = ()) -> Any:
        """A statement whose many rows are read with :meth:`fetchmany` (SQLite steps
        through them anyway; a server database sends them a batch at a time)."""
        return self.execute(sql, params)

    def fetchmany(self, cur: Any, size: int = 2000) -> list[Any]:
        """The next rows of ``cur``, errors classified as in :meth:`execute`."""
        rows: list[Any] = self._run(lambda: cur.fetchmany(size))
        return rows

    def _run(self, fn: Callable[[], Any]) -> Any:
        if self._cancelled.is_set():
            raise ReviewCancelled("revue interrompue")
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise ReviewCancelled("revue interrompue") from exc
            raise classify(exc) from exc
        except sqlite3.Error as exc:
            raise classify(exc) from exc

    # -- alerts -------------------------------------------------------------

    def corrected_outcomes(self) -> dict[int, str]:
        """``dispatch_ended`` event pk → outcome, from corrections (the last wins)."""
        out: dict[int, str] = {}
        for corrects, outcome in self.execute(q.CORRECTED_OUTCOMES).fetchall():
            if isinstance(corrects, int) and isinstance(outcome, str):
                out[corrects] = outcome
        return out

    def alerts(
        self,
        f: ReviewFilter,
        zones: ZoneShapes = (),
        *,
        open_at_end: bool = False,
        progress: Progress | None = None,
    ) -> Iterator[AlertRow]:
        """The filtered alerts received in the period, oldest first; with
        ``open_at_end``, those received before its end and still open then."""
        maker = RowMaker(zones, self.corrected_outcomes())
        keep = keep_row(f, f.end.isoformat(timespec="milliseconds") if open_at_end else None, zones)
        for batch in self._batches(f, zones, open_at_end, False, progress):
            rows = maker.rows(batch)
            yield from rows if keep is None else filter(keep, rows)

    def facts(
        self, f: ReviewFilter, zones: ZoneShapes = (), *, progress: Progress | None = None
    ) -> Iterator[AlertFacts]:
        """What the indicators need of the same alerts as :meth:`alerts` (lighter)."""
        maker = RowMaker(zones, self.corrected_outcomes())
        keep = keep_row(f, None, zones)
        for batch in self._batches(f, zones, False, True, progress):
            facts = maker.facts(batch)
            yield from facts if keep is None else filter(keep, facts)

    def _batches(
        self,
        f: ReviewFilter,
        zones: ZoneShapes,
        open_at_end: bool,
        facts: bool,
        progress: Progress | None,
    ) -> Iterator[list[Any]]:
        chosen = [(zid, area) for zid, area in zones if zid in f.zones]
        if not f.zones and f.communes and isinstance(zones, ReviewZones):
            chosen = zones.of_communes(f.communes)  # their zones' box narrows the SQL
        sql, params = q.alerts_query(f, bbox_of(chosen), open_at_end=open_at_end, facts=facts)
        cur = self.stream(sql, params)
        span = f.period.seconds
        while batch := self.fetchmany(cur, _CHUNK):
            yield batch
            if progress is not None and not open_at_end:
                done = (_time(batch[-1][1]) - f.start).total_seconds() / span
                progress(min(1.0, max(0.0, done)))

    # -- events -------------------------------------------------------------

    def command_line_counts(self, f: ReviewFilter) -> list[tuple[str, str, int]]:
        """``(user, kind, count)`` of the command line's events in the period
        (station « cli »: ``csu-console users``, ``export``, ``config import``…)."""
        params = bounds(f)
        sql = q.COMMAND_LINE_LOAD.format(extra=q.event_filter(f, params))
        return [(r[0], r[1], int(r[2])) for r in self.execute(sql, params).fetchall()]

    def operator_counts(self, f: ReviewFilter) -> list[tuple[str | None, str, int]]:
        """``(operator, kind, count)`` of the events logged in the period."""
        params = bounds(f)
        stations = f.narrowed(operators=frozenset())
        extra = q.event_filter(stations, params, "e.")
        only = q.event_filter(f.narrowed(stations=frozenset()), params)
        sql = q.OPERATOR_LOAD.format(extra=extra, only=only)
        return [(r[0], r[1], int(r[2])) for r in self.execute(sql, params).fetchall()]

    def mute_events(self, f: ReviewFilter) -> list[MuteEvent]:
        """``muted`` events that may silence part of the period, and the ``unmuted``
        ones that end them early."""
        params = bounds(f)
        params["since"] = (f.start - timedelta(seconds=MAX_MUTE_S)).isoformat()
        sql = q.MUTES.format(extra=q.event_filter(f, params))
        return [
            MuteEvent(_time(at), station, operator, float(seconds or 0), kind == "unmuted")
            for at, station, operator, seconds, kind in self.execute(sql, params).fetchall()
        ]

    def outage_alerts(self, end: datetime) -> list[OutageAlert]:
        """« Caméra hors service » alerts received before ``end``."""
        rows = self.execute(q.OUTAGE_ALERTS, {"end": end.isoformat(timespec="milliseconds")})
        out = []
        for pk, alert_id, camera_id, name, received in rows.fetchall():
            received_at = _time(received)
            since = down_since(alert_id) or received_at
            camera = camera_id or alert_id
            out.append(OutageAlert(pk, camera, name or camera, since, received_at))
        return out

    def camera_backs(self, since: datetime) -> list[CameraBack]:
        """``camera_online`` events from ``since`` on."""
        rows = self.execute(q.CAMERA_BACKS, {"since": since.isoformat(timespec="milliseconds")})
        return [CameraBack(_time(at), cam) for at, cam in rows.fetchall() if cam]

    def unit_steps(self, alert_pks: Collection[int], end: datetime) -> list[UnitStep]:
        """Units' steps on these alerts before ``end``, and their later dispatches
        elsewhere (which end those engagements)."""
        end_text = end.isoformat(timespec="milliseconds")
        pks = json.dumps(sorted(alert_pks))
        steps = to_steps(self.execute(q.UNIT_STEPS, {"pks": pks, "end": end_text}).fetchall())
        # A unit engaged here may have been sent elsewhere since (which ends this
        # engagement): only its latest dispatch before the end matters.
        for engaged in open_dispatches(steps, end):
            params = {"since": engaged.since.isoformat(timespec="milliseconds"), "end": end_text}
            later = self.execute(q.LATER_DISPATCH, {**params, "unit": engaged.unit}).fetchall()
            later_steps = to_steps(later)
            steps += [s for s in later_steps if s.alert_pk != engaged.alert_pk]
        return steps

    def logbook(
        self, f: ReviewFilter, alert_pks: Collection[int] | None = None
    ) -> Iterator[LogLine]:
        """Events of the period in time order (operators and stations filtered; only
        those of ``alert_pks`` when given)."""
        params = bounds(f)
        sql = q.LOGBOOK.format(extra=q.event_filter(f, params))
        cur = self.stream(sql, params)
        while batch := self.fetchmany(cur, _CHUNK):
            for r in batch:
                if alert_pks is None or r[4] in alert_pks:
                    yield log_line(r)

    def logbook_count(self, f: ReviewFilter) -> int:
        """How many events :meth:`logbook` gives without ``alert_pks``."""
        params = bounds(f)
        sql = q.LOGBOOK_COUNT.format(extra=q.event_filter(f, params))
        return int(self.execute(sql, params).fetchone()[0])

    def timeline(self, alert_pk: int) -> list[LogLine]:
        """Every event of one alert, in logbook order."""
        rows = self.execute(
            "SELECT pk, at, at_local, kind, alert_pk, station, operator, details"
            " FROM events WHERE alert_pk = ? ORDER BY pk",
            (alert_pk,),
        ).fetchall()
        return [log_line(r) for r in rows]

    def pseudonym_key(self) -> bytes | None:
        """This database's secret for pseudonyms (None until the writer made one)."""
        row = self.execute("SELECT value FROM meta WHERE key = ?", (PSEUDONYM_KEY,)).fetchone()
        return None if row is None or not row[0] else bytes.fromhex(row[0])
