"""The areas of partners' CAP alerts on the map: shapes in the priority colour.

A flood zone, a forest-fire perimeter, a storm's communes: :class:`AreaLayer` paints
every open alert's area as a translucent fill with a solid outline, above the
basemap and the zones, below the fields of view, the cameras and the alert discs.
An alert cancelled by its issuer or expired is drawn grey and dashed: it is still
there, it no longer calls for anything.

Hundreds of areas must not slow a pan or a zoom:

- each alert's path is built once per content (its pk and CAP version) and kept
  (:meth:`AreaLayer.set_areas` reuses it on the next refresh of the marks);
- :meth:`AreaLayer.paint` draws only the shapes whose bounds meet the part of the
  view being painted, grouped by look (one pen and brush change per look, not per
  shape); a shape smaller than :data:`COARSE_BELOW_PX` on screen is drawn from a
  coarse copy of its outline (at most :data:`COARSE_VERTICES` points a ring): a
  200-vertex polygon a few dozen pixels wide looks the same with 24;
- the layer keeps a device-coordinate cache, like the alert discs: a pan scrolls
  pixels and paints the strip uncovered, and only a zoom paints it all again.

The selected alert's area is emphasised by :class:`SelectedArea`, an item of its own
above the layer, so that a change of selection repaints no other shape.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from csu_console.core.geo import Area
from csu_console.ui.map.items import Z_AREA, area_path
from csu_console.ui.map.projection import to_scene
from csu_console.ui.theme import priority_color

#: Grey of an area whose alert was cancelled by its issuer or has expired.
ENDED_COLOR = "#8a959c"
#: Fill opacity (0..255): enough to tint the streets, not to hide their names.
FILL_ALPHA = 34  # several overlapping areas must not hide the map
ENDED_FILL_ALPHA = 22
SELECTED_FILL_ALPHA = 40  # over the layer's own fill of the same shape
OUTLINE_PX = 2.0
SELECTED_OUTLINE_PX = 4.0
#: Shapes smaller than this on screen (their larger side, in pixels) are drawn coarse.
COARSE_BELOW_PX = 120.0
COARSE_VERTICES = 24


@dataclass(frozen=True)
class MapArea:
    """An alert's area to draw: ``token`` changes when its content does (a CAP
    Update): the path is built again only then."""

    key: str
    area: Area
    priority: int
    ended: bool = False  # cancelled by its issuer, or expired: grey and dashed
    token: Hashable = 0
    label: str = ""
    exercise: bool = False  # an issuer's exercise: hatched, never mistaken for real


@dataclass(frozen=True)
class AreaShape:
    """A drawn area: its scene path (built once), a coarse copy, bounds and look."""

    key: str
    path: QPainterPath
    bounds: QRectF
    priority: int
    ended: bool
    label: str = ""
    coarse: QPainterPath | None = None  # drawn when the shape is small on screen
    exercise: bool = False

    @property
    def color(self) -> QColor:
        """The outline's colour: the priority's, grey once the alert has ended."""
        return area_color(self.priority, self.ended)


def coarse_path(area: Area, vertices: int = COARSE_VERTICES) -> QPainterPath | None:
    """``area`` with at most ``vertices`` points a ring (every n-th), or None when it
    has no ring longer than that (its own path is as cheap)."""
    longest = max((len(ring) for polygon in area.polygons for ring in polygon), default=0)
    if longest <= vertices + 1:
        return None
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for polygon in area.polygons:
        for ring in polygon:
            step = max(1, -(-len(ring) // vertices))
            points = [to_scene(lon, lat) for lon, lat in ring[::step]]
            if len(points) >= 3:
                path.addPolygon(QPolygonF(points))
                path.closeSubpath()
    return path


def area_color(priority: int, ended: bool = False) -> QColor:
    """The colour of an area: its priority's, or grey for an ended alert."""
    return QColor(ENDED_COLOR) if ended else priority_color(priority)


def area_pen(priority: int, ended: bool, width: float = OUTLINE_PX, exercise: bool = False) -> QPen:
    """The outline: solid in the priority colour, dashed grey once ended, dash-dotted
    for an exercise (cosmetic)."""
    pen = QPen(area_color(priority, ended), width)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if ended:
        pen.setStyle(Qt.PenStyle.DashLine)
    elif exercise:
        pen.setStyle(Qt.PenStyle.DashDotLine)
    return pen


def area_brush(
    priority: int, ended: bool, alpha: int | None = None, exercise: bool = False
) -> QBrush:
    """The translucent fill; an exercise's is hatched: at a glance, not a real event."""
    fill = area_color(priority, ended)
    fill.setAlpha(alpha if alpha is not None else (ENDED_FILL_ALPHA if ended else FILL_ALPHA))
    if exercise and not ended:
        fill.setAlpha(min(255, 2 * fill.alpha()))
        return QBrush(fill, Qt.BrushStyle.BDiagPattern)
    return QBrush(fill)


