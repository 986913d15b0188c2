"""What a click on the setup map means: the current tool.

An event filter on the map's viewport (the map view itself is not changed): with
no tool, clicks and drags go to the map (pan) and to the handles, and a plain click
on the background is reported; with a tool, a click places a camera, adds a point
to the zone being drawn, or asks for a test alert there. Double-click or Entrée
closes a zone, Échap cancels any tool.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent

from csu_console.core.geo import Position
from csu_console.ui.map.map_view import MapView
from csu_console.ui.map.projection import scene_to_lonlat
from csu_console.ui.setup.zone_items import Sketch

CLICK_SLOP_PX = 5.0


class Tool(StrEnum):
    """The map's current tool."""

    NONE = "none"
    PLACE_CAMERA = "place_camera"
    DRAW_ZONE = "draw_zone"
    DRAW_HOLE = "draw_hole"
    TEST_ALERT = "test_alert"


class MapTools(QObject):
    """The tool in use on a :class:`MapView`; see the module docstring."""

    tool_changed = Signal(str)
    camera_placed = Signal(float, float)  # lon, lat
    zone_drawn = Signal(object)  # list[Position], at least 3
    hole_drawn = Signal(object)  # list[Position], at least 3
    test_point_chosen = Signal(float, float)
    background_clicked = Signal(float, float)

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self._view = view
        self.tool = Tool.NONE
        self.sketch: Sketch | None = None
        self._press: QPointF | None = None
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)

    def set_tool(self, tool: Tool) -> None:
        """Start ``tool`` (NONE: back to panning); a sketch under way is dropped."""
        self._drop_sketch()
        self.tool = tool
        if tool in (Tool.DRAW_ZONE, Tool.DRAW_HOLE):
            self.sketch = Sketch(self._view.scene())
        cursor = Qt.CursorShape.OpenHandCursor if tool is Tool.NONE else Qt.CursorShape.CrossCursor
        self._view.viewport().setCursor(cursor)
        self._view.setFocus()
        self.tool_changed.emit(tool.value)

    def finish_sketch(self) -> bool:
        """Close the zone being drawn; False (and it goes on) with fewer than 3 points."""
        if self.sketch is None or len(self.sketch.points) < 3:
            return False
        points = list(self.sketch.points)
        tool = self.tool
        self.set_tool(Tool.NONE)
        (self.zone_drawn if tool is Tool.DRAW_ZONE else self.hole_drawn).emit(points)
        return True

    def _drop_sketch(self) -> None:
        if self.sketch is not None:
            self._view.scene().removeItem(self.sketch)
            self.sketch = None

    def _lonlat(self, event: QMouseEvent) -> Position:
        return scene_to_lonlat(self._view.map_viewport_to_scene(event.position()))

    # -- events ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._on_key(event)
            return False
        if isinstance(event, QMouseEvent):
            return self._on_mouse(event)
        return False

    def _on_key(self, event: QKeyEvent) -> bool:
        if self.tool is Tool.NONE:
            return False
        if event.key() == Qt.Key.Key_Escape:
            self.set_tool(Tool.NONE)
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.sketch is not None:
            self.finish_sketch()
            return True
        return False

    def _on_mouse(self, event: QMouseEvent) -> bool:
        kind = event.type()
        left = event.button() == Qt.MouseButton.LeftButton
        if self.tool is Tool.NONE:
            if kind == QEvent.Type.MouseButtonPress and left:
                self._press = event.position()
            elif kind == QEvent.Type.MouseButtonRelease and left and self._press is not None:
                moved = (event.position() - self._press).manhattanLength()
                grabbed = self._view.scene().mouseGrabberItem() is not None
                self._press = None
                if moved <= CLICK_SLOP_PX and not grabbed:
                    self.background_clicked.emit(*self._lonlat(event))
            return False  # panning and handles work as usual
        if kind == QEvent.Type.MouseMove and self.sketch is not None:
            self.sketch.follow(self._view.map_viewport_to_scene(event.position()))
            return True
        if kind == QEvent.Type.MouseButtonDblClick and left and self.sketch is not None:
            self.finish_sketch()
            return True
        if kind != QEvent.Type.MouseButtonPress or not left:
            return kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)
        lon, lat = self._lonlat(event)
        if self.tool is Tool.PLACE_CAMERA:
            self.set_tool(Tool.NONE)
            self.camera_placed.emit(lon, lat)
        elif self.tool is Tool.TEST_ALERT:
            self.test_point_chosen.emit(lon, lat)  # the tool stays: try another point
        elif self.sketch is not None:
            self.sketch.add(self._view.map_viewport_to_scene(event.position()))
        return True
