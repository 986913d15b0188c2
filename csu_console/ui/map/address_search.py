"""« Adresse… »: find a caller's address on the map, and « Nouvelle alerte ici ».

A small button in the map's toolbar (it must not widen the window) opens a popup
with a search field and ranked suggestions (:mod:`csu_console.core.address_search`);
Ctrl+F opens it too. Choosing a suggestion centres the map on it with a pin;
« Nouvelle alerte ici… » (Ctrl+Entrée) asks for a phone alert at that place. A right
click on the map offers « Nouvelle alerte ici » at the point clicked (named after the
nearest house number when there is one within a few metres).

The index is read from the map file on a worker thread (:class:`AddressIndexLoader`).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStyleOptionGraphicsItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.address_search import AddressHit, AddressIndex
from csu_console.errors import MapDataError
from csu_console.mapdata.mapfile import MapFile
from csu_console.ui.map.items import HaloLabel
from csu_console.ui.map.map_view import MapView
from csu_console.ui.map.projection import scene_to_lonlat, to_scene

log = logging.getLogger("csu.map")

#: The zoom the map shows a found address at (a few buildings around it).
ADDRESS_ZOOM = 18.0
Z_PIN = 45
#: Typing pauses this long before the suggestions are computed again.
SEARCH_DELAY_MS = 120
#: After centring on an address, new alerts leave the map there this long (the
#: operator is still on the phone, looking at the place and its cameras).
HOLD_MAP_S = 60.0


@dataclass(frozen=True)
class Place:
    """Where a phone alert is created: a point and, when known, its address."""

    lat: float
    lon: float
    address: str = ""


class AddressIndexLoader(QObject):
    """Reads a map file's address index off the GUI thread: ``ready(AddressIndex)``."""

    ready = Signal(object)

    def load(self, path: Path) -> None:
        """Read ``path``'s index in a thread; ``ready`` follows (an empty index when
        the file has none or cannot be read: the search then says so)."""

        def work() -> None:
            rows: list[tuple[str, str | None, float, float]] = []
            try:
                with MapFile(path) as mapfile:
                    rows = [(a.street, a.number, a.lon, a.lat) for a in mapfile.addresses()]
            except MapDataError as exc:
                log.warning("index d'adresses illisible : %s", exc)
            index = AddressIndex(rows)
            log.info(
                "index d'adresses : %d rues, %d numéros (%s)",
                index.street_count, index.number_count, path.name,
            )  # fmt: skip
            self.ready.emit(index)

        threading.Thread(target=work, name="csu-address-index", daemon=True).start()


