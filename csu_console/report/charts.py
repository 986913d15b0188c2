"""The report's charts, drawn with QPainter into a rectangle of the page.

Plain bars rather than a rendered pyqtgraph plot: no widget to create (the report
may be written on a worker thread), and vector output that stays sharp in print.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from csu_console.core.review.filter import category_label
from csu_console.core.review.stats import CATEGORY_COLORS, hours_of

AXIS = QColor("#455a64")
GRID = QColor("#cfd8dc")


def _nice_max(value: int) -> int:
    """The y axis' top: four round steps (1, 2, 5, 10, 20, 50…) reaching ``value``."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            if 4 * m * magnitude >= value:
                return 4 * m * magnitude
        magnitude *= 10


def _axis(p: QPainter, plot: QRectF, top: int, font: QFont) -> None:
    p.setFont(font)
    p.setPen(QPen(GRID, 0))
    for i in range(5):
        y = plot.bottom() - plot.height() * i / 4
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        label = QRectF(plot.left() - plot.width(), y - 20, plot.width() - 6, 40)
        p.setPen(AXIS)
        p.drawText(
            label,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            f"{top * i // 4}",
        )
        p.setPen(QPen(GRID, 0))
    p.setPen(QPen(AXIS, 0))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())


def _title(p: QPainter, rect: QRectF, title: str, font: QFont) -> QRectF:
    bold = QFont(font)
    bold.setBold(True)
    p.setFont(bold)
    p.setPen(QColor("#000000"))
    height = p.fontMetrics().height() * 1.4
    p.drawText(
        QRectF(rect.left(), rect.top(), rect.width(), height),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        title,
    )
    return QRectF(rect.left(), rect.top() + height, rect.width(), rect.height() - height)


def hourly_stacked(
    p: QPainter,
    rect: QRectF,
    by_hour: dict[datetime, dict[str, int]],
    start: datetime,
    end: datetime,
    tz: tzinfo,
    font: QFont,
) -> None:
    """Alerts per hour (local labels), stacked by category, with a legend."""
    body = _title(p, rect, "Alertes par heure et par catégorie", font)
    hours = hours_of(start, end)
    categories = [c for c in CATEGORY_COLORS if any(c in v for v in by_hour.values())]
    categories += sorted({c for v in by_hour.values() for c in v} - set(categories))
    line = p.fontMetrics().height()
    legend_h = line * 1.5 * ((len(categories) + 2) // 3)
    plot = QRectF(
        body.left() + line * 3,
        body.top() + line * 0.5,
        body.width() - line * 3.5,
        body.height() - line * 3 - legend_h,
    )
    top = _nice_max(max((sum(v.values()) for v in by_hour.values()), default=1))
    _axis(p, plot, top, font)
    width = plot.width() / max(1, len(hours))
    every = max(1, round(len(hours) / 12))
    for i, hour in enumerate(hours):
        y = plot.bottom()
        for cat in categories:
            n = by_hour.get(hour, {}).get(cat, 0)
            if n:
                h = plot.height() * n / top
                p.fillRect(
                    QRectF(plot.left() + i * width + width * 0.1, y - h, width * 0.8, h),
                    QColor(CATEGORY_COLORS.get(cat, "#9e9e9e")),
                )
                y -= h
        if i % every == 0:
            p.setPen(AXIS)
            label = QRectF(plot.left() + i * width - width, plot.bottom() + 2, width * 3, line)
            p.drawText(label, int(Qt.AlignmentFlag.AlignHCenter), f"{hour.astimezone(tz):%Hh}")
    x, y = plot.left(), plot.bottom() + line * 1.6
    column = plot.width() / 3  # three a row: « Comportement suspect » fits its column
    for n, cat in enumerate(categories):
        cx, cy = x + (n % 3) * column, y + (n // 3) * line * 1.5
        p.fillRect(
            QRectF(cx, cy + line * 0.2, line * 0.8, line * 0.8),
            QColor(CATEGORY_COLORS.get(cat, "#9e9e9e")),
        )
        p.setPen(QColor("#000000"))
        p.drawText(
            QRectF(cx + line, cy, column - line, line * 1.2),
            int(Qt.AlignmentFlag.AlignLeft),
            category_label(cat),
        )


def bars(
    p: QPainter,
    rect: QRectF,
    title: str,
    items: Sequence[tuple[str, int]],
    font: QFont,
    color: str = "#1565c0",
) -> None:
    """Horizontal bars, one per (label, count), the count written at the end."""
    body = _title(p, rect, title, font)
    p.setFont(font)
    line = p.fontMetrics().height()
    if not items:
        p.drawText(body, int(Qt.AlignmentFlag.AlignLeft), "aucune")
        return
    label_w = body.width() * 0.35
    row_h = min(line * 1.6, body.height() / len(items))
    top = max(n for _, n in items) or 1
    for i, (label, n) in enumerate(items):
        y = body.top() + i * row_h
        p.setPen(QColor("#000000"))
        p.drawText(
            QRectF(body.left(), y, label_w - line * 0.5, row_h),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            p.fontMetrics().elidedText(
                label, Qt.TextElideMode.ElideRight, int(label_w - line * 0.5)
            ),
        )
        w = (body.width() - label_w - line * 3) * n / top
        p.fillRect(QRectF(body.left() + label_w, y + row_h * 0.15, w, row_h * 0.7), QColor(color))
        p.drawText(
            QRectF(body.left() + label_w + w + line * 0.3, y, line * 3, row_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            str(n),
        )
