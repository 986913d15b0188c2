"""The per-commune report as a PDF, for the commune's maire (QPdfWriter, A4 portrait).

Page 1: the CSU, the commune, the period and the one it is compared with, who
printed it and when; the key figures against the previous period; the alerts per
category, this period beside the previous one. Page 2: where the alerts were
(points over the commune's outline and secteurs: the site's zones, no basemap —
the report stays readable in black and white and needs no map file), the alerts
per secteur of each zoning and their outcomes. Then the list of the alerts with
personal data minimised (no reporter, phone, title, description nor address).
Every page ends with the CNIL retention reminder and « page i / n ».

Painted on the GUI thread only (see :mod:`csu_console.report.pdf`); the data come
from :func:`csu_console.storage.review_communes.load_commune_reports`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen

from csu_console.core.review.commune_report import (
    CommuneReport,
    ListedAlert,
    category_pairs,
    key_figures,
    outcome_items,
    period_text,
    retention_text,
)
from csu_console.core.review.digest import duration
from csu_console.core.review.filter import category_label, outcome_label
from csu_console.core.review.period import long_datetime
from csu_console.core.review.stats import CATEGORY_COLORS
from csu_console.report import charts
from csu_console.report.pages import PdfPages, bold, pdf_bytes, pdf_font

_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
_INK, _GREY, _RULE, _SHADE = "#000000", "#455a64", "#cfd8dc", "#eceff1"
_NOW, _BEFORE = "#1565c0", "#b0bec5"
FIRST_PAGES = 2  # before the list
# Shares of the width (180 mm), measured on the longest values at 8 pt: « 30/10/25
# 23:59 » 22 mm, « Comportement suspect » 33 mm, « Patrouille engagée » 26 mm…
_LIST = (("N°", 0.05), ("Reçue le", 0.135), ("Catégorie", 0.195), ("Prio.", 0.045),
         ("Secteur", 0.16), ("État en fin", 0.155), ("Délai", 0.095),
         ("Issue", 0.165))  # fmt: skip


class _Pages(PdfPages):
    """The report's pages: its fonts, and a footer with the CNIL reminder."""

    def __init__(self, target: str | QIODevice, report: CommuneReport, total: int) -> None:
        super().__init__(
            target,
            f"Rapport d'activité du CSU — {report.commune.label}",
            f"{report.centre} — {report.commune.label} — {period_text(report.period, report.tz)}",
            total,
            pdf_font(7),
            footer_mm=5.0,
        )
        self.report = report
        self.density_peak = 0  # set when the map shows densities
        self.font = pdf_font(10)
        self.p.setFont(self.font)
        self.line = self.p.fontMetrics().height()

    @property
    def body_bottom(self) -> float:
        return self.height - self.mm(16)

    def finish_page(self) -> None:
        rect = QRectF(0, self.height - self.mm(14), self.width, self.mm(9))
        self.p.setPen(QPen(QColor(_RULE), 0))
        self.p.drawLine(QPointF(0, rect.top()), QPointF(self.width, rect.top()))
        self.p.setFont(pdf_font(7))
        self.p.setPen(QColor(_GREY))
        self.p.drawText(rect.adjusted(0, self.mm(1), 0, 0), _WRAP,
                        retention_text(self.report.retention))  # fmt: skip
        super().finish_page()

    def text(self, y: float, text: str, font: QFont, *, x: float = 0, w: float = 0,
             color: str = _INK) -> float:  # fmt: skip
        """Wrapped text from ``y``; returns the y below it."""
        self.p.setFont(font)
        self.p.setPen(QColor(color))
        width = w or self.width - x
        rect = self.p.boundingRect(QRectF(x, y, width, self.height), _WRAP, text)
        self.p.drawText(QRectF(x, y, width, rect.height()), _WRAP, text)
        return y + rect.height()


