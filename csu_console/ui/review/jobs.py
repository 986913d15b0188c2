"""The review's jobs, as the worker runs them: ``job(reader, store, progress)``.
Each is built on the GUI thread from plain values (a filter, zones, a pk) and
touches nothing but the worker's read-only connection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from csu_console.core.review.digest import ShiftDigest, Summary
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.period import Period
from csu_console.core.review.rows import AlertRow, LogLine
from csu_console.storage.logbook_audit import ChainReport
from csu_console.storage.review import ReviewReader, ZoneShapes
from csu_console.storage.review_load import list_alerts, load_summary, verify_period
from csu_console.storage.store import Store
from csu_console.ui.map.alert_layer import AlertMarker
from csu_console.ui.map.overlays import MapAlert, alert_marker

Progress = Callable[[float], None]

#: Rows the screen's list keeps (the indicators always count every alert).
LIST_ROWS = 20_000


@dataclass(frozen=True)
class SummaryResult:
    """Indicators and digest, the pseudonym key (timelines), stations seen."""

    summary: Summary
    key: bytes | None
    stations: tuple[str, ...]


_STATIONS = (
    "SELECT DISTINCT station FROM events WHERE kind IN ('login', 'shift_opened', 'muted')"
    " AND at >= :start AND at < :end AND station IS NOT NULL"
)


def summary(
    f: ReviewFilter, zones: ZoneShapes
) -> Callable[[ReviewReader, Store, Progress], SummaryResult]:
    """Indicators and digest of ``f`` (with progress: a month takes seconds)."""

    def run(reader: ReviewReader, _store: Store, progress: Progress) -> SummaryResult:
        with reader.snapshot():
            result = load_summary(reader, f, zones, progress=progress)
            params = {"start": f.start.isoformat(timespec="milliseconds"),
                      "end": f.end.isoformat(timespec="milliseconds")}  # fmt: skip
            stations = tuple(r[0] for r in reader.execute(_STATIONS, params).fetchall())
            return SummaryResult(result, reader.pseudonym_key(), stations)

    return run


@dataclass(frozen=True)
class MapPoints:
    """The period's alerts as map points, and their markers ready to draw."""

    alerts: list[MapAlert]
    markers: list[AlertMarker]


def map_points(rows: Sequence[AlertRow]) -> MapPoints:
    """The points of ``rows`` that have a position (any thread)."""
    alerts = [
        MapAlert(str(r.pk), r.lon, r.lat, r.priority, label=r.title, pulsing=False)
        for r in rows
        if r.lon is not None and r.lat is not None
    ]
    return MapPoints(alerts, [alert_marker(a) for a in alerts])


@dataclass(frozen=True)
class RowsResult:
    """The alert list of a filter, whether it was cut, and its map points."""

    rows: tuple[AlertRow, ...]
    truncated: bool
    points: MapPoints


def rows(
    f: ReviewFilter, zones: ZoneShapes, max_rows: int = LIST_ROWS
) -> Callable[[ReviewReader, Store, Progress], RowsResult]:
    """The alert list of ``f``, whether it was cut at ``max_rows``, and its map
    points (built here, off the GUI thread)."""

    def run(reader: ReviewReader, _store: Store, _progress: Progress) -> RowsResult:
        found, truncated = list_alerts(reader, f, zones, max_rows=max_rows)
        return RowsResult(found, truncated, map_points(found))

    return run


@dataclass(frozen=True)
class DataFound:
    """Whether each period holds alerts, and when the latest alert came in."""

    has_data: tuple[bool, ...]
    latest: datetime | None


_ANY_ALERT = "SELECT EXISTS (SELECT 1 FROM alerts WHERE received_at >= ? AND received_at < ?)"
_LATEST_ALERT = "SELECT max(received_at) FROM alerts WHERE received_at < ?"


def data_found(
    periods: Sequence[Period], now: datetime
) -> Callable[[ReviewReader, Store, Progress], DataFound]:
    """Which of ``periods`` hold alerts, and the latest alert before ``now``
    (the shift the window opens on: see :func:`~csu_console.core.review.shifts.default_shift`)."""

    def iso(at: datetime) -> str:
        return at.astimezone(UTC).isoformat(timespec="milliseconds")

    def run(reader: ReviewReader, _store: Store, _progress: Progress) -> DataFound:
        with reader.snapshot():
            found = tuple(
                bool(reader.execute(_ANY_ALERT, (iso(p.start), iso(p.end))).fetchone()[0])
                for p in periods
            )
            latest = reader.execute(_LATEST_ALERT, (iso(now),)).fetchone()[0]
        return DataFound(found, datetime.fromisoformat(latest) if latest else None)

    return run


def chain(period: Period) -> Callable[[ReviewReader, Store, Progress], ChainReport]:
    """The period's hash chain checked."""

    def run(reader: ReviewReader, _store: Store, _progress: Progress) -> ChainReport:
        return verify_period(reader, period)

    return run


def timeline(pk: int) -> Callable[[ReviewReader, Store, Progress], list[LogLine]]:
    """Every event of one alert."""

    def run(reader: ReviewReader, _store: Store, _progress: Progress) -> list[LogLine]:
        return reader.timeline(pk)

    return run


def shift_digest(
    station: str, zones: ZoneShapes, now: Callable[[], datetime] | None = None
) -> Callable[[ReviewReader, Store, Progress], ShiftDigest | None]:
    """The digest of ``station``'s open shift, from its opening to now (None when
    no shift is open: the store will say so when asked to close it)."""

    def run(reader: ReviewReader, store: Store, _progress: Progress) -> ShiftDigest | None:
        with reader.snapshot():
            opened = store.current_shift(station)
            if opened is None:
                return None
            end = max((now or (lambda: datetime.now(UTC)))(), opened.at + timedelta(seconds=1))
            f = ReviewFilter(opened.at, end)
            return load_summary(reader, f, zones).digest

    return run
