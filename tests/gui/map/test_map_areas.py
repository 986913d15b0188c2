"""Partners' CAP areas on the map: a flood zone drawn in its priority colour, the view
fitted to it when its alert is selected, its cameras ranked first, ended alerts grey."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from csu_console.config.schema import SiteConfig
from csu_console.core.alerts import Alert, Category, IssuerState, Location, StoredAlert
from csu_console.core.geo import Area
from csu_console.core.ranking import cameras_for_alert, rank_cameras
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.map_follow import MapFollower
from csu_console.ui.map import MapAlert, MapPane
from csu_console.ui.map.area_layer import ENDED_COLOR, MapArea, area_brush, area_pen
from csu_console.ui.map.items import Z_ALERT, Z_CAMERA, Z_CONE, Z_ZONE
from csu_console.ui.map.overlays import AREA_MARGIN_PX, ENDED_LOOK, FOCUS_MAX_ZOOM
from csu_console.ui.map.projection import to_scene
from csu_console.ui.theme import priority_color

#: A flood zone along the quays, L-shaped: the south bank, then up the harbour side.
#: Its centre (the alert's position) is far from the three cameras inside it.
FLOOD_RING = (
    (24.9410, 60.1656),
    (24.9525, 60.1656),
    (24.9525, 60.1700),
    (24.9505, 60.1700),
    (24.9505, 60.1668),
    (24.9410, 60.1668),
    (24.9410, 60.1656),
)
FLOOD = Area(((FLOOD_RING,),))
#: A small flood area (a flooded underpass, ≈ 30 m across).
UNDERPASS = Area(
    (
        (
            (
                (24.94500, 60.16900),
                (24.94550, 60.16900),
                (24.94550, 60.16925),
                (24.94500, 60.16925),
                (24.94500, 60.16900),
            ),
        ),
    )
)


def centre(area: Area) -> Location:
    min_lon, min_lat, max_lon, max_lat = area.bbox
    return Location((min_lat + max_lat) / 2, (min_lon + max_lon) / 2, "Quais")


def flood_alert(make: Any, area: Area = FLOOD, priority: int = 2) -> Alert:
    return Alert(
        source="capteurs-crue@ville.example",
        id=f"crue-{time.monotonic_ns()}",
        sent=make.t0,
        category=Category.INONDATION,
        priority=priority,
        title="Crue : quais submergés",
        location=centre(area),
        fmt="cap",
        area=area,
    )


def projected_bbox(area: Area) -> QRectF:
    min_lon, min_lat, max_lon, max_lat = area.bbox
    top_left, bottom_right = to_scene(min_lon, max_lat), to_scene(max_lon, min_lat)
    return QRectF(top_left, bottom_right)


def close_rects(a: QRectF, b: QRectF, tol: float = 0.01) -> bool:
    return all(
        abs(x - y) <= tol
        for x, y in zip(
            (a.left(), a.top(), a.right(), a.bottom()),
            (b.left(), b.top(), b.right(), b.bottom()),
            strict=True,
        )
    )


def grab(pane: MapPane, qtbot: QtBot) -> QImage:
    view = pane.view
    qtbot.waitUntil(lambda: not view.basemap.pending, timeout=5000)
    return view.viewport().grab().toImage()


def distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


@pytest.fixture
def follower(
    qtbot: QtBot, pane: MapPane, demo_site: SiteConfig, tz: ZoneInfo
) -> Iterator[MapFollower]:
    model = AlertTableModel(tz)
    f = MapFollower(pane, model, demo_site.cameras, demo_site.zones)
    yield f
    f.stop()


def test_a_flood_polygon_is_drawn_in_its_priority_colour(pane: MapPane, qtbot: QtBot) -> None:
    view = pane.view
    view.center_on(24.9468, 60.1678, 16.5)
    before = grab(pane, qtbot)

    pane.overlays.set_alerts(
        [MapAlert("7", 24.94675, 60.1678, 2, label="Crue", area=FLOOD, token=0)]
    )

    assert pane.overlays.alert_areas() == ["7"]
    shape = pane.overlays.alert_area("7")
    assert close_rects(shape.path.boundingRect(), projected_bbox(FLOOD))
    assert shape.color == priority_color(2)
    layer = pane.overlays.area_layer
    assert view.basemap_item.zValue() < layer.zValue()  # over the basemap
    # Painted: inside the polygon the map is tinted towards the priority colour; outside
    # it is not.
    after = grab(pane, qtbot)
    inside = view.map_scene_to_viewport(to_scene(24.9460, 60.1662)).toPoint()
    outside = view.map_scene_to_viewport(to_scene(24.9460, 60.1690)).toPoint()
    orange = priority_color(2)
    tinted, plain = QColor(after.pixel(inside)), QColor(before.pixel(inside))
    assert distance(tinted, orange) < distance(plain, orange) - 20
    assert QColor(after.pixel(outside)) == QColor(before.pixel(outside))
    # The outline is solid in the priority colour: a pixel on the south edge is orange.
    edge = view.map_scene_to_viewport(to_scene(24.9460, 60.1656)).toPoint()
    assert any(
        distance(QColor(after.pixel(edge + QPoint(0, dy))), orange) < 60 for dy in (-1, 0, 1)
    )


def test_areas_are_layered_between_the_zones_and_the_markers(pane: MapPane) -> None:
    layer, selected = pane.overlays.area_layer, pane.overlays.selected_area
    assert Z_ZONE < layer.zValue() < selected.zValue() < Z_CONE < Z_CAMERA < Z_ALERT


def test_paths_are_built_once_per_content(pane: MapPane) -> None:
    layer = pane.overlays.area_layer
    areas = [MapArea(str(i), FLOOD, 1 + i % 4, token=0) for i in range(300)]
    pane.overlays.set_alerts([], areas)
    assert layer.paths_built == 300
    # The marks are refreshed twice a second: unchanged areas reuse their path.
    pane.overlays.set_alerts([], [replace(a, priority=1) for a in areas])
    assert layer.paths_built == 300
    assert {pane.overlays.alert_area(k).priority for k in layer.area_keys()} == {1}
    # An Update of alert 5 (version 1): only its path is built again.
    areas[5] = replace(areas[5], area=UNDERPASS, token=1)
    pane.overlays.set_alerts([], areas)
    assert layer.paths_built == 301
    assert close_rects(pane.overlays.alert_area("5").bounds, projected_bbox(UNDERPASS))


def test_hundreds_of_areas_do_not_slow_pan_and_zoom(pane: MapPane, qtbot: QtBot) -> None:
    """500 areas of 200 vertices over the city: only those in view are painted, small
    ones from a coarse outline, and a repaint after a zoom step stays short."""
    areas = []
    for i in range(500):
        clon, clat = 24.90 + (i % 25) * 0.004, 60.15 + (i // 25) * 0.002
        turn = [k * math.tau / 200 for k in range(201)]
        ring = tuple((clon + 0.001 * math.cos(t), clat + 0.0005 * math.sin(t)) for t in turn)
        areas.append(MapArea(str(i), Area(((ring,),)), 1 + i % 4, token=0))
    pane.overlays.set_alerts([], areas)
    view, layer = pane.view, pane.overlays.area_layer
    # Street level: a handful of areas in view, drawn in full.
    view.center_on(24.9468, 60.1678, 17.0)
    grab(pane, qtbot)
    drawn, coarse = layer.last_painted
    assert 0 < drawn <= 12 and coarse == 0
    # The whole city: every area in view, each a few dozen pixels wide, drawn coarse.
    view.center_on(24.95, 60.17, 13.0)
    grab(pane, qtbot)
    assert layer.last_painted == (500, 500)
    times = []
    for step in range(1, 7):  # zoom steps: the layer's cache is painted again each time
        view.set_zoom(13.0 + step * 0.5)
        t0 = time.perf_counter()
        view.viewport().repaint()
        times.append(time.perf_counter() - t0)
    times.sort()
    median = times[len(times) // 2]
    assert median < 0.15, f"a repaint after a zoom step took {median * 1000:.0f} ms"


def test_an_ended_alert_is_grey_and_dashed(pane: MapPane) -> None:
    pane.overlays.set_alerts([MapAlert("9", 24.9468, 60.1678, 1, ended=True)])
    marker = pane.overlays.alert_marker("9")
    assert marker.priority == ENDED_LOOK and not marker.pulsing
    assert pane.overlays.pulsing_alerts() == []
    pane.overlays.set_alerts([], [MapArea("9", FLOOD, 1, ended=True)])
    shape = pane.overlays.alert_area("9")
    assert shape.color == QColor(ENDED_COLOR)
    assert area_pen(shape.priority, shape.ended).style() == Qt.PenStyle.DashLine
    assert area_pen(1, False).style() == Qt.PenStyle.SolidLine


def test_selecting_a_flood_alert_fits_the_view_to_its_area(
    pane: MapPane, follower: MapFollower, make: Any
) -> None:
    view = pane.view
    view.center_on(24.92, 60.18, 13.0)  # elsewhere, zoomed out
    item = StoredAlert(pk=41, alert=flood_alert(make), received_at=make.t0)

    follower.on_alert_selected(item)

    viewport = QRectF(view.viewport().rect())
    shown = QRectF(
        view.map_scene_to_viewport(projected_bbox(FLOOD).topLeft()),
        view.map_scene_to_viewport(projected_bbox(FLOOD).bottomRight()),
    )
    assert viewport.contains(shown)  # the whole area is in view…
    # …and fills it: as wide or as tall as the view, less the margins.
    fill = max(
        shown.width() / (viewport.width() - 2 * AREA_MARGIN_PX),
        shown.height() / (viewport.height() - 2 * AREA_MARGIN_PX),
    )
    assert fill == pytest.approx(1.0, abs=0.03)
    assert abs(shown.center().x() - viewport.center().x()) < 60
    assert abs(shown.center().y() - viewport.center().y()) < 60
    selected = pane.overlays.selected_area
    assert selected.isVisible() and selected.key == "41"
    assert close_rects(selected.path().boundingRect(), projected_bbox(FLOOD))
    assert selected.pen().color() == priority_color(2)
    assert selected.pen().widthF() > 2.0  # emphasised
    assert pane.overlays.area_layer.opacity() < 1.0  # the other areas dimmed

    # A point alert next keeps today's behaviour: centred, the emphasis gone.
    point = StoredAlert(
        pk=42,
        alert=replace(flood_alert(make), area=None, location=Location(60.1706, 24.9433)),
        received_at=make.t0,
    )
    follower.on_alert_selected(point)
    assert not pane.overlays.selected_area.isVisible()
    assert pane.overlays.area_layer.opacity() == 1.0
    assert abs(view.zoom() - FOCUS_MAX_ZOOM) < 0.01 or view.zoom() >= 16.0


def test_a_small_map_pane_keeps_the_area_large(
    pane: MapPane, follower: MapFollower, make: Any
) -> None:
    """At 1366×768 the console's map pane is about 470×150 px: fixed 48-px margins
    would leave the area a third of the pane's height."""
    pane.resize(470, 190)
    view = pane.view
    item = StoredAlert(pk=46, alert=flood_alert(make), received_at=make.t0)
    follower.on_alert_selected(item)
    viewport = QRectF(view.viewport().rect())
    assert viewport.height() < 200
    shown = QRectF(
        view.map_scene_to_viewport(projected_bbox(FLOOD).topLeft()),
        view.map_scene_to_viewport(projected_bbox(FLOOD).bottomRight()),
    )
    assert viewport.contains(shown)
    assert shown.height() >= 0.75 * viewport.height()


