"""« Registre des accès » (supervisor, administrator): who viewed which camera,
when and why; snapshots, exports, reviews opened — for the whole CSU (this
station's book and the other stations' copies). Filters by period, operator,
camera and action; a large table; a CSV export that is itself logged.

Reads run on the review's worker (:mod:`csu_console.storage.access_register`);
the export's event is written by the console's storage thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
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

from csu_console.config.schema import SiteConfig
from csu_console.core.access_register import (
    ACCESS_KINDS,
    ACTION_LABELS,
    CAMERA_SEPARATOR,
    AccessEntry,
    AccessFilter,
    action_label,
    alert_label,
    who_label,
    why_text,
)
from csu_console.core.review.export import check_reason
from csu_console.core.roles import Permission
from csu_console.storage.access_register import AccessPage, export_access_csv, read_access
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_export import ExportResult, record_export
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.session import Session
from csu_console.ui.labels import tr_label
from csu_console.ui.review.export_outcome import done_box, failed_box, failure_text
from csu_console.ui.review.exports import PathChooser
from csu_console.ui.review.tables import fill, make_table
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.ui")

#: Days shown when the register opens (today and the six before).
DEFAULT_DAYS = 7


class AccessRegisterWindow(QMainWindow):
    """See the module docstring. ``loaded`` fires with each page shown."""

    loaded = Signal(object)  # AccessPage
    exported = Signal(object)  # ExportResult

    def __init__(
        self,
        site: SiteConfig,
        session: Session,
        worker: ReviewWorker,
        writer: StorageWriter,
        station: str,
        *,
        now: Callable[[], datetime] | None = None,
        choose_path: PathChooser | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(self.tr("Registre des accès – {site}").format(site=site.site.name))
        self.setStyleSheet(
            "QWidget { font-size: 14pt; } QTableWidget { font-size: 14pt; }"
            " QHeaderView::section { font-weight: bold; padding: 4px 8px; }"
        )
        self.resize(1900, 1020)
        self.session, self.worker, self.writer, self.station = session, worker, writer, station
        self.tz = ZoneInfo(site.site.timezone)
        self._now = now or (lambda: datetime.now(UTC))
        self.choose_path: PathChooser = choose_path or self._ask_path
        self.camera_names = {c.id: c.name for c in site.cameras}
        self.current: AccessFilter | None = None
        self.page: AccessPage | None = None
        self._request = 0  # the latest read asked; older answers are dropped
        self._closing = False
        self.reason_dialog: QInputDialog | None = None
        self.result_box: QMessageBox | None = None

        today = self._now().astimezone(self.tz).date()
        self.since = self._date_edit(today - timedelta(days=DEFAULT_DAYS - 1))
        self.until = self._date_edit(today)
        self.quick: dict[int, QPushButton] = {}
        for days, label in ((1, self.tr("Aujourd'hui")), (7, self.tr("7 jours")),
                            (30, self.tr("30 jours"))):  # fmt: skip
            button = QPushButton(label, self)
            button.clicked.connect(lambda _c=False, d=days: self.last_days(d))
            self.quick[days] = button
        self.operator = QComboBox(self)
        self.operator.addItem(self.tr("Tous"), None)
        self.operator.setMinimumContentsLength(14)
        self.camera = QComboBox(self)
        self.camera.addItem(self.tr("Toutes"), None)
        for cam in sorted(site.cameras, key=lambda c: c.name.casefold()):
            self.camera.addItem(f"{cam.name} ({cam.id})", cam.id)
        self.action = QComboBox(self)
        self.action.addItem(self.tr("Toutes"), None)
        for kind in ACCESS_KINDS:
            self.action.addItem(tr_label(ACTION_LABELS[kind]), kind.value)
        for box, chars in ((self.operator, 14), (self.camera, 30), (self.action, 22)):
            # Sized for ``chars``, not for the longest camera name: the row fits 1920 px.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(chars)
            box.activated.connect(lambda _i: self.refresh())
        self.since.dateChanged.connect(lambda _d: self.refresh())
        self.until.dateChanged.connect(lambda _d: self.refresh())

        self.table = make_table(
            [self.tr("Date et heure"), self.tr("Poste"), self.tr("Opérateur"),
             self.tr("Action"), self.tr("Caméras"), self.tr("Alerte"),
             self.tr("Motif ou contexte")],
            self,
        )  # fmt: skip
        self.table.verticalHeader().setDefaultSectionSize(38)
        header = self.table.horizontalHeader()
        # Cameras: a fixed width (names elided, whole in the tooltip), so that the
        # reason, the last column, always has room.
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(4, 440)
        self.status = QLabel(self)
        self.status.setStyleSheet("font-weight: bold;")
        self.csv_button = QPushButton(self.tr("Exporter CSV…"), self)
        self.csv_button.clicked.connect(self.export_csv)
        self._layout()
        session.changed.connect(self._on_session_changed)
        self._on_session_changed(session.account)

    def _date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def _layout(self) -> None:
        # Two rows (the period, then the filters): one row overflowed 1920 px at 14 pt.
        period = QHBoxLayout()
        for label, widget in ((self.tr("Du"), self.since), (self.tr("au"), self.until)):
            period.addWidget(QLabel(label, self))
            period.addWidget(widget)
        for button in self.quick.values():
            period.addWidget(button)
        period.addStretch(1)
        filters = QHBoxLayout()
        for label, box in (
            (self.tr("Opérateur"), self.operator),
            (self.tr("Caméra"), self.camera),
            (self.tr("Action"), self.action),
        ):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(box)
            filters.addSpacing(16)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.csv_button)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.addLayout(period)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        column.addLayout(bottom)
        self.setCentralWidget(central)

    # -- what to show ---------------------------------------------------------------

    def access_filter(self) -> AccessFilter:
        """The days chosen (local, both included) and the three filters."""
        first, last = self.since.date().toPython(), self.until.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        if last < first:
            first, last = last, first
        start = datetime.combine(first, time(), self.tz).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(), self.tz).astimezone(UTC)
        kind = self.action.currentData()
        return AccessFilter(
            start, end, self.operator.currentData(), self.camera.currentData(),
            frozenset({kind}) if kind else frozenset(k.value for k in ACCESS_KINDS),
        )  # fmt: skip

    def last_days(self, days: int) -> None:
        """« Aujourd'hui », « 7 jours », « 30 jours »: the period ending today."""
        today = self._now().astimezone(self.tz).date()
        first = today - timedelta(days=days - 1)
        for edit, day in ((self.since, first), (self.until, today)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Read the register for the current filters (an older read is dropped)."""
        if self._closing:
            return
        f = self.access_filter()
        self.current = f
        self._request += 1
        request = self._request
        self.status.setText(self.tr("Chargement…"))

        def job(reader: ReviewReader, _store: Store, _progress: Callable[[float], None]) -> Any:
            return read_access(reader, f)

        self.worker.submit(
            job, lambda page: self._on_page(request, page), self._on_error,
            screen=False, owner=self,
        )  # fmt: skip

    def _on_page(self, request: int, page: AccessPage) -> None:
        if request != self._request:
            return  # a newer filter was asked meanwhile
        self.page = page
        for login in page.operators:
            if self.operator.findData(login) < 0:
                self.operator.addItem(login, login)
        fill(self.table, [self._cells(e) for e in page.entries])
        n = len(page.entries)
        if page.truncated:
            self.status.setText(
                self.tr(
                    "{n} accès les plus récents affichés ; d'autres existent : réduisez la "
                    "période ou exportez en CSV"
                ).format(n=n)
            )
        else:
            self.status.setText(self.tr("{n} accès sur la période").format(n=n))
        self.loaded.emit(page)

    def _cells(self, e: AccessEntry) -> list[str]:
        cameras = CAMERA_SEPARATOR.join(self.camera_names.get(c, c) for c in e.cameras)
        return [
            e.at.astimezone(self.tz).strftime("%d/%m/%Y %H:%M:%S"), e.station or "",
            who_label(e), tr_label(action_label(e)), cameras, alert_label(e),
            why_text(e, self.tz),
        ]  # fmt: skip

    def _on_error(self, exc: BaseException) -> None:
        log.error("registre des accès : lecture impossible", exc_info=exc)
        self.status.setText(self.tr("Lecture impossible : {m}").format(m=exc))

    # -- export -----------------------------------------------------------------------

    def export_csv(self) -> None:
        """Ask why, then where; the CSV of every access of the filters (not only the
        rows shown), logged as an ``export`` event before the file is in place."""
        account = self.session.account
        if account is None or not self.session.allowed(Permission.EXPORT):
            self.status.setText(self.session.refusal(Permission.EXPORT))
            return
        f = self.current or self.access_filter()

        def with_reason(reason: str) -> None:
            last = f.end.astimezone(self.tz) - timedelta(seconds=1)
            name = f"registre-acces-{f.start.astimezone(self.tz):%Y%m%d}-{last:%Y%m%d}.csv"
            path = self.choose_path("csv", name)
            if path is not None:
                self._export(f, path, check_reason(reason), account.login)

        self.reason_dialog = ask_reason(
            self, self.tr("Exporter le registre des accès"),
            self.tr("Motif de l'export (obligatoire, inscrit à la main courante) :"),
            with_reason,
            lambda: self.status.setText(self.tr("Export annulé : le motif est obligatoire.")),
        )  # fmt: skip

    def _ask_path(self, _kind: str, name: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Enregistrer l'export"), str(Path.home() / name), self.tr("CSV (*.csv)")
        )
        return Path(chosen) if chosen else None

    def _export(self, f: AccessFilter, path: Path, reason: str, login: str) -> None:
        writer, station, tz, names = self.writer, self.station, self.tz, self.camera_names

        def job(reader: ReviewReader, _store: Store, _p: Callable[[float], None]) -> Any:
            def record(rows: int, sha256: str) -> int:
                details = {
                    "format": "csv", "what": "access_register", "filter": f.to_details(),
                    "rows": rows, "reason": reason, "sha256": sha256, "file": path.name,
                }  # fmt: skip
                return writer.submit(lambda s: record_export(s, station, login, details)).result()

            return export_access_csv(reader, f, path, tz=tz, record=record, camera_names=names)

        self.status.setText(self.tr("Export en cours : {f}").format(f=path.name))
        self.worker.submit(job, self._on_exported, self._on_export_failed, screen=False,
                           owner=self)  # fmt: skip

    def _on_exported(self, result: ExportResult) -> None:
        self.result_box = done_box(self, result)
        self.exported.emit(result)
        self.refresh()  # the export is an access too

    def _on_export_failed(self, exc: BaseException) -> None:
        message = failure_text(exc, "export du registre des accès")
        self.status.setText(message)
        self.result_box = failed_box(self, message)

    # -- roles --------------------------------------------------------------------------

    def _on_session_changed(self, _account: object) -> None:
        if not self.session.allowed(Permission.ACCESS_REGISTER):
            self.close()  # an operator took the station: the register is not theirs
            return
        self.csv_button.setEnabled(self.session.allowed(Permission.EXPORT))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        super().closeEvent(event)
