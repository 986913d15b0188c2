"""The shift report as a PDF (QPdfWriter + QPainter, A4 portrait).

Page 1: the centre, the period, the filter, who printed it, whether the period's
hash chain verifies, the indicators, alerts per hour. Page 2: delays, zones,
outcomes, and the end-of-shift digest. Then the main courante, one event a line,
in local time. Every page: « page i / n ».

Painted on the GUI thread only (:func:`paint_report` yields after each page, so
the review paints a long report a page per turn of the event loop). QFont,
QFontMetrics and the text layout behind ``drawText`` are reentrant, not
thread-safe, and the GUI thread and the basemap's render thread use Qt's font
caches at the same time; the worker reads the data and writes the file, only
plain Python crosses the threads. (The segmentation fault seen after « Rapport
PDF » came from the progress dialog: see ``ReviewExports._set_progress``.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPen

from csu_console.core.alerts import STATE_LABELS
from csu_console.core.logbook import EVENT_LABELS, EventKind
from csu_console.core.review.activity import actor_label
from csu_console.core.review.digest import Summary, duration, indicator_table
from csu_console.core.review.export import details_text
from csu_console.core.review.filter import category_label, outcome_label
from csu_console.core.review.period import long_datetime
from csu_console.core.review.rows import LogLine
from csu_console.core.review.stats import DELAY_BIN_LABELS
from csu_console.report import charts
from csu_console.report.pages import PdfPages, bold, pdf_font
from csu_console.storage.logbook_audit import ChainReport

Progress = Callable[[float], None]
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_WRAP = _LEFT | int(Qt.TextFlag.TextWordWrap)
_COLUMNS = (("Heure", 0.13), ("Événement", 0.2), ("Poste", 0.09), ("Opérateur", 0.1),
            ("Alerte", 0.07), ("Détails", 0.41))  # fmt: skip
FIRST_PAGES = 2  # before the main courante


@dataclass(frozen=True)
class ReportData:
    """What the report prints besides the logbook: ``chain`` None when not checked;
    ``key`` pseudonymises reporters in details (None: as stored)."""

    centre: str
    tz: tzinfo
    review: Summary
    chain: ChainReport | None
    author: str
    printed_at: datetime
    zone_names: dict[str, str] = field(default_factory=dict)
    key: bytes | None = None
    commune_names: dict[str, str] = field(default_factory=dict)  # key → « Nom (INSEE) »


def chain_text(chain: ChainReport | None) -> str:
    """« Chaîne vérifiée : oui (n événements) » / « non — … » / « non vérifiée »."""
    if chain is None:
        return "Chaîne vérifiée : non vérifiée"
    if chain.ok:
        return f"Chaîne vérifiée : oui ({chain.count} événements de la période)"
    return f"Chaîne vérifiée : NON — {chain.broken}"


def head_text(chain: ChainReport | None) -> str | None:
    """« Tête de chaîne : n° 1234 — <hash> »: what a witnessed head is compared with
    (``csu-console logbook verify``); None when nothing was checked."""
    if chain is None or not chain.seq:
        return None
    return f"Tête de chaîne : n° {chain.seq} — empreinte {chain.head}"


class _Pages(PdfPages):
    """The shift report's pages: its fonts, its footer (the centre and the period)."""

    def __init__(self, target: Path | QIODevice, data: ReportData, total: int) -> None:
        super().__init__(
            str(target) if isinstance(target, Path) else target,
            f"Rapport de vacation — {data.centre}",
            f"{data.centre} — {data.review.filter.period.label(data.tz)}",
            total,
            _font(7),
        )
        self.font = _font(9)
        self.line = self.p.fontMetrics().height()
        self.device = target  # last: freed after the writer and its painter

    @property
    def body_bottom(self) -> float:
        return self.height - self.mm(8)

    def text(
        self,
        y: float,
        text: str,
        font: QFont,
        *,
        x: float = 0,
        w: float = 0,
        color: str = "#000000",
    ) -> float:
        """Wrapped text from ``y``; returns the y below it."""
        self.p.setFont(font)
        self.p.setPen(QColor(color))
        width = w or self.width - x
        rect = self.p.boundingRect(QRectF(x, y, width, self.height), _WRAP, text)
        self.p.drawText(QRectF(x, y, width, rect.height()), _WRAP, text)
        return y + rect.height()


