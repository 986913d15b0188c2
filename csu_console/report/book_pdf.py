"""The main courante as shown, printed to PDF (QPdfWriter + QPainter, A4 landscape).

Every page's footer carries the chain head of this station's book (the last
event's sequence and hash) and whether :func:`~csu_console.storage.logbook_audit.verify_chain`
held when printed: a printed page can be checked against the database, and
against the heads the other stations witnessed. GUI thread only (like
:mod:`csu_console.report.pdf`); the caller reads the data and logs the export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
_WRAP = _LEFT | int(Qt.TextFlag.TextWordWrap)
#: Column titles and shares of the width; the last one is HTML (struck originals).
COLUMNS = (("Heure", 0.09), ("Poste", 0.07), ("Opérateur", 0.08), ("Type", 0.13),
           ("Alerte", 0.15), ("Texte", 0.48))  # fmt: skip


@dataclass(frozen=True)
class BookLine:
    """One printed row: five plain cells and the text as HTML."""

    cells: tuple[str, str, str, str, str]
    html: str


@dataclass(frozen=True)
class BookPrint:
    """What the page heads and footers say."""

    centre: str
    station: str
    period: str
    filters: str
    printed: str  # « Édité le … par … »
    head_seq: int
    head_hash: str
    chain_ok: bool
    chain_problem: str = ""

    def footer(self) -> str:
        state = "vérifiée" if self.chain_ok else f"NON VÉRIFIÉE ({self.chain_problem})"
        return (
            f"Tête de chaîne du poste {self.station} : n° {self.head_seq}, "
            f"empreinte {self.head_hash or '—'} — chaîne {state}"
        )


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setFeature(QFont.Tag("liga"), 0)  # « vérifiée » stays searchable
    return font


def write_book_pdf(path: Path, info: BookPrint, lines: Sequence[BookLine]) -> int:
    """Write the book to ``path``; the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(f"Main courante — {info.centre}")
    writer.setCreator("CSU Console")
    p = QPainter(writer)
    try:
        width, height = float(writer.width()), float(writer.height())

        def mm(v: float) -> float:
            return v * writer.resolution() / 25.4

        body, small, bold = _font(8), _font(7), _font(8, True)
        page = 1
        bottom = height - mm(10)

        def footer() -> None:
            p.setFont(small)
            p.setPen(QColor("#000000" if info.chain_ok else "#c62828"))
            rect = QRectF(0, height - mm(8), width * 0.85, mm(8))
            p.drawText(rect, _WRAP, info.footer())
            p.setPen(QColor("#455a64"))
            p.drawText(QRectF(0, height - mm(8), width, mm(4)), _RIGHT, f"page {page}")

        def head() -> float:
            p.setPen(QColor("#000000"))
            p.setFont(_font(13, True))
            y = 0.0
            title = f"Main courante — {info.centre}"
            r = p.boundingRect(QRectF(0, y, width, height), _WRAP, title)
            p.drawText(r, _WRAP, title)
            y += r.height()
            p.setFont(body)
            for text in (f"{info.period} · {info.filters}", info.printed):
                r = p.boundingRect(QRectF(0, y, width, height), _WRAP, text)
                p.drawText(r, _WRAP, text)
                y += r.height()
            y += mm(2)
            p.setFont(bold)
            x = 0.0
            for title, share in COLUMNS:
                p.drawText(QRectF(x, y, width * share, mm(5)), _LEFT, title)
                x += width * share
            y += p.fontMetrics().height() + mm(1)
            p.setPen(QPen(QColor("#90a4ae"), 0))
            p.drawLine(0, int(y), int(width), int(y))
            return y + mm(0.5)

        y = head()
        if not lines:
            p.setFont(body)
            p.drawText(QRectF(0, y, width, mm(6)), _LEFT, "Aucun événement pour ce choix.")
        text_x = width * sum(share for _t, share in COLUMNS[:-1])
        text_w = width * COLUMNS[-1][1]
        for line in lines:
            doc = QTextDocument()
            # Laid out at the printer's resolution (the screen's would make it tiny).
            doc.documentLayout().setPaintDevice(writer)
            doc.setDefaultFont(body)
            doc.setDocumentMargin(0)
            doc.setHtml(line.html)
            doc.setTextWidth(text_w - mm(1))
            p.setFont(body)
            row_h = max(doc.size().height(), float(p.fontMetrics().height())) + mm(1)
            if y + row_h > bottom:
                footer()
                writer.newPage()
                page += 1
                y = head()
            p.setFont(body)
            p.setPen(QColor("#000000"))
            x = 0.0
            metrics = p.fontMetrics()
            for (_title, share), cell in zip(COLUMNS[:-1], line.cells, strict=True):
                w = width * share
                shown = metrics.elidedText(cell, Qt.TextElideMode.ElideRight, int(w - mm(1)))
                p.drawText(QRectF(x, y, w, row_h), _LEFT, shown)
                x += w
            p.save()
            p.translate(text_x, y)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.clip = QRectF(0, 0, text_w, row_h)
            doc.documentLayout().draw(p, ctx)
            p.restore()
            y += row_h
            p.setPen(QPen(QColor("#eceff1"), 0))
            p.drawLine(0, int(y), int(width), int(y))
        footer()
    finally:
        if p.isActive():
            p.end()
    return page
