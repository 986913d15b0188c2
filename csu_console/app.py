"""Composition root: builds the services, wires them, installs the hooks."""

from __future__ import annotations

import gc
import logging
import signal
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from csu_console.backup.lock import DataDirLock
from csu_console.backup.nightly import NightlyBackup, start_nightly
from csu_console.config.schema import SiteConfig
from csu_console.core.accounts import Account
from csu_console.core.alerts import Alert, StoredAlert
from csu_console.core.interrupt import AlarmScheduler
from csu_console.core.logbook import EventKind
from csu_console.core.protocol import AlertMessage
from csu_console.core.roles import Permission
from csu_console.errors import DISK_FULL_REFUSAL, LinkError, MapDataError, StorageError
from csu_console.logs import enable_crash_traces, install_crash_hooks, setup_logging
from csu_console.mapdata.mbtiles import MBTiles
from csu_console.media.alarm_sound import AlarmSound
from csu_console.net.receiver import ReceiverProcess
from csu_console.startup import RunOptions, console_site, link_settings, zone_namer
from csu_console.storage.codec import is_disk_full
from csu_console.storage.purge_timer import PurgeTimer
from csu_console.storage.signal_scan import default_engine
from csu_console.storage.store import DB_NAME
from csu_console.storage.writer import StorageWriter
from csu_console.ui.admin.window import LiveTargets, assemble_admin
from csu_console.ui.bridge import DbTasks, LinkBridge, listener_for
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.backup_notice import BackupNotice
from csu_console.ui.console.backup_now import BackupNow
from csu_console.ui.console.book_model import BookTableModel
from csu_console.ui.console.book_ops import BookController
from csu_console.ui.console.book_view import BookView
from csu_console.ui.console.camera_assembly import assemble_camera_watch
from csu_console.ui.console.cap_assembly import assemble_cap
from csu_console.ui.console.cap_lifecycle import ring_exercises_of
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.dialogs import ConfigProblemsDialog
from csu_console.ui.console.disk_status import DiskStatusLabel, DiskStatusModel
from csu_console.ui.console.dispatch_ops import DispatchOperations
from csu_console.ui.console.display_log import DisplayLogger
from csu_console.ui.console.extraction_assembly import assemble_extraction
from csu_console.ui.console.groups_assembly import assemble_groups
from csu_console.ui.console.handover import HandoverController
from csu_console.ui.console.heatmap_feed import LiveHeatmap
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.map_follow import MapFollower
from csu_console.ui.console.operations import AlertOperations
from csu_console.ui.console.own_password import OwnPassword
from csu_console.ui.console.phone_assembly import assemble_phone
from csu_console.ui.console.quit import QuitController
from csu_console.ui.console.screens_assembly import assemble_screens
from csu_console.ui.console.session import Session
from csu_console.ui.console.session_controller import SessionController
from csu_console.ui.console.shift import ShiftController, ShiftStatusLabel
from csu_console.ui.console.sound_assembly import assemble_sound
from csu_console.ui.console.team_assembly import assemble_team
from csu_console.ui.console.triage_assembly import assemble_triage
from csu_console.ui.console.unit_panel import UnitStrip
from csu_console.ui.i18n import install_qt_translator, install_translator
from csu_console.ui.map.basemap_file import ThreadedMapFile
from csu_console.ui.map.loader import BasemapLoader
from csu_console.ui.map.map_pane import MapPane
from csu_console.ui.pacing import GcHold, HeapTrim, PaintThrottle
from csu_console.ui.review.launcher import ReviewLauncher
from csu_console.ui.setup.launcher import SetupLauncher
from csu_console.ui.signals.assembly import assemble_signals
from csu_console.ui.theme import apply_theme
from csu_console.ui.wall.assembly import build_video
from csu_console.ui.wall.controller import WallController
from csu_console.ui.wall.recorder_watch import RecorderWatch
from csu_console.ui.wall.viewing_assembly import assemble_viewing

log = logging.getLogger("csu.app")
qt_log = logging.getLogger("csu.qt")

#: Display name of an account that ``RunOptions.autologin`` creates (the demo's).
AUTOLOGIN_NAME = "Opérateur démo"


def _qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(mode, logging.WARNING)
    qt_log.log(level, "%s", message)


#: The GIL switch interval of the console's process (seconds); see Console.start.
GUI_SWITCH_INTERVAL_S = 0.001


