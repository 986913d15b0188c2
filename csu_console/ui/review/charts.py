"""The review's charts (pyqtgraph): alerts per hour stacked by category, the delay
distribution, and horizontal bars (per category, per zone). Clicking a bar says
which one (``bar_clicked``); the window narrows its filter with it.

Each chart keeps what it plotted in its pyqtgraph items; :meth:`plotted` reads it
back from them (what the tests compare with values worked out by hand).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from csu_console.core.review.filter import category_label
from csu_console.core.review.stats import CATEGORY_COLORS, DELAY_BIN_LABELS, hours_of
from csu_console.ui.labels import tr_label

AXIS = "#263238"
ACK_COLOR = "#1565c0"
DISPATCH_COLOR = "#ef6c00"
BAR = 0.8  # bar width, in slots


def _step(top: float) -> int:
    """A whole tick step (1, 2, 5, 10…) giving about five ticks up to ``top``."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            if m * magnitude * 5 >= top:
                return m * magnitude
        magnitude *= 10


def chart_font(points: int = 12, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font


def fixed_plot(parent: QWidget, tick_points: int = 11) -> pg.PlotWidget:
    """A white pyqtgraph plot that never pans, zooms or shows its menu (a chart to
    read, not to explore), with dark axes."""
    plot = pg.PlotWidget(parent, background="w")
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    item.setMouseEnabled(x=False, y=False)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(AXIS))
        axis.setTextPen(pg.mkPen(AXIS))
        axis.setTickFont(chart_font(tick_points))
    return plot


class _Chart(QWidget):
    """A title over a white, fixed (no pan, no zoom) pyqtgraph plot."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title, self)
        self.title.setFont(chart_font(13, bold=True))
        self.legend = QLabel(self)  # outside the plot: it never hides a bar
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("font-size: 11pt;")
        self.legend.hide()
        self.plot = fixed_plot(self)
        item = self.plot.getPlotItem()
        self.view = item.getViewBox()
        self.view.setDefaultPadding(0.02)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        self._items: list[Any] = []

    def _clear(self) -> None:
        for item in self._items:
            self.plot.removeItem(item)
        self._items = []

    def _add(self, item: Any) -> None:
        self.plot.addItem(item)
        self._items.append(item)

    def set_legend(self, entries: Sequence[tuple[str, str]]) -> None:
        """``(colour, label)`` swatches on one wrapped line above the plot."""
        self.legend.setText(
            "&nbsp;&nbsp; ".join(
                f'<span style="color:{color}; font-size:14pt;">&#9632;</span>&nbsp;{label}'
                for color, label in entries
            )
        )
        self.legend.setVisible(bool(entries))

    def _counts_axis(self, name: str, top: float) -> None:
        """Counts are whole: ticks at whole steps only."""
        step = _step(top)
        self.plot.getPlotItem().getAxis(name).setTickSpacing(step, step)

    def viewport_point(self, x: float, y: float) -> QPoint:
        """Where data point (x, y) is, in the plot's viewport (to click it)."""
        scene = self.view.mapViewToScene(QPointF(x, y))
        point: QPoint = self.plot.mapFromScene(scene)
        return point

    def _on_scene_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if not self.view.sceneBoundingRect().contains(event.scenePos()):
            return
        point = self.view.mapSceneToView(event.scenePos())
        self._clicked(point.x(), point.y())

    def _clicked(self, x: float, y: float) -> None:
        """A left click at data point (x, y)."""


class HourlyChart(_Chart):
    """Alerts per hour (local time on the axis), stacked by category, with a legend.

    ``bar_clicked(hour, category)``: the UTC start of the hour clicked and the
    category of the segment under the pointer.
    """

    bar_clicked = Signal(object, str)

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.setText(self.tr("Alertes par heure et par catégorie (cliquer : filtrer)"))
        self._tz = tz
        self.hours: list[datetime] = []
        self._stacks: list[tuple[str, list[int], list[int]]] = []  # category, base, count

    def set_data(
        self, by_hour: dict[datetime, dict[str, int]], start: datetime, end: datetime
    ) -> None:
        """Plot ``by_hour`` (UTC hour → category → count) over ``[start, end)``."""
        self._clear()
        self.hours = hours_of(start, end)
        known = [c for c in CATEGORY_COLORS if any(c in v for v in by_hour.values())]
        others = sorted({c for v in by_hour.values() for c in v} - set(known))
        base = [0] * len(self.hours)
        self._stacks = []
        for category in known + others:
            counts = [by_hour.get(h, {}).get(category, 0) for h in self.hours]
            color = QColor(CATEGORY_COLORS.get(category, "#9e9e9e"))
            bars = pg.BarGraphItem(
                x=list(range(len(self.hours))), height=counts, y0=list(base), width=BAR,
                brush=color, pen=pg.mkPen("w", width=1),
                name=tr_label(category_label(category)),
            )  # fmt: skip
            self._add(bars)
            self._stacks.append((category, list(base), counts))
            base = [b + n for b, n in zip(base, counts, strict=True)]
        self.set_legend([(CATEGORY_COLORS.get(c, "#9e9e9e"), tr_label(category_label(c)))
                         for c, _base, _counts in self._stacks])  # fmt: skip
        self._ticks(end - start)
        top = max([1, *base])
        self._counts_axis("left", top)
        # At least eight slots: one hour clicked is one bar, not a wall of colour.
        self.view.setRange(
            xRange=(-0.6, max(8, len(self.hours)) - 0.4), yRange=(0, top * 1.15), padding=0
        )

    def _ticks(self, span: timedelta) -> None:
        fmt = "%Hh" if span <= timedelta(hours=36) else "%d/%m %Hh"
        every = max(1, round(len(self.hours) / (12 if fmt == "%Hh" else 8)))
        ticks = [
            (i, h.astimezone(self._tz).strftime(fmt))
            for i, h in enumerate(self.hours)
            if i % every == 0
        ]
        self.plot.getPlotItem().getAxis("bottom").setTicks([ticks, []])

    def plotted(self) -> dict[str, list[int]]:
        """Category → count per hour, as drawn (read back from the bar items)."""
        out: dict[str, list[int]] = {}
        for (category, _base, _counts), item in zip(self._stacks, self._items, strict=True):
            out[category] = [int(v) for v in item.opts["height"]]
        return out

    def bar_point(self, hour_index: int, category: str) -> QPoint:
        """The middle of one segment, in viewport coordinates."""
        for cat, base, counts in self._stacks:
            if cat == category:
                return self.viewport_point(hour_index, base[hour_index] + counts[hour_index] / 2)
        raise KeyError(category)

    def _clicked(self, x: float, y: float) -> None:
        i = round(x)
        if not 0 <= i < len(self.hours) or abs(x - i) > BAR / 2:
            return
        for category, base, counts in self._stacks:
            if counts[i] and base[i] <= y < base[i] + counts[i]:
                self.bar_clicked.emit(self.hours[i], category)
                return


