"""Cameras on the setup map: the body (drag to move), the live field of view, and
for the selected camera the heading, field-of-view and range handles.

Items are updated in place when the model says a camera changed: a drag under way
keeps its grabbed handle. Angles follow the pointer: the heading is the bearing
from the camera to the pointer, the field of view twice the angle between that
bearing and the heading, the range the distance to the pointer.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from csu_console.config.schema import Camera
from csu_console.core.geo import angle_diff_deg, bearing_deg, destination_point, haversine_m
from csu_console.ui.map.camera_layer import paint_camera
from csu_console.ui.map.items import HIGHLIGHT, CameraHealth, cone_path, paint_halo_text
from csu_console.ui.map.markers import bold_font
from csu_console.ui.map.projection import scene_to_lonlat, to_scene
from csu_console.ui.setup.handles import Handle, Shape
from csu_console.ui.setup.model import SetupModel

Z_SETUP_CONE, Z_SETUP_CAMERA = 12, 50
MIN_RANGE_M, MAX_RANGE_M = 5.0, 2000.0
MIN_FOV_DEG = 2.0
HEADING_KNOB_PX = 34.0  # the heading knob sits this far beyond the tip
HEADING_COLOR, FOV_COLOR, RANGE_COLOR = "#6a1b9a", "#ef6c00", "#00897b"


class CameraBody(Handle):
    """The camera's icon: click selects, drag moves; shows a rank during a test alert."""

    def __init__(self, camera: Camera) -> None:
        super().__init__("#455a64")
        self.setZValue(Z_SETUP_CAMERA)
        self.camera = camera
        self.selected = False
        self.rank: int | None = None
        self._font = bold_font(10.0)

    def boundingRect(self) -> QRectF:
        return QRectF(-70, -32, 140, 70)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.selected:
            painter.setPen(QPen(HIGHLIGHT, 3.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), 14, 14)
        health = CameraHealth.OK if self.selected else CameraHealth.UNKNOWN
        paint_camera(painter, self.camera.kind, health)
        paint_halo_text(painter, self.camera.id, self._font, QPointF(0, 24), QColor("#263238"))
        if self.rank is not None:
            center = QPointF(14, -16)
            painter.setPen(QPen(QColor("#ffffff"), 1.5))
            painter.setBrush(QBrush(QColor("#c62828")))
            painter.drawEllipse(center, 12, 12)
            painter.setFont(self._font)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(
                QRectF(center.x() - 12, center.y() - 12, 24, 24),
                Qt.AlignmentFlag.AlignCenter,
                str(self.rank),
            )


