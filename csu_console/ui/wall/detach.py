"""The camera wall on a second screen: detached into its own top-level window (full
screen on another monitor), attached back into the console.

The wall widget is moved, never rebuilt: its tiles, its streams in the pool, a
replay in progress and its keys go with it. Closing the detached window puts the
wall back into the console (it never destroys the wall nor stops a stream).

Where the wall is (in the console, or on which screen, by the screen's name, and
where on it) is remembered per station (``storage/wall_screen.py``) and restored
at start; a screen that is not there any more brings the wall back into the
console with a message. The detached window never takes the keyboard from the
console: it is shown without activation, and gives the keyboard back when a
platform activates it anyway.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csu_console.storage.wall_screen import (
    ATTACHED,
    WallPlacement,
    load_placement,
    save_placement,
)
from csu_console.ui.theme import current

log = logging.getLogger("csu.ui")

# After the window is shown, an activation the operator did not ask for (the
# platform's) is handed back to the window that had the keyboard, this long.
GIVE_BACK_MS = 2500
# The key that detaches and attaches the wall (nothing else uses it).
DETACH_KEY = "F12"


def screen_named(name: str, index: int = -1) -> QScreen | None:
    """The connected screen called ``name`` (None: not connected); of several with
    that name, the one at ``index`` among the screens when it is one of them."""
    screens = QGuiApplication.screens()
    named = [s for s in screens if s.name() == name]
    if len(named) > 1 and 0 <= index < len(screens) and screens[index] in named:
        return screens[index]
    return named[0] if named else None


def screen_label(screen: QScreen) -> str:
    """« HDMI-2 — 1920×1080 (1920, 0) »: the name, size and place, for menus."""
    g = screen.geometry()
    name = screen.name() or "?"
    return f"{name} — {g.width()}×{g.height()} ({g.x()}, {g.y()})"


class DetachedWallWindow(QWidget):
    """The wall's own window: a slim bar (« Rattacher à la console ») over the wall."""

    attach_requested = Signal()  # the button, or the window closed

    def __init__(self, station: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("detachedWall")
        self.setWindowTitle(self.tr("Mur d'images – {station}").format(station=station))
        # Never takes the keyboard when shown (the operator types in the console).
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._give_back_to: QWidget | None = None
        self._give_back_timer = QTimer(self)
        self._give_back_timer.setSingleShot(True)
        self._give_back_timer.setInterval(GIVE_BACK_MS)
        self._give_back_timer.timeout.connect(self._stop_giving_back)

        self.hint = QLabel(
            self.tr("Mur d'images détaché du poste {station}").format(station=station), self
        )
        self.hint.setStyleSheet(f"color: {current().muted_text}; padding: 0 6px;")
        self.attach_button = QPushButton(
            self.tr("Rattacher à la console ({key})").format(key=DETACH_KEY), self
        )
        self.attach_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the wall keeps its keys
        self.attach_button.setToolTip(
            self.tr("Remettre le mur d'images dans la fenêtre de la console")
        )
        self.attach_button.clicked.connect(self.attach_requested)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.attach_button)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.setSpacing(2)
        self._layout.addLayout(bar)
        self._closing = False

    def hold(self, wall: QWidget) -> None:
        """Take ``wall`` in (it leaves the console's splitter)."""
        self._layout.addWidget(wall, 1)
        wall.show()

    def show_on(
        self,
        screen: QScreen,
        geometry: QRect | None,
        full_screen: bool,
        keyboard_to: QWidget | None = None,
    ) -> None:
        """Shown on ``screen``: full screen, or at ``geometry`` (else the screen's
        available area); the keyboard stays where it was (with ``keyboard_to`` when
        none of our windows has it yet: the console starting)."""
        before = QApplication.activeWindow() or keyboard_to
        if self.isVisible() and self.isFullScreen():
            self.showNormal()  # a full-screen window moves only once normal again
        self.setScreen(screen)
        area = screen.availableGeometry()
        box = geometry if geometry is not None and area.intersects(geometry) else area
        self.setGeometry(box)
        self._give_back_to = before if before is not None and before is not self else None
        if self._give_back_to is not None:
            self._give_back_timer.start()
        if full_screen:
            self.showFullScreen()
        else:
            self.showNormal()

    @property
    def giving_back(self) -> bool:
        """True just after showing: an activation now is the platform's, not the
        operator's, and the keyboard goes back to where it was."""
        return self._give_back_to is not None

    @Slot()
    def _stop_giving_back(self) -> None:
        self._give_back_to = None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate and self._give_back_to is not None:
            # The platform activated the window on show (offscreen, some window
            # managers): the console had the keyboard and keeps it.
            target, self._give_back_to = self._give_back_to, None
            QTimer.singleShot(0, self, lambda: _activate(target))
        return super().event(event)

    def release(self) -> None:
        """Hide without asking to attach (the detacher took the wall back)."""
        self._closing = True
        try:
            self.hide()
        finally:
            self._closing = False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            super().closeEvent(event)
            return
        # The window manager's close button, Alt+F4: the wall goes back to the
        # console; nothing is destroyed, no stream stops.
        event.ignore()
        self.attach_requested.emit()


