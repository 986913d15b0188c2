"""The wall on a second screen, in the console: the « Vidéo » menu's « Détacher le mur
sur un autre écran » / « Rattacher le mur à la console » (F12 both ways) and « Mur
d'images sur l'écran » (one entry per connected screen). Built and wired by
:func:`assemble_screens` (a few lines in app.py); the moving and remembering is
``ui/wall/detach.py``'s."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QMenu, QWidget

from csu_console.storage.wall_screen import FILE_NAME
from csu_console.ui.console.attention import AttentionRouter
from csu_console.ui.console.extraction_assembly import video_menu
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.fit import ElidedLabel
from csu_console.ui.theme import current
from csu_console.ui.wall.detach import DETACH_KEY, WallDetacher, screen_label


class WallScreens(QObject):
    """The menu entries over a :class:`WallDetacher`."""

    def __init__(self, window: MainWindow, detacher: WallDetacher) -> None:
        super().__init__(window)
        self.window = window
        self.detacher = detacher
        menu = video_menu(window)
        menu.addSeparator()
        self.detach_action = QAction(self.tr("Détacher le mur sur un autre écran"), window)
        self.attach_action = QAction(self.tr("Rattacher le mur à la console"), window)
        for action in (self.detach_action, self.attach_action):
            # One key both ways: only one of the two is enabled at a time. It works
            # from the detached window too (an application shortcut).
            action.setShortcut(QKeySequence(DETACH_KEY))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.setAutoRepeat(False)
            menu.addAction(action)
            window.addAction(action)
        self.detach_action.triggered.connect(self._on_detach_triggered)
        self.attach_action.triggered.connect(self._on_attach_triggered)
        self.screens_menu = QMenu(self.tr("Mur d'images sur l'écran"), window)
        self.screens_menu.aboutToShow.connect(self._fill_screens)
        menu.addMenu(self.screens_menu)
        detacher.detached_changed.connect(self._on_detached_changed)
        detacher.message.connect(window.show_message)
        self._on_detached_changed(detacher.detached)
        # While the wall waits for its screen, the status bar says so (the start-up
        # message alone scrolls away under the others).
        self.waiting_label = ElidedLabel("", window)
        self.waiting_label.setMinimumWidth(140)
        self.waiting_label.setStyleSheet(f"color: {current().warn_text}; padding: 0 6px;")
        self.waiting_label.hide()
        window.statusBar().addPermanentWidget(self.waiting_label)
        detacher.waiting_changed.connect(self._on_waiting_changed)

    @Slot(str)
    def _on_waiting_changed(self, screen: str) -> None:
        if not screen:
            self.waiting_label.hide()
            return
        self.waiting_label.setText(self.tr("Écran du mur absent : {name}").format(name=screen))
        self.waiting_label.set_tooltip(
            self.tr(
                "Le mur d'images était sur l'écran « {name} », qui n'est pas branché : il "
                "reste dans la console et y retournera quand l'écran reviendra ({key} : "
                "le détacher ailleurs)."
            ).format(name=screen, key=DETACH_KEY)
        )
        self.waiting_label.show()

    @Slot(bool)
    def _on_detached_changed(self, detached: bool) -> None:
        self.detach_action.setEnabled(not detached)
        self.attach_action.setEnabled(detached)

    @Slot()
    def _fill_screens(self) -> None:
        """One entry per screen connected now (checked: where the wall is)."""
        self.screens_menu.clear()
        here = self.detacher.window.screen() if self.detacher.detached else None
        for screen in QGuiApplication.screens():
            action = self.screens_menu.addAction(screen_label(screen))
            action.setCheckable(True)
            action.setChecked(screen is here)
            action.triggered.connect(partial(self._detach_to, screen))
        self.screens_menu.addSeparator()
        inside = self.screens_menu.addAction(self.tr("Dans la console"))
        inside.setCheckable(True)
        inside.setChecked(here is None)
        inside.triggered.connect(self._on_attach_triggered)

    @Slot()
    def _on_detach_triggered(self) -> None:
        self.detacher.detach()

    @Slot()
    def _on_attach_triggered(self) -> None:
        self.detacher.attach()

    def _detach_to(self, screen: QScreen, _checked: bool = False) -> None:
        self.detacher.detach(screen)


def assemble_screens(
    window: MainWindow,
    wall: QWidget,
    station: str,
    data_dir: Path | None,
    attention: AttentionRouter,
) -> WallScreens:
    """The detacher (remembering in ``data_dir``), its menu entries, and the detached
    window counted as the console's own by the alarm (it is never raised over)."""
    store = data_dir / FILE_NAME if data_dir is not None else None
    detacher = WallDetacher(wall, window, station, store, window)
    attention.include(detacher.window)
    return WallScreens(window, detacher)
