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

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QCursor, QEnterEvent, QHideEvent, QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from csu_console.ui.console.alert_model import COLUMNS, AlertTableModel

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
        self.state_delegate = MiddleElideDelegate(self)
        self.setItemDelegateForColumn(COLUMNS.index("state"), self.state_delegate)
        self._pointer = QPoint()
        self._still_since = 0.0
        self._poll = QTimer(self)
        self._poll.setInterval(POINTER_POLL_MS)
        self._poll.timeout.connect(self._on_poll)

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
