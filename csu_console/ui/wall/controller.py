"""The wall follows the alerts: pre-warm on arrival, fill on selection, raise an
alert for a camera down too long, save snapshots, replay the recordings from just
before the report — the GUI never waits on any of it."""

from __future__ import annotations

import heapq
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QInputDialog

from csu_console.config import Camera, Zone
from csu_console.core.alerts import CATEGORY_LABELS, Alert, AlertState, StoredAlert, urgency
from csu_console.core.camera_health import OutageWatch, outage_alert
from csu_console.core.cap_alarm import is_new_row
from csu_console.core.intake import Outcome
from csu_console.core.logbook import EventKind
from csu_console.core.ranking import cameras_for_alert
from csu_console.core.recording import replay_start
from csu_console.core.replay_marks import replay_marks
from csu_console.core.roles import Permission
from csu_console.media.replay.source import ReplayFeeds
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.snapshot import SnapshotFile, save_snapshot
from csu_console.media.video.source import CameraSource, Frame, SourceStatus, StreamState
from csu_console.storage.evidence import record_snapshot
from csu_console.storage.logbook import NewEvent
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.session import Session
from csu_console.ui.labels import tr_label
from csu_console.ui.pacing import start_after
from csu_console.ui.wall.replay_session import ReplayRun, WallReplay
from csu_console.ui.wall.video_bridge import VideoBridge
from csu_console.ui.wall.wall import CameraWall, WallEntry, grid_stream

log = logging.getLogger("csu.ui")

#: A replay ended by what puts other cameras on the wall: no detour by the grid.
_SHOWS_OTHER = ("autre alerte", "autre caméra")
FOLLOW_EVERY_S = 1.0  # a storm must not reshuffle the wall on every batch
PREWARM_PER_BATCH = 3  # alerts of one committed batch whose cameras are pre-warmed
#: In a storm, pre-warming runs at most this often, for the most urgent alerts that
#: arrived since (ranking cameras for three alerts of every slice cost the GUI
#: thread more than the pool could ever decode).
PREWARM_EVERY_S = 0.5


@dataclass(frozen=True)
class WallSettings:
    """``[video]`` in site.toml."""

    columns: int = 2
    prewarm_count: int = 4  # cameras started as soon as an alert arrives
    prewarm_hold_s: float = 120.0  # how long a pre-warmed stream is kept for that alert
    grace_s: float = 30.0  # an unwatched stream keeps decoding this long
    offline_after_s: float = 300.0  # a camera down this long raises an alert
    evidence_dir: Path = Path("evidence")
    state_file: Path | None = None  # what the wall showed, restored after a restart
    replay_before_s: float = 60.0  # « Relecture » starts this long before the report


