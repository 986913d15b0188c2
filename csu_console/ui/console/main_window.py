"""The console window: composes the link status, the alert queue and the detail.

No logic lives here: each part takes its model or service and subscribes.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import AlertState
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_detail import AlertDetail
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.dialogs import RejectedDialog
from csu_console.ui.console.link_status import LinkStatusLabel


class MainWindow(QMainWindow):
    """The operator's main screen."""

    close_requested = Signal()

    def __init__(
        self,
        model: AlertTableModel,
        tasks: DbTasks,
        tz: ZoneInfo,
        site_name: str,
        station: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._tasks = tasks
        self._tz = tz
        self.setWindowTitle(
            self.tr("CSU Console – {site} – {station}").format(site=site_name, station=station)
        )
        self.resize(1600, 900)

        self.link_status = LinkStatusLabel(tz, self)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        # priority, category, title (stretches), place, sent, received, state
        for col, width in enumerate((135, 200, 300, 280, 95, 95, 160)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.detail = AlertDetail(tasks, tz, self)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 7)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([1300, 560])

        top = QHBoxLayout()
        self.station_label = QLabel(self.tr("Poste : {s}").format(s=station), self)
        self.station_label.setStyleSheet("font-size: 14pt; font-weight: bold; padding: 0 12px;")
        top.addWidget(self.station_label)
        top.addWidget(self.link_status, 1)

        self.emergency = QLabel(
            self.tr(
                "Les citoyens informent, ils n'interviennent pas. Urgence vitale : "
                "17 police · 18 pompiers · 15 SAMU · 112"
            ),
            self,
        )
        self.emergency.setStyleSheet("color: #b71c1c; font-weight: bold; padding: 2px 8px;")

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.emergency)
        self.setCentralWidget(central)

        self.counts_label = QLabel(self)
        self.rejected_button = QPushButton(self)
        self.rejected_button.setFlat(True)
        self.rejected_button.clicked.connect(self.show_rejected)
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.rejected_button)

        quit_action = self.menuBar().addMenu(self.tr("&Fichier")).addAction(self.tr("&Quitter"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        model.counts_changed.connect(self._on_counts_changed)
        self._on_counts_changed()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.detail.show_alert(self._model.alert_at(rows[0].row()) if rows else None)

    @Slot()
    def _on_counts_changed(self) -> None:
        m = self._model
        self.counts_label.setText(
            self.tr("Alertes : {total} · nouvelles : {new}").format(
                total=m.rowCount(), new=m.count_in_state(AlertState.NEW)
            )
        )
        self.rejected_button.setText(self.tr("Messages rejetés : {n}").format(n=m.rejected_count))
        self.rejected_button.setStyleSheet(
            "color: #c62828; font-weight: bold;" if m.rejected_count else ""
        )

    @Slot()
    def show_rejected(self) -> None:
        """Open the list of rejected frames (loaded off the GUI thread)."""
        self._tasks.run(Store.recent_rejected, self._open_rejected, owner=self)

    def _open_rejected(self, rows: list[dict[str, Any]]) -> None:
        dialog = RejectedDialog(rows, self._tz, self)
        # One dialog per click: without this each one lived as long as the window.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot(str)
    def on_storage_failed(self, message: str) -> None:
        """Tell the operator that the database refused work (kept 30 s)."""
        self.statusBar().showMessage(
            self.tr("Stockage indisponible : {m}").format(m=message), 30_000
        )

    def select_row(self, row: int) -> None:
        """Select an alert in the queue."""
        self.table.selectRow(row)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_requested.emit()
        super().closeEvent(event)