def _activate(window: QWidget) -> None:
    # A modal dialog (the login screen, a question) keeps the keyboard above its window.
    modal = QApplication.activeModalWidget()
    target = modal if modal is not None else window
    if shiboken6.isValid(target) and target.isVisible():
        target.activateWindow()


class WallDetacher(QObject):
    """Moves the wall between the console's splitter and its own window, and
    remembers where it is for ``station`` in ``store`` (None: not remembered)."""

    detached_changed = Signal(bool)
    message = Signal(str)  # French, for the status bar
    waiting_changed = Signal(str)  # the missing screen's name the wall waits for ("": none)

    def __init__(
        self,
        wall: QWidget,
        console: QWidget,
        station: str,
        store: Path | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.wall = wall
        self.console = console
        self.station = station
        self.store = store
        self.window = DetachedWallWindow(station)
        self.window.attach_requested.connect(self.attach)
        self.on_screen = ""  # the name of the screen the wall is detached on
        # Where the wall sat in the console: its splitter, index and the sizes.
        self._home: tuple[QSplitter, int, list[int]] | None = None
        # The remembered placement whose screen was missing: used when it comes back.
        self.waiting_for: WallPlacement | None = None
        self._stopped = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._on_screen_added)
            app.screenRemoved.connect(self._on_screen_removed)

    @property
    def detached(self) -> bool:
        return self.wall.window() is self.window

    def other_screen(self) -> QScreen:
        """The first screen the console is not on (the console's when it is alone)."""
        mine = self.console.screen()
        return next((s for s in QGuiApplication.screens() if s is not mine), mine)

    def placement(self) -> WallPlacement:
        """Where the wall is now."""
        if not self.detached:
            return ATTACHED
        screen = self.window.screen()
        g = self.window.normalGeometry() if self.window.isFullScreen() else self.window.geometry()
        screens = QGuiApplication.screens()
        return WallPlacement(
            True,
            screen.name(),
            (g.x(), g.y(), g.width(), g.height()),
            self.window.isFullScreen(),
            screens.index(screen) if screen in screens else -1,
        )

    # the operator's choices ------------------------------------------------------
    def detach(
        self,
        screen: QScreen | None = None,
        geometry: QRect | None = None,
        full_screen: bool = True,
        *,
        remember: bool = True,
        keyboard_to: QWidget | None = None,
    ) -> None:
        """The wall in its own window on ``screen`` (default: another screen than
        the console's), full screen unless told otherwise."""
        if self._stopped:
            return
        target = screen if screen is not None else self.other_screen()
        if not self.detached:
            parent = self.wall.parentWidget()
            if isinstance(parent, QSplitter):
                self._home = (parent, parent.indexOf(self.wall), parent.sizes())
            self.window.hold(self.wall)
        self.window.show_on(target, geometry, full_screen, keyboard_to)
        self.on_screen = target.name()
        self._set_waiting(None)
        log.info("mur d'images détaché sur l'écran %s (%s)", target.name(), self.station)
        if remember:
            self._remember()
        self.message.emit(
            self.tr("Mur d'images sur l'écran « {name} » ({key} : le rattacher).").format(
                name=target.name() or "?", key=DETACH_KEY
            )
        )
        self.detached_changed.emit(True)

    def attach(self, *, remember: bool = True) -> None:
        """The wall back where it was in the console; the detached window hidden."""
        if not self.detached:
            return
        home = self._home
        if home is not None and shiboken6.isValid(home[0]):
            splitter, index, sizes = home
            splitter.insertWidget(index, self.wall)
            self.wall.show()
            splitter.setSizes(sizes)
        else:
            self.wall.setParent(self.console)
        self.window.release()
        log.info("mur d'images rattaché à la console (%s)", self.station)
        if remember:
            self._set_waiting(None)
            self._remember()
            self.message.emit(self.tr("Mur d'images rattaché à la console."))
        self.detached_changed.emit(False)

    @Slot()
    def toggle(self) -> None:
        if self.detached:
            self.attach()
        else:
            self.detach()

    # start and stop --------------------------------------------------------------
    def restore(self) -> None:
        """At start: where this station left its wall. A screen that is gone leaves
        the wall in the console, says so, and waits for that screen."""
        if self.store is None:
            return
        saved = load_placement(self.store, self.station)
        if not saved.detached:
            return
        screen = screen_named(saved.screen, saved.index)
        if screen is None:
            self._set_waiting(saved)
            log.warning(
                "écran %r du mur d'images absent au démarrage (%s) : mur dans la console",
                saved.screen,
                self.station,
            )
            self.message.emit(
                self.tr(
                    "L'écran « {name} » du mur d'images n'est pas branché : le mur reste "
                    "dans la console (il y retournera quand l'écran reviendra)."
                ).format(name=saved.screen)
            )
            return
        self._detach_to(saved, screen, self.console)

    def _detach_to(
        self, saved: WallPlacement, screen: QScreen, keyboard_to: QWidget | None = None
    ) -> None:
        box = QRect(*saved.geometry) if saved.geometry is not None else None
        self.detach(screen, box, saved.full_screen, remember=False, keyboard_to=keyboard_to)

    def stop(self) -> None:
        """The console is closing: remember where the wall is (a window moved by
        hand included), put it back so it dies with the console, drop the window."""
        if self._stopped:
            return
        if self.detached:
            self._remember()
            self.attach(remember=False)
        self._stopped = True
        self.window.deleteLater()

    def _set_waiting(self, placement: WallPlacement | None) -> None:
        was = self.waiting_for
        self.waiting_for = placement
        if (was is None) != (placement is None) or (
            was is not None and placement is not None and was.screen != placement.screen
        ):
            self.waiting_changed.emit(placement.screen if placement is not None else "")

    def _remember(self) -> None:
        if self.store is None:
            return
        if not save_placement(self.store, self.station, self.placement()):
            self.message.emit(
                self.tr("Emplacement du mur d'images non enregistré (voir le journal).")
            )

    # screens plugged and unplugged -----------------------------------------------
    @Slot(QScreen)
    def _on_screen_removed(self, screen: QScreen) -> None:
        if self._stopped or not self.detached or screen.name() != self.on_screen:
            return
        kept = self.placement()
        kept = WallPlacement(True, screen.name(), kept.geometry, kept.full_screen, kept.index)
        log.warning("écran %r du mur d'images débranché : mur dans la console", screen.name())
        self.attach(remember=False)
        self._set_waiting(kept)
        self.message.emit(
            self.tr(
                "L'écran « {name} » a été débranché : le mur d'images revient dans la console."
            ).format(name=screen.name())
        )

    @Slot(QScreen)
    def _on_screen_added(self, screen: QScreen) -> None:
        waiting = self.waiting_for
        if self._stopped or waiting is None or self.detached or screen.name() != waiting.screen:
            return
        log.info("écran %r revenu : mur d'images de nouveau détaché", screen.name())
        self._detach_to(waiting, screen)
