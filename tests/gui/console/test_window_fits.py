"""The console's window fits the screen (1920×1080 and 1366×768): every control an
operator needs lies inside it, and nothing makes it grow by itself (issue 14, item 1).

The real window, as ``app.Console`` assembles it (queue, detail, map, wall, units,
status bar), fed a burst of alerts with long texts through the same signal as the
link's, then resized to each screen's size.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QSplitter, QWidget
from support import CONFIG_DIR

from csu_console.app import Console
from csu_console.core.alerts import Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.startup import RunOptions
from csu_console.ui.console.alert_cells import COLUMNS

SCREENS = (QSize(1920, 1080), QSize(1366, 768))
MAX_MINIMUM = QSize(1280, 720)
#: Where the demo's cameras are (central Helsinki).
NEAR_CAMERAS = (60.1699, 24.9384)

LONG_TITLE = (
    "Individu qui essaie d'ouvrir les portières des voitures garées le long du quai, "
    "puis repart vers la gare en courant avec un sac à dos noir"
)
LONG_ADDRESS = "127 bis avenue du Maréchal-de-Lattre-de-Tassigny, résidence Les Peupliers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ui_scale() -> float:
    """``[ui] scale`` of the console under test (parametrized indirectly)."""
    return 1.0


@pytest.fixture
def console(qtbot: Any, qapp: QApplication, tmp_path: Path, ui_scale: float) -> Iterator[Console]:
    """The real console on a copy of the demo site, no gateway listening, no cameras
    reachable (their tiles say so: that is what a long state text looks like)."""
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    toml = config / "site.toml"
    text = toml.read_text(encoding="utf-8").split("\n[ui]\n")[0]
    toml.write_text(f"{text}\n[ui]\nscale = {ui_scale}\n", encoding="utf-8")
    console = Console(
        qapp,
        RunOptions(
            config,
            tmp_path / "data",
            gateway=f"ws://127.0.0.1:{free_port()}/",
            autologin="demo",
        ),
    )
    qtbot.addWidget(console.window)
    try:
        console.start()
        yield console
    finally:
        console.stop()


def feed_alerts(console: Console, make: Any, qtbot: Any) -> None:
    """A burst of alerts with the longest texts the queue, the banner and the wall show."""
    lat, lon = NEAR_CAMERAS
    alerts = []
    for i, category in enumerate(Category):
        alert = make.alert(
            category=category,
            priority=1 + i % 4,
            title=LONG_TITLE,
            location=Location(lat + i * 0.0004, lon, LONG_ADDRESS, 10.0),
            commune="Helsinki (démo)",
            category_raw="Inondation de la cave par la crue"
            if category is Category.AUTRE
            else None,
        )
        alerts.append(AlertMessage(None, alert))
    console.model.rejected_count = 12345
    # Stored for real, then handed on as the link's batches are.
    station = console.settings.station
    console.tasks.run(
        lambda s: s.commit_batch(alerts, station), console.bridge.frames_committed.emit
    )
    qtbot.waitUntil(lambda: console.model.rowCount() == len(alerts), timeout=5000)
    qtbot.waitUntil(console.window.banner.isVisible, timeout=5000)


def fit_to(window: QWidget, screen: QSize, qtbot: Any) -> None:
    """The window at the size a maximised window gets on ``screen``."""
    window.showNormal()
    window.resize(screen)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: window.size() == screen.expandedTo(window.minimumSizeHint()))


def controls(console: Console) -> dict[str, QWidget]:
    """Every control the walkthrough found off-screen, and the ones always needed."""
    w = console.window
    wall = console.wall
    named: dict[str, QWidget] = {
        "poste": w.station_label,
        "liaison": w.link_status,
        "bandeau": w.banner,
        "filtres": w.filters,
        "file d'alertes": w.table,
        "rappel 17/18/15/112": w.emergency,
        "aide des touches": w.keys_help,
        "compteurs": w.counts_label,
        "ALARME SONORE INDISPONIBLE": w.sound_label,
        "couper le son": w.mute_button,
        "messages rejetés": w.rejected_button,
        "carte": console.map_pane.view.viewport(),  # its scale bar and north arrow
        "ajuster au site": console.map_pane.fit_button,
        "titre du mur": wall.title,
        "nouvelle entrée de main courante (F9)": w.entry_button,
    }
    for button in wall._buttons.buttons():
        named[f"disposition {button.text()}"] = button
    for i, tile in enumerate(wall.visible_tiles()):
        named[f"tuile {i + 1}"] = tile
        if tile.camera is not None:
            named[f"cliché tuile {i + 1}"] = tile.snap_button
    return named


def outside(console: Console) -> list[str]:
    """The controls not wholly inside the window, or hidden by their parents."""
    window = console.window
    # A short message (a camera unreachable…) stands in for the counts for 15 s.
    window.statusBar().clearMessage()
    bad = []
    for name, widget in controls(console).items():
        if not widget.isVisible():
            bad.append(f"{name} : caché")
            continue
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not window.rect().contains(rect):
            bad.append(f"{name} : {rect} hors de {window.rect()}")
            continue
        # Clipped by a parent (a splitter pane squeezed to nothing, a scrolled area).
        shown = widget.visibleRegion().boundingRect()
        if shown.width() < widget.width() or shown.height() < widget.height():
            bad.append(f"{name} : rogné ({shown.size()} sur {widget.size()})")
    return bad


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_every_control_is_on_a_screen_and_nothing_grows_the_window(
    console: Console, make: Any, qtbot: Any, screen: QSize
) -> None:
    window = console.window
    feed_alerts(console, make, qtbot)
    window.show_sound_state(False, "aucune carte son")

    hint = window.minimumSizeHint()
    assert hint.width() <= MAX_MINIMUM.width() and hint.height() <= MAX_MINIMUM.height(), hint
    fit_to(window, screen, qtbot)
    assert window.size() == screen, "la fenêtre ne tient pas dans l'écran"
    assert outside(console) == [], outside(console)

    # A camera shown alone (double-click on a tile, a camera picked on the map): the
    # wall's title says so at length; the window does not grow, nothing falls off.
    tile = console.wall.visible_tiles()[0]
    assert tile.camera is not None
    console.wall.show_single(tile.camera)
    assert "flux principal" in console.wall.title.text()
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= hint.width()
    fit_to(window, screen, qtbot)
    assert window.size() == screen
    assert outside(console) == [], outside(console)
    console.map_pane.view.camera_clicked.emit(console.site.cameras[-1].id)
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= hint.width()
    assert window.size() == screen
    assert outside(console) == [], outside(console)


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
def test_long_texts_are_cut_with_the_whole_text_in_a_tooltip(
    console: Console, make: Any, qtbot: Any
) -> None:
    feed_alerts(console, make, qtbot)
    fit_to(console.window, SCREENS[1], qtbot)
    wall = console.wall
    wall.show_single(replace(console.site.cameras[0], name="Caméra " + "très " * 30 + "longue"))
    QApplication.processEvents()
    title = wall.title
    assert title.is_elided() and title.shown_text().endswith("…")
    assert "flux principal" in title.toolTip()
    assert title.width() <= wall.width()


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
@pytest.mark.parametrize("ui_scale", [2.0])
def test_at_the_largest_scale_the_console_still_fits_a_1920_screen(
    console: Console, make: Any, qtbot: Any, ui_scale: float
) -> None:
    feed_alerts(console, make, qtbot)
    window = console.window
    screen = SCREENS[0]
    assert window.table.font().pointSizeF() >= 12 * ui_scale
    hint = window.minimumSizeHint()
    assert hint.width() <= screen.width() and hint.height() <= screen.height(), hint
    fit_to(window, screen, qtbot)
    assert window.size() == screen
    assert outside(console) == [], outside(console)


def whole_rows(console: Console) -> int:
    """How many of the queue's rows are wholly in sight."""
    table = console.window.table
    view, shown = table.viewport().rect(), table.model()  # the filter's proxy
    return sum(
        1 for row in range(shown.rowCount()) if view.contains(table.visualRect(shown.index(row, 0)))
    )


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
def test_on_a_1366x768_screen_the_queue_shows_five_rows_until_the_operator_drags(
    console: Console, make: Any, qtbot: Any
) -> None:
    """The detail pane under the queue was taking as much room as three rows of
    alerts: on a short screen the queue comes first, and a drag of the handle by
    the operator is kept through later resizes."""
    feed_alerts(console, make, qtbot)
    fit_to(console.window, QSize(1366, 768), qtbot)
    qtbot.waitUntil(lambda: whole_rows(console) >= 5, timeout=3000)
    column = console.window.table.parentWidget()
    while not isinstance(column, QSplitter) or column.orientation() != Qt.Orientation.Vertical:
        column = column.parentWidget()
    queue_h, detail_h = column.sizes()
    assert detail_h >= 140  # the detail keeps a readable height
    column.moveSplitter(queue_h - 120, 1)  # the operator wants a taller detail
    QApplication.processEvents()
    dragged = column.sizes()
    fit_to(console.window, QSize(1366, 767), qtbot)
    fit_to(console.window, QSize(1366, 768), qtbot)
    assert column.sizes()[1] >= dragged[1] - 2  # their choice stays


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
def test_on_a_1366x768_screen_the_state_column_is_in_sight(
    console: Console, make: Any, qtbot: Any
) -> None:
    """The queue is 800 px wide there: the state (« Prise en compte · claire ») was
    past its right edge, behind the horizontal scroll bar. It follows the title now;
    the places and times are what scroll."""
    feed_alerts(console, make, qtbot)
    fit_to(console.window, QSize(1366, 768), qtbot)
    table = console.window.table
    header = table.horizontalHeader()
    state = COLUMNS.index("state")
    assert header.visualIndex(state) == COLUMNS.index("title") + 1
    left = header.sectionViewportPosition(state)
    assert table.horizontalScrollBar().value() == 0
    words = QFontMetrics(table.font()).horizontalAdvance("Prise en compte · claire")
    assert left >= 0 and left + words <= table.viewport().width()  # in sight, whole