_font = pdf_font
_bold = bold


def _first_page(pg: _Pages, data: ReportData) -> None:
    r, tz = data.review, data.tz
    y = pg.text(0, f"Rapport de vacation — {data.centre}", _bold(pg.font, 16))
    y = pg.text(y + pg.mm(2), f"Période {r.filter.period.label(tz)} ({tz})", _bold(pg.font, 11))
    if r.filter.narrows_alerts:
        filters = r.filter.describe(
            tz, data.zone_names, with_period=False, commune_names=data.commune_names
        )
        y = pg.text(y + pg.mm(1), f"Filtres : {filters}", pg.font)
    printed = f"Édité le {long_datetime(data.printed_at, tz)} par {data.author}"
    y = pg.text(y + pg.mm(1), printed, pg.font)
    ok = data.chain is not None and data.chain.ok
    color = "#2e7d32" if ok else "#c62828"  # and the words say it too
    y = pg.text(y + pg.mm(1), chain_text(data.chain), _bold(pg.font, 10), color=color)
    if (head := head_text(data.chain)) is not None:
        y = pg.text(y + pg.mm(0.5), head, pg.font)
    y += pg.mm(4)
    label_w = pg.width * 0.4
    for label, value in indicator_table(r.indicators, data.zone_names):
        pg.p.setPen(QPen(QColor("#cfd8dc"), 0))
        pg.p.drawLine(0, int(y), int(pg.width), int(y))
        top = y + pg.mm(0.8)
        bottom = pg.text(top, label, _bold(pg.font), w=label_w)
        y = max(bottom, pg.text(top, value, pg.font, x=label_w)) + pg.mm(0.8)
    y += pg.mm(4)
    rect = QRectF(0, y, pg.width, max(pg.mm(60), pg.body_bottom - y))
    charts.hourly_stacked(pg.p, rect, r.indicators.alerts.by_hour, r.filter.start,
                          r.filter.end, tz, pg.font)  # fmt: skip


def _listing(pg: _Pages, y: float, title: str, lines: list[str], room: int) -> float:
    y = pg.text(y + pg.mm(3), f"{title} ({len(lines)})", _bold(pg.font))
    more = f"… et {len(lines) - room + 1} autres"
    shown = lines if len(lines) <= room else [*lines[: room - 1], more]
    for line in shown or ["néant"]:
        y = pg.text(y, f"• {line}", pg.small, x=pg.mm(3))
    return y


def _second_page(pg: _Pages, data: ReportData) -> None:
    ind, tz, d = data.review.indicators, data.tz, data.review.digest
    a = ind.alerts
    third = pg.mm(55)
    delays = list(zip(DELAY_BIN_LABELS, a.ack_histogram, strict=True))
    charts.bars(pg.p, QRectF(0, 0, pg.width, third), "Délais de prise en compte",
                delays, pg.font)  # fmt: skip
    zones = [(data.zone_names.get(z, z), n) for z, n in a.by_zone.items()]
    half = pg.width / 2 - pg.mm(3)
    charts.bars(pg.p, QRectF(0, third + pg.mm(3), half, third), "Alertes par zone", zones,
                pg.font, "#00838f")  # fmt: skip
    outcomes = [(outcome_label(o), n) for o, n in a.by_outcome.items()]
    charts.bars(pg.p, QRectF(half + pg.mm(6), third + pg.mm(3), half, third),
                "Alertes par issue", outcomes, pg.font, "#6a1b9a")  # fmt: skip
    y = pg.text(2 * third + pg.mm(8), "Relève de fin de période", _bold(pg.font, 12))
    end = d.end.isoformat(timespec="milliseconds")
    opened = [
        f"n° {r.pk} {category_label(r.category)} reçue le {_local(r.received_at, tz)} — "
        f"{STATE_LABELS[r.state_at(end)]} — {r.title}"
        for r in d.open_alerts
    ]
    y = _listing(pg, y, "Alertes ouvertes", opened, 12)
    units = [f"{u.unit_name} sur l'alerte n° {u.alert_pk} depuis {_local(u.since, tz)}"
             for u in d.open_dispatches]  # fmt: skip
    y = _listing(pg, y, "Interventions non terminées", units, 6)
    cams = [f"{o.camera_name} depuis {_local(o.down_since, tz)}" for o in d.cameras_down]
    y = _listing(pg, y, "Caméras hors service", cams, 6)
    mutes = [f"{m.station or '?'} {_local(m.start, tz)} – {_local(m.end, tz)} "
             f"({duration(m.seconds)}) {', '.join(m.operators)}" for m in d.mutes]  # fmt: skip
    _listing(pg, y, "Alarme en sourdine", mutes, max(1, int((pg.body_bottom - y) / pg.line) - 4))


