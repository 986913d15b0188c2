"""The units' live status, one chip each: who is free, who is where."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from csu_console.core.dispatch import STAGE_LABELS, UNIT_STATUS_LABELS, Unit, UnitState, UnitStatus
from csu_console.ui.fit import FlowLayout
from csu_console.ui.labels import tr_label

_CHIP = {
    UnitStatus.DISPONIBLE: ("#2e7d32", "white"),
    UnitStatus.EN_INTERVENTION: ("#ef6c00", "black"),
    UnitStatus.INDISPONIBLE: ("#9e9e9e", "black"),
}


class UnitStrip(QWidget):
    """A row of chips; clicking a busy unit's chip selects its alert."""

    alert_clicked = Signal(int)

    def __init__(self, units: Sequence[Unit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units = list(units)
        self.chips: dict[str, QPushButton] = {}
        # Chips wrap to a second line rather than widen the window.
        layout = FlowLayout(self, spacing=4)
        title = QLabel(self.tr("Unités :"), self)
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        for unit in self.units:
            chip = QPushButton(self)
            chip.setFlat(True)
            chip.clicked.connect(lambda _c=False, uid=unit.id: self._on_chip(uid))
            self.chips[unit.id] = chip
            layout.addWidget(chip)
        self._states: Mapping[str, UnitState] = {}
        self.set_states({})
        self.setVisible(bool(self.units))

    def chip_text(self, unit: Unit) -> str:
        state = self._states.get(unit.id, UnitState())
        if state.status is UnitStatus.EN_INTERVENTION and state.alert_pk is not None:
            stage = tr_label(STAGE_LABELS[state.stage]) if state.stage else ""
            return self.tr("{unit} · {stage} n° {pk}").format(
                unit=unit.name, stage=stage, pk=state.alert_pk
            )
        return f"{unit.name} · {tr_label(UNIT_STATUS_LABELS[state.status])}"

    @Slot(object)
    def set_states(self, states: Mapping[str, UnitState]) -> None:
        self._states = states
        for unit in self.units:
            state = states.get(unit.id, UnitState())
            bg, fg = _CHIP[state.status]
            chip = self.chips[unit.id]
            chip.setText(self.chip_text(unit))
            chip.setStyleSheet(
                f"QPushButton {{ background: {bg}; color: {fg}; border-radius: 4px;"
                " padding: 3px 8px; font-weight: bold; }"
            )

    def _on_chip(self, unit_id: str) -> None:
        state = self._states.get(unit_id)
        if state is not None and state.alert_pk is not None:
            self.alert_clicked.emit(state.alert_pk)
