"""The PDF report as an export: produced under a temporary name, logged, then moved
into place (see :func:`csu_console.storage.review_export.export_file`).

The review splits it in three so that only plain Python crosses threads: the
worker reads the period (:func:`report_lines`), the GUI thread paints the pages
(:func:`csu_console.report.pdf.paint_report`), the worker writes, hashes, logs and
moves the file (:func:`save_report`). :func:`export_report` does all three at once
on the calling thread (the GUI thread: scripts and tests).
"""

from __future__ import annotations

from pathlib import Path

from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.rows import LogLine
from csu_console.report.pdf import Progress, ReportData, write_report
from csu_console.storage.review import ReviewReader, ZoneShapes, consistent
from csu_console.storage.review_export import ExportResult, Record, export_file


def report_lines(reader: ReviewReader, f: ReviewFilter, zones: ZoneShapes) -> list[LogLine]:
    """The main courante lines the report of ``f`` prints (any thread).

    Operators and stations narrow the main courante's events; a filter on the
    alerts' values (category, zone…) keeps only the events of those alerts.
    """
    pks = {r.pk for r in reader.alerts(f, zones)} if f.selects_alerts else None
    return list(reader.logbook(f, pks))


def save_report(path: Path, pdf: bytes, lines: int, record: Record) -> ExportResult:
    """Write a painted report to ``path`` through :func:`export_file` (any thread);
    ``record(lines, sha256)`` logs it."""

    def produce(tmp: Path) -> int:
        tmp.write_bytes(pdf)
        return lines

    return export_file(path, produce, record)


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
    ``record(lines, sha256)`` logs the export (lines: events printed). Paints on
    the calling thread, which must be the GUI thread."""
    lines = report_lines(reader, data.review.filter, zones)

    def produce(tmp: Path) -> int:
        return write_report(tmp, data, lambda: lines, len(lines), progress)

    return export_file(path, produce, record)
