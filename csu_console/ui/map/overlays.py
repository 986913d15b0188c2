"""What the operator looks for on the map: zones, cameras with their fields of view,
alerts; and the focus on one alert with the cameras that can see it.

:class:`MapOverlays` owns these items in a :class:`MapView`'s scene; it is fed with
the site configuration and the alerts, never reaches into other widgets.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QObject, QPointF, QRectF, QTimer
from PySide6.QtGui import QColor, QPainterPath

from csu_console.config.schema import Camera, Zone
from csu_console.core.geo import Area
from csu_console.core.ranking import RankedCamera
from csu_console.ui.map.alert_layer import (
    MAX_PULSING,
    AlertLayer,
    AlertMarker,
    PulseLayer,
    warm_discs,
)
from csu_console.ui.map.area_layer import AreaLayer, AreaShape, MapArea, SelectedArea
from csu_console.ui.map.basemap import StaticShape
from csu_console.ui.map.basemap_style import LABEL_MIN_ZOOM
from csu_console.ui.map.camera_layer import CameraLayer, CameraMarker
from csu_console.ui.map.items import (
    CONE_MIN_ZOOM,
    CameraHealth,
    ConeItem,
    FocusMarker,
    ZoneItem,
    area_path,
    cone_path,
)
from csu_console.ui.map.map_view import MapView
from csu_console.ui.map.projection import to_scene

#: One colour per zoning, in the order zonings first appear.
ZONING_COLORS = ("#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#283593")
#: A full pulse, and how often its clock is read: the view is repainted only when
#: the pulse reaches its next step (``alert_layer.PULSE_STEPS`` per period, ≈ 9 a
#: second), which leaves the GUI thread free under a storm of alerts.
PULSE_PERIOD_MS = 1400
PULSE_TICK_MS = 50
#: Alert discs drawn ahead per turn, and how often (≈ 0.2 ms each: 400 in ≈ 0.5 s).
WARM_BUDGET = 25
WARM_EVERY_MS = 20
#: Fields of view of cameras that are not highlighted.
CONE_FILL = "#2642a5f5"
CONE_OUTLINE = "#991e88e5"
#: Cameras fitted into view around a focused alert, besides those that see it.
FOCUS_TOP = 3
#: An alert is shown at street level at least: the basemap names its streets.
FOCUS_MIN_ZOOM = LABEL_MIN_ZOOM + 0.5
#: A point alert is shown at this zoom; an area is never shown closer than that.
FOCUS_MAX_ZOOM = 18.0
#: The other alerts' areas while one alert is focused: dimmed, the focused one reads.
AREA_DIMMED_OPACITY = 0.5
#: Pixels between a fitted area and the edges of the view (at most; a small map
#: pane, as at 1366×768, keeps a tenth of its smaller side, so the area stays large).
AREA_MARGIN_PX = 48.0
AREA_MARGIN_SHARE = 0.1


@dataclass(frozen=True)
class MapAlert:
    """An alert to mark: ``count`` > 1 for a group of reports shown as one marker."""

    key: str
    lon: float
    lat: float
    priority: int
    count: int = 1
    label: str = ""
    pulsing: bool = True
    #: A partner's CAP area, drawn as a shape in the priority colour.
    area: Area | None = None
    #: Cancelled by its issuer or expired: the area is drawn grey and dashed.
    ended: bool = False
    #: Changes with the area's content (a CAP Update): its path is built again.
    token: Hashable = 0


def area_margin(view: MapView) -> float:
    """The margin around a fitted area in ``view``: :data:`AREA_MARGIN_PX`, or less
    in a small view."""
    vp = view.viewport().rect()
    return min(AREA_MARGIN_PX, AREA_MARGIN_SHARE * min(vp.width(), vp.height()))


def map_area(a: MapAlert) -> MapArea | None:
    """The shape to draw for ``a``'s area, None when it has none."""
    if a.area is None:
        return None
    return MapArea(a.key, a.area, a.priority, a.ended, a.token, a.label)


#: The disc's look of an alert its issuer cancelled or that expired: grey (the
#: theme's colour for an unknown priority), it calls for nothing more.
ENDED_LOOK = 0


def alert_marker(a: MapAlert) -> AlertMarker:
    """The marker of ``a`` (plain Python and QPointF: may be made on any thread)."""
    priority = ENDED_LOOK if a.ended else a.priority
    pulsing = a.pulsing and not a.ended
    return AlertMarker(a.key, to_scene(a.lon, a.lat), a.label, priority, a.count, pulsing)


