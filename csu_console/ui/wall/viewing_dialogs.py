"""« Dispositions du mur » and « Rondes »: save, recall, delete; edit, start, stop.

Both are small non-modal dialogs over the station's lists (read and written off
the GUI thread by :class:`~csu_console.ui.wall.viewing.ViewingController`). A
deletion is confirmed (one key must not destroy an operator's work)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.viewing import (
    MAX_DWELL_S,
    MIN_DWELL_S,
    WHOLE_WALL,
    Tour,
    ViewingError,
    clean_name,
)
from csu_console.ui.wall.viewing import SELECTED_TILE, ViewingController

GRID_TEXT = {1: "1", 2: "2×2", 3: "3×3", 4: "4×4"}


def confirm(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """A French yes/no (Qt's standard buttons would show in English)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(
        QCoreApplication.translate("ViewingDialogs", "Annuler"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


class _EnterKey(QObject):
    """Entrée (or the keypad's) on a list runs ``action`` (Qt's item views do not
    reliably emit ``activated`` for it inside a dialog)."""

    def __init__(self, target: QWidget, action: Callable[[], None]) -> None:
        super().__init__(target)
        self._action = action
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._action()
            return True
        return False


class LayoutsDialog(QDialog):
    """The station's saved layouts: recall (Entrée), save the wall, delete."""

    def __init__(self, viewing: ViewingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewing = viewing
        self.setWindowTitle(self.tr("Dispositions du mur"))
        self.resize(520, 420)
        self.list = QListWidget(self)
        self.list.itemDoubleClicked.connect(lambda _i: self.recall())
        _EnterKey(self.list, self.recall)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("Nom de la disposition"))
        self.name_edit.returnPressed.connect(self.save)
        save = QPushButton(self.tr("&Enregistrer le mur actuel"), self)
        save.clicked.connect(self.save)
        recall = QPushButton(self.tr("&Rappeler (Entrée)"), self)
        recall.clicked.connect(self.recall)
        delete = QPushButton(self.tr("&Supprimer…"), self)
        delete.clicked.connect(self.delete)
        close = QPushButton(self.tr("Fermer (Échap)"), self)
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.name_edit, 1)
        row.addWidget(save)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(recall)
        buttons.addWidget(delete)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.error)
        for button in (save, recall, delete, close):
            button.setAutoDefault(False)  # Entrée: the field's or the list's own action
        viewing.layouts_changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self, *_args: object) -> None:
        self.list.clear()
        for lay in self.viewing.layouts:
            n = len([c for c in lay.cameras if c])
            text = self.tr("{name} — {grid}, {n} caméra(s)").format(
                name=lay.name, grid=GRID_TEXT[lay.columns], n=n
            )
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, lay.name)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _current(self) -> str | None:
        row = self.list.currentRow()
        return str(self.list.item(row).data(Qt.ItemDataRole.UserRole)) if row >= 0 else None

    @Slot()
    def save(self) -> None:
        try:
            name = clean_name(self.name_edit.text())
        except ViewingError as exc:
            self.error.setText(self.tr("Disposition non enregistrée : {why}.").format(why=exc))
            return
        if not self.viewing.wall_cameras():
            self.error.setText(self.tr("Disposition non enregistrée : le mur est vide."))
            return
        self.error.clear()
        self.viewing.save_layout(name)
        self.name_edit.clear()

    @Slot()
    def recall(self) -> None:
        name = self._current()
        layout = next((x for x in self.viewing.layouts if x.name == name), None)
        if layout is not None:
            self.viewing.recall_layout(layout, self)

    @Slot()
    def delete(self) -> None:
        name = self._current()
        if name is not None and confirm(
            self,
            self.tr("Supprimer la disposition"),
            self.tr("Supprimer la disposition « {name} » de ce poste ?").format(name=name),
            self.tr("Supprimer"),
        ):
            self.viewing.delete_layout(name)


