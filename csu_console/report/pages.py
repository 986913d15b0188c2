"""What every PDF of the console shares (the shift report, the procès-verbal
d'extraction): A4 at 300 dpi through QPdfWriter, its painter, the page geometry in
millimetres, the footer of every page with « page i / n », and fonts whose words
stay searchable. Painted on the GUI thread only (see :mod:`csu_console.report.pdf`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

LEFT_TOP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


def pdf_font(points: float, *, mono: bool = False) -> QFont:
    """DejaVu without ligatures: « vérifiée » stays searchable (no « ﬁ » glyph)."""
    font = QFont("DejaVu Sans Mono" if mono else "DejaVu Sans")
    font.setPointSizeF(points)
    font.setFeature(QFont.Tag("liga"), 0)
    return font


def bold(font: QFont, size: float | None = None) -> QFont:
    out = QFont(font)
    out.setBold(True)
    if size:
        out.setPointSizeF(size)
    return out


class PdfPages:
    """The writer, its painter, the page geometry and the footer of every page.

    ``margins_mm``: left/right and top/bottom margins; the footer (``footer`` on the
    left, « page i / n » on the right) sits in the last ``footer_mm`` of the page.
    """

    def __init__(
        self,
        target: str | QIODevice,
        title: str,
        footer: str,
        total: int,
        small: QFont,
        *,
        margins_mm: tuple[float, float] = (15, 15),
        footer_mm: float = 5.0,
        footer_color: str = "#455a64",
    ) -> None:
        self.writer = QPdfWriter(target)
        self.writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        side, top = margins_mm
        self.writer.setPageMargins(QMarginsF(side, top, side, top), QPageLayout.Unit.Millimeter)
        self.writer.setResolution(300)
        self.writer.setTitle(title)
        self.writer.setCreator("CSU Console")
        self.p = QPainter(self.writer)
        self.page, self.total = 1, total
        self.width, self.height = float(self.writer.width()), float(self.writer.height())
        self.small = small
        self.footer = footer
        self._footer_mm, self._footer_color = footer_mm, footer_color

    def close(self) -> None:
        """End the painter before the writer goes (idempotent): a painter left
        active on a deleted writer is a crash when it is destroyed later."""
        if self.p.isActive():
            self.p.end()

    def mm(self, value: float) -> float:
        return value * self.writer.resolution() / 25.4

    def finish_page(self) -> None:
        self.p.setFont(self.small)
        self.p.setPen(QColor(self._footer_color))
        rect = QRectF(
            0, self.height - self.mm(self._footer_mm), self.width, self.mm(self._footer_mm)
        )
        self.p.drawText(rect, LEFT_TOP, self.footer)
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.p.drawText(rect, right, f"page {self.page} / {max(self.page, self.total)}")

    def next_page(self) -> None:
        self.finish_page()
        self.writer.newPage()
        self.page += 1


def pdf_bytes(paint: Callable[[QBuffer], Iterable[object]]) -> bytes:
    """A whole document painted at once into memory (GUI thread): ``paint`` is a
    report's page-by-page painter, given the buffer as its target."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    for _page in paint(buffer):
        pass
    data = bytes(buffer.data().data())
    buffer.close()
    return data
