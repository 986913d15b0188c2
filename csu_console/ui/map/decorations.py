"""Fixed overlays in viewport pixels: scale bar, north arrow, OSM attribution."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from csu_console.ui.map.projection import ground_metres_per_mercator_metre

ATTRIBUTION = "© OpenStreetMap contributors"
_NICE = (1, 2, 5)
_PANEL = QColor(255, 255, 255, 215)
_INK = QColor("#212121")


def nice_length_m(max_m: float) -> float:
    """The largest 1, 2 or 5 × 10^n metres not above ``max_m``."""
    if max_m <= 0:
        return 0.0
    exp = math.floor(math.log10(max_m))
    best = 10.0**exp
    for n in _NICE:
        if n * 10.0**exp <= max_m:
            best = n * 10.0**exp
    return best


def format_length(metres: float) -> str:
    """« 200 m », « 1 km »."""
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


def _font(point_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def paint_scale_bar(
    painter: QPainter, viewport: QRectF, pixels_per_metre: float, lat: float
) -> None:
    """A scale bar in ground metres (Mercator is undone at the view's latitude)."""
    ground_px = pixels_per_metre / ground_metres_per_mercator_metre(lat)
    if ground_px <= 0:
        return
    length_m = nice_length_m(140.0 / ground_px)
    width = length_m * ground_px
    text = format_length(length_m)
    font = _font(10, bold=True)
    painter.setFont(font)
    x0, y0 = viewport.left() + 14, viewport.bottom() - 16
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_PANEL)
    painter.drawRoundedRect(QRectF(x0 - 8, y0 - 30, width + 16, 40), 4, 4)
    pen = QPen(_INK, 2.5)
    painter.setPen(pen)
    painter.drawPolyline(
        QPolygonF(
            [
                QPointF(x0, y0 - 8),
                QPointF(x0, y0),
                QPointF(x0 + width, y0),
                QPointF(x0 + width, y0 - 8),
            ]
        )
    )
    painter.drawText(QRectF(x0, y0 - 30, width, 22), Qt.AlignmentFlag.AlignCenter, text)


def paint_north_arrow(painter: QPainter, viewport: QRectF) -> None:
    """An arrow pointing up with an N (the map is always north up)."""
    cx, top = viewport.right() - 34, viewport.top() + 14
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_PANEL)
    painter.drawEllipse(QPointF(cx, top + 26), 22, 26)
    left = QPolygonF([QPointF(cx, top + 18), QPointF(cx - 9, top + 44), QPointF(cx, top + 38)])
    right = QPolygonF([QPointF(cx, top + 18), QPointF(cx + 9, top + 44), QPointF(cx, top + 38)])
    painter.setPen(QPen(_INK, 1.2))
    painter.setBrush(_INK)
    painter.drawPolygon(left)
    painter.setBrush(QColor("#ffffff"))
    painter.drawPolygon(right)
    painter.setFont(_font(10, bold=True))
    painter.drawText(QRectF(cx - 10, top, 20, 18), Qt.AlignmentFlag.AlignCenter, "N")


def paint_attribution(painter: QPainter, viewport: QRectF) -> None:
    """The ODbL attribution, bottom right."""
    font = _font(9)
    metrics = QFontMetricsF(font)
    width = metrics.horizontalAdvance(ATTRIBUTION) + 12
    box = QRectF(viewport.right() - width, viewport.bottom() - 20, width, 20)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_PANEL)
    painter.drawRect(box)
    painter.setFont(font)
    painter.setPen(_INK)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, ATTRIBUTION)
