"""« Journal des partenaires »: every CAP message that is not (or not only) an alert of
the queue — Ack, Error, Test and System messages, Updates and Cancels waiting for
their original, those applied to an alert — newest first, in a window of its own
(menu Alertes, Ctrl+J). It refreshes while open when such messages arrive.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.cap_facts import FeedLogEntry
from csu_console.ui.bridge import DbTasks

log = logging.getLogger("csu.ui")

#: Lines shown (the newest).
FEED_LIMIT = 500
_Index = QModelIndex | QPersistentModelIndex


def msg_type_label(value: str) -> str:
    """CAP ``msgType`` in the operator's words."""
    return {
        "Alert": QCoreApplication.translate("PartnerLogModel", "Alerte"),
        "Update": QCoreApplication.translate("PartnerLogModel", "Mise à jour"),
        "Cancel": QCoreApplication.translate("PartnerLogModel", "Annulation"),
        "Ack": QCoreApplication.translate("PartnerLogModel", "Accusé de réception"),
        "Error": QCoreApplication.translate("PartnerLogModel", "Erreur"),
    }.get(value, value)


def status_label(value: str) -> str:
    """CAP ``status`` in the operator's words."""
    return {
        "Actual": QCoreApplication.translate("PartnerLogModel", "Réelle"),
        "Exercise": QCoreApplication.translate("PartnerLogModel", "Exercice"),
        "Test": QCoreApplication.translate("PartnerLogModel", "Test"),
        "System": QCoreApplication.translate("PartnerLogModel", "Système"),
        "Draft": QCoreApplication.translate("PartnerLogModel", "Brouillon"),
    }.get(value, value)


def outcome_label(entry: FeedLogEntry) -> str:
    """What was done with the message."""
    n = entry.alert_pk
    if entry.kind == "pending":
        return QCoreApplication.translate("PartnerLogModel", "en attente de l'alerte d'origine")
    if entry.kind == "cancelled" and n is not None:
        return QCoreApplication.translate("PartnerLogModel", "a annulé l'alerte n° {n}").format(n=n)
    if entry.kind in ("updated", "applied") and n is not None:
        return QCoreApplication.translate("PartnerLogModel", "appliqué à l'alerte n° {n}").format(
            n=n
        )
    return QCoreApplication.translate("PartnerLogModel", "consigné (pas une alerte)")


class PartnerLogModel(QAbstractTableModel):
    """The partner-feed log's lines, newest first."""

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.entries: list[FeedLogEntry] = []
        self._headers = (
            self.tr("Reçu à"),
            self.tr("Émetteur"),
            self.tr("Identifiant"),
            self.tr("Type"),
            self.tr("Statut"),
            self.tr("Suite donnée"),
            self.tr("Résumé"),
        )

    def set_entries(self, entries: list[FeedLogEntry]) -> None:
        """Show these lines (newest first)."""
        self.beginResetModel()
        self.entries = sorted(entries, key=lambda e: (e.received_at, e.pk), reverse=True)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            local = e.received_at.astimezone(self._tz)
            texts = (
                local.strftime("%d/%m %H:%M:%S"),
                e.sender,
                e.identifier,
                msg_type_label(e.msg_type),
                status_label(e.status),
                outcome_label(e),
                " ".join(e.summary.split()),
            )
            text = texts[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                if index.column() == 6 and e.document_sha256:
                    return f"{e.summary}\nSHA-256 : {e.document_sha256}"
                return text if len(text) > 20 else None
            return text
        return None


class PartnerLogDialog(QDialog):
    """The window: a table of the log, a line saying how many and from when."""

    def __init__(self, model: PartnerLogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Journal des partenaires"))
        self.setModal(False)
        self.model = model
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the summary takes what is left
        model.modelReset.connect(self.fit_columns)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry()
        self.resize(min(1400, screen.width() - 80), min(600, screen.height() - 120))

    def fit_columns(self) -> None:
        """Every column but the summary as wide as its text, up to a limit (a long
        sender or identifier is cut, whole in its tooltip): the summary stays readable."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        cap = max(120, self.table.fontMetrics().horizontalAdvance("M" * 14))
        for column in range(self.model.columnCount() - 1):
            header.resizeSection(column, min(header.sectionSize(column), cap))


class PartnerLog(QObject):
    """Opens the log's window and keeps it fresh while it is open."""

    def __init__(self, tasks: DbTasks, tz: ZoneInfo, window: QWidget) -> None:
        super().__init__(window)
        self._tasks = tasks
        self._window = window
        self.model = PartnerLogModel(tz, self)
        self.dialog: PartnerLogDialog | None = None
        self._busy = False
        self._again = False
        self.loads = 0  # completed reads (tests wait on it)

    @Slot()
    def open(self) -> None:
        """Show the window (raised when already open) and read the log."""
        if self.dialog is None:
            self.dialog = PartnerLogDialog(self.model, self._window)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.refresh()

    @Slot()
    def on_feed_changed(self) -> None:
        """New messages in the log: read it again if it is on screen."""
        if self.dialog is not None and self.dialog.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read the log on the storage thread (one read at a time)."""
        dialog = self.dialog
        if dialog is None:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._tasks.run(
            lambda s: s.partner_feed(FEED_LIMIT),
            self._on_loaded,
            self._on_failed,
            owner=dialog,
        )

    def _on_loaded(self, entries: list[FeedLogEntry]) -> None:
        self._busy = False
        self.loads += 1
        self.model.set_entries(entries)
        if self.dialog is not None:
            if entries:
                text = self.tr("{n} messages, les plus récents en haut.").format(n=len(entries))
            else:
                text = self.tr("Aucun message des partenaires hors alertes.")
            self.dialog.summary.setText(text)
        if self._again:
            self._again = False
            self.refresh()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("journal des partenaires illisible : %s", exc)
        if self.dialog is not None:
            self.dialog.summary.setText(
                self.tr("Journal des partenaires illisible : {e}").format(e=str(exc))
            )
