"""The signals screen's charts (pyqtgraph, as the review's): a signal's cell week by
week with its baseline, and the « Tendances » totals period by period.

Each chart keeps what it plotted (:attr:`plotted`): what the tests read back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from csu_console.core.signal_trends import WeekCounts
from csu_console.ui.review.charts import chart_font, fixed_plot

PAST = "#90a4ae"  # the weeks before the signal
WINDOW = "#e65100"  # the signal's own window
BASELINE = "#1565c0"


class BarChart(QWidget):
    """A title, a legend line and a white, fixed plot of bars (no pan, no zoom)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title, self)
        self.title.setFont(chart_font(12, bold=True))
        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("font-size: 11pt;")
        self.plot = fixed_plot(self, tick_points=10)
        self.plot.setMinimumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        #: (labels, counts, reference line or None) as last drawn.
        self.plotted: tuple[tuple[str, ...], tuple[int, ...], float | None] = ((), (), None)

    def draw(
        self,
        labels: Sequence[str],
        counts: Sequence[int],
        colours: Sequence[str],
        reference: float | None = None,
    ) -> None:
        """Bars ``counts`` labelled ``labels``, a dashed line at ``reference``."""
        self.plot.clear()
        self.plotted = (tuple(labels), tuple(counts), reference)
        if not counts:
            return
        xs = list(range(len(counts)))
        bars = pg.BarGraphItem(
            x=xs, height=list(counts), width=0.75,
            brushes=[pg.mkBrush(c) for c in colours], pens=[pg.mkPen(c) for c in colours],
        )  # fmt: skip
        self.plot.addItem(bars)
        if reference is not None:
            line = pg.InfiniteLine(
                pos=reference, angle=0,
                pen=pg.mkPen(BASELINE, width=2, style=Qt.PenStyle.DashLine),
            )  # fmt: skip
            self.plot.addItem(line)
        step = max(1, len(labels) // 8)  # never more than ~8 labels: they stay readable
        axis = self.plot.getPlotItem().getAxis("bottom")
        axis.setTicks([[(i, labels[i]) for i in range(0, len(labels), step)]])
        top = max(*counts, reference or 0.0, 1.0)
        self.plot.setYRange(0, top * 1.15, padding=0)
        self.plot.setXRange(-0.6, len(counts) - 0.4, padding=0)


class SignalTrendChart(BarChart):
    """The signal's cell, week by week: the signal's window in orange, the weeks
    before in grey, the baseline's mean as a dashed blue line."""

    def show_weeks(self, weeks: WeekCounts, tz: tzinfo) -> None:
        labels = [s.astimezone(tz).strftime("%d/%m") for s in weeks.starts]
        n = len(weeks.counts)
        colours = [WINDOW if i >= n - weeks.window_weeks else PAST for i in range(n)]
        self.draw(labels, weeks.counts, colours, weeks.baseline_mean)
        mean = weeks.baseline_mean
        self.legend.setText(
            self.tr(
                "Semaines commençant le… ; en orange la fenêtre du signal, en tirets bleus "
                "la moyenne de référence ({m})."
            ).format(m="–" if mean is None else f"{mean:.1f}".replace(".", ","))
        )

    def clear_chart(self) -> None:
        self.draw([], [], [])
        self.legend.setText("")