class ToursDialog(QDialog):
    """The station's tours: pick one, edit it (cameras, dwell, grid), save it,
    start it in a tile or on the whole wall, stop it."""

    def __init__(self, viewing: ViewingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewing = viewing
        self._starting = False  # « Lancer » pressed: closes once the tour plays
        self._order: list[str] = []  # the loaded tour's cameras, in its order
        self.setWindowTitle(self.tr("Rondes de caméras"))
        self.resize(1000, 600)
        self.tour_list = QListWidget(self)
        self.tour_list.currentItemChanged.connect(lambda _a, _b: self._load_current())
        self.tour_list.itemDoubleClicked.connect(lambda _i: self.start())
        _EnterKey(self.tour_list, self.start)
        self.name_edit = QLineEdit(self)
        self.dwell = QDoubleSpinBox(self)
        self.dwell.setRange(MIN_DWELL_S, MAX_DWELL_S)
        self.dwell.setDecimals(0)
        self.dwell.setSuffix(" s")
        self.dwell.setValue(10)
        self.grid = QComboBox(self)
        for n, text in GRID_TEXT.items():
            self.grid.addItem(text, n)
        self.grid.setCurrentIndex(1)
        self.cameras = QListWidget(self)
        self.cameras.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for row in viewing.rows:
            item = QListWidgetItem(row.name, self.cameras)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.target = QComboBox(self)
        self.target.addItem(self.tr("Mur entier (pages de caméras)"), WHOLE_WALL)
        self.target.addItem(self.tr("Tuile sélectionnée du mur"), SELECTED_TILE)
        for n in range(16):
            self.target.addItem(self.tr("Tuile {n}").format(n=n + 1), n)
        form = QFormLayout()
        form.addRow(self.tr("&Nom :"), self.name_edit)
        form.addRow(self.tr("&Durée par étape :"), self.dwell)
        form.addRow(self.tr("&Grille (mur entier) :"), self.grid)
        form.addRow(self.tr("&Caméras :"), self.cameras)
        form.addRow(self.tr("&Jouer dans :"), self.target)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.state_label = QLabel(self)
        save = QPushButton(self.tr("&Enregistrer"), self)
        save.clicked.connect(self.save)
        delete = QPushButton(self.tr("&Supprimer…"), self)
        delete.clicked.connect(self.delete)
        self.start_button = QPushButton(self.tr("&Lancer"), self)
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("&Arrêter"), self)
        self.stop_button.clicked.connect(lambda: self.viewing.stop_tour("arrêtée"))
        close = QPushButton(self.tr("Fermer (Échap)"), self)
        close.clicked.connect(self.close)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Rondes du poste :"), self))
        left.addWidget(self.tour_list, 1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(form, 3)
        buttons = QHBoxLayout()
        for b in (save, delete, self.start_button, self.stop_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.state_label)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        for button in (save, delete, self.start_button, self.stop_button, close):
            button.setAutoDefault(False)  # Entrée in a field must not save or delete
        viewing.tours_changed.connect(self.refresh)
        viewing.tour_changed.connect(self._show_state)
        self.refresh()
        self._show_state()

    @Slot()
    def refresh(self, *_args: object) -> None:
        current = self.name_edit.text()
        self.tour_list.blockSignals(True)
        self.tour_list.clear()
        for tour in self.viewing.tours:
            text = self.tr("{name} — {n} caméra(s), {d:g} s").format(
                name=tour.name, n=len(tour.cameras), d=tour.dwell_s
            )
            item = QListWidgetItem(text, self.tour_list)
            item.setData(Qt.ItemDataRole.UserRole, tour.name)
        self.tour_list.blockSignals(False)
        names = [t.name for t in self.viewing.tours]
        if names:
            self.tour_list.setCurrentRow(names.index(current) if current in names else 0)

    def _load_current(self) -> None:
        row = self.tour_list.currentRow()
        name = self.tour_list.item(row).data(Qt.ItemDataRole.UserRole) if row >= 0 else None
        tour = next((t for t in self.viewing.tours if t.name == name), None)
        if tour is None:
            return
        self.name_edit.setText(tour.name)
        self._order = list(tour.cameras)
        self.dwell.setValue(tour.dwell_s)
        self.grid.setCurrentIndex(max(0, self.grid.findData(tour.columns)))
        chosen = set(tour.cameras)
        for i in range(self.cameras.count()):
            cam = self.cameras.item(i)
            checked = cam.data(Qt.ItemDataRole.UserRole) in chosen
            cam.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def edited_tour(self) -> Tour | None:
        """The tour as the form says, or None (the reason shown)."""
        checked = [
            str(self.cameras.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.cameras.count())
            if self.cameras.item(i).checkState() == Qt.CheckState.Checked
        ]
        # The tour's own order kept; cameras ticked since come after, in site order.
        kept = [c for c in self._order if c in checked]
        ids = tuple(kept + [c for c in checked if c not in kept])
        try:
            tour = Tour(
                clean_name(self.name_edit.text()),
                ids,
                float(self.dwell.value()),
                int(self.grid.currentData()),
            )
        except ViewingError as exc:
            self.error.setText(self.tr("Ronde invalide : {why}.").format(why=exc))
            return None
        self.error.clear()
        return tour

    @Slot()
    def save(self) -> None:
        tour = self.edited_tour()
        if tour is not None:
            self.viewing.save_tour(tour)

    @Slot()
    def delete(self) -> None:
        if self.tour_list.currentRow() < 0:
            return
        name = str(self.tour_list.currentItem().data(Qt.ItemDataRole.UserRole))
        if confirm(
            self,
            self.tr("Supprimer la ronde"),
            self.tr("Supprimer la ronde « {name} » de ce poste ?").format(name=name),
            self.tr("Supprimer"),
        ):
            self.viewing.delete_tour(name)

    @Slot()
    def start(self) -> None:
        tour = self.edited_tour()
        if tour is not None:
            self._starting = True
            self.viewing.start_tour(tour, int(self.target.currentData()), self)

    @Slot()
    def _show_state(self) -> None:
        player = self.viewing.player
        if self._starting and player is not None:
            self._starting = False
            self.close()  # the wall is what the operator wants to see now
            return
        self.stop_button.setEnabled(player is not None)
        if player is None:
            self.state_label.setText(self.tr("Aucune ronde en cours."))
        else:
            self.state_label.setText(
                self.tr("Ronde en cours : « {name} » ({state}).").format(
                    name=player.tour.name,
                    state=self.tr("interrompue par une alerte")
                    if player.state.value == "interrupted"
                    else self.tr("en lecture"),
                )
            )
