"""Colours that mean something, and fonts legible from two metres."""

from __future__ import annotations

from PySide6.QtGui import QColor

PRIORITY_COLORS: dict[int, str] = {
    1: "#d32f2f",  # urgent: red
    2: "#ef6c00",  # high: orange
    3: "#f9a825",  # normal: amber
    4: "#607d8b",  # information: slate
}
PRIORITY_TEXT: dict[int, str] = {1: "#ffffff", 2: "#ffffff", 3: "#000000", 4: "#ffffff"}

LINK_OK = "#2e7d32"
LINK_WARN = "#ef6c00"
LINK_LOST = "#c62828"

BASE_POINT_SIZE = 12


def priority_color(priority: int) -> QColor:
    """Background colour of a priority badge."""
    return QColor(PRIORITY_COLORS.get(priority, "#9e9e9e"))


def priority_text_color(priority: int) -> QColor:
    """Readable text colour on :func:`priority_color`."""
    return QColor(PRIORITY_TEXT.get(priority, "#000000"))


STYLESHEET = """
QMainWindow, QWidget { font-size: 12pt; }
QTableView { gridline-color: #cfd8dc; selection-background-color: #1565c0;
             selection-color: white; }
QHeaderView::section { font-weight: bold; padding: 4px; background: #eceff1;
                       border: 0; border-bottom: 1px solid #b0bec5; }
QStatusBar { font-size: 11pt; }
"""
