"""Scene items of the overlays: zones, cameras, fields of view, alert markers.

Markers keep their size in pixels (``ItemIgnoresTransformations``); zones and
fields of view are drawn in scene metres with cosmetic pens.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from csu_console.core.geo import Area, destination_point
from csu_console.ui.map.basemap import StaticShape
from csu_console.ui.map.projection import to_scene

Z_ZONE, Z_CONE, Z_CAMERA, Z_ALERT, Z_FOCUS = 0, 10, 20, 30, 40
#: Partners' alert areas: over the basemap and the zones, under the fields of view.
Z_AREA = 5
#: Fields of view of cameras that are not highlighted are hidden below this zoom.
CONE_MIN_ZOOM = 16.0
HIGHLIGHT = QColor("#1565c0")


class CameraHealth(StrEnum):
    """What the console knows of a camera's stream."""

    OK = "ok"
    UNKNOWN = "unknown"
    OFFLINE = "offline"
    DEGRADED = "degraded"  # a picture, but black or frozen


HEALTH_COLORS: dict[CameraHealth, str] = {
    CameraHealth.OK: "#2e7d32",
    CameraHealth.UNKNOWN: "#757575",
    CameraHealth.OFFLINE: "#c62828",
    CameraHealth.DEGRADED: "#ef6c00",
}
HEALTH_LABELS: dict[CameraHealth, str] = {
    CameraHealth.OK: "en service",
    CameraHealth.UNKNOWN: "état inconnu",
    CameraHealth.OFFLINE: "hors ligne",
    CameraHealth.DEGRADED: "image noire ou figée",
}


def _font(point_size: float, bold: bool = True) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def paint_halo_text(
    painter: QPainter, text: str, font: QFont, center: QPointF, color: QColor
) -> None:
    """``text`` centred on ``center`` (item pixels) with a white halo, legible on any map."""
    metrics = QFontMetricsF(font)
    path = QPainterPath()
    origin = QPointF(
        center.x() - metrics.horizontalAdvance(text) / 2,
        center.y() + (metrics.ascent() - metrics.descent()) / 2,
    )
    path.addText(origin, font, text)
    painter.strokePath(path, QPen(QColor(255, 255, 255, 230), 3.5))
    painter.fillPath(path, color)


class HaloLabel(QGraphicsItem):
    """A constant-size label centred on its position (zone names)."""

    def __init__(
        self, text: str, color: QColor, parent: QGraphicsItem | None = None, dy_px: float = 0.0
    ) -> None:
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # haloed text is slow
        self._text, self._color, self._font = text, color, _font(10.5)
        width = QFontMetricsF(self._font).horizontalAdvance(text)
        self._dy = dy_px
        self._rect = QRectF(-width / 2 - 4, dy_px - 12, width + 8, 24)

    @property
    def text(self) -> str:
        """The label."""
        return self._text

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_halo_text(painter, self._text, self._font, QPointF(0, self._dy), self._color)


def area_path(area: Area) -> QPainterPath:
    """A zone's polygons (with holes) as a scene path."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for polygon in area.polygons:
        for ring in polygon:
            path.addPolygon(QPolygonF([to_scene(lon, lat) for lon, lat in ring]))
            path.closeSubpath()
    return path


class ZoneItem(QGraphicsPathItem):
    """A zone: its name as a label, its polygon for hit tests and tooltips.

    The tinted polygon itself is painted into the basemap image (see
    :meth:`fill_shape`), where it costs nothing per frame.
    """

    def __init__(
        self,
        zone_id: str,
        name: str,
        zoning: str,
        area: Area,
        color: QColor,
        label_offset_px: float = 0.0,
    ) -> None:
        super().__init__(area_path(area))
        self.zone_id, self.zoning, self.color = zone_id, zoning, QColor(color)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        self.setZValue(Z_ZONE)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.label = HaloLabel(name, color.darker(130), self, label_offset_px)
        self.label.setPos(self.path().boundingRect().center())
        self.setToolTip(name)

    def fill_shape(self) -> StaticShape:
        """The tinted polygon with its outline, for the basemap image."""
        fill = QColor(self.color)
        fill.setAlpha(14)
        return StaticShape(self.path(), fill, self.color, 0.0, 2.0)


def cone_path(lon: float, lat: float, heading: float, fov: float, range_m: float) -> QPainterPath:
    """A field of view (heading 0 = north, clockwise) as a scene path."""
    path = QPainterPath()
    if fov >= 360.0:
        ring = [to_scene(*destination_point(lon, lat, b * 10.0, range_m)) for b in range(36)]
        path.addPolygon(QPolygonF(ring))
        path.closeSubpath()
        return path
    steps = max(2, int(fov / 5.0) + 1)
    start = heading - fov / 2.0
    path.moveTo(to_scene(lon, lat))
    for i in range(steps + 1):
        path.lineTo(to_scene(*destination_point(lon, lat, start + fov * i / steps, range_m)))
    path.closeSubpath()
    return path


class ConeItem(QGraphicsPathItem):
    """A camera's field of view (painted by Qt in C++: thousands of them stay cheap).

    :class:`~csu_console.ui.map.overlays.MapOverlays` hides those not highlighted
    below ``CONE_MIN_ZOOM``.
    """

    def __init__(self, path: QPainterPath) -> None:
        super().__init__(path)
        self.setZValue(Z_CONE)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.set_highlighted(False)

    def set_highlighted(self, on: bool) -> None:
        """Stronger colours for a camera that sees the focused point."""
        self.highlighted = on
        fill = QColor(HIGHLIGHT if on else "#42a5f5")
        fill.setAlpha(70 if on else 38)
        pen = QPen(QColor(HIGHLIGHT if on else "#1e88e5"), 1.6 if on else 1.0)
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setBrush(QBrush(fill))


class FocusMarker(QGraphicsItem):
    """A target reticle on the point the operator is looking at."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_FOCUS)

    def boundingRect(self) -> QRectF:
        return QRectF(-36, -36, 72, 72)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        for color, width in ((QColor("#ffffff"), 5.0), (QColor("#212121"), 2.0)):
            painter.setPen(QPen(color, width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), 24, 24)
            for dx, dy in ((0, -1), (0, 1), (-1, 0), (1, 0)):
                painter.drawLine(QPointF(dx * 20, dy * 20), QPointF(dx * 33, dy * 33))
