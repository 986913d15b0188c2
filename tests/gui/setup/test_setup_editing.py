"""Editing on the map with the mouse: draw a zone, place a camera, aim it with its
handles, accept the suggested mapping, save, and read the same configuration back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from setup_mouse import click, double_click, drag, scene_to_viewport, viewport_point

from csu_console.config.geo_write import cameras_document, zones_document
from csu_console.config.secrets import Credentials
from csu_console.core.geo import bearing_deg, destination_point, haversine_m
from csu_console.storage.store import DB_NAME
from csu_console.ui.map.projection import scene_to_lonlat
from csu_console.ui.setup.map_tools import Tool
from csu_console.ui.setup.persistence import read_geo
from csu_console.ui.setup.window import SetupContext, SetupWindow

# A block south of the demo's police sectors: free for a new zone.
ZONE = [(24.9380, 60.1628), (24.9460, 60.1628), (24.9460, 60.1641), (24.9380, 60.1641)]
CAMERA = (24.9420, 60.1632)


def test_draw_place_aim_accept_save_reload(
    qtbot: QtBot, window: SetupWindow, ctx: SetupContext, tmp_path: Path
) -> None:
    view = window.view
    view.center_on(24.9420, 60.1634, zoom=18.0)
    zones_before = len(window.model.zones)

    # A zone: three clicks, then a double-click on the fourth corner closes it.
    window.draw_zone_action.trigger()
    assert window.tools.tool is Tool.DRAW_ZONE
    for lon, lat in ZONE[:3]:
        click(window, viewport_point(window, lon, lat))
    double_click(window, viewport_point(window, *ZONE[3]))
    assert window.tools.tool is Tool.NONE
    assert len(window.model.zones) == zones_before + 1
    zone = window.model.zones[-1]
    ring = zone.area.polygons[0][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    for (lon, lat), corner in zip(ring[:4], ZONE, strict=True):
        assert haversine_m(lon, lat, *corner) < 3.0  # a pixel or two at zoom 18
    window.zone_panel.name_edit.setText("Secteur Esplanade Sud")
    window.zone_panel.name_edit.editingFinished.emit()
    assert window.model.zone(zone.id).name == "Secteur Esplanade Sud"  # type: ignore[union-attr]

    # A camera: « Ajouter une caméra », then a click on the map.
    view.center_on(*CAMERA, zoom=18.0)
    window.add_camera_action.trigger()
    click(window, viewport_point(window, *CAMERA))
    cam_id = window.model.selected_camera
    assert cam_id is not None and cam_id not in {"cam-01", "cam-02"}
    cam = window.model.camera(cam_id)
    assert cam is not None
    assert haversine_m(cam.lon, cam.lat, *CAMERA) < 1.5
    items = window.cameras_overlay.items[cam_id]
    assert all(h.isVisible() for h in items.handles())

    # Heading: drag its knob round to due east.
    east = destination_point(cam.lon, cam.lat, 90.0, 40.0)
    drag(
        window,
        scene_to_viewport(window, items.heading.scenePos()) + items.heading.knob_offset(),
        viewport_point(window, *east),
    )
    cam = window.model.camera(cam_id)
    assert cam is not None and abs(cam.heading_deg - 90.0) <= 2.0

    # Field of view: the right edge's handle pulled out to 140°: 2 × 50° = 100°.
    target = destination_point(cam.lon, cam.lat, 140.0, cam.range_m)
    drag(
        window,
        scene_to_viewport(window, items.fov_right.scenePos()),
        viewport_point(window, *target),
    )
    cam = window.model.camera(cam_id)
    assert cam is not None and abs(cam.fov_deg - 100.0) <= 3.0
    assert abs(cam.heading_deg - 90.0) <= 2.0  # the heading did not move

    # Range: the tip's handle brought in to 45 m.
    target = destination_point(cam.lon, cam.lat, cam.heading_deg, 45.0)
    drag(window, scene_to_viewport(window, items.range.scenePos()), viewport_point(window, *target))
    cam = window.model.camera(cam_id)
    assert cam is not None and abs(cam.range_m - 45.0) <= 2.0
    # The cone is drawn where the model says, live.
    tip = scene_to_lonlat(items.range.scenePos())
    assert abs(bearing_deg(cam.lon, cam.lat, *tip) - cam.heading_deg) < 0.5

    # A stream typed with its credentials: the URL is kept, the credentials moved.
    form = window.camera_form
    form.main_edit.setText("rtsp://admin:s3cret@10.1.2.3:554/live")
    form.main_edit.editingFinished.emit()
    cam = window.model.camera(cam_id)
    assert cam is not None and cam.stream_main == "rtsp://10.1.2.3:554/live"
    assert form.user_edit.text() == "admin"
    assert form.password_edit.echoMode() == form.password_edit.EchoMode.Password
    assert window.model.credentials[cam_id] == Credentials("admin", "s3cret")

    # The mapping table suggests the new zone (the camera stands in it).
    table = window.mapping.table_model
    table.recompute()
    row, col = table.row_of(cam_id), [z.id for z in table.shown_zones()].index(zone.id)
    index = table.index(row, col)
    assert table.data(index, Qt.ItemDataRole.DisplayRole) == "suggérée"
    assert table.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert "la caméra est dans la zone" in table.data(index, Qt.ItemDataRole.ToolTipRole)
    window.mapping.accept_one.click()
    cam = window.model.camera(cam_id)
    assert cam is not None and zone.id in cam.zones
    assert table.data(table.index(row, col), Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    assert "Secteur Esplanade Sud" in form.zones_label.text()  # the form follows the table

    # Save: a reason, then history, files, secrets and the main courante.
    window.save()
    assert window.reason_dialog is not None
    with qtbot.waitSignal(window.storage.saved, timeout=10_000):
        window.reason_dialog.setTextValue("Nouvelle caméra esplanade sud")
        window.reason_dialog.accept()
    assert not window.model.dirty

    on_disk = read_geo(ctx.config_dir, ctx.secrets)
    assert on_disk.problems == ()
    assert cameras_document(on_disk.cameras) == cameras_document(window.model.cameras)
    assert zones_document(on_disk.zones) == zones_document(window.model.zones)
    assert on_disk.credentials[cam_id] == Credentials("admin", "s3cret")
    text = (ctx.config_dir / "cameras.geojson").read_text(encoding="utf-8")
    assert "s3cret" not in text and "admin" not in text
    versions = window.storage.versions()
    assert len(versions) == 1 and versions[0].author == "jdupont"
    assert versions[0].reason == "Nouvelle caméra esplanade sud"

    with sqlite3.connect(tmp_path / "data" / DB_NAME) as conn:
        rows = conn.execute(
            "SELECT operator, details FROM events WHERE kind = 'config_changed'"
        ).fetchall()
    assert len(rows) == 1 and rows[0][0] == "jdupont"
    assert cam_id in rows[0][1] and "s3cret" not in rows[0][1]

    # A second screen opened on the same folder shows the same configuration.
    again = SetupWindow(ctx)
    qtbot.addWidget(again)
    assert cameras_document(again.model.cameras) == cameras_document(window.model.cameras)
    assert zones_document(again.model.zones) == zones_document(window.model.zones)
    assert again.model.credentials == window.model.credentials
    again.close()


def test_escape_cancels_a_zone_being_drawn(window: SetupWindow) -> None:
    before = window.model.zones
    window.draw_zone_action.trigger()
    for lon, lat in ZONE[:3]:
        click(window, viewport_point(window, lon, lat))
    assert window.tools.sketch is not None and len(window.tools.sketch.points) == 3
    QTest.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.tools.tool is Tool.NONE and window.tools.sketch is None
    assert window.model.zones == before


def test_enter_closes_a_zone_and_undo_removes_it(window: SetupWindow) -> None:
    before = window.model.zones
    window.draw_zone_action.trigger()
    for lon, lat in ZONE:
        click(window, viewport_point(window, lon, lat))
    QTest.keyClick(window.view, Qt.Key.Key_Return)
    assert len(window.model.zones) == len(before) + 1
    assert window.model.dirty
    window.undo_action.trigger()
    assert window.model.zones == before


def test_drag_a_camera_and_a_zone_vertex_then_add_a_hole(window: SetupWindow) -> None:
    model = window.model
    cam = model.camera("cam-04")
    assert cam is not None
    window.view.center_on(cam.lon, cam.lat, zoom=18.0)
    # The camera's body follows the mouse (one undo step for the whole drag).
    target = destination_point(cam.lon, cam.lat, 200.0, 30.0)
    drag(window, viewport_point(window, cam.lon, cam.lat), viewport_point(window, *target))
    moved = model.camera("cam-04")
    assert moved is not None and haversine_m(moved.lon, moved.lat, *target) < 1.0
    assert (moved.heading_deg, moved.fov_deg, moved.range_m) == (
        cam.heading_deg,
        cam.fov_deg,
        cam.range_m,
    )
    window.undo_action.trigger()
    assert model.camera("cam-04") == cam

    # A vertex of the selected zone: select the zone with a click inside it.
    zone = model.zone("secteur-port")
    assert zone is not None
    window.view.center_on(24.951, 60.1670, zoom=16.0)
    click(window, viewport_point(window, 24.9510, 60.1660))
    assert model.selected_zone == "secteur-port" and model.selected_camera is None
    corner = zone.area.polygons[0][0][1]  # (24.953, 60.1645)
    handles = window.zones_overlay.vertex_handles
    assert len(handles) == len(zone.area.polygons[0][0]) - 1
    new_corner = (24.9540, 60.1640)
    drag(window, viewport_point(window, *corner), viewport_point(window, *new_corner))
    ring = model.zone("secteur-port").area.polygons[0][0]  # type: ignore[union-attr]
    assert haversine_m(*ring[1], *new_corner) < 3.0
    assert ring[0] == ring[-1]

    # A hole in it, drawn like a zone, closed with Entrée.
    hole = [(24.9500, 60.1660), (24.9520, 60.1660), (24.9520, 60.1670), (24.9500, 60.1670)]
    window.zone_panel.hole_button.click()
    assert window.tools.tool is Tool.DRAW_HOLE
    for lon, lat in hole:
        click(window, viewport_point(window, lon, lat))
    QTest.keyClick(window.view, Qt.Key.Key_Return)
    zone = model.zone("secteur-port")
    assert zone is not None and len(zone.area.polygons[0]) == 2
    assert not zone.contains(24.9510, 60.1665)  # inside the hole
    assert zone.contains(24.9510, 60.1650)


def test_export_writes_geojson_without_credentials(window: SetupWindow, tmp_path: Path) -> None:
    window.model.set_credentials("cam-01", Credentials("admin", "tr3s-secret"))
    folder = tmp_path / "export"
    window.actions_.export_to(folder)
    cameras = (folder / "cameras.geojson").read_text(encoding="utf-8")
    zones = (folder / "zones.geojson").read_text(encoding="utf-8")
    assert "cam-01" in cameras and "secteur-gare" in zones
    assert "tr3s-secret" not in cameras and "admin" not in cameras
    assert "sans identifiants" in window.statusBar().currentMessage()


def test_undo_is_defaire_redo_is_retablir_and_a_save_starts_afresh(
    qtbot: QtBot, window: SetupWindow
) -> None:
    """Issue 14: « Annuler » is the Cancel of every dialog, so undo reads « Défaire »
    (and redo « Rétablir »); after a save there is nothing left to undo."""
    assert (window.undo_action.text(), window.redo_action.text()) == ("Défaire", "Rétablir")
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    before = window.model.zones
    window.draw_zone_action.trigger()
    for lon, lat in ZONE:
        click(window, viewport_point(window, lon, lat))
    QTest.keyClick(window.view, Qt.Key.Key_Return)
    added = window.model.zones
    assert window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    window.undo_action.trigger()
    assert window.model.zones == before
    assert window.redo_action.isEnabled() and not window.undo_action.isEnabled()
    window.redo_action.trigger()
    assert window.model.zones == added and window.undo_action.isEnabled()
    assert QKeySequence("Ctrl+Y") in window.redo_action.shortcuts()

    window.save()
    assert window.reason_dialog is not None
    with qtbot.waitSignal(window.storage.saved, timeout=10_000):
        window.reason_dialog.setTextValue("Secteur esplanade sud")
        window.reason_dialog.accept()
    assert not window.model.dirty
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    window.undo_action.trigger()  # Ctrl+Z after a save changes nothing
    assert window.model.zones == added and not window.model.dirty
