"""The queue's table view: rows that stay put under the operator's pointer.

- While the pointer is over the queue, the model holds new alerts back (they
  still ring and show in the banner at once) and the window announces them
  (« ↑ 3 nouvelles alertes »); the order is applied when the pointer leaves. A
  pointer merely resting there (not moved for :data:`POINTER_IDLE_S`) is not
  aiming at anything: the order is applied too, until it moves again — a mouse
  left on the queue must not keep new alerts out of it for the whole shift.
- When the selected alert leaves the queue (closed, filtered out), nothing else
  gets selected in its place: Qt would select the next row, and a second F8
  would close a second alert.
- The state column elides in the middle: « ⚠ Prise en…· dupont » keeps both the
  state's first word and who holds the alert, whatever the column's width.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QCursor, QEnterEvent, QFontMetrics, QHideEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS, STATE_LABELS, AlertState
from csu_console.ui.console.alert_badges import BadgeDelegate
from csu_console.ui.console.alert_cells import COLUMNS
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.labels import tr_label

#: The model's hold while the pointer is over the queue.
POINTER_HOLD = "pointer"
#: A pointer still this long over the queue no longer holds it (seconds).
POINTER_IDLE_S = 10.0
#: How often the pointer's position is looked at while it is over the queue (no
#: mouse tracking: hover repaints of the table would cost during a storm).
POINTER_POLL_MS = 500


class MiddleElideDelegate(QStyledItemDelegate):
    """Elides a cell's text in the middle (its end, the holder, stays readable)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class QueueView(QTableView):
    """A :class:`QTableView` of the alert queue (through its filter proxy)."""

    def __init__(self, model: AlertTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._alerts = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(
            max(32, QFontMetrics(self.font()).height() + 12)
        )
        self.setWordWrap(False)
        self.setIconSize(QSize(20, 20))
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.state_delegate = MiddleElideDelegate(self)
        self.setItemDelegateForColumn(COLUMNS.index("state"), self.state_delegate)
        # CAP badges (MISE À JOUR, ANNULÉE, EXERCICE…) before the title: no new column.
        self.badge_delegate = BadgeDelegate(self)
        self.setItemDelegateForColumn(COLUMNS.index("title"), self.badge_delegate)
        self._pointer = QPoint()
        self._still_since = 0.0
        self._poll = QTimer(self)
        self._poll.setInterval(POINTER_POLL_MS)
        self._poll.timeout.connect(self._on_poll)

    def size_columns(self, *, compact: bool) -> None:
        """Columns as wide as what they show at the current font (priorities,
        categories and times whole); the title takes what is left. ``compact``: the
        map and the wall share the screen."""
        metrics = QFontMetrics(self.font())
        bold = self.font()
        bold.setBold(True)
        wide = QFontMetrics(bold)  # new alerts are in bold
        pad = 22

        def fit(*texts: str) -> int:
            return max(wide.horizontalAdvance(t) for t in texts) + pad

        headers = [
            str(self._alerts.headerData(c, Qt.Orientation.Horizontal)) for c in range(len(COLUMNS))
        ]
        head = QFontMetrics(self.horizontalHeader().font())
        # As the model writes them (alert_model._display).
        priorities = [f"{p} – {tr_label(label)}" for p, label in PRIORITY_LABELS.items()]
        categories = [tr_label(label) for label in CATEGORY_LABELS.values()]
        icon = self.iconSize().width() + 8
        widths = [
            # The mark of another station looking at the alert (team.py) fits beside
            # every label but the longest (« 4 – Information »): the title keeps its room.
            fit(*priorities),
            min(fit(*categories) + icon, metrics.horizontalAdvance("M" * 16) + icon),
            metrics.horizontalAdvance("M" * 14),
            # Commune, then secteur and address: elided at the end, whole in their
            # tooltips (the title keeps the room it had with the one place column).
            metrics.horizontalAdvance("M" * (5 if compact else 7)),
            metrics.horizontalAdvance("M" * (7 if compact else 9)),
            # The time whole (an older alert's day follows it, and may be cut).
            fit("00:00:00"),
            fit("00:00:00"),
            # « ⚠ Prise en compte · <holder> » whole for a short login (held alerts are
            # not bold); longer ones elide in the middle, the title needs the room more.
            metrics.horizontalAdvance(
                "⚠ " + tr_label(STATE_LABELS[AlertState.ACKNOWLEDGED]) + " · " + "m" * 6
            )
            + pad,
        ]
        header = self.horizontalHeader()
        for col, width in enumerate(widths):
            header.resizeSection(col, max(width, head.horizontalAdvance(headers[col]) + pad))
        header.setSectionResizeMode(COLUMNS.index("title"), QHeaderView.ResizeMode.Stretch)
        # The state (who holds the alert) right after its title: on a 1366-px screen
        # the queue is 800 px wide and the last columns are off to the right, where
        # the places and times can go, not « Prise en compte · claire ».
        state, title = COLUMNS.index("state"), COLUMNS.index("title")
        if header.visualIndex(state) != title + 1:
            header.moveSection(header.visualIndex(state), title + 1)

    def enterEvent(self, event: QEnterEvent) -> None:
        self._pointer_moved(QCursor.pos())
        self._poll.start()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._poll.stop()
        self._alerts.release(POINTER_HOLD)
        super().leaveEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden (window minimised, closed) while the pointer was over it: no Leave.
        self._poll.stop()
        self._alerts.release(POINTER_HOLD)
        super().hideEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A click aims at a row: hold, even from a pointer that was resting.
        self._pointer_moved(QCursor.pos())
        super().mousePressEvent(event)

    def _pointer_moved(self, at: QPoint) -> None:
        self._pointer = at
        self._still_since = time.monotonic()
        self._alerts.hold(POINTER_HOLD)

    def _on_poll(self) -> None:
        at = QCursor.pos()
        if at != self._pointer:
            self._pointer_moved(at)
        elif time.monotonic() - self._still_since >= POINTER_IDLE_S:
            self._alerts.release(POINTER_HOLD)

    def rowsAboutToBeRemoved(
        self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int
    ) -> None:
        current = self.currentIndex()
        if current.isValid() and start <= current.row() <= end and not parent.isValid():
            # Forget the row before Qt moves the current index (and the selection)
            # to the next one.
            self.selectionModel().clear()
        super().rowsAboutToBeRemoved(parent, start, end)


def hold_while_open(model: AlertTableModel, dialog: QDialog) -> None:
    """The queue's rows stay put while ``dialog`` (an action's question) is open;
    the order is applied when it closes."""
    reason = f"dialog:{id(dialog)}"
    model.hold(reason)
    dialog.finished.connect(lambda _result: model.release(reason))
