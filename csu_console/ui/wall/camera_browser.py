"""The camera browser (« Parcourir les caméras », Ctrl+B): keyboard first.

Type a few letters of a name, a zone or a commune (accents and case ignored),
↓ to the list, Entrée shows the camera in the chosen tile (the wall's selected
tile by default, or alone on the wall), Ctrl+D marks it favourite (kept per
station, listed first). The browser is not modal: alerts keep ringing and the
wall keeps following them; the viewing reason is asked on the first camera shown
and kept while the browser stays open (one viewing session)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.viewing import CameraRow, search
from csu_console.ui.wall.viewing import ALONE, SELECTED_TILE, ViewingController

STAR = "★"


class CameraBrowser(QDialog):
    """Search, favourites, and « Afficher » into a tile of the wall."""

    closed = Signal()

    def __init__(self, viewing: ViewingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewing = viewing
        self.setWindowTitle(self.tr("Parcourir les caméras"))
        self.setModal(False)
        self.resize(1100, 560)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Nom, zone ou commune…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.refresh)
        self.search_edit.installEventFilter(self)
        self.favourites_only = QCheckBox(self.tr("&Favoris seulement"), self)
        self.favourites_only.toggled.connect(self.refresh)
        top = QHBoxLayout()
        label = QLabel(self.tr("&Rechercher :"), self)
        label.setBuddy(self.search_edit)
        top.addWidget(label)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.favourites_only)

        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [STAR, self.tr("Caméra"), self.tr("Zones"), self.tr("Communes")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # The camera's name whole; zones and communes share the rest (cut with « … »,
        # the whole text in the tooltip).
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.table.installEventFilter(self)

        self.target = QComboBox(self)
        self.target.addItem(self.tr("Tuile sélectionnée du mur"), SELECTED_TILE)
        self.target.addItem(self.tr("Seule sur le mur (flux principal)"), ALONE)
        for n in range(16):
            self.target.addItem(self.tr("Tuile {n}").format(n=n + 1), n)
        target_label = QLabel(self.tr("&Afficher dans :"), self)
        target_label.setBuddy(self.target)
        self.show_button = QPushButton(self.tr("Afficher (Entrée)"), self)
        self.show_button.clicked.connect(self.open_current)
        self.favourite_button = QPushButton(self.tr("Favori (Ctrl+D)"), self)
        self.favourite_button.clicked.connect(self.toggle_current)
        close_button = QPushButton(self.tr("Fermer (Échap)"), self)
        close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(target_label)
        bottom.addWidget(self.target)
        bottom.addStretch(1)
        bottom.addWidget(self.favourite_button)
        bottom.addWidget(self.show_button)
        bottom.addWidget(close_button)
        self.count_label = QLabel(self)
        for button in (self.show_button, self.favourite_button, close_button):
            button.setAutoDefault(False)  # Entrée is « Afficher », from the field or the list

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(bottom)
        QShortcut(QKeySequence("Ctrl+D"), self, self.toggle_current)
        self.rows: list[CameraRow] = []
        viewing.favourites_changed.connect(self.refresh)
        self.refresh()

    # what is listed -----------------------------------------------------------------
    @Slot()
    def refresh(self, *_args: object) -> None:
        current = self.current_id()
        self.rows = search(
            self.viewing.rows,
            self.search_edit.text(),
            favourites=self.viewing.favourites,
            favourites_only=self.favourites_only.isChecked(),
        )
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            star = STAR if row.id in self.viewing.favourites else ""
            values = (star, row.name, ", ".join(row.zones), ", ".join(row.communes))
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        index = next((i for i, row in enumerate(self.rows) if row.id == current), 0)
        if self.rows:
            self.table.selectRow(index)
        self.count_label.setText(
            self.tr("{n} caméra(s) sur {total}").format(
                n=len(self.rows), total=len(self.viewing.rows)
            )
        )

    def current_id(self) -> str | None:
        row = self.table.currentRow()
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    # actions --------------------------------------------------------------------------
    @Slot()
    def open_current(self) -> None:
        camera_id = self.current_id()
        if camera_id is not None:
            self.viewing.open_camera(camera_id, int(self.target.currentData()), self)

    @Slot()
    def toggle_current(self) -> None:
        camera_id = self.current_id()
        if camera_id is not None:
            self.viewing.toggle_favourite(camera_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if watched is self.search_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.table.setFocus()
                row = self.table.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                if 0 <= row < len(self.rows):
                    self.table.selectRow(row)
                return True
        return False

    def showEvent(self, event: QShowEvent) -> None:
        self.viewing.browsing = True
        self.search_edit.setFocus()
        self.search_edit.selectAll()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.viewing.browsing = False
        self.viewing.end_session_if_idle()
        self.closed.emit()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        # Échap rejects the dialog without a close event: the session ends the same.
        self.viewing.browsing = False
        self.viewing.end_session_if_idle()
        super().done(result)
