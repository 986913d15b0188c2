"""« Registre des extractions »: what was extracted, for whom, when, and whether its
source segments are still held. Filter by period; « Exporter en CSV » asks why
and is logged as an ``export`` event like the other exports (CNIL). « Lever la
conservation… » (legal-hold right) asks why, releases the extraction's hold in the
main courante and its source segments in the recorder's index.

Reads and the export run on the storage thread
(:func:`~csu_console.storage.extractions.list_extractions`,
:func:`~csu_console.storage.extractions.export_register`); the GUI never waits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.holds import LegalHold
from csu_console.core.recording import ExtractionRecord
from csu_console.core.review.export import check_reason
from csu_console.core.roles import Permission
from csu_console.errors import UserFacingError
from csu_console.report.extraction_pv import period_text
from csu_console.storage.extractions import export_register, list_extractions, release_extraction
from csu_console.storage.review_export import ExportResult
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.session import Session
from csu_console.ui.review.export_outcome import done_box, failed_box, failure_text
from csu_console.ui.review.tables import fill, make_table

log = logging.getLogger("csu.ui")

#: Days shown when the register opens (today and the 29 before: the CNIL's month).
DEFAULT_DAYS = 30
#: ``choose(suggested_name)`` → where to write the CSV (None: cancelled); tests inject it.
CsvChooser = Callable[[str], Path | None]


def may_read_register(session: Session) -> bool:
    """Who extracts reads the register, and so does who audits the accesses."""
    return session.allowed(Permission.EXTRACT_VIDEO) or session.allowed(Permission.ACCESS_REGISTER)


class ExtractionsRegisterWindow(QMainWindow):
    """See the module docstring. ``loaded(records)`` after each read."""

    loaded = Signal(object)  # list[ExtractionRecord]
    exported = Signal(object)  # ExportResult

    def __init__(
        self,
        tasks: DbTasks,
        session: Session,
        tz: ZoneInfo,
        station: str,
        camera_names: dict[str, str],
        *,
        centre: str = "",
        recordings: Path | None = None,
        now: Callable[[], datetime] | None = None,
        choose_path: CsvChooser | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(self.tr("Registre des extractions – {site}").format(site=centre))
        self.setStyleSheet(
            "QWidget { font-size: 14pt; } QTableWidget { font-size: 14pt; }"
            " QHeaderView::section { font-weight: bold; padding: 4px 8px; }"
        )
        self.resize(1880, 1000)
        self.tasks, self.session, self.tz, self.station = tasks, session, tz, station
        self.camera_names = camera_names
        self.recordings = recordings
        self._now = now or (lambda: datetime.now(UTC))
        self.choose_path: CsvChooser = choose_path or self._ask_path
        self.records: list[ExtractionRecord] = []
        self._request = 0
        self._closing = False
        self._notice = ""
        self.reason_dialog: QInputDialog | None = None
        self.result_box: QMessageBox | None = None

        today = self._now().astimezone(tz).date()
        self.since = self._date_edit(today - timedelta(days=DEFAULT_DAYS - 1))
        self.until = self._date_edit(today)
        self.since.dateChanged.connect(lambda _d: self.refresh())
        self.until.dateChanged.connect(lambda _d: self.refresh())
        self.table = make_table(
            [self.tr("Date"), self.tr("N° de réquisition"), self.tr("Service"), self.tr("OPJ"),
             self.tr("Caméras"), self.tr("Période"), self.tr("Fichiers"), self.tr("Opérateur"),
             self.tr("Conservation")],
            self,
        )  # fmt: skip
        self.table.verticalHeader().setDefaultSectionSize(38)
        # The long free texts (service, cameras) are cut with « … » (whole in the
        # tooltip of the row's cells, and in the CSV): the hold's state, last, must
        # stay on screen without scrolling.
        header = self.table.horizontalHeader()
        for index, width in ((2, 220), (3, 200), (4, 240)):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(index, width)
        self.status = QLabel(self)
        self.status.setStyleSheet("font-weight: bold;")
        self.csv_button = QPushButton(self.tr("Exporter en CSV…"), self)
        self.csv_button.clicked.connect(self.export_csv)
        self.release_button = QPushButton(self.tr("Lever la conservation…"), self)
        self.release_button.setToolTip(
            self.tr("Mainlevée de la réquisition : les segments sources redeviennent purgeables")
        )
        self.release_button.clicked.connect(self.release_selected)

        period = QHBoxLayout()
        for label, widget in ((self.tr("Du"), self.since), (self.tr("au"), self.until)):
            period.addWidget(QLabel(label, self))
            period.addWidget(widget)
        period.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.release_button)
        bottom.addWidget(self.csv_button)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.addLayout(period)
        column.addWidget(self.table, 1)
        column.addLayout(bottom)
        self.setCentralWidget(central)
        session.changed.connect(self._on_session_changed)
        self._on_session_changed(session.account)

    def _date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def period(self) -> tuple[datetime, datetime]:
        """The days chosen (local, both included), as UTC bounds."""
        first, last = self.since.date().toPython(), self.until.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        if last < first:
            first, last = last, first
        start = datetime.combine(first, time(), self.tz).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(), self.tz).astimezone(UTC)
        return start, end

    # -- reading ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the register for the period (an older answer is dropped)."""
        if self._closing:
            return
        start, end = self.period()
        self._request += 1
        request = self._request
        self.status.setText(self.tr("Chargement…"))
        self.tasks.run(
            lambda store: list_extractions(store, start, end),
            lambda records: self._on_records(request, records),
            self._on_error,
            owner=self,
        )

    def _on_records(self, request: int, records: list[ExtractionRecord]) -> None:
        if request != self._request:
            return
        self.records = records
        fill(self.table, [self.cells(r) for r in records])
        text = self.tr("{n} extraction(s) sur la période").format(n=len(records))
        if self._notice:  # what the last action did stays readable after the reload
            text, self._notice = f"{self._notice} — {text}", ""
        self.status.setText(text)
        self.loaded.emit(records)

    def cells(self, r: ExtractionRecord) -> list[str]:
        req, tz = r.request, self.tz
        written = [f for f in r.files if f.sha256]
        files = self.tr("{n} fichier(s), {mb} Mo").format(
            n=len(written), mb=f"{sum(f.size for f in written) / 1e6:.1f}".replace(".", ",")
        )
        if r.released_at is None:
            hold = self.tr("en cours")
        else:
            hold = self.tr("levée le {d}").format(d=f"{r.released_at.astimezone(tz):%d/%m/%Y}")
        cameras = ", ".join(self.camera_names.get(c, c) for c in req.camera_ids)
        return [
            f"{r.at.astimezone(tz):%d/%m/%Y %H:%M}", req.requisition.number,
            req.requisition.service, req.requisition.opj, cameras,
            period_text(req.start, req.end, tz), files, r.operator or "", hold,
        ]  # fmt: skip

    def _on_error(self, exc: BaseException) -> None:
        log.error("registre des extractions : lecture impossible", exc_info=exc)
        self.status.setText(self.tr("Lecture impossible : {m}").format(m=exc))

    # -- export ---------------------------------------------------------------------------

    def export_csv(self) -> None:
        """Ask why, then where; the CSV of the period, logged as an ``export`` event."""
        account = self.session.account
        if account is None or not self.session.allowed(Permission.EXPORT):
            self.status.setText(self.session.refusal(Permission.EXPORT))
            return
        start, end = self.period()

        def with_reason(reason: str) -> None:
            last = end.astimezone(self.tz) - timedelta(seconds=1)
            name = f"registre-extractions-{start.astimezone(self.tz):%Y%m%d}-{last:%Y%m%d}.csv"
            path = self.choose_path(name)
            if path is not None:
                self._export(path, check_reason(reason), account.login, start, end)

        self.reason_dialog = ask_reason(
            self, self.tr("Exporter le registre des extractions"),
            self.tr("Motif de l'export (obligatoire, inscrit à la main courante) :"),
            with_reason,
            lambda: self.status.setText(self.tr("Export annulé : le motif est obligatoire.")),
        )  # fmt: skip

    def _ask_path(self, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Enregistrer l'export"), str(Path.home() / name), self.tr("CSV (*.csv)")
        )
        return Path(chosen) if chosen else None

    def _export(self, path: Path, reason: str, login: str, start: datetime, end: datetime) -> None:
        station, tz = self.station, self.tz

        def job(store: Store) -> ExportResult:
            return export_register(store, path, tz, station=station, operator=login,
                                   reason=reason, start=start, end=end)  # fmt: skip

        self.status.setText(self.tr("Export en cours : {f}").format(f=path.name))
        self.tasks.run(job, self._on_exported, self._on_export_failed, owner=self)

    def _on_exported(self, result: ExportResult) -> None:
        self.status.setText(self.tr("Export terminé : {f}").format(f=result.path))
        self.result_box = done_box(self, result)
        self.exported.emit(result)

    def _on_export_failed(self, exc: BaseException) -> None:
        message = failure_text(exc, "export du registre des extractions")
        self.status.setText(message)
        self.result_box = failed_box(self, message)

    # -- mainlevée --------------------------------------------------------------------------

    def selected(self) -> ExtractionRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.records):
            return None
        return self.records[rows[0].row()]

    def release_selected(self) -> None:
        """Ask why, then release the selected extraction's hold and its segments."""
        account = self.session.account
        if account is None or not self.session.allowed(Permission.LEGAL_HOLD):
            self.status.setText(self.session.refusal(Permission.LEGAL_HOLD))
            return
        record = self.selected()
        if record is None:
            self.status.setText(self.tr("Choisissez d'abord une extraction dans la liste."))
            return
        if record.released_at is not None:
            self.status.setText(
                self.tr("Extraction n° {pk} : conservation déjà levée.").format(pk=record.pk)
            )
            return
        self.reason_dialog = ask_reason(
            self, self.tr("Lever la conservation"),
            self.tr(
                "Mainlevée de l'extraction n° {pk} (réquisition « {ref} »).\n"
                "Motif (obligatoire, inscrit à la main courante) :"
            ).format(pk=record.pk, ref=record.request.requisition.number),
            lambda why: self._release(record, why, account.login),
            lambda: self.status.setText(self.tr("Mainlevée annulée : le motif est obligatoire.")),
        )  # fmt: skip

    def _release(self, record: ExtractionRecord, why: str, login: str) -> None:
        station, recordings = self.station, self.recordings

        def job(store: Store) -> tuple[list[LegalHold], int]:
            return release_extraction(store, record.pk, why, recordings,
                                      station=station, operator=login)  # fmt: skip

        def done(result: tuple[list[LegalHold], int]) -> None:
            self._notice = self.tr(
                "Conservation de l'extraction n° {pk} levée ; {n} segment(s) de "
                "l'enregistreur libéré(s)."
            ).format(pk=record.pk, n=result[1])
            self.refresh()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, UserFacingError):
                log.error("mainlevée de l'extraction n° %s en échec", record.pk, exc_info=exc)
            self._notice = self.tr("Mainlevée impossible : {m}").format(m=exc)
            self.refresh()  # the book's hold may be released while the index kept its own

        self.tasks.run(job, done, failed, owner=self)

    # -- roles ------------------------------------------------------------------------------

    def _on_session_changed(self, _account: object) -> None:
        if not may_read_register(self.session):
            self.close()  # someone without the right took the station
            return
        self.csv_button.setEnabled(self.session.allowed(Permission.EXPORT))
        self.release_button.setEnabled(self.session.allowed(Permission.LEGAL_HOLD))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        super().closeEvent(event)
