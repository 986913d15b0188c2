"""Extraction on requisition in the console: the « Vidéo » menu (« Extraction sur
réquisition… » Ctrl+E, « Registre des extractions »), « Extraire les images… » in
the queue's context menu, and the dialogs they open. Built and wired by
:func:`assemble_extraction` (one line in app.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from csu_console.config import SiteConfig
from csu_console.core.alerts import CATEGORY_LABELS, StoredAlert
from csu_console.core.ranking import cameras_for_alert
from csu_console.core.roles import Permission
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.extraction_dialog import ExtractionDialog, SiteFacts
from csu_console.ui.console.extraction_form import Prefill, prefill_for
from csu_console.ui.console.extraction_job import JobResult
from csu_console.ui.console.extractions_register import (
    ExtractionsRegisterWindow,
    may_read_register,
)
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.labels import tr_label

log = logging.getLogger("csu.ui")

#: The « Vidéo » menu's object name: whoever adds to it first creates it.
VIDEO_MENU = "video_menu"
#: Cameras proposed from an alert (its ranked cameras, as on the wall).
ALERT_CAMERAS = 9


def video_menu(window: MainWindow) -> QMenu:
    """The window's « Vidéo » menu, created before « Installation » if not there yet."""
    found = window.menuBar().findChild(QMenu, VIDEO_MENU)
    if found is not None:
        return found
    menu = QMenu(window.tr("&Vidéo"), window.menuBar())
    menu.setObjectName(VIDEO_MENU)
    actions = window.menuBar().actions()
    names = ("Installation", "Setup")
    install = next((a for a in actions if a.text().replace("&", "") in names), None)
    if install is not None:
        window.menuBar().insertMenu(install, menu)
    else:
        window.menuBar().addMenu(menu)
    return menu


