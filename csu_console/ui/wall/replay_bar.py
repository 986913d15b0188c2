"""The replay's controls under the wall, shown only in replay: what is replayed
and at which filmed time, play/pause, speed, frame step, ±10 s, « Direct », and
the timeline. Every control only changes the clock (the sources seek on their own
threads): the GUI never waits on a seek.

Keys (the wall or one of its tiles has focus; F11 / Maj+F11 anywhere):
Espace lecture/pause · ← / → −10 s / +10 s · Maj+← / Maj+→ image précédente /
suivante · ↑ / ↓ vitesse plus / moins (1 2 3 4 du pavé : 1×, 2×, 4×, 8×) ·
Échap direct.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from csu_console.media.replay.clock import SPEEDS, ClockState
from csu_console.ui.fit import ElidedLabel
from csu_console.ui.theme import pt
from csu_console.ui.wall.timeline import ReplayTimeline

#: What each key does (shown in the tooltips, and in the README).
KEYS = {
    "play": ("Space",),
    "back10": ("Left",),
    "forward10": ("Right",),
    "step_back": ("Shift+Left",),
    "step_forward": ("Shift+Right",),
    "faster": ("Up",),
    "slower": ("Down",),
    "speed1": ("1",),
    "speed2": ("2",),
    "speed4": ("3",),
    "speed8": ("4",),
    "live": ("Esc",),
}
ARROWS = {"Left": "←", "Right": "→", "Up": "↑", "Down": "↓"}


PLAY_GLYPH = "▶"
PAUSE_GLYPH = "❚❚"


class ReplayBar(QWidget):
    """The replay's controls; they emit what the operator asked, the wall's
    controller changes the clock."""

    play_toggled = Signal()
    skip_requested = Signal(float)  # seconds, ±10
    step_requested = Signal(int)  # frames, ±1
    speed_requested = Signal(float)
    speed_shifted = Signal(int)  # +1 faster, -1 slower
    live_requested = Signal()

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # its violet frame
        self.setStyleSheet(
            "#replayBar { background: #2a0f45; border: 3px solid #b388ff; }"
            " QLabel#replayState { color: #ffffff; font-weight: bold;"
            f" font-size: {pt(13)}pt; padding: 0 6px; }}"
            " #replayBar QPushButton { color: #ffffff; background: #4a148c;"
            " border: 1px solid #b388ff; padding: 2px 6px;"
            f" font-size: {pt(12)}pt; font-weight: bold; }}"
            " #replayBar QPushButton:checked { background: #b388ff; color: #000000; }"
            " #replayBar QPushButton:disabled { color: #9e9e9e; }"
        )
        self.state_label = ElidedLabel("", self)  # never widens the window
        self.state_label.setObjectName("replayState")
        self.buttons: dict[str, QPushButton] = {}
        # What is replayed and when, on a line of its own (long camera names), the
        # way back to live at its end; the controls below, then the timeline.
        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        top.addWidget(self.state_label, 1)
        # The controls never widen the window (a 1366-px screen, a narrow wall
        # pane): short of room, the last ones are cut, the keys still work.
        controls = QWidget(self)
        controls.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(controls)
        row.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(4)

        def button(name: str, text: str, tip: str, where: QHBoxLayout = row) -> QPushButton:
            b = QPushButton(text, self)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Espace is the wall's, not a click
            keys = " / ".join(self.key_name(k) for k in KEYS[name])
            b.setToolTip(f"{tip} ({keys})")
            self.buttons[name] = b
            where.addWidget(b)
            return b

        def whole(b: QPushButton) -> None:
            # A label is never squeezed to « 'ause » or « -10 : »: short of room the
            # row is cut at its end (the speeds), whose keys still work.
            b.setMinimumWidth(b.sizeHint().width())

        button("back10", self.tr("−10 s"), self.tr("Reculer de 10 secondes")).clicked.connect(
            lambda: self.skip_requested.emit(-10.0)
        )
        button("step_back", "◀❚", self.tr("Image précédente (met en pause)")).clicked.connect(
            lambda: self.step_requested.emit(-1)
        )
        button("play", PAUSE_GLYPH, self.tr("Lecture / pause")).clicked.connect(self.play_toggled)
        button("step_forward", "❚▶", self.tr("Image suivante (met en pause)")).clicked.connect(
            lambda: self.step_requested.emit(1)
        )
        button("forward10", self.tr("+10 s"), self.tr("Avancer de 10 secondes")).clicked.connect(
            lambda: self.skip_requested.emit(10.0)
        )
        self.speeds = QButtonGroup(self)
        self.speeds.setExclusive(True)
        for speed, name in zip(SPEEDS, ("speed1", "speed2", "speed4", "speed8"), strict=True):
            b = button(name, f"{speed:g}×", self.tr("Vitesse {s}×").format(s=f"{speed:g}"))
            b.setCheckable(True)
            self.speeds.addButton(b)
            b.clicked.connect(lambda _c=False, s=speed: self.speed_requested.emit(s))
        for b in self.buttons.values():
            whole(b)
        row.addStretch(1)
        button("live", self.tr("Direct"), self.tr("Revenir au direct"), top).clicked.connect(
            self.live_requested
        )
        self.buttons["live"].setStyleSheet(
            "QPushButton { background: #2e7d32; border: 1px solid #a5d6a7; }"
        )

        self.timeline = ReplayTimeline(tz, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 2, 3, 3)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(controls)
        layout.addWidget(self.timeline)

    def key_name(self, key: str) -> str:
        """A key as the keyboard's caps say it (« Maj+← », « Espace »)."""
        words = {"Space": self.tr("Espace"), "Shift": self.tr("Maj"), "Esc": self.tr("Échap")}
        return "+".join(words.get(part, ARROWS.get(part, part)) for part in key.split("+"))

    def actions_for(self, owner: QWidget) -> dict[str, QAction]:
        """The keys, as actions of ``owner`` (the wall): active when it or a tile
        has focus. Disabled outside replay, so the keys do nothing else then."""
        emit = {
            "play": self.play_toggled.emit,
            "back10": lambda: self.skip_requested.emit(-10.0),
            "forward10": lambda: self.skip_requested.emit(10.0),
            "step_back": lambda: self.step_requested.emit(-1),
            "step_forward": lambda: self.step_requested.emit(1),
            "faster": lambda: self.speed_shifted.emit(1),
            "slower": lambda: self.speed_shifted.emit(-1),
            "speed1": lambda: self.speed_requested.emit(SPEEDS[0]),
            "speed2": lambda: self.speed_requested.emit(SPEEDS[1]),
            "speed4": lambda: self.speed_requested.emit(SPEEDS[2]),
            "speed8": lambda: self.speed_requested.emit(SPEEDS[3]),
            "live": self.live_requested.emit,
        }
        actions: dict[str, QAction] = {}
        for name, keys in KEYS.items():
            action = QAction(owner)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setAutoRepeat(name not in ("play", "live"))
            action.triggered.connect(emit[name])
            action.setEnabled(False)
            owner.addAction(action)
            actions[name] = action
        return actions

    def show_state(self, title: str, state: ClockState, shown_at: str) -> None:
        """``title`` (what is replayed), the filmed time shown, speed, pause."""
        text = self.tr("RELECTURE {t}").format(t=shown_at) if shown_at else self.tr("RELECTURE")
        if state.speed != 1.0:
            text += f" ×{state.speed:g}"
        if not state.playing:
            text += " · " + self.tr("PAUSE")
        self.state_label.setText(f"{text} — {title}")
        # The player's glyphs, as every video player: ▶ to play, ❚❚ to pause (the
        # word « Pause » was squeezed to « 'ause » on a 1366-px screen).
        self.buttons["play"].setText(PAUSE_GLYPH if state.playing else PLAY_GLYPH)
        for speed, name in zip(SPEEDS, ("speed1", "speed2", "speed4", "speed8"), strict=True):
            self.buttons[name].setChecked(abs(state.speed - speed) < 1e-6)
