"""Colours that mean something, and fonts legible from two metres.

Two themes: ``sombre`` (the default: control rooms are dim) and ``clair``. The
priority colours are the same in both (red is urgent whatever the background);
everything else — window, queue, status bar, reminders — comes from the active
:class:`Theme`. :func:`apply_theme` sets the application's palette, font and style
sheet once, before the windows are built; widgets read :func:`current` for the few
colours a palette cannot carry (a state shown in colour) and :func:`pt` for their
font sizes, so ``[ui] scale`` enlarges everything together.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

PRIORITY_COLORS: dict[int, str] = {
    1: "#d32f2f",  # urgent: red
    2: "#ef6c00",  # high: orange
    3: "#f9a825",  # normal: amber
    4: "#546e7a",  # information: slate
}
#: Text on a priority badge: at least 4.5:1 (WCAG AA) on its colour.
PRIORITY_TEXT: dict[int, str] = {1: "#ffffff", 2: "#000000", 3: "#000000", 4: "#ffffff"}

# Link status: white text on these (4.5:1 at least).
LINK_OK = "#2e7d32"
LINK_WARN = "#b34700"
LINK_LOST = "#c62828"

#: The queue's and the window's text at scale 1 (legible at two metres).
BASE_POINT_SIZE = 12

THEMES = ("sombre", "clair")
SCALE_MIN, SCALE_MAX = 0.75, 2.0


@dataclass(frozen=True)
class Theme:
    """The colours of one theme (``#rrggbb``)."""

    name: str
    window: str  # window and dialog background
    text: str  # text on ``window``
    base: str  # table, fields
    alternate: str  # every other row of the queue
    base_text: str  # text on ``base`` and ``alternate``
    button: str
    button_text: str
    header: str  # the queue's column headers
    grid: str
    selection: str
    selection_text: str
    muted_text: str  # key help (secondary, but read from two metres too)
    danger_text: str  # the 17/18/15/112 reminder, rejected messages
    ok_text: str  # « Alarme sonore active »
    warn_text: str  # « personne n'est connecté »
    alarm_bg: str  # « ALARME SONORE INDISPONIBLE » (white text)
    mute_bg: str  # mute in progress (``mute_text`` on it)
    mute_text: str
    tooltip: str
    tooltip_text: str
    link: str


DARK = Theme(
    name="sombre",
    window="#1b2227",
    text="#e6ebee",
    base="#11171b",
    alternate="#1a2228",
    base_text="#eef2f4",
    button="#2b353c",
    button_text="#eef2f4",
    header="#263238",
    grid="#37474f",
    selection="#1565c0",
    selection_text="#ffffff",
    muted_text="#b0bec5",
    danger_text="#ff8a80",
    ok_text="#81c784",
    warn_text="#ffb74d",
    alarm_bg="#c62828",
    mute_bg="#ffe082",
    mute_text="#000000",
    tooltip="#263238",
    tooltip_text="#ffffff",
    link="#90caf9",
)

LIGHT = Theme(
    name="clair",
    window="#eef1f3",
    text="#14191c",
    base="#ffffff",
    alternate="#eef2f5",
    base_text="#101417",
    button="#e2e7ea",
    button_text="#101417",
    header="#dfe5e8",
    grid="#cfd8dc",
    selection="#1565c0",
    selection_text="#ffffff",
    muted_text="#37474f",
    danger_text="#b71c1c",
    ok_text="#1b5e20",
    warn_text="#a84300",
    alarm_bg="#c62828",
    mute_bg="#ffe082",
    mute_text="#000000",
    tooltip="#ffffdc",
    tooltip_text="#000000",
    link="#0d47a1",
)

_BY_NAME = {t.name: t for t in (DARK, LIGHT)}


@dataclass
class _Active:
    """The theme and scale of this run (set once by :func:`apply_theme`)."""

    theme: Theme = DARK
    scale: float = 1.0


_active = _Active()


def theme_named(name: str) -> Theme:
    """The theme called ``name`` (``sombre`` for anything unknown)."""
    return _BY_NAME.get(name, DARK)


def current() -> Theme:
    """The theme the application was started with."""
    return _active.theme


def scale() -> float:
    """``[ui] scale`` of this run."""
    return _active.scale


def pt(size: float) -> int:
    """A font size in points at the ``[ui] scale`` of this run."""
    return max(1, round(size * _active.scale))


def priority_color(priority: int) -> QColor:
    """Background colour of a priority badge."""
    return QColor(PRIORITY_COLORS.get(priority, "#9e9e9e"))


def priority_text_color(priority: int) -> QColor:
    """Readable text colour on :func:`priority_color`."""
    return QColor(PRIORITY_TEXT.get(priority, "#000000"))


def flashing_style(name: str, priority: int, bright: bool, size: float, padding: str) -> str:
    """Style of a flashing alert strip (the console's banner, the notice in the review
    and setup windows): the priority's colour, darker on the dim phase."""
    base = priority_color(priority)
    color = base if bright else base.darker(170)
    text = priority_text_color(priority).name() if bright else "#ffffff"
    return (
        f"QLabel#{name} {{ background: {color.name()}; color: {text}; font-size: {pt(size)}pt;"
        f" font-weight: bold; padding: {padding}; border-radius: 4px; }}"
    )


def stylesheet(theme: Theme | None = None, factor: float | None = None) -> str:
    """The application style sheet of ``theme`` at ``factor`` (default: the active ones)."""
    t = theme or _active.theme
    k = _active.scale if factor is None else factor

    def size(points: float) -> int:
        return max(1, round(points * k))

    return f"""
QMainWindow, QWidget {{ font-size: {size(BASE_POINT_SIZE)}pt; }}
QTableView {{ gridline-color: {t.grid}; selection-background-color: {t.selection};
             selection-color: {t.selection_text}; }}
QHeaderView::section {{ font-weight: bold; padding: 4px; background: {t.header};
                       color: {t.base_text}; border: 0; border-bottom: 1px solid {t.grid}; }}
QStatusBar {{ font-size: {size(BASE_POINT_SIZE)}pt; }}
QToolTip {{ background: {t.tooltip}; color: {t.tooltip_text}; border: 1px solid {t.grid}; }}
"""


#: The light theme at scale 1 (the docs' screenshot scripts use it as is).
STYLESHEET = stylesheet(LIGHT, 1.0)


def palette(theme: Theme) -> QPalette:
    """The Qt palette of ``theme``."""
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, theme.window),
        (roles.WindowText, theme.text),
        (roles.Base, theme.base),
        (roles.AlternateBase, theme.alternate),
        (roles.Text, theme.base_text),
        (roles.Button, theme.button),
        (roles.ButtonText, theme.button_text),
        (roles.Highlight, theme.selection),
        (roles.HighlightedText, theme.selection_text),
        (roles.ToolTipBase, theme.tooltip),
        (roles.ToolTipText, theme.tooltip_text),
        (roles.PlaceholderText, theme.muted_text),
        (roles.Link, theme.link),
        (roles.BrightText, "#ffffff"),
    ):
        pal.setColor(role, QColor(color))
    disabled = QColor(theme.muted_text)
    disabled.setAlpha(170)
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


def apply_theme(app: QApplication, name: str = "sombre", factor: float = 1.0) -> Theme:
    """Make ``name`` at ``factor`` the look of ``app`` (before its windows are built)."""
    _active.theme = theme_named(name)
    _active.scale = min(SCALE_MAX, max(SCALE_MIN, factor))
    app.setStyle("Fusion")  # the same look everywhere, and it follows the palette
    app.setPalette(palette(_active.theme))
    font = QFont(app.font())
    # Fonts made with QFont() (a bold row of the queue…) get the readable size too.
    font.setPointSizeF(BASE_POINT_SIZE * _active.scale)
    app.setFont(font)
    app.setStyleSheet(stylesheet())
    return _active.theme


def reset_active() -> None:
    """Back to the defaults of :func:`current` and :func:`scale` (tests)."""
    _active.theme, _active.scale = DARK, 1.0


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)
