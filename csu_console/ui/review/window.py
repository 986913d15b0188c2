"""The supervisor's review window: on the left the period, the filters, the alert
list and the selected alert's timeline; on the right, in tabs, the indicators,
the charts, the end-of-shift digest and the map. Every query runs on the
review's worker; a newer request makes the older ones stale."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.schema import SiteConfig
from csu_console.core.review.digest import Summary
from csu_console.core.review.export import REVEAL_ROLES
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.period import Period
from csu_console.core.review.places import ReviewZones
from csu_console.core.roles import Permission
from csu_console.storage.logbook_audit import ChainReport
from csu_console.storage.review import ReviewCancelled
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.review import jobs
from csu_console.ui.review.access import may_review
from csu_console.ui.review.alert_list import ReviewAlertModel, ReviewSortProxy, alert_table
from csu_console.ui.review.chart_tab import ChartTab
from csu_console.ui.review.commune_reports import CommuneReports
from csu_console.ui.review.digest_view import DigestView
from csu_console.ui.review.exports import PathChooser, ReviewExports
from csu_console.ui.review.filter_panel import FilterPanel
from csu_console.ui.review.holds import ReviewHolds
from csu_console.ui.review.indicators import IndicatorPanel, KeyFigures
from csu_console.ui.review.period_picker import PeriodPicker
from csu_console.ui.review.timeline import ReviewMap, TimelineView
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.ui")


class ReviewWindow(QMainWindow):
    """« Revue des vacations »: see the module docstring. ``loaded`` fires once a
    filter's summary and list are both on screen (with that filter)."""

    loaded = Signal(object)  # ReviewFilter
    access_register_requested = Signal()  # « Registre des accès… »

    def __init__(
        self,
        site: SiteConfig,
        session: Session,
        worker: ReviewWorker,
        writer: StorageWriter,
        station: str,
        *,
        basemap: BasemapSource | None = None,
        now: Callable[[], datetime] | None = None,
        choose_path: PathChooser | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._closing = False  # set by closeEvent: nothing more is loaded
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(self.tr("Revue des vacations – {site}").format(site=site.site.name))
        self.setStyleSheet("QWidget { font-size: 13pt; } QTabBar::tab { padding: 6px 16px; }")
        self.resize(1900, 1020)
        self.site, self.session, self.worker = site, session, worker
        self.tz = ZoneInfo(site.site.timezone)
        # The zones with their communes and zonings: alerts are placed from them.
        self.zones = ReviewZones(site.zones, site.zonings)
        self.zone_names = self.zones.names
        self.commune_names = {c.key: c.label for c in self.zones.communes}
        self.base: Period | None = None
        self.base_label = ""
        self.hour: datetime | None = None  # the hour a chart click narrowed to
        self.current: ReviewFilter | None = None
        self.summary: Summary | None = None
        self.chain: ChainReport | None = None
        self.key: bytes | None = None
        self._waiting: set[str] = set()
        self._truncated = False

        self.picker = PeriodPicker(site.shifts, self.tz, now, self)
        self.picker.period_changed.connect(self._on_period_changed)
        self.filters = FilterPanel(self.zones, self)
        self.filters.add_choices("stations", [station])
        self.filters.changed.connect(self.refresh)
        self.scope = QLabel(self)
        self.scope.setWordWrap(True)
        self.scope.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.whole_button = QPushButton(self.tr("Toute la période, sans filtre"), self)
        self.whole_button.clicked.connect(self.clear_narrowing)
        self.model = ReviewAlertModel(self.tz, self)
        self.model.zone_names = self.zone_names
        self.model.commune_of = self.zones.commune_label
        self.proxy = ReviewSortProxy(self.model, self)
        self.table = alert_table(self.proxy, self)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.timeline = TimelineView(self.tz, self)
        self.figures = KeyFigures(self)
        self.indicators = IndicatorPanel(self.tz, self)
        self.indicators.zone_names = self.zone_names
        self.indicators.places = self.zones
        self.indicators.camera_names = {c.id: c.name for c in site.cameras}
        self.indicators.narrow_requested.connect(self.narrow)
        self.charts = ChartTab(self.tz, self)
        self.charts.hourly.bar_clicked.connect(self._on_hour_clicked)
        self.charts.categories.bar_clicked.connect(lambda c: self.narrow("categories", c))
        self.charts.zones.bar_clicked.connect(lambda z: self.narrow("zones", z))
        self.digest = DigestView(self.tz, self)
        self.map = ReviewMap(site, basemap, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.charts, self.tr("Graphiques"))
        self.tabs.addTab(self.indicators, self.tr("Indicateurs détaillés"))
        self.tabs.addTab(self.digest, self.tr("Relève de fin de période"))
        self.tabs.addTab(self.map, self.tr("Carte"))
        self.tabs.currentChanged.connect(lambda i: self.map.fit() if i == 3 else None)

        self.exports = ReviewExports(
            self, worker, writer, session, station, centre=site.site.name, tz=self.tz,
            zones=self.zones, zone_names=self.zone_names, choose_path=choose_path,
        )  # fmt: skip
        self.communes_report = CommuneReports(
            self, worker, writer, session, station, centre=site.site.name, tz=self.tz,
            zones=self.zones, retention=site.retention, choose_path=choose_path,
        )  # fmt: skip
        self.csv_button = QPushButton(self.tr("Exporter CSV"), self)
        self.pdf_button = QPushButton(self.tr("Rapport PDF"), self)
        self.commune_button = QPushButton(self.tr("Rapport par commune…"), self)
        self.commune_button.setToolTip(
            self.tr("Un PDF par commune pour son maire, sur la période choisie")
        )
        self.commune_button.clicked.connect(self.commune_report)
        self.reveal = QCheckBox(self.tr("Identité des signalants en clair"), self)
        self.holds = ReviewHolds(self, worker, writer, session, station, self.tz)
        self.holds.held_changed.connect(self.model.set_held)
        self.holds.written.connect(
            lambda _pk: self._on_selection_changed(QItemSelection(), QItemSelection())
        )
        self.hold_button = QPushButton(self.tr("Réquisition judiciaire…"), self)
        self.hold_button.setEnabled(False)
        self.hold_button.clicked.connect(self._on_hold_clicked)
        self.register_button = QPushButton(self.tr("Registre des accès…"), self)
        self.register_button.clicked.connect(self.access_register_requested)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.chain_label = QLabel(self)
        self.chain_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.status = QLabel(self)
        self.holds.message.connect(self.status.setText)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(320)
        self.progress.setFormat(self.tr("Chargement %p %"))
        self.progress.hide()
        worker.progress.connect(self._on_progress)
        worker.busy_changed.connect(self._on_busy_changed)
        self._layout()
        session.changed.connect(self._on_session_changed)
        self._on_session_changed(session.account)

    def _layout(self) -> None:
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.picker, 3)
        top.addWidget(self.filters, 2)
        box.addLayout(top)
        scope = QHBoxLayout()
        scope.addWidget(self.scope, 1)
        scope.addWidget(self.whole_button)
        box.addLayout(scope)
        split = QSplitter(Qt.Orientation.Vertical, left)
        split.addWidget(self.table)
        split.addWidget(self.timeline)
        split.setSizes([520, 260])
        box.addWidget(split, 1)
        buttons = QHBoxLayout()
        for w in (self.csv_button, self.pdf_button, self.commune_button, self.reveal):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.hold_button)
        buttons.addWidget(self.register_button)
        box.addLayout(buttons)
        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.addWidget(left)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.figures)
        column.addWidget(self.tabs, 1)
        main.addWidget(right)
        main.setSizes([930, 970])
        self.setCentralWidget(main)
        self.statusBar().addWidget(self.chain_label)
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.progress)

    # -- what to show ------------------------------------------------------------

    def review_filter(self) -> ReviewFilter | None:
        """The period (or the hour clicked) and the filters chosen."""
        if self.base is None:
            return None
        start, end = self.base.start, self.base.end
        if self.hour is not None:
            start, end = max(start, self.hour), min(end, self.hour + timedelta(hours=1))
        return ReviewFilter(start, end, **self.filters.values())

    def load_default(self) -> None:
        """What the window opens on: the last shift with alerts, preferring the last
        completed one, then the one under way (a demo's alerts are all in it)."""
        candidates = self.picker.candidates()
        now = self.picker.now()

        def chosen(found: jobs.DataFound) -> None:
            self.picker.reset(found.has_data, found.latest)
            self.picker.apply()

        def failed(exc: BaseException) -> None:
            log.warning("revue : recherche de la dernière vacation avec des données : %s", exc)
            self.picker.reset()
            self.picker.apply()

        self.worker.submit(
            jobs.data_found([c.period for c in candidates], now), chosen, failed, screen=False,
            owner=self,
        )  # fmt: skip

    def _on_period_changed(self, period: Period, label: str) -> None:
        self.base, self.base_label, self.hour = period, label, None
        self.setWindowTitle(
            self.tr("Revue des vacations – {site} – {period}").format(
                site=self.site.site.name, period=label
            )
        )
        self.refresh()

    def narrow(self, name: str, value: Any) -> None:
        """One filter set to ``value`` (a click on a chart or an indicator)."""
        self.filters.set_value(name, value)
        self.refresh()

    def _on_hour_clicked(self, hour: datetime, category: str) -> None:
        self.hour = hour
        self.narrow("categories", category)

    def clear_narrowing(self) -> None:
        """Back to the whole period, every filter at « Tous »."""
        self.hour = None
        self.filters.clear()
        self.refresh()

    def refresh(self) -> None:
        """Query the current filter; any earlier query becomes stale."""
        f = self.review_filter()
        if f is None or self._closing:
            return  # closed: a late answer (the opening shift's search) loads nothing
        self.current = f
        generation = self.worker.new_generation()
        self._waiting = {"summary", "list"}
        self.scope.setText(self._scope_text(f))
        self.status.setText(self.tr("Chargement…"))
        self.progress.setValue(0)
        verify = self.session.allowed(Permission.VERIFY_LOGBOOK)
        # owner: a window closed (and deleted) meanwhile drops its results.
        submit = functools.partial(self.worker.submit, owner=self)
        submit(jobs.summary(f, self.zones), self._on_summary, self._on_error)
        submit(jobs.rows(f, self.zones), self._on_rows, self._on_error)
        if verify:
            submit(jobs.chain(f.period), self._on_chain, self._on_error)
        self.chain_label.setText(self.tr("Chaîne : vérification…") if verify else "")
        self.chain_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        log.debug("revue : génération %d, %s", generation, f.to_details())

    def _scope_text(self, f: ReviewFilter) -> str:
        text = self.base_label
        if self.hour is not None:
            text += self.tr(" – heure {a}–{b}").format(
                a=f.start.astimezone(self.tz).strftime("%Hh"),
                b=f.end.astimezone(self.tz).strftime("%Hh"),
            )
        if f.narrows_alerts:
            text += " – " + f.describe(
                self.tz, self.zone_names, with_period=False, commune_names=self.commune_names
            )
        return text

    # -- results (GUI thread, current generation only) ---------------------------

    def _on_summary(self, result: jobs.SummaryResult) -> None:
        self.summary, self.key = result.summary, result.key
        ind = result.summary.indicators
        self.figures.show_indicators(ind)
        self.indicators.show_indicators(ind)
        self.digest.show_digest(result.summary.digest)
        self.charts.show_summary(result.summary, self.zone_names)
        self.filters.add_choices("operators", ind.load)
        self.filters.add_choices("stations", result.stations)
        self._done("summary")

    def _on_rows(self, result: jobs.RowsResult) -> None:
        rows = result.rows
        assert self.current is not None
        self.model.set_rows(rows, self.current.end)
        self.timeline.clear()
        self.map.show_rows(rows, result.points)
        if self.tabs.currentWidget() is self.map:
            self.map.fit()
        self._truncated = result.truncated
        self.holds.reload()
        self._done("list")

    def _on_chain(self, chain: ChainReport) -> None:
        self.chain = chain
        if chain.ok and chain.count == 0:
            text = self.tr("Chaîne de la main courante : aucun événement dans la période")
            color = "#455a64"
        elif chain.ok:
            text = self.tr("Chaîne de la main courante : VÉRIFIÉE ({n} événements)").format(
                n=chain.count
            )
            color = "#2e7d32"
        else:
            text = self.tr("Chaîne de la main courante : ROMPUE – {b}").format(b=chain.broken)
            color = "#c62828"
        self.chain_label.setText(text)
        self.chain_label.setStyleSheet(f"font-size: 13pt; font-weight: bold; color: {color};")

    def _done(self, part: str) -> None:
        self._waiting.discard(part)
        if self._waiting or self.current is None:
            return
        n = self.model.rowCount()
        total = self.summary.indicators.alerts.count if self.summary else n
        self.status.setText(
            self.tr("{n} alerte(s) affichée(s) sur {t}").format(n=n, t=total)
            if self._truncated
            else self.tr("{n} alerte(s)").format(n=n)
        )
        self.loaded.emit(self.current)

    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, ReviewCancelled):
            return
        log.error("revue : lecture impossible", exc_info=exc)
        self.status.setText(self.tr("Lecture impossible : {m}").format(m=exc))

    def _on_progress(self, generation: int, done: float) -> None:
        if generation == self.worker.generation:
            self.progress.setValue(int(done * 100))

    def _on_busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(self.proxy.mapToSource(rows[0]).row()) if rows else None
        self.hold_button.setEnabled(row is not None)
        if row is None:
            self.timeline.clear()
            return
        key = self.key
        self.worker.submit(
            jobs.timeline(row.pk), lambda lines: self.timeline.show_timeline(row, lines, key),
            self._on_error,
        )  # fmt: skip

    def _on_hold_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(self.proxy.mapToSource(rows[0]).row()) if rows else None
        if row is not None:
            self.holds.open_for(row.pk, row.title)

    # -- exports and roles -------------------------------------------------------

    def export(self, kind: str) -> None:
        """« Exporter CSV » / « Rapport PDF » of what is on screen."""
        if self.current is not None:
            self.exports.start(kind, self.current, self.reveal.isChecked())

    def commune_report(self) -> None:
        """« Rapport par commune… » over the period picked (not the hour clicked)."""
        if self.base is not None:
            self.communes_report.start_report(self.base)

    def _on_session_changed(self, _account: object) -> None:
        if not may_review(self.session):
            self.close()
            return
        can_export = self.session.allowed(Permission.EXPORT)
        self.csv_button.setEnabled(can_export)
        self.pdf_button.setEnabled(can_export)
        self.commune_button.setEnabled(can_export)
        role = self.session.account.role if self.session.account else None
        self.reveal.setVisible(role in REVEAL_ROLES)
        self.reveal.setChecked(False)
        self.register_button.setVisible(self.session.allowed(Permission.ACCESS_REGISTER))
        # Holds are placed on this station's records: not from the central database,
        # whose alert numbers are not the station's.
        local = not self.worker.source
        self.hold_button.setVisible(local and self.session.allowed(Permission.LEGAL_HOLD))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.worker.new_generation()  # nothing more for this window
        self.map.shutdown()
        super().closeEvent(event)
