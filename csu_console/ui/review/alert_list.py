"""The review's alert list: one row per alert of the period and filter, sortable
on every column (numbers sort as numbers, times as times).

The model sorts itself, in Python, with one key per row: a QSortFilterProxyModel
comparing pairs through a Python ``lessThan`` froze the screen for 8 s on the 20,000
rows of a month (``bench/review_screen.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from csu_console.core.alerts import PRIORITY_LABELS, STATE_LABELS, AlertState
from csu_console.core.review.digest import duration
from csu_console.core.review.filter import category_label, outcome_label
from csu_console.core.review.rows import AlertRow
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import priority_color, priority_text_color

_Index = QModelIndex | QPersistentModelIndex


class ReviewAlertModel(QAbstractTableModel):
    """Alerts of a review (:class:`AlertRow`), with the state at the period's end."""

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._loaded: tuple[AlertRow, ...] = ()  # load order
        self._rows: list[AlertRow] = []  # display order
        self._sort = (1, Qt.SortOrder.AscendingOrder)
        self._end = ""
        self.zone_names: dict[str, str] = {}
        #: The commune of an alert's zones (the window gives the site's territory).
        self.commune_of: Callable[[tuple[str, ...]], str] = lambda _zones: ""
        #: Alerts under a judicial requisition → references (ui/review/holds.py).
        self.held: dict[int, list[str]] = {}
        self._headers = [
            self.tr("N°"), self.tr("Reçue à"), self.tr("Priorité"), self.tr("Catégorie"),
            self.tr("Titre"), self.tr("Lieu"), self.tr("Zones"), self.tr("État en fin"),
            self.tr("Prise en compte"), self.tr("Engagement"), self.tr("Issue"),
            self.tr("Opérateurs"),
        ]  # fmt: skip

    def set_rows(self, rows: tuple[AlertRow, ...], end: datetime) -> None:
        """Show ``rows``; their state is the one just before ``end``."""
        self.beginResetModel()
        self._loaded = rows
        self._end = end.isoformat(timespec="milliseconds")
        self._rows = self._sorted(rows)
        self.endResetModel()

    def set_held(self, held: dict[int, list[str]]) -> None:
        """Mark the alerts under a legal hold (« sous réquisition »)."""
        self.held = held
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 4))

    @property
    def rows(self) -> tuple[AlertRow, ...]:
        """The alerts shown, in load order (oldest first)."""
        return self._loaded

    def _sorted(self, rows: Sequence[AlertRow]) -> list[AlertRow]:
        column, order = self._sort
        keyed = sorted(rows, key=lambda r: self._sort_key(r, column))
        return keyed[::-1] if order == Qt.SortOrder.DescendingOrder else keyed

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows on ``column`` (the view's header asks), keeping the selection."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        pks = [self._rows[i.row()].pk if i.isValid() else None for i in old]
        self._sort = (column, order)
        self._rows = self._sorted(self._rows)
        where = {r.pk: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old,
            [
                self.index(where[pk], i.column()) if pk is not None else QModelIndex()
                for i, pk in zip(old, pks, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def row_at(self, row: int) -> AlertRow | None:
        """The alert of a source row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def _local(self, at: str | None) -> str:
        if at is None:
            return ""
        return datetime.fromisoformat(at).astimezone(self._tz).strftime("%d/%m %H:%M")

    def _state(self, row: AlertRow) -> AlertState:
        return row.state_at(self._end)

    def _text(self, row: AlertRow, col: int) -> str:
        if col == 0:
            return str(row.pk)
        if col == 1:
            return self._local(row.received_at)
        if col == 2:
            return tr_label(PRIORITY_LABELS.get(row.priority, str(row.priority)))
        if col == 3:
            return tr_label(category_label(row.category))
        if col == 4:
            if row.pk in self.held:
                return self.tr("⚖ RÉQUISITION – {title}").format(title=row.title)
            return row.title
        if col == 5:
            # The commune from the geometry; what the citizen typed when it differs.
            placed = self.commune_of(row.zones)
            text = ", ".join(x for x in (row.address, placed or row.commune) if x)
            if placed and row.commune and row.commune not in placed:
                text += self.tr(" (déclarée : {c})").format(c=row.commune)
            return text
        if col == 6:
            return ", ".join(self.zone_names.get(z, z) for z in row.zones)
        if col == 7:
            return tr_label(STATE_LABELS[self._state(row)])
        if col == 8:
            return duration(row.ack_s) if row.ack_s is not None else ""
        if col == 9:
            return duration(row.dispatch_s) if row.dispatch_s is not None else ""
        if col == 10:
            return ", ".join(tr_label(outcome_label(o)) for o in row.outcomes)
        return ", ".join(row.operators)

    def _sort_key(self, row: AlertRow, col: int) -> Any:
        if col == 0:
            return row.pk
        if col == 1:
            return row.received_at
        if col == 2:
            return row.priority
        if col in (8, 9):
            value = row.ack_s if col == 8 else row.dispatch_s
            return float("inf") if value is None else value
        return self._text(row, col).casefold()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        held = self.held.get(row.pk)
        if role == Qt.ItemDataRole.ToolTipRole and held and col in (0, 4):
            return self.tr("Sous réquisition judiciaire : {refs} (exclue de la purge)").format(
                refs=" ; ".join(held)
            )
        if role == Qt.ItemDataRole.ToolTipRole and col in (3, 4, 5, 6, 10, 11):
            return self._text(row, col)  # the column may elide it
        if held and col == 0 and role == Qt.ItemDataRole.BackgroundRole:
            return QColor("#6a1b9a")  # the number on purple: seen from across the room
        if held and col == 0 and role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#ffffff")
        if held and col in (0, 4) and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if col == 2 and role == Qt.ItemDataRole.BackgroundRole:
            return priority_color(row.priority)
        if col == 2 and role == Qt.ItemDataRole.ForegroundRole:
            return priority_text_color(row.priority)
        if col == 7 and role == Qt.ItemDataRole.ForegroundRole:
            open_ = self._state(row) is not AlertState.CLOSED
            return QColor("#c62828") if open_ else None
        if col == 7 and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(self._state(row) is not AlertState.CLOSED)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 8, 9):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReviewSortProxy(QIdentityProxyModel):
    """The view's model: passes sorting on to :class:`ReviewAlertModel` (kept so that
    the view always maps its rows through one proxy)."""

    def __init__(self, source: ReviewAlertModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)


def alert_table(proxy: ReviewSortProxy, parent: QWidget | None = None) -> QTableView:
    """The list's view: sortable (oldest first), one row selected at a time."""
    table = QTableView(parent)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(30)
    table.horizontalHeader().setStretchLastSection(True)
    for col, width in enumerate((56, 120, 125, 200, 250, 220, 150, 160, 130, 120)):
        table.setColumnWidth(col, width)
    return table
