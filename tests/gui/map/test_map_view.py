"""The map view: wheel zoom around the cursor, clicks on cameras, the basemap query."""

from __future__ import annotations

import math
import threading
from collections import Counter

import pytest
from map_fakes import FakeFeature, GatedBasemap, SpyBasemap
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPainterPath, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from csu_console.config.schema import SiteConfig
from csu_console.mapdata.mapfile import Feature
from csu_console.ui.map import MapPane, MapView
from csu_console.ui.map.basemap import (
    CHUNK_ELEMENTS,
    PREFETCH,
    BasemapGeometry,
    BasemapLayer,
    build_geometry,
)
from csu_console.ui.map.basemap_file import ThreadedMapFile
from csu_console.ui.map.basemap_render import render_image
from csu_console.ui.map.basemap_style import BACKGROUND, STYLES, FeatureStyle
from csu_console.ui.map.projection import MercatorBBox, scale_for_zoom
from csu_console.ui.pacing import GuiLoad


def _wheel(view: MapView, pos: QPointF, notches: int) -> None:
    event = QWheelEvent(
        pos,
        QPointF(view.viewport().mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


@pytest.mark.parametrize(("pos", "notches"), [((300.0, 200.0), 1), ((820.5, 610.0), -2)])
def test_wheel_zoom_keeps_the_point_under_the_cursor(
    pane: MapPane, pos: tuple[float, float], notches: int
) -> None:
    view = pane.view
    cursor = QPointF(*pos)
    before = view.map_viewport_to_scene(cursor)
    zoom = view.zoom()
    _wheel(view, cursor, notches)
    assert view.zoom() == pytest.approx(zoom + notches * 0.5)
    after = view.map_scene_to_viewport(before)
    assert abs(after.x() - cursor.x()) <= 1.5
    assert abs(after.y() - cursor.y()) <= 1.5


def test_wheel_zoom_stops_at_the_limits(pane: MapPane) -> None:
    view = pane.view
    for _ in range(40):
        _wheel(view, QPointF(500, 300), 1)
    assert view.zoom() == pytest.approx(20.0)


def test_click_on_a_camera_asks_for_it(qtbot: QtBot, pane: MapPane, demo_site: SiteConfig) -> None:
    view = pane.view
    camera = demo_site.cameras[1]
    view.center_on(camera.lon, camera.lat, 18.0)
    at = view.mapFromScene(pane.overlays.camera_item(camera.id).pos)
    with qtbot.waitSignal(view.camera_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert blocker.args == [camera.id]


def test_click_beside_the_cameras_asks_for_nothing(
    qtbot: QtBot, pane: MapPane, demo_site: SiteConfig
) -> None:
    view = pane.view
    camera = demo_site.cameras[1]
    view.center_on(camera.lon, camera.lat, 19.0)
    at = view.mapFromScene(pane.overlays.camera_item(camera.id).pos) + QPoint(0, 120)
    with qtbot.assertNotEmitted(view.camera_clicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_basemap_is_queried_for_the_visible_rect_at_the_current_zoom(
    qtbot: QtBot, pane: MapPane, spy_basemap: SpyBasemap, demo_site: SiteConfig
) -> None:
    view = pane.view
    camera = demo_site.cameras[0]
    with qtbot.waitSignal(view.basemap_updated, timeout=5000):
        view.center_on(camera.lon + 0.01, camera.lat, 17.3)
    (x0, y0, x1, y1), zoom = spy_basemap.last_query()
    vx0, vy0, vx1, vy1 = view.visible_bbox()
    assert zoom == math.floor(view.zoom()) == 17
    # The query covers the view, with at most PREFETCH of its size around it.
    dx, dy = (vx1 - vx0) * PREFETCH, (vy1 - vy0) * PREFETCH
    for got, want, slack in ((x0, vx0, dx), (y0, vy0, dy)):
        assert want - slack - 1 <= got <= want
    for got, want, slack in ((x1, vx1, dx), (y1, vy1, dy)):
        assert want <= got <= want + slack + 1
    assert view.basemap_item.geometry.feature_count == 6
    # Queried (and rendered) in the worker thread, never on the GUI thread.
    assert spy_basemap.threads
    assert threading.main_thread().name not in spy_basemap.threads


def test_a_small_pan_reuses_the_fetched_rect(
    qtbot: QtBot, pane: MapPane, spy_basemap: SpyBasemap
) -> None:
    view = pane.view
    qtbot.waitUntil(lambda: view.basemap_item.geometry.feature_count > 0, timeout=5000)
    count = len(spy_basemap.queries)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 10)
    assert len(spy_basemap.queries) == count


@pytest.mark.expected_logs("csu.ui.map")
def test_an_unreadable_map_file_is_reported_and_the_view_lives_on(
    qtbot: QtBot, demo_site: SiteConfig
) -> None:
    view = MapView(SpyBasemap(fail=True))
    qtbot.addWidget(view)
    view.resize(600, 400)
    with qtbot.waitSignal(view.basemap.query_failed, timeout=5000) as blocker:
        view.show()
        view.center_on(demo_site.cameras[0].lon, demo_site.cameras[0].lat, 16)
    assert "illisible" in blocker.args[0]
    view.shutdown()


def test_the_real_map_file_draws_streets(qtbot: QtBot, demo_mapfile: ThreadedMapFile) -> None:
    view = MapView(demo_mapfile)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.fit_site(demo_mapfile.bbox_mercator)
    qtbot.waitUntil(lambda: view.basemap_item.geometry.feature_count > 1000, timeout=5000)
    styles = {style.key for style, _path in view.basemap_item.geometry.paths}
    assert {"water", "building", "major", "minor"} <= styles
    view.viewport().repaint()
    view.shutdown()


def centre_view(
    mapfile: ThreadedMapFile, zoom: int, width_px: int, height_px: int
) -> tuple[float, MercatorBBox, list[Feature]]:
    """Scale, bbox and features of a ``width_px`` × ``height_px`` view of the map's centre."""
    x0, y0, x1, y1 = mapfile.bbox_mercator
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    scale = scale_for_zoom(zoom)
    w, h = width_px / 2 / scale, height_px / 2 / scale
    bbox = (cx - w, cy - h, cx + w, cy + h)
    return scale, bbox, mapfile.query(*bbox, zoom)


def test_the_basemap_comes_in_short_pieces_that_paint_the_same_picture(
    qtbot: QtBot, demo_mapfile: ThreadedMapFile
) -> None:
    """PySide keeps the GIL through a ``drawPath``: the worker draws short paths, so the
    GUI thread never waits long for it; the picture must not change for that."""
    zoom = 16
    scale, bbox, features = centre_view(demo_mapfile, zoom, 1400, 1000)
    geometry = build_geometry(features, bbox, zoom)

    whole: dict[FeatureStyle, QPainterPath] = {}
    for style, path in geometry.paths:
        if style not in whole:
            whole[style] = QPainterPath()
            whole[style].setFillRule(path.fillRule())
        whole[style].addPath(path)
    pieces = Counter(style for style, _path in geometry.paths)
    assert max(pieces.values()) > 1  # the big styles really are cut
    biggest_feature = max(len(f.coords) + len(f.rings or ()) for f in features)
    assert all(p.elementCount() <= CHUNK_ELEMENTS + biggest_feature for _s, p in geometry.paths)
    # Nothing lost: the pieces of a style hold every element of that style.
    per_style = Counter()
    for style, path in geometry.paths:
        per_style[style] += path.elementCount()
    assert per_style == Counter({s: p.elementCount() for s, p in whole.items()})

    in_pieces = render_image(geometry, scale)
    one_path = render_image(
        BasemapGeometry(
            [(s, whole[s]) for s in STYLES if s in whole],
            geometry.labels,
            bbox,
            zoom,
            len(features),
        ),
        scale,
    )
    assert in_pieces.size() == one_path.size()
    a = in_pieces.constBits().tobytes()
    b = one_path.constBits().tobytes()
    differing = sum(1 for i in range(0, len(a), 4) if a[i : i + 4] != b[i : i + 4])
    # Only antialiased edges where two pieces overlap may blend a shade differently.
    assert differing / (len(a) // 4) < 0.01


def test_overlapping_areas_are_filled_and_holes_stay_holes(qtbot: QtBot) -> None:
    """Two parks that overlap (in one path) and a pond with an island, whichever way
    their rings turn."""
    scale = scale_for_zoom(16)
    bbox = (0.0, 0.0, 400 / scale, 400 / scale)  # 400 × 400 pixels

    def square(x: float, y: float, side: float, clockwise: bool) -> list[tuple[float, float]]:
        ring = [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]
        return [(px / scale, py / scale) for px, py in (ring[::-1] if clockwise else ring)]

    park_a = square(20, 20, 160, clockwise=False)
    park_b = square(100, 100, 160, clockwise=False)
    pond, island = square(220, 220, 160, clockwise=True), square(270, 270, 60, clockwise=True)
    features = [
        FakeFeature("park", "park", None, "polygon", tuple(park_a), (4,)),
        FakeFeature("park", "park", None, "polygon", tuple(park_b), (4,)),
        FakeFeature("water", "water", None, "polygon", tuple(pond + island), (4, 4)),
    ]
    geometry = build_geometry(features, bbox, 16)
    image = render_image(geometry, scale)

    def colour(px: int, py: int) -> str:
        # Scene y grows southwards: mercator y = 0 is the image's bottom edge.
        return image.pixelColor(px, image.height() - 1 - py).name()

    park = next(s for s, _p in geometry.paths if s.key == "park").fill
    water = next(s for s, _p in geometry.paths if s.key == "water").fill
    assert colour(140, 140) == park  # where the two parks overlap
    assert colour(60, 60) == park and colour(220, 200) == park
    assert colour(350, 240) == water and colour(240, 350) == water
    assert colour(300, 300) == BACKGROUND  # the island


def test_in_a_storm_the_worker_gives_way_between_pieces_and_draws_the_same_picture(
    qtbot: QtBot, demo_mapfile: ThreadedMapFile
) -> None:
    """While the GUI is flooded the basemap worker pauses between its pieces (sleeping
    without the GIL); the pauses change when the picture comes, never what it shows."""
    zoom = 17
    scale, bbox, features = centre_view(demo_mapfile, zoom, 1000, 800)
    calm = render_image(build_geometry(features, bbox, zoom), scale)

    load = GuiLoad(hold_s=60.0)
    load.mark_flooded()
    pause = load.pacer()
    calls = 0

    def counted() -> None:
        nonlocal calls
        calls += 1
        pause()

    geometry = build_geometry(features, bbox, zoom, counted)
    flooded = render_image(geometry, scale, counted)
    assert calls > len(geometry.paths)  # a pause point after every drawn piece, and more
    assert load.paused_s > 0
    assert flooded.constBits().tobytes() == calm.constBits().tobytes()


def test_a_newer_request_replaces_one_still_waiting_for_the_worker(qtbot: QtBot) -> None:
    """Newest wins: a request queued behind a running one is dropped when another
    comes (in a storm the map moves on before the worker gets to it)."""
    source = GatedBasemap()
    layer = BasemapLayer(source)
    scale = scale_for_zoom(16)
    x0, y0, _x1, _y1 = source.bbox_mercator
    boxes = [(x0 + i * 1000, y0, x0 + i * 1000 + 500, y0 + 500) for i in range(3)]
    drawn: list[BasemapGeometry] = []
    layer.geometry_ready.connect(drawn.append)
    try:
        assert layer.request(boxes[0], 16, scale)
        assert source.first_started.wait(5)  # the first one runs (and waits at the gate)
        assert layer.request(boxes[1], 16, scale)  # queued
        assert layer.request(boxes[2], 16, scale)  # replaces it
        source.gate.set()
        qtbot.waitUntil(lambda: not layer.pending, timeout=5000)
    finally:
        source.gate.set()
        layer.shutdown()
    # The running job finished; the queued one never ran; the newest is what is drawn.
    centres = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b, _zoom in source.queries]
    assert centres == [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in (boxes[0], boxes[2])]
    assert drawn and drawn[-1].bbox == source.queries[-1][0]
