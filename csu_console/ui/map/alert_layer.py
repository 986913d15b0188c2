"""Alerts on the map: a disc in the priority colour, a count for a group, a pulse.

Two items, so that a storm of thousands of alerts costs the GUI thread almost
nothing between changes:

- :class:`AlertLayer` paints every marker as a plain disc and keeps the result in a
  device-coordinate cache: it is painted again only when the alerts change (at most
  twice a second, see ``ui/console/map_follow.py``) or the zoom does;
- :class:`PulseLayer` paints the rings of the few most urgent new alerts; a step of
  the pulse repaints the view (full-viewport updates, see ``map_view.py``) with the
  discs coming from the cache.

Pixmaps are cached per look: discs by (priority, count), drawn ahead of need (see
:func:`warm_discs`), rings by (size, priority, step).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from csu_console.ui.map.items import Z_ALERT
from csu_console.ui.map.markers import Marker, MarkerLayer, bold_font, draw_icon
from csu_console.ui.theme import priority_color, priority_text_color

#: The pulse is drawn in this many steps (each a cached pixmap).
PULSE_STEPS = 12
#: At most this many alerts pulse at once (the first ones given: the queue's most
#: urgent, newest first); the others are plain discs. Ten thousand pulsing markers
#: say nothing more than forty, and would repaint the whole map 20 times a second.
MAX_PULSING = 40
#: How far the ring reaches beyond the disc, in pixels, at the end of a pulse.
RING_REACH_PX = 17.0


def disc_radius(count: int) -> float:
    """The disc's radius in pixels (a group's is larger, for its count)."""
    return 11.0 if count > 1 else 9.0


def count_text(count: int) -> str:
    """A group's count as written on its disc."""
    return str(count) if count < 100 else "99+"


class AlertMarker(Marker):
    """An alert, or a group of ``count`` reports, at its position."""

    def __init__(
        self,
        key: str,
        pos: QPointF,
        tooltip: str = "",
        priority: int = 3,
        count: int = 1,
        pulsing: bool = True,
    ) -> None:
        super().__init__(key, pos, (priority, count_text(count)), tooltip)
        self.priority = priority
        self.count = count
        self.pulsing = pulsing


#: Every disc a marker can show: four priorities, counts 1 to 99 and « 99+ ».
DISC_LOOKS = tuple((p, c) for p in range(1, 5) for c in range(1, 101))
_discs: dict[tuple[int, str], QPixmap] = {}  # (priority, count text) -> pixmap


def disc_icon(priority: int, count: int) -> QPixmap:
    """The disc of an alert or group (drawn once per look, shared by the layers)."""
    key = (priority, count_text(count))
    pixmap = _discs.get(key)
    if pixmap is None:
        half = int(disc_radius(count) + 4)
        pixmap = _discs[key] = draw_icon(lambda p: paint_disc(p, priority, count), half)
    return pixmap


def warm_discs(budget: int) -> bool:
    """Draw up to ``budget`` discs not drawn yet; True once every look is ready.

    A storm grows hundreds of groups, and each new count was a new disc to draw in
    the middle of a map repaint (up to 90 ms of them in one repaint under load,
    ``bench/alert_storm.py``): drawn beforehand, a little at a time, they are blits.
    """
    for priority, count in DISC_LOOKS:
        if budget <= 0:
            return False
        if (priority, count_text(count)) not in _discs:
            disc_icon(priority, count)
            budget -= 1
    return True


def paint_disc(painter: QPainter, priority: int, count: int) -> None:
    """The disc, with the count of a group."""
    color = priority_color(priority)
    radius = disc_radius(count)
    painter.setPen(QPen(QColor("#ffffff"), 2.5))
    painter.setBrush(color)
    painter.drawEllipse(QPointF(0, 0), radius, radius)
    if count > 1:
        painter.setFont(bold_font(10))
        painter.setPen(priority_text_color(priority))
        painter.drawText(
            QRectF(-radius, -radius, 2 * radius, 2 * radius),
            Qt.AlignmentFlag.AlignCenter,
            count_text(count),
        )


def paint_ring(painter: QPainter, priority: int, radius: float, phase: float) -> None:
    """The pulse's ring at ``phase`` (0..1): it grows and fades."""
    ring = QColor(priority_color(priority))
    ring.setAlphaF(max(0.0, 0.85 * (1.0 - phase)))
    painter.setPen(QPen(ring, 3.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    reach = radius + RING_REACH_PX * phase
    painter.drawEllipse(QPointF(0, 0), reach, reach)


#: Half the size of the largest ring pixmap, in pixels.
RING_HALF_PX = int(disc_radius(2) + RING_REACH_PX + 4)


class AlertLayer(MarkerLayer):
    """Every alert marker as a plain disc, in one cached item."""

    def __init__(self) -> None:
        super().__init__(Z_ALERT)
        # Painted again only when the markers or the zoom change: the pulse above
        # it and the other items' repaints are served from this cache.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def alert(self, key: str) -> AlertMarker:
        """One alert's marker (KeyError when unknown)."""
        marker = self.marker(key)
        assert isinstance(marker, AlertMarker)
        return marker

    def draw_look(self, marker: Marker, look: Hashable) -> QPixmap:
        assert isinstance(marker, AlertMarker)
        return disc_icon(marker.priority, marker.count)


class PulseLayer(QGraphicsItem):
    """The rings of the pulsing alerts (a few), over the discs; :attr:`phase` (0..1)."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_ALERT + 0.5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.phase = 0.0
        self._markers: list[AlertMarker] = []
        self._rings: dict[tuple[int, int, int], QPixmap] = {}
        self._rect = QRectF()

    def set_markers(self, markers: Iterable[AlertMarker]) -> None:
        """Pulse these markers (and no others)."""
        self.prepareGeometryChange()
        self._markers = list(markers)
        if self._markers:
            xs = [m.pos.x() for m in self._markers]
            ys = [m.pos.y() for m in self._markers]
            self._rect = QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))
        else:
            self._rect = QRectF()
        self.update()

    def markers(self) -> Sequence[AlertMarker]:
        """The pulsing markers."""
        return self._markers

    def step(self) -> int:
        """The pulse's current step, 0 .. PULSE_STEPS - 1."""
        return int(self.phase * PULSE_STEPS) % PULSE_STEPS

    def _ring(self, m: AlertMarker, step: int) -> QPixmap:
        key = (min(m.count, 2), m.priority, step)
        pixmap = self._rings.get(key)
        if pixmap is None:
            radius, phase = disc_radius(m.count), step / PULSE_STEPS
            half = int(radius + RING_REACH_PX * phase + 4)
            pixmap = draw_icon(lambda p: paint_ring(p, m.priority, radius, phase), half)
            self._rings[key] = pixmap
        return pixmap

    def boundingRect(self) -> QRectF:
        if not self._markers:
            return QRectF()
        return self._rect.adjusted(-2000, -2000, 2000, 2000)  # pixels overhang, any zoom

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t = painter.worldTransform()
        sx, sy, dx, dy = t.m11(), t.m22(), t.dx(), t.dy()
        step = self.step()
        painter.save()
        painter.resetTransform()
        for m in self._markers:
            px, py = round(m.pos.x() * sx + dx), round(m.pos.y() * sy + dy)
            for pixmap in (self._ring(m, step), disc_icon(m.priority, m.count)):  # disc on top
                half = pixmap.width() // 2
                painter.drawPixmap(px - half, py - half, pixmap)
        painter.restore()
