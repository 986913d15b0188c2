"""« Alerte test ici », saved checks, an invalid import, and restoring a version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from setup_mouse import click, drag, scene_to_viewport, viewport_point

from csu_console.config.geo_write import cameras_document, zones_document
from csu_console.config.loader import check_site
from csu_console.config.test_points import POINTS_FILE, load_points
from csu_console.core.ranking import rank_cameras
from csu_console.ui.setup.map_tools import Tool
from csu_console.ui.setup.window import SetupContext, SetupWindow

# In front of the railway station: several demo cameras see it or cover its sector.
STATION = (24.9412, 60.1712)


def test_test_alert_ranks_like_a_real_alert(
    qtbot: QtBot, window: SetupWindow, ctx: SetupContext
) -> None:
    window.view.center_on(*STATION, zoom=17.0)
    window.test_action.trigger()
    assert window.tools.tool is Tool.TEST_ALERT
    click(window, viewport_point(window, *STATION))
    assert window.test_alert.point is not None
    lon, lat = window.test_alert.point

    site, problems = check_site(ctx.config_dir)
    assert site is not None and not problems
    expected = rank_cameras(site.cameras, site.zones, lon, lat, limit=9)  # as map_follow does
    got = window.test_alert.ranked
    assert len(expected) >= 3
    assert [(r.camera.id, r.rank, r.reason) for r in got] == [
        (r.camera.id, r.rank, r.reason) for r in expected
    ]
    # Shown in order in the list and as badges on the map.
    shown = [window.test_alert.result_list.item(i).text() for i in range(len(got))]
    assert shown[0].startswith(f"1. {expected[0].camera.name}")
    badges = {cid: it.body.rank for cid, it in window.cameras_overlay.items.items()}
    assert {cid: rank for cid, rank in badges.items() if rank} == {
        r.camera.id: r.rank for r in expected
    }

    # Saved as a check, written next to the site's files; it holds.
    window.test_alert.save_check("Parvis de la gare")
    points, load_problems = load_points(ctx.config_dir)
    assert not load_problems
    assert [p.name for p in points] == ["Parvis de la gare"]
    assert points[0].expected == tuple(r.camera.id for r in expected[:4])
    assert window.checks.failures == [] and window.checks.warning.isHidden()
    assert window.checks.list.item(0).text().startswith("✔ Parvis de la gare")

    # Moving the best camera far away breaks it: the list says so, in red.
    best = expected[0].camera.id
    window.model.update_camera(best, lon=24.9600, lat=60.1600)
    qtbot.waitUntil(lambda: window.checks.failures == ["Parvis de la gare"], timeout=3000)
    assert not window.checks.warning.isHidden()
    assert "Parvis de la gare" in window.checks.warning.text()
    assert window.checks.list.item(0).text().startswith("✘ Parvis de la gare")
    # The test alert follows the change too.
    assert best not in [r.camera.id for r in window.test_alert.ranked[:1]]


BAD_CAMERAS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [24.9433, 60.1706]},
            "properties": {
                "id": "cam-a",
                "kind": "fixe",
                "heading_deg": 10,
                "fov_deg": 400,
                "range_m": 50,
                "stream_main": "rtsp://10.0.0.1/a",
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [24.9433, 60.1706]},
            "properties": {
                "id": "cam-a",
                "kind": "dome",
                "heading_deg": 0,
                "fov_deg": 360,
                "range_m": 50,
                "stream_main": "10.0.0.2/live",
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
            "properties": {
                "id": "cam-paris",
                "kind": "fixe",
                "heading_deg": 0,
                "fov_deg": 60,
                "range_m": 50,
                "stream_main": "rtsp://10.0.0.3/live",
            },
        },
    ],
}

BAD_ZONES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"id": "z1", "name": "Noeud", "zoning": "secteur_pm"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[24.93, 60.16], [24.95, 60.18], [24.95, 60.16], [24.93, 60.18], [24.93, 60.16]]
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"id": "z1", "name": "Double", "zoning": "secteur_pm"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[24.93, 60.16], [24.95, 60.16], [24.95, 60.18], [24.93, 60.16]]],
            },
        },
    ],
}


@pytest.mark.expected_logs()
@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            BAD_CAMERAS,
            ["fov_deg", "« cam-a » en double", "stream_main", "cam-paris"],
        ),
        (BAD_ZONES, ["se recoupe", "« z1 » en double"]),
    ],
    ids=["cameras", "zones"],
)
def test_invalid_import_lists_every_error(
    window: SetupWindow, tmp_path: Path, document: dict[str, object], expected: list[str]
) -> None:
    before = (window.model.cameras, window.model.zones)
    path = tmp_path / "import.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert window.actions_.import_file(path) is False
    dialog = window.actions_.problems_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    for fragment in expected:
        assert fragment in text, f"{fragment!r} absent de :\n{text}"
    # One problem per fault of the file (the zones' import also lists the cameras
    # whose zones it would remove).
    assert len([p for p in dialog.problems if p.file == "import.geojson"]) == len(expected)
    assert text.count("\n") + 1 == len(dialog.problems)
    assert (window.model.cameras, window.model.zones) == before  # nothing imported
    assert not window.model.dirty
    dialog.accept()


def test_restore_brings_the_previous_configuration_back(
    qtbot: QtBot, window: SetupWindow, ctx: SetupContext
) -> None:
    original = (cameras_document(window.model.cameras), zones_document(window.model.zones))
    # Aim cam-02 elsewhere with its heading knob, and save.
    window.view.center_on(24.93966, 60.17183, zoom=18.0)
    window.model.select_camera("cam-02")
    items = window.cameras_overlay.items["cam-02"]
    start = scene_to_viewport(window, items.heading.scenePos()) + items.heading.knob_offset()
    drag(window, start, viewport_point(window, 24.93966, 60.1714))  # due south
    assert abs(window.model.camera("cam-02").heading_deg - 180.0) < 3.0  # type: ignore[union-attr]
    window.model.remove_camera("cam-03")
    window.save_with_reason("Réorientation cam-02, dépose cam-03")
    qtbot.waitUntil(lambda: not window.storage.busy and not window.model.dirty, timeout=10_000)
    saved = check_site(ctx.config_dir)[0]
    assert saved is not None and "cam-03" not in {c.id for c in saved.cameras}

    # Historique… → the version kept before that save → Restaurer → Oui.
    window.history_action.trigger()
    history = window.actions_.history
    assert history is not None and history.list.count() == 1
    assert "jdupont" in history.list.item(0).text()
    assert "Réorientation cam-02" in history.list.item(0).text()
    history.list.setCurrentRow(0)
    history.restore_button.click()
    box = history.confirm
    assert box is not None and box.isVisible()
    with qtbot.waitSignal(window.storage.restored, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()

    # The screen reloaded the previous configuration, and so did the disk.
    assert (cameras_document(window.model.cameras), zones_document(window.model.zones)) == original
    assert not window.model.dirty
    site = check_site(ctx.config_dir)[0]
    assert site is not None
    assert (cameras_document(site.cameras), zones_document(site.zones)) == original
    # The restore itself is undoable: the configuration it replaced was kept.
    assert len(window.storage.versions()) == 2
    assert window.storage.versions()[0].action == "restore"
    assert window.cameras_overlay.items.keys() == {c.id for c in window.model.cameras}
    assert window.model.camera("cam-03") is not None
    assert window.checks.list.count() == 0  # no saved check in this copy
    assert not (ctx.config_dir / POINTS_FILE).exists()
    assert window.history_action.isEnabled()
    assert window.windowTitle().endswith("zones")  # no "unsaved changes" mark
    assert Qt  # keep the import for the type checker
