"""One tile of the camera wall: the picture, the camera's name, its state and the
time of its last frame — legible from two metres, and honest when the signal is lost.

In replay (its source is a ``replay:`` source) a tile can never pass for live: a
thick violet frame, « RELECTURE » on a violet header, and the footer gives the
time the picture was FILMED (``Frame.at``, the site's time), the speed and
« PAUSE »; an instant with no recording shows « PAS D'ENREGISTREMENT » (or why)
on a neutral ground, never the last picture."""

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
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from csu_console.config import Camera
from csu_console.media.replay.clock import ReplayClock
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
# Replay: violet, a colour no live state uses (green, orange, red, slate). The
# frame is bright on the dark wall (8:1 on #101418), the bars are deep violet
# under white text (11:1).
REPLAY_FRAME = QColor("#b388ff")
REPLAY_BAR = QColor("#4a148c")
REPLAY_TEXT = QColor("#ffffff")
GAP_BG = QColor("#455a64")  # « pas d'enregistrement »: neutral, not a fault colour
REPLAY_BORDER = 6  # px: seen from two metres
REPLAY_SCHEME = "replay:"
#: « Direct » on a replaying tile: the live state's green, the way back to live.
REPLAY_LIVE_STYLE = (
    "QToolButton { background: #2e7d32; color: white; border: 1px solid #a5d6a7;"
    " padding: 1px 6px; font-weight: bold; }"
)


def footer_text_color(state: QColor) -> QColor:
    """A state's colour lightened until it reads on the footer bar (4.5:1 at least)."""
    color = state.lighter(FOOTER_LIGHTER)
    for _ in range(10):
        if contrast_ratio(color, BAR) >= 4.5:
            break
        color = QColor(color.lighter(115))
    return color


