"""Fixed overlays in viewport pixels: scale bar, north arrow, OSM attribution.

Each is drawn once into a cached pixmap (the scale bar per length and width): the
view then blits three pixmaps per frame. Drawn call by call, the two dozen painter
calls each waited for the GIL while a storm kept the process's other threads busy
(up to 119 ms per frame, ``bench/alert_storm.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap, QPolygonF

from csu_console.ui.map.projection import ground_metres_per_mercator_metre
from csu_console.ui.pixmaps import painted_pixmap

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


_cache: dict[tuple[object, ...], QPixmap] = {}


def _blit(
    painter: QPainter, key: tuple[object, ...], size: tuple[int, int], at: QPointF,
    draw: Callable[[QPainter], None],
) -> None:  # fmt: skip
    """Draw the pixmap of ``key`` (made by ``draw`` on first use) at ``at``."""
    pixmap = _cache.get(key)
    if pixmap is None:
        if len(_cache) > 64:
            _cache.clear()
        pixmap = _cache[key] = painted_pixmap(*size, draw)
    painter.drawPixmap(at, pixmap)


def paint_scale_bar(
    painter: QPainter, viewport: QRectF, pixels_per_metre: float, lat: float
) -> None:
    """A scale bar in ground metres (Mercator is undone at the view's latitude)."""
    ground_px = pixels_per_metre / ground_metres_per_mercator_metre(lat)
    if ground_px <= 0:
        return
    length_m = nice_length_m(140.0 / ground_px)
    width = round(length_m * ground_px)
    text = format_length(length_m)
    at = QPointF(viewport.left() + 14 - 8, viewport.bottom() - 16 - 30)
    _blit(
        painter, ("scale", text, width), (width + 16, 40), at,
        lambda p: _draw_scale_bar(p, width, text),
    )  # fmt: skip


def _draw_scale_bar(painter: QPainter, width: float, text: str) -> None:
    """The scale bar in its own pixmap (its panel's top left at 0, 0)."""
    font = _font(10, bold=True)
    painter.setFont(font)
    x0, y0 = 8.0, 30.0
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
    at = QPointF(viewport.right() - 34 - 23, viewport.top() + 14 - 1)
    _blit(painter, ("north",), (46, 54), at, _draw_north_arrow)


def _draw_north_arrow(painter: QPainter) -> None:
    cx, top = 23.0, 1.0
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
    width = _attribution_width()
    at = QPointF(viewport.right() - width, viewport.bottom() - 20)
    _blit(painter, ("attribution",), (width, 20), at, _draw_attribution)


def _attribution_width() -> int:
    return math.ceil(QFontMetricsF(_font(9)).horizontalAdvance(ATTRIBUTION) + 12)


def _draw_attribution(painter: QPainter) -> None:
    font = _font(9)
    box = QRectF(0, 0, _attribution_width(), 20)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_PANEL)
    painter.drawRect(box)
    painter.setFont(font)
    painter.setPen(_INK)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, ATTRIBUTION)
