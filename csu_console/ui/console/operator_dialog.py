"""Who is at this station: asked at start until real accounts exist (dispatch issue)."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

MAX_NAME = 60


class OperatorDialog(QDialog):
    """Asks the operator's name. Window-modal, never blocking: alerts keep ringing
    and the banner keeps flashing behind it."""

    operator_chosen = Signal(str)

    def __init__(self, station: str, last_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Prise de poste"))
        self.name = QLineEdit(last_name, self)
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(self.tr("Nom de l'opérateur"))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        form = QFormLayout(self)
        form.addRow(self.tr("Poste"), QLabel(station, self))
        form.addRow(self.tr("Opérateur"), self.name)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self._on_ok)
        form.addRow(buttons)

    @Slot()
    def _on_ok(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            self.error.setText(self.tr("Indiquez votre nom : il signe chaque action."))
            return
        self.operator_chosen.emit(name)
        self.accept()

    def reject(self) -> None:
        """Escape does not leave the station without an operator."""
        self.error.setText(self.tr("Indiquez votre nom : il signe chaque action."))
