"""« Rapport par commune… »: the activity report of one commune, or of every commune
(one PDF each, into a chosen folder), for the maires, over the review's period.

The review's export flow, reused: the supervisor picks the commune(s), gives the
reason (mandatory, written to the main courante), then the file or the folder.
The worker reads every commune's data in one pass
(:func:`~csu_console.storage.review_communes.load_commune_reports`), the pages are
painted here on the GUI thread, one commune per turn of the event loop (fonts are
not thread-safe: see :mod:`csu_console.report.pdf`), then the worker writes each
file through :func:`~csu_console.storage.review_export.export_file`: one ``export``
event per PDF (its commune, its SHA-256), logged before the file is moved into place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QBuffer, QIODevice, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.retention import RetentionPolicy
from csu_console.core.review.commune_report import CommuneReport, period_text, report_stem
from csu_console.core.review.export import export_details
from csu_console.core.review.period import Period
from csu_console.core.review.places import ReviewZones
from csu_console.core.roles import Permission
from csu_console.core.territory import Commune
from csu_console.report.commune_pdf import paint_commune_report
from csu_console.report.export import save_report
from csu_console.storage.review import ReviewCancelled, ReviewReader
from csu_console.storage.review_communes import load_commune_reports
from csu_console.storage.review_export import ExportResult, record_export
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.session import Session, role_label
from csu_console.ui.review.export_outcome import result_box
from csu_console.ui.review.exports import PathChooser, ReviewExports
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.ui")

# The picker's value for « every commune ».
ALL_COMMUNES = "*"


class CommunePicker(QDialog):
    """Which commune's report: one, or all of them (one PDF each). Window-modal,
    opened with ``open()``; ``chosen`` gives the commune keys."""

    chosen = Signal(object)  # list[str]

    def __init__(self, communes: Sequence[Commune], period: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Rapport par commune"))
        self._keys = [c.key for c in communes]
        box = QVBoxLayout(self)
        intro = QLabel(self.tr("Rapport d'activité pour le maire, période {p}.").format(p=period))
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.communes = QComboBox(self)
        self.communes.addItem(
            self.tr("Toutes les communes ({n} PDF, un par commune)").format(n=len(communes)),
            ALL_COMMUNES,
        )
        for commune in communes:
            self.communes.addItem(commune.label, commune.key)
        box.addWidget(self.communes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Continuer…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.setMinimumWidth(520)

    def accept(self) -> None:
        value = self.communes.currentData()
        keys = self._keys if value == ALL_COMMUNES else [str(value)]
        super().accept()
        self.chosen.emit(keys)


@dataclass(frozen=True)
class CommuneRequest:
    """What the worker needs, captured on the GUI thread."""

    period: Period
    keys: tuple[str, ...]
    target: Path  # the file (one commune) or the folder (several)
    reason: str
    station: str
    operator: str
    author: str

    def path_of(self, report: CommuneReport) -> Path:
        return self.target if len(self.keys) == 1 else self.target / f"{report.file_stem}.pdf"


class CommuneReports(ReviewExports):
    """Runs « Rapport par commune… » for a review window (the export machinery of
    :class:`ReviewExports`: its progress dialog, cancel and error boxes)."""

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
        zones: ReviewZones,
        retention: RetentionPolicy,
        choose_path: PathChooser | None = None,
    ) -> None:
        super().__init__(window, worker, writer, session, station, centre=centre, tz=tz,
                         zones=zones, zone_names=zones.names, choose_path=choose_path)  # fmt: skip
        self._places, self._retention = zones, retention
        self.picker: CommunePicker | None = None

    def start_report(self, period: Period) -> None:
        """Ask which commune(s), why, then where; then write their reports."""
        account = self._session.account
        if account is None or not self._session.allowed(Permission.EXPORT):
            self.failed.emit(self._session.refusal(Permission.EXPORT))
            return
        communes = sorted(self._places.communes, key=lambda c: (c.name.casefold(), c.insee))
        if not communes:
            self.failed.emit(self.tr("Aucune commune : les zones du site n'en nomment pas."))
            return
        self.picker = CommunePicker(communes, period_text(period, self._tz), self._window)
        self.picker.chosen.connect(lambda keys: self._ask_reason(period, keys))
        self.picker.open()

    def _ask_reason(self, period: Period, keys: list[str]) -> None:
        account = self._session.account
        if account is None:
            return

        def with_reason(reason: str) -> None:
            if len(keys) == 1:
                commune = self._places.territory.commune(keys[0])
                assert commune is not None
                target = self.choose_path("pdf", f"{report_stem(commune, period, self._tz)}.pdf")
            else:
                target = self.choose_path("folder", "")
            if target is None:
                return
            author = f"{account.display_name} ({role_label(account.role)})"
            request = CommuneRequest(period, tuple(keys), target, reason, self._station,
                                     account.login, author)  # fmt: skip
            self._read(request)

        self.reason_dialog = ask_reason(
            self._window,
            self.tr("Rapport par commune"),
            self.tr("Motif de l'export (obligatoire, inscrit à la main courante) :"),
            with_reason,
            lambda: self.failed.emit(self.tr("Export annulé : le motif est obligatoire.")),
        )

    def _ask_path(self, kind: str, name: str) -> Path | None:
        if kind != "folder":
            return super()._ask_path(kind, name)
        chosen = QFileDialog.getExistingDirectory(
            self._window, self.tr("Dossier des rapports par commune"), str(Path.home())
        )
        return Path(chosen) if chosen else None

    def _open_progress(self, text: str) -> None:
        self._cancelled = False
        dialog = QProgressDialog(text, self.tr("Annuler"), 0, 100, self._window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._on_cancel)
        dialog.setValue(0)
        self.progress = dialog

    def _read(self, request: CommuneRequest) -> None:
        self._open_progress(
            self.tr("Rapports par commune : {n} commune(s)").format(n=len(request.keys))
        )
        zones, tz, centre, retention = self._places, self._tz, self._centre, self._retention

        def job(reader: ReviewReader, _s: Store, progress: Callable[[float], None]) -> Any:
            def step(done: float) -> None:
                if self._cancelled:
                    raise ReviewCancelled("export annulé")
                progress(0.4 * done)

            return load_commune_reports(
                reader, request.period, zones, request.keys, centre=centre, tz=tz,
                author=request.author, printed_at=datetime.now(UTC), retention=retention,
                progress=step,
            )  # fmt: skip

        self._worker.submit(job, lambda reports: self._paint_all(request, reports),
                            self._on_error, screen=False, owner=self)  # fmt: skip

    def _paint_all(self, request: CommuneRequest, reports: list[CommuneReport]) -> None:
        """GUI thread: the PDFs a page per turn of the event loop (a big commune's
        map and list take a while: the screen stays alive), then the worker writes
        them all."""
        painted: list[tuple[CommuneReport, bytes]] = []
        state: dict[str, Any] = {"pages": None, "buffer": None}

        def stop() -> None:
            pages = state["pages"]
            if pages is not None:
                state["pages"] = None
                pages.close()  # ends the painter

        def turn() -> None:
            if self._cancelled:
                stop()
                self._on_error(ReviewCancelled("export annulé"))
                return
            if len(painted) == len(reports):
                self._save_all(request, painted)
                return
            report = reports[len(painted)]
            try:
                if state["pages"] is None:
                    buffer = QBuffer()
                    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
                    state["buffer"] = buffer
                    state["pages"] = paint_commune_report(buffer, report)
                try:
                    next(state["pages"])
                except StopIteration:
                    state["pages"] = None
                    buffer = state["buffer"]
                    painted.append((report, bytes(buffer.data().data())))
                    buffer.close()
            except Exception as exc:  # noqa: BLE001 - shown to the supervisor, logged
                stop()
                self._on_error(exc)
                return
            self._set_progress(40 + int(50 * len(painted) / max(1, len(reports))))
            QTimer.singleShot(0, self, turn)

        turn()

    def _save_all(
        self, request: CommuneRequest, painted: list[tuple[CommuneReport, bytes]]
    ) -> None:
        writer = self._writer

        def save(_r: ReviewReader, _s: Store, progress: Callable[[float], None]) -> Any:
            results = []
            for n, (report, pdf) in enumerate(painted):
                path = request.path_of(report)

                def record(rows: int, sha256: str, report: CommuneReport = report,
                           path: Path = path) -> int:  # fmt: skip
                    details = export_details(
                        fmt="pdf", review_filter=report.review_filter, rows=rows,
                        reason=request.reason, revealed=False, sha256=sha256,
                        file_name=path.name,
                    )  # fmt: skip
                    details["what"] = "commune_report"
                    details["commune"] = report.commune.label
                    return writer.submit(
                        lambda s: record_export(s, request.station, request.operator, details)
                    ).result()

                results.append(save_report(path, pdf, report.current.count, record))
                progress(0.9 + 0.1 * (n + 1) / len(painted))
            return results

        self._worker.submit(save, self._on_saved, self._on_error, screen=False, owner=self)

    def _on_saved(self, results: list[ExportResult]) -> None:
        self._close_progress()
        events = ", ".join(str(r.event_pk) for r in results)
        where = results[0].path if len(results) == 1 else results[0].path.parent
        text = self.tr(
            "{n} rapport(s) écrit(s) et inscrit(s) à la main courante (événements n° {e}).\n\n"
            "Emplacement : {w}"
        ).format(n=len(results), e=events, w=where)
        self.result_box = result_box(
            self._window, QMessageBox.Icon.Information, self.tr("Rapports par commune"), text
        )
        self.finished.emit(results)