class AddressPin(QGraphicsItem):
    """A pin on the address found, with its label (constant size in pixels)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_PIN)
        self.label = HaloLabel(label, QColor("#6a1b9a"), self, dy_px=14.0)

    def boundingRect(self) -> QRectF:
        return QRectF(-12, -36, 24, 38)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        path = QPainterPath()
        path.moveTo(0, 0)
        path.cubicTo(-4, -10, -11, -16, -11, -24)
        path.arcTo(QRectF(-11, -35, 22, 22), 180, -180)
        path.cubicTo(11, -16, 4, -10, 0, 0)
        painter.setPen(QPen(QColor("#ffffff"), 2.0))
        painter.setBrush(QColor("#6a1b9a"))
        painter.drawPath(path)
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(QPointF(0, -24), 4, 4)


class AddressPopup(QFrame):
    """The search field, its suggestions and the two actions, under the button."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("n° et rue, p. ex. 12 bd Victor-Hugo"))
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(420)
        self.list = QListWidget(self)
        self.list.setMinimumHeight(180)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.center_button = QPushButton(self.tr("Centrer"), self)
        self.center_button.setToolTip(self.tr("Centrer la carte sur l'adresse (Entrée)"))
        self.alert_button = QPushButton(self.tr("Nouvelle alerte ici…"), self)
        self.alert_button.setToolTip(
            self.tr("Créer une alerte (appel téléphonique) à cette adresse (Ctrl+Entrée)")
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.center_button)
        buttons.addStretch(1)
        buttons.addWidget(self.alert_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.list)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up and Down move in the suggestions while typing goes on in the field.
        arrows = (Qt.Key.Key_Down, Qt.Key.Key_Up)
        if (
            watched is self.field
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in arrows
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
            self.list.setCurrentRow(row)
            return True
        return False


class AddressSearchTool(QToolButton):
    """« Adresse… » in the map toolbar; see the module docstring.

    ``address_chosen(AddressHit)`` once the map is centred on an address;
    ``alert_requested(Place)`` asks for « Nouvelle alerte ici » (from the popup or a
    right click on the map).
    """

    address_chosen = Signal(object)
    alert_requested = Signal(object)

    def __init__(self, view: MapView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self.index: AddressIndex | None = None
        self.hits: list[AddressHit] = []
        self.chosen: AddressHit | None = None
        self.pin: AddressPin | None = None
        self._chosen_at: float | None = None  # time.monotonic() of the last address shown
        self.setText(self.tr("Adresse…"))
        self.setToolTip(self.tr("Rechercher une adresse sur la carte (Ctrl+F)"))
        self.popup = AddressPopup(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self.search(self.popup.field.text()))
        self.popup.field.textEdited.connect(lambda _t: self._timer.start())
        self.popup.field.returnPressed.connect(self._on_return)
        self.popup.list.itemActivated.connect(lambda _i: self.choose_current())
        self.popup.center_button.clicked.connect(self.choose_current)
        self.popup.alert_button.clicked.connect(self.request_alert_here)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.popup)
            shortcut.activated.connect(self.request_alert_here)
        self.clicked.connect(self.open_popup)
        self.search_shortcut = QShortcut(QKeySequence("Ctrl+F"), self)
        self.search_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.search_shortcut.activated.connect(self.open_popup)
        self.context_menu: QMenu | None = None
        view.viewport().installEventFilter(self)
        self._show_status()

    # -- the index -------------------------------------------------------------

    def set_index(self, index: AddressIndex) -> None:
        """The map file's addresses (they arrive after the map is shown)."""
        self.index = index
        self._show_status()
        if self.popup.field.text():
            self.search(self.popup.field.text())

    def _show_status(self, text: str = "") -> None:
        if text:
            self.popup.status.setText(text)
        elif self.index is None:
            self.popup.status.setText(self.tr("Index des adresses en cours de chargement…"))
        elif not len(self.index):
            self.popup.status.setText(
                self.tr(
                    "La carte n'a pas d'index d'adresses : réimportez-la (csu-console map import)."
                )
            )
        else:
            self.popup.status.setText(
                self.tr("{streets} rues, {numbers} numéros").format(
                    streets=self.index.street_count, numbers=self.index.number_count
                )
            )

    # -- searching -------------------------------------------------------------

    def open_popup(self) -> None:
        """Show the search under the button, the field focused and its text selected."""
        below = self.mapToGlobal(QPoint(0, self.height()))
        self.popup.adjustSize()
        screen = self.screen().availableGeometry() if self.screen() else None
        x = below.x()
        if screen is not None:
            x = max(screen.left(), min(x, screen.right() - self.popup.width()))
        self.popup.move(x, below.y())
        self.popup.show()
        self.popup.raise_()
        self.popup.activateWindow()
        self.popup.field.setFocus()
        self.popup.field.selectAll()

    def search(self, text: str) -> list[AddressHit]:
        """Fill the suggestions for ``text`` (what typing does after a short pause)."""
        self._timer.stop()
        self.popup.list.clear()
        self.hits = self.index.search(text) if self.index is not None and text.strip() else []
        for hit in self.hits:
            label = hit.label
            if hit.wanted is not None:
                label = self.tr("{label}  (n° {wanted} introuvable)").format(
                    label=label, wanted=hit.wanted
                )
            item = QListWidgetItem(label, self.popup.list)
            item.setToolTip(f"{hit.lat:.5f}, {hit.lon:.5f}")
        if self.hits:
            self.popup.list.setCurrentRow(0)
            self._show_status()
        elif text.strip() and self.index is not None:
            self._show_status(self.tr("Aucune adresse trouvée pour « {text} ».").format(text=text))
        else:
            self._show_status()
        return self.hits

    def _on_return(self) -> None:
        if self._timer.isActive() or not self.hits:
            self.search(self.popup.field.text())  # Entrée before the pause: search now
        self.choose_current()

    def _current(self) -> AddressHit | None:
        row = self.popup.list.currentRow()
        return self.hits[row] if 0 <= row < len(self.hits) else None

    def choose_current(self) -> None:
        """Centre the map on the selected suggestion and close the popup."""
        hit = self._current()
        if hit is not None:
            self.popup.hide()
            self.choose(hit)

    def choose(self, hit: AddressHit) -> None:
        """Centre the map on ``hit`` at street zoom, with a pin."""
        self.chosen = hit
        if self.pin is not None:
            self._view.scene().removeItem(self.pin)
        self.pin = AddressPin(hit.label)
        self.pin.setPos(to_scene(hit.lon, hit.lat))
        self._view.scene().addItem(self.pin)
        self._view.center_on(hit.lon, hit.lat, ADDRESS_ZOOM)
        self._chosen_at = time.monotonic()
        self.address_chosen.emit(hit)

    def holds_map(self) -> bool:
        """True while the search is open or an address was shown less than
        :data:`HOLD_MAP_S` ago (new alerts then do not move the map away)."""
        if self.popup.isVisible():
            return True
        return self._chosen_at is not None and time.monotonic() - self._chosen_at < HOLD_MAP_S

    def clear_pin(self) -> None:
        """Take the pin off the map."""
        if self.pin is not None:
            self._view.scene().removeItem(self.pin)
        self.pin, self.chosen = None, None
        self._chosen_at = None

    # -- « Nouvelle alerte ici » ---------------------------------------------------

    def request_alert_here(self) -> None:
        """Ask for a phone alert at the selected suggestion (the map centred on it)."""
        hit = self._current()
        if hit is None:
            if self.popup.isVisible():
                self._show_status(self.tr("Choisissez d'abord une adresse dans la liste."))
            return
        self.popup.hide()
        self.choose(hit)
        self.alert_requested.emit(Place(hit.lat, hit.lon, hit.label))

    def place_at(self, viewport_pos: QPointF) -> Place:
        """The place under a viewport point, named after the nearest house number."""
        lon, lat = scene_to_lonlat(self._view.map_viewport_to_scene(viewport_pos))
        near = self.index.nearest(lon, lat) if self.index is not None else None
        if near is not None:
            return Place(lat, lon, self.tr("près du {address}").format(address=near.label))
        return Place(lat, lon, "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            self.show_context_menu(QPointF(event.pos()), event.globalPos())
            return True
        return False

    def show_context_menu(self, viewport_pos: QPointF, global_pos: QPoint) -> QMenu:
        """The map's right-click menu: « Nouvelle alerte ici » at that point."""
        place = self.place_at(viewport_pos)
        menu = self.context_menu = QMenu(self)
        action = menu.addAction(self.tr("Nouvelle alerte ici…"))
        action.triggered.connect(lambda: self.alert_requested.emit(place))
        if self.pin is not None:
            menu.addAction(self.tr("Retirer le repère d'adresse")).triggered.connect(self.clear_pin)
        menu.popup(global_pos)
        return menu
