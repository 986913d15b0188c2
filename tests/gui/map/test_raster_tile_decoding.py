"""Raster tiles are decoded with their format named (PNG, JPEG, WebP by their first
bytes): Qt never probes its other image plugins on the map's worker thread (the SVG
one took Qt's connection lock while the thread held the GIL: the GUI froze once)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from csu_console.ui.map.basemap import decode_tiles, tile_format


def encoded(fmt: str) -> bytes:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(buffer.data().data())


def test_png_and_jpeg_tiles_decode_and_anything_else_is_skipped() -> None:
    png, jpeg = encoded("PNG"), encoded("JPEG")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"></svg>'
    assert (tile_format(png), tile_format(jpeg), tile_format(svg)) == ("PNG", "JPEG", None)
    assert tile_format(b"RIFF\x00\x00\x00\x00WAVEfmt ") is None  # a RIFF that is not WebP
    decoded = decode_tiles([(15, 1, 2, png), (15, 1, 3, jpeg), (15, 1, 4, svg), (15, 1, 5, b"")])
    assert len(decoded) == 2  # the SVG (Qt would have drawn it) and the empty one skipped
    for _bbox, image in decoded:
        assert (image.width(), image.height()) == (8, 8)
