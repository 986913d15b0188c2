"""« Clôturer l'alerte » for an alert no unit handled: why it is closed.

The dialog names the alert (n°, category, place) so that the operator closes the
one they mean, whatever the queue does meanwhile. No qualification is chosen in
advance; confirming without one, or « Autre » without a comment, is refused
with a message in the dialog. Keyboard: ↑/↓ or the digit keys choose,
Ctrl+Entrée confirms, Échap cancels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import StoredAlert
from csu_console.core.closing import QUALIFICATION_LABELS, Qualification, closing_details
from csu_console.core.logbook import LogbookError
from csu_console.ui.console.dispatch_dialog import CtrlEnterDialog, alert_summary, refusal_label
from csu_console.ui.labels import tr_label


class CloseDialog(CtrlEnterDialog):
    """Choose a :class:`Qualification` (and a comment); the caller stores the closing."""

    def __init__(self, item: StoredAlert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Clôturer l'alerte n° {pk}").format(pk=item.pk))
        self.setMinimumWidth(560)
        self.item = item
        summary = QLabel(alert_summary(item), self)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        summary.setStyleSheet("font-size: 14pt; font-weight: bold;")
        explain = QLabel(
            self.tr("Aucune unité n'est intervenue : pourquoi clôturer cette alerte ?"), self
        )
        explain.setWordWrap(True)
        self.error = refusal_label(self)
        self.group = QButtonGroup(self)
        self.buttons: dict[Qualification, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(explain)
        for n, (qualification, label) in enumerate(QUALIFICATION_LABELS.items(), start=1):
            button = QRadioButton(f"&{n}  {tr_label(label)}", self)
            self.group.addButton(button)
            self.buttons[qualification] = button
            layout.addWidget(button)
        self.group.buttonToggled.connect(lambda _b, _on: self.error.hide())
        self.comment = QPlainTextEdit(self)
        self.comment.setPlaceholderText(self.tr("Commentaire (obligatoire pour « Autre »)"))
        self.comment.setMaximumHeight(90)
        self.comment.setTabChangesFocus(True)
        layout.addWidget(self.comment)
        layout.addWidget(self.error)
        box = QDialogButtonBox(self)
        box.addButton(self.tr("Clôturer (Ctrl+Entrée)"), QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Annuler (Échap)"), QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.details: dict[str, str] = {}

    def qualification(self) -> Qualification | None:
        """The qualification chosen, or None (nothing is chosen in advance)."""
        return next((q for q, b in self.buttons.items() if b.isChecked()), None)

    def choose(self, qualification: Qualification) -> None:
        """Check ``qualification``'s button (as a click or its digit key would)."""
        self.buttons[qualification].setChecked(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A digit chooses, even from the comment field's neighbours (not inside it).
        key = event.key()
        if (
            Qt.Key.Key_1 <= key <= Qt.Key.Key_9
            and not self.comment.hasFocus()
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            index = int(key) - int(Qt.Key.Key_1)
            qualifications = list(self.buttons)
            if index < len(qualifications):
                self.choose(qualifications[index])
                self.buttons[qualifications[index]].setFocus()
                return
        super().keyPressEvent(event)

    def accept(self) -> None:
        """Refused, with the reason in the dialog, until the qualification is complete."""
        try:
            self.details = closing_details(self.qualification(), self.comment.toPlainText())
        except LogbookError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()