TILE_MIN_H = 90
#: Narrower than this, the « Relecture » button shows only its glyph (↺).
COMPACT_BELOW = 420
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
    replay_requested = Signal(str)  # camera id: « Relecture »
    live_requested = Signal(str)  # camera id: « Direct »

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
        self.clock: ReplayClock | None = None  # the replay's clock (speed, pause)
        self.replay_allowed = True
        self.in_wall_replay = False  # set by the wall during « Relecture du mur »
        self.setMinimumSize(160, TILE_MIN_H)
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
        self.replay_button = QToolButton(self)
        self._button_style = self.snap_button.styleSheet()
        self.replay_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.snap_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.replay_button.clicked.connect(self._on_replay_clicked)
        self.replay_button.hide()
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # F11 replays the tile clicked
        self._update_buttons()

    def show_camera(
        self, camera: Camera | None, source: CameraSource | None, rank: int | None = None
    ) -> None:
        """Put ``camera`` (fed by ``source``) in this tile, or empty it."""
        if camera is not self.camera or source is not self.source:
            self._frame = self._image = None
        self.camera, self.source, self.rank = camera, source, rank
        self.status = source.status if source is not None else None
        self._update_buttons()
        self.setToolTip(camera.name if camera else "")
        self.update()

    @property
    def replaying(self) -> bool:
        """True when the tile shows recordings, not live."""
        return self.source is not None and self.source.url.startswith(REPLAY_SCHEME)

    def _update_buttons(self) -> None:
        shown = self.camera is not None
        replay = self.replaying
        # A snapshot is evidence of what is seen NOW: none of a recording (an
        # extraction on requisition is the way for recordings).
        self.snap_button.setVisible(shown and not replay)
        # « Relecture du mur »: one « Direct » for the wall, in its controls bar.
        self.replay_button.setVisible(shown and not (replay and self.in_wall_replay))
        self.replay_button.setStyleSheet(REPLAY_LIVE_STYLE if replay else self._button_style)
        if replay:
            self.replay_button.setText(self.tr("Direct"))
            self.replay_button.setToolTip(self.tr("Revenir au direct (Échap)"))
            self.replay_button.setEnabled(True)
        else:
            # A narrow tile (2×2 and smaller) keeps the room for the camera's name:
            # the button shows its glyph, the tooltip says what it does.
            compact = self.width() < COMPACT_BELOW
            self.replay_button.setText("↺" if compact else self.tr("Relecture"))
            self.replay_button.setToolTip(
                self.tr("Revoir l'enregistrement de cette caméra avant l'alerte (F11)")
            )
            self.replay_button.setEnabled(self.replay_allowed and not self.masked)
        self.replay_button.adjustSize()  # « ↺ », « Relecture », « Direct »: not one width
        self._place_buttons()

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
        if self.replaying:
            return self.replay_text(), REPLAY_FRAME
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

    # replay -----------------------------------------------------------------------
    def filmed_at(self) -> float | None:
        """When the picture on screen was filmed (a recording; None live)."""
        return self._frame.at if self._frame is not None else None

    def replay_text(self, *, short: bool = False) -> str:
        """« RELECTURE 10:42:13 », the speed when not 1×, « PAUSE »: the time the
        picture shown was FILMED, in the site's time. ``short`` (a narrow tile):
        the time and the speed only — the frame and the header say « replay »."""
        st = self.status
        at = self.filmed_at()
        parts = [] if short else [self.tr("RELECTURE")]
        if st is not None and st.state is StreamState.GAP:
            # said in the footer too: a small tile (4×4, wall replay) has no room
            # for the words in its middle
            reason = tr_label(st.detail) if st.detail else self.tr("pas d'enregistrement")
            parts.append(reason.upper() if short else "· " + reason.upper())
        elif at is not None:
            parts.append(datetime.fromtimestamp(at, self._tz).strftime("%H:%M:%S"))
        clock = self.clock
        if clock is not None:
            state = clock.state()
            if state.speed != 1.0:
                parts.append(f"×{state.speed:g}")
            if not state.playing and not short:
                parts.append("· " + self.tr("PAUSE"))
        return " ".join(parts) or self.tr("RELECTURE")

    def center_text(self) -> tuple[str, QColor] | None:
        """What a replaying tile shows in its middle instead of a picture (None: the
        picture)."""
        st = self.status
        if st is not None and st.state is StreamState.GAP:
            reason = tr_label(st.detail) if st.detail else self.tr("pas d'enregistrement")
            return reason.upper(), GAP_BG
        if st is not None and st.state is StreamState.LOST:
            text = self.tr("Enregistrements inaccessibles")
            if st.detail:
                text += " – " + st.detail
            return text.upper(), LOST
        if self._image is None:
            return self.tr("Recherche dans l'enregistrement…"), GAP_BG
        return None

    # painting -------------------------------------------------------------------
    def _place_buttons(self) -> None:
        inset = REPLAY_BORDER if self.replaying else 0
        x = self.width() - 4 - inset
        for button in (self.snap_button, self.replay_button):
            if not button.isHidden():
                x -= button.sizeHint().width()
                button.move(x, 3 + inset // 2)
                x -= 4

    def resizeEvent(self, event: QResizeEvent) -> None:
        if (event.size().width() < COMPACT_BELOW) != (event.oldSize().width() < COMPACT_BELOW):
            self._update_buttons()  # the replay button's label changes with the width
        self._place_buttons()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#101418"))
        if self.masked and self.camera is not None:
            self._paint_header(p)
            self._paint_center(p, self.masked, IDLE)
            p.end()
            return
        if self.replaying:
            self._paint_replay(p)
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

    def _paint_replay(self, p: QPainter) -> None:
        b = REPLAY_BORDER
        center = self.center_text()
        if center is None and self._image is not None:
            area = self.rect().adjusted(b, HEADER_H, -b, -FOOTER_H)
            p.drawImage(_fit(self._image.width(), self._image.height(), area), self._image)
            self.frames_painted += 1
        self._paint_header(p)
        self._paint_footer(p)
        if center is not None:
            self._paint_center(p, *center)
        pen = QPen(REPLAY_FRAME)
        pen.setWidth(b)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(self.rect().adjusted(b // 2, b // 2, -(b - b // 2), -(b - b // 2)))

    def _paint_header(self, p: QPainter) -> None:
        if self.camera is None:
            return
        buttons = (
            self.replay_button.sizeHint().width(),
            self.replay_button.isHidden(),
            self.snap_button.isHidden(),
        )
        key = (self.camera.name, self.rank, self.width(), self.replaying, buttons)
        p.drawPixmap(0, 0, self._bar("header", key, HEADER_H, self._draw_header))

    def _draw_header(self, p: QPainter, bar: QRect) -> None:
        assert self.camera is not None
        replay = self.replaying
        p.fillRect(bar, REPLAY_BAR if replay else BAR)
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
        shown = [b for b in (self.replay_button, self.snap_button) if not b.isHidden()]
        buttons = sum(b.sizeHint().width() + 6 for b in shown) + 2
        room = self.width() - x - buttons - 10
        if replay:
            word = self.tr("RELECTURE")
            width = p.fontMetrics().horizontalAdvance(word) + 12
            # The violet frame and the footer already say it: the badge only when
            # the camera's name still fits whole beside it.
            if room - width - 6 >= p.fontMetrics().horizontalAdvance(self.camera.name):
                badge = QRect(x - 2, 4, width, HEADER_H - 8)
                p.fillRect(badge, REPLAY_FRAME)
                p.setPen(QColor("#000000"))
                p.drawText(badge, Qt.AlignmentFlag.AlignCenter, word)
                p.setPen(BAR_TEXT)
                x += width + 6
                room -= width + 6
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
        if self.replaying:
            last = None  # the footer's time is the time filmed, in ``text``
        if last is not None:
            stamp = datetime.fromtimestamp(wall_clock(last), self._tz).strftime("%H:%M:%S")
        key = (text, color.rgba(), stamp, self.width(), self.replaying)
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
        if self.replaying:
            p.fillRect(bar, REPLAY_BAR)
            font = self._footer_font(True)
            p.setFont(font)
            p.setPen(REPLAY_TEXT)
            paused = self.clock is not None and not self.clock.playing
            sign = "❚❚ " if paused else "▶ "
            room = bar.width() - 2 * REPLAY_BORDER - 8
            metrics = QFontMetrics(font)
            shown = sign + text
            if metrics.horizontalAdvance(shown) > room:  # 4×4: the time first
                shown = sign + self.replay_text(short=True)
            shown = metrics.elidedText(shown, Qt.TextElideMode.ElideRight, room)
            p.drawText(
                bar.adjusted(REPLAY_BORDER + 6, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, shown
            )
            return
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

    def _on_replay_clicked(self) -> None:
        if self.camera is None:
            return
        if self.replaying:
            self.live_requested.emit(self.camera.id)
        else:
            self.replay_requested.emit(self.camera.id)


def _fit(width: int, height: int, area: QRect) -> QRectF:
    """The largest rectangle of the picture's aspect ratio centred in ``area``."""
    scale = min(area.width() / width, area.height() / height)
    w, h = width * scale, height * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)
