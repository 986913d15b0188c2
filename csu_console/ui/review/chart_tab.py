"""The « Graphiques » tab: alerts per hour (stacked by category) across the top,
the delay distribution, and bars per category and per zone underneath."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QGridLayout, QWidget

from csu_console.core.review.digest import Summary
from csu_console.core.review.filter import category_label
from csu_console.core.review.stats import CATEGORY_COLORS
from csu_console.ui.labels import tr_label
from csu_console.ui.review.charts import BarsChart, DelayChart, HourlyChart

ZONE_COLOR = "#00838f"


class ChartTab(QWidget):
    """Four charts fed from one :class:`Summary`."""

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hourly = HourlyChart(tz, self)
        self.delays = DelayChart(self)
        self.categories = BarsChart(self.tr("Alertes par catégorie (cliquer : filtrer)"), self)
        self.zones = BarsChart(self.tr("Alertes par zone (cliquer : filtrer)"), self)
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.addWidget(self.hourly, 0, 0, 1, 2)
        grid.addWidget(self.delays, 1, 0, 1, 2)
        grid.addWidget(self.categories, 2, 0)
        grid.addWidget(self.zones, 2, 1)
        grid.setRowStretch(0, 5)
        grid.setRowStretch(1, 4)
        grid.setRowStretch(2, 4)

    def show_summary(self, summary: Summary, zone_names: dict[str, str]) -> None:
        """Plot the summary's indicators."""
        a, f = summary.indicators.alerts, summary.filter
        self.hourly.set_data(a.by_hour, f.start, f.end)
        self.delays.set_data(a.ack_histogram, a.dispatch_histogram)
        self.categories.set_data([
            (c, tr_label(category_label(c)), n, CATEGORY_COLORS.get(c, "#9e9e9e"))
            for c, n in a.by_category.items()
        ])  # fmt: skip
        self.zones.set_data(
            [(z, zone_names.get(z, z), n, ZONE_COLOR) for z, n in a.by_zone.items()]
        )
