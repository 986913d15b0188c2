"""The PDF report as an export: produced under a temporary name, logged, then moved
into place (see :func:`csu_console.storage.review_export.export_file`)."""

from __future__ import annotations

from pathlib import Path

from csu_console.core.review.filter import ReviewFilter
from csu_console.report.pdf import Progress, ReportData, write_report
from csu_console.storage.review import ReviewReader, ZoneShapes, consistent
from csu_console.storage.review_export import ExportResult, Record, export_file


@consistent
def export_report(
    reader: ReviewReader,
    data: ReportData,
    path: Path,
    *,
    zones: ZoneShapes,
    record: Record,
    progress: Progress | None = None,
) -> ExportResult:
    """Write ``data``'s report with the main courante of its filter to ``path``;
    ``record(lines, sha256)`` logs the export (lines: events printed).

    Operators and stations narrow the main courante's events; a filter on the
    alerts' values (category, zone…) keeps only the events of those alerts.
    """
    f: ReviewFilter = data.review.filter
    pks = {r.pk for r in reader.alerts(f, zones)} if f.selects_alerts else None
    count = None if pks is not None else reader.logbook_count(f)

    def produce(tmp: Path) -> int:
        return write_report(tmp, data, lambda: reader.logbook(f, pks), count, progress)

    return export_file(path, produce, record)
