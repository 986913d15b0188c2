"""The « Main courante du jour » as a table: a thin Qt model over the core's rows.

The rows come from :func:`csu_console.storage.book.read_book` (:class:`BookRow`);
this model only turns them into cells. A corrected entry shows its corrected text
next to the original struck through (:data:`HTML_ROLE`, painted by the view's
delegate); the plain text (``DisplayRole``) says the same in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from csu_console.core.book import BookRow, entry_type_label, kind_label
from csu_console.core.review.export import details_text
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import current

#: The cell's text as HTML (the original of a corrected entry in ``<s>``).
HTML_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The row's :class:`BookRow`.
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2

COLUMNS = ("time", "station", "operator", "what", "alert", "text")

_Index = QModelIndex | QPersistentModelIndex


def _place(details: Mapping[str, Any], cameras: Mapping[str, str]) -> list[str]:
    parts = []
    place, lat, lon = details.get("place"), details.get("lat"), details.get("lon")
    if place or lat is not None:
        where = str(place or "")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            where = f"{where} ({lat:.5f}, {lon:.5f})".strip()
        parts.append(("lieu", where))
    camera = details.get("camera")
    if camera:
        parts.append(("caméra", cameras.get(str(camera), str(camera))))
    return [f"{k} : {v}" for k, v in parts]


class BookTableModel(QAbstractTableModel):
    """Rows of the book, newest first as read; ``set_rows`` keeps the rows that did
    not change (selection and scroll stay put when new events come in at the top)."""

    def __init__(
        self, tz: tzinfo, cameras: Mapping[str, str] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tz = tz
        self._cameras = dict(cameras or {})
        self._rows: list[BookRow] = []
        self._multi_day = False
        self._headers = [
            self.tr("Heure"),
            self.tr("Poste"),
            self.tr("Opérateur"),
            self.tr("Type"),
            self.tr("Alerte"),
            self.tr("Texte"),
        ]

    # -- rows ------------------------------------------------------------------

    def rows(self) -> list[BookRow]:
        return list(self._rows)

    def row_at(self, row: int) -> BookRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: tuple[str, int]) -> int:
        for i, r in enumerate(self._rows):
            if r.key == key:
                return i
        return -1

    def set_rows(self, rows: Sequence[BookRow], *, multi_day: bool = False) -> None:
        """Show ``rows``: new ones at the top are inserted, the oldest that fell off a
        cut list removed, changed ones repainted; anything else (another filter,
        another period) resets the table."""
        rows = list(rows)
        old_keys = [r.key for r in self._rows]
        new_keys = [r.key for r in rows]
        added = next((i for i, k in enumerate(new_keys) if old_keys and k == old_keys[0]), -1)
        if not old_keys and not new_keys:
            return
        kept = len(rows) - added if added >= 0 else 0
        if (
            multi_day != self._multi_day
            or added < 0
            or kept > len(old_keys)
            or new_keys[added:] != old_keys[:kept]
        ):
            self.beginResetModel()
            self._rows, self._multi_day = rows, multi_day
            self.endResetModel()
            return
        if kept < len(self._rows):  # the oldest fell off the end of a cut list
            self.beginRemoveRows(QModelIndex(), kept, len(self._rows) - 1)
            del self._rows[kept:]
            self.endRemoveRows()
        if added:
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self._rows[0:0] = rows[:added]
            self.endInsertRows()
        for i in range(added, len(rows)):
            if rows[i] != self._rows[i]:
                self._rows[i] = rows[i]
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    # -- Qt --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == HTML_ROLE and column == "text":
            return self._html(row)  # None: a plain cell (cut with « … » when long)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("text", "alert"):
            return self._display(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.FontRole and (row.is_entry or row.is_correction):
            font = QFont()
            font.setBold(column in ("what", "text"))
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not (row.is_entry or row.is_correction):
            return QColor(current().muted_text)  # the machine's steps: quieter than the operators'
        return None

    def _time(self, at: datetime) -> str:
        local = at.astimezone(self._tz)
        return local.strftime("%d/%m %H:%M:%S" if self._multi_day else "%H:%M:%S")

    def _what(self, row: BookRow) -> str:
        if row.is_entry:
            return tr_label(entry_type_label(row.latest.get("type")))
        if row.is_correction:
            return self.tr("Correction")
        return tr_label(kind_label(row.kind))

    def _display(self, row: BookRow, column: str) -> str:
        if column == "time":
            return self._time(row.at)
        if column == "station":
            return row.station
        if column == "operator":
            return row.operator or "—"
        if column == "what":
            return self._what(row)
        if column == "alert":
            if row.alert_pk is not None:
                title = f" · {row.alert_title}" if row.alert_title else ""
                return self.tr("n° {pk}{title}").format(pk=row.alert_pk, title=title)
            if row.alert_key is not None:
                return self.tr("{id} (pas à ce poste)").format(id=row.alert_key[1])
            return ""
        return self._text(row)

    def _extras(self, details: Mapping[str, Any]) -> str:
        extras = _place(details, self._cameras)
        return (" — " + " · ".join(extras)) if extras else ""

    def _text(self, row: BookRow) -> str:
        """The cell in words: « nouveau texte (corrigé ; avant : ancien) »."""
        if row.is_entry:
            latest = row.latest
            text = str(latest.get("text", "")) + self._extras(latest)
            if row.corrections:
                fix = row.corrections[-1]
                return self.tr(
                    "{text} [corrigé par {who} : {why} ; texte d'origine : {old}]"
                ).format(
                    text=text,
                    who=fix.operator or "?",
                    why=fix.details.get("comment", ""),
                    old=row.details.get("text", ""),
                )
            return text
        if row.is_correction:
            old = row.corrected.latest if row.corrected is not None else {}
            return self.tr("{text} [correction de l'entrée n° {n} : {why} ; avant : {old}]").format(
                text=row.details.get("text", ""),
                n=row.details.get("corrects", "?"),
                why=row.details.get("comment", ""),
                old=old.get("text", "?"),
            )
        return details_text(dict(row.details), None)

    def _pair(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, str]:
        """The original and the corrected text as HTML; the type too when it changed."""
        before, after = (
            escape(str(old.get("text", "?"))),
            escape(str(new.get("text", "")) + self._extras(new)),
        )
        if old.get("type") != new.get("type"):
            before = f"{escape(tr_label(entry_type_label(old.get('type'))))} : {before}"
            after = f"{escape(tr_label(entry_type_label(new.get('type'))))} : {after}"
        return before, after

    def _html(self, row: BookRow) -> str | None:
        """The text cell with the original struck through beside its correction."""
        if row.is_entry and row.corrections:
            fix = row.corrections[-1]
            old, new = self._pair(row.details, fix.details)
            return self.tr("{new} · <s>{old}</s> <i>(corrigé par {who} : {why})</i>").format(
                old=old,
                new=new,
                who=escape(fix.operator or "?"),
                why=escape(str(fix.details.get("comment", ""))),
            )
        if row.is_correction:
            before = row.corrected.latest if row.corrected is not None else {}
            old, new = self._pair(before, row.details)
            return self.tr("{new} · <s>{old}</s> <i>(correction, motif : {why})</i>").format(
                old=old, new=new, why=escape(str(row.details.get("comment", "")))
            )
        return None
