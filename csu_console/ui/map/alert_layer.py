"""Alerts on the map: a disc in the priority colour, a count for a group, a pulse."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

from csu_console.ui.map.items import Z_ALERT
from csu_console.ui.map.markers import Marker, MarkerLayer, bold_font, draw_icon
from csu_console.ui.theme import priority_color, priority_text_color

#: The pulse is drawn in this many steps (each a cached pixmap).
PULSE_STEPS = 12


@dataclass
class AlertMarker(Marker):
    """An alert, or a group of ``count`` reports, at its position."""

    priority: int = 3
    count: int = 1
    pulsing: bool = True


def paint_alert(painter: QPainter, priority: int, count: int, phase: float | None) -> None:
    """The disc (with the count of a group) and, when pulsing, a ring at ``phase``."""
    color = priority_color(priority)
    radius = 11.0 if count > 1 else 9.0
    if phase is not None:
        ring = QColor(color)
        ring.setAlphaF(max(0.0, 0.85 * (1.0 - phase)))
        painter.setPen(QPen(ring, 3.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), radius + 17 * phase, radius + 17 * phase)
    painter.setPen(QPen(QColor("#ffffff"), 2.5))
    painter.setBrush(color)
    painter.drawEllipse(QPointF(0, 0), radius, radius)
    if count > 1:
        painter.setFont(bold_font(10))
        painter.setPen(priority_text_color(priority))
        painter.drawText(
            QRectF(-radius, -radius, 2 * radius, 2 * radius),
            Qt.AlignmentFlag.AlignCenter,
            str(count) if count < 100 else "99+",
        )


class AlertLayer(MarkerLayer):
    """Every alert marker, in one item; :attr:`phase` (0..1) drives the pulse."""

    def __init__(self) -> None:
        super().__init__(Z_ALERT)
        self.phase = 0.0

    def alert(self, key: str) -> AlertMarker:
        """One alert's marker (KeyError when unknown)."""
        marker = self.marker(key)
        assert isinstance(marker, AlertMarker)
        return marker

    def look_of(self, marker: Marker) -> Hashable:
        assert isinstance(marker, AlertMarker)
        step = int(self.phase * PULSE_STEPS) % PULSE_STEPS if marker.pulsing else None
        return (marker.priority, min(marker.count, 100), step)

    def draw_look(self, marker: Marker, look: Hashable) -> QPixmap:
        assert isinstance(marker, AlertMarker) and isinstance(look, tuple)
        step = look[2]
        phase = None if step is None else step / PULSE_STEPS
        radius = 11.0 if look[1] > 1 else 9.0
        half = int(radius + 17 * (phase or 0.0) + 4)
        return draw_icon(lambda p: paint_alert(p, marker.priority, look[1], phase), half)