def test_a_small_area_is_not_zoomed_past_a_point_alert(
    pane: MapPane, follower: MapFollower, make: Any
) -> None:
    item = StoredAlert(pk=43, alert=flood_alert(make, UNDERPASS), received_at=make.t0)
    follower.on_alert_selected(item)
    assert pane.view.zoom() == pytest.approx(FOCUS_MAX_ZOOM, abs=0.01)
    viewport = QRectF(pane.view.viewport().rect())
    assert viewport.contains(pane.view.map_scene_to_viewport(projected_bbox(UNDERPASS).center()))


def test_a_cancelled_alert_is_selected_grey(
    pane: MapPane, follower: MapFollower, make: Any
) -> None:
    item = StoredAlert(
        pk=44,
        alert=flood_alert(make, priority=1),
        received_at=make.t0,
        issuer_state=IssuerState.CANCELLED,
    )
    follower.on_alert_selected(item)
    selected = pane.overlays.selected_area
    assert selected.isVisible()
    assert selected.pen().color() == QColor(ENDED_COLOR)


def test_the_cameras_inside_a_flood_polygon_are_ranked_first(
    pane: MapPane, follower: MapFollower, demo_site: SiteConfig, make: Any
) -> None:
    inside = {c.id for c in demo_site.cameras if FLOOD.contains(c.lon, c.lat)}
    assert len(inside) == 3  # cam-03, cam-05, cam-06 on the quays
    alert = flood_alert(make)
    # The point ranking at the alert's position would show other cameras first.
    loc = alert.location
    assert loc is not None
    by_point = rank_cameras(demo_site.cameras, demo_site.zones, loc.lon, loc.lat, limit=3)
    assert {r.camera.id for r in by_point} != inside

    follower.on_alert_selected(StoredAlert(pk=45, alert=alert, received_at=make.t0))

    ranked = cameras_for_alert(alert, demo_site.cameras, demo_site.zones, limit=9)
    assert {r.camera.id for r in ranked[:3]} == inside
    highlighted = pane.overlays.highlighted_cameras()
    assert set(highlighted[:3]) == inside
    viewport = QRectF(pane.view.viewport().rect())
    for camera_id in inside:
        marker = pane.overlays.camera_item(camera_id)
        assert marker.rank is not None and marker.rank <= 3
        assert viewport.contains(pane.view.map_scene_to_viewport(marker.pos))


