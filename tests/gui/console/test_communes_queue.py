"""The live queue by commune and secteur (issue 19), on the real console and a copy of
the demo site (three demo communes): each alert's commune and secteur come from its
position, the reported commune kept; the filters say what they hide and clear in one
click; the station's communes come first, or alone, and a supervisor sees every one."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support import CONFIG_DIR

from csu_console.app import Console
from csu_console.core.alerts import Category, Location, StoredAlert
from csu_console.core.protocol import AlertMessage
from csu_console.core.roles import Role
from csu_console.startup import RunOptions
from csu_console.ui.console.alert_cells import COLUMNS
from csu_console.ui.console.alert_filters import OUTSIDE

# (lat, lon) of the demo site
BOURG = (60.167, 24.945)  # Secteur Centre, Bourg-Centre (démo) 30901 — the station's
PORT = (60.167, 24.951)  # Secteur Port, Port-Kaisan (démo) 30902
GARE = (60.172, 24.940)  # Secteur Gare, Val-de-Gare (démo) 30903
AWAY = (60.180, 24.960)  # outside every zone

CATEGORIES = list(Category)

# No gateway, no camera listening: the link and the camera wall say so in the log.
pytestmark = pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def console(qtbot: Any, qapp: QApplication, tmp_path: Path) -> Iterator[Console]:
    """The real console; the station handles Bourg-Centre (by INSEE code)."""
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    toml = config / "site.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace(
            'name = "Poste opérateur 1"\n', 'name = "Poste opérateur 1"\ncommunes = ["30901"]\n'
        ),
        encoding="utf-8",
    )
    console = Console(
        qapp,
        RunOptions(
            config, tmp_path / "data", gateway=f"ws://127.0.0.1:{free_port()}/", autologin="demo"
        ),
    )
    qtbot.addWidget(console.window)
    try:
        console.start()
        yield console
    finally:
        console.stop()


def feed(console: Console, make: Any, qtbot: Any, specs: list[tuple[Any, int, str]]) -> None:
    """Alerts at (lat, lon) with a priority and the commune the citizen typed, stored
    for real and handed on as the link's batches are."""
    messages = []
    for i, (where, priority, typed) in enumerate(specs):
        location = Location(where[0], where[1], f"{i + 1} rue de la Démo", 10.0) if where else None
        alert = make.alert(
            title=f"Alerte {i + 1}",
            priority=priority,
            location=location,
            commune=typed,
            category=CATEGORIES[i],  # never grouped: one row each
        )
        messages.append(AlertMessage(None, alert))
    station = console.settings.station
    console.tasks.run(
        lambda s: s.commit_batch(messages, station), console.bridge.frames_committed.emit
    )
    qtbot.waitUntil(lambda: console.model.rowCount() == len(specs), timeout=5000)


