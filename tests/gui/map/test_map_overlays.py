"""Overlays: focus on an alert, zonings shown and hidden, alert markers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from csu_console.config.schema import SiteConfig
from csu_console.core.geo import destination_point
from csu_console.core.ranking import rank_cameras
from csu_console.ui.map import CameraHealth, MapAlert, MapPane, alert_layer
from csu_console.ui.map.alert_layer import MAX_PULSING
from csu_console.ui.map.basemap_style import LABEL_MIN_ZOOM
from csu_console.ui.map.projection import to_scene


def test_a_new_alert_recentres_the_view_on_it(pane: MapPane, demo_site: SiteConfig) -> None:
    view = pane.view
    cam = next(c for c in demo_site.cameras if c.kind == "fixe")
    lon, lat = destination_point(cam.lon, cam.lat, cam.heading_deg, cam.range_m / 2)
    pane.overlays.set_alerts([MapAlert("A-1", lon, lat, 1, label="Rixe")])
    ranked = rank_cameras(demo_site.cameras, demo_site.zones, lon, lat, limit=9)
    view.center_on(24.95, 60.165, 14)  # somewhere else, zoomed out

    pane.overlays.focus_alert(lon, lat, ranked)

    viewport = QRectF(view.viewport().rect())
    at = view.map_scene_to_viewport(to_scene(lon, lat))
    assert abs(at.x() - viewport.center().x()) <= 3
    assert abs(at.y() - viewport.center().y()) <= 3
    highlighted = pane.overlays.highlighted_cameras()
    assert cam.id in highlighted
    assert highlighted == [r.camera.id for r in ranked if r.sees]
    for camera_id in highlighted:
        item = pane.overlays.camera_item(camera_id)
        assert item.rank == next(r.rank for r in ranked if r.camera.id == camera_id)
        assert viewport.contains(view.map_scene_to_viewport(item.pos))
        assert pane.overlays.cone_item(camera_id).highlighted


def test_a_second_alert_moves_the_highlights(pane: MapPane, demo_site: SiteConfig) -> None:
    first, second = demo_site.cameras[1], demo_site.cameras[2]
    for cam in (first, second):
        lon, lat = destination_point(cam.lon, cam.lat, cam.heading_deg, 10)
        pane.overlays.focus_alert(
            lon, lat, rank_cameras(demo_site.cameras, demo_site.zones, lon, lat)
        )
    assert first.id not in pane.overlays.highlighted_cameras() or first.sees(lon, lat)
    assert second.id in pane.overlays.highlighted_cameras()
    pane.overlays.clear_focus()
    assert pane.overlays.highlighted_cameras() == []
    assert pane.overlays.camera_item(second.id).rank is None


def test_zoning_toggles_hide_and_show_their_zones(pane: MapPane) -> None:
    zonings = pane.overlays.zonings()
    assert len(zonings) >= 2
    hidden, kept = zonings[0], zonings[1]
    pane.zoning_boxes[hidden].setChecked(False)
    assert pane.overlays.zone_items(hidden)
    assert not any(z.isVisible() for z in pane.overlays.zone_items(hidden))
    assert all(z.isVisible() for z in pane.overlays.zone_items(kept))
    assert not any(z.label.isVisible() for z in pane.overlays.zone_items(hidden))
    pane.overlays.set_zoning_visible(hidden, True)
    assert all(z.isVisible() for z in pane.overlays.zone_items(hidden))


def test_more_zonings_than_two_share_one_menu_that_counts_them(pane: MapPane) -> None:
    # The demo site declares three zonings: one « Zonages » button, not a box each,
    # so a site with many zonings never widens the toolbar.
    zonings = pane.overlays.zonings()
    assert len(zonings) == 3 and pane.zoning_menu is not None
    assert pane.zoning_menu.text() == "Zonages (3/3)"
    assert {a.text() for a in pane.zoning_menu.menu().actions()} == {
        "Secteurs PM", "Quartiers", "Communes",
    }  # fmt: skip
    pane.zoning_boxes["commune"].setChecked(False)
    assert not any(z.isVisible() for z in pane.overlays.zone_items("commune"))
    assert pane.zoning_menu.text() == "Zonages (2/3)"


def test_alert_group_is_one_marker_with_its_count(qtbot: QtBot, pane: MapPane) -> None:
    pane.overlays.set_alerts(
        [MapAlert("G-1", 24.9433, 60.1706, 2, count=4), MapAlert("A-2", 24.94, 60.17, 4)]
    )
    marker = pane.overlays.alert_marker("G-1")
    assert (marker.count, marker.priority) == (4, 2)
    assert marker.pos == to_scene(24.9433, 60.1706)
    # The pulse runs on a timer, and repaints.
    qtbot.waitUntil(lambda: pane.overlays.pulse_phase > 0, timeout=2000)
    pane.view.viewport().repaint()


def test_only_the_first_pulsing_alerts_pulse_and_only_their_rings_move(
    qtbot: QtBot, pane: MapPane
) -> None:
    view = pane.view
    view.center_on(24.9433, 60.1706, 17)
    qtbot.waitUntil(lambda: not view.basemap.pending, timeout=5000)  # a still basemap
    # A storm: 100 new alerts given most urgent first, then an acknowledged one.
    storm = [MapAlert(f"N-{i}", 24.9400 + i * 0.00004, 60.1706, 1) for i in range(100)]
    quiet = MapAlert("ACK", 24.9460, 60.1690, 1, pulsing=False)
    pane.overlays.set_alerts([*storm, quiet])
    assert pane.overlays.pulsing_alerts() == [a.key for a in storm[:MAX_PULSING]]
    assert len(pane.overlays.markers_of_alerts()) == 101  # every alert is on the map

    def around(key_lonlat: tuple[float, float]) -> QImage:
        at = view.map_scene_to_viewport(to_scene(*key_lonlat)).toPoint()
        return view.viewport().grab(QRect(at.x() - 30, at.y() - 30, 60, 60)).toImage()

    first = storm[0]
    before = (around((first.lon, first.lat)), around((quiet.lon, quiet.lat)))
    phase = pane.overlays.pulse_phase
    qtbot.waitUntil(lambda: abs(pane.overlays.pulse_phase - phase) > 0.3, timeout=3000)
    after = (around((first.lon, first.lat)), around((quiet.lon, quiet.lat)))
    assert before[0] != after[0]  # the ring of a pulsing alert moved
    assert before[1] == after[1]  # an acknowledged alert's disc stays still


def test_camera_health_recolours_and_tells_in_the_tooltip(
    pane: MapPane, demo_site: SiteConfig
) -> None:
    cam = demo_site.cameras[0]
    pane.overlays.set_camera_health(cam.id, CameraHealth.OFFLINE)
    pane.overlays.set_camera_health("no-such-camera", CameraHealth.OK)
    item = pane.overlays.camera_item(cam.id)
    assert item.health is CameraHealth.OFFLINE
    assert item.tooltip == f"{cam.name} — hors ligne"
    assert item.pos == to_scene(cam.lon, cam.lat)
    hit = pane.view.pick(pane.view.map_scene_to_viewport(item.pos))
    assert hit == ("camera", cam.id, item.tooltip)
    assert pane.view.pick(QPointF(-50, -50)) is None


def test_every_disc_is_drawn_ahead_so_a_storm_of_groups_only_blits(
    qtbot: QtBot, pane: MapPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each new count was a new disc to draw in the middle of a repaint; once the
    map is up they are all ready (for the plain and the pulsing markers alike)."""
    qtbot.waitUntil(lambda: pane.overlays.discs_warm, timeout=10_000)
    drawn: list[int] = []
    paint = alert_layer.paint_disc
    monkeypatch.setattr(
        alert_layer, "paint_disc", lambda *a, **kw: drawn.append(1) or paint(*a, **kw)
    )
    groups = [
        MapAlert(f"G-{i}", 24.9400 + i * 0.0001, 60.1706, 1 + i % 4, count=1 + i % 130)
        for i in range(300)
    ]
    pane.view.center_on(24.9500, 60.1706, 15)
    pane.overlays.set_alerts(groups)
    image = pane.view.viewport().grab().toImage()
    assert not image.isNull()
    assert drawn == []  # no disc drawn during the repaint (the pulse's rings may be)


