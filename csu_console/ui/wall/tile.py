"""One tile of the camera wall: the picture, the camera's name, its state and the
time of its last frame — legible from two metres, and honest when the signal is lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from csu_console.config import Camera
from csu_console.media.video.source import (
    CameraSource,
    Frame,
    PixelFormat,
    SourceStatus,
    StreamState,
)
from csu_console.ui.labels import tr_label
from csu_console.ui.pixmaps import painted_pixmap
from csu_console.ui.theme import contrast_ratio, pt

_QT_FORMATS = {
    PixelFormat.BGR24: QImage.Format.Format_BGR888,
    PixelFormat.BGRA32: QImage.Format.Format_RGB32,  # B, G, R, A in memory on little endian
}

# State colours: the centre label's background (white text on it, 4.5:1 at least)
# and, lightened by ``FOOTER_LIGHTER``, the footer's text on ``BAR``.
LIVE = QColor("#2e7d32")
WAITING = QColor("#b34700")
LOST = QColor("#c62828")
IDLE = QColor("#546e7a")  # no camera, stopped, pictures masked
BAR = QColor("#263238")  # header and footer bars
BAR_TEXT = QColor("#ffffff")  # camera name on the header
STAMP_TEXT = QColor("#eceff1")  # « image hh:mm:ss »
CENTER_TEXT = QColor("#ffffff")
RANK_BG = QColor("#1565c0")
FOOTER_LIGHTER = 150


def footer_text_color(state: QColor) -> QColor:
    """A state's colour lightened until it reads on the footer bar (4.5:1 at least)."""
    color = state.lighter(FOOTER_LIGHTER)
    for _ in range(10):
        if contrast_ratio(color, BAR) >= 4.5:
            break
        color = QColor(color.lighter(115))
    return color


HEADER_H = 32  # camera name bar
FOOTER_H = 28  # state and time bar


def frame_image(frame: Frame) -> QImage:
    """Wrap a decoded frame as a QImage without copying its pixels (the caller keeps
    ``frame`` alive as long as the image)."""
    img = frame.image
    return QImage(img.data, frame.width, frame.height, img.strides[0], _QT_FORMATS[frame.fmt])


def wall_clock(mono: float) -> float:
    """A ``time.monotonic()`` stamp as a Unix time."""
    return time.time() - (time.monotonic() - mono)


