"""« Carte de chaleur »: the map pane's toggle of the heatmap, and its period.

The button is off by default; the period chooser (the live map's: recent days
within the retention of positions) shows only while the heatmap is on. The widget
holds no data: the screen that owns it loads the points and feeds the layer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget


class HeatmapToggle(QWidget):
    """A checkable « Carte de chaleur » button and, given ``periods`` (days), a
    chooser « 7 derniers jours »…; ``toggled(on)``, ``period_changed(days)``."""

    toggled = Signal(bool)
    period_changed = Signal(int)

    def __init__(
        self, periods: Sequence[int] = (), default: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.button = QPushButton(self.tr("Carte de chaleur"), self)
        self.button.setCheckable(True)
        self.button.setChecked(False)
        self.button.setToolTip(
            self.tr("Densité des signalements enregistrés, sous les alertes en cours")
        )
        self.period = QComboBox(self)
        self.period.setToolTip(self.tr("Période de la carte de chaleur"))
        for days in periods:
            self.period.addItem(self.period_label(days), days)
        if default is not None and default in periods:
            self.period.setCurrentIndex(list(periods).index(default))
        self.period.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.button)
        layout.addWidget(self.period)
        self.button.toggled.connect(self._on_button_toggled)
        self.period.currentIndexChanged.connect(self._on_period_index_changed)

    def period_label(self, days: int) -> str:
        """« Dernières 24 heures », « 7 derniers jours »…"""
        if days == 1:
            return self.tr("Dernières 24 heures")
        return self.tr("{n} derniers jours").format(n=days)

    def is_on(self) -> bool:
        """Whether the heatmap is asked for."""
        return self.button.isChecked()

    def days(self) -> int | None:
        """The chosen period in days (None without a chooser)."""
        data = self.period.currentData()
        return int(data) if data is not None else None

    def _on_button_toggled(self, on: bool) -> None:
        self.period.setVisible(on and self.period.count() > 0)
        self.toggled.emit(on)

    def _on_period_index_changed(self, _index: int) -> None:
        days = self.days()
        if days is not None:
            self.period_changed.emit(days)
