"""The queue's table view: rows that stay put under the operator's pointer.

- While the pointer is over the queue, the model holds new alerts back (they
  still ring and show in the banner at once) and the window announces them
  (« ↑ 3 nouvelles alertes »); the order is applied when the pointer leaves.
- When the selected alert leaves the queue (closed, filtered out), nothing else
  gets selected in its place: Qt would select the next row, and a second F8
  would close a second alert.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QEnterEvent, QHideEvent
from PySide6.QtWidgets import QDialog, QTableView, QWidget

from csu_console.ui.console.alert_model import AlertTableModel

#: The model's hold while the pointer is over the queue.
POINTER_HOLD = "pointer"


class QueueView(QTableView):
    """A :class:`QTableView` of the alert queue (through its filter proxy)."""

    def __init__(self, model: AlertTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._alerts = model

    def enterEvent(self, event: QEnterEvent) -> None:
        self._alerts.hold(POINTER_HOLD)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._alerts.release(POINTER_HOLD)
        super().leaveEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden (window minimised, closed) while the pointer was over it: no Leave.
        self._alerts.release(POINTER_HOLD)
        super().hideEvent(event)

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