def _header(pg: _Pages) -> float:
    r, tz = pg.report, pg.report.tz
    y = pg.text(0, f"Centre de supervision urbaine — {r.centre}", pg.font, color=_GREY)
    y = pg.text(y + pg.mm(1), f"Rapport d'activité — {r.commune.label}", bold(pg.font, 18))
    y = pg.text(y + pg.mm(2), f"Période : {period_text(r.period, tz)}", bold(pg.font, 11))
    y = pg.text(y + pg.mm(0.5), f"Comparée à la période précédente de même durée : "
                f"{period_text(r.previous, tz)}", pg.font)  # fmt: skip
    y = pg.text(y + pg.mm(0.5), f"Édité le {long_datetime(r.printed_at, tz)} par {r.author}",
                pg.font, color=_GREY)  # fmt: skip
    note = ("Alertes situées dans la commune d'après leur position (les zones du site), "
            "quelle que soit la commune déclarée par le signalant.")  # fmt: skip
    return pg.text(y + pg.mm(0.5), note, pdf_font(8), color=_GREY)


def _figures(pg: _Pages, y: float) -> float:
    shares = (0.44, 0.13, 0.17, 0.26)
    heads = ("Indicateur", "Période", "Précédente", "Évolution")
    row_h = pg.line * 1.45
    xs = [0.0]
    for share in shares:
        xs.append(xs[-1] + pg.width * share)
    pg.p.fillRect(QRectF(0, y, pg.width, row_h), QColor(_SHADE))
    pg.p.setFont(bold(pg.font))
    pg.p.setPen(QColor(_INK))
    for i, head in enumerate(heads):
        align = _LEFT if i == 0 else _RIGHT
        pg.p.drawText(QRectF(xs[i] + pg.mm(1), y, xs[i + 1] - xs[i] - pg.mm(2), row_h),
                      align, head)  # fmt: skip
    y += row_h
    for label, now, before, change in key_figures(pg.report):
        pg.p.setPen(QPen(QColor(_RULE), 0))
        pg.p.drawLine(QPointF(0, y), QPointF(pg.width, y))
        for i, cell in enumerate((label, now, before, change)):
            pg.p.setFont(bold(pg.font) if i == 1 else pg.font)
            pg.p.setPen(QColor(_INK if i < 2 else _GREY))
            align = _LEFT if i == 0 else _RIGHT
            pg.p.drawText(QRectF(xs[i] + pg.mm(1), y, xs[i + 1] - xs[i] - pg.mm(2), row_h),
                          align, cell)  # fmt: skip
        y += row_h
    pg.p.setPen(QPen(QColor(_GREY), 0))
    pg.p.drawLine(QPointF(0, y), QPointF(pg.width, y))
    return y


def paired_bars(
    pg: _Pages, rect: QRectF, title: str, items: Sequence[tuple[str, int, int]]
) -> None:
    """Horizontal bars per label: this period (blue, count written) over the
    previous one (grey, count written), with a legend."""
    p = pg.p
    p.setFont(bold(pg.font, 11))
    p.setPen(QColor(_INK))
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), pg.line * 1.6), _LEFT, title)
    top = rect.top() + pg.line * 1.8
    p.setFont(pdf_font(9))
    line = p.fontMetrics().height()
    for i, (label, color) in enumerate((("période", _NOW), ("période précédente", _BEFORE))):
        x = rect.left() + i * pg.mm(40)
        p.fillRect(QRectF(x, top + line * 0.2, line * 0.8, line * 0.8), QColor(color))
        p.setPen(QColor(_INK))
        p.drawText(QRectF(x + line, top, pg.mm(38), line * 1.2), _LEFT, label)
    top += line * 1.6
    if not items:
        p.drawText(QRectF(rect.left(), top, rect.width(), line * 1.5), _LEFT,
                   "Aucune alerte dans l'une ou l'autre période.")  # fmt: skip
        return
    label_w = rect.width() * 0.3
    room = rect.bottom() - top
    row_h = min(line * 2.3, room / len(items))
    peak = max(max(n, m) for _l, n, m in items) or 1
    bar_w = rect.width() - label_w - line * 4
    for i, (label, now, before) in enumerate(items):
        y = top + i * row_h
        p.setPen(QColor(_INK))
        p.drawText(QRectF(rect.left(), y, label_w - line * 0.5, row_h), _RIGHT,
                   p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight,
                                              int(label_w - line * 0.5)))  # fmt: skip
        for j, (n, color) in enumerate(((now, _NOW), (before, _BEFORE))):
            bar_top = y + row_h * (0.1 + 0.4 * j)
            w = bar_w * n / peak
            p.fillRect(QRectF(rect.left() + label_w, bar_top, w, row_h * 0.38), QColor(color))
            p.setPen(QColor(_INK if j == 0 else _GREY))
            p.drawText(QRectF(rect.left() + label_w + w + line * 0.3, bar_top - row_h * 0.05,
                              line * 3.5, row_h * 0.48), _LEFT, str(n))  # fmt: skip