class CameraItems:
    """The items of one camera on the scene."""

    def __init__(self, scene: QGraphicsScene, camera: Camera, model: SetupModel) -> None:
        self.model = model
        self.camera_id = camera.id
        self.cone = QGraphicsPathItem()
        self.cone.setZValue(Z_SETUP_CONE)
        self.cone.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.body = CameraBody(camera)
        self.heading = Handle(HEADING_COLOR, Shape.CIRCLE, "Orientation", keep_grab=False)
        self.fov_left = Handle(FOV_COLOR, Shape.DIAMOND, "Angle de champ", keep_grab=False)
        self.fov_right = Handle(FOV_COLOR, Shape.DIAMOND, "Angle de champ", keep_grab=False)
        self.range = Handle(RANGE_COLOR, Shape.SQUARE, "Portée", keep_grab=False)
        for item in (self.cone, self.body, *self.handles()):
            scene.addItem(item)
        self.body.on_press = self._on_press
        self.body.on_click = lambda: model.select_camera(self.camera_id)
        self.body.on_drag = self._on_body_drag
        self.heading.on_press = self.fov_left.on_press = self._on_press
        self.fov_right.on_press = self.range.on_press = self._on_press
        self.heading.on_drag = self._on_heading_drag
        self.fov_left.on_drag = self.fov_right.on_drag = self._on_fov_drag
        self.range.on_drag = self._on_range_drag
        self.update(camera, False)

    def handles(self) -> tuple[Handle, ...]:
        return (self.heading, self.fov_left, self.fov_right, self.range)

    def remove(self) -> None:
        for item in (self.cone, self.body, *self.handles()):
            scene = item.scene()
            if scene is not None:
                scene.removeItem(item)

    def update(self, camera: Camera, selected: bool) -> None:
        """Redraw for ``camera`` (its field of view live during a drag)."""
        self.camera_id = camera.id
        self.body.camera = camera
        self.body.selected = selected
        self.body.setToolTip(f"{camera.id} — {camera.name}")
        self.body.setPos(to_scene(camera.lon, camera.lat))
        self.body.update()
        self.cone.setPath(
            cone_path(camera.lon, camera.lat, camera.heading_deg, camera.fov_deg, camera.range_m)
        )
        fill = QColor(HIGHLIGHT if selected else "#42a5f5")
        fill.setAlpha(80 if selected else 40)
        pen = QPen(QColor(HIGHLIGHT if selected else "#1e88e5"), 2.5 if selected else 1.2)
        pen.setCosmetic(True)
        self.cone.setPen(pen)
        self.cone.setBrush(QBrush(fill))
        h, half, r = camera.heading_deg, camera.fov_deg / 2.0, camera.range_m
        lon, lat = camera.lon, camera.lat
        self.range.setPos(to_scene(*destination_point(lon, lat, h, r)))
        self.heading.setPos(to_scene(*destination_point(lon, lat, h, r)))
        rad = math.radians(h)
        self.heading.set_offset_px(
            HEADING_KNOB_PX * math.sin(rad), -HEADING_KNOB_PX * math.cos(rad)
        )
        self.fov_left.setPos(to_scene(*destination_point(lon, lat, h - half, r)))
        self.fov_right.setPos(to_scene(*destination_point(lon, lat, h + half, r)))
        # A dome sees all around: no angle to set, but it still has a range.
        full = camera.fov_deg >= 360.0
        for handle in self.handles():
            handle.setVisible(selected and not (full and handle in (self.fov_left, self.fov_right)))

    # -- drags -----------------------------------------------------------------

    def _camera(self) -> Camera:
        cam = self.model.camera(self.camera_id)
        assert cam is not None
        return cam

    def _on_press(self) -> None:
        self.model.select_camera(self.camera_id)
        self.model.checkpoint()  # one undo step per drag

    def _on_body_drag(self, pos: QPointF) -> None:
        lon, lat = scene_to_lonlat(pos)
        self.model.update_camera(self.camera_id, undoable=False, lon=lon, lat=lat)

    def _on_heading_drag(self, pos: QPointF) -> None:
        cam = self._camera()
        lon, lat = scene_to_lonlat(pos)
        heading = round(bearing_deg(cam.lon, cam.lat, lon, lat), 1) % 360.0
        self.model.update_camera(self.camera_id, undoable=False, heading_deg=heading)

    def _on_fov_drag(self, pos: QPointF) -> None:
        cam = self._camera()
        lon, lat = scene_to_lonlat(pos)
        off = abs(angle_diff_deg(bearing_deg(cam.lon, cam.lat, lon, lat), cam.heading_deg))
        fov = round(max(MIN_FOV_DEG, min(360.0, 2.0 * off)), 1)
        self.model.update_camera(self.camera_id, undoable=False, fov_deg=fov)

    def _on_range_drag(self, pos: QPointF) -> None:
        cam = self._camera()
        lon, lat = scene_to_lonlat(pos)
        distance = haversine_m(cam.lon, cam.lat, lon, lat)
        range_m = round(max(MIN_RANGE_M, min(MAX_RANGE_M, distance)), 1)
        self.model.update_camera(self.camera_id, undoable=False, range_m=range_m)


class CameraOverlay(QObject):
    """Every camera of the model on the scene, kept in step with the model."""

    def __init__(self, scene: QGraphicsScene, model: SetupModel) -> None:
        super().__init__(scene)
        self._scene, self._model = scene, model
        self.items: dict[str, CameraItems] = {}
        model.cameras_changed.connect(self._on_model_cameras_changed)
        model.camera_changed.connect(self._on_model_camera_changed)
        model.selection_changed.connect(self._on_model_selection_changed)
        self._on_model_cameras_changed()

    def set_ranks(self, ranks: dict[str, int]) -> None:
        """Rank badges of a test alert (empty: none)."""
        for cam_id, items in self.items.items():
            items.body.rank = ranks.get(cam_id)
            items.body.update()

    @Slot()
    def _on_model_cameras_changed(self) -> None:
        ranks = {k: v.body.rank for k, v in self.items.items() if v.body.rank is not None}
        for items in self.items.values():
            items.remove()
        self.items = {}
        for cam in self._model.cameras:
            items = CameraItems(self._scene, cam, self._model)
            items.update(cam, cam.id == self._model.selected_camera)
            self.items[cam.id] = items
        self.set_ranks({k: v for k, v in ranks.items() if k in self.items})

    @Slot(str)
    def _on_model_camera_changed(self, camera_id: str) -> None:
        cam = self._model.camera(camera_id)
        items = self.items.get(camera_id)
        if cam is not None and items is not None:
            items.update(cam, camera_id == self._model.selected_camera)

    @Slot()
    def _on_model_selection_changed(self) -> None:
        for cam_id, items in self.items.items():
            cam = self._model.camera(cam_id)
            if cam is not None:
                items.update(cam, cam_id == self._model.selected_camera)