class DelayChart(_Chart):
    """Delays to acknowledge and to dispatch, side by side, per bin of
    :data:`~csu_console.core.review.stats.DELAY_BINS_S`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.setText(self.tr("Répartition des délais (nombre d'alertes)"))
        self.set_legend([(ACK_COLOR, self.tr("prise en compte")),
                         (DISPATCH_COLOR, self.tr("engagement d'une unité"))])  # fmt: skip
        bins = list(enumerate(DELAY_BIN_LABELS))
        self.plot.getPlotItem().getAxis("bottom").setTicks([bins, []])

    def set_data(self, ack: Sequence[int], dispatch: Sequence[int]) -> None:
        """Counts per bin of the delays to acknowledge and to dispatch."""
        self._clear()
        x = list(range(len(ack)))
        for shift, counts, color, name in (
            (-0.2, ack, ACK_COLOR, self.tr("Prise en compte")),
            (0.2, dispatch, DISPATCH_COLOR, self.tr("Engagement")),
        ):
            bars = pg.BarGraphItem(
                x=[i + shift for i in x], height=list(counts), width=0.38,
                brush=QColor(color), pen=pg.mkPen("w"), name=name,
            )  # fmt: skip
            self._add(bars)
        top = max([*ack, *dispatch, 1])
        self._counts_axis("left", top)
        self.view.setRange(xRange=(-0.6, len(x) - 0.4), yRange=(0, top * 1.15), padding=0)

    def plotted(self) -> dict[str, list[int]]:
        """``ack`` and ``dispatch`` counts per bin, as drawn."""
        ack, dispatch = self._items
        return {
            "ack": [int(v) for v in ack.opts["height"]],
            "dispatch": [int(v) for v in dispatch.opts["height"]],
        }


class BarsChart(_Chart):
    """Horizontal bars, one per key (largest on top), the count at the bar's end;
    ``bar_clicked(key)``."""

    bar_clicked = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.keys: list[str] = []

    def set_data(self, items: Sequence[tuple[str, str, int, str]]) -> None:
        """``(key, label, count, colour)`` per bar, drawn top to bottom."""
        self._clear()
        self.keys = [key for key, _label, _n, _color in items]
        n = len(items)
        ys = [n - 1 - i for i in range(n)]  # first item on top
        counts = [count for _key, _label, count, _color in items]
        brushes = [QColor(color) for _key, _label, _count, color in items]
        if n:
            self._add(pg.BarGraphItem(x0=[0] * n, y=ys, width=counts, height=BAR,
                                      brushes=brushes, pen=pg.mkPen("w")))  # fmt: skip
        for y, count in zip(ys, counts, strict=True):
            text = pg.TextItem(str(count), color=AXIS, anchor=(0, 0.5))
            text.setFont(chart_font(12, bold=True))
            text.setPos(count, y)
            self._add(text)
        ticks = [(y, label) for y, (_k, label, _n, _c) in zip(ys, items, strict=True)]
        self.plot.getPlotItem().getAxis("left").setTicks([ticks, []])
        top = max(counts, default=1) or 1
        self._counts_axis("bottom", top)
        # At least six rows, from the top: one category is one bar, not a wall.
        rows = max(6, n)
        self.view.setRange(xRange=(0, top * 1.2), yRange=(n - rows - 0.4, n - 0.4), padding=0)

    def plotted(self) -> dict[str, int]:
        """Key → count, as drawn."""
        if not self.keys:
            return {}
        widths = self._items[0].opts["width"]
        ys = self._items[0].opts["y"]
        n = len(self.keys)
        return {self.keys[n - 1 - int(y)]: int(w) for y, w in zip(ys, widths, strict=True)}

    def bar_point(self, key: str) -> QPoint:
        """The middle of ``key``'s bar, in viewport coordinates."""
        i = self.keys.index(key)
        width = self._items[0].opts["width"][i]
        return self.viewport_point(width / 2, len(self.keys) - 1 - i)

    def _clicked(self, x: float, y: float) -> None:
        n = len(self.keys)
        j = round(y)
        if not 0 <= j < n or abs(y - j) > BAR / 2 or x < 0:
            return
        self.bar_clicked.emit(self.keys[n - 1 - j])  # anywhere on its row: short bars too
