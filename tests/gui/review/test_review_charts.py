"""The review window on the known shift of conftest.py: what the charts plot and the
list shows, for the whole shift, for a filter chosen in the panel, and after a
click on a bar (a real mouse click on the pyqtgraph plot). Expected values are
worked out by hand from the table in conftest.py."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from review_shift import Data, t

from csu_console.ui.review.window import ReviewWindow

# UTC hours 04..11 of the shift (local 06h..13h), per category.
WHOLE_SHIFT = {
    "rixe": [1, 0, 0, 1, 0, 0, 0, 0],  # B1 04:10, B5 07:15
    "cambriolage": [1, 1, 0, 0, 0, 0, 0, 0],  # B2 04:40, B3 05:05
    "degradation": [0, 1, 0, 0, 0, 0, 0, 0],  # B4 05:30
    "animal_perdu": [0, 0, 0, 1, 0, 0, 0, 0],  # B6 07:50
}


def listed(window: ReviewWindow, data: Data) -> list[str]:
    return data.names(r.pk for r in window.model.rows)


def click(qtbot: Any, window: ReviewWindow, chart: Any, point: Any) -> None:
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_the_default_period_is_the_last_completed_shift(window: ReviewWindow, data: Data) -> None:
    assert window.base_label == "Matin du lundi 2 juin 2025 (06:00–14:00)"
    f = window.current
    assert f is not None and (f.start.hour, f.end.hour) == (4, 12)  # UTC
    assert listed(window, data) == ["B1", "B2", "B3", "B4", "B5", "B6"]
    charts = window.charts
    assert charts.hourly.plotted() == WHOLE_SHIFT
    assert [h.hour for h in charts.hourly.hours] == [4, 5, 6, 7, 8, 9, 10, 11]
    # ack 30, 120, 20, 600, 60 s; dispatch 120, 300 s (bins < 30 s, 30 s–1 min, 1–2, 2–5, …)
    assert charts.delays.plotted() == {
        "ack": [1, 1, 1, 1, 0, 1, 0],
        "dispatch": [0, 0, 0, 1, 1, 0, 0],
    }
    assert charts.categories.plotted() == {
        "rixe": 2, "cambriolage": 2, "degradation": 1, "animal_perdu": 1,
    }  # fmt: skip
    assert charts.zones.plotted() == {"nord": 3, "sud": 2}
    figures = window.figures.texts()
    assert figures["Alertes reçues"] == "6"
    assert figures["Délai de prise en compte (médiane)"] == "1 min 00 s"  # 20 30 60 120 600
    assert figures["Ouvertes en fin de période"] == "3"  # B0 (received before), B3, B5
    assert "VÉRIFIÉE" in window.chain_label.text()


def test_a_filter_from_the_panel_changes_the_charts_and_the_list(
    qtbot: Any, window: ReviewWindow, data: Data
) -> None:
    box = window.filters.boxes["zones"]
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        box.setCurrentIndex(box.findData("sud"))
        box.activated.emit(box.currentIndex())
    assert listed(window, data) == ["B2", "B4"]
    assert window.charts.hourly.plotted() == {
        "cambriolage": [1, 0, 0, 0, 0, 0, 0, 0],
        "degradation": [0, 1, 0, 0, 0, 0, 0, 0],
    }
    assert window.charts.delays.plotted()["ack"] == [0, 0, 0, 1, 0, 1, 0]  # 120 s, 600 s
    assert window.charts.zones.plotted() == {"sud": 2}
    assert "zones : Secteur Sud" in window.scope.text()


def test_clicking_an_hour_segment_narrows_to_that_hour_and_category(
    qtbot: Any, window: ReviewWindow, data: Data
) -> None:
    window.tabs.setCurrentWidget(window.charts)
    hourly = window.charts.hourly
    qtbot.waitUntil(hourly.plot.isVisible)
    click(qtbot, window, hourly, hourly.bar_point(1, "cambriolage"))  # 05h UTC = 07h Paris
    f = window.current
    assert f is not None and (f.start, f.end) == (t(5), t(6))
    assert f.categories == {"cambriolage"}
    assert listed(window, data) == ["B3"]
    assert hourly.plotted() == {"cambriolage": [1]}
    assert "heure 07h–08h" in window.scope.text()
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.whole_button.click()
    assert listed(window, data) == ["B1", "B2", "B3", "B4", "B5", "B6"]


def test_clicking_a_category_or_zone_bar_narrows_the_list(
    qtbot: Any, window: ReviewWindow, data: Data
) -> None:
    window.tabs.setCurrentWidget(window.charts)
    charts = window.charts
    qtbot.waitUntil(charts.categories.plot.isVisible)
    click(qtbot, window, charts.categories, charts.categories.bar_point("rixe"))
    assert listed(window, data) == ["B1", "B5"]
    assert window.filters.boxes["categories"].currentData() == "rixe"
    assert charts.hourly.plotted() == {"rixe": [1, 0, 0, 1, 0, 0, 0, 0]}
    click(qtbot, window, charts.zones, charts.zones.bar_point("nord"))
    assert listed(window, data) == ["B1", "B5"]  # rixe and nord (B3 is a cambriolage)
    assert charts.zones.plotted() == {"nord": 2}
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.whole_button.click()
    click(qtbot, window, charts.zones, charts.zones.bar_point("nord"))
    assert listed(window, data) == ["B1", "B3", "B5"]
