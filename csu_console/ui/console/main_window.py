"""The console window: composes the link status, the alert queue and the detail.

No logic lives here: each part takes its model or service and subscribes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QItemSelection, QModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.accounts import Account
from csu_console.core.alerts import (
    AlertState,
    StoredAlert,
)
from csu_console.core.roles import Permission
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_banner import AlertBanner
from csu_console.ui.console.alert_detail import AlertDetail
from csu_console.ui.console.alert_filters import AlertFilterProxy, FilterBar, PlaceFilterBar
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.dialogs import RejectedDialog
from csu_console.ui.console.gates import KEY_PERMISSIONS, ActionGates
from csu_console.ui.console.link_status import HubHealthLabel, LinkStatusLabel
from csu_console.ui.console.lower_tabs import LowerTabs
from csu_console.ui.console.panes import console_splitter
from csu_console.ui.console.queue_view import QueueView
from csu_console.ui.console.session import Session, role_label
from csu_console.ui.fit import ElidedLabel
from csu_console.ui.theme import current, pt

#: Size before the window is maximised (clamped to the screen).
DEFAULT_SIZE = QSize(1600, 900)


class MainWindow(QMainWindow):
    """The operator's main screen."""

    close_requested = Signal()
    acknowledge_requested = Signal(int)  # pk of the selected alert
    dispatch_requested = Signal(int)  # pk of the selected alert
    on_site_requested = Signal(int)
    end_requested = Signal(int)
    close_alert_requested = Signal(int)
    reopen_requested = Signal(int)  # pk of the selected (closed) alert
    mute_requested = Signal()
    sound_test_requested = Signal()  # « Tester le son » (Poste menu)
    backup_requested = Signal()  # « Sauvegarder maintenant » (admin)
    alert_selected = Signal(object)  # StoredAlert | None
    handover_requested = Signal()
    shift_open_requested = Signal()
    shift_close_requested = Signal()
    review_requested = Signal()  # « Revue des vacations » (supervisor)
    access_register_requested = Signal()  # « Registre des accès » (supervisor, admin)
    stations_requested = Signal()  # « Postes de la salle » (supervisor, F10)
    site_setup_requested = Signal()  # « Configuration du site » (installer)
    entry_requested = Signal()  # « Nouvelle entrée » of the main courante (F9)
    partner_log_requested = Signal()  # « Journal des partenaires » (Ctrl+J)

    def __init__(
        self,
        model: AlertTableModel,
        tasks: DbTasks,
        tz: ZoneInfo,
        site_name: str,
        station: str,
        parent: QWidget | None = None,
        *,
        mute_s: float = 120.0,
        map_pane: QWidget | None = None,
        wall: QWidget | None = None,
        unit_strip: QWidget | None = None,
        session: Session | None = None,
        book: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # Nobody logged in until the session says otherwise: actions stay greyed.
        self.session = session if session is not None else Session(self)
        #: Asked before the window closes (Ctrl+Q, the close button): False keeps it.
        self.close_guard: Callable[[], bool] | None = None
        # "2 min", "90 s": what Ctrl+M really does, from the settings
        self._mute_text = f"{int(mute_s // 60)} min" if mute_s % 60 == 0 else f"{mute_s:g} s"
        self._model = model
        self._tasks = tasks
        self._tz = tz
        self._station = station
        self.setWindowTitle(
            self.tr("CSU Console – {site} – {station}").format(site=site_name, station=station)
        )
        # Never larger than the screen (the console is maximised when shown).
        screen = self.screen().availableGeometry().size()
        self.resize(DEFAULT_SIZE.boundedTo(screen))

        self.link_status = LinkStatusLabel(tz, self)
        self.hub_health = HubHealthLabel(tz, self)  # shown while the hub is degraded
        self.banner = AlertBanner(self)
        self.banner.clicked.connect(self.select_pk)
        self.banner.alert_changed.connect(self._update_banner_hint)
        self.proxy = AlertFilterProxy(model, self)
        self.filters = FilterBar(self.proxy, self)
        self.place_filters = PlaceFilterBar(self.proxy, self.filters, self)  # commune, secteur
        self.table = QueueView(model, self)
        self.table.setModel(self.proxy)
        self.table.size_columns(compact=map_pane is not None or wall is not None)
        self.detail = AlertDetail(tasks, tz, self)
        self.detail.placement_of = model.book.placement if model.book.places else None

        queue = QWidget(self)
        queue_layout = QVBoxLayout(queue)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.addWidget(self.filters)
        queue_layout.addWidget(self.place_filters)
        # « ↑ 3 nouvelles alertes »: what waits while the rows are held still. In
        # the filters' row, at its right: showing it must not push the rows down,
        # nor widen the window (its minimum width is nil; the tooltip explains).
        self.held_notice = QLabel(self)
        self.held_notice.setStyleSheet(
            "background: #fff3e0; color: #e65100; font-weight: bold; padding: 2px 8px;"
        )
        self.held_notice.setMinimumWidth(1)
        self.held_notice.setToolTip(
            self.tr(
                "Les lignes ne bougent pas sous le pointeur ni pendant un dialogue : "
                "les nouvelles alertes sont classées quand le pointeur quitte la liste "
                "ou que le dialogue se ferme."
            )
        )
        self.held_notice.hide()
        filters_layout = self.filters.layout()
        assert filters_layout is not None
        filters_layout.addWidget(self.held_notice)
        queue_layout.addWidget(self.table, 1)
        if unit_strip is not None:
            queue_layout.addWidget(unit_strip)
        self.map_pane = map_pane
        self.wall = wall
        # The main courante beside the detail, under the queue: the alerts stay in view.
        self.book = book
        self.entry_button = QPushButton(self.tr("Nouvelle entrée (F9)"), self)
        self.entry_button.setToolTip(self.tr("Écrire dans la main courante"))
        self.entry_button.clicked.connect(self.entry_requested)
        self.lower_tabs: LowerTabs | None = None
        lower: QWidget = self.detail
        if book is not None:
            self.lower_tabs = lower = LowerTabs(self.detail, book, self.entry_button, self)
        else:
            self.entry_button.hide()
        splitter = console_splitter(self, queue, lower, map_pane, wall)

        top = QHBoxLayout()
        self.station_label = ElidedLabel(self.tr("Poste : {s}").format(s=station), self)
        self.station_label.setStyleSheet(self._station_style(""))
        top.addWidget(self.station_label, 1)
        top.addWidget(self.link_status, 1)
        top.addWidget(self.hub_health)  # as wide as its two short lines

        self.emergency = QLabel(
            self.tr(
                "Les citoyens informent, ils n'interviennent pas. Urgence vitale : "
                "17 police · 18 pompiers · 15 SAMU · 112"
            ),
            self,
        )
        # Both reminders wrap rather than widen the window.
        self.emergency.setWordWrap(True)
        self.emergency.setStyleSheet(
            f"color: {current().danger_text}; font-weight: bold; padding: 2px 8px;"
        )

        self.keys_help = QLabel(
            self.tr(
                "F2 prendre en compte · F3 suivante · F4 engager · F5 sur place · "
                "F6 fin d'intervention · F8 clôturer · Maj+F8 rouvrir · "
                "F9 main courante · Ctrl+M couper le son {d}"
            ).format(d=self._mute_text),
            self,
        )
        self.keys_help.setWordWrap(True)
        self.keys_help.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.keys_help.setStyleSheet(f"color: {current().muted_text}; padding: 2px 8px;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.emergency, 2)
        bottom.addWidget(self.keys_help, 3)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)

        self.counts_label = ElidedLabel("", self)
        self.rejected_button = QPushButton(self)
        self.rejected_button.setFlat(True)
        self.rejected_button.clicked.connect(self.show_rejected)
        self.sound_label = QLabel(self)
        self.mute_button = QPushButton(self.tr("Couper le son {d}").format(d=self._mute_text), self)
        self.mute_button.clicked.connect(self.mute_requested)
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.sound_label)
        self.statusBar().addPermanentWidget(self.mute_button)
        self.statusBar().addPermanentWidget(self.rejected_button)

        quit_action = self.menuBar().addMenu(self.tr("&Fichier")).addAction(self.tr("&Quitter"))
        # Ctrl+Q on every platform (Qt's standard « Quit » key is empty on some).
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)

        alerts_menu = self.menuBar().addMenu(self.tr("&Alertes"))
        for text, key, slot in (
            (self.tr("Prendre en compte"), "F2", self._acknowledge_selected),
            (self.tr("Alerte suivante non prise en compte"), "F3", self.select_next_new),
            (self.tr("Engager une patrouille"), "F4", self._dispatch_selected),
            (self.tr("Unité sur place"), "F5", self._on_site_selected),
            (self.tr("Fin d'intervention"), "F6", self._end_selected),
            (self.tr("Clôturer l'alerte"), "F8", self._close_selected),
            (self.tr("Rouvrir l'alerte clôturée…"), "Shift+F8", self._reopen_selected),
            (
                self.tr("Couper le son {d}").format(d=self._mute_text),
                "Ctrl+M",
                self.mute_requested.emit,
            ),
        ):
            action = alerts_menu.addAction(text)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            # A key held down acts once: auto-repeat would close (or take) a
            # second alert.
            action.setAutoRepeat(False)
            action.triggered.connect(slot)
            self.addAction(action)

        alerts_menu.addSeparator()
        # Partners' CAP messages that are not alerts of the queue (ui/console/partner_log.py).
        self.partner_log_action = alerts_menu.addAction(self.tr("Journal des partenaires…"))
        self.partner_log_action.setShortcut(QKeySequence("Ctrl+J"))
        self.partner_log_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.partner_log_action.triggered.connect(self.partner_log_requested)
        self.addAction(self.partner_log_action)

        station_menu = self.station_menu = self.menuBar().addMenu(self.tr("&Poste"))
        self.handover_action = station_menu.addAction(self.tr("Changer d'opérateur (relève)"))
        self.handover_action.setShortcut(QKeySequence("Ctrl+L"))
        self.handover_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.handover_action.triggered.connect(self.handover_requested)
        self.addAction(self.handover_action)
        self.shift_open_action = station_menu.addAction(self.tr("Ouvrir la vacation"))
        self.shift_open_action.triggered.connect(self.shift_open_requested)
        self.shift_close_action = station_menu.addAction(self.tr("Clôturer la vacation"))
        self.shift_close_action.triggered.connect(self.shift_close_requested)
        station_menu.addSeparator()
        self.sound_test_action = station_menu.addAction(self.tr("Tester le son"))
        self.sound_test_action.triggered.connect(self.sound_test_requested)

        supervision_menu = self.menuBar().addMenu(self.tr("&Supervision"))
        self.review_action = supervision_menu.addAction(self.tr("Revue des vacations…"))
        self.review_action.setShortcut(QKeySequence("Ctrl+R"))
        self.review_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.review_action.triggered.connect(self.review_requested)
        self.addAction(self.review_action)
        self.register_action = supervision_menu.addAction(self.tr("Registre des accès…"))
        self.register_action.triggered.connect(self.access_register_requested)
        self.stations_action = supervision_menu.addAction(self.tr("Postes de la salle…"))
        self.stations_action.setShortcut(QKeySequence("F10"))
        self.stations_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.stations_action.triggered.connect(self.stations_requested)
        self.addAction(self.stations_action)
        # Every camera's state, watched or not (ui/console/camera_list.py; app wires it).
        self.cameras_action = supervision_menu.addAction(self.tr("État des caméras…"))

        book_menu = self.menuBar().addMenu(self.tr("&Main courante"))
        self.entry_action = book_menu.addAction(self.tr("Nouvelle entrée…"))
        self.entry_action.setShortcut(QKeySequence("F9"))
        self.entry_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.entry_action.setAutoRepeat(False)
        self.entry_action.triggered.connect(self.entry_requested)
        self.addAction(self.entry_action)
        self.book_action = book_menu.addAction(self.tr("Main courante du jour"))
        self.book_action.triggered.connect(self.show_book)
        self.book_action.setEnabled(book is not None)

        install_menu = self.menuBar().addMenu(self.tr("&Installation"))
        self.site_setup_action = install_menu.addAction(self.tr("Configuration du site…"))
        self.site_setup_action.triggered.connect(self.site_setup_requested)
        self.backup_action = install_menu.addAction(self.tr("Sauvegarder maintenant"))
        self.backup_action.triggered.connect(self.backup_requested)

        # Role gates: greyed when not allowed, « Action réservée » when pressed anyway.
        self.gates = ActionGates(self.session, self)
        self.gates.refused.connect(self.show_message)
        for action in alerts_menu.actions():
            permission = KEY_PERMISSIONS.get(action.shortcut().toString())
            if permission is not None:
                self.gates.guard_action(action, permission)
        self.gates.guard_widget(self.mute_button, Permission.MUTE_ALARM)
        self.gates.guard_action(self.backup_action, Permission.BACKUP)
        self.gates.guard_action(self.handover_action, None)
        self.gates.guard_action(self.partner_log_action, None)
        self.gates.guard_action(self.shift_open_action, Permission.MANAGE_SHIFT)
        self.gates.guard_action(self.shift_close_action, Permission.MANAGE_SHIFT)
        # The supervisor's and the administrator's (ui/review/access.REVIEW_PERMISSIONS):
        # every role that verifies the logbook also reads it.
        self.gates.guard_action(self.review_action, Permission.VERIFY_LOGBOOK)
        self.gates.guard_action(self.register_action, Permission.ACCESS_REGISTER)
        self.gates.guard_action(self.site_setup_action, Permission.EDIT_SITE)
        self.gates.guard_action(self.stations_action, Permission.VIEW_STATIONS)
        self.gates.guard_action(self.entry_action, Permission.WRITE_LOGBOOK)
        self.gates.guard_widget(self.entry_button, Permission.WRITE_LOGBOOK)
        self.session.changed.connect(self._on_session_changed)
        self._on_session_changed(self.session.account)

        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        # A closed alert the operator is looking at stays, however old.
        self._model.spare = self._spared
        model.counts_changed.connect(self._on_counts_changed)
        model.dataChanged.connect(self._on_model_data_changed)
        model.held_back.connect(self._on_held_back)
        self._on_counts_changed()

    @Slot(int)
    def show_book_count(self, written: int) -> None:
        """Operators' lines in the book (the tab counts those not seen yet)."""
        if self.lower_tabs is not None:
            self.lower_tabs.show_book_count(written)

    @Slot()
    def show_book(self) -> None:
        """Bring the « Main courante du jour » tab forward (the queue stays)."""
        if self.lower_tabs is not None:
            self.lower_tabs.show_book()

    def selected_alert(self) -> StoredAlert | None:
        """The alert selected in the queue, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self._model.alert_at(self.proxy.mapToSource(rows[0]).row())

    def _spared(self) -> list[int]:
        """The queue's rows never let go however old (the selected one)."""
        if not shiboken6.isValid(self.table):  # the window is gone, the model stays
            return []
        item = self.selected_alert()
        return [item.pk] if item is not None else []

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        item = self.selected_alert()
        self.detail.show_alert(item, self._model.members(item.pk) if item else None)
        self._update_banner_hint()
        self.alert_selected.emit(item)

    @Slot(QModelIndex, QModelIndex, list)
    def _on_model_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: list[int]
    ) -> None:
        """The selected alert changed (state, holder, a report joined): the detail
        shows it at once, its timeline reloaded."""
        shown = self.detail.current
        if shown is None:
            return
        row = self._model.row_of(shown.pk)
        if top_left.row() <= row <= bottom_right.row():
            fresh = self._model.alert_at(row)
            if fresh is not None:
                self.detail.show_alert(fresh, self._model.members(fresh.pk))
        self._update_banner_hint()

    @Slot()
    def _update_banner_hint(self) -> None:
        """The banner names F2 only when F2 would act on the banner's alert: nothing
        selected, or its own row selected, and the person logged in may take it."""
        pk = self.banner.pk
        if pk is None:
            return
        selected = self.selected_alert()
        own = selected is None or selected.pk == self._model.leader_pk(pk)
        self.banner.set_key_hint(own and self.session.allowed(Permission.HANDLE_ALERTS))

    @Slot(int)
    def _on_held_back(self, waiting: int) -> None:
        if waiting <= 0:
            self.held_notice.hide()
            return
        if waiting == 1:
            text = self.tr("↑ 1 nouvelle alerte")
        else:
            text = self.tr("↑ {n} nouvelles alertes").format(n=waiting)
        self.held_notice.setText(text)
        self.held_notice.show()

    @Slot()
    def _acknowledge_selected(self) -> None:
        item = self.selected_alert()
        if item is not None:
            self.acknowledge_requested.emit(item.pk)
        elif self.banner.pk is not None:
            # F2 answers the banner. Its report may be a group member, which has no
            # row of its own: the operations find its group.
            self.acknowledge_requested.emit(self.banner.pk)

    @Slot()
    def _dispatch_selected(self) -> None:
        item = self.selected_alert()
        if item is not None:
            self.dispatch_requested.emit(item.pk)

    def _on_site_selected(self) -> None:
        item = self.selected_alert()
        if item is not None:
            self.on_site_requested.emit(item.pk)

    def _end_selected(self) -> None:
        item = self.selected_alert()
        if item is not None:
            self.end_requested.emit(item.pk)

    def _close_selected(self) -> None:
        item = self.selected_alert()
        if item is not None:
            self.close_alert_requested.emit(item.pk)
        else:
            self.show_message(self.tr("Sélectionnez d'abord l'alerte à clôturer."))

    def _reopen_selected(self) -> None:
        item = self.selected_alert()
        if item is not None:
            self.reopen_requested.emit(item.pk)
        else:
            self.show_message(
                self.tr("Sélectionnez d'abord l'alerte à rouvrir (filtre « Clôturées »).")
            )

    @Slot()
    def select_next_new(self) -> None:
        """Select the most urgent alert nobody has taken yet (queue order)."""
        for row in range(self.proxy.rowCount()):
            item = self._model.alert_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if item is not None and item.state is AlertState.NEW:
                self.table.selectRow(row)
                self.table.setFocus()
                return

    @Slot(int)
    def select_pk(self, pk: int) -> None:
        """Select an alert by its id (banner click, map click…), showing it if filtered.

        A grouped report selects its group's row.
        """
        source_row = self._model.row_of(self._model.leader_pk(pk))
        if source_row < 0:
            return
        index = self.proxy.mapFromSource(self._model.index(source_row, 0))
        if not index.isValid():
            self.filters.state_box.setCurrentIndex(self.filters.state_box.findData("all"))
            index = self.proxy.mapFromSource(self._model.index(source_row, 0))
        if not index.isValid():  # hidden by another filter (a commune…): show everything
            self.place_filters.clear()
            self.filters.state_box.setCurrentIndex(self.filters.state_box.findData("all"))
            index = self.proxy.mapFromSource(self._model.index(source_row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)

    @Slot()
    def _on_counts_changed(self) -> None:
        m = self._model
        self.counts_label.setText(
            self.tr("Alertes : {total} · nouvelles : {new}").format(
                total=m.rowCount(), new=m.count_in_state(AlertState.NEW)
            )
        )
        self.rejected_button.setText(self.tr("Messages rejetés : {n}").format(n=m.rejected_count))
        self.rejected_button.setStyleSheet(
            f"color: {current().danger_text}; font-weight: bold;" if m.rejected_count else ""
        )

    @Slot()
    def show_rejected(self) -> None:
        """Open the list of rejected frames (loaded off the GUI thread)."""
        self._tasks.run(Store.recent_rejected, self._open_rejected, owner=self)

    def _open_rejected(self, rows: list[dict[str, Any]]) -> None:
        dialog = RejectedDialog(rows, self._tz, self)
        # One dialog per click: without this each one lived as long as the window.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot(str)
    def show_message(self, message: str) -> None:
        """A short French message for the operator (status bar, 15 s)."""
        self.statusBar().showMessage(message, 15_000)

    def show_sound_state(self, available: bool, reason: str) -> None:
        """Say plainly when the alarm cannot be heard: the visual alarm still works."""
        if available:
            self.sound_label.setText(self.tr("Alarme sonore active"))
            self.sound_label.setStyleSheet(f"color: {current().ok_text};")
            self.sound_label.setToolTip("")
        else:
            self.sound_label.setText(self.tr("ALARME SONORE INDISPONIBLE"))
            self.sound_label.setStyleSheet(
                f"color: white; background: {current().alarm_bg}; padding: 2px 6px;"
                " font-weight: bold;"
            )
            self.sound_label.setToolTip(reason)

    def show_mute_state(self, remaining_s: float, by: str) -> None:
        """The mute button doubles as the countdown of a mute in progress."""
        if remaining_s > 0:
            minutes, seconds = divmod(int(remaining_s + 0.999), 60)
            self.mute_button.setText(
                self.tr("Son coupé ({m}:{s:02d}, {who}) – rétablir").format(
                    m=minutes, s=seconds, who=by
                )
            )
            theme = current()
            self.mute_button.setStyleSheet(
                f"background: {theme.mute_bg}; color: {theme.mute_text}; font-weight: bold;"
            )
        else:
            self.mute_button.setText(self.tr("Couper le son {d}").format(d=self._mute_text))
            self.mute_button.setStyleSheet("")

    def _on_session_changed(self, account: Account | None) -> None:
        """Who is at this station, shown at all times (and nobody, loudly)."""
        self._update_banner_hint()
        self.place_filters.set_role(account.role if account is not None else None)
        if account is None:
            self.station_label.setText(
                self.tr("Poste : {s} · personne n'est connecté").format(s=self._station)
            )
            self.station_label.setStyleSheet(self._station_style(current().warn_text))
            self.station_label.set_tooltip("")
            return
        self.station_label.setText(
            self.tr("Poste : {s} · {name} ({role})").format(
                s=self._station, name=account.display_name, role=role_label(account.role)
            )
        )
        self.station_label.set_tooltip(self.tr("Identifiant : {login}").format(login=account.login))
        self.station_label.setStyleSheet(self._station_style(""))

    @staticmethod
    def _station_style(color: str) -> str:
        colour = f" color: {color};" if color else ""
        return f"font-size: {pt(14)}pt; font-weight: bold; padding: 0 12px;{colour}"

    @Slot(str)
    def on_storage_failed(self, message: str) -> None:
        """Tell the operator that the database refused work (kept 30 s)."""
        self.statusBar().showMessage(
            self.tr("Stockage indisponible : {m}").format(m=message), 30_000
        )

    def select_row(self, row: int) -> None:
        """Select the alert shown on ``row`` of the (filtered) queue."""
        self.table.selectRow(row)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Ctrl+Q and the window manager's close button land here: the console's
        # quit controller asks first (ui/console/quit.py), and quits everything.
        if self.close_guard is not None and not self.close_guard():
            event.ignore()
            return
        self.close_requested.emit()
        super().closeEvent(event)
