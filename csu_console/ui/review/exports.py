"""« Exporter CSV » and « Rapport PDF »: a mandatory reason, a file, then the export
on the review's worker with a progress dialog; the ``export`` event (who, why,
which filter, the file's SHA-256) is written by the console's storage thread
before the file is moved into place. The PDF's pages are painted here, on the
GUI thread, a page per turn of the event loop (fonts are not thread-safe: see
:mod:`csu_console.report.pdf`); the worker reads the data and writes the file.
Reporters are pseudonymised unless the role allows otherwise and the supervisor
asked."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QBuffer, QIODevice, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from csu_console.core.review.export import export_details, reporters_key
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.places import ReviewZones
from csu_console.core.review.rows import LogLine
from csu_console.core.roles import Permission, Role
from csu_console.report.export import report_lines, save_report
from csu_console.report.pdf import ReportData, paint_report
from csu_console.storage.review import ReviewCancelled, ReviewReader, ZoneShapes
from csu_console.storage.review_export import (
    ExportResult,
    ensure_pseudonym_key,
    export_csv,
    record_export,
)
from csu_console.storage.review_load import load_summary, verify_period
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.session import Session, role_label
from csu_console.ui.review.export_outcome import done_box, failed_box, failure_text
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.ui")

#: ``choose(kind, suggested_name)`` → where to write (None: cancelled); tests inject it.
PathChooser = Callable[[str, str], Path | None]


@dataclass(frozen=True)
class ExportRequest:
    """Everything the worker needs, captured on the GUI thread."""

    kind: str  # "csv" | "pdf"
    review_filter: ReviewFilter
    path: Path
    reason: str
    reveal: bool
    role: Role
    station: str
    operator: str
    author: str
    verify: bool


@dataclass(frozen=True)
class _ReportInput:
    """What the worker read for a PDF: the report's data and its logbook lines."""

    data: ReportData
    lines: list[LogLine]
    key: bytes | None


