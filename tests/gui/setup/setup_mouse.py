"""Mouse helpers for the setup screen's tests: press, drag and click on the map's
viewport like a mouse does (button held during moves), at computed positions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from csu_console.ui.map.projection import to_scene
from csu_console.ui.setup.window import SetupWindow


def viewport_point(window: SetupWindow, lon: float, lat: float) -> QPointF:
    """Where (lon, lat) is on the map's viewport, in pixels."""
    return window.view.map_scene_to_viewport(to_scene(lon, lat))


def scene_to_viewport(window: SetupWindow, scene: QPointF) -> QPointF:
    return window.view.map_scene_to_viewport(scene)


def _send(widget: QWidget, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    global_pos = QPointF(widget.mapToGlobal(pos.toPoint()))
    event = QMouseEvent(kind, pos, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(window: SetupWindow, start: QPointF, end: QPointF, steps: int = 6) -> None:
    """Press at ``start``, move in steps with the button held, release at ``end``."""
    vp = window.view.viewport()
    left = Qt.MouseButton.LeftButton
    _send(vp, QEvent.Type.MouseButtonPress, start, left)
    for i in range(1, steps + 1):
        pos = start + (end - start) * (i / steps)
        _send(vp, QEvent.Type.MouseMove, pos, left)
    _send(vp, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def click(window: SetupWindow, pos: QPointF) -> None:
    vp = window.view.viewport()
    _send(vp, QEvent.Type.MouseButtonPress, pos, Qt.MouseButton.LeftButton)
    _send(vp, QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)


def double_click(window: SetupWindow, pos: QPointF) -> None:
    vp = window.view.viewport()
    click(window, pos)
    _send(vp, QEvent.Type.MouseButtonDblClick, pos, Qt.MouseButton.LeftButton)
    _send(vp, QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)
