"""A wall tile's texts stay inside it, however small the tile (4×4 on a 1366 screen)
and however long the text (issue 14, item 1)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage
from support import CONFIG_DIR

from csu_console.config import load_site
from csu_console.ui.wall.tile import FOOTER_H, IDLE, CameraTile

MASKED = "Images masquées : personne n'est connecté"


@pytest.mark.parametrize("size", [(200, 120), (240, 150), (480, 270)])
def test_the_masked_message_wraps_inside_the_tile(
    qtbot: Any, tz: Any, size: tuple[int, int]
) -> None:
    tile = CameraTile(tz)
    qtbot.addWidget(tile)
    tile.resize(*size)
    tile.show_camera(load_site(CONFIG_DIR).cameras[0], None)
    tile.masked = MASKED
    image = tile.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    mid = image.height() // 2
    row = [QColor(image.pixel(x, mid)) for x in range(image.width())]
    label = [x for x, c in enumerate(row) if c == IDLE]
    assert label, "le message n'est pas peint"
    # The label's box stops short of the tile's edges: no word is cut off.
    assert min(label) >= 4 and max(label) <= image.width() - 5, (min(label), max(label))


@pytest.mark.parametrize("width", [160, 200, 240, 480])
def test_the_footer_keeps_the_time_whole_and_never_overlaps(
    qtbot: Any, tz: Any, width: int
) -> None:
    tile = CameraTile(tz)
    qtbot.addWidget(tile)
    state, stamp = tile.footer_texts(width, "Signal perdu – délai de connexion dépassé", "12:34:56")
    assert stamp.endswith("12:34:56")  # the time, whole, always
    plain = QFont(tile.font())
    plain.setPixelSize(FOOTER_H - 12)
    bold = QFont(plain)
    bold.setBold(True)
    used = QFontMetrics(bold).horizontalAdvance(state) + QFontMetrics(plain).horizontalAdvance(
        stamp
    )
    assert 8 + used + 10 + 8 <= width  # left margin, state, gap, time, right margin
    if width >= 480:
        assert stamp == "image 12:34:56"
