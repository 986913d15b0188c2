"""« Procès-verbal d'extraction d'images de vidéoprotection » (QPdfWriter, A4, French).

What an OPJ signs for when the files are handed over: the centre, the requisition,
who extracted and when (local time and UTC), each camera with the period asked and
the period the files really cover, each file with its size and its SHA-256 in
full (monospace), the gaps (« pas d'enregistrement »), the legal hold on the
source segments, the main courante's chain head when the extraction was made,
the retention reminder and the signature boxes. Every page: « page i / n ».

Painted on the GUI thread only, a page per turn of the event loop
(:func:`paint_pv` yields after each page), for the reason given in
:mod:`csu_console.report.pdf`: QFont and the text layout are not thread-safe and
the basemap's render thread uses Qt's font caches at the same time.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPen

from csu_console.core.recording import ExtractedFile, ExtractionRequest, Gap
from csu_console.report.pages import PdfPages, bold, pdf_bytes, pdf_font

TITLE = "Procès-verbal d'extraction d'images de vidéoprotection"
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_WRAP = _LEFT | int(Qt.TextFlag.TextWordWrap)
_WRAP_ANYWHERE = _LEFT | int(Qt.TextFlag.TextWrapAnywhere)


@dataclass(frozen=True)
class PvData:
    """What the procès-verbal prints (plain Python: read on any thread, painted on
    the GUI thread). ``operator`` is the person's name and login; ``at`` the time
    the extraction was made (aware); ``chain_head`` the main courante's head as
    read just before the PV (« n° 1234 — <empreinte> »)."""

    centre: str
    commune: str
    tz: tzinfo
    request: ExtractionRequest
    files: tuple[ExtractedFile, ...]  # one per camera; sha256 "" for a camera with no file
    operator: str
    station: str
    at: datetime
    chain_head: str
    folder: str
    video_days: int = 30
    camera_names: dict[str, str] = field(default_factory=dict)


def human_size(size: int) -> str:
    """« 12,4 Mo », « 830 ko », « 512 octets » (French decimal comma)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} Mo".replace(".", ",")
    if size >= 1000:
        return f"{size / 1000:.0f} ko"
    return f"{size} octets"


def local_text(at: datetime, tz: tzinfo) -> str:
    """« 04/12/2026 10:42:13 » in the site's zone."""
    return at.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")


def period_text(start: datetime, end: datetime, tz: tzinfo) -> str:
    """« 04/12/2026 10:40:00 → 10:50:00 » (the day repeated only when it changes)."""
    a, b = start.astimezone(tz), end.astimezone(tz)
    tail = b.strftime("%H:%M:%S") if a.date() == b.date() else b.strftime("%d/%m/%Y %H:%M:%S")
    return f"{a:%d/%m/%Y %H:%M:%S} → {tail}"


def camera_label(camera_id: str, names: dict[str, str]) -> str:
    """« Place de l'Horloge (cam-01) », or the id alone when it has no other name."""
    name = names.get(camera_id, camera_id)
    return camera_id if name == camera_id else f"{name} ({camera_id})"


def gap_lines(data: PvData) -> list[str]:
    """One line per gap of the period, cameras without any file included."""
    out: list[str] = []
    by_camera = {f.camera_id: f for f in data.files}
    req = data.request
    for cam in req.camera_ids:
        name = camera_label(cam, data.camera_names)
        f = by_camera.get(cam)
        gaps: tuple[Gap, ...] = f.gaps if f is not None else (Gap(req.start, req.end),)
        for g in gaps:
            out.append(f"{name} : {period_text(g.start, g.end, data.tz)} — {g.reason}")
    return out


class _Pen(PdfPages):
    """The procès-verbal's pages: its fonts, its footer (the centre, the requisition)."""

    def __init__(self, target: QIODevice, data: PvData, total: int) -> None:
        super().__init__(
            target,
            f"{TITLE} — {data.request.requisition.number}",
            f"{data.centre} — réquisition n° {data.request.requisition.number}",
            total,
            _font(8.5),
            margins_mm=(18, 15),
            footer_mm=6.0,
            footer_color="#37474f",
        )
        self.body = _font(10.5)
        self.mono = _font(9.5, mono=True)

    @property
    def bottom(self) -> float:
        return self.height - self.mm(10)

    def measure(self, text: str, font: QFont, w: float, flags: int = _WRAP) -> float:
        self.p.setFont(font)
        return self.p.boundingRect(QRectF(0, 0, w, self.height), flags, text).height()

    def text(
        self,
        y: float,
        text: str,
        font: QFont,
        *,
        x: float = 0,
        w: float = 0,
        color: str = "#000000",
        flags: int = _WRAP,
    ) -> float:
        """Wrapped text from ``y``; returns the y below it."""
        width = w or self.width - x
        h = self.measure(text, font, width, flags)
        self.p.setPen(QColor(color))
        self.p.drawText(QRectF(x, y, width, h), flags, text)
        return y + h


