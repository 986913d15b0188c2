"""Free viewing on the wall: cameras opened from the browser, saved layouts, tours.

One **viewing session** asks the operator's reason once (CNIL): the first camera
opened from the browser, a layout recalled or a tour started asks « Motif… »; the
other cameras of that session (every step of a tour, every camera opened while
the browser stays open, a map click meanwhile) reuse it, and each display is still
logged (``camera_viewed`` with that reason, by the wall controller). The session
ends when the tour stops and the browser is closed, or when the operator changes.

A tour yields to alerts: it is interrupted when the operator selects an alert or
a new alert rings on the banner — the wall then follows the alert as always — and
resumes on its step by itself once no alert is selected (Échap in the queue, or
the alert closed) and no new alert rings (all acknowledged); or at once with
« Reprendre la ronde » (Ctrl+Maj+R), when the operator is done with the alert on
the wall while it stays selected. Alerts already ringing or selected when the tour
was started (or resumed by hand) do not interrupt it: that was a choice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QWidget

from csu_console.config import Camera, Zone
from csu_console.core.alerts import StoredAlert
from csu_console.core.logbook import EventKind
from csu_console.core.roles import Permission
from csu_console.core.viewing import (
    WHOLE_WALL,
    Tour,
    TourPlayer,
    TourState,
    WallLayout,
    camera_rows,
)
from csu_console.storage.logbook import NewEvent
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.session import Session
from csu_console.ui.wall.controller import WallController
from csu_console.ui.wall.wall import CameraWall, WallEntry

log = logging.getLogger("csu.ui")

SELECTED_TILE = -2  # the tile the operator clicked last
ALONE = -3  # the camera alone on the wall, main stream
TICK_MS = 250


class ViewingController(QObject):
    """The viewing session's reason, the tour playing, layouts and favourites."""

    message = Signal(str)
    tour_changed = Signal()  # a tour started, stopped, was interrupted or resumed
    favourites_changed = Signal(object)  # frozenset[str]
    layouts_changed = Signal(object)  # list[WallLayout]
    tours_changed = Signal(object)  # list[Tour]

    def __init__(
        self,
        walls: WallController,
        wall: CameraWall,
        cameras: Sequence[Camera],
        zones: Sequence[Zone],
        tasks: DbTasks,
        station: str,
        session: Session | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._walls, self._wall, self._tasks = walls, wall, tasks
        self.station, self.session = station, session
        self.cameras = {c.id: c for c in cameras}
        self.rows = camera_rows(cameras, zones)
        self.reason = ""  # the viewing session's reason ("" when none is under way)
        self._reason_of: object = None  # the account that gave it
        self.browsing = False  # the browser is open (its session lasts while it is)
        self.reason_dialog: QInputDialog | None = None
        self.player: TourPlayer | None = None
        self._tolerated: set[int] = set()  # alerts already there when the tour started
        self._selected: StoredAlert | None = None
        self._top: StoredAlert | None = None
        self.selected_tile = 0
        self.favourites: frozenset[str] = frozenset()
        self.layouts: list[WallLayout] = []
        self.tours: list[Tour] = []
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self._base: list[WallEntry] = []  # a tile tour: what the other tiles show
        self._tour_operator: str | None = None  # who started the tour playing
        walls.hold = self.holds_wall
        walls.viewing_reason = lambda: self.reason
        for index, tile in enumerate(wall.tiles):
            tile.setProperty("tile_index", index)
            tile.installEventFilter(self)

    def wall_cameras(self) -> list[Camera]:
        """The cameras on the wall now, in tile order."""
        return self._wall.shown_cameras()

    # the wall's selected tile ------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            index = watched.property("tile_index")
            if isinstance(index, int):
                self.selected_tile = index
        return False

    # storage ----------------------------------------------------------------------
    def load(self) -> None:
        """Favourites, layouts and tours of this station, read off the GUI thread."""
        station = self.station
        self._tasks.run(lambda s: s.favourites(station), self._set_favourites, owner=self)
        self._tasks.run(lambda s: s.layouts(station), self._set_layouts, owner=self)
        self._tasks.run(lambda s: s.tours(station), self._set_tours, owner=self)

    def _set_favourites(self, favourites: frozenset[str]) -> None:
        self.favourites = favourites
        self.favourites_changed.emit(favourites)

    def _set_layouts(self, layouts: list[WallLayout]) -> None:
        self.layouts = layouts
        self.layouts_changed.emit(layouts)

    def _set_tours(self, tours: list[Tour]) -> None:
        self.tours = tours
        self.tours_changed.emit(tours)

    def toggle_favourite(self, camera_id: str) -> None:
        favourite = camera_id not in self.favourites
        self._set_favourites(
            self.favourites | {camera_id} if favourite else self.favourites - {camera_id}
        )
        station = self.station
        self._tasks.run(lambda s: s.set_favourite(station, camera_id, favourite), _ignore)

    def save_layout(self, name: str) -> None:
        """The wall as it is (grid and cameras) kept under ``name``, logged."""
        tiles = self._wall.tiles[: self._wall.capacity()]
        cameras = [t.camera.id if t.camera is not None else None for t in tiles]
        while cameras and cameras[-1] is None:
            cameras.pop()
        layout = WallLayout(name, self._wall.columns, tuple(cameras))
        station, operator = self.station, self._walls.operator or None
        self._tasks.run(lambda s: s.save_layout(station, layout, operator), lambda _r: self.load())
        self.message.emit(self.tr("Disposition « {name} » enregistrée.").format(name=name))

    def delete_layout(self, name: str) -> None:
        station, operator = self.station, self._walls.operator or None
        self._tasks.run(lambda s: s.delete_layout(station, name, operator), lambda _r: self.load())
        self.message.emit(self.tr("Disposition « {name} » supprimée.").format(name=name))

    def save_tour(self, tour: Tour) -> None:
        station, operator = self.station, self._walls.operator or None
        self._tasks.run(lambda s: s.save_tour(station, tour, operator), lambda _r: self.load())
        self.message.emit(self.tr("Ronde « {name} » enregistrée.").format(name=tour.name))

    def delete_tour(self, name: str) -> None:
        station = self.station
        self._tasks.run(lambda s: s.delete_tour(station, name), lambda _r: self.load())
        self.message.emit(self.tr("Ronde « {name} » supprimée.").format(name=name))

    # the viewing session --------------------------------------------------------------
    def _refused(self) -> bool:
        session = self.session
        if session is None or session.allowed(Permission.VIEW_CAMERAS):
            return False
        self.message.emit(session.refusal(Permission.VIEW_CAMERAS))
        return True

    def _account(self) -> object:
        return self.session.account if self.session is not None else None

    def with_reason(self, what: str, then: Callable[[str], None], parent: QWidget) -> None:
        """``then(reason)`` with the viewing session's reason, asked now if none is
        under way (once per session, not once per camera)."""
        if self._refused():
            return
        if self.reason and self._reason_of is self._account():
            then(self.reason)
            return

        def given(text: str) -> None:
            self.reason = " ".join(text.split())[:200]
            self._reason_of = self._account()
            then(self.reason)

        self.reason_dialog = ask_reason(
            parent,
            self.tr("Consultation hors alerte"),
            self.tr(
                "Motif de la consultation ({what}) — demandé une fois pour toute la "
                "séance (journalisé) :"
            ).format(what=what),
            given,
            lambda: self.message.emit(self.tr("Consultation annulée : un motif est obligatoire.")),
        )

    def end_session_if_idle(self) -> None:
        """The browser closed, the tour stopped: the next viewing asks again."""
        if not self.browsing and self.player is None:
            self.reason, self._reason_of = "", None

    @Slot(object)
    def on_session_changed(self, _account: object = None) -> None:
        """Another operator: their own reason; a tour in the previous name stops."""
        if self._reason_of is not self._account():
            if self.player is not None:
                self.stop_tour("changement d'opérateur")
            self.reason, self._reason_of = "", None

    # cameras opened by hand -------------------------------------------------------------
    def open_camera(self, camera_id: str, target: int, parent: QWidget) -> None:
        """``camera_id`` in tile ``target`` (an index, :data:`SELECTED_TILE` or
        :data:`ALONE`), with the session's reason. A tour playing stops first: the
        operator took the wall in hand."""
        camera = self.cameras.get(camera_id)
        if camera is None:
            return
        self.with_reason(camera.name, lambda r: self._open(camera, target, r), parent)

    def _open(self, camera: Camera, target: int, reason: str) -> None:
        if self.player is not None:
            self.stop_tour("caméra choisie", follow=False)
        if target == ALONE:
            self._walls.view_camera(camera, reason)
            return
        entries = self._free_entries()
        index = self._tile_for(SELECTED_TILE if target == SELECTED_TILE else target, entries)
        if index < len(entries):
            entries[index] = WallEntry(camera)
        else:
            entries.append(WallEntry(camera))
        self._show(entries, reason)
        self.selected_tile = index

    def _tile_for(self, target: int, entries: Sequence[WallEntry]) -> int:
        """The tile a camera goes to: the one asked, else the first empty one (the
        wall fills its tiles from the first, with no gap)."""
        index = self.selected_tile if target == SELECTED_TILE else target
        return max(0, min(index, len(entries), self._wall.capacity() - 1))

    @Slot(str)
    def on_camera_clicked(self, _camera_id: str) -> None:
        """A camera clicked on the map takes the wall (the wall controller shows it,
        with this session's reason): a tour playing stops, or it would cover it."""
        if self.player is not None:
            self.stop_tour("caméra choisie sur la carte", follow=False)

    def _free_entries(self) -> list[WallEntry]:
        """What the tiles show now, hand-picked (an alert's ranks forgotten)."""
        tiles = self._wall.tiles[: self._wall.capacity()]
        return [WallEntry(t.camera) for t in tiles if t.camera is not None]

    def _show(self, entries: Sequence[WallEntry], reason: str) -> None:
        context = self.tr("Hors alerte – motif : {reason}").format(reason=reason)
        self._walls.show_free(entries, context, reason)

    def recall_layout(self, layout: WallLayout, parent: QWidget) -> None:
        """The layout's grid and cameras on the wall (unknown cameras skipped)."""
        self.with_reason(
            self.tr("disposition « {name} »").format(name=layout.name),
            lambda r: self._recall(layout, r),
            parent,
        )

    def _recall(self, layout: WallLayout, reason: str) -> None:
        if self.player is not None:
            self.stop_tour("disposition rappelée", follow=False)
        missing = [c for c in layout.cameras if c and c not in self.cameras]
        if layout.columns != self._wall.columns:
            self._wall.set_columns(layout.columns)
        entries = [WallEntry(self.cameras[c]) for c in layout.cameras if c in self.cameras]
        self._show(entries, reason)
        if missing:
            self.message.emit(
                self.tr("Caméras absentes du site, ignorées : {ids}").format(ids=", ".join(missing))
            )

    # tours --------------------------------------------------------------------------
    def holds_wall(self) -> bool:
        """True while a tour plays, or waits only on a selection (the wall does not
        follow the banner then: when the selection is cleared the tour takes the
        wall back, without a detour by the banner's alert)."""
        player = self.player
        if player is None or player.state is TourState.STOPPED:
            return False
        top = self._top
        return player.state is TourState.PLAYING or top is None or top.pk in self._tolerated

    def start_tour(self, tour: Tour, target: int, parent: QWidget) -> None:
        """Play ``tour`` in one tile (an index or :data:`SELECTED_TILE`) or on the
        whole wall (:data:`WHOLE_WALL`), with the session's reason."""
        known = tuple(c for c in tour.cameras if c in self.cameras)
        if not known:
            self.message.emit(self.tr("Ronde impossible : aucune de ses caméras n'existe."))
            return
        self.with_reason(
            self.tr("ronde « {name} »").format(name=tour.name),
            lambda r: self._start(Tour(tour.name, known, tour.dwell_s, tour.columns), target, r),
            parent,
        )

    def _start(self, tour: Tour, target: int, reason: str) -> None:
        if self.player is not None:
            self.stop_tour("autre ronde", follow=False)
        if target == WHOLE_WALL and tour.columns != self._wall.columns:
            self._wall.set_columns(tour.columns)
        self._tolerated = {a.pk for a in (self._selected, self._top) if a is not None}
        # The other tiles keep what they show (an alert's cameras, hand-picked ones).
        self._base = self._free_entries()
        if target != WHOLE_WALL:
            target = self._tile_for(target, self._base)
        self.player = TourPlayer(tour, target, time.monotonic())
        self._tour_operator = self._walls.operator or None
        self._event(
            EventKind.TOUR_STARTED,
            {
                "name": tour.name,
                "cameras": list(tour.cameras),
                "dwell_s": tour.dwell_s,
                "target": "mur" if target == WHOLE_WALL else f"tuile {target + 1}",
                "reason": reason,
            },
        )
        log.info("ronde « %s » commencée (%d caméras)", tour.name, len(tour.cameras))
        self._show_page()
        self._timer.start()
        self.tour_changed.emit()
        self.message.emit(
            self.tr("Ronde « {name} » en cours (Ctrl+Maj+X : arrêter).").format(name=tour.name)
        )

    def stop_tour(self, why: str = "arrêtée", *, follow: bool = True) -> None:
        """End the tour, logged; the wall follows the banner's alert again unless
        ``follow`` is False (the operator put other cameras on it)."""
        player, self.player = self.player, None
        self._timer.stop()
        if player is None:
            return
        player.stop()
        self._event(  # in the name of who started it (a relief stops it on login)
            EventKind.TOUR_ENDED,
            {
                "name": player.tour.name,
                "why": why,
                "steps_shown": player.shown,
                "interruptions": player.interruptions,
                "reason": self.reason,
            },
            operator=self._tour_operator,
        )
        log.info("ronde « %s » terminée (%s)", player.tour.name, why)
        self.end_session_if_idle()
        self.tour_changed.emit()
        self.message.emit(self.tr("Ronde « {name} » terminée.").format(name=player.tour.name))
        if follow:
            self._walls.follow_now()

    def _show_page(self) -> None:
        player = self.player
        if player is None:
            return
        page = [self.cameras[c] for c in player.page]
        if player.target == WHOLE_WALL:
            entries = [WallEntry(c) for c in page]
        else:
            entries = list(self._base)
            if player.target < len(entries):
                entries[player.target] = WallEntry(page[0])
            else:
                entries.append(WallEntry(page[0]))
        self._show(entries, self.reason)
        steps = len(player.pages)
        # The step first: the title is elided beside the wall's buttons.
        self._wall.title.setText(
            self.tr("Ronde {n}/{total} · {name} · motif : {reason}").format(
                name=player.tour.name, n=player.step + 1, total=steps, reason=self.reason
            )
        )

    @Slot()
    def _on_tick(self) -> None:
        player = self.player
        if player is not None and player.due(time.monotonic()):
            player.advance(time.monotonic())
            self._show_page()

    @Slot(object)
    def on_alert_selected(self, item: StoredAlert | None) -> None:
        # Choosing an alert is looking at it, even one that was tolerated.
        if item is not None and (self._selected is None or self._selected.pk != item.pk):
            self._tolerated.discard(item.pk)
        self._selected = item
        self._check_alerts()

    @Slot(object)
    def on_top_alert(self, item: StoredAlert | None) -> None:
        self._top = item
        self._check_alerts()

    def resume_tour(self) -> None:
        """« Reprendre la ronde »: the operator is done with the alert on the wall;
        the alerts selected or ringing now no longer hold the tour."""
        player = self.player
        if player is None or player.state is not TourState.INTERRUPTED:
            self.message.emit(self.tr("Aucune ronde interrompue à reprendre."))
            return
        self._tolerated |= {a.pk for a in (self._selected, self._top) if a is not None}
        self._check_alerts()

    def _calls_for_wall(self) -> StoredAlert | None:
        for item in (self._selected, self._top):
            if item is not None and item.pk not in self._tolerated:
                return item
        return None

    def _check_alerts(self) -> None:
        player = self.player
        if player is None:
            return
        alert = self._calls_for_wall()
        if alert is not None and player.interrupt():
            log.info("ronde « %s » interrompue par l'alerte %d", player.tour.name, alert.pk)
            self.message.emit(
                self.tr("Ronde « {name} » interrompue par l'alerte n° {pk}.").format(
                    name=player.tour.name, pk=alert.pk
                )
            )
            self.tour_changed.emit()
            self._walls.follow_now()  # the wall shows the alert as always
        elif alert is None and player.resume(time.monotonic()) is not None:
            log.info("ronde « %s » reprise", player.tour.name)
            self._show_page()
            self.tour_changed.emit()
            self.message.emit(self.tr("Ronde « {name} » reprise.").format(name=player.tour.name))

    def _event(
        self, kind: EventKind, details: dict[str, object], operator: str | None = None
    ) -> None:
        operator = operator or self._walls.operator or None
        event = NewEvent(kind.value, datetime.now(UTC), None, self.station, operator, details)
        self._tasks.record([event])


def _ignore(_result: object) -> None:
    """A favourite written: nothing to wait for."""
