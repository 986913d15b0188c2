"""The map view: wheel zoom around the cursor, clicks on cameras, the basemap query."""

from __future__ import annotations

import math
import threading

import pytest
from conftest import SpyBasemap
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from csu_console.config.schema import SiteConfig
from csu_console.ui.map import MapPane, MapView
from csu_console.ui.map.basemap import PREFETCH
from csu_console.ui.map.basemap_file import ThreadedMapFile


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
