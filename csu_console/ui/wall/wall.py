"""The camera wall: 1, 2×2, 3×3 or 4×4 tiles; the grid plays substreams, a camera
shown alone plays its main stream. It never waits on a camera: tiles are handed a
source from the pool and paint whatever that source last decoded.

In replay (« Relecture » on a tile, « Relecture du mur »), the replayed cameras'
tiles are handed a replay source instead, while the live streams stay held in the
pool (back to live is instant); the controls and the timeline show under the
grid. The controller (``controller.py``) decides what is replayed and logs it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.config import Camera
from csu_console.media.replay.clock import ReplayClock
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import CameraSource, Frame, SourceStatus
from csu_console.ui.fit import ElidedLabel
from csu_console.ui.theme import pt
from csu_console.ui.wall.replay_bar import ReplayBar
from csu_console.ui.wall.tile import FOOTER_H, HEADER_H, TILE_MIN_H, CameraTile
from csu_console.ui.wall.video_bridge import VideoBridge

LAYOUTS = (1, 2, 3, 4)  # columns: 1, 2×2, 3×3, 4×4
REPLAY_TILE_MIN_H = HEADER_H + FOOTER_H  # in replay, short of room: the two bars


@dataclass(frozen=True)
class WallEntry:
    """A camera on the wall, with its rank for the alert shown (None: chosen by hand)."""

    camera: Camera
    rank: int | None = None


def grid_stream(camera: Camera) -> str:
    """The grid uses the substream when the installer gave one."""
    return camera.stream_sub or camera.stream_main


class CameraWall(QWidget):
    """Tiles fed by a :class:`StreamPool`; the controller says what to show."""

    cameras_shown = Signal(object, str)  # list[str] camera ids, context
    snapshot_requested = Signal(str, object)  # camera id, Frame
    layout_changed = Signal(int)
    replay_requested = Signal(str)  # camera id: « Relecture » on its tile (F11)
    wall_replay_requested = Signal()  # « Relecture du mur » (Maj+F11)
    live_requested = Signal()  # « Direct » (Échap)
    replay_active = Signal(bool)  # True when a replay starts, False back to live

    #: Keys that work anywhere in the console (nothing else uses F11).
    REPLAY_KEY, WALL_REPLAY_KEY = "F11", "Shift+F11"

    def __init__(
        self,
        pool: StreamPool,
        bridge: VideoBridge,
        tz: ZoneInfo,
        parent: QWidget | None = None,
        *,
        columns: int = 2,
    ) -> None:
        super().__init__(parent)
        self._pool = pool
        self.tz = tz
        self.columns = columns if columns in LAYOUTS else 2
        self.entries: list[WallEntry] = []
        self.context = ""
        self.single: Camera | None = None
        self._held: dict[int, str] = {}  # tile index -> url it holds in the pool
        self._live: dict[int, CameraSource] = {}  # tile index -> its live source
        self.replaying: dict[str, CameraSource] = {}  # camera id -> replay source
        self.replay_clock: ReplayClock | None = None
        self.whole_wall = False  # « Relecture du mur » (every camera, one clock)

        # Elided: a camera shown alone has a long title, which widened the window.
        self.title = ElidedLabel(self.tr("Mur d'images"), self)
        self.title.setStyleSheet(f"font-size: {pt(13)}pt; font-weight: bold; padding: 2px 6px;")
        self._buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.title, 1)
        self.wall_replay_button = QPushButton(self.tr("Relecture du mur"), self)
        self.wall_replay_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.wall_replay_button.setCheckable(True)  # checked while the wall replays
        self.wall_replay_button.setToolTip(
            self.tr("Revoir toutes les caméras du mur au même instant, avant l'alerte (Maj+F11)")
        )
        self.wall_replay_button.clicked.connect(self._on_wall_replay_clicked)
        bar.addWidget(self.wall_replay_button)
        for n, text in zip(LAYOUTS, ("1", "2×2", "3×3", "4×4"), strict=True):
            button = QPushButton(text, self)
            button.setCheckable(True)
            # As narrow as their text allows: the wall's title keeps the room.
            button.setFixedWidth(max(56, button.fontMetrics().horizontalAdvance("4×4") + 20))
            button.setToolTip(self.tr("Disposition {t}").format(t=text))
            self._buttons.addButton(button, n)
            bar.addWidget(button)
        self._buttons.button(self.columns).setChecked(True)
        self._buttons.idClicked.connect(self.set_columns)

        self.tiles = [CameraTile(tz, self) for _ in range(max(LAYOUTS) ** 2)]
        self._grid = QGridLayout()
        self._grid.setSpacing(3)
        for tile in self.tiles:
            tile.activated.connect(self._on_tile_activated)
            tile.snapshot_requested.connect(self._on_tile_snapshot)
            tile.replay_requested.connect(self.replay_requested)
            tile.live_requested.connect(lambda _id: self.live_requested.emit())
        self.replay_bar = ReplayBar(tz, self)
        self.replay_bar.hide()
        self.replay_bar.live_requested.connect(self.live_requested)
        self.replay_keys = self.replay_bar.actions_for(self)
        self.replay_key = self._global_key(self.REPLAY_KEY, self._on_replay_key)
        self.wall_replay_key = self._global_key(self.WALL_REPLAY_KEY, self._on_wall_replay_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(self._grid, 1)
        layout.addWidget(self.replay_bar)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        bridge.frame_available.connect(self._on_frame_available)
        bridge.source_status_changed.connect(self._on_source_status)
        self._arrange()

    # what to show -----------------------------------------------------------------
    def capacity(self) -> int:
        return self.columns * self.columns

    def show_entries(self, entries: Sequence[WallEntry], context: str) -> None:
        """Fill the grid with ``entries`` (best first) and leave single view."""
        self.entries = list(entries)
        self.context = context
        self.single = None
        self._refresh()

    def show_single(self, camera: Camera, context: str | None = None) -> None:
        """``camera`` alone, on its main stream (double-click on a tile or the map)."""
        self.single = camera
        if context is not None:
            self.context = context
        self._refresh()

    def back_to_grid(self) -> None:
        if self.single is not None:
            self.single = None
            self._refresh()

    @Slot(int)
    def set_columns(self, columns: int) -> None:
        if columns not in LAYOUTS:
            return
        self.columns = columns
        self._buttons.button(columns).setChecked(True)
        self.single = None
        self._refresh()
        self.layout_changed.emit(columns)

    def set_masked(self, reason: str) -> None:
        """Hide every picture (``reason`` is shown instead), or show them again ("").
        Streams keep decoding: the picture is there the moment it may be seen."""
        for tile in self.tiles:
            tile.masked = reason
            tile.snap_button.setEnabled(not reason)
            tile._update_buttons()
            tile.update()
        self.wall_replay_button.setEnabled(not reason and self.tiles[0].replay_allowed)

    def set_replay_allowed(self, allowed: bool) -> None:
        """« Relecture » only for a role that may view recordings (greyed otherwise;
        the controller refuses the keys with the reason)."""
        for tile in self.tiles:
            tile.replay_allowed = allowed
            tile._update_buttons()
        self.wall_replay_button.setEnabled(allowed and not self.tiles[0].masked)

    def visible_tiles(self) -> list[CameraTile]:
        return self.tiles[: 1 if self.single is not None else self.capacity()]

    def shown_cameras(self) -> list[Camera]:
        """The cameras on screen now, in tile order."""
        return [t.camera for t in self.visible_tiles() if t.camera is not None]

    def chosen_camera(self) -> Camera | None:
        """The camera F11 replays: the one shown alone, else the tile clicked last
        (it has focus), else the first tile."""
        tiles = self.visible_tiles()
        focused = next((t for t in tiles if t.hasFocus() and t.camera is not None), None)
        if focused is not None:
            return focused.camera
        return next((t.camera for t in tiles if t.camera is not None), None)

    # replay -----------------------------------------------------------------------
    @property
    def in_replay(self) -> bool:
        return bool(self.replaying)

    def set_replay(
        self, sources: dict[str, CameraSource], clock: ReplayClock, *, whole_wall: bool = False
    ) -> None:
        """Show ``sources`` (camera id → replay source) in those cameras' tiles; the
        other tiles stay live. The live streams stay held."""
        self.replaying = dict(sources)
        self.replay_clock = clock
        # The controls and the timeline take room under the grid: the tiles may
        # shrink to their two bars rather than push the window off a 768-px screen.
        for tile in self.tiles:
            tile.setMinimumHeight(REPLAY_TILE_MIN_H)
            tile.in_wall_replay = whole_wall
        self._assign()
        for action in self.replay_keys.values():
            action.setEnabled(True)
        self.replay_bar.show()
        self.whole_wall = whole_wall
        self.wall_replay_button.setChecked(whole_wall)
        self._update_title()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)  # the keys work at once
        self.replay_active.emit(True)

    def clear_replay(self) -> None:
        """Every tile back to its live stream; the controls hidden."""
        self.replaying = {}
        self.replay_clock = None
        for tile in self.tiles:
            tile.setMinimumHeight(TILE_MIN_H)
            tile.in_wall_replay = False
        for action in self.replay_keys.values():
            action.setEnabled(False)
        self.replay_bar.hide()
        self.whole_wall = False
        self.wall_replay_button.setChecked(False)
        self._assign()
        self._update_title()
        self.replay_active.emit(False)

    def _assign(self) -> None:
        """Hand each visible tile its source: the replay's for a replayed camera."""
        for index, tile in enumerate(self.tiles):
            live = self._live.get(index)
            if tile.camera is None or live is None:
                continue
            source = self.replaying.get(tile.camera.id, live)
            tile.clock = self.replay_clock if source is not live else None
            if tile.source is not source:
                tile.show_camera(tile.camera, source, tile.rank)
                tile.on_frame()

    def _global_key(self, key: str, slot: object) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.setAutoRepeat(False)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @Slot()
    def _on_replay_key(self) -> None:
        if self.in_replay:
            self.live_requested.emit()
            return
        camera = self.chosen_camera()
        if camera is not None:
            self.replay_requested.emit(camera.id)

    @Slot()
    def _on_wall_replay_clicked(self) -> None:
        # The click toggled the button: it shows the replay's state, not the click.
        self.wall_replay_button.setChecked(self.whole_wall)
        if self.whole_wall:
            self.live_requested.emit()
        elif self.shown_cameras():
            self.wall_replay_requested.emit()

    def release_all(self) -> None:
        """Give every stream back to the pool (the console is closing)."""
        for index in list(self._held):
            self._pool.release(self._held.pop(index), f"tile:{index}")

    # internals --------------------------------------------------------------------
    def _arrange(self) -> None:
        while self._grid.count():
            self._grid.takeAt(0)
        cols = 1 if self.single is not None else self.columns
        for i, tile in enumerate(self.tiles):
            if i < cols * cols:
                self._grid.addWidget(tile, i // cols, i % cols)
                tile.show()
            else:
                tile.hide()

    def _wanted(self) -> list[tuple[Camera, str, int | None]]:
        if self.single is not None:
            rank = next((e.rank for e in self.entries if e.camera is self.single), None)
            return [(self.single, self.single.stream_main, rank)]
        return [(e.camera, grid_stream(e.camera), e.rank) for e in self.entries[: self.capacity()]]

    def _refresh(self) -> None:
        wanted = self._wanted()
        # take the new streams before letting go of the old: a stream kept on
        # screen (same URL) is never stopped and restarted
        sources: list[CameraSource] = []
        for index, (_camera, url, _rank) in enumerate(wanted):
            sources.append(self._pool.acquire(url, f"tile:{index}"))
        for index in list(self._held):
            url = self._held[index]
            if index >= len(wanted) or wanted[index][1] != url:
                self._pool.release(url, f"tile:{index}")
                del self._held[index]
        for index, (_camera, url, _rank) in enumerate(wanted):
            self._held[index] = url
        self._arrange()
        self._live = dict(enumerate(sources))
        for index, tile in enumerate(self.tiles):
            if index < len(wanted):
                camera, _url, rank = wanted[index]
                source = self.replaying.get(camera.id, sources[index])
                tile.clock = self.replay_clock if source is not sources[index] else None
                tile.show_camera(camera, source, rank)
                tile.on_frame()  # a pre-warmed stream has a picture already
            else:
                tile.show_camera(None, None)
        self._update_title()
        self.cameras_shown.emit([c.id for c, _u, _r in wanted], self.context)

    def _update_title(self) -> None:
        text = self.context or self.tr("Mur d'images")
        if self.single is not None and self.single.id in self.replaying:
            text = self.tr("{name} — relecture ; Échap : retour au direct").format(
                name=self.single.name
            )
        elif self.single is not None:
            text = self.tr("{name} (flux principal) — double-clic ou Échap : retour").format(
                name=self.single.name
            )
        self.title.setText(text)

    @Slot(object)
    def _on_frame_available(self, source: CameraSource) -> None:
        for tile in self.visible_tiles():
            if tile.source is source:
                tile.on_frame()

    @Slot(object, object)
    def _on_source_status(self, source: CameraSource, status: SourceStatus) -> None:
        for tile in self.visible_tiles():
            if tile.source is source:
                tile.on_status(status)

    @Slot(str)
    def _on_tile_activated(self, camera_id: str) -> None:
        if self.single is not None:
            self.back_to_grid()
            return
        camera = next((e.camera for e in self.entries if e.camera.id == camera_id), None)
        if camera is not None:
            self.show_single(camera)

    @Slot(str)
    def _on_tile_snapshot(self, camera_id: str) -> None:
        tile = self.sender()
        frame: Frame | None = tile.current_frame() if isinstance(tile, CameraTile) else None
        if frame is not None:
            self.snapshot_requested.emit(camera_id, frame)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.single is not None:
            self.back_to_grid()
            return
        super().keyPressEvent(event)