def shown(console: Console) -> list[StoredAlert]:
    proxy = console.window.proxy
    items = [
        proxy.data(proxy.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(proxy.rowCount())
    ]
    return [i for i in items if isinstance(i, StoredAlert)]


def titles(console: Console) -> list[str]:
    return [i.alert.title for i in shown(console)]


def cell(console: Console, title: str, column: str, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
    model = console.model
    row = next(r for r in range(model.rowCount()) if model.alert_at(r).alert.title == title)  # type: ignore[union-attr]
    return model.data(model.index(row, COLUMNS.index(column)), role)


SPECS = [
    (PORT, 3, "Val-de-Gare (démo)"),  # Alerte 1: the citizen named another commune
    (BOURG, 3, "Bourg-Centre (démo)"),  # Alerte 2: mine
    (GARE, 1, ""),  # Alerte 3: urgent, elsewhere
    (AWAY, 3, "Ailleurs"),  # Alerte 4: outside the territory
    (BOURG, 4, ""),  # Alerte 5: mine, information
    (GARE, 3, ""),  # Alerte 6: elsewhere
]


def test_commune_and_secteur_come_from_the_geometry(
    console: Console, make: Any, qtbot: Any
) -> None:
    feed(console, make, qtbot, SPECS)
    assert cell(console, "Alerte 1", "commune") == "Port-Kaisan (démo)"
    assert cell(console, "Alerte 1", "place") == "Secteur Port – 1 rue de la Démo"
    tip = cell(console, "Alerte 1", "commune", Qt.ItemDataRole.ToolTipRole)
    assert tip == "Port-Kaisan (démo) (30902)\ndéclarée : Val-de-Gare (démo)"
    assert cell(console, "Alerte 2", "commune", Qt.ItemDataRole.ToolTipRole) == (
        "Bourg-Centre (démo) (30901)"  # the same as reported: said once
    )
    assert cell(console, "Alerte 4", "commune") == "hors territoire"
    assert cell(console, "Alerte 4", "place") == "4 rue de la Démo"  # no secteur
    # The stored alert keeps the text as reported.
    first = next(i for i in shown(console) if i.alert.title == "Alerte 1")
    assert first.alert.commune == "Val-de-Gare (démo)"
    # The detail pane: the geometry's commune, the reported one beside.
    window = console.window
    window.select_pk(first.pk)
    html = window.detail.browser.toPlainText()
    assert "Port-Kaisan (démo) (30902) · déclarée : Val-de-Gare (démo)" in html
    assert "Secteur Port" in html


def test_the_place_filters_do_not_widen_the_window(console: Console, make: Any, qtbot: Any) -> None:
    """The second filter row (with « Seulement mes communes » shown) fits in the
    window's limits (test_window_fits: at most 1280 px wide at its minimum)."""
    feed(console, make, qtbot, SPECS)
    bar = console.window.place_filters
    bar.commune_box.setCurrentIndex(bar.commune_box.findData("30901"))
    assert bar.hidden_label.text()  # shown, long: cut rather than widening
    assert console.window.minimumSizeHint().width() <= 1280
    assert bar.minimumSizeHint().width() <= console.window.filters.minimumSizeHint().width() + 400


def test_station_communes_first_within_each_priority(
    console: Console, make: Any, qtbot: Any
) -> None:
    feed(console, make, qtbot, SPECS)
    # P1 elsewhere stays on top; among P3 mine and hors territoire first; P4 last.
    assert titles(console) == [
        "Alerte 3",
        "Alerte 4",
        "Alerte 2",
        "Alerte 6",
        "Alerte 1",
        "Alerte 5",
    ]


def test_only_my_communes_keeps_hors_territoire_and_counts_the_hidden(
    console: Console, make: Any, qtbot: Any
) -> None:
    feed(console, make, qtbot, SPECS)
    bar = console.window.place_filters
    assert bar.mine_box.isVisibleTo(console.window)
    qtbot.mouseClick(bar.mine_box, Qt.MouseButton.LeftButton)
    assert bar.mine_box.isChecked()
    assert titles(console) == ["Alerte 4", "Alerte 2", "Alerte 5"]
    assert bar.hidden_label.text() == "3 alertes masquées par le filtre"
    # The alarm still covers what the list hides: the banner shows the urgent one.
    banner = console.window.banner
    qtbot.waitUntil(lambda: banner.isVisible() and banner.pk is not None, timeout=5000)
    assert console.model.alert_by_pk(banner.pk).alert.title == "Alerte 3"  # type: ignore[union-attr]
    # Its place from the geometry, though it rang before the queue's merge.
    assert "3 rue de la Démo – Secteur Gare – Val-de-Gare (démo)" in banner.text()
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    assert not bar.mine_box.isChecked() and len(titles(console)) == 6
    assert bar.hidden_label.text() == ""


def test_filter_by_commune_and_secteur_says_how_many_it_hides(
    console: Console, make: Any, qtbot: Any
) -> None:
    feed(console, make, qtbot, SPECS)
    bar = console.window.place_filters
    labels = [bar.commune_box.itemText(i) for i in range(bar.commune_box.count())]
    assert labels == [
        "Toutes communes",
        "Bourg-Centre (démo) (30901)",
        "Port-Kaisan (démo) (30902)",
        "Val-de-Gare (démo) (30903)",
        "Hors territoire",
    ]
    bar.commune_box.setCurrentIndex(bar.commune_box.findData("30903"))
    assert titles(console) == ["Alerte 3", "Alerte 6"]
    assert bar.hidden_label.text() == "4 alertes masquées par le filtre"
    # The secteurs offered are those of the chosen commune.
    secteurs = [bar.secteur_box.itemData(i) for i in range(bar.secteur_box.count())]
    assert secteurs == [None, "secteur-gare"]
    bar.commune_box.setCurrentIndex(bar.commune_box.findData(OUTSIDE))
    assert titles(console) == ["Alerte 4"]
    bar.commune_box.setCurrentIndex(0)
    bar.secteur_box.setCurrentIndex(bar.secteur_box.findData("secteur-port"))
    assert titles(console) == ["Alerte 1"]
    assert bar.hidden_label.text() == "5 alertes masquées par le filtre"
    # A category filter too: one click clears everything.
    filters = console.window.filters
    filters.priority_box.setCurrentIndex(filters.priority_box.findData(1))
    assert titles(console) == []
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    assert len(titles(console)) == 6 and bar.hidden_label.text() == ""
    assert filters.priority_box.currentData() is None and bar.secteur_box.currentData() is None
    # Closed alerts hidden by the state filter are not « masquées »: only open ones count.


def test_banner_click_on_a_filtered_alert_shows_it(console: Console, make: Any, qtbot: Any) -> None:
    feed(console, make, qtbot, SPECS)
    bar = console.window.place_filters
    bar.commune_box.setCurrentIndex(bar.commune_box.findData("30901"))
    urgent = next(i for i in console.model.book.rows if i.alert.title == "Alerte 3")
    console.window.select_pk(urgent.pk)
    assert console.window.selected_alert() is not None
    assert console.window.selected_alert().pk == urgent.pk  # type: ignore[union-attr]
    assert bar.commune_box.currentIndex() == 0


def test_a_supervisor_sees_every_commune_alike(console: Console, make: Any, qtbot: Any) -> None:
    feed(console, make, qtbot, SPECS)
    bar = console.window.place_filters
    bar.mine_box.setChecked(True)
    assert len(titles(console)) == 3
    session = console.session
    account = session.account
    assert account is not None
    session.log_in(replace(account, role=Role.SUPERVISEUR))
    assert not bar.mine_box.isChecked()
    qtbot.waitUntil(lambda: len(titles(console)) == 6, timeout=2000)
    # Newest first within each priority, whatever the commune.
    assert titles(console) == [
        "Alerte 3",
        "Alerte 6",
        "Alerte 4",
        "Alerte 2",
        "Alerte 1",
        "Alerte 5",
    ]
    session.log_in(replace(account, role=Role.OPERATEUR))
    assert titles(console) == [
        "Alerte 3",
        "Alerte 4",
        "Alerte 2",
        "Alerte 6",
        "Alerte 1",
        "Alerte 5",
    ]
