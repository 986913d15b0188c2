"""One review, start to finish, on the review's worker thread: the queries of
:class:`~csu_console.storage.review.ReviewReader` folded by the pure functions of
:mod:`csu_console.core.review` (:func:`load_review`), and the check of the period's
hash chain (:func:`verify_period`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from itertools import islice

from csu_console.core.review.activity import (
    camera_outages,
    mute_periods,
    open_dispatches,
    operator_load,
    split_identities,
)
from csu_console.core.review.digest import Indicators, Review, ShiftDigest, Summary
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.period import Period
from csu_console.core.review.rows import AlertRow
from csu_console.core.review.stats import AlertTally
from csu_console.storage.logbook import COLUMNS, GENESIS
from csu_console.storage.logbook_audit import ChainBreak, ChainReport, _problem
from csu_console.storage.review import Progress, ReviewReader, ZoneShapes, consistent

#: Rows kept for the list; the indicators always cover every alert.
MAX_ROWS = 100_000


@consistent
def load_summary(
    reader: ReviewReader,
    f: ReviewFilter,
    zones: ZoneShapes = (),
    *,
    progress: Progress | None = None,
) -> Summary:
    """Indicators and digest of ``f`` (``zones``: the site's, as (id, area)), from the
    light :meth:`~ReviewReader.facts` of its alerts — what the screen shows first.

    ``progress`` gets 0…1 as the alerts are read; raises
    :class:`~csu_console.storage.review.ReviewCancelled` after ``reader.interrupt()``.
    """
    step = None if progress is None else _scaled(progress, 0.9)
    tally = AlertTally().add_all(reader.facts(f, zones, progress=step))
    return _summarize(reader, f, zones, tally, progress)


@consistent
def list_alerts(
    reader: ReviewReader,
    f: ReviewFilter,
    zones: ZoneShapes = (),
    *,
    max_rows: int = MAX_ROWS,
) -> tuple[tuple[AlertRow, ...], bool]:
    """The alerts of ``f`` for the list, oldest first, and whether there were more
    than ``max_rows`` (the rest is not read)."""
    rows = tuple(islice(reader.alerts(f, zones), max_rows + 1))
    return rows[:max_rows], len(rows) > max_rows


@consistent
def load_review(
    reader: ReviewReader,
    f: ReviewFilter,
    zones: ZoneShapes = (),
    *,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> Review:
    """Alerts, indicators and digest of ``f`` in one pass of the full rows (the
    report, the exports; the screen may prefer :func:`load_summary` then
    :func:`list_alerts`, to show the indicators sooner)."""
    step = None if progress is None else _scaled(progress, 0.9)
    rows: list[AlertRow] = []

    def kept(all_rows: Iterable[AlertRow]) -> Iterator[AlertRow]:
        for row in all_rows:
            if len(rows) < max_rows:
                rows.append(row)
            yield row

    tally = AlertTally().add_all(kept(reader.alerts(f, zones, progress=step)))
    s = _summarize(reader, f, zones, tally, progress)
    truncated = tally.count > len(rows)
    return Review(s.filter, s.indicators, s.digest, tuple(rows), truncated)


def _summarize(
    reader: ReviewReader,
    f: ReviewFilter,
    zones: ZoneShapes,
    tally: AlertTally,
    progress: Progress | None = None,
) -> Summary:
    """Everything but the alerts of the period: the alerts still open at its end,
    mutes, camera outages, operators' load, units still engaged (progress 0.9 → 1)."""

    def step(done: float) -> None:
        if progress is not None:
            progress(done)

    period = f.period
    open_rows = tuple(reader.alerts(f, zones, open_at_end=True))
    step(0.93)
    mutes = tuple(mute_periods(reader.mute_events(f), period))
    outage_alerts = reader.outage_alerts(f.end)
    since = min((a.down_since for a in outage_alerts), default=f.start)
    outages = tuple(camera_outages(outage_alerts, reader.camera_backs(since), period))
    load, others = split_identities(
        operator_load(reader.operator_counts(f)), reader.command_line_counts(f)
    )
    step(0.96)
    end = f.end.isoformat(timespec="milliseconds")
    engaged = [r.pk for r in open_rows if r.dispatch_at is not None and r.dispatch_at < end]
    steps = reader.unit_steps(engaged, f.end)
    last = f.end - timedelta(microseconds=1)
    indicators = Indicators(period, tally.result(), len(open_rows), mutes, outages, load, others)
    digest = ShiftDigest(
        f.end,
        open_rows,
        tuple(open_dispatches(steps, f.end)),
        tuple(o for o in outages if o.down_at(last)),
        mutes,
    )
    step(1.0)
    return Summary(f, indicators, digest)


def _scaled(progress: Progress, share: float) -> Callable[[float], None]:
    return lambda done: progress(share * done)


@consistent
def verify_period(
    reader: ReviewReader, period: Period, progress: Progress | None = None
) -> ChainReport:
    """Check the chain's links from the first event logged in ``period`` to the last
    (in pk order), starting from the hash of the event before them.

    This vouches for the period's events and their place in the chain; the whole
    chain from its start is ``csu-console logbook verify``. ``count`` is 0 (and
    ``ok``) when the period has no event. The central review (several stations'
    chains in one database) checks each station's (``verify_chains``).
    """
    if reader.dialect != "sqlite":
        verify_chains: Callable[[Period, Progress | None], ChainReport]
        verify_chains = reader.verify_chains  # type: ignore[attr-defined]
        return verify_chains(period, progress)
    params = {
        "start": period.start.isoformat(timespec="milliseconds"),
        "end": period.end.isoformat(timespec="milliseconds"),
    }
    first, last = reader.execute(
        "SELECT min(pk), max(pk) FROM events WHERE at >= :start AND at < :end", params
    ).fetchone()
    if first is None:
        return ChainReport(0, GENESIS)
    before = reader.execute(
        "SELECT pk, hash FROM events WHERE pk < ? ORDER BY pk DESC LIMIT 1", (first,)
    ).fetchone()
    prev, prev_pk = (GENESIS, None) if before is None else (before[1] or GENESIS, before[0])
    cur = reader.execute(
        f"SELECT {', '.join(COLUMNS)} FROM events WHERE pk BETWEEN ? AND ? ORDER BY pk",
        (first, last),
    )
    count, total = 0, last - first + 1
    while batch := reader.fetchmany(cur, 5000):
        for r in batch:
            problem = _problem(prev, prev_pk, r)
            if problem is not None:
                broken = ChainBreak(int(r[0]), r[2], r[4], problem)
                return ChainReport(count, prev, broken, prev_pk or 0)
            prev, prev_pk, count = r[11], int(r[0]), count + 1
        if progress is not None:
            progress(min(1.0, count / total))
    return ChainReport(count, prev, seq=prev_pk or 0)
