"""Under the queue: the selected alert's detail and « Main courante du jour » in two
tabs, the « Nouvelle entrée (F9) » button in the corner. While the book is shown it
gets 45 % of the queue's column (the queue keeps its top rows); the tab counts the
operators' lines written since it was last in view."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QPushButton, QSplitter, QTabWidget, QWidget

from csu_console.ui.theme import pt


class LowerTabs(QTabWidget):
    """The detail and the book; ``entry_button`` in the top-right corner."""

    def __init__(
        self, detail: QWidget, book: QWidget, entry_button: QPushButton, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.book = book
        self._detail_sizes: list[int] = []
        self._book_seen = -1  # operators' lines in the book when it was last in view
        self._book_written = 0
        self.addTab(detail, self.tr("Alerte sélectionnée"))
        self.addTab(book, self.tr("Main courante du jour"))
        self.setCornerWidget(entry_button, Qt.Corner.TopRightCorner)
        self.setStyleSheet(
            f"QTabBar::tab {{ font-size: {pt(13)}pt; font-weight: bold; padding: 7px 14px; }}"
        )
        self.currentChanged.connect(self._on_tab_changed)

    @Slot(int)
    def show_book_count(self, written: int) -> None:
        """Operators' lines in the book: the tab says how many came since it was
        last looked at (« Main courante du jour (+2) »)."""
        self._book_written = written
        # The first reading, the tab in view, or a narrower filter: all seen.
        if self._book_seen < 0 or self.currentWidget() is self.book or written < self._book_seen:
            self._book_seen = written
        new = written - self._book_seen
        text = self.tr("Main courante du jour")
        if new > 0:
            text = self.tr("Main courante du jour (+{n})").format(n=new)
        self.setTabText(self.indexOf(self.book), text)

    def show_book(self) -> None:
        """Bring the book forward (the queue stays)."""
        self.setCurrentWidget(self.book)

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        """The book needs rows to be read: while it is shown it gets half of the
        queue's column; the detail gets its share back."""
        if self.currentWidget() is self.book:
            self.show_book_count(self._book_written)
        split = self.parentWidget()
        if not isinstance(split, QSplitter) or split.orientation() != Qt.Orientation.Vertical:
            return
        total = sum(split.sizes())
        if self.currentWidget() is self.book:
            self._detail_sizes = split.sizes()
            split.setSizes([total * 45 // 100, total - total * 45 // 100])
        elif self._detail_sizes:
            split.setSizes(self._detail_sizes)
