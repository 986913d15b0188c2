"""The heatmap layer on a real map view: drawn under the markers, off by default,
computed off the GUI thread (newest wins), reused while panning, empty data."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from csu_console.ui.map import MapAlert, MapPane, heatmap_layer
from csu_console.ui.map.basemap_item import BASEMAP_Z
from csu_console.ui.map.heatmap_grid import DensityImage
from csu_console.ui.map.heatmap_layer import HeatmapLayer
from csu_console.ui.map.heatmap_toggle import HeatmapToggle
from csu_console.ui.map.items import Z_ALERT, Z_AREA, Z_ZONE
from csu_console.ui.map.projection import scene_to_lonlat
from csu_console.ui.theme import priority_color


def cluster(
    lon: float, lat: float, n: int = 3000, spread: float = 0.0012
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    return lon + rng.normal(0, spread, n), lat + rng.normal(0, spread / 2, n)


def centre_lonlat(pane: MapPane) -> tuple[float, float]:
    return scene_to_lonlat(pane.view.center_scene())


def shot(pane: MapPane) -> QImage:
    pane.view.viewport().repaint()
    return pane.view.viewport().grab().toImage()


def wait_drawn(qtbot: QtBot, layer: HeatmapLayer) -> None:
    qtbot.waitUntil(lambda: not layer.pending and layer.item.shown is not None, timeout=10_000)


def at_centre(image: QImage, dx: int = 0, dy: int = 0) -> QColor:
    return image.pixelColor(QPoint(image.width() // 2 + dx, image.height() // 2 + dy))


@pytest.fixture
def heat(pane: MapPane, qtbot: QtBot) -> Iterator[HeatmapLayer]:
    pane.view.set_zoom(15.5)
    qtbot.waitUntil(lambda: not pane.view.basemap.pending, timeout=10_000)
    yield pane.heatmap


def test_off_by_default_then_drawn_over_the_basemap_and_hidden_again(
    pane: MapPane, heat: HeatmapLayer, qtbot: QtBot
) -> None:
    before = at_centre(shot(pane), 60, 40)
    heat.set_points(*cluster(*centre_lonlat(pane)), label="7 derniers jours")
    assert not heat.is_visible() and heat.requests == 0  # hidden: nothing computed
    assert at_centre(shot(pane), 60, 40) == before

    heat.set_visible(True)
    wait_drawn(qtbot, heat)
    hot = at_centre(shot(pane), 0, 0)
    assert hot != before
    assert hot.red() > 200 and hot.blue() < 120  # orange to red over the basemap
    far = shot(pane).pixelColor(QPoint(5, pane.view.viewport().height() - 80))
    assert far.red() < 250 or far.blue() > 150  # no heat far from the points

    heat.set_visible(False)
    assert at_centre(shot(pane), 60, 40) == before


def test_the_layer_sits_between_the_basemap_and_every_overlay(
    pane: MapPane, heat: HeatmapLayer, qtbot: QtBot
) -> None:
    assert BASEMAP_Z < heat.item.zValue() < min(Z_ZONE, Z_AREA, Z_ALERT)
    lon, lat = centre_lonlat(pane)
    pane.overlays.set_alerts([MapAlert("A-1", lon, lat, 1, pulsing=False)])
    qtbot.wait(50)  # the alert layer's marks are rebuilt on the next turn
    disc = at_centre(shot(pane))
    assert disc == priority_color(1) or abs(disc.red() - priority_color(1).red()) < 8

    heat.set_points(*cluster(lon, lat))
    heat.set_visible(True)
    wait_drawn(qtbot, heat)
    image = shot(pane)
    assert at_centre(image) == disc  # the marker is drawn over the heat
    assert at_centre(image, 40, 30).red() > 200  # the heat around it


def test_a_pan_reuses_the_image_a_zoom_computes_a_new_one(
    pane: MapPane, heat: HeatmapLayer, qtbot: QtBot
) -> None:
    heat.set_points(*cluster(*centre_lonlat(pane)))
    heat.set_visible(True)
    wait_drawn(qtbot, heat)
    first = heat.item.shown
    requests = heat.requests
    bar = pane.view.horizontalScrollBar()
    bar.setValue(bar.value() + 60)
    assert heat.refresh() is False  # the margin computed around the view covers it
    assert heat.requests == requests and heat.item.shown is first

    pane.view.set_zoom(pane.view.zoom() + 1)
    pane.view.set_zoom(pane.view.zoom() - 0.5)
    qtbot.waitUntil(lambda: heat.requests > requests, timeout=5_000)
    assert heat.requests == requests + 1  # once the view stopped, not once per move
    wait_drawn(qtbot, heat)
    shown = heat.item.shown
    assert shown is not None and shown is not first
    assert shown.scale == pytest.approx(pane.view.transform().m11())

    # A pan out of the margin: a new image, with the same colour scale.
    peak = shown.peak
    bar.setValue(bar.value() + 3 * pane.view.viewport().width())
    qtbot.waitUntil(lambda: heat.item.shown is not shown, timeout=10_000)
    wait_drawn(qtbot, heat)
    assert heat.item.shown is not None and heat.item.shown.peak == peak


def test_a_long_computation_does_not_block_the_gui_and_the_newest_wins(
    pane: MapPane, heat: HeatmapLayer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    computed: list[float] = []
    real = heatmap_layer._compute

    def slow(
        points: object, rect: tuple[float, float, float, float], scale: float, peak: float | None
    ) -> DensityImage:
        if not computed:
            assert release.wait(10), "never released"
        computed.append(scale)
        return real(points, rect, scale, peak)  # type: ignore[arg-type]

    monkeypatch.setattr(heatmap_layer, "_compute", slow)
    heat.set_points(*cluster(*centre_lonlat(pane)))
    heat.set_visible(True)  # the first computation blocks in the worker
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    zoom = pane.view.zoom()
    pane.view.set_zoom(zoom + 0.5)
    qtbot.waitUntil(lambda: heat.requests == 2, timeout=5_000)  # queued behind the first…
    pane.view.set_zoom(zoom + 1.0)
    qtbot.waitUntil(lambda: heat.requests == 3, timeout=5_000)  # …and replaced by this one
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5_000)  # the GUI thread runs
    assert heat.pending and heat.item.shown is None
    release.set()
    final = pane.view.transform().m11()
    qtbot.waitUntil(
        lambda: heat.item.shown is not None and heat.item.shown.scale == final and not heat.pending,
        timeout=10_000,
    )
    timer.stop()
    assert len(computed) == 2  # the replaced request never ran
    assert computed[-1] == pytest.approx(final)


def test_empty_points_and_clear(pane: MapPane, heat: HeatmapLayer, qtbot: QtBot) -> None:
    before = at_centre(shot(pane), 30, 30)
    heat.set_points([], [], label="30 derniers jours")
    heat.set_visible(True)
    wait_drawn(qtbot, heat)
    shown = heat.item.shown
    assert shown is not None and shown.points == 0 and not shown.pixels.any()
    assert heat.legend_lines()[-1] == "0 signalement(s)"
    assert at_centre(shot(pane), 30, 30) == before

    heat.set_points(*cluster(*centre_lonlat(pane)))
    wait_drawn(qtbot, heat)
    heat.clear()
    assert heat.item.shown is None and heat.count == 0
    assert at_centre(shot(pane), 30, 30) == before


def test_invalid_points_are_left_out_and_mismatched_arrays_refused(
    pane: MapPane, heat: HeatmapLayer
) -> None:
    lon, lat = centre_lonlat(pane)
    heat.set_points(
        [lon, float("nan"), lon, 400.0], [lat, lat, 95.0, lat], weights=[1, 1, 1, 1], label="x"
    )
    assert heat.count == 1
    heat.set_points([lon, lon], [lat, lat], weights=[1.0, -2.0])
    assert heat.count == 1
    with pytest.raises(ValueError):
        heat.set_points([lon, lon], [lat])
    with pytest.raises(ValueError):
        heat.set_points([lon], [lat], weights=[1.0, 2.0])


def test_the_legend_names_the_period_and_the_count(
    pane: MapPane, heat: HeatmapLayer, qtbot: QtBot
) -> None:
    heat.set_points(*cluster(*centre_lonlat(pane), n=20_000), label="30 derniers jours")
    heat.set_visible(True)
    wait_drawn(qtbot, heat)
    assert heat.legend_lines() == [
        "Densité des signalements",
        "30 derniers jours",
        "20\u202f000 signalement(s)",
    ]
    corner = shot(pane).pixelColor(QPoint(20, 20))
    assert corner.lightness() > 200  # the legend's light panel, top left


def test_the_toggle_is_off_by_default_and_offers_its_periods(qtbot: QtBot) -> None:
    toggle = HeatmapToggle((1, 7, 30), default=7)
    qtbot.addWidget(toggle)
    toggle.show()
    assert not toggle.is_on() and toggle.days() == 7
    assert [a.text() for a in toggle.period_actions.values()] == [
        "Dernières 24 heures",
        "7 derniers jours",
        "30 derniers jours",
    ]
    assert toggle.period_actions[7].isChecked()
    assert "7 derniers jours" in toggle.button.toolTip()
    with qtbot.waitSignal(toggle.toggled) as on:
        toggle.button.click()
    assert on.args == [True] and toggle.is_on()
    with qtbot.waitSignal(toggle.period_changed) as changed:
        toggle.period_actions[30].trigger()
    assert changed.args == [30] and toggle.days() == 30
    assert toggle.period_actions[30].isChecked() and not toggle.period_actions[7].isChecked()
    with qtbot.assertNotEmitted(toggle.period_changed):
        toggle.set_days(30)  # the same: nothing to reload
        toggle.set_days(365)  # not offered: ignored
    toggle.button.click()
    assert not toggle.is_on()


def test_the_toggle_keeps_the_map_toolbar_narrow(qtbot: QtBot) -> None:
    with_periods, plain = HeatmapToggle((1, 7, 30, 90), default=7), HeatmapToggle()
    for t in (with_periods, plain):
        qtbot.addWidget(t)
    assert plain.days() is None and plain.button.menu() is None
    assert with_periods.sizeHint().width() <= plain.sizeHint().width() + 40
