"""Opening and closing a shift (vacation) at this station.

Both are logbook events written by the store; the closing one carries who worked
and the counts of the shift, shown here in a small dialog (the end-of-shift digest
will build on it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.logbook import EVENT_LABELS, EventKind, LogEvent
from csu_console.core.roles import Permission
from csu_console.errors import UserFacingError
from csu_console.ui.console.context import StationContext
from csu_console.ui.labels import tr_label

log = logging.getLogger("csu.ui")


def _kind_label(kind: str) -> str:
    try:
        return tr_label(EVENT_LABELS[EventKind(kind)])
    except ValueError:
        return kind


class ShiftController(QObject):
    """« Ouvrir la vacation » / « Clôturer la vacation » (``MANAGE_SHIFT``)."""

    message = Signal(str)  # French, for the status bar
    shift_closed = Signal(object)  # the closing event's details
    state_changed = Signal(object)  # the open shift's ``shift_opened`` event, or None

    def __init__(
        self,
        ctx: StationContext,
        tz: ZoneInfo,
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._station = ctx.session, ctx.tasks, ctx.station
        self._tz = tz
        self._window = window
        self.summary: ShiftClosedDialog | None = None
        #: The station's open shift (its ``shift_opened`` event), None when none is.
        self.current: LogEvent | None = None
        #: ``before_close(proceed)``: shows the end-of-shift digest, calls ``proceed()``
        #: once it is confirmed (set by the console; None: close at once).
        self.before_close: Callable[[Callable[[], None]], None] | None = None

    def _who(self) -> str | None:
        if not self._session.allowed(Permission.MANAGE_SHIFT):
            self.message.emit(self._session.refusal(Permission.MANAGE_SHIFT))
            return None
        return self._session.operator

    @Slot()
    def open_shift(self) -> None:
        """Open this station's shift in the name of who is logged in."""
        who, station = self._who(), self._station
        if who is None:
            return
        self._tasks.run(lambda s: s.open_shift(station, who), self._on_opened, self._on_error)

    @Slot()
    def close_shift(self) -> None:
        """Close it (after the digest, when ``before_close`` is set): the counts come
        back and are shown."""
        who, station = self._who(), self._station
        if who is None:
            return

        def close() -> None:
            self._tasks.run(lambda s: s.close_shift(station, who), self._on_closed, self._on_error)

        if self.before_close is not None:
            self.before_close(close)
        else:
            close()

    @Slot()
    def refresh(self) -> None:
        """Read whether this station's shift is open (at start, after each change)."""
        station = self._station
        self._tasks.run(lambda s: s.current_shift(station), self._on_current, self._on_error)

    def _on_current(self, current: LogEvent | None) -> None:
        self.current = current
        self.state_changed.emit(current)

    def _on_opened(self, _pk: int) -> None:
        self.message.emit(self.tr("Vacation ouverte au poste {s}.").format(s=self._station))
        self.refresh()

    def _on_closed(self, details: dict[str, Any]) -> None:
        self.message.emit(self.tr("Vacation clôturée au poste {s}.").format(s=self._station))
        dialog = ShiftClosedDialog(details, self._station, self._tz, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summary = dialog
        dialog.open()  # window-modal, never blocking
        self.shift_closed.emit(details)
        self.refresh()

    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, UserFacingError):
            self.message.emit(str(exc))  # already open, none open: the store says why
            return
        log.error("vacation : écriture impossible", exc_info=exc)
        self.message.emit(self.tr("Vacation : écriture impossible ({m}).").format(m=exc))


class ShiftClosedDialog(QDialog):
    """Who worked during the shift and how many events of each kind it logged."""

    def __init__(
        self, details: dict[str, Any], station: str, tz: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Vacation clôturée – poste {s}").format(s=station))
        self.resize(620, 520)
        opened = datetime.fromisoformat(str(details["opened_at"])).astimezone(tz)
        operators = ", ".join(map(str, details.get("operators") or [])) or "—"
        self.header = QLabel(
            self.tr(
                "Vacation ouverte le {date} à {time} par {who}.\n"
                "Opérateurs : {operators}.\nÉvénements journalisés : {n}."
            ).format(
                date=opened.strftime("%d/%m/%Y"),
                time=opened.strftime("%H:%M"),
                who=details.get("opened_by") or "?",
                operators=operators,
                n=details.get("events", 0),
            ),
            self,
        )
        self.header.setStyleSheet("font-size: 13pt;")
        counts: dict[str, int] = dict(details.get("counts") or {})
        rows = sorted(counts.items(), key=lambda kv: (-kv[1], _kind_label(kv[0])))
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Événement"), self.tr("Nombre")])
        self.table.verticalHeader().setVisible(False)
        for r, (kind, n) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(_kind_label(kind)))
            count = QTableWidgetItem(str(n))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 1, count)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class ShiftStatusLabel(QLabel):
    """In the status bar, at all times: whether this station's shift is open, since
    when and by whom (« Vacation ouverte depuis 08:02 (martin) »), or that none is."""

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.setObjectName("shiftStatus")
        self.show_shift(None)

    @Slot(object)
    def show_shift(self, opened: LogEvent | None) -> None:
        """The open shift's ``shift_opened`` event, or None."""
        if opened is None:
            self.setText(self.tr("Aucune vacation ouverte"))
            self.setToolTip(
                self.tr("Poste › Ouvrir la vacation : la relève et la revue la suivent.")
            )
            self.setStyleSheet("color: #e65100; font-weight: bold; padding: 0 6px;")
            return
        at = opened.at.astimezone(self._tz)
        who = opened.operator or "?"
        self.setText(
            self.tr("Vacation ouverte depuis {time} ({who})").format(
                time=at.strftime("%H:%M"), who=who
            )
        )
        self.setToolTip(
            self.tr("Vacation ouverte le {date} à {time} par {who}.").format(
                date=at.strftime("%d/%m/%Y"), time=at.strftime("%H:%M:%S"), who=who
            )
        )
        self.setStyleSheet("color: #2e7d32; font-weight: bold; padding: 0 6px;")
