"""The map view: a ``QGraphicsView`` over a Web Mercator scene (north up).

Drag to pan, wheel to zoom around the cursor; :meth:`MapView.fit_site`,
:meth:`MapView.center_on` and :meth:`MapView.show_points` move the view for the
program. The scale bar, north arrow and attribution are painted in viewport pixels
over the scene. Overlays (zones, cameras, alerts) live in :mod:`.overlays`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QToolTip, QWidget

from csu_console.ui.map.basemap import BasemapGeometry, BasemapLayer, BasemapSource
from csu_console.ui.map.basemap_item import BasemapItem
from csu_console.ui.map.basemap_style import BACKGROUND
from csu_console.ui.map.decorations import paint_attribution, paint_north_arrow, paint_scale_bar
from csu_console.ui.map.projection import (
    MercatorBBox,
    bbox_to_scene,
    scale_for_zoom,
    scene_to_bbox,
    scene_to_lonlat,
    to_scene,
    zoom_for_scale,
)

Picker = Callable[[QPointF, float], tuple[str, str, str] | None]
"""Finds a marker at a scene point (given pixels per metre): (kind, key, tooltip)."""
ForegroundPainter = Callable[[QPainter, QRectF], None]
"""Paints over the map in viewport pixels (a layer's legend), given the viewport."""

MIN_ZOOM = 11.0
MAX_ZOOM = 20.0
#: Zoom steps per wheel notch (120 units of angle delta).
WHEEL_STEP = 0.5
#: Half the Web Mercator world, in metres: the scene covers it all, so any point
#: can be centred.
_WORLD = 20_037_508.342789244


class MapView(QGraphicsView):
    """A pannable, zoomable map; see the module docstring.

    ``camera_clicked(id)`` asks to show a camera; ``view_changed`` follows every pan,
    zoom and resize; ``basemap_updated`` tells that new basemap geometry is drawn.
    """

    camera_clicked = Signal(str)
    view_changed = Signal()
    basemap_updated = Signal()

    def __init__(self, basemap: BasemapSource | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(QRectF(-_WORLD, -_WORLD, 2 * _WORLD, 2 * _WORLD), self))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # The overlays are fixed in the viewport: scrolling pixels would smear them,
        # and with thousands of small items one full repaint beats region bookkeeping.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setBackgroundBrush(QBrush(QColor(BACKGROUND)))
        self.setMouseTracking(True)
        self._pickers: list[Picker] = []
        self._foreground: list[ForegroundPainter] = []
        self._stoppers: list[Callable[[], None]] = []

        self._basemap_item = BasemapItem()
        self.scene().addItem(self._basemap_item)
        self._basemap = BasemapLayer(basemap, self)
        self._basemap.geometry_ready.connect(self._on_basemap_geometry_ready)
        self.set_zoom(16.0)

    # -- state -----------------------------------------------------------------

    @property
    def basemap(self) -> BasemapLayer:
        """The basemap fetcher (its ``source`` is the map file)."""
        return self._basemap

    @property
    def basemap_item(self) -> BasemapItem:
        """The item painting the basemap."""
        return self._basemap_item

    def zoom(self) -> float:
        """The current web zoom level."""
        return zoom_for_scale(self.transform().m11())

    def visible_scene_rect(self) -> QRectF:
        """The scene rectangle the viewport shows."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def visible_bbox(self) -> MercatorBBox:
        """The visible rectangle in mercator metres."""
        return scene_to_bbox(self.visible_scene_rect())

    def center_scene(self) -> QPointF:
        """The scene point at the centre of the viewport."""
        return self.mapToScene(self.viewport().rect().center())

    # -- moving the view -------------------------------------------------------

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` (clamped) keeping the scene point under ``anchor`` fixed.

        ``anchor`` is in viewport pixels; None keeps the centre.
        """
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        vp_center = QRectF(self.viewport().rect()).center()
        anchor = anchor if anchor is not None else vp_center
        fixed = self.map_viewport_to_scene(anchor)
        scale = scale_for_zoom(zoom)
        self.setTransform(QTransform.fromScale(scale, scale))
        offset = (anchor - vp_center) / scale
        self.centerOn(fixed - offset)
        self._on_view_moved()

    def map_viewport_to_scene(self, point: QPointF) -> QPointF:
        """``mapToScene`` for a sub-pixel viewport point."""
        inverse, _invertible = self.viewportTransform().inverted()
        return inverse.map(point)

    def map_scene_to_viewport(self, point: QPointF) -> QPointF:
        """``mapFromScene`` without rounding to whole pixels."""
        return self.viewportTransform().map(point)

    def center_on(self, lon: float, lat: float, zoom: float | None = None) -> None:
        """Centre the view on (lon, lat), at ``zoom`` if given."""
        if zoom is not None:
            scale = scale_for_zoom(max(MIN_ZOOM, min(MAX_ZOOM, zoom)))
            self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(to_scene(lon, lat))
        self._on_view_moved()

    def fit_scene_rect(
        self,
        rect: QRectF,
        margin_px: float = 24.0,
        max_zoom: float = MAX_ZOOM,
        min_zoom: float = MIN_ZOOM,
    ) -> None:
        """Show ``rect`` (scene units) whole, ``margin_px`` from the edges, centred;
        never zoomed out past ``min_zoom`` (the edges of ``rect`` may then be off-view)."""
        vp = self.viewport().rect()
        avail_w = max(1.0, vp.width() - 2 * margin_px)
        avail_h = max(1.0, vp.height() - 2 * margin_px)
        w, h = max(rect.width(), 1e-6), max(rect.height(), 1e-6)
        zoom = zoom_for_scale(min(avail_w / w, avail_h / h))
        zoom = max(MIN_ZOOM, min_zoom, min(max_zoom, MAX_ZOOM, zoom))
        scale = scale_for_zoom(zoom)
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(rect.center())
        self._on_view_moved()

    def fit_site(self, bbox: MercatorBBox, margin_px: float = 24.0) -> None:
        """Show a mercator bbox (the site's or the map file's) whole."""
        self.fit_scene_rect(bbox_to_scene(bbox), margin_px)

    def show_points(
        self, points: Sequence[tuple[float, float]], margin: float = 60.0, max_zoom: float = 18.0
    ) -> None:
        """Show every (lon, lat) of ``points``, ``margin`` pixels inside the edges.

        One point is centred at ``max_zoom``; zooming never goes past ``max_zoom``.
        """
        if not points:
            return
        scene_points = [to_scene(lon, lat) for lon, lat in points]
        xs = [p.x() for p in scene_points]
        ys = [p.y() for p in scene_points]
        rect = QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))
        self.fit_scene_rect(rect, margin, max_zoom)

    # -- events ----------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120.0
        if notches:
            self.set_zoom(self.zoom() + notches * WHEEL_STEP, event.position())
        event.accept()

    def add_picker(self, picker: Picker) -> None:
        """Let clicks and tooltips find markers drawn in batches (cameras, alerts)."""
        self._pickers.append(picker)

    def add_foreground(self, paint: ForegroundPainter) -> None:
        """Let a layer paint in viewport pixels over the map (its legend): keep it
        cheap, it runs on every frame."""
        self._foreground.append(paint)

    def pick(self, viewport_pos: QPointF) -> tuple[str, str, str] | None:
        """(kind, key, tooltip) of the marker under a viewport point, or None."""
        scene_pos = self.map_viewport_to_scene(viewport_pos)
        for picker in self._pickers:
            hit = picker(scene_pos, self.transform().m11())
            if hit is not None:
                return hit
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self.pick(event.position())
            if hit is not None and hit[0] == "camera":
                self.camera_clicked.emit(hit[1])
                event.accept()
                return
        super().mousePressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.pick(QPointF(event.pos()))
            if hit is not None and hit[2]:
                QToolTip.showText(event.globalPos(), hit[2], self.viewport())
                return True
        return super().viewportEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._on_view_moved()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._on_view_moved()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def add_stopper(self, stop: Callable[[], None]) -> None:
        """Call ``stop`` from :meth:`shutdown` (a layer's own worker)."""
        self._stoppers.append(stop)

    def shutdown(self) -> None:
        """Stop the basemap worker and the layers' (waits for work under way)."""
        for stop in self._stoppers:
            stop()
        self._basemap.shutdown()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        viewport = QRectF(self.viewport().rect())
        _lon, lat = scene_to_lonlat(self.center_scene())
        painter.save()
        painter.resetTransform()
        paint_scale_bar(painter, viewport, self.transform().m11(), lat)
        paint_north_arrow(painter, viewport)
        paint_attribution(painter, viewport)
        for paint in self._foreground:
            paint(painter, viewport)
        painter.restore()

    # -- basemap ---------------------------------------------------------------

    def refresh_basemap(self) -> bool:
        """Ask for the visible rect's basemap now; False when what is drawn covers it."""
        scale = self.transform().m11()
        return self._basemap.request(self.visible_bbox(), math.floor(self.zoom() + 1e-9), scale)

    def _on_view_moved(self) -> None:
        if self.viewport().width() > 0:
            self.refresh_basemap()
        self.view_changed.emit()

    def _on_basemap_geometry_ready(self, geometry: BasemapGeometry) -> None:
        self._basemap_item.set_geometry(geometry)
        self.basemap_updated.emit()