_font = pdf_font
_bold = bold


class _Flow:
    """Blocks painted one under the other; a block that does not fit starts a page."""

    def __init__(self, pen: _Pen) -> None:
        self.pen = pen
        self.y = 0.0

    def room(self, height: float) -> None:
        if self.y > 0 and self.y + height > self.pen.bottom:
            self.pen.next_page()
            self.y = 0.0

    def heading(self, text: str) -> None:
        pen = self.pen
        font = _bold(pen.body, 12)
        # A heading never ends a page alone: room for it and two lines after.
        self.room(pen.measure(text, font, pen.width) + pen.mm(14))
        self.y += pen.mm(3)
        self.y = pen.text(self.y, text, font, color="#0d47a1")
        pen.p.setPen(QPen(QColor("#0d47a1"), pen.mm(0.3)))
        pen.p.drawLine(0, int(self.y), int(pen.width), int(self.y))
        self.y += pen.mm(1.5)

    def rows(self, rows: list[tuple[str, str]], label_share: float = 0.34) -> None:
        """Label / value pairs, the label bold."""
        pen = self.pen
        lw = pen.width * label_share
        bold = _bold(pen.body)
        for label, value in rows:
            h = max(
                pen.measure(label, bold, lw - pen.mm(2)),
                pen.measure(value, pen.body, pen.width - lw),
            )
            self.room(h + pen.mm(1))
            pen.text(self.y, label, bold, w=lw - pen.mm(2))
            pen.text(self.y, value, pen.body, x=lw)
            self.y += h + pen.mm(1)

    def para(self, text: str, font: QFont | None = None, *, x: float = 0) -> None:
        pen = self.pen
        f = font or pen.body
        h = pen.measure(text, f, pen.width - x)
        self.room(h)
        self.y = pen.text(self.y, text, f, x=x) + pen.mm(1)


def _header(flow: _Flow, data: PvData) -> None:
    pen = flow.pen
    y = pen.text(0, TITLE, _bold(pen.body, 16))
    place = data.centre if not data.commune else f"{data.centre} — {data.commune}"
    y = pen.text(y + pen.mm(2), f"Centre de supervision urbain : {place}", _bold(pen.body, 12))
    flow.y = y + pen.mm(2)


