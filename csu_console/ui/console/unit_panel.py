"""The units' live status, one chip each: who is free, who is where."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QPushButton, QWidget

from csu_console.core.dispatch import STAGE_LABELS, UNIT_STATUS_LABELS, Unit, UnitState, UnitStatus
from csu_console.ui.fit import FlowLayout
from csu_console.ui.labels import tr_label

_CHIP = {
    UnitStatus.DISPONIBLE: ("#2e7d32", "white"),
    UnitStatus.EN_INTERVENTION: ("#ef6c00", "black"),
    UnitStatus.INDISPONIBLE: ("#9e9e9e", "black"),
}


class UnitStrip(QWidget):
    """A row of chips; clicking a busy unit's chip selects its alert; its menu (right
    click) makes the unit available or unavailable (with a comment)."""

    alert_clicked = Signal(int)
    availability_requested = Signal(str, bool, str)  # unit id, available, comment

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
            chip.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            chip.customContextMenuRequested.connect(
                lambda pos, uid=unit.id: self._on_menu(uid, pos)
            )
            self.chips[unit.id] = chip
            layout.addWidget(chip)
        self._states: Mapping[str, UnitState] = {}
        self.menu: QMenu | None = None
        self.question: QInputDialog | None = None
        self.set_states({})
        self.setVisible(bool(self.units))

    def chip_text(self, unit: Unit) -> str:
        state = self._states.get(unit.id, UnitState())
        text = f"{unit.name} · {tr_label(UNIT_STATUS_LABELS[state.status])}"
        if state.status is UnitStatus.EN_INTERVENTION and state.alert_pk is not None:
            stage = tr_label(STAGE_LABELS[state.stage]) if state.stage else ""
            text = self.tr("{unit} · {stage} n° {pk}").format(
                unit=unit.name, stage=stage, pk=state.alert_pk
            )
        elif state.status is UnitStatus.EN_INTERVENTION and state.stage is not None:
            text = f"{unit.name} · {tr_label(STAGE_LABELS[state.stage])}"
        # Another station's engagement or change: which one (the operator in the tooltip).
        return f"{text} ({state.station})" if state.station else text

    def chip_tooltip(self, unit: Unit) -> str:
        state = self._states.get(unit.id, UnitState())
        lines = [self.chip_text(unit)]
        if state.station:
            lines.append(self.tr("Par {who}").format(who=state.holder()))
        if state.comment:
            lines.append(state.comment)
        lines.append(self.tr("Clic droit : disponible / indisponible"))
        return "\n".join(lines)

    @Slot(object)
    def set_states(self, states: Mapping[str, UnitState]) -> None:
        self._states = states
        for unit in self.units:
            state = states.get(unit.id, UnitState())
            bg, fg = _CHIP[state.status]
            chip = self.chips[unit.id]
            chip.setText(self.chip_text(unit))
            chip.setToolTip(self.chip_tooltip(unit))
            chip.setStyleSheet(
                f"QPushButton {{ background: {bg}; color: {fg}; border-radius: 4px;"
                " padding: 3px 8px; font-weight: bold; }"
            )

    def _on_chip(self, unit_id: str) -> None:
        state = self._states.get(unit_id)
        if state is not None and state.alert_pk is not None:
            self.alert_clicked.emit(state.alert_pk)

    def _on_menu(self, unit_id: str, pos: QPoint) -> None:
        chip = self.chips[unit_id]
        menu = QMenu(chip)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        available = menu.addAction(self.tr("Rendre disponible"))
        available.triggered.connect(lambda: self.availability_requested.emit(unit_id, True, ""))
        unavailable = menu.addAction(self.tr("Rendre indisponible…"))
        unavailable.triggered.connect(lambda: self.ask_unavailable(unit_id))
        status = self._states.get(unit_id, UnitState()).status
        available.setEnabled(status is UnitStatus.INDISPONIBLE)
        unavailable.setEnabled(status is UnitStatus.DISPONIBLE)
        self.menu = menu
        menu.popup(chip.mapToGlobal(pos))

    def ask_unavailable(self, unit_id: str) -> None:
        """Why the unit is unavailable (« pause repas », « véhicule en panne »…)."""
        unit = next(u for u in self.units if u.id == unit_id)
        dialog = QInputDialog(self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setWindowTitle(self.tr("{unit} indisponible").format(unit=unit.name))
        dialog.setLabelText(self.tr("Motif (partagé avec les autres postes) :"))
        dialog.textValueSelected.connect(
            lambda text: self.availability_requested.emit(unit_id, False, text.strip())
        )
        self.question = dialog
        dialog.open()