@pytest.mark.parametrize("where", ["devant une caméra", "au bord du site"])
def test_an_alert_is_shown_at_street_level_with_the_cameras_that_see_it(
    pane: MapPane, demo_site: SiteConfig, where: str
) -> None:
    """The console's map pane is small (about 660×330 px at 1920×1080): fitting the
    three best cameras zoomed out to 500 m–1 km, where no street is named."""
    pane.resize(660, 330)
    view = pane.view
    if where == "devant une caméra":
        cam = demo_site.cameras[0]
        lon, lat = destination_point(cam.lon, cam.lat, cam.heading_deg, cam.range_m / 2)
    else:
        lons = [c.lon for c in demo_site.cameras]
        lats = [c.lat for c in demo_site.cameras]
        lon, lat = min(lons) - 0.002, max(lats) + 0.001
    ranked = rank_cameras(demo_site.cameras, demo_site.zones, lon, lat, limit=9)

    pane.overlays.focus_alert(lon, lat, ranked)

    assert view.zoom() >= LABEL_MIN_ZOOM  # the basemap names the streets from there
    viewport = QRectF(view.viewport().rect())
    at = view.map_scene_to_viewport(to_scene(lon, lat))
    assert abs(at.x() - viewport.center().x()) <= 3
    assert abs(at.y() - viewport.center().y()) <= 3
    for camera_id in pane.overlays.highlighted_cameras():  # those that see it: in view
        item = pane.overlays.camera_item(camera_id)
        assert viewport.contains(view.map_scene_to_viewport(item.pos))