class CameraTile(QWidget):
    """Shows one camera; knows nothing of which decoder feeds it."""

    activated = Signal(str)  # camera id (double-click)
    snapshot_requested = Signal(str)  # camera id

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.camera: Camera | None = None
        self.source: CameraSource | None = None
        self.rank: int | None = None
        self.status: SourceStatus | None = None
        self._frame: Frame | None = None  # keeps the pixels of _image alive
        self._image: QImage | None = None
        self.frames_painted = 0
        self._bars: dict[str, tuple[object, QPixmap]] = {}  # header / footer pixmaps
        self.masked = ""  # why pictures are hidden (nobody logged in…), or ""
        self.setMinimumSize(160, 90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.snap_button = QToolButton(self)
        self.snap_button.setText(self.tr("Cliché"))
        self.snap_button.setToolTip(
            self.tr("Enregistrer l'image affichée comme preuve (empreinte SHA-256 conservée)")
        )
        self.snap_button.setStyleSheet(
            "QToolButton { background: rgba(0,0,0,150); color: white; border: 1px solid #90a4ae;"
            f" padding: 1px 5px; font-size: {pt(10)}pt; }}"
        )
        self.snap_button.clicked.connect(self._on_snap_clicked)
        self.snap_button.hide()

    def show_camera(
        self, camera: Camera | None, source: CameraSource | None, rank: int | None = None
    ) -> None:
        """Put ``camera`` (fed by ``source``) in this tile, or empty it."""
        if camera is not self.camera or source is not self.source:
            self._frame = self._image = None
        self.camera, self.source, self.rank = camera, source, rank
        self.status = source.status if source is not None else None
        self.snap_button.setVisible(camera is not None)
        self.setToolTip(camera.name if camera else "")
        self.update()

    def current_frame(self) -> Frame | None:
        """The frame on screen (what a snapshot saves)."""
        return self._frame

    def on_frame(self) -> None:
        """A new frame is in the source's slot: take it and repaint."""
        if self.source is None:
            return
        frame = self.source.latest()
        if frame is None or frame is self._frame:
            return
        self._frame, self._image = frame, frame_image(frame)
        self.update()

    def on_status(self, status: SourceStatus) -> None:
        self.status = status
        self.update()

    def state_text(self) -> tuple[str, QColor]:
        """What the tile says about its stream, in the operator's words."""
        st = self.status
        if self.camera is None:
            return self.tr("Aucune caméra"), IDLE
        if st is None or st.state is StreamState.STOPPED:
            return self.tr("Arrêtée"), IDLE
        if st.state is StreamState.PLAYING:
            return self.tr("En direct"), LIVE
        if st.state is StreamState.CONNECTING and st.attempt == 0:
            return self.tr("Connexion…"), WAITING
        text = self.tr("Signal perdu")
        if st.error is not None:
            text += " – " + tr_label(st.error.value)
        return text, LOST

    # painting -------------------------------------------------------------------
    def resizeEvent(self, _event: QResizeEvent) -> None:
        self.snap_button.move(self.width() - self.snap_button.sizeHint().width() - 4, 3)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#101418"))
        if self.masked and self.camera is not None:
            self._paint_header(p)
            self._paint_center(p, self.masked, IDLE)
            p.end()
            return
        lost = self.status is not None and self.status.state is StreamState.LOST
        if self._image is not None:
            # the bars sit above and below the picture, never over it
            area = self.rect().adjusted(0, HEADER_H, 0, -FOOTER_H)
            target = _fit(self._image.width(), self._image.height(), area)
            p.drawImage(target, self._image)
            self.frames_painted += 1
            if lost:  # the last image stays, dimmed, under the warning
                p.fillRect(target, QColor(0, 0, 0, 140))
        self._paint_header(p)
        self._paint_footer(p)
        if lost or (self.camera is not None and self._image is None):
            text, color = self.state_text()
            self._paint_center(p, text.upper() if lost else text, color)
        if self.hasFocus():
            p.setPen(QColor("#42a5f5"))
            p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.end()

    def _paint_header(self, p: QPainter) -> None:
        if self.camera is None:
            return
        key = (self.camera.name, self.rank, self.width())
        p.drawPixmap(0, 0, self._bar("header", key, HEADER_H, self._draw_header))

    def _draw_header(self, p: QPainter, bar: QRect) -> None:
        assert self.camera is not None
        p.fillRect(bar, BAR)
        font = QFont(self.font())
        font.setPixelSize(HEADER_H - 14)
        font.setBold(True)
        p.setFont(font)
        x = 8
        if self.rank is not None:
            badge = QRect(6, 4, 26, 22)
            p.fillRect(badge, RANK_BG)
            p.setPen(BAR_TEXT)
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(self.rank))
            x = 38
        p.setPen(BAR_TEXT)
        room = self.width() - x - self.snap_button.sizeHint().width() - 10
        name = p.fontMetrics().elidedText(self.camera.name, Qt.TextElideMode.ElideRight, room)
        p.drawText(bar.adjusted(x, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, name)

    def _paint_footer(self, p: QPainter) -> None:
        if self.camera is None:
            return
        text, color = self.state_text()
        last = self.status.last_frame_mono if self.status else None
        if self._frame is not None:
            last = self._frame.mono
        stamp = None
        if last is not None:
            stamp = datetime.fromtimestamp(wall_clock(last), self._tz).strftime("%H:%M:%S")
        key = (text, color.rgba(), stamp, self.width())
        pixmap = self._bar(
            "footer", key, FOOTER_H, lambda q, bar: self._draw_footer(q, bar, text, color, stamp)
        )
        p.drawPixmap(0, self.height() - FOOTER_H, pixmap)

    def footer_texts(self, width: int, text: str, stamp: str | None) -> tuple[str, str]:
        """What the footer of a ``width`` px tile shows: the state (cut with « … » if
        need be) and the time of the last image — never overlapping. A narrow tile
        (4×4) keeps the time whole and drops the word « image »."""
        plain, bold = self._footer_font(False), self._footer_font(True)
        room = width - 16
        stamp_text = ""
        if stamp is not None:
            stamp_text = self.tr("image {t}").format(t=stamp)
            if QFontMetrics(plain).horizontalAdvance(stamp_text) > room // 2:
                stamp_text = stamp
            room -= QFontMetrics(plain).horizontalAdvance(stamp_text) + 10
        state = QFontMetrics(bold).elidedText("● " + text, Qt.TextElideMode.ElideRight, room)
        return state, stamp_text

    def _footer_font(self, bold: bool) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(FOOTER_H - 12)
        font.setBold(bold)
        return font

    def _draw_footer(
        self, p: QPainter, bar: QRect, text: str, color: QColor, stamp: str | None
    ) -> None:
        p.fillRect(bar, BAR)
        state, stamp_text = self.footer_texts(bar.width(), text, stamp)
        if stamp_text:
            p.setFont(self._footer_font(False))
            p.setPen(STAMP_TEXT)
            p.drawText(
                bar.adjusted(0, 0, -8, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                stamp_text,
            )
        p.setFont(self._footer_font(True))
        p.setPen(footer_text_color(color))
        p.drawText(bar.adjusted(8, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, state)

    def _bar(
        self, which: str, key: object, height: int, draw: Callable[[QPainter, QRect], None]
    ) -> QPixmap:
        """The header or footer, drawn again only when what it shows changes.

        A tile repaints at each video frame; its two bars took a dozen painter calls,
        each a trip into Python and back, for text that changes once a second.
        """
        ratio = self.devicePixelRatioF()
        cached = self._bars.get(which)
        if cached is not None and cached[0] == (key, ratio):
            return cached[1]
        bar = QRect(0, 0, self.width(), height)
        pixmap = painted_pixmap(self.width(), height, lambda p: draw(p, bar), ratio)
        self._bars[which] = ((key, ratio), pixmap)
        return pixmap

    def _paint_center(self, p: QPainter, text: str, color: QColor) -> None:
        font = QFont(self.font())
        font.setPointSize(max(pt(11), min(pt(22), self.width() // 22)))
        font.setBold(True)
        p.setFont(font)
        # Wrapped inside the tile: a long message (« Images masquées : personne
        # n'est connecté ») never runs into the neighbouring tiles.
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        room = QRect(0, 0, max(40, self.width() - 40), max(20, self.height() - 2 * HEADER_H))
        box = p.fontMetrics().boundingRect(room, int(flags), text).adjusted(-14, -8, 14, 8)
        box = box.intersected(self.rect().adjusted(4, HEADER_H, -4, -FOOTER_H))
        box.moveCenter(self.rect().center())
        p.fillRect(box, color)
        p.setPen(CENTER_TEXT)
        p.drawText(box.adjusted(8, 4, -8, -4), int(flags), text)

    # input ------------------------------------------------------------------------
    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.camera is not None and event.button() is Qt.MouseButton.LeftButton:
            self.activated.emit(self.camera.id)

    def _on_snap_clicked(self) -> None:
        if self.camera is not None:
            self.snapshot_requested.emit(self.camera.id)


def _fit(width: int, height: int, area: QRect) -> QRectF:
    """The largest rectangle of the picture's aspect ratio centred in ``area``."""
    scale = min(area.width() / width, area.height() / height)
    w, h = width * scale, height * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)