def test_the_focused_area_turns_grey_when_its_alert_is_cancelled(
    pane: MapPane, follower: MapFollower, make: Any
) -> None:
    """Seen in the demo: the map had followed a new flood by itself; its Cancel came
    and the row said ANNULÉE, but the emphasised area stayed in its priority colour."""
    live = StoredAlert(pk=45, alert=flood_alert(make, priority=1), received_at=make.t0)
    follower.focus(live)
    selected = pane.overlays.selected_area
    assert selected.pen().color() != QColor(ENDED_COLOR)
    pane.overlays.set_alerts([], [MapArea("45", FLOOD, 1, ended=True)])
    assert selected.isVisible() and selected.pen().color() == QColor(ENDED_COLOR)
    assert selected.pen().style() == Qt.PenStyle.DashLine


def test_a_silent_exercise_does_not_pull_the_map_from_the_alert_that_rings(
    qtbot: QtBot, pane: MapPane, follower: MapFollower, make: Any
) -> None:
    """Seen at 1366×768: a forest-fire exercise came just after a flood; the banner and
    the wall followed the flood (the exercise does not ring), the map the exercise."""
    from csu_console.core.cap_facts import CapFacts, MsgType, Status
    from csu_console.core.intake import Outcome

    flood = StoredAlert(pk=60, alert=flood_alert(make, priority=1), received_at=make.t0)
    drill = replace(
        flood_alert(make, priority=1),
        category=Category.FEU_DE_FORET,
        cap=CapFacts(msg_type=MsgType.ALERT, status=Status.EXERCISE),
    )
    exercise = StoredAlert(pk=61, alert=drill, received_at=make.t0)  # newer: first otherwise
    follower.on_frames_committed(
        [Outcome(1, "stored", "a", flood), Outcome(2, "stored", "b", exercise)]
    )
    selected = pane.overlays.selected_area
    qtbot.waitUntil(lambda: selected.key is not None, timeout=5000)
    assert selected.key == "60"
    follower.ring_exercises = True  # a site where exercises ring: they lead like others
    follower.on_frames_committed([Outcome(3, "stored", "c", replace(exercise, pk=62))])
    qtbot.waitUntil(lambda: selected.key == "62", timeout=5000)


