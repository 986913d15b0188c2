"""The « Signaux faibles » screen (supervisors): the signals sorted by strength with
filters, the selected one explained (its alerts, their places on the map, its
weeks against its baseline), « Suivi » / « Sans suite », and « Tendances ».

Everything it reads comes from a reading thread (a ``ReviewWorker`` of its own,
read-only connection); decisions go through the storage thread (``DbTasks``). The
window never raises itself: it appears when the supervisor opens it, and a scan
that ends while it is in the back refreshes it where it is.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.schema import SiteConfig
from csu_console.core.signal_trends import (
    PeriodComparison,
    PlacedHistory,
    WeekCounts,
    compare_periods,
    signal_weeks,
)
from csu_console.core.territory import Territory
from csu_console.core.weak_signals.model import (
    SIGNAL_KIND_LABELS,
    SIGNAL_STATUS_LABELS,
    SignalKind,
    SignalStatus,
)
from csu_console.storage.review import ReviewReader
from csu_console.storage.signal_scan import Loader, ScanResult
from csu_console.storage.store import Store
from csu_console.storage.weak_signals import (
    SignalAlert,
    StoredSignal,
    list_signals,
    set_signal_status,
    signal_alerts,
)
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session
from csu_console.ui.labels import tr_label
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.review.tables import fill, local_time, make_table
from csu_console.ui.review.worker import ReviewWorker
from csu_console.ui.signals.charts import SignalTrendChart
from csu_console.ui.signals.explain import SignalExplanation, commune_names
from csu_console.ui.signals.scanner import SignalScanner
from csu_console.ui.signals.trends import TrendsTab

log = logging.getLogger("csu.signals")

#: Size before the window is fitted to the screen (never larger than it).
DEFAULT_SIZE = QSize(1840, 1000)
#: The history the screen's charts read: 26 weeks back.
HISTORY_WEEKS = 26
#: A loaded history is reused this long (a scan makes it stale at once).
HISTORY_TTL = timedelta(minutes=10)
TREND_WEEKS = 12


class HistoryCache:
    """The placed history the charts read, loaded once on the reading thread and
    reused until a scan or :data:`HISTORY_TTL` makes it stale."""

    def __init__(self, load: Loader, territory: Territory, now: Callable[[], datetime]) -> None:
        self._load, self._territory, self._now = load, territory, now
        self._lock = threading.Lock()
        self._placed: PlacedHistory | None = None
        self._at: datetime | None = None

    def invalidate(self) -> None:
        with self._lock:
            self._placed = None

    def get(self, store: Store) -> PlacedHistory:
        """On the reading thread: the history, loaded if stale."""
        now = self._now()
        with self._lock:
            if self._placed is not None and self._at is not None and now - self._at < HISTORY_TTL:
                return self._placed
        history = self._load(store, now - timedelta(weeks=HISTORY_WEEKS), now + timedelta(days=1))
        placed = PlacedHistory.place(history, self._territory)
        with self._lock:
            self._placed, self._at = placed, now
        return placed


@dataclass(frozen=True)
class Selection:
    """What the reading thread gives for a selected signal."""

    signal_id: str
    alerts: list[SignalAlert]
    weeks: WeekCounts


class SignalsWindow(QMainWindow):
    """The supervisor's weak-signal screen (see the module docstring)."""

    def __init__(
        self,
        site: SiteConfig,
        territory: Territory,
        session: Session,
        reader: ReviewWorker,
        tasks: DbTasks,
        scanner: SignalScanner,
        station: str,
        load: Loader,
        *,
        basemap: BasemapSource | None = None,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(self.tr("Signaux faibles – {site}").format(site=site.site.name))
        self.setStyleSheet("QWidget { font-size: 12pt; } QTabBar::tab { padding: 6px 16px; }")
        self.site, self.territory, self.session = site, territory, session
        self.reader, self.tasks, self.scanner, self.station = reader, tasks, scanner, station
        self.tz = ZoneInfo(site.site.timezone)
        self._now = now or (lambda: datetime.now(UTC))
        self.history = HistoryCache(load, territory, self._now)
        self.baseline_weeks = int(getattr(scanner.settings, "baseline_weeks", 8))
        self.signals: list[StoredSignal] = []
        self.shown: list[StoredSignal] = []
        self._closing = False

        # -- the bar: scan, filters ------------------------------------------------
        self.scan_button = QPushButton(self.tr("Analyser maintenant"), self)
        self.scan_button.setToolTip(self.tr("Lancer une analyse de l'historique (sans attendre)"))
        self.scan_button.clicked.connect(self.scan_now)
        self.scan_label = QLabel(self)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(self.tr("Tous les statuts"), None)
        for status in SignalStatus:
            self.status_filter.addItem(tr_label(SIGNAL_STATUS_LABELS[status]), status.value)
        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem(self.tr("Tous les types"), None)
        for kind in SignalKind:
            self.kind_filter.addItem(tr_label(SIGNAL_KIND_LABELS[kind]), kind.value)
        self.commune_filter = QComboBox(self)
        self.commune_filter.addItem(self.tr("Toutes les communes"), None)
        for commune in territory.communes:
            self.commune_filter.addItem(commune.label, commune.key)
        for combo in (self.status_filter, self.kind_filter, self.commune_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
        bar = QHBoxLayout()
        bar.addWidget(self.scan_button)
        bar.addWidget(self.scan_label, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.commune_filter)

        # -- the list, the chart, the explanation ------------------------------------
        self.count_label = QLabel(self)
        self.table = make_table(
            [self.tr("Force"), self.tr("Type"), self.tr("Signal"), self.tr("Période"),
             self.tr("Communes"), self.tr("Statut"), self.tr("Vu le")],
            self, stretch=2,
        )  # fmt: skip
        # The title is what a supervisor reads: it wraps rather than being cut; the
        # kind is said short, the communes cut with the whole list in a tooltip.
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(4, self.fontMetrics().horizontalAdvance("Montbéliard, Au…"))
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.chart = SignalTrendChart(self.tr("Semaines précédentes"), self)
        self.explanation = SignalExplanation(site, territory, basemap, self)
        self.explanation.decision_requested.connect(self.decide)

        list_box = QWidget(self)
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.count_label)
        list_layout.addWidget(self.table, 1)
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.setChildrenCollapsible(False)
        left.addWidget(list_box)
        left.addWidget(self.chart)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.setChildrenCollapsible(False)
        main.addWidget(left)
        main.addWidget(self.explanation)
        main.setStretchFactor(0, 1)
        main.setStretchFactor(1, 1)
        self.splitter = main

        signals_tab = QWidget(self)
        signals_layout = QVBoxLayout(signals_tab)
        signals_layout.setContentsMargins(4, 4, 4, 4)
        signals_layout.addLayout(bar)
        signals_layout.addWidget(main, 1)
        self.trends = TrendsTab(self.tz, territory, self._now, self)
        self.trends.comparison_requested.connect(self.compare)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(signals_tab, self.tr("Signaux"))
        self.tabs.addTab(self.trends, self.tr("Tendances"))
        self.setCentralWidget(self.tabs)

        scanner.scan_started.connect(self._on_scanner_scan_started)
        scanner.scan_finished.connect(self._on_scanner_scan_finished)
        scanner.scan_failed.connect(self._on_scanner_scan_failed)
        self._show_scan_state()
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """Never larger than the screen it opens on (1366×768 as 1920×1080)."""
        screen = self.screen().availableGeometry().size()
        self.resize(DEFAULT_SIZE.boundedTo(screen))
        # On a small screen the list keeps more of the width: its titles must stay readable.
        share = 0.5 if self.width() >= 1600 else 0.58
        left = int(self.width() * share)
        self.splitter.setSizes([left, self.width() - left])
        # The alerts behind the signal get about two fifths, the map the rest.
        room = max(300, self.height() - 260)
        self.explanation.split.setSizes([room * 2 // 5, room - room * 2 // 5])

    # -- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the stored signals again (the selection is kept if still there)."""
        if self._closing:
            return

        def job(_r: ReviewReader, store: Store, _p: Callable[[float], None]) -> list[StoredSignal]:
            return list_signals(store)

        self.reader.submit(job, self._on_listed, self._on_read_failed, screen=False, owner=self)

    def _on_listed(self, signals: list[StoredSignal]) -> None:
        self.signals = signals
        self._apply_filters()
        self._show_scan_state()

    def _apply_filters(self) -> None:
        status = self.status_filter.currentData()
        kind = self.kind_filter.currentData()
        commune = self.commune_filter.currentData()
        keep = self.selected_id()
        self.shown = [
            s for s in self.signals
            if (status is None or s.status.value == status)
            and (kind is None or s.signal.kind.value == kind)
            and (commune is None or commune in s.signal.communes)
        ]  # fmt: skip
        self.table.blockSignals(True)
        fill(self.table, [self._row(s) for s in self.shown], [s.id for s in self.shown])
        for r in range(self.table.rowCount()):
            for c in (2, 4):  # the whole text on hover, should it be cut anyway
                item = self.table.item(r, c)
                if item is not None:
                    item.setToolTip(item.text())
        self.table.resizeRowsToContents()
        self.table.clearSelection()  # reselected below: the explanation follows
        self.table.blockSignals(False)
        new = sum(1 for s in self.signals if s.status is SignalStatus.NEW)
        self.count_label.setText(
            self.tr("{n} signal(aux) affiché(s) sur {t}, dont {k} nouveau(x) au total").format(
                n=len(self.shown), t=len(self.signals), k=new
            )
        )
        row = next((i for i, s in enumerate(self.shown) if s.id == keep), None)
        if row is None and self.shown:
            row = 0
        if row is not None:
            self.table.selectRow(row)
        else:
            self.explanation.show_signal(None)
            self.chart.clear_chart()

    def _row(self, stored: StoredSignal) -> list[str]:
        s = stored.signal
        return [
            f"{s.strength:.1f}".replace(".", ","),
            self._short_kind(s.kind),
            s.title,
            self.tr("{a} – {b}").format(
                a=local_time(s.start, self.tz, "%d/%m"), b=local_time(s.end, self.tz, "%d/%m")
            ),
            commune_names(self.territory, s.communes),
            tr_label(SIGNAL_STATUS_LABELS[stored.status]),
            local_time(stored.first_seen, self.tz, "%d/%m %H:%M"),
        ]

    def _short_kind(self, kind: SignalKind) -> str:
        """The kind in one short word, for the list (the explanation says it whole)."""
        if kind is SignalKind.CLUSTER:
            return self.tr("Regroupement")
        if kind is SignalKind.TERM:
            return self.tr("Terme")
        return tr_label(SIGNAL_KIND_LABELS[kind])

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.shown):
            return None
        return self.shown[rows[0].row()].id

    def selected(self) -> StoredSignal | None:
        sid = self.selected_id()
        return next((s for s in self.shown if s.id == sid), None)

    def _on_table_selection_changed(self) -> None:
        stored = self.selected()
        self.explanation.show_signal(stored)
        if stored is None:
            self.chart.clear_chart()
            return
        signal, history, baseline = stored.signal, self.history, self.baseline_weeks

        def job(_r: ReviewReader, store: Store, _p: Callable[[float], None]) -> Selection:
            alerts = signal_alerts(store, signal.alerts)
            weeks = signal_weeks(history.get(store), signal, TREND_WEEKS, baseline)
            return Selection(signal.id, alerts, weeks)

        self.reader.submit(job, self._on_selection_read, self._on_read_failed, screen=False,
                           owner=self)  # fmt: skip

    def _on_selection_read(self, selection: Selection) -> None:
        self.explanation.show_alerts(selection.signal_id, selection.alerts)
        if self.selected_id() == selection.signal_id:
            self.chart.show_weeks(selection.weeks, self.tz)

    def _on_read_failed(self, exc: BaseException) -> None:
        log.error("signaux faibles : lecture en échec : %s", exc, exc_info=exc)
        self.statusBar().showMessage(self.tr("Lecture impossible : {e}").format(e=exc), 15_000)

    # -- deciding ------------------------------------------------------------------------

    def decide(self, signal_id: str, status: SignalStatus, comment: str) -> None:
        """« Suivi » / « Sans suite »: written and logged by the storage thread."""
        station, operator = self.station, self.session.operator or None

        def write(store: Store) -> StoredSignal:
            return set_signal_status(store, signal_id, status, station, operator, comment)

        self.tasks.run(write, self._on_decided, self._on_decision_failed, owner=self)

    def _on_decided(self, stored: StoredSignal) -> None:
        self.signals = [stored if s.id == stored.id else s for s in self.signals]
        self._apply_filters()
        if self.explanation.current is not None and self.explanation.current.id == stored.id:
            self.explanation.current = stored
            self.explanation.show_status(stored)
        self.statusBar().showMessage(
            self.tr("Signal marqué « {s} » ; inscrit à la main courante.").format(
                s=tr_label(SIGNAL_STATUS_LABELS[stored.status])
            ),
            15_000,
        )

    def _on_decision_failed(self, exc: BaseException) -> None:
        log.error("signal faible : décision non enregistrée : %s", exc)
        self.statusBar().showMessage(
            self.tr("Décision non enregistrée : {e}").format(e=exc), 30_000
        )

    # -- trends -------------------------------------------------------------------------

    def compare(self, start: datetime, end: datetime, previous: int) -> None:
        history = self.history

        def job(_r: ReviewReader, store: Store, _p: Callable[[float], None]) -> PeriodComparison:
            return compare_periods(history.get(store), start, end, previous)

        def failed(exc: BaseException) -> None:
            log.error("tendances en échec : %s", exc, exc_info=exc)
            self.trends.show_failure(self.tr("Calcul impossible : {e}").format(e=exc))

        self.reader.submit(job, self.trends.show_comparison, failed, screen=False, owner=self)

    # -- scans ---------------------------------------------------------------------------

    def scan_now(self) -> None:
        """« Analyser maintenant »."""
        self.scanner.scan_now()

    def _show_scan_state(self) -> None:
        scanner = self.scanner
        self.scan_button.setEnabled(not scanner.busy)
        if scanner.busy:
            self.scan_label.setText(self.tr("Analyse en cours…"))
            self.scan_label.setStyleSheet("")
        elif scanner.last_error:
            self.scan_label.setText(scanner.last_error)
            self.scan_label.setStyleSheet("color: #c62828; font-weight: bold;")
        elif scanner.last is not None:
            r = scanner.last
            self.scan_label.setText(
                self.tr(
                    "Dernière analyse le {at} : {n} signal(aux), {k} nouveau(x), "
                    "{a} alertes examinées"
                ).format(
                    at=local_time(r.findings.at, self.tz, "%d/%m %H:%M"),
                    n=r.found,
                    k=len(r.new_ids),
                    a=r.findings.alerts,
                )
            )
            self.scan_label.setStyleSheet("")
        elif self.signals:
            last = max(s.last_seen for s in self.signals)
            self.scan_label.setText(
                self.tr("Dernière analyse enregistrée le {at}").format(
                    at=local_time(last, self.tz, "%d/%m %H:%M")
                )
            )
            self.scan_label.setStyleSheet("")
        else:
            self.scan_label.setText(self.tr("Pas encore d'analyse depuis le démarrage."))
            self.scan_label.setStyleSheet("")

    def _on_scanner_scan_started(self) -> None:
        self._show_scan_state()

    def _on_scanner_scan_finished(self, _result: ScanResult) -> None:
        self.history.invalidate()
        self._show_scan_state()
        self.refresh()

    def _on_scanner_scan_failed(self, _message: str) -> None:
        self._show_scan_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.explanation.map.view.shutdown()
        super().closeEvent(event)
