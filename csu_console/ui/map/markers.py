"""Batched marker layers: thousands of cameras or alerts in one scene item each.

One ``QGraphicsItem`` per camera costs tens of microseconds per frame in
``QGraphicsView`` even when cached; a layer that blits a few pre-drawn pixmaps for
the markers inside the exposed rectangle stays within a frame budget with 2,000
cameras and 500 alerts. The layers also answer "which marker is under this pixel"
for clicks and tooltips.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from csu_console.ui.pixmaps import painted_pixmap

#: Every marker pixmap is this many pixels square, its anchor at the centre.
ICON_SIZE = 64
_HALF = ICON_SIZE / 2


def draw_icon(paint: Callable[[QPainter], None], half: int = ICON_SIZE // 2) -> QPixmap:
    """A transparent ``2 * half`` pixmap drawn by ``paint`` around (0, 0).

    Keep ``half`` tight: blending cost grows with the pixmap's area.
    """

    def centred(painter: QPainter) -> None:
        painter.translate(half, half)
        paint(painter)

    return painted_pixmap(2 * half, 2 * half, centred)


def bold_font(point_size: float) -> QFont:
    """A bold font for badges and counts."""
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(True)
    return font


@dataclass
class Marker:
    """One marker: its scene position, its look (a pixmap key) and its hover text."""

    key: str
    pos: QPointF
    look: Hashable
    tooltip: str = ""
    extra: dict[str, object] = field(default_factory=dict)


class MarkerLayer(QGraphicsItem):
    """Paints many markers as pixmaps, constant size in pixels, culled to the exposed rect.

    Subclasses give :meth:`icon` (cached per look) and may paint more with
    :meth:`paint_extra` (highlights, pulses) in device pixels.
    """

    HIT_RADIUS_PX = 11.0
    #: False when the plain markers are painted elsewhere (into the basemap image).
    PAINT_PLAIN = True

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self._markers: dict[str, Marker] = {}
        self._xy: list[tuple[float, float, Marker]] = []
        self._icons: dict[Hashable, QPixmap] = {}
        self._rect = QRectF()

    # -- content ---------------------------------------------------------------

    def set_markers(self, markers: Iterable[Marker]) -> None:
        """Show ``markers`` instead of the previous ones."""
        self.prepareGeometryChange()
        self._markers = {m.key: m for m in markers}
        self._xy = [(m.pos.x(), m.pos.y(), m) for m in self._markers.values()]
        if self._markers:
            xs = [m.pos.x() for m in self._markers.values()]
            ys = [m.pos.y() for m in self._markers.values()]
            self._rect = QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))
        else:
            self._rect = QRectF()
        self.update()

    def marker(self, key: str) -> Marker:
        """One marker (KeyError when unknown)."""
        return self._markers[key]

    def markers(self) -> list[Marker]:
        """Every marker."""
        return list(self._markers.values())

    def look_of(self, marker: Marker) -> Hashable:
        """The key of ``marker``'s pixmap (subclasses may make it depend on time)."""
        return marker.look

    def icon(self, marker: Marker) -> QPixmap:
        """The pixmap of ``marker``'s look (cached)."""
        look = self.look_of(marker)
        pixmap = self._icons.get(look)
        if pixmap is None:
            pixmap = self._icons[look] = self.draw_look(marker, look)
        return pixmap

    def draw_look(self, marker: Marker, look: Hashable) -> QPixmap:
        """Draw the pixmap of a look (subclasses)."""
        raise NotImplementedError

    def paint_extra(self, painter: QPainter, marker: Marker, at: QPointF) -> None:
        """Paint more over ``marker`` at device point ``at`` (subclasses)."""

    def is_extra(self, marker: Marker) -> bool:
        """True if :meth:`paint_extra` has something for ``marker``."""
        return False

    def candidates(self) -> list[tuple[float, float, Marker]]:
        """(x, y, marker) of the markers this item may paint (all by default)."""
        return self._xy

    # -- hit testing -----------------------------------------------------------

    def marker_at(self, scene_pos: QPointF, pixels_per_metre: float) -> Marker | None:
        """The marker whose icon is under ``scene_pos`` (the nearest), or None."""
        radius = self.HIT_RADIUS_PX / pixels_per_metre
        best: Marker | None = None
        best_d2 = radius * radius
        for m in self._markers.values():
            dx, dy = m.pos.x() - scene_pos.x(), m.pos.y() - scene_pos.y()
            d2 = dx * dx + dy * dy
            if d2 <= best_d2 and (best is None or self.is_extra(m) or not self.is_extra(best)):
                best, best_d2 = m, d2
        return best

    # -- QGraphicsItem ---------------------------------------------------------

    def boundingRect(self) -> QRectF:
        # Markers overhang their point by ICON_SIZE/2 pixels: at most this in scene
        # units at the lowest zoom; the exposed rect culls the rest.
        if self._rect.isNull() and not self._markers:
            return QRectF()
        return self._rect.adjusted(-2000, -2000, 2000, 2000)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t = painter.worldTransform()
        sx, sy, dx, dy = t.m11(), t.m22(), t.dx(), t.dy()
        exposed = option.exposedRect
        margin = ICON_SIZE / max(sx, 1e-12)
        area = exposed.adjusted(-margin, -margin, margin, margin)
        x0, y0, x1, y1 = area.left(), area.top(), area.right(), area.bottom()
        painter.save()
        painter.resetTransform()
        extras: list[tuple[Marker, QPointF]] = []
        draw, icon, is_extra, plain = painter.drawPixmap, self.icon, self.is_extra, self.PAINT_PLAIN
        for x, y, m in self.candidates():
            if x0 <= x <= x1 and y0 <= y <= y1:
                px, py = round(x * sx + dx), round(y * sy + dy)
                if is_extra(m):
                    extras.append((m, QPointF(px, py)))
                elif plain:
                    pixmap = icon(m)
                    half = pixmap.width() // 2
                    draw(px - half, py - half, pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for m, at in extras:  # highlighted or pulsing ones, on top
            self.paint_extra(painter, m, at)
        painter.restore()