def test_an_exercise_area_is_hatched_never_drawn_like_a_real_one(
    pane: MapPane, follower: MapFollower, make: Any
) -> None:
    """Seen in the demo: a forest-fire exercise's circle was as red and plain as a
    real urgent fire; its row said EXERCICE, the map did not."""
    from csu_console.core.cap_facts import CapFacts, MsgType, Status

    pane.overlays.set_alerts([], [MapArea("70", FLOOD, 1, exercise=True), MapArea("71", FLOOD, 1)])
    drill, real = pane.overlays.alert_area("70"), pane.overlays.alert_area("71")
    assert drill.exercise and not real.exercise
    assert area_brush(1, False, exercise=True).style() == Qt.BrushStyle.BDiagPattern
    assert area_pen(1, False, exercise=True).style() == Qt.PenStyle.DashDotLine
    assert area_brush(1, False).style() == Qt.BrushStyle.SolidPattern
    exercise = StoredAlert(
        pk=72,
        alert=replace(
            flood_alert(make, priority=1),
            cap=CapFacts(msg_type=MsgType.ALERT, status=Status.EXERCISE),
        ),
        received_at=make.t0,
    )
    follower.focus(exercise)
    selected = pane.overlays.selected_area
    assert selected.key == "72" and selected.brush().style() == Qt.BrushStyle.BDiagPattern
