"""« Carte de chaleur »: the map pane's toggle of the heatmap, and its period.

One tool button, off by default, as narrow as its name: the map pane shares its
width with the alert queue, and a wider toolbar would take columns from it. With
periods (the live map's: recent days within the retention of positions), its
arrow opens the choice of the period; the legend on the map says which is shown.
The widget holds no data: the screen that owns it loads the points and feeds the
layer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget


class HeatmapToggle(QWidget):
    """A checkable « Carte de chaleur » button and, given ``periods`` (days), its
    menu « 7 derniers jours »…; ``toggled(on)``, ``period_changed(days)``."""

    toggled = Signal(bool)
    period_changed = Signal(int)

    def __init__(
        self, periods: Sequence[int] = (), default: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.button = QToolButton(self)
        self.button.setText(self.tr("Carte de chaleur"))
        self.button.setCheckable(True)
        self.button.setChecked(False)
        self.period_actions: dict[int, QAction] = {}
        self._days: int | None = None
        if periods:
            menu = QMenu(self.button)
            group = QActionGroup(menu)
            group.setExclusive(True)
            for days in periods:
                action = QAction(self.period_label(days), menu)
                action.setCheckable(True)
                action.setData(days)
                action.triggered.connect(lambda _on=False, d=days: self.set_days(d))
                group.addAction(action)
                menu.addAction(action)
                self.period_actions[days] = action
            self.button.setMenu(menu)
            self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            first = default if default in self.period_actions else periods[0]
            self._days = first
            self.period_actions[first].setChecked(True)
        self._update_tooltip()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        self.button.toggled.connect(self.toggled)

    def period_label(self, days: int) -> str:
        """« Dernières 24 heures », « 7 derniers jours »…"""
        if days == 1:
            return self.tr("Dernières 24 heures")
        return self.tr("{n} derniers jours").format(n=days)

    def is_on(self) -> bool:
        """Whether the heatmap is asked for."""
        return self.button.isChecked()

    def days(self) -> int | None:
        """The chosen period in days (None without periods)."""
        return self._days

    def set_days(self, days: int) -> None:
        """Choose the period (one of those offered); ``period_changed`` if it changed."""
        action = self.period_actions.get(days)
        if action is None or days == self._days:
            return
        self._days = days
        action.setChecked(True)
        self._update_tooltip()
        self.period_changed.emit(days)

    def _update_tooltip(self) -> None:
        if self._days is None:
            tip = self.tr(
                "Densité des alertes de la revue (au-delà de 300 alertes, elle remplace"
                " leurs points)"
            )
        else:
            tip = self.tr(
                "Densité des signalements enregistrés ({period}), sous les alertes en cours ;"
                " la flèche choisit la période"
            ).format(period=self.period_label(self._days))
        self.button.setToolTip(tip)