class ReviewExports(QObject):
    """Runs the two exports for a :class:`~csu_console.ui.review.window.ReviewWindow`."""

    finished = Signal(object)  # ExportResult
    failed = Signal(str)  # French

    def __init__(
        self,
        window: QWidget,
        worker: ReviewWorker,
        writer: StorageWriter,
        session: Session,
        station: str,
        *,
        centre: str,
        tz: ZoneInfo,
        zones: ZoneShapes,
        zone_names: dict[str, str],
        choose_path: PathChooser | None = None,
    ) -> None:
        super().__init__(window)
        self._window, self._worker, self._writer = window, worker, writer
        self._session, self._station = session, station
        self._centre, self._tz = centre, tz
        self._zones, self._zone_names = zones, zone_names
        self.choose_path: PathChooser = choose_path or self._ask_path
        self.reason_dialog: QInputDialog | None = None
        self.progress: QProgressDialog | None = None
        self.result_box: QMessageBox | None = None
        self._cancelled = False
        self._pages: Iterator[int] | None = None  # the PDF being painted
        self._updating = False  # inside the progress dialog's setValue()
        self._closing: QProgressDialog | None = None  # to delete once it returns
        worker.progress.connect(self._on_progress)

    def start(self, kind: str, review_filter: ReviewFilter, reveal: bool = False) -> None:
        """Ask why, then where, then export ``review_filter`` as ``kind``."""
        account = self._session.account
        if account is None or not self._session.allowed(Permission.EXPORT):
            self.failed.emit(self._session.refusal(Permission.EXPORT))
            return
        title = self.tr("Exporter CSV") if kind == "csv" else self.tr("Rapport PDF")

        def with_reason(reason: str) -> None:
            name = f"revue-{review_filter.start.astimezone(self._tz):%Y%m%d-%H%M}.{kind}"
            path = self.choose_path(kind, name)
            if path is None:
                return
            request = ExportRequest(
                kind, review_filter, path, reason, reveal, account.role, self._station,
                account.login, f"{account.display_name} ({role_label(account.role)})",
                self._session.allowed(Permission.VERIFY_LOGBOOK),
            )  # fmt: skip
            self._run(request)

        self.reason_dialog = ask_reason(
            self._window,
            title,
            self.tr("Motif de l'export (obligatoire, inscrit à la main courante) :"),
            with_reason,
            lambda: self.failed.emit(self.tr("Export annulé : le motif est obligatoire.")),
        )

    def _ask_path(self, kind: str, name: str) -> Path | None:
        filters = self.tr("CSV (*.csv)") if kind == "csv" else self.tr("PDF (*.pdf)")
        chosen, _ = QFileDialog.getSaveFileName(
            self._window, self.tr("Enregistrer l'export"), str(Path.home() / name), filters
        )
        return Path(chosen) if chosen else None

    def _run(self, request: ExportRequest) -> None:
        self._cancelled = False
        dialog = QProgressDialog(
            self.tr("Export en cours : {f}").format(f=request.path.name),
            self.tr("Annuler"), 0, 100, self._window,
        )  # fmt: skip
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._on_cancel)
        dialog.setValue(0)
        self.progress = dialog
        writer = self._writer

        def job(reader: ReviewReader, _store: Store, progress: Callable[[float], None]) -> Any:
            def step(done: float) -> None:
                if self._cancelled:
                    raise ReviewCancelled("export annulé")
                progress(done)

            key = reporters_key(
                request.role, request.reveal, writer.submit(ensure_pseudonym_key).result()
            )

            def record(rows: int, sha256: str) -> int:
                details = export_details(
                    fmt=request.kind, review_filter=request.review_filter, rows=rows,
                    reason=request.reason, revealed=key is None, sha256=sha256,
                    file_name=request.path.name,
                )  # fmt: skip
                return writer.submit(
                    lambda s: record_export(s, request.station, request.operator, details)
                ).result()

            return self._produce(reader, request, key, record, step)

        self._worker.submit(
            job, lambda result: self._on_read(request, result), self._on_error,
            screen=False, owner=self,
        )  # fmt: skip

    def _produce(
        self,
        reader: ReviewReader,
        request: ExportRequest,
        key: bytes | None,
        record: Callable[[int, str], int],
        step: Callable[[float], None],
    ) -> ExportResult | _ReportInput:
        """On the worker: the CSV file, or what the PDF prints, from one view of
        the database (the PDF is painted on the GUI thread, then saved)."""
        f = request.review_filter
        with reader.snapshot():
            if request.kind == "csv":
                return export_csv(reader, f, request.path, zones=self._zones, tz=self._tz,
                                  key=key, record=record, zone_names=self._zone_names,
                                  progress=step)  # fmt: skip
            summary = load_summary(reader, f, self._zones, progress=lambda d: step(0.3 * d))
            chain = verify_period(reader, f.period) if request.verify else None
            communes = (
                {c.key: c.label for c in self._zones.communes}
                if isinstance(self._zones, ReviewZones)
                else {}
            )
            data = ReportData(self._centre, self._tz, summary, chain, request.author,
                              datetime.now(UTC), self._zone_names, key, communes)  # fmt: skip
            lines = report_lines(reader, f, self._zones)
            step(0.4)
            return _ReportInput(data, lines, key)

    def _paint(self, request: ExportRequest, report: _ReportInput) -> None:
        """GUI thread: the report's pages, one per turn of the event loop, into
        memory; then the worker writes, hashes, logs and moves the file."""
        # No parent: the pages' painter may still end on it after this object is
        # gone (the window closed mid-report); Python keeps it while it is used.
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        total = len(report.lines)
        self._pages = paint_report(buffer, report.data, report.lines, total)
        writer = self._writer

        def finish(printed: int) -> None:
            pdf = bytes(buffer.data().data())
            buffer.close()

            def record(rows: int, sha256: str) -> int:
                details = export_details(
                    fmt="pdf", review_filter=request.review_filter, rows=rows,
                    reason=request.reason, revealed=report.key is None, sha256=sha256,
                    file_name=request.path.name,
                )  # fmt: skip
                return writer.submit(
                    lambda s: record_export(s, request.station, request.operator, details)
                ).result()

            def save(_r: ReviewReader, _s: Store, _p: Callable[[float], None]) -> ExportResult:
                return save_report(request.path, pdf, printed, record)

            self._worker.submit(save, self._on_done, self._on_error, screen=False, owner=self)

        def turn() -> None:
            pages = self._pages
            if pages is None:
                return
            if self._cancelled:
                self._stop_painting()
                buffer.close()
                self._on_error(ReviewCancelled("export annulé"))
                return
            try:
                printed = next(pages)
            except StopIteration:
                self._pages = None
                finish(total)
                return
            except Exception as exc:  # noqa: BLE001 - shown to the supervisor, logged
                self._stop_painting()
                buffer.close()
                self._on_error(exc)
                return
            self._set_progress(40 + int(55 * printed / max(1, total)))
            QTimer.singleShot(0, self, turn)

        turn()

    def _stop_painting(self) -> None:
        if self._pages is not None:
            pages, self._pages = self._pages, None
            close = getattr(pages, "close", None)
            if close is not None:
                close()  # ends the painter

    def _on_cancel(self) -> None:
        self._cancelled = True

    def _on_progress(self, generation: int, done: float) -> None:
        if generation == -1:
            self._set_progress(int(done * 100))

    def _set_progress(self, value: int) -> None:
        """``setValue`` of a modal progress dialog runs the event loop: the export's
        result, queued behind its last progress while the GUI was busy, is handled
        in there, and the dialog must outlive setValue. Deleted in there, it was
        freed under its own setValue: the segmentation fault after « Rapport PDF »
        (issue 14)."""
        dialog = self.progress
        if dialog is None or self._updating:
            return
        self._updating = True
        try:
            dialog.setValue(value)
        finally:
            self._updating = False
        if self._closing is not None:
            closing, self._closing = self._closing, None
            self._dispose(closing)

    def _close_progress(self) -> None:
        dialog, self.progress = self.progress, None
        if dialog is None:
            return
        dialog.canceled.disconnect(self._on_cancel)  # closing it is not cancelling
        if self._updating:
            dialog.hide()
            self._closing = dialog  # deleted when its setValue returns
        else:
            self._dispose(dialog)

    @staticmethod
    def _dispose(dialog: QProgressDialog) -> None:
        dialog.close()
        dialog.deleteLater()

    def _on_read(self, request: ExportRequest, result: ExportResult | _ReportInput) -> None:
        if isinstance(result, _ReportInput):
            self._paint(request, result)
        else:
            self._on_done(result)

    def _on_done(self, result: ExportResult) -> None:
        self._close_progress()
        self.result_box = done_box(self._window, result)
        self.finished.emit(result)

    def _on_error(self, exc: BaseException) -> None:
        self._close_progress()
        if isinstance(exc, ReviewCancelled):
            message = self.tr("Export annulé : aucun fichier écrit.")
        else:
            message = failure_text(exc, "export de la revue")
        self.result_box = failed_box(self._window, message)
        self.failed.emit(message)
