"""Pictures drawn once and blitted many times (map markers, decorations, tile bars).

A ``QPainter`` call from Python is a trip into Python and back, each waiting for the
GIL when other threads are busy: what repaints often is drawn once into a pixmap.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmap


def painted_pixmap(
    width: int, height: int, paint: Callable[[QPainter], None], ratio: float = 1.0
) -> QPixmap:
    """A transparent ``width`` × ``height`` pixmap (logical pixels, ``ratio`` device
    pixels each) painted by ``paint``, antialiased."""
    pixmap = QPixmap(round(width * ratio), round(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint(painter)
    painter.end()
    return pixmap
