"""How the console's panes share the screen: splitters that fit 1366×768 and up."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QSplitter, QWidget

from csu_console.ui.wall.wall import CameraWall

#: During a replay the map keeps this share of the right column at most (the wall
#: gets the rest: four tiles, the controls and the timeline need the height).
REPLAY_MAP_SHARE = 0.25

#: Below this height the queue's column is short (a 1366×768 screen): the detail
#: pane under the queue keeps only :data:`SHORT_DETAIL_SHARE` of it (at least
#: :data:`SHORT_DETAIL_MIN` px), so that the queue shows five rows, not three.
SHORT_COLUMN_PX = 600
SHORT_DETAIL_SHARE = 0.28
SHORT_DETAIL_MIN = 140


class _ShortColumn(QObject):
    """Sizes the queue over the detail on a short screen, until the operator drags
    the handle (then their choice stays)."""

    def __init__(self, column: QSplitter) -> None:
        super().__init__(column)
        self._column = column
        self.dragged = False
        column.splitterMoved.connect(self._on_moved)
        column.installEventFilter(self)

    def _on_moved(self, _pos: int, _index: int) -> None:
        self.dragged = True
        self._column.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._column and event.type() == QEvent.Type.Resize:
            height = self._column.height()
            if 0 < height < SHORT_COLUMN_PX:
                detail = max(SHORT_DETAIL_MIN, round(height * SHORT_DETAIL_SHARE))
                self._column.blockSignals(True)  # not the operator's drag
                self._column.setSizes([height - detail, detail])
                self._column.blockSignals(False)
        return False


def console_splitter(
    parent: QWidget,
    queue: QWidget,
    detail: QWidget,
    map_pane: QWidget | None,
    wall: QWidget | None,
) -> QSplitter:
    """The queue over the detail (what came in, what it is) and, when there is one,
    the map over the camera wall (where it is, what it looks like)."""
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    if map_pane is None and wall is None:
        splitter.addWidget(queue)
        splitter.addWidget(detail)
        splitter.setSizes([1300, 560])
        splitter.setStretchFactor(0, 7)
        splitter.setStretchFactor(1, 3)
        return splitter
    left = QSplitter(Qt.Orientation.Vertical, parent)
    left.addWidget(queue)
    left.addWidget(detail)
    left.setSizes([600, 300])
    left.setStretchFactor(0, 2)  # a short screen keeps more rows of the queue
    left.setStretchFactor(1, 1)
    # Its own minimum, not its tallest tab's (the day's main courante, hidden, would
    # hold it at 175 px): below that its contents scroll.
    detail.setMinimumHeight(SHORT_DETAIL_MIN)
    _ShortColumn(left)
    splitter.addWidget(left)
    right = QSplitter(Qt.Orientation.Vertical, parent)
    for pane in (map_pane, wall):
        if pane is not None:
            right.addWidget(pane)
    right.setSizes([430, 520])
    if map_pane is not None and isinstance(wall, CameraWall):
        give_room_to_replay(right, wall)
    splitter.addWidget(right)
    # The queue gets the larger share (its titles are read); the panes can be
    # dragged wider, and none of them can be squeezed out of sight.
    splitter.setSizes([1250, 670])
    splitter.setStretchFactor(0, 13)
    splitter.setStretchFactor(1, 7)
    for part in (splitter, left, right):
        part.setChildrenCollapsible(False)
    return splitter


def give_room_to_replay(right: QSplitter, wall: CameraWall) -> None:
    """While the wall replays, the map above it shrinks to a quarter of the column
    (it stays visible); back to live, the sizes the operator had come back."""
    saved: list[list[int]] = []

    def on_replay(active: bool) -> None:
        if active and not saved:
            sizes = right.sizes()
            total = sum(sizes)
            if len(sizes) != 2 or total <= 0:
                return
            saved.append(sizes)
            map_h = min(sizes[0], int(total * REPLAY_MAP_SHARE))
            right.setSizes([map_h, total - map_h])
        elif not active and saved:
            right.setSizes(saved.pop())

    wall.replay_active.connect(on_replay)