class Console:
    """The running console: services and the window, wired together."""

    def __init__(self, app: QApplication, opts: RunOptions) -> None:
        self.app = app
        self._switch_interval: float | None = None  # the process's, while we run
        self.purge_timer: PurgeTimer | None = None  # started with the console
        self.nightly_backup: NightlyBackup | None = None  # [backup] dir (backup/nightly.py)
        self.site, self.problems = console_site(opts.config_dir, opts.data_dir, opts.stream_port)
        for p in self.problems:
            log.error("configuration : %s", p)
        language = opts.language or self.site.site.language
        self.translator = install_translator(app, language)
        self.qt_translator = install_qt_translator(app, language)
        # Before any widget: they take their colours and font sizes from it.
        apply_theme(app, self.site.ui.theme, self.site.ui.scale)
        log.info("affichage : thème %s, échelle %g", self.site.ui.theme, self.site.ui.scale)
        self.tz = ZoneInfo(self.site.site.timezone)

        # A restore refuses to write under a running console (csu_console/backup/lock.py).
        self.data_lock = DataDirLock(opts.data_dir)
        if not self.data_lock.acquire():
            log.warning(
                "une autre console utilise déjà %s (processus %s)",
                opts.data_dir,
                self.data_lock.holder() or "?",
            )
        self.writer = StorageWriter(opts.data_dir / DB_NAME, tz=self.tz)
        self.writer.start()  # StorageError is reported by run_console
        self.bridge = LinkBridge()
        self.tasks = DbTasks(self.writer)
        self.settings = link_settings(self.site, opts)
        self.model = AlertTableModel(
            self.tz,
            grouper=self.site.grouping.grouper(),
            zone_namer=zone_namer(self.site),
            station=self.settings.station,
            # Each alert placed once from its geometry: its commune and secteurs.
            territory=self.site.territory if self.site.zones else None,
            communes=self.site.station.communes,
        )
        self.model.start_retiring()  # old closed rows let go: weeks on end
        # The link runs in its own process (see net/receiver.py for why).
        self.link = ReceiverProcess(
            self.settings, opts.data_dir / DB_NAME, listener_for(self.bridge), opts.data_dir,
            timezone=self.site.site.timezone,
        )  # fmt: skip
        self.map_pane = MapPane(self.site, None)
        video = build_video(self.site, opts.data_dir, self.tz)
        self.wall_settings, self.video_bridge = video.settings, video.bridge
        self.pool, self.wall, self.replay_feeds = video.pool, video.wall, video.feeds
        self.unit_strip = UnitStrip(self.site.dispatch.units)
        self.session = Session()  # nobody logged in until the login screen says who
        # The station's one context: its id, the session, the storage tasks, the link.
        self.ctx = StationContext(
            self.settings.station,
            self.tasks,
            self.session,
            self.link,
            hub=self.link,
            name=self.site.site.name,
        )
        # The main courante of the whole CSU, beside the detail (ui/console/book_ops.py).
        self.book_model = BookTableModel(self.tz, {c.id: c.name for c in self.site.cameras})
        self.book_view = BookView(self.book_model, self.tz)
        self.window = MainWindow(
            self.model,
            self.tasks,
            self.tz,
            self.site.site.name,
            self.settings.station,
            mute_s=self.site.alarm.mute_max_s,
            map_pane=self.map_pane,
            wall=self.wall,
            unit_strip=self.unit_strip,
            session=self.session,
            book=self.book_view,
        )
        self.book = BookController(
            self.ctx, self.tz, self.book_view, self.window,
            alerts=lambda: [a for i in range(self.model.rowCount())
                            if (a := self.model.alert_at(i)) is not None],
            cameras=[(c.id, c.name) for c in self.site.cameras],
            map_view=self.map_pane.view,
        )  # fmt: skip
        self.window.entry_requested.connect(self.book.open_entry)
        self.window.alert_selected.connect(self.book.on_alert_selected)
        self.book.message.connect(self.window.show_message)
        self.book.written_counted.connect(self.window.show_book_count)
        self.window.gates.guard_widget(self.book_view.print_button, Permission.EXPORT)
        self.map_loader = BasemapLoader()
        self.map_loader.ready.connect(self._on_basemap_ready)
        self.map_loader.failed.connect(self.window.show_message)
        self.sound = AlarmSound()
        self.alarm = AlarmController(
            AlarmScheduler(self.site.alarm.policy()),
            self.sound,
            self.window.banner,
            self.model,
            self.window,
            self.ctx,
        )
        self.sound_parts = assemble_sound(
            self.alarm, self.ctx, self.model, self.window, self.site.alarm.speech()
        )
        self.backup_now = BackupNow(
            self.site.backup, self.site.config_dir, self.writer, self.ctx, self.window.gates,
            self.window,
        )  # fmt: skip
        self.window.backup_requested.connect(self.backup_now.run)
        self.backup_now.finished.connect(lambda _ok, text: self.window.show_message(text))
        # A failed nightly backup, shown to those who answer for the data until one is written.
        self.backup_notice = BackupNotice(self.session, self.tasks, self.tz, self.window)
        self.window.statusBar().addPermanentWidget(self.backup_notice)
        self.backup_now.finished.connect(self.backup_notice.on_backup_finished)
        self.own_password = OwnPassword(self.ctx, self.window)  # Poste › Changer mon mot…
        self.operations = AlertOperations(self.model, self.ctx, self.alarm, self.window)
        self.dispatch = DispatchOperations(
            self.model,
            self.ctx,
            self.alarm,
            self.site.dispatch.units,
            self.window,
        )
        self.window.dispatch_requested.connect(self.dispatch.open_dispatch)
        self.window.on_site_requested.connect(self.dispatch.on_site)
        self.window.end_requested.connect(self.dispatch.end)
        self.window.close_alert_requested.connect(self.dispatch.close_alert)
        self.window.reopen_requested.connect(self.dispatch.reopen)
        self.dispatch.message.connect(self.window.show_message)
        self.dispatch.units_changed.connect(self.unit_strip.set_states)
        self.dispatch.step_logged.connect(self._on_dispatch_step)
        self.dispatch.dispatched.connect(lambda pk, _unit: self._on_dispatch_step(pk, ""))
        self.unit_strip.alert_clicked.connect(self.window.select_pk)
        self.unit_strip.availability_requested.connect(self.dispatch.set_availability)
        self.display_log = DisplayLogger(self.ctx, self.window)
        self.model.alerts_added.connect(self.display_log.on_alerts_added)
        self.autologin, self.autologin_password = opts.autologin, opts.autologin_password
        station = self.settings.station
        self.sessions = SessionController(self.ctx, self.site.accounts, self.window)
        self.shifts = ShiftController(self.ctx, self.tz, self.window)
        self.sessions.message.connect(self.window.show_message)
        # Quitting asks first and is logged (Ctrl+Q, the close button, the login screen).
        self.quitter = QuitController(self.ctx, self.model, self.window, self._exit)
        self.window.close_guard = self.quitter.allow_close
        self.sessions.dialog.quit_requested.connect(self.quitter.request)
        self.shifts.message.connect(self.window.show_message)
        self.window.handover_requested.connect(self.sessions.handover)
        self.window.shift_open_requested.connect(self.shifts.open_shift)
        self.window.shift_close_requested.connect(self.shifts.close_shift)
        # The supervisor's review window, and the end-of-shift digest before closing.
        self.review = ReviewLauncher(
            self.site, self.session, self.writer, station, opts.data_dir / DB_NAME, self.window
        )
        self.shifts.before_close = self.review.confirm_shift_close
        # Ctrl+L: the handover digest, always (ui/console/handover.py).
        self.handover = HandoverController(
            self.ctx, self.review.worker, self.tz,
            [(z.id, z.area) for z in self.site.zones], self.window,
        )  # fmt: skip
        self.sessions.before_handover = self.handover.confirm
        self.handover.message.connect(self.window.show_message)
        self.handover.shift_closed.connect(self.shifts.refresh)
        # Whether this station's shift is open, at all times in the status bar.
        self.shift_status = ShiftStatusLabel(self.tz, self.window)
        self.window.statusBar().addPermanentWidget(self.shift_status)
        # « DISQUE PLEIN » while writes fail (the console's own, or the link's).
        self.disk = DiskStatusModel(self.window)
        self.writer.watch(self.disk.writer_state)
        self.disk.writer_state(self.writer.disk_state)
        self.disk_status = DiskStatusLabel(self.disk, self.tz, self.window)
        self.window.statusBar().addPermanentWidget(self.disk_status)
        self.bridge.link_status_changed.connect(self.disk.on_link_status_changed)
        self.shifts.state_changed.connect(self.shift_status.show_shift)
        self.window.review_requested.connect(self.review.open_review)
        self.window.access_register_requested.connect(self.review.open_access_register)
        self.review.message.connect(self.window.show_message)
        # The installer's setup screen (cameras, zones, mapping), in its own window.
        self.setup = SetupLauncher(
            opts.config_dir,
            opts.data_dir,
            self.tasks,
            self.session,
            station,
            self.tz,
            commune=self.site.site.commune,
            backend=video.backend,
            parent=self.window,
        )
        self.window.site_setup_requested.connect(self.setup.open_setup)
        # Administration (accounts, units, settings), « Installation » menu; the alarm
        # and the retention changed there apply at once.
        live = LiveTargets(self._set_alarm, self._set_retention)
        self.admin = assemble_admin(
            self.ctx, self.dispatch, opts.config_dir, self.tz, self.window, live
        )
        # Extraction on requisition and its register (« Vidéo » menu, Ctrl+E).
        self.extraction = assemble_extraction(
            self.site, opts.data_dir, self.tasks, self.window, station
        )
        # The wall on a second screen, where this station left it (« Vidéo » menu, F12).
        self.screens = assemble_screens(
            self.window, self.wall, station, opts.data_dir, self.alarm.attention
        )
        # Groups shared across stations (§ 9.9): ctx.groups, the queue's merge/split.
        self.groups = assemble_groups(self.ctx, self.model, self.window, self.bridge,
                                      self.extraction, self.alarm)  # fmt: skip
        # Weak signals: the scheduled scan, « Signaux faibles… » (supervisors) and the
        # chef de salle's badge; the screen is watched like the review (never raised over).
        self.signals = assemble_signals(
            self.site, opts.data_dir / DB_NAME, self.tasks, self.window, station, default_engine()
        )
        self.signals.opened.connect(self.alarm.attention.watch)
        # A new alert does not raise the console over the review or setup window: a
        # notice there leads to it (ui/console/attention.py).
        self.review.opened.connect(self.alarm.attention.watch)
        self.setup.opened.connect(self.alarm.attention.watch)
        self.alarm.attention.console_requested.connect(self.window.select_pk)
        self.setup.message.connect(self.window.show_message)
        # The interrupt first: the banner and the sound must not wait for the queue,
        # then the wall's pre-warm (decoders start while the alarm rings), then the rest.
        self.bridge.frames_committed.connect(self.alarm.on_frames_committed)
        self.bridge.update_received.connect(self.operations.on_update_received)
        self.bridge.link_status_changed.connect(self.window.link_status.on_link_status_changed)
        self.bridge.link_status_changed.connect(self.alarm.on_link_status_changed)
        self.model.alerts_retired.connect(self.alarm.forget)  # nothing kept of them
        self.window.acknowledge_requested.connect(self.operations.acknowledge)
        # The hub's claims and the team (protocol § 9): units, presence, escalation.
        parts = assemble_team(
            self.ctx, self.model, self.dispatch, self.alarm, self.tz, self.window, self.bridge
        )
        self.hub_claims, self.team = parts.claims, parts.team
        # The map follows the operator: a selected alert, else each new one.
        # Parented to the pane: its timers die with the map they draw on.
        self.map_follower = MapFollower(
            self.map_pane, self.model, self.site.cameras, self.site.zones, self.map_pane
        )
        self.map_follower.ring_exercises = ring_exercises_of(self.site)
        # « Carte de chaleur »: the stored alerts of recent days under the markers.
        self.heatmap_feed = LiveHeatmap(self.map_pane, self.tasks, self.site.retention)
        self.window.alert_selected.connect(self.map_follower.on_alert_selected)
        self.bridge.frames_committed.connect(self.map_follower.on_frames_committed)
        self.model.counts_changed.connect(self.map_follower.on_counts_changed)
        # The wall: pre-warm on arrival (before the queue repaints), fill on selection.
        self.wall_controller = WallController(
            self.wall,
            self.pool,
            self.video_bridge,
            self.site.cameras,
            self.site.zones,
            self.tasks,
            self.settings.station,
            self.wall_settings,
            self.raise_local_alert,
            self.wall,
            session=self.session,
            feeds=self.replay_feeds,
        )
        # « Enregistrement interrompu » (csu-recorder's status.json), like a camera down.
        self.recorder_watch = RecorderWatch(
            self.site.recorder.folder(opts.data_dir), self.site.cameras,
            self.settings.station, self.raise_local_alert, self.wall,
        )  # fmt: skip
        # Every camera watched, on screen or not: map colours, « Caméras », outages.
        self.camera_watch = assemble_camera_watch(self)
        self.session.changed.connect(self.wall_controller.on_session_changed)
        self.session.changed.connect(self._set_wall_operator)
        self.wall_controller.on_session_changed()
        self.bridge.frames_committed.connect(self.wall_controller.on_frames_committed)
        self.bridge.frames_committed.connect(self.model.on_frames_committed)
        # Partners' Updates, Cancels, exercises, expiry and feed log (issue 17).
        self.cap = assemble_cap(
            self.site, self.tasks, self.model, self.alarm, self.window, self.bridge, self.tz
        )
        self.window.alert_selected.connect(self.wall_controller.on_alert_selected)
        # With nothing selected, the wall shows the banner's alert (the most urgent open).
        self.alarm.top_changed.connect(self.wall_controller.on_top_alert)
        self.map_pane.view.camera_clicked.connect(self.wall_controller.on_camera_clicked)
        self.wall_controller.message.connect(self.window.show_message)
        # Free viewing: camera browser, saved layouts, tours (« Vidéo » menu, issue 20).
        self.viewing = assemble_viewing(
            self.window, self.wall_controller, self.wall, self.site, self.tasks,
            self.settings.station, self.alarm.top_changed, self.map_pane.view.camera_clicked,
        )  # fmt: skip
        self.window.mute_requested.connect(self._on_mute_requested)
        self.operations.message.connect(self.window.show_message)
        # Assisted triage: suggestions in the detail, a person decides (issue 19).
        self.triage = assemble_triage(
            self.model, self.ctx, self.alarm, self.window, self.site, self.tz
        )
        self.book.written_counted.connect(lambda _n: self.triage.controller.refresh_calls())
        # Phone calls: « Adresse… » on the map and « Nouvelle alerte ici » (issue 20).
        self.phone = assemble_phone(self.site, self.ctx, self.model, self.map_pane, self.window,
                                    self.bridge.frames_committed.emit)  # fmt: skip
        self.map_follower.hold = self.phone.holds_map  # a call's address stays on the map
        self.alarm.mute_changed.connect(self._show_mute)
        self._mute_tick = QTimer(self.window)
        self._mute_tick.setInterval(1000)
        self._mute_tick.timeout.connect(self._show_mute)
        self.bridge.storage_failed.connect(self._on_storage_failed)
        self.tasks.failed.connect(self._on_storage_failed)
        # In a storm the queue and the map repaint in turns, not on every batch, and
        # Python's full garbage collections wait for the end of it.
        self.paint_throttle = PaintThrottle()
        self.paint_throttle.add(self.window.table.viewport(), (self.window.table,))
        self.paint_throttle.add(self.map_pane.view.viewport(), (self.map_pane.view,))
        self.gc_hold = GcHold()
        self.heap_trim = HeapTrim()  # weeks on end: freed C memory goes back
        self._stopped = False

    def _on_dispatch_step(self, pk: int, kind: str) -> None:
        """The timeline of the alert on screen shows the step at once; a reopened
        alert is selected (it left the « Clôturées » view the operator was in)."""
        if kind == EventKind.REOPENED.value and self.model.leader_pk(pk) == pk:
            self.window.select_pk(pk)
            return
        shown = self.window.detail.current
        if shown is not None and self.model.leader_pk(pk) == self.model.leader_pk(shown.pk):
            fresh = self.model.alert_by_pk(shown.pk) or shown  # its new state too
            self.window.detail.show_alert(fresh, self.model.members(fresh.pk))

    def raise_local_alert(self, alert: Alert) -> None:
        """An alert raised by the console itself (a camera down): stored like any
        other, then handed to the same receivers as the link's alerts."""
        station = self.settings.station
        self.tasks.run(
            lambda s: s.commit_batch([AlertMessage(None, alert)], station),
            self.bridge.frames_committed.emit,
        )

    def _on_basemap_ready(self, path: Path | None) -> None:
        if path is None:
            self.window.show_message(self.window.tr("Pas de fond de carte : calques seuls."))
            return
        source = ThreadedMapFile(path)
        self.map_pane.set_basemap(source)
        self.phone.load_index(path)
        self.review.basemap = self.setup.basemap = self.signals.basemap = source

    def _start_raster_basemap(self) -> bool:
        """Draw the ``[map] raster`` MBTiles file when set; False: use the vector map."""
        raster = self.site.map.raster
        if raster is None:
            return False
        if not raster.is_file():
            log.warning("raster basemap %s missing: vector map instead", raster)
            return False
        try:
            source = MBTiles(raster)
        except MapDataError as exc:
            log.warning("raster basemap %s unreadable: %s", raster, exc)
            self.window.show_message(str(exc))
            return False
        self.map_pane.set_basemap(source)
        self.review.basemap = self.setup.basemap = self.signals.basemap = source
        return True

    def start(self) -> None:
        """Load what is stored, show the window, start the link."""
        self.tasks.run(lambda s: s.recent_alerts(), self._on_alerts_loaded)
        self.tasks.run(lambda s: s.count("rejected"), self._on_rejected_counted)
        self._start_purge_timer()
        self.recorder_watch.start()
        self.camera_watch.start()
        self.heap_trim.start()
        self.backup_notice.start()
        self.dispatch.refresh_units()
        # The whole screen for the console: the queue, the map and the wall are all read.
        # The wall on its screen first, if this station had one: the console, shown
        # next, is the window that gets the keyboard.
        self.screens.detacher.restore()
        self.window.showMaximized()
        self.map_pane.fit_site()
        if not self._start_raster_basemap():
            self.map_loader.start(self.site.map.file, self.site.map.source)
        self.sound.probe()  # logs why when there is no device
        self.window.show_sound_state(self.sound.available, self.sound.unavailable_reason)
        self.sessions.start(self.autologin, AUTOLOGIN_NAME, self.autologin_password)
        self.book.start()
        self.signals.start()
        self.shifts.refresh()
        if self.problems:
            self.problems_dialog = ConfigProblemsDialog(
                self.problems, str(self.site.config_dir), self.window
            )
            self.problems_dialog.open()
        self.link.start()
        # Everything built so far (modules, Qt wrappers, the window) lives as long
        # as the console: keep the cyclic GC from rescanning it during a storm,
        # where a full collection showed up as a 70 ms freeze.
        gc.freeze()
        # Every paint of a Python model or item re-enters Python, and takes the GIL
        # back from whichever thread holds it (link reports, basemap worker, video):
        # by default after up to 5 ms each time. 1 ms shortens those waits; the
        # storm bench's longest stall fell from a median of 179 ms to 108 ms, with
        # no slower acknowledgements (they come from the receiving process, which
        # keeps the default). docs/benchmarks.md has the runs.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)

    def _set_alarm(self, site: SiteConfig) -> None:
        self.alarm.scheduler.policy = site.alarm.policy()

    def _set_retention(self, site: SiteConfig) -> None:
        if self.purge_timer is not None:
            self.purge_timer.set_policy(site.retention)

    def _start_purge_timer(self) -> None:
        """RGPD / CNIL: the retention policy is applied at start and every hour (on the
        storage thread; a ``purged`` event only when something was due)."""
        self.purge_timer = PurgeTimer(
            self.writer.submit, self.site.retention, station=self.settings.station,
            zones=[(z.id, z.area) for z in self.site.zones], timezone=self.site.site.timezone,
        )  # fmt: skip
        self.purge_timer.start()
        self.nightly_backup = start_nightly(
            self.site.backup, self.site.config_dir, self.writer, self.settings.station, self.tz,
            on_done=self.backup_notice.nightly_done,
        )  # fmt: skip

    def _on_alerts_loaded(self, alerts: list[StoredAlert]) -> None:
        alerts = sorted(alerts, key=lambda a: a.received_at)  # grouping goes forward in time
        self.model.load(alerts)
        self.alarm.restore(alerts)  # still new after a restart: they ring again
        self.cap.sweep.start()  # then what expired meanwhile, and every minute
        self.wall_controller.restore(alerts)
        log.info("%d alertes rechargées", len(alerts))

    @property
    def operator(self) -> str:
        """The login of who is logged in, written into events ("" : nobody)."""
        return self.ctx.operator

    def _set_wall_operator(self, account: Account | None) -> None:
        """The wall (ui/wall, usable without a console) keeps its own signer."""
        self.wall_controller.operator = account.login if account is not None else ""

    def allowed(self, permission: Permission) -> bool:
        """May the person logged in do this? False while nobody is logged in."""
        return self.session.allowed(permission)

    def _exit(self, code: int) -> None:
        # exit(), not quit(): the login screen refuses to close (see run_console).
        self.app.exit(code)

    def _on_mute_requested(self) -> None:
        if self.alarm.muted_remaining() > 0:
            self.alarm.unmute()
        else:
            self.alarm.mute(self.site.alarm.mute_max_s)

    def _show_mute(self) -> None:
        remaining = self.alarm.muted_remaining()
        self.window.show_mute_state(remaining, self.alarm.scheduler.muted_by or "")
        if remaining > 0 and not self._mute_tick.isActive():
            self._mute_tick.start()
        elif remaining <= 0:
            self._mute_tick.stop()

    def _on_rejected_counted(self, n: int) -> None:
        self.model.rejected_count += n
        self.model.counts_changed.emit()

    def _on_storage_failed(self, message: str) -> None:
        if message == DISK_FULL_REFUSAL:  # says it all: no « Stockage indisponible » before
            self.window.show_message(self.disk.refusal_text())
            return
        if is_disk_full(message):
            return  # the link's batches: « DISQUE PLEIN » and the link's state say it
        self.window.on_storage_failed(message)

    def stop(self) -> None:
        """Finish pending writes and acks, close the link, close the database."""
        if self._stopped:
            return
        self._stopped = True
        log.info("arrêt de la console")
        self.quitter.stop()
        self.screens.detacher.stop()  # where the wall is, remembered; back in the window
        if self.purge_timer is not None:
            self.purge_timer.stop()
        if self.nightly_backup is not None:
            self.nightly_backup.stop()
        self.recorder_watch.stop()
        self.camera_watch.stop()
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
        self.alarm.stop()
        self.sound_parts.stop()
        self.cap.sweep.stop()
        self.paint_throttle.stop()
        self.gc_hold.stop()
        self.heap_trim.stop()
        self.link.stop()
        self.bridge.finish()  # what the link sent, handed over while the database is open
        self.model.stop()
        self.map_follower.stop()
        self.book.stop()
        self.triage.controller.stop()
        self.viewing.controller.stop_tour("console fermée", follow=False)
        self.wall_controller.stop()
        self.map_pane.view.shutdown()
        self.sound.close()
        self.review.stop()
        self.signals.stop()
        self.setup.stop()
        self.backup_now.wait()
        self.writer.close()
        self.tasks.stop()  # results still on their way reach no stopped console
        self.data_lock.release()
        # The translators are the application's: leave it as it was found.
        for translator in (self.translator, self.qt_translator):
            if translator is not None:
                QCoreApplication.removeTranslator(translator)


