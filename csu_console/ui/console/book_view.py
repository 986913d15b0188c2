"""« Main courante du jour »: the book of the whole CSU, beside the queue.

Filters (period, type, station, operator, alert, text) make a
:class:`~csu_console.core.book.BookQuery`; the controller
(:mod:`csu_console.ui.console.book_ops`) reads the book off the GUI thread and
hands the rows to the :class:`~csu_console.ui.console.book_model.BookTableModel`.
Big type, like the queue: read from two metres. A corrected entry shows the
original struck through beside the correction (an HTML delegate).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from html import escape

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFontMetrics,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.book import BookQuery, BookRow, day_period
from csu_console.core.entries import ENTRY_TYPE_LABELS
from csu_console.ui.console.book_model import COLUMNS, HTML_ROLE, BookTableModel
from csu_console.ui.fit import ElidedLabel, FlowLayout
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import current, pt

#: Values of the « Type » filter besides the entry types.
ALL, ENTRIES = "__all__", "__entries__"
#: Below this height the pane shows no reader line under the table (pixels).
READER_MIN_HEIGHT = 360
#: Values of the period filter.
TODAY, YESTERDAY, WEEK, DAY = "today", "yesterday", "week", "day"


class HtmlDelegate(QStyledItemDelegate):
    """Paints a cell's :data:`HTML_ROLE` (``<s>`` strikes the original through)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        html = index.data(HTML_ROLE)
        if not html:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setHtml(html)
        doc.setDocumentMargin(2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        rect = opt.rect
        top = rect.top() + max(0, (rect.height() - doc.size().height()) / 2)
        painter.translate(rect.left() + 2, top)
        painter.setClipRect(QRectF(0, 0, rect.width() - 4, rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()


class BookView(QWidget):
    """The filters, the table and the actions of the book."""

    query_changed = Signal()
    correct_requested = Signal(object)  # BookRow
    print_requested = Signal()

    def __init__(self, model: BookTableModel, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self._tz = model, tz
        self._selected_alert: tuple[str, str] | None = None
        big = f"font-size: {pt(13)}pt;"
        self.setStyleSheet(f"QComboBox, QLineEdit, QPushButton, QDateEdit {{ {big} }}")

        self.period_box = QComboBox(self)
        for text, value in (
            (self.tr("Aujourd'hui"), TODAY),
            (self.tr("Hier"), YESTERDAY),
            (self.tr("7 derniers jours"), WEEK),
            (self.tr("Un jour…"), DAY),
        ):
            self.period_box.addItem(text, value)
        self.day_edit = QDateEdit(self)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("dd/MM/yyyy")
        self.day_edit.setDate(QDate.currentDate())
        self.day_edit.hide()
        self.type_box = QComboBox(self)
        self.type_box.addItem(self.tr("Tout"), ALL)
        self.type_box.addItem(self.tr("Entrées seulement"), ENTRIES)
        for kind, label in ENTRY_TYPE_LABELS.items():
            self.type_box.addItem(tr_label(label), kind.value)
        self.station_box = QComboBox(self)
        self.station_box.addItem(self.tr("Tous les postes"), "")
        self.operator_box = QComboBox(self)
        self.operator_box.addItem(self.tr("Tous les opérateurs"), "")
        self.alert_box = QComboBox(self)
        self.alert_box.addItem(self.tr("Toutes les alertes"), False)
        self.alert_box.addItem(self.tr("Alerte sélectionnée"), True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Rechercher…"))
        self.search.setClearButtonEnabled(True)
        for box in (self.period_box, self.type_box, self.station_box, self.operator_box,
                    self.alert_box):  # fmt: skip
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(12)
            box.currentIndexChanged.connect(self._on_filter_changed)
        self.day_edit.dateChanged.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._on_filter_changed)

        self.correct_button = QPushButton(self.tr("Corriger…"), self)
        self.correct_button.clicked.connect(self._on_correct)
        self.correct_button.setEnabled(False)
        self.print_button = QPushButton(self.tr("Imprimer (PDF)…"), self)
        self.print_button.clicked.connect(self.print_requested)

        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setStyleSheet(f"QTableView {{ font-size: {pt(13)}pt; }}")
        self.delegate = HtmlDelegate(self.table)
        self.table.setItemDelegateForColumn(COLUMNS.index("text"), self.delegate)
        self.table.doubleClicked.connect(lambda _i: self._on_correct())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        # A reset (another filter, a new period) keeps the selected line when it is
        # still there.
        self._kept_key: tuple[str, int] | None = None
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)
        self._size_columns()

        # The selected line in full (the table cuts long texts), struck originals too.
        self.reader = QLabel(self)
        self.reader.setTextFormat(Qt.TextFormat.RichText)
        self.reader.setWordWrap(True)
        self.reader.setMinimumWidth(1)
        self.reader.setStyleSheet(f"font-size: {pt(14)}pt; padding: 2px 4px;")
        reader_font = self.reader.font()
        reader_font.setPointSize(pt(14))
        self.reader.setMaximumHeight(3 * QFontMetrics(reader_font).lineSpacing() + 8)
        self.reader.setText(self.tr("Sélectionnez une ligne pour la lire en entier."))
        model.dataChanged.connect(self._on_selection)
        self.status = ElidedLabel("", self)
        self.status.setStyleSheet(f"color: {current().muted_text};")

        # The filters wrap onto a second line rather than widen the window (1366 px).
        filters = FlowLayout(spacing=6)
        for w in (self.period_box, self.day_edit, self.type_box, self.station_box,
                  self.operator_box, self.alert_box, self.search):  # fmt: skip
            filters.addWidget(w)
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance("m" * 14))
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reader)
        layout.addLayout(actions)

    def _size_columns(self) -> None:
        font = self.table.font()
        font.setPointSize(pt(13))
        metrics = QFontMetrics(font)
        font.setBold(True)
        bold = QFontMetrics(font)
        header = self.table.horizontalHeader()
        # The text gets what is left: the entry types whole, machine steps may be cut.
        types = [tr_label(label) for label in ENTRY_TYPE_LABELS.values()]
        widths = {
            "time": metrics.horizontalAdvance("00:00:00") + 16,
            "station": metrics.horizontalAdvance("poste-0") + 12,
            "operator": metrics.horizontalAdvance("m" * 7) + 12,
            "what": max(bold.horizontalAdvance(t) for t in types) + 16,
            "alert": metrics.horizontalAdvance("n° 000 · " + "m" * 6) + 12,
        }
        for name, width in widths.items():
            header.resizeSection(COLUMNS.index(name), width)
        header.setSectionResizeMode(COLUMNS.index("text"), QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(max(34, metrics.height() + 14))

    def sizeHint(self) -> QSize:
        return QSize(600, 300)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A short pane (1366×768) keeps its rows for the table: the full line of the
        # selection is then in the row's tooltip only.
        self.reader.setVisible(self.height() >= READER_MIN_HEIGHT)

    # -- the query -------------------------------------------------------------------

    def query(self, now: datetime | None = None) -> BookQuery:
        """What the filters ask for."""
        today = (now or datetime.now(self._tz)).astimezone(self._tz).date()
        period = self.period_box.currentData()
        since: datetime | None = None
        until: datetime | None = None
        if period == YESTERDAY:
            since, until = day_period(today - timedelta(days=1), self._tz)
        elif period == WEEK:
            since = day_period(today - timedelta(days=6), self._tz)[0]
            until = day_period(today, self._tz)[1]
        elif period == DAY:
            qd = self.day_edit.date()
            since, until = day_period(date(qd.year(), qd.month(), qd.day()), self._tz)
        kind = self.type_box.currentData()
        station = self.station_box.currentData()
        operator = self.operator_box.currentData()
        alert: tuple[str, str] | None = None
        if self.alert_box.currentData():
            # Nothing selected in the queue: nothing matches (rather than everything).
            alert = self._selected_alert or ("", "")
        return BookQuery(
            since=since,
            until=until,
            entries_only=kind == ENTRIES,
            entry_types=frozenset() if kind in (ALL, ENTRIES) else frozenset({str(kind)}),
            stations=frozenset({station}) if station else frozenset(),
            operators=frozenset({operator}) if operator else frozenset(),
            alert=alert,
            text=self.search.text(),
        )

    def multi_day(self) -> bool:
        return bool(self.period_box.currentData() == WEEK)

    def set_selected_alert(self, key: tuple[str, str] | None, label: str = "") -> None:
        """The alert selected in the queue (the « Alerte sélectionnée » filter)."""
        self._selected_alert = key
        text = (
            self.tr("Alerte sélectionnée")
            if key is None
            else self.tr("Alerte : {a}").format(a=label)
        )
        self.alert_box.setItemText(1, text)
        if self.alert_box.currentData():
            self.query_changed.emit()

    def set_people(self, stations: list[str], operators: list[str]) -> None:
        """The stations and operators of the period, for their filters (choice kept)."""
        for box, values in ((self.station_box, stations), (self.operator_box, operators)):
            chosen = box.currentData()
            have = [box.itemData(i) for i in range(1, box.count())]
            wanted = sorted(set(values) | ({chosen} if chosen else set()))
            if have == wanted:
                continue
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for value in wanted:
                box.addItem(value, value)
            box.setCurrentIndex(max(0, box.findData(chosen)))
            box.blockSignals(False)

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def _on_filter_changed(self) -> None:
        self.day_edit.setVisible(self.period_box.currentData() == DAY)
        self.query_changed.emit()

    # -- rows ----------------------------------------------------------------------

    def selected_row(self) -> BookRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _remember_selection(self) -> None:
        row = self.selected_row()
        self._kept_key = row.key if row is not None else None

    def _restore_selection(self) -> None:
        if self._kept_key is not None and (i := self.model.row_of(self._kept_key)) >= 0:
            self.table.selectRow(i)
        self._on_selection()

    def _on_selection(self) -> None:
        row = self.selected_row()
        self._read_out(row)
        self.correct_button.setEnabled(
            row is not None and row.own and (row.is_entry or row.is_correction)
        )

    def _read_out(self, row: BookRow | None) -> None:
        if row is None:
            self.reader.setText(self.tr("Sélectionnez une ligne pour la lire en entier."))
            return
        m = self.model
        i = m.row_of(row.key)
        cells = [escape(str(m.data(m.index(i, c)) or "")) for c in range(COLUMNS.index("text"))]
        head = " · ".join(c for c in cells if c)
        col = COLUMNS.index("text")
        body = m.data(m.index(i, col), HTML_ROLE) or escape(str(m.data(m.index(i, col)) or ""))
        self.reader.setText(f"<b>{head}</b><br>{body}")

    def _on_correct(self) -> None:
        row = self.selected_row()
        if row is not None and row.own and (row.is_entry or row.is_correction):
            self.correct_requested.emit(row)
