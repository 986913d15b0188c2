"""The interrupt banner: across the top, flashing in the priority colour with the
category and the place, until every alert is acknowledged."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS, StoredAlert
from csu_console.core.cap_facts import is_exercise
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import flashing_style, pt

FLASH_MS = 500


class AlertBanner(QLabel):
    """Shows the most urgent unacknowledged alert; hidden when there is none."""

    clicked = Signal(int)  # pk of the alert shown
    alert_changed = Signal()  # another alert shown, or none
    painted = Signal(float)  # time.monotonic() of each paint (latency measurements)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setTextFormat(Qt.TextFormat.PlainText)  # citizens' text is never markup
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A long address wraps to a second line instead of widening the window. The
        # banner's height never changes, shown or not, whatever its text: rows under
        # the operator's pointer must not move when an alert comes or goes (issue 14).
        self.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSize(pt(20))
        font.setBold(True)
        self.setFixedHeight(2 * QFontMetrics(font).lineSpacing() + 2 * 8 + 4)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._pk: int | None = None
        self._body = ""
        self._key_hint = True  # « [F2] prendre en compte » (F2 acts on this alert)
        self._priority = 0  # none shown yet
        self._bright = True
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_MS)
        self._flash.timeout.connect(self._toggle)
        self.hide()

    @property
    def pk(self) -> int | None:
        """The alert shown, or None when the banner is hidden."""
        return self._pk

    def show_alert(
        self, item: StoredAlert, pending: int, group_size: int = 1, place: str = ""
    ) -> None:
        """Show ``item`` (the most urgent unacknowledged), where, and how many wait."""
        a = item.alert
        if not place:
            place = a.location.address or "" if a.location else self.tr("sans localisation")
        marks = []
        exercise = is_exercise(a.cap)
        if exercise:  # shown only with [cap] ring_exercises: say it is one
            marks.append(self.tr("EXERCICE"))
        if item.version > 0:
            marks.append(self.tr("MISE À JOUR"))
        parts = [
            *marks,
            tr_label(PRIORITY_LABELS[a.priority]).upper(),
            tr_label(CATEGORY_LABELS[a.category]) + (f" ×{group_size}" if group_size > 1 else ""),
            place,
        ]
        text = "  ·  ".join(p for p in parts if p)
        if pending > 1:
            text += "  ·  " + self.tr("{n} alertes en attente").format(n=pending)
        self._body = text
        self.setToolTip(a.title)
        changed = self._pk != item.pk
        self._pk = item.pk
        self._render()
        if changed:
            self.alert_changed.emit()
        if a.priority != self._priority or not self._bright or not self.isVisible():
            # Re-parsing a style sheet costs milliseconds: only when the look changes.
            self._priority = a.priority
            self._bright = True
            self._restyle()
        self.show()
        if exercise:
            # An exercise is announced, steady: a flashing banner means a real alert.
            self._flash.stop()
        elif not self._flash.isActive():
            self._flash.start()

    def set_key_hint(self, f2_acts_here: bool) -> None:
        """Say « [F2] prendre en compte » only when F2 would take this alert; else
        say what does (a click on the banner selects it)."""
        if f2_acts_here != self._key_hint:
            self._key_hint = f2_acts_here
            self._render()

    @property
    def key_hint(self) -> str:
        """The hint at the end of the banner's text."""
        if self._key_hint:
            return self.tr("[F2] prendre en compte")
        return self.tr("[clic] afficher cette alerte")

    def _render(self) -> None:
        if self._pk is not None:
            self.setText(self._body + "  ·  " + self.key_hint)

    def clear(self) -> None:
        """Nothing left to acknowledge."""
        changed = self._pk is not None
        self._pk = None
        self._flash.stop()
        self.hide()
        if changed:
            self.alert_changed.emit()

    @Slot()
    def _toggle(self) -> None:
        self._bright = not self._bright
        self._restyle()

    def _restyle(self) -> None:
        self.setStyleSheet(
            flashing_style("alertBanner", self._priority, self._bright, 20, "8px 16px")
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted.emit(time.monotonic())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._pk is not None:
            self.clicked.emit(self._pk)
        super().mousePressEvent(event)
