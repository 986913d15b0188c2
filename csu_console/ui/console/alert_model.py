"""The alert queue model: most urgent and newest first, fed by committed batches.

Incoming alerts are buffered and merged on a timer, so a storm of thousands of
alerts costs one re-layout per tick instead of one per alert.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from operator import itemgetter
from zoneinfo import ZoneInfo

from PySide6 import QtGui
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont

from csu_console.core.alerts import (
    CATEGORY_LABELS,
    PRIORITY_LABELS,
    STATE_LABELS,
    AlertState,
    StoredAlert,
)
from csu_console.core.protocol import UpdateMessage
from csu_console.storage.store import Outcome
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import priority_color, priority_text_color

log = logging.getLogger("csu.ui")

COLUMNS = ("priority", "category", "title", "place", "sent", "received", "state")
REFRESH_MS = 100
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_TITLE_COLUMN = COLUMNS.index("title")
# display texts per column, badge colours, bold font for new alerts, plain tooltip
_RowView = tuple[tuple[str, ...], QColor, QColor, QFont | None, str]

_Index = QModelIndex | QPersistentModelIndex


def sort_key(item: StoredAlert) -> tuple[int, float, int]:
    """Most urgent first, then newest first."""
    return (item.alert.priority, -item.received_at.timestamp(), -item.pk)


def _with_update(item: StoredAlert, update: UpdateMessage) -> StoredAlert:
    return replace(
        item, state=update.state, state_station=update.station, state_operator=update.operator
    )


class AlertTableModel(QAbstractTableModel):
    """Alerts for the queue; rows are :class:`StoredAlert`."""

    alerts_added = Signal(list)  # newly stored alerts, once merged
    counts_changed = Signal()

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._rows: list[StoredAlert] = []
        self._keys: list[tuple[int, float, int]] = []  # sort_key of each row
        self._views: dict[int, _RowView] = {}  # what data() returns, built on first paint
        self._by_key: dict[tuple[str, str], StoredAlert] = {}
        self._incoming: list[StoredAlert] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._merge_incoming)
        self._headers = (
            self.tr("Priorité"),
            self.tr("Catégorie"),
            self.tr("Titre"),
            self.tr("Commune / adresse"),
            self.tr("Signalé à"),
            self.tr("Reçu à"),
            self.tr("État"),
        )
        self.rejected_count = 0

    # -- feeding ------------------------------------------------------------

    @Slot(object)
    def on_frames_committed(self, outcomes: list[Outcome]) -> None:
        """Queue new alerts for the next repaint tick."""
        for o in outcomes:
            if o.stored is not None:
                self._incoming.append(o.stored)
            elif o.kind == "rejected":
                self.rejected_count += 1
        if not self._timer.isActive():
            self._timer.start()

    def load(self, alerts: list[StoredAlert]) -> None:
        """Initial content at start (from the database)."""
        self._incoming.extend(alerts)
        self._merge_incoming()

    @Slot(object)
    def on_update_received(self, update: UpdateMessage) -> None:
        """Another station took an alert: show who holds it."""
        key = (update.source, update.id)
        item = self._by_key.get(key)
        if item is None:
            # Not merged yet: update it where it waits for the next tick.
            for i, pending in enumerate(self._incoming):
                if pending.alert.key == key:
                    self._incoming[i] = _with_update(pending, update)
            return
        self._replace(_with_update(item, update))

    def _replace(self, new: StoredAlert) -> None:
        self._views.pop(new.pk, None)
        self._by_key[new.alert.key] = new
        for row, old in enumerate(self._rows):
            if old.pk == new.pk:
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                self.counts_changed.emit()
                return

    @Slot()
    def _merge_incoming(self) -> None:
        fresh: list[StoredAlert] = []
        for a in self._incoming:
            # The same alert can arrive twice in one tick (initial load + link).
            if a.alert.key not in self._by_key:
                self._by_key[a.alert.key] = a
                fresh.append(a)
        self._incoming = []
        if not fresh:
            self.counts_changed.emit()
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_pks = [self._rows[i.row()].pk if i.isValid() else None for i in old_persistent]
        # Keys are computed once per alert; the sort compares tuples in C and
        # merges the two sorted runs in about linear time.
        pairs = list(zip(self._keys, self._rows, strict=True))
        pairs += [(sort_key(a), a) for a in fresh]
        pairs.sort(key=itemgetter(0))
        self._keys = [p[0] for p in pairs]
        self._rows = [p[1] for p in pairs]
        row_of = {a.pk: r for r, a in enumerate(self._rows)} if old_persistent else {}
        new_persistent = [
            self.index(row_of[pk], i.column()) if pk is not None else QModelIndex()
            for i, pk in zip(old_persistent, old_pks, strict=True)
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()
        self.alerts_added.emit(fresh)
        self.counts_changed.emit()

    # -- queries ------------------------------------------------------------

    def alert_at(self, row: int) -> StoredAlert | None:
        """The alert shown on ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, pk: int) -> int:
        """Row of an alert, or -1."""
        for r, a in enumerate(self._rows):
            if a.pk == pk:
                return r
        return -1

    def count_in_state(self, state: AlertState) -> int:
        """How many alerts are in ``state``."""
        return sum(1 for a in self._rows if a.state is state)

    def pending_merge(self) -> int:
        """Alerts received but not yet shown (waiting for the next tick)."""
        return len(self._incoming)

    # -- Qt model -----------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> object:
        # Called by Qt for every role of every visible cell on each paint, and
        # each call needs the GIL: keep it to a dict lookup and a tuple index.
        row = index.row()
        item = self._rows[row]
        view = self._views.get(item.pk)
        if view is None:
            view = self._views[item.pk] = self._make_view(item)
        column = index.column()
        if role == _DISPLAY:
            return view[0][column]
        if column == 0:
            if role == _BACKGROUND:
                return view[1]
            if role == _FOREGROUND:
                return view[2]
        if role == _FONT:
            return view[3]
        if role == _TOOLTIP and column == _TITLE_COLUMN:
            return view[4]
        if role == _USER:
            return item
        return None

    def _make_view(self, item: StoredAlert) -> _RowView:
        a = item.alert
        bold = None
        if item.state is AlertState.NEW:
            bold = QFont()
            bold.setBold(True)
        return (
            tuple(self._display(item, c) for c in COLUMNS),
            priority_color(a.priority),
            priority_text_color(a.priority),
            bold,
            # A tooltip guesses rich text: the citizen's title must stay plain.
            QtGui.Qt.convertFromPlainText(a.title),
        )

    def _time(self, dt: datetime) -> str:
        # Today's times alone (what the operator scans for); older ones with the day.
        local = dt.astimezone(self._tz)
        if local.date() == datetime.now(self._tz).date():
            return local.strftime("%H:%M:%S")
        return local.strftime("%d/%m %H:%M")

    def _display(self, item: StoredAlert, column: str) -> str:
        a = item.alert
        if column == "priority":
            return f"{a.priority} – {tr_label(PRIORITY_LABELS[a.priority])}"
        if column == "category":
            label = tr_label(CATEGORY_LABELS[a.category])
            return f"{label} ({a.category_raw})" if a.category_raw else label
        if column == "place":
            parts = [p for p in (a.commune, a.location.address if a.location else None) if p]
            if a.location is None:
                parts.append(self.tr("sans localisation"))
            return " – ".join(parts)
        if column == "sent":
            return self._time(a.sent)
        if column == "received":
            return self._time(item.received_at)
        if column == "state":
            label = tr_label(STATE_LABELS[item.state])
            if item.state_station:
                return f"{label} ({item.state_station} – {item.state_operator or '?'})"
            return label
        return a.title