class ExtractionLauncher(QObject):
    """Opens the extraction dialog (prefilled from the selected alert) and the register."""

    message = Signal(str)  # French, for the status bar

    def __init__(self, site: SiteConfig, data_dir: Path, tasks: DbTasks, window: MainWindow,
                 station: str) -> None:  # fmt: skip
        super().__init__(window)
        self.site, self.tasks, self.window = site, tasks, window
        self.session = window.session
        self.facts = SiteFacts(
            site.site.name, site.site.commune, _zone(site), [(c.id, c.name) for c in site.cameras],
            site.recorder.folder(data_dir), station, site.retention.video_days,
        )  # fmt: skip
        self.dialog: ExtractionDialog | None = None
        self.register: ExtractionsRegisterWindow | None = None

        menu = video_menu(window)
        self.extract_action = QAction(self.tr("Extraction sur réquisition…"), window)
        self.extract_action.setShortcut(QKeySequence("Ctrl+E"))
        self.extract_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.extract_action.setAutoRepeat(False)
        self.extract_action.triggered.connect(self.open_for_selection)
        self.register_action = QAction(self.tr("Registre des extractions…"), window)
        self.register_action.triggered.connect(self.open_register)
        menu.addAction(self.extract_action)
        menu.addAction(self.register_action)
        window.addAction(self.extract_action)
        window.gates.guard_action(self.extract_action, Permission.EXTRACT_VIDEO)
        self.session.changed.connect(self._on_session_changed)
        self._on_session_changed()
        # « Extraire les images… » on an alert of the queue (right click).
        table = window.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_queue_menu)
        self.queue_menu: QMenu | None = None
        #: Other parts' entries in that menu: ``hook(menu, clicked, selected_before)``
        #: (the groups' « Regrouper avec l'alerte sélectionnée… », ui/console/group_commands.py).
        self.menu_hooks: list[Callable[[QMenu, StoredAlert, StoredAlert | None], None]] = []

    def recordings_folder(self) -> Path:
        """The recorder's folder the extractions read (``[recorder] dir``)."""
        return self.facts.recordings

    def _on_session_changed(self, _account: object = None) -> None:
        self.register_action.setEnabled(may_read_register(self.session))

    # -- the dialog -----------------------------------------------------------------

    def prefill(self, item: StoredAlert) -> Prefill:
        """The alert's ranked cameras around its reported time."""
        alert = item.alert
        ranked = cameras_for_alert(alert, self.site.cameras, self.site.zones,
                                   limit=ALERT_CAMERAS)  # fmt: skip
        place = (alert.location.address if alert.location else None) or alert.commune or ""
        context = self.tr("Alerte n° {pk} – {cat} – signalée à {t}").format(
            pk=item.pk, cat=tr_label(CATEGORY_LABELS[alert.category]),
            t=f"{alert.sent.astimezone(self.facts.tz):%d/%m/%Y %H:%M:%S}",
        )  # fmt: skip
        if place:
            context = f"{context} – {place}"
        return prefill_for([r.camera.id for r in ranked], alert.sent, context)

    def open_for_selection(self) -> None:
        """Ctrl+E: prefilled from the selected alert if there is one, else empty."""
        item = self.window.selected_alert()
        self.open_extraction(self.prefill(item) if item is not None else None)

    def open_extraction(self, prefill: Prefill | None = None) -> ExtractionDialog | None:
        if not self.session.allowed(Permission.EXTRACT_VIDEO):
            self.message.emit(self.session.refusal(Permission.EXTRACT_VIDEO))
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        dialog = ExtractionDialog(self.facts, self.tasks, self.session, prefill=prefill,
                                  parent=self.window)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.extracted.connect(self._on_extracted)
        dialog.destroyed.connect(self._forget_dialog)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_extracted(self, result: JobResult) -> None:
        self.message.emit(
            self.tr("Extraction n° {pk} terminée : {f}").format(
                pk=result.record.pk, f=result.folder
            )
        )

    def _forget_dialog(self) -> None:
        self.dialog = None

    def _on_queue_menu(self, pos: QPoint) -> None:
        index = self.window.table.indexAt(pos)
        if not index.isValid():
            return
        before = self.window.selected_alert()
        self.window.table.selectRow(index.row())
        item = self.window.selected_alert()
        if item is not None:
            menu = self.alert_menu(item, before)
            menu.popup(self.window.table.viewport().mapToGlobal(pos))

    def alert_menu(self, item: StoredAlert, before: StoredAlert | None = None) -> QMenu:
        """The queue's context menu for ``item``: « Extraire les images de l'alerte… »."""
        menu = QMenu(self.window.table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        action = menu.addAction(self.tr("Extraire les images de l'alerte… (Ctrl+E)"))
        action.setEnabled(self.session.allowed(Permission.EXTRACT_VIDEO))
        action.triggered.connect(lambda: self.open_extraction(self.prefill(item)))
        for hook in self.menu_hooks:
            hook(menu, item, before)
        self.queue_menu = menu
        return menu

    # -- the register ------------------------------------------------------------------

    def open_register(self) -> ExtractionsRegisterWindow | None:
        if not may_read_register(self.session):
            self.message.emit(self.session.refusal(Permission.EXTRACT_VIDEO))
            return None
        if self.register is not None and self.register.isVisible():
            self.register.raise_()
            self.register.refresh()
            return self.register
        window = ExtractionsRegisterWindow(
            self.tasks, self.session, self.facts.tz, self.facts.station, self.facts.names,
            centre=self.facts.centre, recordings=self.facts.recordings, parent=self.window,
        )  # fmt: skip
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(self._forget_register)
        self.register = window
        window.show()
        window.refresh()
        return window

    def _forget_register(self) -> None:
        self.register = None


def _zone(site: SiteConfig) -> ZoneInfo:
    return ZoneInfo(site.site.timezone)


def assemble_extraction(
    site: SiteConfig, data_dir: Path, tasks: DbTasks, window: MainWindow, station: str
) -> ExtractionLauncher:
    """The launcher, its menu entries and its messages to the status bar."""
    launcher = ExtractionLauncher(site, data_dir, tasks, window, station)
    launcher.message.connect(window.show_message)
    return launcher
