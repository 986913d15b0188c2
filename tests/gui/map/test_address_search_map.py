"""« Adresse… » on the map: typing an address centres the map on it with a pin,
the index loads from the real map file, and a right click offers « Nouvelle alerte ici »."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from csu_console.core.address_search import AddressIndex
from csu_console.core.geo import haversine_m
from csu_console.ui.map import MapPane
from csu_console.ui.map.address_search import (
    ADDRESS_ZOOM,
    AddressIndexLoader,
    AddressSearchTool,
    Place,
)
from csu_console.ui.map.basemap_file import ThreadedMapFile
from csu_console.ui.map.projection import scene_to_lonlat


def tool_on(qtbot: QtBot, pane: MapPane, mapfile: ThreadedMapFile) -> AddressSearchTool:
    tool = AddressSearchTool(pane.view)
    pane.add_tool(tool)
    loader = AddressIndexLoader(tool)
    with qtbot.waitSignal(loader.ready, timeout=10_000) as ready:
        loader.load(mapfile.path)
    index = ready.args[0]
    assert isinstance(index, AddressIndex) and index.number_count > 500
    tool.set_index(index)
    return tool


def centre(pane: MapPane) -> tuple[float, float]:
    lon, lat = scene_to_lonlat(pane.view.center_scene())
    return lon, lat


def test_typing_an_address_and_enter_centres_the_map_on_it(
    qtbot: QtBot, pane: MapPane, demo_mapfile: ThreadedMapFile
) -> None:
    tool = tool_on(qtbot, pane, demo_mapfile)
    assert tool.parentWidget() is pane and tool.text() == "Adresse…"
    pane.window().activateWindow()
    qtbot.waitUntil(pane.window().isActiveWindow, timeout=2000)
    qtbot.keyClick(pane, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F
    qtbot.waitUntil(tool.popup.isVisible, timeout=2000)
    qtbot.keyClicks(tool.popup.field, "13 aleksanterinkatu")
    qtbot.waitUntil(lambda: tool.popup.list.count() > 0, timeout=2000)  # after the pause
    assert tool.popup.list.item(0).text() == "13 Aleksanterinkatu"
    hit = tool.hits[0]
    with qtbot.waitSignal(tool.address_chosen, timeout=2000):
        qtbot.keyClick(tool.popup.field, Qt.Key.Key_Return)
    assert not tool.popup.isVisible()
    lon, lat = centre(pane)
    assert haversine_m(lat, lon, hit.lat, hit.lon) < 2.0
    assert abs(pane.view.zoom() - ADDRESS_ZOOM) < 0.01
    assert tool.pin is not None and tool.pin.scene() is pane.view.scene()
    assert tool.pin.label.text == "13 Aleksanterinkatu"


def test_a_missing_number_says_so_and_down_picks_the_next_suggestion(
    qtbot: QtBot, pane: MapPane, demo_mapfile: ThreadedMapFile
) -> None:
    tool = tool_on(qtbot, pane, demo_mapfile)
    tool.open_popup()
    tool.popup.field.setText("Aleksanterinkatu 999")
    hits = tool.search(tool.popup.field.text())
    assert hits and hits[0].wanted == "999"
    assert "(n° 999 introuvable)" in tool.popup.list.item(0).text()
    qtbot.keyClick(tool.popup.field, Qt.Key.Key_Down)
    assert tool.popup.list.currentRow() == 1
    tool.choose_current()
    assert tool.chosen == hits[1]
    tool.open_popup()
    tool.popup.field.setText("zzzz qqqq")
    assert tool.search("zzzz qqqq") == []
    assert "Aucune adresse trouvée" in tool.popup.status.text()
    tool.popup.hide()


def test_nouvelle_alerte_ici_from_the_popup_and_from_a_right_click(
    qtbot: QtBot, pane: MapPane, demo_mapfile: ThreadedMapFile
) -> None:
    tool = tool_on(qtbot, pane, demo_mapfile)
    asked: list[Any] = []
    tool.alert_requested.connect(asked.append)
    tool.open_popup()
    tool.popup.field.setText("13 aleksanterinkatu")
    tool.search(tool.popup.field.text())
    qtbot.keyClick(tool.popup.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 1 and isinstance(asked[0], Place)
    assert asked[0].address == "13 Aleksanterinkatu"
    assert not tool.popup.isVisible()

    # Right click on the pin's building: the point clicked, named after the house.
    pos = pane.view.map_scene_to_viewport(tool.pin.pos()) if tool.pin else QPointF()
    menu = tool.show_context_menu(pos, pane.view.viewport().mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    menu.actions()[0].trigger()
    menu.close()
    assert len(asked) == 2 and asked[1].address == "près du 13 Aleksanterinkatu"
    assert haversine_m(asked[1].lat, asked[1].lon, asked[0].lat, asked[0].lon) < 2.0