class MapOverlays(QObject):
    """Zones, cameras, fields of view and alerts on ``view``'s scene."""

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self._view = view
        self._scene = view.scene()
        self._zones: list[ZoneItem] = []
        self._zoning_colors: dict[str, QColor] = {}
        self._cameras = CameraLayer()
        self._scene.addItem(self._cameras)
        self._areas = AreaLayer()
        self._scene.addItem(self._areas)
        self._selected_area = SelectedArea()
        self._scene.addItem(self._selected_area)
        self._alerts = AlertLayer()
        self._scene.addItem(self._alerts)
        self._pulse = PulseLayer()
        self._scene.addItem(self._pulse)
        self._cone_paths: dict[str, QPainterPath] = {}
        self._cones: dict[str, ConeItem] = {}  # highlighted ones only
        self._focus = FocusMarker()
        self._focus.setVisible(False)
        self._scene.addItem(self._focus)
        self._highlighted: list[str] = []
        self._clock = QElapsedTimer()
        self._clock.start()
        self._pulse_timer = QTimer(self)
        self._pulse_timer.setInterval(PULSE_TICK_MS)
        self._pulse_timer.timeout.connect(self._on_pulse_timer_timeout)
        self._static_timer = QTimer(self)
        self._static_timer.setSingleShot(True)
        self._static_timer.setInterval(100)
        self._static_timer.timeout.connect(self._update_static_shapes)
        view.add_picker(self._pick_camera)
        view.add_picker(self._pick_alert)
        # The alert discs of every count, drawn ahead, a few per turn of the event loop.
        self._warm_timer = QTimer(self)
        self._warm_timer.setInterval(WARM_EVERY_MS)
        self._warm_timer.timeout.connect(self._warm_discs)
        self._warm_timer.start()

    # -- zones -----------------------------------------------------------------

    def set_zones(self, zones: Sequence[Zone], colours: Mapping[str, str] | None = None) -> None:
        """Draw ``zones`` (every zoning) instead of the previous ones; ``colours``: the
        declared zonings' (``site.toml``), else one of :data:`ZONING_COLORS` each."""
        for item in self._zones:
            self._scene.removeItem(item)
        self._zones = []
        for zone in zones:
            if zone.zoning not in self._zoning_colors:
                color = (colours or {}).get(zone.zoning) or ZONING_COLORS[
                    len(self._zoning_colors) % len(ZONING_COLORS)
                ]
                self._zoning_colors[zone.zoning] = QColor(color)
            index = list(self._zoning_colors).index(zone.zoning)
            item = ZoneItem(
                zone.id,
                zone.name,
                zone.zoning,
                zone.area,
                self._zoning_colors[zone.zoning],
                label_offset_px=index * 20.0,
            )
            self._scene.addItem(item)
            self._zones.append(item)
        self._update_static_shapes()

    def _update_static_shapes(self) -> None:
        fill, outline = QColor(CONE_FILL), QColor(CONE_OUTLINE)
        zones = [z.fill_shape() for z in self._zones if z.isVisible()]
        # Copies: the render thread draws these while the GUI thread copies the same
        # paths into highlighted cones; drawing fills a path's lazy caches.
        cones = [StaticShape(QPainterPath(p), fill, outline, CONE_MIN_ZOOM)
                 for p in self._cone_paths.values()]  # fmt: skip
        self._view.basemap.set_extras((*zones, *cones), self._cameras.static_icons())
        self._view.refresh_basemap()

    def zonings(self) -> list[str]:
        """The zonings drawn, in file order."""
        return list(dict.fromkeys(item.zoning for item in self._zones))

    def zone_items(self, zoning: str | None = None) -> list[ZoneItem]:
        """The zone items (of one zoning)."""
        return [z for z in self._zones if zoning is None or z.zoning == zoning]

    def set_zoning_visible(self, zoning: str, visible: bool) -> None:
        """Show or hide every zone of ``zoning``."""
        for item in self.zone_items(zoning):
            item.setVisible(visible)
        self._update_static_shapes()

    def zoning_color(self, zoning: str) -> QColor:
        """The colour of ``zoning``'s outlines (for the toolbar)."""
        return QColor(self._zoning_colors.get(zoning, QColor("#000000")))

    # -- cameras ---------------------------------------------------------------

    def set_cameras(self, cameras: Sequence[Camera]) -> None:
        """Draw ``cameras`` and their fields of view instead of the previous ones.

        The fields of view go into the basemap image (rendered off the GUI thread,
        from zoom ``CONE_MIN_ZOOM``); only the highlighted ones are scene items.
        """
        self.clear_focus()
        self._cameras.set_cameras(cameras)
        self._cone_paths = {
            c.id: cone_path(c.lon, c.lat, c.heading_deg, c.fov_deg, c.range_m) for c in cameras
        }
        self._update_static_shapes()

    def camera_item(self, camera_id: str) -> CameraMarker:
        """The marker of a camera (KeyError when unknown)."""
        return self._cameras.camera(camera_id)

    def cone_item(self, camera_id: str) -> ConeItem:
        """The highlighted field of view of a camera (KeyError when not highlighted)."""
        return self._cones[camera_id]

    def set_camera_health(self, camera_id: str, health: CameraHealth) -> None:
        """Recolour one camera; unknown ids are ignored (the config may have changed)."""
        try:
            marker = self._cameras.camera(camera_id)
        except KeyError:
            return
        if marker.health is not health:
            marker.health = health
            marker.refresh()
            self._static_timer.start()  # a burst of health changes: one new image

    def highlighted_cameras(self) -> list[str]:
        """Ids of the highlighted cameras, best rank first."""
        return list(self._highlighted)

    def _pick_camera(self, scene_pos: QPointF, scale: float) -> tuple[str, str, str] | None:
        marker = self._cameras.marker_at(scene_pos, scale)
        return None if marker is None else ("camera", marker.key, marker.tooltip)

    # -- alerts ----------------------------------------------------------------

    def set_alerts(
        self, alerts: Sequence[MapAlert], areas: Sequence[MapArea] | None = None
    ) -> None:
        """Mark ``alerts`` (replacing the previous markers) and draw the areas.

        Give them most urgent first: the first :data:`MAX_PULSING` pulsing ones pulse.
        The areas drawn are ``areas`` when given (an area without a position has no
        marker), else those of ``alerts`` (:meth:`set_alert_areas`).
        """
        self.set_alert_markers([alert_marker(a) for a in alerts])
        if areas is None:
            areas = [m for m in map(map_area, alerts) if m is not None]
        self.set_alert_areas(areas)

    def set_alert_areas(self, areas: Sequence[MapArea]) -> None:
        """Draw these alerts' areas (replacing the previous ones; paths are reused).

        The emphasised area follows its alert: cancelled or expired since it was
        focused, it turns grey there too; updated, it takes its new outline."""
        self._areas.set_areas(areas)
        selected = self._selected_area
        for a in areas:
            if a.key != selected.key:
                continue
            path = self._areas.cached_path(a.key, a.token) or area_path(a.area)
            look = (a.priority, a.ended, a.exercise)
            if look != (selected.priority, selected.ended, selected.exercise) or (
                path != selected.path()
            ):
                selected.show_area(a.key, path, *look)

    def alert_area(self, key: str) -> AreaShape:
        """The area drawn for an alert (KeyError when it has none on the map)."""
        return self._areas.shape_of(key)

    def alert_areas(self) -> list[str]:
        """The keys of the alerts whose area is drawn."""
        return self._areas.area_keys()

    @property
    def area_layer(self) -> AreaLayer:
        """The item painting every area."""
        return self._areas

    @property
    def selected_area(self) -> SelectedArea:
        """The emphasised area of the focused alert (hidden when none)."""
        return self._selected_area

    def set_alert_markers(self, markers: Sequence[AlertMarker]) -> None:
        """:meth:`set_alerts` with markers made beforehand (on a worker thread: a
        month's 20,000 points take a fraction of a second to build)."""
        self._alerts.set_markers(markers)
        pulsing = [m for m in markers if m.pulsing][:MAX_PULSING]
        self._pulse.set_markers(pulsing)
        if pulsing:
            self._pulse_timer.start()
        else:
            self._pulse_timer.stop()

    def set_alert_markers_visible(self, visible: bool) -> None:
        """Show or hide every alert marker (the review hides thousands of them under
        its heatmap); hidden markers answer no click nor tooltip."""
        self._alerts.setVisible(visible)
        self._pulse.setVisible(visible)

    def alert_markers_visible(self) -> bool:
        """Whether the alert markers are shown."""
        return self._alerts.isVisible()

    def alert_marker(self, key: str) -> AlertMarker:
        """The marker of an alert (KeyError when unknown)."""
        return self._alerts.alert(key)

    @property
    def pulse_phase(self) -> float:
        """Where the pulse of new alerts is, 0..1."""
        return self._pulse.phase

    def markers_of_alerts(self) -> list[str]:
        """The keys of every alert marked on the map."""
        return [m.key for m in self._alerts.markers()]

    def pulsing_alerts(self) -> list[str]:
        """The keys of the alerts whose marker pulses."""
        return [m.key for m in self._pulse.markers()]

    def _pick_alert(self, scene_pos: QPointF, scale: float) -> tuple[str, str, str] | None:
        if not self._alerts.isVisible():
            return None
        marker = self._alerts.marker_at(scene_pos, scale)
        return None if marker is None else ("alert", marker.key, marker.tooltip)

    @property
    def discs_warm(self) -> bool:
        """True once every alert disc is drawn (see :func:`alert_layer.warm_discs`)."""
        return not self._warm_timer.isActive()

    def _warm_discs(self) -> None:
        if warm_discs(WARM_BUDGET):
            self._warm_timer.stop()

    def _on_pulse_timer_timeout(self) -> None:
        pulse = self._pulse
        step = pulse.step()
        pulse.phase = (self._clock.elapsed() % PULSE_PERIOD_MS) / PULSE_PERIOD_MS
        if pulse.step() != step:  # nothing new to draw between two steps
            pulse.update()

    # -- focus -----------------------------------------------------------------

    def focus_alert(self, lon: float, lat: float, ranked: Sequence[RankedCamera[Camera]]) -> None:
        """Centre on (lon, lat) with the cameras that matter, and highlight those that see it.

        The cameras that see the point get their rank; the view fits the point, those
        cameras and the ``FOCUS_TOP`` best ranked ones.
        """
        self.clear_focus()
        self._focus.setPos(to_scene(lon, lat))
        self._focus.setVisible(True)
        shown: list[tuple[float, float]] = []
        for entry in ranked:
            path = self._cone_paths.get(entry.camera.id)
            if path is None:
                continue
            if entry.sees:
                self._cameras.set_rank(entry.camera.id, entry.rank)
                cone = self._cones[entry.camera.id] = ConeItem(path)
                cone.set_highlighted(True)
                self._scene.addItem(cone)
                self._highlighted.append(entry.camera.id)
            if entry.sees or entry.rank <= FOCUS_TOP:
                shown.append((entry.camera.lon, entry.camera.lat))
        self._cameras.update()
        self._center_keeping(lon, lat, shown)

    def focus_area(
        self,
        key: str,
        area: Area,
        priority: int,
        ranked: Sequence[RankedCamera[Camera]],
        *,
        ended: bool = False,
        token: Hashable = 0,
        bounds: QRectF | None = None,
        exercise: bool = False,
    ) -> None:
        """Show an alert's area, emphasised, with the cameras that see it highlighted.

        The view fits the area (:func:`area_margin` inside the edges) and those cameras,
        never closer than a point alert is shown (``FOCUS_MAX_ZOOM``): a small area
        stays readable in its streets. ``bounds`` (the site's extent), widened by half
        its size, clips what is fitted: a département-wide vigilance shows the site and
        its surroundings, not the département.
        """
        self.clear_focus()
        path = self._areas.cached_path(key, token) or area_path(area)
        self._selected_area.show_area(key, path, priority, ended, exercise)
        self._areas.setOpacity(AREA_DIMMED_OPACITY)
        rect = path.boundingRect()
        for entry in ranked:
            cone = self._cone_paths.get(entry.camera.id)
            if cone is None or not entry.sees:
                continue
            self._cameras.set_rank(entry.camera.id, entry.rank)
            item = self._cones[entry.camera.id] = ConeItem(cone)
            item.set_highlighted(True)
            self._scene.addItem(item)
            self._highlighted.append(entry.camera.id)
            at = to_scene(entry.camera.lon, entry.camera.lat)
            rect = rect.united(QRectF(at.x() - 1.0, at.y() - 1.0, 2.0, 2.0))  # not null
        self._cameras.update()
        if bounds is not None and not bounds.isEmpty():
            w, h = bounds.width() / 2, bounds.height() / 2
            clipped = rect.intersected(bounds.adjusted(-w, -h, w, h))
            if not clipped.isEmpty():
                rect = clipped
        self._view.fit_scene_rect(rect, area_margin(self._view), max_zoom=FOCUS_MAX_ZOOM)

    def _center_keeping(self, lon: float, lat: float, shown: list[tuple[float, float]]) -> None:
        # The alert itself at the centre (not the middle of the cameras' bbox), zoomed
        # out just enough for every camera to fit.
        view = self._view
        center = to_scene(lon, lat)
        if shown:
            points = [to_scene(x, y) for x, y in shown]
            half_w = max(abs(p.x() - center.x()) for p in points)
            half_h = max(abs(p.y() - center.y()) for p in points)
            rect = QRectF(center.x() - half_w, center.y() - half_h, 2 * half_w, 2 * half_h)
            # Never further out than street level: names stay readable; a camera
            # farther away stays off-view (it is ranked on the wall anyway).
            view.fit_scene_rect(rect, 70.0, max_zoom=FOCUS_MAX_ZOOM, min_zoom=FOCUS_MIN_ZOOM)
        else:
            view.center_on(lon, lat, FOCUS_MAX_ZOOM)

    def clear_focus(self) -> None:
        """Remove the reticle, the emphasised area and the highlights."""
        self._focus.setVisible(False)
        self._selected_area.clear()
        self._areas.setOpacity(1.0)
        for camera_id in self._highlighted:
            self._cameras.set_rank(camera_id, None)
        for cone in self._cones.values():
            self._scene.removeItem(cone)
        self._cones = {}
        self._highlighted = []
        self._cameras.update()
