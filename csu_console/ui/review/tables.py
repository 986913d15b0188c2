"""Small read-only tables of the review: one helper to fill them, large type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from csu_console.core.logbook import EVENT_LABELS, EventKind
from csu_console.ui.labels import tr_label

#: Key of a row (what a click narrows the filter to), kept in the first cell.
KEY_ROLE = Qt.ItemDataRole.UserRole + 2


def make_table(
    headers: Sequence[str], parent: QWidget | None = None, *, stretch: int = -1
) -> QTableWidget:
    """A read-only, row-selecting table with ``headers``; column ``stretch`` (the last
    by default) takes the room left, the others fit their contents."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch % len(headers), QHeaderView.ResizeMode.Stretch)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().setDefaultSectionSize(30)
    return table


def fill(
    table: QTableWidget,
    rows: Sequence[Sequence[str]],
    keys: Sequence[object] | None = None,
    *,
    colors: Sequence[str | None] | None = None,
) -> None:
    """Replace the rows; numbers right-aligned; ``keys[i]`` stored on row i;
    ``colors[i]`` a swatch on row i's first cell."""
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if len(text) > 16:
                item.setToolTip(text)  # the column may elide it
            if text.replace(" ", "").isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 0 and keys is not None:
                item.setData(KEY_ROLE, keys[r])
            if c == 0 and colors is not None and colors[r]:
                item.setData(Qt.ItemDataRole.DecorationRole, QColor(colors[r]))
            table.setItem(r, c, item)


def local_time(at: str | datetime | None, tz: tzinfo, fmt: str = "%d/%m %H:%M") -> str:
    """A stored UTC time (text or datetime) in local time; « – » for None."""
    if at is None:
        return "–"
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return when.astimezone(tz).strftime(fmt)


def event_label(kind: str) -> str:
    """French (translated) label of an event kind; the kind itself when unknown."""
    try:
        return tr_label(EVENT_LABELS[EventKind(kind)])
    except ValueError:
        return kind
