"""The review map's « Carte de chaleur »: off by default, it shows the density of
the alerts the review lists (its period and filters), and follows a new filter."""

from __future__ import annotations

from datetime import date
from typing import Any

from review_shift import Data

from csu_console.ui.review import review_heatmap
from csu_console.ui.review.window import ReviewWindow


def placed(window: ReviewWindow) -> int:
    return sum(1 for r in window.model.rows if r.lon is not None and r.lat is not None)


def test_the_review_heatmap_shows_the_filtered_alerts(
    qtbot: Any, window: ReviewWindow, data: Data
) -> None:
    window.picker.set_days(date(2025, 6, 1), date(2025, 6, 3))  # every alert
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.picker.apply()
    window.tabs.setCurrentWidget(window.map)
    heat, toggle = window.map.pane.heatmap, window.map.heatmap.toggle
    assert not toggle.is_on() and not heat.is_visible() and heat.count == 0
    assert toggle.days() is None  # the review's period is the picker's

    toggle.button.click()
    everything = placed(window)
    assert everything >= 3 and heat.is_visible() and heat.count == everything
    assert heat.label.startswith("Alertes filtrées du ")
    qtbot.waitUntil(lambda: heat.item.shown is not None and not heat.pending, timeout=10_000)

    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.narrow("zones", "sud")
    assert data.names({r.pk: r for r in window.model.rows}) == ["B2", "B4"]
    assert heat.count == placed(window) < everything

    assert window.map.pane.overlays.alert_markers_visible()  # a few: over the heat

    toggle.button.click()
    assert not heat.is_visible()


def test_thousands_of_markers_give_way_to_the_heatmap(
    qtbot: Any, window: ReviewWindow, monkeypatch: Any
) -> None:
    monkeypatch.setattr(review_heatmap, "MARKERS_UNDER_HEAT", 2)
    window.picker.set_days(date(2025, 6, 1), date(2025, 6, 3))
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.picker.apply()
    overlays, toggle = window.map.pane.overlays, window.map.heatmap.toggle
    assert overlays.alert_markers_visible()
    toggle.button.click()
    assert not overlays.alert_markers_visible()  # more than 2: the heat replaces them
    key = overlays.markers_of_alerts()[0]
    at = window.map.pane.view.map_scene_to_viewport(overlays.alert_marker(key).pos)
    assert window.map.pane.view.pick(at) is None or window.map.pane.view.pick(at)[0] != "alert"
    toggle.button.click()
    assert overlays.alert_markers_visible()
