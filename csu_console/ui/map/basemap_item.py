"""The scene item that shows the basemap image a :class:`BasemapLayer` rendered."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from csu_console.ui.map.basemap import BasemapGeometry
from csu_console.ui.map.projection import bbox_to_scene

#: Basemap under every overlay.
BASEMAP_Z = -100.0


class BasemapItem(QGraphicsItem):
    """Blits the latest basemap image; scales it while a zoom's new image is rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(BASEMAP_Z)
        self.setAcceptedMouseButtons(self.acceptedMouseButtons().NoButton)
        self._geometry = BasemapGeometry()
        self._rect = QRectF()

    @property
    def geometry(self) -> BasemapGeometry:
        """What is shown now."""
        return self._geometry

    def set_geometry(self, geometry: BasemapGeometry) -> None:
        """Show ``geometry``'s image instead of the previous one."""
        self.prepareGeometryChange()
        self._geometry = geometry
        self._rect = bbox_to_scene(geometry.bbox) if geometry.image is not None else QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        image = self._geometry.image
        if image is None:
            return
        transform = painter.worldTransform()
        native = abs(transform.m11() * self._rect.width() - image.width()) < 0.5
        if native and transform.m12() == 0 and transform.m21() == 0:
            # Same scale as rendered: a plain blit at whole pixels, crisp and fast.
            top_left = transform.map(self._rect.topLeft())
            painter.save()
            painter.resetTransform()
            painter.drawImage(QPointF(round(top_left.x()), round(top_left.y())), image)
            painter.restore()
        else:
            painter.drawImage(self._rect, image)
