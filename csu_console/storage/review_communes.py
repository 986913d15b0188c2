"""The per-commune reports' data, read on the review's worker (Qt-free).

One pass over the period's alerts and one over the previous period's facts serve
every commune asked (see :class:`~csu_console.core.review.commune_report.CommuneCollector`);
the station's SQLite and the central PostgreSQL read the same way (the reader's
dialect). The PDF is painted on the GUI thread from the plain records returned
(:mod:`csu_console.report.commune_pdf`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from csu_console.core.retention import RetentionPolicy
from csu_console.core.review.commune_report import (
    CommuneCollector,
    CommuneReport,
    outline_of,
    previous_period,
    sectors_of,
    tally_by_commune,
)
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.period import Period
from csu_console.core.review.places import ReviewZones
from csu_console.errors import UserFacingError
from csu_console.storage.review import Progress, ReviewReader, consistent


@consistent
def load_commune_reports(
    reader: ReviewReader,
    period: Period,
    zones: ReviewZones,
    keys: Sequence[str],
    *,
    centre: str,
    tz: tzinfo,
    author: str,
    printed_at: datetime,
    retention: RetentionPolicy | None = None,
    progress: Progress | None = None,
) -> list[CommuneReport]:
    """The report of each commune of ``keys`` (INSEE codes or names) over ``period``,
    in the order of ``keys``; an unknown key is refused before anything is read."""
    communes = []
    for key in keys:
        commune = zones.territory.commune(key)
        if commune is None:
            raise UserFacingError(f"commune inconnue du territoire : {key}")
        communes.append(commune)
    wanted = [c.key for c in communes]
    f = ReviewFilter.for_period(period, communes=wanted)
    collector = CommuneCollector(zones, wanted, period.end)
    step = None if progress is None else (lambda done: progress(0.8 * done))
    collector.add_rows(reader.alerts(f, zones, progress=step))
    previous = previous_period(period, tz)
    before = tally_by_commune(
        zones, wanted, reader.facts(ReviewFilter.for_period(previous, communes=wanted), zones)
    )
    if progress is not None:
        progress(1.0)
    out = []
    for commune in communes:
        current = collector.tallies[commune.key].result()
        report = CommuneReport(
            centre=centre, commune=commune, period=period, previous=previous, tz=tz,
            author=author, printed_at=printed_at, current=current,
            before=before[commune.key], alerts=tuple(collector.listed[commune.key]),
            points=tuple(collector.points[commune.key]), outline=outline_of(zones, commune),
            sectors=sectors_of(zones, commune, current), zone_names=zones.names,
            retention=retention or RetentionPolicy(),
        )  # fmt: skip
        out.append(report)
    return out
