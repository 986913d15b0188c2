"""Widgets that never push the window wider than the screen.

A plain ``QLabel`` asks for the width of its whole text: one long camera name or
message made the console's minimum width grow past 1920 px, for good. These ask
for little and show what fits — the whole text stays in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget

#: What an elided label asks for at least (a few letters and the ellipsis).
ELIDED_MIN_WIDTH = 60


class ElidedLabel(QLabel):
    """One line of plain text, cut with « … » when it does not fit; the whole text is
    the tooltip then. Its minimum width is small, so it never widens the window."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._own_tooltip = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def full_text(self) -> str:
        """The text as set, before eliding."""
        return self._full

    def text(self) -> str:
        """The whole text (what was set), not the cut one on screen."""
        return self._full

    def shown_text(self) -> str:
        """What the label shows (cut with « … » when it does not fit)."""
        return super().text()

    def is_elided(self) -> bool:
        return super().text() != self._full

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()
        self.updateGeometry()

    def set_tooltip(self, tooltip: str) -> None:
        """A tooltip of its own (the whole text is added when it is cut)."""
        self._own_tooltip = tooltip
        self._elide()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), ELIDED_MIN_WIDTH), hint.height())

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + 2 * self.indent_px()
        return QSize(width + margins.left() + margins.right(), super().minimumSizeHint().height())

    def indent_px(self) -> int:
        return max(0, self.indent()) + self.margin()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # A style sheet or font change alters the text's width.
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width() - 2 * self.indent_px()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        if shown != super().text():
            QLabel.setText(self, shown)
        tips = [t for t in (self._full if shown != self._full else "", self._own_tooltip) if t]
        self.setToolTip("\n".join(tips))


class FlowLayout(QLayout):
    """Items left to right, wrapping to a new line when the width runs out (the
    units' chips: every unit stays visible, on as many lines as needed)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m: QMargins = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _place(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_h = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line_h = area.x(), y + line_h + self._spacing, 0
            if move:
                width = min(hint.width(), area.width())
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += hint.width() + self._spacing
            line_h = max(line_h, hint.height())
        return y + line_h - rect.y() + m.bottom()