def run_console(opts: RunOptions, argv: list[str] | None = None) -> int:
    """Run the GUI until the window is closed or SIGTERM/SIGINT arrives."""
    setup_logging(opts.data_dir)
    install_crash_hooks()
    crash_log = enable_crash_traces(opts.data_dir)
    log.info("trace des plantages (faulthandler) : %s", crash_log or "stderr")
    qInstallMessageHandler(_qt_message_handler)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("CSU Console")
    try:
        console = Console(app, opts)
    except (StorageError, LinkError) as exc:
        log.error("démarrage impossible : %s", exc)
        QMessageBox.critical(None, "CSU Console", str(exc))
        return 2
    app.aboutToQuit.connect(console.stop)

    def on_signal(signum: int, _frame: object) -> None:
        # Python runs this between any two bytecodes of the GUI thread (in the middle
        # of loading the queue, say): the stop must not run inside that code, it is
        # queued for the event loop. No dialog; logged, then app.exit(), not quit():
        # Qt 6 cancels quit() when a window refuses to close, and the login screen does.
        QTimer.singleShot(0, lambda: console.quitter.on_signal(signum))

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # Python runs signal handlers only when it gets control: a tick lets it.
    wake = QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)
    console.start()
    code = app.exec()
    console.stop()
    return int(code)
