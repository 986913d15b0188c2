"""A new alert and the windows in front: raise the console, or leave the supervisor
and the installer at their work with a notice in their window.

:class:`AttentionRouter` reads the screen into a
:class:`~csu_console.core.attention.FocusState` (which window has the keyboard, a
mouse button held, a text field being edited, a modal dialog open) and does what
:func:`~csu_console.core.attention.attention_for` says. The review and setup
windows it watches get an :class:`AlarmNotice` across their top: always there
(so that it never shifts the window's content under a drag), grey while nothing
rings, flashing in the priority's colour while an alert waits; a click brings the
console forward on that alert.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QSizePolicy,
    QTextEdit,
    QToolBar,
    QWidget,
)

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS, StoredAlert
from csu_console.core.attention import Attention, FocusState, Front, attention_for
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import flashing_style

log = logging.getLogger("csu.ui")

FLASH_MS = 500
NOTICE_HEIGHT = 48
_IDLE_STYLE = (
    "QLabel#alarmNotice { background: #eceff1; color: #37474f; font-size: 12pt;"
    " padding: 4px 12px; border-radius: 4px; }"
)
_EDITORS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


class AlarmNotice(QLabel):
    """The console's alarm, inside a work window: « Nouvelle alerte urgente n° 12 … —
    cliquer pour aller à la console », flashing; « Console : aucune alerte en
    attente » when nothing rings. Always the same height."""

    clicked = Signal(int)  # pk of the alert shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmNotice")
        self.setTextFormat(Qt.TextFormat.PlainText)  # citizens' text is never markup
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFixedHeight(NOTICE_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._pk: int | None = None
        self._priority = 0
        self._bright = True
        self._idle = False
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_MS)
        self._flash.timeout.connect(self._toggle)
        self.show_alert(None)

    def minimumSizeHint(self) -> QSize:
        # A long place never widens the window it sits in: the text is cut instead
        # (the whole of it stays in the console's banner).
        return QSize(120, NOTICE_HEIGHT)

    @property
    def pk(self) -> int | None:
        """The alert shown, None when nothing rings."""
        return self._pk

    def show_alert(self, item: StoredAlert | None, pending: int = 0, place: str = "") -> None:
        """The most urgent alert waiting, and how many wait (None: nothing rings)."""
        if item is None:
            if self._idle:
                return  # a style sheet costs milliseconds: only when the look changes
            self._idle = True
            self._pk = None
            self._flash.stop()
            self.setText(self.tr("Console : aucune alerte en attente"))
            self.setToolTip("")
            self.setCursor(Qt.CursorShape.ArrowCursor)
            self.setStyleSheet(_IDLE_STYLE)
            return
        self._idle = False
        a = item.alert
        what = tr_label(CATEGORY_LABELS[a.category])
        if place:
            what += " – " + place
        if a.priority == 1:
            text = self.tr("Nouvelle alerte urgente n° {n} – {what}").format(n=item.pk, what=what)
        else:
            text = self.tr("Nouvelle alerte n° {n} ({priority}) – {what}").format(
                n=item.pk, priority=tr_label(PRIORITY_LABELS[a.priority]).lower(), what=what
            )
        if pending > 1:
            text += " · " + self.tr("{n} alertes en attente").format(n=pending)
        self.setText(text + " — " + self.tr("cliquer pour aller à la console"))
        self.setToolTip(a.title)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        changed = self._pk is None or a.priority != self._priority
        self._pk, self._priority = item.pk, a.priority
        if changed:
            self._bright = True
            self._restyle()
        if not self._flash.isActive():
            self._flash.start()

    @property
    def flashing(self) -> bool:
        """True while an alert is shown (the notice flashes)."""
        return self._flash.isActive()

    @Slot()
    def _toggle(self) -> None:
        self._bright = not self._bright
        self._restyle()

    def _restyle(self) -> None:
        self.setStyleSheet(
            flashing_style("alarmNotice", self._priority, self._bright, 15, "4px 12px")
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._pk is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self._pk)
        super().mousePressEvent(event)


class AttentionRouter(QObject):
    """See the module docstring. ``console_requested(pk)``: a notice was clicked
    (the console is in front by then; the main window selects the alert)."""

    console_requested = Signal(int)

    def __init__(
        self,
        console: QWidget,
        parent: QObject | None = None,
        *,
        probe: Callable[[], FocusState] | None = None,
    ) -> None:
        super().__init__(parent)
        self._console = console
        #: Reads the screen; tests that cannot show another program give their own.
        self.probe = probe or self.focus_state
        self._notices: dict[QMainWindow, AlarmNotice] = {}
        # The console's own other windows (the detached wall): the console's front.
        self._parts: list[QWidget] = []
        self._last: tuple[StoredAlert | None, int, str] = (None, 0, "")
        self.last_attention: Attention | None = None

    # -- the windows watched -----------------------------------------------------

    @Slot(object)
    def watch(self, window: QMainWindow) -> AlarmNotice:
        """Give ``window`` (review, setup) a notice across its top, and never raise
        the console over it."""
        self._prune()
        if window in self._notices:
            return self._notices[window]
        bar = QToolBar(self.tr("Alarme de la console"), window)
        bar.setObjectName("alarmNoticeBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setVisible(False)  # not hidden by a right click
        notice = AlarmNotice(bar)
        bar.addWidget(notice)
        first = next(
            (
                b
                for b in window.findChildren(QToolBar)
                if b is not bar
                and b.parent() is window
                and window.toolBarArea(b) == Qt.ToolBarArea.TopToolBarArea
            ),
            None,
        )
        if first is None:
            window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        else:
            window.insertToolBar(first, bar)  # above the window's own tools
            window.insertToolBarBreak(first)
        notice.clicked.connect(self.go_to_console)
        self._notices[window] = notice
        window.destroyed.connect(self._prune)
        notice.show_alert(*self._last)
        return notice

    def include(self, window: QWidget) -> None:
        """``window`` is part of the console (the wall detached to another screen):
        working in it is working in the console, and a new alert leaves it alone."""
        if window not in self._parts:
            self._parts.append(window)

    def notice_of(self, window: QWidget) -> AlarmNotice | None:
        """The notice shown in ``window``, if it is watched."""
        return next((n for w, n in self._notices.items() if w is window), None)

    @Slot()
    def _prune(self) -> None:
        self._notices = {w: n for w, n in self._notices.items() if shiboken6.isValid(w)}

    # -- what rings --------------------------------------------------------------

    def show_ringing(self, item: StoredAlert | None, pending: int = 0, place: str = "") -> None:
        """The alarm's most urgent waiting alert (None: nothing rings), for the notices."""
        self._last = (item, pending, place)
        self._prune()
        for notice in self._notices.values():
            notice.show_alert(item, pending, place)

    def interrupt(self) -> Attention:
        """A new alert rang: bring the console forward, or leave the window in front
        alone (its notice shows the alert)."""
        state = self.probe()
        attention = attention_for(state)
        self.last_attention = attention
        window = self._console
        if attention is Attention.RAISE:
            if window.isMinimized():
                window.showNormal()
            window.raise_()
            # Without a window manager to keep dialogs above their window (a kiosk
            # session), raising it would bury the login screen or an open question.
            modal = QApplication.activeModalWidget()
            if modal is not None and modal is not window:
                modal.raise_()
            window.activateWindow()
        elif attention is Attention.NOTIFY:
            log.debug("nouvelle alerte : console laissée derrière (%s)", state)
        if attention is not Attention.NONE:
            QApplication.alert(window)  # the window manager's « attention » hint
        return attention

    @Slot(int)
    def go_to_console(self, pk: int) -> None:
        """A notice was clicked: the console in front, on that alert."""
        window = self._console
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
        self.console_requested.emit(pk)

    # -- the screen --------------------------------------------------------------

    def _owner(self, widget: QWidget | None) -> QWidget | None:
        """The top window ``widget`` belongs to: through its dialogs' parents."""
        w = widget.window() if widget is not None else None
        if w is not None and any(w is part for part in self._parts):
            return self._console
        while w is not None and w is not self._console and w not in self._notices:
            parent = w.parentWidget()
            w = parent.window() if parent is not None else None
        return w

    def focus_state(self) -> FocusState:
        """Which window has the keyboard, and whether someone is dragging or typing
        in a window other than the console."""
        self._prune()
        active = QApplication.activeWindow()
        owner = self._owner(active)
        if active is None:
            front = Front.ELSEWHERE
        elif owner is self._console:
            front = Front.CONSOLE
        elif owner is not None:
            front = Front.WORK
        else:
            front = Front.ELSEWHERE
        focus = QApplication.focusWidget()
        editing = (
            isinstance(focus, _EDITORS)
            and self._owner(focus) is not self._console
            and not (isinstance(focus, QLineEdit) and focus.isReadOnly())
        )
        modal = QApplication.activeModalWidget()
        return FocusState(
            front,
            console_minimized=self._console.isMinimized(),
            button_held=front is not Front.CONSOLE
            and QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton,
            editing=editing,
            modal_open=modal is not None and self._owner(modal) is not self._console,
        )