def _local(at: str | datetime, tz: tzinfo) -> str:
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return when.astimezone(tz).strftime("%d/%m %H:%M:%S")


def _event_label(kind: str) -> str:
    try:
        return EVENT_LABELS[EventKind(kind)]
    except ValueError:
        return kind


def _logbook_header(pg: _Pages) -> float:
    y = pg.text(0, "Main courante", _bold(pg.font, 12))
    pg.p.setFont(_bold(pg.small))
    x = 0.0
    for title, share in _COLUMNS:
        pg.p.drawText(QRectF(x, y, pg.width * share, pg.line), _LEFT, title)
        x += pg.width * share
    return y + pg.line * 1.2


def _logbook_rows(pg: _Pages) -> int:
    pg.p.setFont(pg.small)
    line = pg.p.fontMetrics().height()
    top = pg.line * 2.6 + pg.mm(2)
    return max(1, int((pg.body_bottom - top) / line))


def _logbook_line(pg: _Pages, y: float, e: LogLine, data: ReportData) -> None:
    local = e.at_local or e.at
    cells = (
        _local(local, data.tz), _event_label(e.kind), e.station or "",
        actor_label(e.station, e.operator),
        "" if e.alert_pk is None else str(e.alert_pk), details_text(e.details, data.key),
    )  # fmt: skip
    x = 0.0
    metrics = pg.p.fontMetrics()
    for (_title, share), cell in zip(_COLUMNS, cells, strict=True):
        w = pg.width * share
        text = metrics.elidedText(cell, Qt.TextElideMode.ElideRight, int(w - pg.mm(1)))
        pg.p.drawText(QRectF(x, y, w, metrics.height()), _LEFT, text)
        x += w


def paint_report(
    target: Path | QIODevice,
    data: ReportData,
    logbook: Iterable[LogLine],
    logbook_count: int,
) -> Iterator[int]:
    """Paint the report into ``target`` (a file or an open device), one page at a
    time: yields the logbook lines printed so far after each page; the last value
    is the total. GUI thread only (see the module's note). Closing the generator
    early ends the painter (the output is then incomplete)."""
    pg = _Pages(target, data, FIRST_PAGES)
    try:
        per_page = _logbook_rows(pg)
        pg.total = FIRST_PAGES + max(1, math.ceil(logbook_count / per_page))
        _first_page(pg, data)
        pg.next_page()
        yield 0
        _second_page(pg, data)
        pg.next_page()
        yield 0
        y = _logbook_header(pg)
        pg.p.setFont(pg.small)
        line = pg.p.fontMetrics().height()
        printed = 0
        for event in logbook:
            if printed and printed % per_page == 0:
                pg.next_page()
                yield printed
                y = _logbook_header(pg)
                pg.p.setFont(pg.small)
            _logbook_line(pg, y, event, data)
            y += line
            printed += 1
        if printed == 0:
            pg.text(y, "Aucun événement dans la période.", pg.font)
        pg.finish_page()
        pg.close()
        yield printed
    finally:
        pg.close()


def write_report(
    path: Path,
    data: ReportData,
    logbook: Callable[[], Iterable[LogLine]],
    logbook_count: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the report to ``path`` at once (GUI thread); the logbook lines printed.

    ``logbook()`` gives the period's events in order (called twice when
    ``logbook_count`` is None: once to count them for the page numbers).
    ``progress`` gets 0…1 and may raise to abandon the report.
    """
    count = logbook_count if logbook_count is not None else sum(1 for _ in logbook())
    printed = 0
    for printed in paint_report(path, data, logbook(), count):
        if progress is not None:
            progress(min(1.0, printed / max(1, count)))
    if progress is not None:
        progress(1.0)
    return printed
