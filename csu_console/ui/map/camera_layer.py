"""Cameras on the map: icon by kind, colour by health, rank badge when highlighted."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

from csu_console.config.schema import Camera
from csu_console.ui.map.basemap import StaticIcons
from csu_console.ui.map.items import HEALTH_COLORS, HEALTH_LABELS, HIGHLIGHT, Z_CAMERA, CameraHealth
from csu_console.ui.map.markers import Marker, MarkerLayer, bold_font, draw_icon
from csu_console.ui.map.projection import to_scene

RADIUS = 8.0


@dataclass
class CameraMarker(Marker):
    """A camera on the map; ``rank`` is set while it is highlighted."""

    name: str = ""
    kind: str = "fixe"
    health: CameraHealth = CameraHealth.UNKNOWN
    rank: int | None = None

    def refresh(self) -> None:
        """Recompute the look and the tooltip after a change of health."""
        self.look = (self.kind, self.health)
        self.tooltip = f"{self.name} — {HEALTH_LABELS[self.health]}"


def paint_camera(painter: QPainter, kind: str, health: CameraHealth) -> None:
    """A dome is a circle with a lens, a fixed camera a square; offline is crossed out."""
    painter.setPen(QPen(QColor("#ffffff"), 2.0))
    painter.setBrush(QColor(HEALTH_COLORS[health]))
    if kind == "dome":
        painter.drawEllipse(QPointF(0, 0), RADIUS, RADIUS)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(QPointF(0, 0), 2.5, 2.5)
    else:
        painter.drawRoundedRect(
            QRectF(-RADIUS + 1, -RADIUS + 1, 2 * RADIUS - 2, 2 * RADIUS - 2), 2, 2
        )
    if health is CameraHealth.OFFLINE:
        painter.setPen(QPen(QColor("#ffffff"), 2.0))
        painter.drawLine(QPointF(-3.5, -3.5), QPointF(3.5, 3.5))
        painter.drawLine(QPointF(-3.5, 3.5), QPointF(3.5, -3.5))


class CameraLayer(MarkerLayer):
    """Every camera of the site, in one item.

    The plain icons are painted into the basemap image (see :meth:`static_icons`):
    thousands of them would cost the GUI thread a frame budget. This item paints the
    highlighted cameras and answers hit tests for all.
    """

    PAINT_PLAIN = False

    def __init__(self) -> None:
        super().__init__(Z_CAMERA)
        self._badge_font = bold_font(9.5)
        self._ranked: list[tuple[float, float, Marker]] = []

    def set_cameras(self, cameras: Sequence[Camera]) -> None:
        """Show ``cameras`` (all with unknown health) instead of the previous ones."""
        markers = []
        for cam in cameras:
            marker = CameraMarker(
                cam.id, to_scene(cam.lon, cam.lat), None, "", {}, cam.name, cam.kind
            )
            marker.refresh()
            markers.append(marker)
        self.set_markers(markers)
        self._ranked = []

    def static_icons(self) -> tuple[StaticIcons, ...]:
        """One group of icons per look, for the basemap image."""
        groups: dict[tuple[str, CameraHealth], list[QPointF]] = {}
        for marker in self.markers():
            assert isinstance(marker, CameraMarker)
            groups.setdefault((marker.kind, marker.health), []).append(QPointF(marker.pos))
        return tuple(
            StaticIcons(functools.partial(paint_camera, kind=kind, health=health), tuple(points))
            for (kind, health), points in groups.items()
        )

    def camera(self, camera_id: str) -> CameraMarker:
        """One camera's marker (KeyError when unknown)."""
        marker = self.marker(camera_id)
        assert isinstance(marker, CameraMarker)
        return marker

    def draw_look(self, marker: Marker, look: Hashable) -> QPixmap:
        assert isinstance(marker, CameraMarker)
        return draw_icon(lambda p: paint_camera(p, marker.kind, marker.health), 12)

    def set_rank(self, camera_id: str, rank: int | None) -> None:
        """Highlight a camera with its rank (None: plain again)."""
        self.camera(camera_id).rank = rank
        self._ranked = [c for c in self._xy if isinstance(c[2], CameraMarker) and c[2].rank]
        self.update()

    def candidates(self) -> list[tuple[float, float, Marker]]:
        # Plain cameras are in the basemap image: only the highlighted ones are painted.
        return self._ranked

    def is_extra(self, marker: Marker) -> bool:
        return isinstance(marker, CameraMarker) and marker.rank is not None

    def paint_extra(self, painter: QPainter, marker: Marker, at: QPointF) -> None:
        assert isinstance(marker, CameraMarker)
        painter.save()
        painter.translate(at)
        painter.setPen(QPen(HIGHLIGHT, 3.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), RADIUS + 4, RADIUS + 4)
        paint_camera(painter, marker.kind, marker.health)
        center = QPointF(RADIUS + 7, -RADIUS - 7)
        painter.setPen(QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(HIGHLIGHT)
        painter.drawEllipse(center, 10.5, 10.5)
        painter.setFont(self._badge_font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(
            QRectF(center.x() - 11, center.y() - 11, 22, 22),
            Qt.AlignmentFlag.AlignCenter,
            str(marker.rank),
        )
        painter.restore()
