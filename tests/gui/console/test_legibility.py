"""Legible from two metres, in a dim room or a bright one (issue 14, item 12).

The contrast is measured on the pixels the real widgets paint — the queue, the
banner, the wall's tiles, the status bar and the reminders of the console as
``app.Console`` builds it with ``[ui] theme`` set — not on colours copied here: in
each text's area the most frequent colour is the background, the colour farthest
from it is the text, and their WCAG ratio must be 4.5:1 at least (AA).
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QWidget
from support import CONFIG_DIR

from csu_console.app import Console
from csu_console.core.alerts import Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.startup import RunOptions
from csu_console.ui.console.alert_cells import COLUMNS
from csu_console.ui.theme import contrast_ratio, relative_luminance
from csu_console.ui.wall.tile import FOOTER_H, HEADER_H

AA = 4.5
NEAR_CAMERAS = (60.1699, 24.9384)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def site_with(tmp_path: Path, ui: str) -> Path:
    config = tmp_path / f"config-{len(list(tmp_path.glob('config*')))}"
    shutil.copytree(CONFIG_DIR, config)
    toml = config / "site.toml"
    text = toml.read_text(encoding="utf-8").split("\n[ui]\n")[0]
    toml.write_text(text + "\n[ui]\n" + ui + "\n", encoding="utf-8")
    return config


@pytest.fixture
def console_for(qtbot: Any, qapp: QApplication, tmp_path: Path) -> Iterator[Any]:
    """Builds the real console on the demo site with ``[ui]`` set as told."""
    made: list[Console] = []

    def make(ui: str) -> Console:
        console = Console(
            qapp,
            RunOptions(
                site_with(tmp_path, ui),
                tmp_path / "data",
                gateway=f"ws://127.0.0.1:{free_port()}/",
                autologin="demo",
            ),
        )
        made.append(console)
        qtbot.addWidget(console.window)
        console.start()
        console.window.showNormal()
        console.window.resize(1920, 1080)
        return console

    try:
        yield make
    finally:
        for console in made:
            console.stop()


def feed(console: Console, make: Any, qtbot: Any, n: int = 6) -> None:
    """``n`` alerts of different categories (not grouped), one of them two days old."""
    lat, lon = NEAR_CAMERAS
    categories = list(Category)
    alerts = [
        AlertMessage(
            None,
            make.alert(
                category=categories[i],
                priority=1 + i % 4,
                title=f"Véhicule en travers de la chaussée {i}",
                location=Location(lat + i * 0.0003, lon, f"{i + 1} Aleksanterinkatu", 10.0),
                sent=datetime.now(UTC) - timedelta(days=2 if i == n - 1 else 0, seconds=37),
            ),
        )
        for i in range(n)
    ]
    station = console.settings.station
    console.tasks.run(
        lambda s: s.commit_batch(alerts, station), console.bridge.frames_committed.emit
    )
    qtbot.waitUntil(lambda: console.model.rowCount() == n, timeout=5000)
    qtbot.waitUntil(console.window.banner.isVisible, timeout=5000)


# -- measuring on pixels ------------------------------------------------------------


def pixels(widget: QWidget, rect: QRect | None = None) -> np.ndarray:
    image = widget.grab(rect or widget.rect()).toImage()
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = image.constBits()
    data = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes())
    rows = data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4)[:, :, :3]  # B, G, R


def text_contrast(widget: QWidget, rect: QRect | None = None) -> float:
    """The contrast of the text painted in ``rect`` of ``widget`` on its background."""
    px = pixels(widget, rect).reshape(-1, 3)
    colours, counts = np.unique(px, axis=0, return_counts=True)
    b, g, r = (int(v) for v in colours[counts.argmax()])
    background = QColor(r, g, b)
    # Anti-aliased edges blend text and background: the text's own colour is the one
    # farthest from the background (a few pixels at least).
    best = 1.0
    for (cb, cg, cr), count in zip(colours, counts, strict=True):
        if count >= 4:
            best = max(best, contrast_ratio(QColor(int(cr), int(cg), int(cb)), background))
    assert best > 1.0, "aucun texte dans la zone mesurée"
    return best


def background_luminance(widget: QWidget) -> float:
    px = pixels(widget).reshape(-1, 3)
    colours, counts = np.unique(px, axis=0, return_counts=True)
    b, g, r = (int(v) for v in colours[counts.argmax()])
    return relative_luminance(QColor(r, g, b))


def areas(console: Console, qtbot: Any) -> dict[str, tuple[QWidget, QRect | None]]:
    """Every text the operator reads from the desk, as (widget, area)."""
    w = console.window
    table = w.table
    view = table.viewport()

    def cell(row: int, column: str) -> tuple[QWidget, QRect]:
        index = w.proxy.index(row, COLUMNS.index(column))
        return view, table.visualRect(index).adjusted(1, 1, -1, -1)

    found: dict[str, tuple[QWidget, QRect | None]] = {}
    for row in range(w.proxy.rowCount()):
        found[f"file : priorité, ligne {row + 1}"] = cell(row, "priority")
        found[f"file : titre, ligne {row + 1}"] = cell(row, "title")
        found[f"file : reçu à, ligne {row + 1}"] = cell(row, "received")
    header = table.horizontalHeader()
    found["file : en-tête"] = (
        header.viewport(),
        QRect(header.sectionViewportPosition(2), 0, header.sectionSize(2), header.height()),
    )
    found["bandeau"] = (w.banner, None)
    found["liaison"] = (w.link_status, None)
    found["poste"] = (w.station_label, None)
    found["rappel 17/18/15/112"] = (w.emergency, None)
    found["aide des touches"] = (w.keys_help, None)
    found["barre d'état : compteurs"] = (w.counts_label, None)
    found["barre d'état : alarme sonore"] = (w.sound_label, None)
    found["barre d'état : couper le son"] = (w.mute_button, None)
    found["barre d'état : messages rejetés"] = (w.rejected_button, None)
    for i, tile in enumerate(console.wall.visible_tiles()):
        if tile.camera is None:
            continue
        name = f"tuile {i + 1}"
        snap = tile.snap_button.geometry()
        found[f"{name} : nom"] = (tile, QRect(0, 0, snap.left() - 2, HEADER_H))
        found[f"{name} : état"] = (tile, QRect(0, tile.height() - FOOTER_H, 110, FOOTER_H))
        found[f"{name} : bouton cliché"] = (tile.snap_button, None)
    return found


def contrasts(console: Console, qtbot: Any) -> dict[str, float]:
    QApplication.processEvents()
    return {name: text_contrast(*where) for name, where in areas(console, qtbot).items()}


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
@pytest.mark.parametrize("theme", ["sombre", "clair"])
def test_every_text_reads_at_wcag_aa_in_both_themes(
    console_for: Any, make: Any, qtbot: Any, theme: str
) -> None:
    console = console_for(f'theme = "{theme}"')
    window = console.window
    feed(console, make, qtbot)
    window.show_sound_state(False, "aucune carte son")
    console.model.rejected_count = 3
    console.model.counts_changed.emit()
    window.statusBar().clearMessage()
    qtbot.waitUntil(lambda: all(t.status is not None for t in console.wall.visible_tiles()[:1]))

    seen = contrasts(console, qtbot)
    # The banner flashes: its other phase; a selected row; a mute in progress.
    window.banner._toggle()
    window.table.selectRow(1)
    window.show_mute_state(90, "demo")
    seen.update({f"{k} (2)": v for k, v in contrasts(console, qtbot).items()})

    low = {name: round(ratio, 2) for name, ratio in seen.items() if ratio < AA}
    assert low == {}, f"contraste sous 4,5:1 ({theme})"
    assert len(seen) > 40


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
def test_the_dark_theme_is_dark_and_the_light_one_light(
    console_for: Any, make: Any, qtbot: Any
) -> None:
    dark = console_for('theme = "sombre"')
    assert background_luminance(dark.window.table.viewport()) < 0.05
    assert background_luminance(dark.window.centralWidget()) < 0.05
    dark.stop()
    light = console_for('theme = "clair"')
    assert background_luminance(light.window.table.viewport()) > 0.7
    assert background_luminance(light.window.centralWidget()) > 0.7


@pytest.mark.expected_logs("csu.app", "csu.net", "csu.media", "csu.ui", "csu.video")
@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_queue_reads_at_twelve_points_times_to_the_second(
    console_for: Any, make: Any, qtbot: Any, scale: float
) -> None:
    console = console_for(f"scale = {scale}")
    feed(console, make, qtbot)
    window = console.window
    model = window.proxy
    assert window.table.font().pointSizeF() >= 12 * scale
    assert window.keys_help.font().pointSizeF() >= 12 * scale
    assert window.counts_label.font().pointSizeF() >= 12 * scale
    header = window.table.horizontalHeader()
    for row in range(model.rowCount()):
        # New alerts are in bold: a font of their own, as big as the rest.
        font = model.index(row, 2).data(Qt.ItemDataRole.FontRole)
        if font is not None:
            assert font.pointSizeF() >= 12 * scale
        for column in ("priority", "category", "sent", "received"):
            index = model.index(row, COLUMNS.index(column))
            text = str(index.data())
            needed = window.table.fontMetrics().horizontalAdvance(text)
            if column == "category":
                needed += window.table.iconSize().width()
            if column in ("sent", "received"):
                text = text[:8]  # the time; an older alert's day follows it
                assert len(text) == 8 and text.count(":") == 2, text  # HH:MM:SS
                bold = window.table.font()
                bold.setBold(True)
                needed = QFontMetrics(bold).horizontalAdvance(text)
            assert needed + 8 <= header.sectionSize(COLUMNS.index(column)), (column, text)
