"""Category icons for the queue: a glyph on a dark tile, readable at a glance.

Drawn at run time from DejaVu Sans glyphs (installed with the console's fonts), so
there is no image to ship or keep in sync. Colour stays for priority alone.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from csu_console.core.alerts import Category
from csu_console.ui.pixmaps import painted_pixmap

GLYPHS: dict[Category, str] = {
    Category.CAMBRIOLAGE: "⌂",  # a house
    Category.COMPORTEMENT_SUSPECT: "◉",  # an eye
    Category.DEMARCHAGE_ABUSIF: "€",  # selling at the door
    Category.ANIMAL_PERDU: "♞",
    Category.DEGRADATION: "✎",  # graffiti
    Category.INCENDIE: "♨",
    Category.ACCIDENT: "⚠",
    Category.RIXE: "⚔",
    Category.INONDATION: "≈",  # water
    Category.FEU_DE_FORET: "♣",  # a tree
    Category.METEO: "☂",
    Category.POLLUTION: "☣",
    Category.RISQUE_TECHNOLOGIQUE: "☢",
    Category.SEISME: "∿",
    Category.ALERTE_POPULATION: "‼",
    Category.AUTRE: "•",
}
SIZE = 22
_cache: dict[Category, QIcon] = {}


def category_icon(category: Category) -> QIcon:
    """The icon of a category (built once; needs a QGuiApplication)."""
    icon = _cache.get(category)
    if icon is None:
        icon = _cache[category] = QIcon(_draw(GLYPHS[category]))
    return icon


def _draw(glyph: str) -> QPixmap:
    def paint(painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#37474f"))
        painter.drawRoundedRect(QRectF(0, 0, SIZE, SIZE), 4, 4)
        font = QFont("DejaVu Sans")
        font.setPixelSize(SIZE - 6)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, SIZE, SIZE), Qt.AlignmentFlag.AlignCenter, glyph)

    return painted_pixmap(SIZE, SIZE, paint)


#: The tile of « another station is looking at this alert » (blue: information).
VIEWED_COLOR = "#1565c0"
_viewed: list[QIcon] = []


def viewed_icon() -> QIcon:
    """An open eye on a blue tile: another station is looking at the alert."""
    if not _viewed:
        _viewed.append(QIcon(_draw_eye()))
    return _viewed[0]


def _draw_eye() -> QPixmap:
    def paint(painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(VIEWED_COLOR))
        painter.drawRoundedRect(QRectF(0, 0, SIZE, SIZE), 4, 4)
        mid = SIZE / 2
        eye = QPainterPath(QPointF(2, mid))
        eye.quadTo(QPointF(mid, mid - 9), QPointF(SIZE - 2, mid))
        eye.quadTo(QPointF(mid, mid + 9), QPointF(2, mid))
        painter.setPen(QPen(QColor("white"), 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(eye)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("white"))
        painter.drawEllipse(QPointF(mid, mid), 3.4, 3.4)

    return painted_pixmap(SIZE, SIZE, paint)