class WallController(QObject):
    """Keeps the wall in step with the queue and the cameras' health."""

    message = Signal(str)  # for the status bar
    snapshot_saved = Signal(object)  # SnapshotFile
    prewarmed = Signal(int, object)  # alert pk, list[str] camera ids

    def __init__(
        self,
        wall: CameraWall,
        pool: StreamPool,
        bridge: VideoBridge,
        cameras: Sequence[Camera],
        zones: Sequence[Zone],
        tasks: DbTasks,
        station: str,
        settings: WallSettings,
        raise_alert: Callable[[Alert], None],
        parent: QObject | None = None,
        session: Session | None = None,
        feeds: ReplayFeeds | None = None,
    ) -> None:
        super().__init__(parent)
        self._wall, self._pool, self._tasks = wall, pool, tasks
        self._cameras, self._zones = cameras, zones
        self._by_id = {c.id: c for c in cameras}
        self._by_url: dict[str, Camera] = {}
        for c in cameras:
            self._by_url[c.stream_main] = c
            if c.stream_sub:
                self._by_url[c.stream_sub] = c
        self.station = station
        self.operator = ""
        self.settings = settings
        self._raise_alert = raise_alert
        self.session = session  # None: no role gates (tests of the wall alone)
        self.selected: StoredAlert | None = None
        self.current_alert_pk: int | None = None
        self.watch = OutageWatch(settings.offline_after_s)
        #: True when the console's CameraWatch (ui/console/camera_watch.py) takes the
        #: decoders' reports with the prober's and raises the outages for every camera.
        self.outages_elsewhere = False
        self._top: StoredAlert | None = None  # the banner's alert, followed when free
        self._pending_reason = ""
        self._auto_display = False  # inside _show_alert(auto=True)
        self._last_viewed: tuple[object, ...] = ()
        self.reason_dialog: QInputDialog | None = None
        self._last_follow = 0.0
        self._follow_timer = QTimer(self)
        self._follow_timer.setSingleShot(True)
        self._follow_timer.timeout.connect(self._follow_top)
        self._prewarm_queue: list[StoredAlert] = []  # most urgent not yet pre-warmed
        self._last_prewarm = -PREWARM_EVERY_S
        self._prewarm_timer = QTimer(self)
        self._prewarm_timer.setSingleShot(True)
        self._prewarm_timer.timeout.connect(self._prewarm)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        bridge.source_status_changed.connect(self._on_source_status)
        wall.snapshot_requested.connect(self._on_snapshot_requested)
        wall.cameras_shown.connect(self.on_cameras_shown)
        self._saved_state: dict[str, int | str | None] | None = None  # what the file holds
        wall.cameras_shown.connect(self._save_state)
        wall.layout_changed.connect(self._save_state)
        self._shown: StoredAlert | None = None  # the alert whose cameras are on the wall
        self._outside_reason = ""  # a camera shown outside any alert: why
        self._account: object = None  # who is logged in (a replay ends with them)
        self.replay = WallReplay(wall, bridge, feeds, wall.tz, self._on_replay_event, self)
        self.replay.ended.connect(self._on_replay_ended)
        if cameras:
            self.replay.warm(cameras[0])
        wall.replay_requested.connect(self.on_replay_requested)
        wall.wall_replay_requested.connect(self.on_wall_replay_requested)
        wall.live_requested.connect(self.back_to_live)
        #: Free viewing (``ui/wall/viewing.py``): True while a tour holds the wall (the
        #: wall then does not follow the banner); the reason of the viewing session
        #: under way ("" when none), so a map click in it is not asked again.
        self.hold: Callable[[], bool] = lambda: False
        self.viewing_reason: Callable[[], str] = lambda: ""

    def stop(self) -> None:
        self.replay.stop()  # logged, and its decoding threads joined
        self._tick.stop()
        self._follow_timer.stop()
        self._prewarm_timer.stop()
        self._wall.release_all()
        self._pool.stop_all()

    # alerts -----------------------------------------------------------------------
    def ranked_cameras(self, item: StoredAlert, limit: int = 16) -> list[WallEntry]:
        # The core's ranking for an alert: its area when it has one (a partner's CAP
        # flood zone), else its point; the map highlights the same cameras.
        ranked = cameras_for_alert(item.alert, self._cameras, self._zones, limit=limit)
        return [WallEntry(r.camera, r.rank) for r in ranked]

    def _context(self, item: StoredAlert) -> str:
        a = item.alert
        place = (a.location.address if a.location else None) or a.commune or ""
        text = self.tr("Alerte n° {pk} – {cat}").format(
            pk=item.pk, cat=tr_label(CATEGORY_LABELS[a.category])
        )
        return f"{text} – {place}" if place else text

    @Slot(object)
    def on_alert_selected(self, item: StoredAlert | None) -> None:
        """Selecting an alert fills the wall with its ranked cameras, at once; with
        nothing selected, the wall goes back to the banner's alert."""
        self.selected = item
        if item is not None:
            self._show_alert(item)
        else:
            self._follow_soon()

    @Slot(object)
    def on_top_alert(self, item: StoredAlert | None) -> None:
        """The most urgent open alert (the one on the banner) changed: with nothing
        selected the wall follows it, at most every :data:`FOLLOW_EVERY_S` (a storm
        must not reshuffle the wall on every batch)."""
        self._top = item
        self._follow_soon()

    def follow_now(self) -> None:
        """A tour let go of the wall: follow the banner's alert again (if any)."""
        self._follow_soon()

    def _follow_soon(self) -> None:
        if self._top is None or self.selected is not None or self.hold():
            return
        if self._top.pk == self.current_alert_pk:
            return
        wait = FOLLOW_EVERY_S - (time.monotonic() - self._last_follow)
        if wait <= 0:
            self._follow_top()
        elif not self._follow_timer.isActive():
            self._follow_timer.start(int(wait * 1000) + 1)

    @Slot()
    def _follow_top(self) -> None:
        item = self._top
        # An operator replaying is not pulled away by the next alert: the banner
        # rings, the wall follows once they are back to live.
        if (
            item is not None
            and self.selected is None
            and self.replay.run is None
            and not self.hold()
        ):
            self._show_alert(item, auto=True)

    def _show_alert(self, item: StoredAlert, *, auto: bool = False) -> None:
        """The alert's cameras on the wall; ``auto`` when nobody chose to look (the
        wall following new alerts, a restart): not a consultation by anyone."""
        entries = self.ranked_cameras(item)
        if not entries:
            return
        if self.replay.run is not None and (item.pk != self.current_alert_pk or auto):
            self.replay.end("autre alerte")
        # A reason left from a free view whose display changed nothing is not this one's.
        self._shown, self._outside_reason, self._pending_reason = item, "", ""
        self.current_alert_pk = item.pk
        self._last_follow = time.monotonic()
        self._auto_display = auto
        try:
            self._wall.show_entries(entries, self._context(item))
        finally:
            self._auto_display = False

    @Slot(object)
    def on_frames_committed(self, outcomes: list[Outcome]) -> None:
        """New alerts: their top cameras start decoding now, while the alarm rings.

        Only the most urgent few of a batch, and in a storm only every
        :data:`PREWARM_EVERY_S`: ranking cameras for each alert on the GUI thread
        froze the screen (seconds for 10,000), and the pool could not decode every
        camera of the site anyway.
        """
        fresh = (
            o.stored
            for o in outcomes
            if o.stored is not None
            and is_new_row(o)  # not an issuer's Update or Cancel of a known alert
            and o.stored.issuer_state is None
            and o.stored.state is AlertState.NEW
            and o.stored.alert.location is not None
        )
        self._prewarm_queue = heapq.nsmallest(
            PREWARM_PER_BATCH, [*self._prewarm_queue, *fresh], key=urgency
        )
        if not self._prewarm_queue:
            return
        # On a turn of its own: the alarm and the banner of this batch are painted
        # first (opening streams costs tens of milliseconds).
        start_after(self._prewarm_timer, PREWARM_EVERY_S, self._last_prewarm)

    @Slot()
    def _prewarm(self) -> None:
        urgent, self._prewarm_queue = self._prewarm_queue, []
        self._last_prewarm = now = time.monotonic()
        until = now + self.settings.prewarm_hold_s
        for item in urgent:
            entries = self.ranked_cameras(item, self.settings.prewarm_count)
            for e in entries:
                self._pool.acquire(grid_stream(e.camera), f"prewarm:{item.pk}", until=until)
            if entries:
                self.prewarmed.emit(item.pk, [e.camera.id for e in entries])

    def _refused(self, permission: Permission) -> bool:
        """True (and the reason shown) when the person logged in may not do this."""
        session = self.session
        if session is None or session.allowed(permission):
            return False
        self.message.emit(session.refusal(permission))
        return True

    @Slot(object)
    def on_session_changed(self, _account: object = None) -> None:
        """Pictures only for someone logged in whose role may view cameras."""
        session = self.session
        account = session.account if session is not None else None
        if account is not self._account and self.replay.run is not None:
            self.replay.end("changement d'opérateur")  # in the name of who watched
        self._account = account
        self._wall.set_replay_allowed(
            session is None or session.allowed(Permission.VIEW_RECORDINGS)
        )
        if session is None or session.allowed(Permission.VIEW_CAMERAS):
            self._wall.set_masked("")
        elif session.account is None:
            self._wall.set_masked(self.tr("Images masquées : personne n'est connecté"))
        else:
            self._wall.set_masked(self.tr("Images masquées : rôle sans accès aux caméras"))

    @Slot(str)
    def on_camera_clicked(self, camera_id: str) -> None:
        """A camera clicked on the map: shown alone, on its main stream. Outside an
        alert, the operator says why first (CNIL: the reason is logged)."""
        camera = self._by_id.get(camera_id)
        if camera is None or self._refused(Permission.VIEW_CAMERAS):
            return
        if self.selected is not None:
            self.view_camera(camera, "")
            return
        if self.viewing_reason():  # a viewing session under way: asked once
            self.view_camera(camera, self.viewing_reason())
            return
        self.reason_dialog = ask_reason(
            self._wall,
            self.tr("Consultation hors alerte"),
            self.tr("Motif de la consultation de « {name} » (journalisé) :").format(
                name=camera.name
            ),
            lambda text: self._on_reason(camera, text),
            lambda: self._on_reason(camera, ""),
        )

    def _on_reason(self, camera: Camera, reason: str) -> None:
        if not reason.strip():
            self.message.emit(self.tr("Consultation annulée : un motif est obligatoire."))
            return
        self.view_camera(camera, " ".join(reason.split())[:200])

    def view_camera(self, camera: Camera, reason: str) -> None:
        """Show ``camera`` alone; ``reason`` when outside an alert."""
        if self.replay.run is not None and camera.id not in self.replay.run.sources:
            self.replay.end("autre caméra")
        self._pending_reason = reason
        self._outside_reason = reason
        context = self.tr("Caméra choisie sur la carte")
        if reason:
            context = self.tr("Hors alerte – motif : {reason}").format(reason=reason)
        self._wall.show_single(camera, context)

    def show_free(self, entries: Sequence[WallEntry], context: str, reason: str) -> None:
        """Cameras chosen outside any alert (browser, layout, tour) on the wall, in
        tile order; each display is logged (``camera_viewed``) with ``reason``."""
        shown = {e.camera.id for e in entries}
        if self.replay.run is not None and not set(self.replay.run.sources) <= shown:
            self.replay.end("autre caméra")
        self._shown, self.current_alert_pk = None, None
        self._pending_reason = self._outside_reason = reason
        self._wall.show_entries(entries, context)

    @Slot(object, str)
    def on_cameras_shown(self, camera_ids: list[str], context: str) -> None:
        """Who looked at which camera, and why: a ``camera_viewed`` event."""
        if not camera_ids:
            return
        run = self.replay.run
        if run is not None and set(camera_ids) <= set(run.sources):
            return  # recordings, not live: the replay's recording_viewed says it
        # Nobody logged in (the wall restored after a restart, behind the login):
        # shown by the console, not consulted by anyone.
        auto = (self._auto_display and not self._pending_reason) or not self.operator
        key = (tuple(camera_ids), context, self._pending_reason, auto)
        if key == self._last_viewed:
            return  # the same cameras for the same reason: nothing new was seen
        self._last_viewed = key
        details: dict[str, object] = {"cameras": camera_ids}
        reason, self._pending_reason = self._pending_reason, ""
        if reason:  # outside any alert
            details["reason"] = reason
            alert_pk = None
        else:
            details["context"] = context
            alert_pk = self.current_alert_pk
        if auto:
            # Shown by the console on its own: nobody consulted it (CNIL record).
            details["auto"] = True
            self._event("camera_viewed", alert_pk, details, operator=None)
            return
        self._event("camera_viewed", alert_pk, details)

    # replay -----------------------------------------------------------------------
    @Slot(str)
    def on_replay_requested(self, camera_id: str) -> None:
        """« Relecture » on a tile: its camera from the alert's report minus
        ``replay_before_s``; outside an alert, from now minus that, with a reason."""
        camera = self._by_id.get(camera_id)
        if camera is not None:
            self._ask_replay([camera], whole_wall=False)

    @Slot()
    def on_wall_replay_requested(self) -> None:
        """« Relecture du mur »: every camera on the wall, one clock."""
        cameras = self._wall.shown_cameras()
        if cameras:
            self._ask_replay(cameras, whole_wall=True)

    @Slot()
    def back_to_live(self) -> None:
        """« Direct » (Échap): the replay ends, the tiles show live again."""
        if self.replay.run is not None:
            self.replay.end("direct")
            self.message.emit(self.tr("Retour au direct."))

    def _ask_replay(self, cameras: list[Camera], *, whole_wall: bool) -> None:
        if self._refused(Permission.VIEW_RECORDINGS):
            return
        if self.session is not None and not self.session.allowed(Permission.VIEW_CAMERAS):
            self._refused(Permission.VIEW_CAMERAS)
            return
        if self.replay.feeds is None:
            self.message.emit(self.tr("Relecture impossible : aucun enregistrement configuré."))
            return
        item = self._shown if not self._outside_reason else None
        if item is not None and self.current_alert_pk == item.pk:
            self._start_replay(cameras, item, "", whole_wall)
            return
        names = ", ".join(c.name for c in cameras)
        self.reason_dialog = ask_reason(
            self._wall,
            self.tr("Relecture hors alerte"),
            self.tr(
                "Motif de la relecture des enregistrements de « {name} » (journalisé) :"
            ).format(name=names),
            lambda text: self._start_replay(
                cameras, None, " ".join(text.split())[:200], whole_wall
            ),
            lambda: self.message.emit(self.tr("Relecture annulée : un motif est obligatoire.")),
        )

    def _start_replay(
        self, cameras: list[Camera], item: StoredAlert | None, reason: str, whole_wall: bool
    ) -> None:
        before = self.settings.replay_before_s
        if item is not None:
            at = replay_start(item.alert.sent, before)
            context = self._context(item)
        else:
            at = replay_start(datetime.now(UTC), before)
            context = ""
        run = self.replay.start(
            cameras,
            at,
            alert_pk=item.pk if item is not None else None,
            reason=reason,
            context=context,
            whole_wall=whole_wall,
        )
        if run is None:
            why = self.replay.last_error or self.tr("enregistrements inaccessibles")
            self.message.emit(self.tr("Relecture impossible : {why}.").format(why=why))
            return
        if not whole_wall and self._wall.single is None:
            # One camera's replay, alone on the wall: a picture large enough to read
            # (the controls and the timeline take room under it); Échap, the grid.
            run.opened_single = True
            self._wall.show_single(cameras[0])
        self.message.emit(
            self.tr("Relecture à partir de {t} (Échap : retour au direct).").format(
                t=at.astimezone(self._wall.tz).strftime("%H:%M:%S")
            )
        )
        if item is not None:
            number, stored = run.number, item
            self.replay.set_marks(number, replay_marks(stored))
            self._tasks.run(
                lambda store: store.events_for(stored.pk),
                lambda events: self.replay.set_marks(number, replay_marks(stored, events)),
                owner=self,
            )

    def _on_replay_ended(self, run: ReplayRun, why: str) -> None:
        if run.opened_single and self._wall.single is not None and why not in _SHOWS_OTHER:
            self._wall.back_to_grid()
        self._follow_soon()

    def _on_replay_event(self, alert_pk: int | None, details: dict[str, object]) -> None:
        self._event(EventKind.RECORDING_VIEWED.value, alert_pk, details)

    # restart ----------------------------------------------------------------------
    def _save_state(self, *_args: object) -> None:
        path = self.settings.state_file
        if path is None:
            return
        single = self._wall.single
        state = {
            "columns": self._wall.columns,
            "alert_pk": self.current_alert_pk,
            "single": single.id if single is not None else None,
        }
        if state == self._saved_state:
            return  # each refresh of the wall asks; a file write can wait on the disk
        try:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(state), encoding="utf-8")
            tmp.replace(path)
            self._saved_state = state
        except OSError as exc:
            log.warning("état du mur non enregistré (%s) : %s", path, exc)

    def restore(self, alerts: Sequence[StoredAlert]) -> None:
        """After a restart: the layout, the alert and the camera the wall showed."""
        path = self.settings.state_file
        if path is None or not path.is_file():
            return
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            columns, pk, single = state["columns"], state["alert_pk"], state["single"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("état du mur illisible (%s) : %s", path, exc)
            return
        if isinstance(columns, int):
            self._wall.set_columns(columns)
        item = next((a for a in alerts if a.pk == pk), None)
        if item is not None and item.state is not AlertState.CLOSED:
            self._show_alert(item, auto=True)
        camera = self._by_id.get(single) if isinstance(single, str) else None
        if camera is not None:
            self._wall.show_single(camera)

    # health -----------------------------------------------------------------------
    @Slot(object, object)
    def _on_source_status(self, source: CameraSource, status: SourceStatus) -> None:
        camera = self._by_url.get(source.url)
        if camera is None or self.outages_elsewhere:
            return
        if status.state is StreamState.PLAYING:
            back = self.watch.up(camera.id)
            if back is not None:
                log.info("caméra %s de nouveau en service", camera.id)
                self._event("camera_online", None, {"camera_id": camera.id})
        elif status.state is StreamState.LOST:
            detail = status.error.value if status.error else ""
            self.watch.down(camera.id, time.monotonic(), datetime.now(UTC), detail)

    @Slot()
    def _on_tick(self) -> None:
        for url in self._pool.reap():
            camera = self._by_url.get(url)
            if camera is not None and not self._decoding(camera):
                self.watch.forget(camera.id)  # nobody watches it: unknown, not down
        if self.outages_elsewhere:
            return
        now_utc = datetime.now(UTC)
        for outage in self.watch.due(time.monotonic()):
            camera = self._by_id[outage.camera_id]
            log.warning("caméra %s hors service depuis %s", camera.id, outage.down_since_utc)
            self._raise_alert(
                outage_alert(outage, camera.name, camera.lon, camera.lat, self.station, now_utc)
            )

    def _decoding(self, camera: Camera) -> bool:
        active = set(self._pool.active_urls())
        return camera.stream_main in active or (camera.stream_sub or "") in active

    # snapshots --------------------------------------------------------------------
    @Slot(str, object)
    def _on_snapshot_requested(self, camera_id: str, frame: Frame) -> None:
        if self._refused(Permission.TAKE_SNAPSHOT):
            return
        folder, at = self.settings.evidence_dir, datetime.now(UTC)
        alert_pk, station, operator = self.current_alert_pk, self.station, self.operator

        def save(store: object) -> SnapshotFile:
            # on the storage thread: PNG encoding and fsync stay off the GUI thread
            snap = save_snapshot(frame, folder, camera_id, at, alert_pk)
            record_snapshot(store, snap, camera_id, alert_pk, at, station, operator)
            return snap

        self._tasks.run(save, self._on_snapshot_saved)

    def _on_snapshot_saved(self, snap: SnapshotFile) -> None:
        log.info("cliché %s (sha256 %s)", snap.path, snap.sha256)
        self.message.emit(self.tr("Cliché enregistré : {name}").format(name=snap.path.name))
        self.snapshot_saved.emit(snap)

    def _event(
        self,
        kind: str,
        alert_pk: int | None,
        details: dict[str, object],
        *,
        operator: str | Literal[False] | None = False,
    ) -> None:
        """Log ``kind`` in the name of who is logged in (``operator=None``: nobody,
        an automatic display)."""
        station = self.station
        operator = self.operator if operator is False else operator
        # The console's own event: kept in memory while the disk is full.
        event = NewEvent(kind, datetime.now(UTC), alert_pk, station, operator or None, details)
        self._tasks.record([event])