def _first_page(pg: _Pages) -> None:
    y = _header(pg) + pg.mm(5)
    y = _figures(pg, y) + pg.mm(7)
    items = category_pairs(pg.report)
    height = min(pg.body_bottom - y, pg.line * (4 + 2.4 * max(1, len(items))))
    paired_bars(pg, QRectF(0, y, pg.width, height), "Alertes par catégorie", items)


# -- the map ---------------------------------------------------------------------


class _Projection:
    """(lon, lat) to the page, north up, one scale on both axes (local cos(lat))."""

    def __init__(self, bbox: tuple[float, float, float, float], rect: QRectF) -> None:
        x0, y0, x1, y1 = bbox
        self.k = math.cos(math.radians((y0 + y1) / 2))
        w = max((x1 - x0) * self.k, 1e-9)
        h = max(y1 - y0, 1e-9)
        self.scale = min(rect.width() / w, rect.height() / h)
        self.x0, self.y1 = x0, y1
        self.dx = rect.left() + (rect.width() - w * self.scale) / 2
        self.dy = rect.top() + (rect.height() - h * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> QPointF:
        return QPointF(self.dx + (lon - self.x0) * self.k * self.scale,
                       self.dy + (self.y1 - lat) * self.scale)  # fmt: skip

    def metres(self, pixels: float, lat: float) -> float:
        return pixels / self.scale / self.k * 111_320 * math.cos(math.radians(lat))


def _ring_path(project: _Projection, ring: Sequence[tuple[float, float]]) -> QPainterPath:
    path = QPainterPath()
    for i, (x, y) in enumerate(ring):
        (path.lineTo if i else path.moveTo)(project(x, y))
    path.closeSubpath()
    return path


def _scale_bar(pg: _Pages, project: _Projection, rect: QRectF, lat: float) -> None:
    target = project.metres(rect.width() * 0.25, lat)
    nice = 10 ** math.floor(math.log10(max(target, 1)))
    for m in (5, 2, 1):
        if m * nice <= target:
            nice *= m
            break
    length = rect.width() * 0.25 * nice / target
    x, y = rect.left() + pg.mm(3), rect.bottom() - pg.mm(4)
    pg.p.setPen(QPen(QColor(_INK), pg.mm(0.4)))
    pg.p.drawLine(QPointF(x, y), QPointF(x + length, y))
    pg.p.setFont(pdf_font(8))
    text = f"{nice / 1000:g} km" if nice >= 1000 else f"{nice:g} m"
    pg.p.drawText(QRectF(x, y - pg.line * 1.3, length * 2, pg.line * 1.2), _LEFT, text)


#: Above this many alerts the map shows their density, not one dot each (a dot per
#: alert hides the others and makes a PDF of megabytes, seconds to paint).
MAX_DOTS = 1500
_CELL_MM = 3.0
_DENSITY = ("#e3f2fd", "#90caf9", "#42a5f5", "#1565c0", "#0d47a1")


def _step(n: int, peak: int) -> int:
    """The shade of a square of ``n`` alerts: five equal steps up to ``peak``."""
    return min(len(_DENSITY) - 1, (n - 1) * len(_DENSITY) // max(1, peak))


def _density(pg: _Pages, project: _Projection, inner: QRectF) -> None:
    """Alerts counted per square of the page (3 mm), shaded in five steps."""
    cell = pg.mm(_CELL_MM)
    counts: dict[tuple[int, int], int] = {}
    for lon, lat, _category in pg.report.points:
        at = project(lon, lat)
        key = (int((at.x() - inner.left()) // cell), int((at.y() - inner.top()) // cell))
        counts[key] = counts.get(key, 0) + 1
    peak = max(counts.values())
    pg.p.setPen(Qt.PenStyle.NoPen)
    for (i, j), n in counts.items():
        step = _step(n, peak)
        pg.p.fillRect(QRectF(inner.left() + i * cell, inner.top() + j * cell, cell, cell),
                      QColor(_DENSITY[step]))  # fmt: skip
    pg.density_peak = peak


def commune_map(pg: _Pages, rect: QRectF) -> None:
    """The alerts as dots coloured by category over the commune's outline and zones."""
    r, p = pg.report, pg.p
    p.setPen(QPen(QColor(_RULE), 0))
    p.drawRect(rect)
    outline = r.outline
    boxes = [b for b in (outline.bbox,) if b is not None]
    if r.points:
        xs, ys = [pt[0] for pt in r.points], [pt[1] for pt in r.points]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if not boxes:
        p.setFont(pg.font)
        p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), "Ni zone ni alerte à situer.")
        return
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip
    inner = rect.adjusted(pg.mm(6), pg.mm(6), -pg.mm(6), -pg.mm(8))
    project = _Projection(bbox, inner)
    p.save()
    p.setClipRect(rect)
    # Secteurs and other zones: light fill, thin line, their names.
    for _name, rings in outline.zones:
        for ring in rings:
            p.setPen(QPen(QColor("#78909c"), pg.mm(0.25)))
            p.setBrush(QBrush(QColor(236, 239, 241, 160)))
            p.drawPath(_ring_path(project, ring))
    p.setBrush(Qt.BrushStyle.NoBrush)
    if len(r.points) > MAX_DOTS:
        _density(pg, project, inner)
    else:
        radius = pg.mm(1.4) if len(r.points) < 300 else pg.mm(0.8)
        for lon, lat, category in sorted(r.points, key=lambda pt: pt[2]):
            colour = QColor(CATEGORY_COLORS.get(category, "#9e9e9e"))
            p.setPen(QPen(QColor("#ffffff"), pg.mm(0.15)))
            p.setBrush(QBrush(colour))
            p.drawEllipse(project(lon, lat), radius, radius)
    for ring in outline.commune:  # over the dots and squares
        p.setPen(QPen(QColor("#263238"), pg.mm(0.6)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(_ring_path(project, ring))
    # Names above each zone's top left corner, on a white ground: never under a dot.
    p.setFont(pdf_font(8))
    metrics = p.fontMetrics()
    for name, rings in outline.zones:
        ring = max(rings, key=len) if rings else ()
        if ring:
            corner = project(min(x for x, _y in ring), max(y for _x, y in ring))
            w, h = metrics.horizontalAdvance(name) + pg.mm(1.5), metrics.height()
            label = QRectF(corner.x(), corner.y() - h - pg.mm(0.3), w, h)
            p.fillRect(label, QColor(255, 255, 255, 220))
            p.setPen(QColor("#37474f"))
            p.drawText(label, int(Qt.AlignmentFlag.AlignCenter), name)
    p.restore()
    _scale_bar(pg, project, rect, (bbox[1] + bbox[3]) / 2)


def _density_legend(pg: _Pages, y: float) -> float:
    """« Alertes par carré de 3 mm : » and each shade with its range."""
    p = pg.p
    p.setFont(pdf_font(9))
    line = p.fontMetrics().height()
    p.setPen(QColor(_INK))
    title = f"Alertes par carré de {_CELL_MM:g} mm :"
    p.drawText(QRectF(0, y, pg.width, line * 1.2), _LEFT, title)
    x = float(p.fontMetrics().horizontalAdvance(title) + line)
    peak, steps = pg.density_peak, len(_DENSITY)
    for n, colour in enumerate(_DENSITY):
        low = n * peak // steps + 1
        high = (n + 1) * peak // steps
        if high < low:
            continue
        label = f"{low}" if low == high else f"{low} à {high}"
        p.fillRect(QRectF(x, y + line * 0.15, line * 1.4, line * 0.9), QColor(colour))
        p.setPen(QColor(_INK))
        width = p.fontMetrics().horizontalAdvance(label)
        p.drawText(QRectF(x + line * 1.6, y, width + line, line * 1.2), _LEFT, label)
        x += line * 2.4 + width
    return y + line * 1.4


def _legend(pg: _Pages, y: float) -> float:
    if pg.density_peak:
        return _density_legend(pg, y)
    cats = sorted(
        {c for _x, _y, c in pg.report.points},
        key=lambda c: list(CATEGORY_COLORS).index(c) if c in CATEGORY_COLORS else 99,
    )
    p = pg.p
    p.setFont(pdf_font(9))
    line = p.fontMetrics().height()
    column = pg.width / 3
    for n, cat in enumerate(cats):
        x, top = (n % 3) * column, y + (n // 3) * line * 1.4
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(QColor(CATEGORY_COLORS.get(cat, "#9e9e9e"))))
        p.drawEllipse(QPointF(x + line * 0.4, top + line * 0.6), line * 0.35, line * 0.35)
        p.setPen(QColor(_INK))
        p.drawText(QRectF(x + line, top, column - line, line * 1.2), _LEFT, category_label(cat))
    return y + math.ceil(len(cats) / 3) * line * 1.4


def _second_page(pg: _Pages) -> None:
    r = pg.report
    y = pg.text(0, f"Lieux des alertes — {r.commune.label}", bold(pg.font, 12))
    shown = len(r.points)
    note = (
        f"{shown} alerte(s) située(s) sur {r.current.count} ; trait épais : limite de la "
        "commune, zones grisées : ses secteurs et quartiers (pas de fond de carte)."
    )
    y = pg.text(y, note, pdf_font(8), color=_GREY) + pg.mm(1)
    map_h = min(pg.mm(115), pg.width * 0.7)
    commune_map(pg, QRectF(0, y, pg.width, map_h))
    y = _legend(pg, y + map_h + pg.mm(2)) + pg.mm(4)
    blocks = [(f"Alertes par zone : {label}", list(counts), "#00838f")
              for label, counts in r.sectors]  # fmt: skip
    blocks.append(("Issues des alertes", outcome_items(r), "#6a1b9a"))
    for title, items, colour in blocks:
        height = pg.line * (1.8 + 1.5 * max(1, len(items)))
        if y + height > pg.body_bottom:
            pg.text(y, f"{title} : voir la liste des alertes.", pdf_font(9), color=_GREY)
            break
        charts.bars(pg.p, QRectF(0, y, pg.width * 0.8, height), title, items, pdf_font(9),
                    colour)  # fmt: skip
        y += height + pg.mm(3)


# -- the list ----------------------------------------------------------------------


def _list_header(pg: _Pages, first: bool) -> float:
    r = pg.report
    title = "Liste des alertes" if first else "Liste des alertes (suite)"
    y = pg.text(0, title, bold(pg.font, 12))
    if first:
        more = r.current.count - len(r.alerts)
        note = (
            "Données minimisées : ni identité ni téléphone du signalant, ni texte libre, "
            "ni adresse. Délai : de la réception à la prise en compte par l'opérateur."
        )
        if more > 0:
            note += f" Les {len(r.alerts)} premières alertes sur {r.current.count}."
        y = pg.text(y, note, pdf_font(8), color=_GREY) + pg.mm(1)
    pg.p.setFont(bold(pdf_font(8)))
    pg.p.setPen(QColor(_INK))
    row_h = pg.p.fontMetrics().height() * 1.35
    pg.p.fillRect(QRectF(0, y, pg.width, row_h), QColor(_SHADE))
    x = 0.0
    for title_text, share in _LIST:
        pg.p.drawText(QRectF(x + pg.mm(0.8), y, pg.width * share - pg.mm(1), row_h), _LEFT,
                      title_text)  # fmt: skip
        x += pg.width * share
    return y + row_h


def _row_height(pg: _Pages) -> float:
    pg.p.setFont(pdf_font(8))
    return pg.p.fontMetrics().height() * 1.35


def _rows_per_page(pg: _Pages) -> tuple[int, int]:
    """Rows on the first list page and on the next ones."""
    row = _row_height(pg)
    first_top = pg.line * 3.2 + pg.mm(1) + row
    next_top = pg.line * 1.6 + row
    return (max(1, int((pg.body_bottom - first_top) / row)),
            max(1, int((pg.body_bottom - next_top) / row)))  # fmt: skip


def _list_row(pg: _Pages, y: float, n: int, alert: ListedAlert) -> float:
    r = pg.report
    when = datetime.fromisoformat(alert.received_at).astimezone(r.tz)
    cells = (
        str(alert.pk), when.strftime("%d/%m/%y %H:%M"), category_label(alert.category),
        str(alert.priority),
        alert.sector or "–", alert.state, duration(alert.ack_s) if alert.ack_s is not None else "–",
        ", ".join(outcome_label(o) for o in alert.outcomes) or "–",
    )  # fmt: skip
    row_h = _row_height(pg)
    if n % 2:
        pg.p.fillRect(QRectF(0, y, pg.width, row_h), QColor("#f7f9fa"))
    pg.p.setPen(QColor(_INK))
    metrics = pg.p.fontMetrics()
    x = 0.0
    for (_title, share), cell in zip(_LIST, cells, strict=True):
        w = pg.width * share
        text = metrics.elidedText(cell, Qt.TextElideMode.ElideRight, int(w - pg.mm(1.6)))
        pg.p.drawText(QRectF(x + pg.mm(0.8), y, w - pg.mm(1), row_h), _LEFT, text)
        x += w
    return y + row_h


def paint_commune_report(target: str | QIODevice, report: CommuneReport) -> Iterator[int]:
    """Paint ``report`` into ``target`` (a file name or an open device), a page at a
    time: yields the pages done. GUI thread only."""
    pg = _Pages(target, report, FIRST_PAGES)
    try:
        first, per_page = _rows_per_page(pg)
        rest = max(0, len(report.alerts) - first)
        pg.total = FIRST_PAGES + 1 + math.ceil(rest / per_page)
        _first_page(pg)
        pg.next_page()
        yield 1
        _second_page(pg)
        pg.next_page()
        yield 2
        y = _list_header(pg, True)
        room = first
        if not report.alerts:
            pg.text(y + pg.mm(2), "Aucune alerte dans la période.", pg.font)
        for n, alert in enumerate(report.alerts):
            if room == 0:
                pg.next_page()
                yield pg.page - 1
                y = _list_header(pg, False)
                room = per_page
            y = _list_row(pg, y, n, alert)
            room -= 1
        pg.finish_page()
        pg.close()
        yield pg.page
    finally:
        pg.close()


def render_commune_report(report: CommuneReport) -> bytes:
    """The whole PDF in memory (GUI thread)."""
    return pdf_bytes(lambda target: paint_commune_report(target, report))


def write_commune_report(path: Path, report: CommuneReport) -> int:
    """Write ``report`` to ``path`` (GUI thread); the number of pages."""
    return list(paint_commune_report(str(path), report))[-1]
