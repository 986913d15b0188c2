"""Paint basemap geometry into an image, in the worker thread.

Antialiased strokes of thousands of streets cost hundreds of milliseconds on a
modest CPU: far too much for the GUI thread, harmless in the worker. The view then
only blits the image (and scales it while a zoom's new image is on its way).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from operator import itemgetter

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)

from csu_console.ui.map.basemap import BasemapGeometry
from csu_console.ui.map.basemap_style import (
    BACKGROUND,
    LABEL_COLOR,
    LABEL_HALO,
    LABEL_MIN_ZOOM,
    FeatureStyle,
)
from csu_console.ui.map.projection import bbox_to_scene, zoom_for_scale
from csu_console.ui.pacing import NO_PAUSE

#: Largest side of a basemap image, in pixels (a 4K screen plus the prefetch margin).
MAX_IMAGE_SIDE = 6000
#: Half the side of an icon sprite, in pixels.
ICON_HALF = 16


def _pen(color: str, width_px: float, dashed: bool = False) -> QPen:
    pen = QPen(QColor(color), width_px)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap if dashed else Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if dashed:
        pen.setDashPattern([3.0, 2.0])
    return pen


def _width_px(style: FeatureStyle, scale: float) -> float:
    return max(style.min_px, min(style.max_px, style.width_m * scale))


def render_image(
    geometry: BasemapGeometry, scale: float, pause: Callable[[], None] = NO_PAUSE
) -> QImage:
    """``geometry`` painted at ``scale`` device pixels per metre, covering its bbox.

    ``pause`` is called between drawing calls (see :class:`~csu_console.ui.pacing.GuiLoad`).
    """
    rect = bbox_to_scene(geometry.bbox)
    width = max(1, min(MAX_IMAGE_SIDE, round(rect.width() * scale)))
    height = max(1, min(MAX_IMAGE_SIDE, round(rect.height() * scale)))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(BACKGROUND))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(
        QTransform()
        .scale(width / rect.width(), height / rect.height())
        .translate(-rect.left(), -rect.top())
    )
    paint_tiles(painter, geometry, pause)
    paint_geometry(painter, geometry, scale, pause)
    painter.end()
    return image


def paint_tiles(
    painter: QPainter, geometry: BasemapGeometry, pause: Callable[[], None] = NO_PAUSE
) -> None:
    """Raster tiles at their Web Mercator place (under the vector layers and overlays)."""
    if not geometry.tiles:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    for tile_bbox, image in geometry.tiles:
        painter.drawImage(bbox_to_scene(tile_bbox), image)
        pause()
    painter.restore()


def paint_geometry(
    painter: QPainter,
    geometry: BasemapGeometry,
    scale: float,
    pause: Callable[[], None] = NO_PAUSE,
) -> None:
    """Areas, then road casings, then road fills, then names (at high zoom);
    ``pause`` between paths."""
    areas = [(s, p) for s, p in geometry.paths if s.fill is not None]
    # A style's pieces come together: all their fills, then all their outlines, as
    # one path would draw them.
    for style, group in itertools.groupby(areas, key=itemgetter(0)):
        paths = [p for _s, p in group]
        painter.setPen(QPen(Qt.PenStyle.NoPen))
        painter.setBrush(QBrush(QColor(style.fill)))
        for path in paths:
            painter.drawPath(path)
            pause()
        if style.stroke:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(_pen(style.stroke, 1.0))
            for path in paths:
                painter.drawPath(path)
                pause()
    painter.setBrush(Qt.BrushStyle.NoBrush)
    lines = [(s, p) for s, p in geometry.paths if s.fill is None]
    for style, path in lines:  # casings first, so crossings join cleanly
        if style.casing:
            painter.setPen(_pen(style.casing, _width_px(style, scale) + 2.0))
            painter.drawPath(path)
            pause()
    for style, path in lines:
        if style.stroke:
            # Antialiased dashes cost more than all the rest together (≈ 170 ms for the
            # footways of the demo at zoom 17); thin dashes look the same without.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, not style.dashed)
            painter.setPen(_pen(style.stroke, _width_px(style, scale), style.dashed))
            painter.drawPath(path)
            pause()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    zoom = zoom_for_scale(scale)
    for shape in geometry.extras:
        if zoom >= shape.min_zoom:
            pen = QPen(shape.outline, shape.width_px)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(shape.fill)
            painter.drawPath(shape.path)
    if geometry.labels and zoom >= LABEL_MIN_ZOOM:
        _paint_labels(painter, geometry, pause)
    _paint_icons(painter, geometry)


def _paint_icons(painter: QPainter, geometry: BasemapGeometry) -> None:
    transform = painter.worldTransform()
    device = painter.device()
    bounds = QRectF(
        -ICON_HALF, -ICON_HALF, device.width() + 2 * ICON_HALF, device.height() + 2 * ICON_HALF
    )
    painter.save()
    painter.resetTransform()
    for group in geometry.icons:
        sprite = QImage(2 * ICON_HALF, 2 * ICON_HALF, QImage.Format.Format_ARGB32_Premultiplied)
        sprite.fill(Qt.GlobalColor.transparent)
        sprite_painter = QPainter(sprite)
        sprite_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        sprite_painter.translate(ICON_HALF, ICON_HALF)
        group.paint(sprite_painter)
        sprite_painter.end()
        for point in group.points:
            at = transform.map(point)
            if bounds.contains(at):
                painter.drawImage(
                    QPointF(round(at.x()) - ICON_HALF, round(at.y()) - ICON_HALF), sprite
                )
    painter.restore()


def _paint_labels(painter: QPainter, geometry: BasemapGeometry, pause: Callable[[], None]) -> None:
    font = QFont()
    font.setPointSizeF(9.0)
    font.setItalic(True)
    metrics = QFontMetricsF(font)
    transform = painter.worldTransform()
    painter.save()
    painter.resetTransform()
    taken: list[QRectF] = []
    halo = QPen(QColor(LABEL_HALO), 3.0)
    halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    for label in geometry.labels:
        at = transform.map(label.at)
        width = metrics.horizontalAdvance(label.text)
        box = QRectF(at.x() - width / 2 - 4, at.y() - 10, width + 8, 20)
        if any(box.intersects(t) for t in taken):
            continue
        taken.append(box)
        path = QPainterPath()
        path.addText(QPointF(-width / 2, metrics.ascent() / 2 - 1), font, label.text)
        painter.save()
        painter.translate(at)
        painter.rotate(label.angle_deg)
        painter.strokePath(path, halo)
        painter.fillPath(path, QColor(LABEL_COLOR))
        painter.restore()
        pause()
    painter.restore()
