"""Zones on the setup map: one zoning shown at a time, the selected zone with a
handle on every vertex (drag to move it), and the sketch of a zone being drawn."""

from __future__ import annotations

import functools

from PySide6.QtCore import QObject, QPointF, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene

from csu_console.config.schema import Zone
from csu_console.core.geo import Area, Position
from csu_console.ui.map.items import HaloLabel, area_path
from csu_console.ui.map.overlays import ZONING_COLORS
from csu_console.ui.map.projection import scene_to_lonlat, to_scene
from csu_console.ui.setup.handles import Handle, Shape
from csu_console.ui.setup.model import SetupModel

Z_SETUP_ZONE, Z_SETUP_SKETCH = 2, 55


def moved_vertex(area: Area, poly: int, ring: int, vertex: int, pos: Position) -> Area:
    """``area`` with one vertex moved (the ring stays closed)."""
    polygons = [list(p) for p in area.polygons]
    positions = list(polygons[poly][ring])
    positions[vertex] = pos
    if vertex == 0:
        positions[-1] = pos
    polygons[poly][ring] = tuple(positions)
    return Area(tuple(tuple(p) for p in polygons))


def closed_ring(points: list[Position]) -> tuple[Position, ...]:
    """The clicked points as a GeoJSON ring (first point repeated at the end)."""
    return (*points, points[0])


class ZoneOverlay(QObject):
    """The zones of the shown zoning, in step with the model."""

    def __init__(self, scene: QGraphicsScene, model: SetupModel) -> None:
        super().__init__(scene)
        self._scene, self._model = scene, model
        self.paths: dict[str, QGraphicsPathItem] = {}
        self._labels: dict[str, HaloLabel] = {}
        self.vertex_handles: list[Handle] = []
        self._colors: dict[str, QColor] = {}
        model.zones_changed.connect(self._rebuild)
        model.zone_changed.connect(self._on_model_zone_changed)
        model.selection_changed.connect(self._on_model_selection_changed)
        model.shown_zoning_changed.connect(self._on_model_shown_zoning_changed)
        self._rebuild()

    def color(self, zoning: str) -> QColor:
        """The zoning's colour (same order as the console's map)."""
        if zoning not in self._colors:
            self._colors[zoning] = QColor(ZONING_COLORS[len(self._colors) % len(ZONING_COLORS)])
        return QColor(self._colors[zoning])

    @Slot(str)
    def _on_model_shown_zoning_changed(self, _zoning: str = "") -> None:
        """Show only the zones of the model's shown zoning."""
        for zone in self._model.zones:
            visible = zone.zoning == self._model.shown_zoning
            self.paths[zone.id].setVisible(visible)
            self._labels[zone.id].setVisible(visible)
        self._update_handles()

    @Slot()
    def _rebuild(self) -> None:
        for item in (*self.paths.values(), *self._labels.values()):
            self._scene.removeItem(item)
        self.paths, self._labels = {}, {}
        for zone in self._model.zones:
            self.color(zone.zoning)
        for zone in self._model.zones:
            item = QGraphicsPathItem()
            item.setZValue(Z_SETUP_ZONE)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self._scene.addItem(item)
            self.paths[zone.id] = item
            label = HaloLabel(zone.name, self.color(zone.zoning))
            label.setZValue(Z_SETUP_ZONE + 1)
            self._scene.addItem(label)
            self._labels[zone.id] = label
            self._draw(zone)
        self._on_model_shown_zoning_changed()

    def _draw(self, zone: Zone) -> None:
        selected = zone.id == self._model.selected_zone
        color = self.color(zone.zoning)
        fill = QColor(color)
        fill.setAlpha(55 if selected else 22)
        pen = QPen(color, 4.0 if selected else 2.0)
        pen.setCosmetic(True)
        item = self.paths[zone.id]
        item.setPath(area_path(zone.area))
        item.setPen(pen)
        item.setBrush(QBrush(fill))
        item.setToolTip(f"{zone.name} ({zone.commune})" if zone.commune else zone.name)
        min_lon, min_lat, max_lon, max_lat = zone.area.bbox
        self._labels[zone.id].setPos(to_scene((min_lon + max_lon) / 2, (min_lat + max_lat) / 2))

    @Slot(str)
    def _on_model_zone_changed(self, zone_id: str) -> None:
        zone = self._model.zone(zone_id)
        if zone is None or zone_id not in self.paths:
            return
        self._draw(zone)
        if zone_id == self._model.selected_zone:
            self._move_handles(zone)

    @Slot()
    def _on_model_selection_changed(self) -> None:
        for zone in self._model.zones:
            if zone.id in self.paths:
                self._draw(zone)
        self._update_handles()

    # -- vertex handles ---------------------------------------------------------

    def _update_handles(self) -> None:
        if any(h.dragging for h in self.vertex_handles):
            return
        for handle in self.vertex_handles:
            self._scene.removeItem(handle)
        self.vertex_handles = []
        zone = self._model.zone(self._model.selected_zone or "")
        if zone is None or zone.zoning != self._model.shown_zoning:
            return
        color = self.color(zone.zoning).name()
        for p, polygon in enumerate(zone.area.polygons):
            for r, ring in enumerate(polygon):
                for v in range(len(ring) - 1):  # the last repeats the first
                    handle = Handle(color, Shape.SQUARE, "Sommet : glisser pour déplacer")
                    handle.vertex = (p, r, v)  # type: ignore[attr-defined]
                    handle.on_press = self._model.checkpoint
                    handle.on_drag = functools.partial(self._drag, (zone.id, p, r, v))
                    self._scene.addItem(handle)
                    self.vertex_handles.append(handle)
        self._move_handles(zone)

    def _move_handles(self, zone: Zone) -> None:
        for handle in self.vertex_handles:
            p, r, v = handle.vertex  # type: ignore[attr-defined]
            ring = zone.area.polygons[p][r]
            if v < len(ring):
                handle.setPos(to_scene(*ring[v]))

    def _drag(self, key: tuple[str, int, int, int], pos: QPointF) -> None:
        zone_id, p, r, v = key
        zone = self._model.zone(zone_id)
        if zone is None:
            return
        area = moved_vertex(zone.area, p, r, v, scene_to_lonlat(pos))
        self._model.update_zone(zone_id, undoable=False, area=area)


class Sketch(QGraphicsPathItem):
    """The zone (or hole) being drawn: the clicked points and a line to the pointer."""

    def __init__(self, scene: QGraphicsScene) -> None:
        super().__init__()
        self.setZValue(Z_SETUP_SKETCH)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        pen = QPen(QColor("#d81b60"), 3.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.setPen(pen)
        fill = QColor("#d81b60")
        fill.setAlpha(30)
        self.setBrush(QBrush(fill))
        self.points: list[Position] = []
        scene.addItem(self)

    def add(self, pos: QPointF) -> None:
        self.points.append(scene_to_lonlat(pos))
        self.follow(pos)

    def follow(self, pointer: QPointF | None) -> None:
        """Redraw with the rubber line to ``pointer``."""
        pts = [to_scene(*p) for p in self.points]
        if pointer is not None and pts:
            pts.append(pointer)
        path = QPainterPath()
        if pts:
            path.addPolygon(QPolygonF(pts))
        self.setPath(path)
