"""The replay timeline under a tile or the wall: what is recorded and what is not,
the alert's moments, the clock's position — and a click or a drag to go there.

One lane per replayed camera: recorded spans in blue, gaps hatched grey with
their reason as tooltip (never drawn as recorded), marks for the report,
reception, acknowledgement, dispatch and arrival on site, the cursor in the
replay's violet. The scale's labels are sized to be read from two metres.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from csu_console.core.recording import MARK_LABELS, Coverage, Gap, ReplayMark
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import pt

BACKGROUND = QColor("#11171b")
RECORDED = QColor("#2f7dd1")  # blue: not a state colour of the tiles
GAP = QColor("#37474f")
GAP_HATCH = QColor("#b0bec5")
UNKNOWN = QColor("#1e272c")  # coverage not read yet
SCALE_TEXT = QColor("#e6ebee")
TICK = QColor("#78909c")
CURSOR = QColor("#b388ff")  # the replay's violet (tile frame)
MARK = QColor("#ffd54f")  # the alert's moments: amber lines, labels on black
MARK_TEXT = QColor("#000000")
#: Ticks every so many seconds: the first step that leaves room for a label.
STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800)
SEEK_EVERY_S = 0.25  # a drag seeks at most this often (each seek restarts decoding)


class ReplayTimeline(QWidget):
    """A view of the replay: set its range, coverages, marks and cursor."""

    seek_requested = Signal(object)  # datetime (UTC): where the operator clicked

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        now = datetime.now(UTC)
        self.start, self.end = now - timedelta(minutes=5), now
        self.camera_ids: list[str] = []
        self.names: dict[str, str] = {}
        self.coverages: dict[str, Coverage] = {}
        self.marks: list[ReplayMark] = []
        self.at_cursor: datetime | None = None
        self._drag: datetime | None = None
        self._last_seek = 0.0
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolTip(self.tr("Cliquer ou glisser pour aller à cet instant"))
        self._update_height()

    # model ------------------------------------------------------------------------
    def set_cameras(self, camera_ids: Sequence[str], names: dict[str, str]) -> None:
        self.camera_ids = list(camera_ids)
        self.names = dict(names)
        self.coverages = {k: v for k, v in self.coverages.items() if k in self.camera_ids}
        self._update_height()
        self.update()

    def set_range(self, start: datetime, end: datetime) -> None:
        if end <= start:
            end = start + timedelta(seconds=1)
        self.start, self.end = start, end
        self.update()

    def set_coverage(self, coverage: Coverage) -> None:
        self.coverages[coverage.camera_id] = coverage
        self.update()

    def set_marks(self, marks: Sequence[ReplayMark]) -> None:
        self.marks = list(marks)
        self.update()

    def set_cursor(self, at: datetime | None) -> None:
        if self._drag is None:
            self.at_cursor = at
        self.update()

    # geometry ---------------------------------------------------------------------
    def _scale_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSize(pt(12))
        font.setBold(True)
        return font

    def _mark_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSize(pt(10))
        font.setBold(True)
        return font

    def _mark_row_h(self) -> int:
        return QFontMetrics(self._mark_font()).height() + 6

    def _mark_rows(self) -> int:
        """Two rows of mark labels; one under a whole wall's lanes (a 768-px screen
        has no room for both: labels that would overlap are left to the tooltip)."""
        return 2 if len(self.camera_ids) <= 2 else 1

    def _scale_h(self) -> int:
        return QFontMetrics(self._scale_font()).height() + 6

    def _lane_h(self) -> int:
        n = max(1, len(self.camera_ids))
        # a whole 3×3 or 4×4 wall: thin lanes, about 64 px in all
        return max(5, min(24, 60 // n))

    def _lane_gap(self) -> int:
        return 2 if len(self.camera_ids) <= 4 else 1

    def _gutter(self) -> int:
        return 150 if len(self.camera_ids) > 1 else 8

    def _update_height(self) -> None:
        n = max(1, len(self.camera_ids))
        # the marks' labels on two rows, the scale, the lanes: as tight as legible
        # (a 768-px screen has little room under the wall)
        top = self._mark_rows() * self._mark_row_h() + self._scale_h()
        self.setFixedHeight(top + n * (self._lane_h() + self._lane_gap()) + 4)

    def _marks_rect(self) -> QRect:
        h = self._mark_rows() * self._mark_row_h()
        return QRect(self._gutter(), 0, self.width() - self._gutter() - 8, h)

    def _scale_rect(self) -> QRect:
        top = self._mark_rows() * self._mark_row_h()
        return QRect(self._gutter(), top, self.width() - self._gutter() - 8, self._scale_h())

    def lane_rect(self, index: int) -> QRect:
        top = self._scale_rect().bottom() + 2
        h = self._lane_h()
        step = h + self._lane_gap()
        return QRect(self._gutter(), top + index * step, self.width() - self._gutter() - 8, h)

    def x_of(self, at: datetime) -> float:
        span = (self.end - self.start).total_seconds()
        left, width = self._gutter(), self.width() - self._gutter() - 8
        return left + width * (at - self.start).total_seconds() / span

    def time_at(self, x: float) -> datetime:
        left, width = self._gutter(), max(1, self.width() - self._gutter() - 8)
        frac = min(1.0, max(0.0, (x - left) / width))
        return self.start + (self.end - self.start) * frac

    def gap_at(self, pos: QPoint) -> tuple[str, Gap] | None:
        """The gap under ``pos`` (a hatched part of a lane), with its camera."""
        for index, camera_id in enumerate(self.camera_ids):
            if not self.lane_rect(index).adjusted(0, -1, 0, 1).contains(pos):
                continue
            coverage = self.coverages.get(camera_id)
            if coverage is None:
                return None
            gap = coverage.gap_at(self.time_at(pos.x()))
            return (camera_id, gap) if gap is not None else None
        return None

    # painting ---------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        self._paint_scale(p)
        for index, camera_id in enumerate(self.camera_ids):
            self._paint_lane(p, index, camera_id)
        self._paint_marks(p)
        self._paint_cursor(p)
        p.end()

    def _step(self, width: int) -> int:
        span = (self.end - self.start).total_seconds()
        label_w = QFontMetrics(self._scale_font()).horizontalAdvance("00:00:00") * 1.4 + 24
        for step in STEPS:
            if width * step / span >= label_w:
                return step
        return STEPS[-1]

    def _paint_scale(self, p: QPainter) -> None:
        rect = self._scale_rect()
        step = self._step(rect.width())
        fmt = "%H:%M:%S" if step < 60 else "%H:%M"
        p.setFont(self._scale_font())
        first = int(self.start.timestamp() // step + 1) * step
        tick = float(first)
        end = self.end.timestamp()
        lanes_bottom = self.lane_rect(max(0, len(self.camera_ids) - 1)).bottom()
        while tick <= end:
            at = datetime.fromtimestamp(tick, UTC)
            x = self.x_of(at)
            p.setPen(QPen(TICK, 1))
            p.drawLine(int(x), rect.bottom() - 4, int(x), lanes_bottom)
            label = at.astimezone(self._tz).strftime(fmt)
            p.setPen(SCALE_TEXT)
            box = QRect(int(x) - 60, rect.top(), 120, rect.height() - 4)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
            tick += step

    def _paint_lane(self, p: QPainter, index: int, camera_id: str) -> None:
        lane = self.lane_rect(index)
        if len(self.camera_ids) > 1:
            font = QFont(self.font())
            font.setPixelSize(max(9, min(16, lane.height() - 1)))
            p.setFont(font)
            p.setPen(SCALE_TEXT)
            name = self.names.get(camera_id, camera_id)
            room = QRect(4, lane.top() - 2, self._gutter() - 8, lane.height() + 4)
            # the tile's rank first (its badge on the wall), then the name's start
            elided = p.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, room.width())
            p.drawText(room, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, elided)
        coverage = self.coverages.get(camera_id)
        if coverage is None:
            p.fillRect(lane, UNKNOWN)
            return
        p.fillRect(lane, GAP)
        for span in coverage.spans:
            p.fillRect(self._bar(lane, span.start, span.end), RECORDED)
        hatch = QBrush(GAP_HATCH, Qt.BrushStyle.BDiagPattern)
        for gap in coverage.gaps:
            box = self._bar(lane, gap.start, gap.end)
            p.fillRect(box, GAP)
            p.fillRect(box, hatch)

    def _bar(self, lane: QRect, start: datetime, end: datetime) -> QRectF:
        a = max(float(lane.left()), self.x_of(max(start, self.start)))
        b = min(float(lane.right() + 1), self.x_of(min(end, self.end)))
        return QRectF(a, lane.top(), max(1.0, b - a), lane.height())

    def _paint_marks(self, p: QPainter) -> None:
        if not self.marks:
            return
        rect = self._marks_rect()
        lanes_bottom = self.lane_rect(max(0, len(self.camera_ids) - 1)).bottom()
        p.setFont(self._mark_font())
        metrics = p.fontMetrics()
        taken: list[QRect] = []
        labels: list[tuple[QRect, str]] = []
        for mark in self.marks:
            if not self.start <= mark.at <= self.end:
                continue
            x = int(self.x_of(mark.at))
            p.setPen(QPen(MARK, 2, Qt.PenStyle.DashLine))
            p.drawLine(x, rect.bottom(), x, lanes_bottom)
            text = tr_label(MARK_LABELS[mark.kind])
            w = metrics.horizontalAdvance(text) + 10
            rows = self._mark_rows()
            row_h = rect.height() // rows
            # The lower row first (nearer the line), centred on it, else starting
            # at it, else ending at it; then the upper row the same.
            for row in (1, 0)[2 - rows :]:
                found = False
                for left in (x - w // 2, x - 4, x - w + 4):
                    box = QRect(left, rect.top() + row * row_h + 1, w, row_h - 2)
                    box.moveLeft(max(rect.left(), min(box.left(), rect.right() - w)))
                    if not any(box.adjusted(-3, 0, 3, 0).intersects(t) for t in taken):
                        found = True
                        break
                if found:
                    break
            else:
                continue  # moments too close together: the tooltip names them
            taken.append(box)
            labels.append((box, text))
            p.setPen(QPen(MARK, 2))
            p.drawLine(x, box.bottom(), x, rect.bottom())
        for box, text in labels:  # over every line: no line crosses a label
            p.fillRect(box, MARK)
            p.setPen(MARK_TEXT)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_cursor(self, p: QPainter) -> None:
        at = self._drag or self.at_cursor
        if at is None or not self.start <= at <= self.end:
            return
        x = self.x_of(at)
        top = self._scale_rect().top()
        bottom = self.height() - 2
        p.setPen(QPen(CURSOR, 3))
        p.drawLine(int(x), top, int(x), bottom)
        p.setBrush(CURSOR)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(
            QPolygonF([QPoint(int(x) - 8, top), QPoint(int(x) + 8, top), QPoint(int(x), top + 10)])
        )

    # input ------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton:
            self._drag = self.time_at(event.position().x())
            self._seek(self._drag, force=True)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = self.time_at(event.position().x())
            self._seek(self._drag)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and event.button() is Qt.MouseButton.LeftButton:
            at = self.time_at(event.position().x())
            self._drag = None
            self.at_cursor = at
            self._seek(at, force=True)
            self.update()

    def _seek(self, at: datetime, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_seek >= SEEK_EVERY_S:
            self._last_seek = now
            self.seek_requested.emit(at)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            QToolTip.showText(event.globalPos(), self.tooltip_at(event.pos()), self)
            return True
        return super().event(event)

    def tooltip_at(self, pos: QPoint) -> str:
        """The gap's reason and times under ``pos``, the marks nearby, the time."""
        at = self.time_at(pos.x())
        lines = [at.astimezone(self._tz).strftime("%H:%M:%S")]
        hit = self.gap_at(pos)
        if hit is not None:
            camera_id, gap = hit
            lines.append(
                self.tr("{camera} : {reason} ({start} – {end})").format(
                    camera=self.names.get(camera_id, camera_id),
                    reason=tr_label(gap.reason.value),
                    start=gap.start.astimezone(self._tz).strftime("%H:%M:%S"),
                    end=gap.end.astimezone(self._tz).strftime("%H:%M:%S"),
                )
            )
        for mark in self.marks:
            if abs(self.x_of(mark.at) - pos.x()) <= 6:
                lines.append(
                    "{label} {t}".format(
                        label=tr_label(MARK_LABELS[mark.kind]),
                        t=mark.at.astimezone(self._tz).strftime("%H:%M:%S"),
                    )
                )
        lines.append(self.tr("Cliquer ou glisser pour aller à cet instant"))
        return "\n".join(lines)
