"""Drag handles for the setup map: constant-size knobs that report scene positions.

A handle does not know what it edits: it calls ``on_press``, ``on_drag(scene_pos)``
and ``on_release`` given by its owner, which updates the model; the model's signal
moves the handle. Handles keep their size in pixels (``ItemIgnoresTransformations``)
and can be drawn ``offset_px`` away from their anchor (the heading knob sits beyond
the tip of the field of view, along the heading).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

Z_HANDLE = 60
RADIUS_PX = 9.0


class Shape:
    """How a handle looks."""

    CIRCLE = "circle"
    SQUARE = "square"
    DIAMOND = "diamond"


class Handle(QGraphicsItem):
    """A draggable knob; see the module docstring.

    ``keep_grab``: the anchor follows the pointer minus where it was caught (points
    that move); False: ``on_drag`` gets the pointer itself (angles and ranges).
    """

    def __init__(
        self,
        color: str,
        shape: str = Shape.CIRCLE,
        tooltip: str = "",
        parent: QGraphicsItem | None = None,
        *,
        keep_grab: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setZValue(Z_HANDLE)
        self.setToolTip(tooltip)
        self._color = QColor(color)
        self._shape = shape
        self._offset = QPointF(0, 0)
        self._hover = False
        self.on_press: Callable[[], None] = lambda: None
        self.on_drag: Callable[[QPointF], None] = lambda _pos: None
        self.on_release: Callable[[], None] = lambda: None
        self.on_click: Callable[[], None] = lambda: None
        self._grab = QPointF(0, 0)  # pointer minus anchor, in scene units, at the press
        self._keep_grab = keep_grab
        self._moved = False
        self.dragging = False

    def set_offset_px(self, dx: float, dy: float) -> None:
        """Draw the knob this many pixels from its anchor (a line joins them)."""
        self.prepareGeometryChange()
        self._offset = QPointF(dx, dy)

    def knob_offset(self) -> QPointF:
        """Where the knob is drawn from its anchor, in viewport pixels."""
        return QPointF(self._offset)

    # -- geometry --------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        r = RADIUS_PX + 3
        knob = QRectF(self._offset.x() - r, self._offset.y() - r, 2 * r, 2 * r)
        return knob.united(QRectF(-2, -2, 4, 4))

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        r = RADIUS_PX + 3  # a little larger than drawn: easier to catch
        path.addEllipse(self._offset, r, r)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._offset.isNull():
            painter.setPen(QPen(self._color, 2.0, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(0, 0), self._offset)
        r = RADIUS_PX + (2 if self._hover or self.dragging else 0)
        painter.setPen(QPen(QColor("#ffffff"), 2.5))
        painter.setBrush(QBrush(self._color))
        c = self._offset
        if self._shape == Shape.SQUARE:
            painter.drawRect(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
        elif self._shape == Shape.DIAMOND:
            painter.drawPolygon(
                [
                    QPointF(c.x(), c.y() - r - 2),
                    QPointF(c.x() + r + 2, c.y()),
                    QPointF(c.x(), c.y() + r + 2),
                    QPointF(c.x() - r - 2, c.y()),
                ]
            )
        else:
            painter.drawEllipse(c, r, r)

    # -- input -----------------------------------------------------------------

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self.update()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self.dragging = True
        self._moved = False
        self._grab = event.scenePos() - self.scenePos()
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self.on_press()
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.dragging:
            return
        self._moved = True
        # A moved point keeps where it was caught (no jump at the first move); an
        # angle or a range handle follows the pointer itself.
        pos = event.scenePos()
        self.on_drag(pos - self._grab if self._keep_grab else pos)
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.dragging:
            return
        self.dragging = False
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if not self._moved:
            self.on_click()
        self.on_release()
        self.update()
        event.accept()
