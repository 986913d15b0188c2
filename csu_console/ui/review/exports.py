"""« Exporter CSV » and « Rapport PDF »: a mandatory reason, a file, then the export
on the review's worker with a progress dialog; the ``export`` event (who, why,
which filter, the file's SHA-256) is written by the console's storage thread
before the file is moved into place. Reporters are pseudonymised unless the role
allows otherwise and the supervisor asked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from csu_console.core.review.export import export_details, reporters_key
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.roles import Permission, Role
from csu_console.errors import UserFacingError
from csu_console.report.export import export_report
from csu_console.report.pdf import ReportData
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

        self._worker.submit(job, self._on_done, self._on_error, screen=False, owner=self)

    def _produce(
        self,
        reader: ReviewReader,
        request: ExportRequest,
        key: bytes | None,
        record: Callable[[int, str], int],
        step: Callable[[float], None],
    ) -> ExportResult:
        """On the worker: the file, from one view of the database."""
        f = request.review_filter
        with reader.snapshot():
            if request.kind == "csv":
                return export_csv(reader, f, request.path, zones=self._zones, tz=self._tz,
                                  key=key, record=record, zone_names=self._zone_names,
                                  progress=step)  # fmt: skip
            summary = load_summary(reader, f, self._zones, progress=lambda d: step(0.3 * d))
            chain = verify_period(reader, f.period) if request.verify else None
            data = ReportData(self._centre, self._tz, summary, chain, request.author,
                              datetime.now(UTC), self._zone_names, key)  # fmt: skip
            return export_report(reader, data, request.path, zones=self._zones, record=record,
                                 progress=lambda d: step(0.3 + 0.7 * d))  # fmt: skip

    def _on_cancel(self) -> None:
        self._cancelled = True

    def _on_progress(self, generation: int, done: float) -> None:
        if generation == -1 and self.progress is not None:
            self.progress.setValue(int(done * 100))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _on_done(self, result: ExportResult) -> None:
        self._close_progress()
        text = self.tr(
            "Export terminé et inscrit à la main courante (événement n° {pk}).\n\n"
            "Lignes : {rows}\nFichier : {path}\nSHA-256 : {sha}"
        ).format(pk=result.event_pk, rows=result.rows, path=result.path, sha=result.sha256)
        self._show(QMessageBox.Icon.Information, self.tr("Export terminé"), text)
        self.finished.emit(result)

    def _on_error(self, exc: BaseException) -> None:
        self._close_progress()
        if isinstance(exc, ReviewCancelled):
            message = self.tr("Export annulé : aucun fichier écrit.")
        elif isinstance(exc, UserFacingError):  # no role to reveal, disk full…
            message = self.tr("Export impossible : {m}").format(m=exc)
        else:
            log.error("export de la revue en échec", exc_info=exc)
            message = self.tr("Export impossible (erreur interne) : {m}").format(m=exc)
        self._show(QMessageBox.Icon.Critical, self.tr("Export impossible"), message)
        self.failed.emit(message)

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_box = box
        box.open()