def _blocks(flow: _Flow, data: PvData) -> None:
    pen, tz, req = flow.pen, data.tz, data.request
    r = req.requisition
    _header(flow, data)
    flow.heading("Réquisition")
    flow.rows([
        ("N° de réquisition", r.number),
        ("Service requérant", r.service),
        ("Officier de police judiciaire", r.opj),
        ("Date de la réquisition", f"{r.issued_on:%d/%m/%Y}"),
    ])  # fmt: skip
    flow.heading("Extraction")
    at_local = data.at.astimezone(tz)
    flow.rows([
        ("Opérateur", data.operator),
        ("Poste", data.station),
        ("Date et heure", f"{at_local:%d/%m/%Y %H:%M:%S} (heure locale, {tz}) — "
                          f"{data.at.astimezone(UTC):%d/%m/%Y %H:%M:%S} UTC"),
        ("Période demandée", f"{period_text(req.start, req.end, tz)} (heure locale)"),
        ("Support / dossier", data.folder),
        ("Méthode", "copie des flux enregistrés sans réencodage (remultiplexage MP4)"),
    ])  # fmt: skip
    flow.heading(f"Caméras ({len(req.camera_ids)})")
    by_camera = {f.camera_id: f for f in data.files}
    for cam in req.camera_ids:
        name = data.camera_names.get(cam, cam)
        f = by_camera.get(cam)
        actual = (
            period_text(f.start, f.end, tz)
            if f is not None and f.sha256
            else "aucun enregistrement"
        )
        flow.rows([
            (f"{name}", f"identifiant {cam}\ndemandée : {period_text(req.start, req.end, tz)}"
                        f"\nfournie : {actual}"),
        ])  # fmt: skip
    written = [f for f in data.files if f.sha256]
    flow.heading(f"Fichiers remis ({len(written)})")
    if not written:
        flow.para("Aucun fichier : rien n'est enregistré sur la période demandée.")
    for f in written:
        name = data.camera_names.get(f.camera_id, f.camera_id)
        head = f"{f.path.name} — {human_size(f.size)} ({f.size} octets) — {name}"
        block = pen.measure(head, _bold(pen.body), pen.width) + pen.measure(
            f.sha256, pen.mono, pen.width, _WRAP_ANYWHERE
        )
        flow.room(block + pen.mm(8))
        flow.para(head, _bold(pen.body))
        flow.y = pen.text(flow.y, "SHA-256 :", pen.small, color="#37474f")
        flow.y = pen.text(flow.y, f.sha256, pen.mono, x=pen.mm(3), flags=_WRAP_ANYWHERE)
        flow.y += pen.mm(2.5)
    flow.heading("Périodes sans enregistrement")
    gaps = gap_lines(data)
    for line in gaps or ["Néant : la période demandée est entièrement enregistrée."]:
        flow.para(f"• {line}")
    flow.heading("Conservation")
    flow.para(
        "Les segments d'enregistrement sources de cette extraction sont placés sous "
        "conservation légale : ils ne sont ni effacés ni remplacés tant que la "
        "conservation n'est pas levée."
    )
    flow.para(
        f"Les autres enregistrements sont effacés au plus tard après {data.video_days} "
        "jours (durée de conservation de la vidéoprotection, CNIL : 30 jours au plus)."
    )
    flow.para("Main courante — tête de chaîne au moment de l'extraction :", _bold(pen.body))
    flow.para(data.chain_head or "non disponible", pen.mono, x=pen.mm(3))
    _signatures(flow)


def _signatures(flow: _Flow) -> None:
    pen = flow.pen
    box_h = pen.mm(38)
    flow.room(box_h + pen.mm(10))
    flow.y += pen.mm(5)
    gap = pen.mm(8)
    w = (pen.width - gap) / 2
    for i, (title, lines) in enumerate((
        ("L'opérateur", "Nom, date et signature :"),
        ("L'officier de police judiciaire", "Reçu le :\nNom et signature :"),
    )):  # fmt: skip
        x = i * (w + gap)
        pen.p.setPen(QPen(QColor("#000000"), pen.mm(0.3)))
        pen.p.drawRect(QRectF(x, flow.y, w, box_h))
        y = pen.text(flow.y + pen.mm(2), title, _bold(pen.body), x=x + pen.mm(3), w=w - pen.mm(6))
        pen.text(y + pen.mm(2), lines, pen.body, x=x + pen.mm(3), w=w - pen.mm(6))
    flow.y += box_h


def _paint(target: QIODevice, data: PvData, total: int) -> int:
    """Paint every page into ``target``; the number of pages."""
    pen = _Pen(target, data, total)
    try:
        _blocks(_Flow(pen), data)
        pen.finish_page()
        return pen.page
    finally:
        pen.close()


def count_pages(data: PvData) -> int:
    """How many pages the procès-verbal takes (painted once into memory)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pages = _paint(buffer, data, 0)
    buffer.close()
    return pages


def paint_pv(target: QIODevice, data: PvData) -> Generator[int, None, None]:
    """Paint the procès-verbal into ``target`` (an open device) in two turns of the
    event loop: the pages counted (for « page i / n »), then painted; yields after
    each, the last value being the number of pages. GUI thread only. A PV is two
    or three pages: a turn is a few tens of milliseconds."""
    total = count_pages(data)
    yield 0
    yield _paint(target, data, total)


def pv_bytes(data: PvData) -> bytes:
    """The whole procès-verbal at once (GUI thread): tests and the CLI-less paths."""
    return pdf_bytes(lambda target: paint_pv(target, data))


def write_pv(path: Path, data: PvData) -> None:
    """Write the procès-verbal to ``path`` at once (GUI thread)."""
    path.write_bytes(pv_bytes(data))