_Built = tuple[Hashable, QPainterPath, QRectF, QPainterPath | None]
"""A built area: (token, path, bounds, coarse path)."""


class AreaLayer(QGraphicsItem):
    """Every alert area, in one cached item (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_AREA)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._paths: dict[str, _Built] = {}
        self._shapes: dict[str, AreaShape] = {}
        self._order: list[AreaShape] = []  # painting order: ended, then least urgent first
        self._rect = QRectF()
        #: Paths built since the layer was made, and what the last paint drew (shapes,
        #: of which coarse): tests see the cache and the culling work.
        self.paths_built = 0
        self.last_painted = (0, 0)

    # -- content ---------------------------------------------------------------

    def set_areas(self, areas: Sequence[MapArea]) -> None:
        """Draw ``areas`` instead of the previous ones (paths of unchanged ones reused)."""
        paths: dict[str, _Built] = {}
        shapes: dict[str, AreaShape] = {}
        for a in areas:
            cached = self._paths.get(a.key)
            if cached is None or cached[0] != a.token:
                path = area_path(a.area)
                cached = (a.token, path, path.boundingRect(), coarse_path(a.area))
                self.paths_built += 1
            paths[a.key] = cached
            _token, path, bounds, coarse = cached
            shapes[a.key] = AreaShape(
                a.key, path, bounds, a.priority, a.ended, a.label, coarse, a.exercise
            )
        if shapes == self._shapes:
            self._paths = paths
            return
        self.prepareGeometryChange()
        self._paths, self._shapes = paths, shapes
        self._order = sorted(shapes.values(), key=lambda s: (not s.ended, -s.priority, s.key))
        rect = QRectF()
        for shape in self._order:
            rect = rect.united(shape.bounds)
        self._rect = rect
        self.update()

    def shape_of(self, key: str) -> AreaShape:
        """The drawn area of an alert (KeyError when it has none on the map)."""
        return self._shapes[key]

    def area_keys(self) -> list[str]:
        """The alerts whose area is drawn."""
        return list(self._shapes)

    def cached_path(self, key: str, token: Hashable) -> QPainterPath | None:
        """The path already built for this content, if any (the selection reuses it)."""
        cached = self._paths.get(key)
        return cached[1] if cached is not None and cached[0] == token else None

    # -- QGraphicsItem ---------------------------------------------------------

    def boundingRect(self) -> QRectF:
        # Outlines overhang by a few pixels: a small margin in scene metres suffices
        # at street level and is negligible further out.
        return self._rect.adjusted(-20, -20, 20, 20) if self._order else QRectF()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        # Painting into the device cache, the exposed rect is the whole item: what is
        # painted is the cache pixmap, the visible part of the view.
        to_device = painter.worldTransform()
        inverse, invertible = to_device.inverted()
        visible = option.exposedRect
        device = painter.device()
        if invertible and device is not None:
            visible = visible.intersected(
                inverse.mapRect(QRectF(0, 0, device.width(), device.height()))
            )
        scale = max(abs(to_device.m11()), 1e-12)
        coarse_below = COARSE_BELOW_PX / scale
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        look: tuple[int, bool, bool] | None = None
        drawn = coarse = 0
        for shape in self._order:
            bounds = shape.bounds
            if not bounds.intersects(visible):
                continue
            drawn += 1
            if (shape.priority, shape.ended, shape.exercise) != look:
                look = (shape.priority, shape.ended, shape.exercise)
                painter.setPen(area_pen(shape.priority, shape.ended, exercise=shape.exercise))
                painter.setBrush(area_brush(shape.priority, shape.ended, exercise=shape.exercise))
            if shape.coarse is not None and max(bounds.width(), bounds.height()) < coarse_below:
                coarse += 1
                painter.drawPath(shape.coarse)
            else:
                painter.drawPath(shape.path)
        self.last_painted = (drawn, coarse)


class SelectedArea(QGraphicsPathItem):
    """The selected alert's area, emphasised: a thicker outline on a white casing."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_AREA + 1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.key: str | None = None
        self.priority, self.ended, self.exercise = 3, False, False
        self.setVisible(False)

    def show_area(
        self, key: str, path: QPainterPath, priority: int, ended: bool, exercise: bool = False
    ) -> None:
        """Emphasise ``path`` (an alert's area) in its look."""
        self.key, self.priority, self.ended, self.exercise = key, priority, ended, exercise
        self.setPath(path)
        self.setPen(area_pen(priority, ended, SELECTED_OUTLINE_PX, exercise))
        self.setBrush(area_brush(priority, ended, SELECTED_FILL_ALPHA, exercise))
        self.setVisible(True)

    def clear(self) -> None:
        """Nothing selected."""
        self.key = None
        self.setVisible(False)
        self.setPath(QPainterPath())

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        casing = QPen(QColor(255, 255, 255, 200), SELECTED_OUTLINE_PX + 3.0)
        casing.setCosmetic(True)
        casing.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(casing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        painter.drawPath(self.path())
