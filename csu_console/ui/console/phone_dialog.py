"""« Nouvelle alerte ici »: the form of an alert created from a phone call.

Category, priority (the site's rule for the category until the operator changes it),
title, description, the place (the address found or the point clicked; the address
text may be corrected) and, optionally, the caller's name and phone number — said on
the form to be erased after the personal-data period. Problems are listed in the
form (:func:`csu_console.core.phone_alert.check_call`), which stays open; Échap on a
form with typed text asks before dropping it.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import (
    CATEGORY_LABELS,
    DEFAULT_PRIORITY_RULES,
    PRIORITY_LABELS,
    RISK_CATEGORIES,
    Category,
)
from csu_console.core.phone_alert import MAX_DESCRIPTION, PhoneCall, check_call
from csu_console.ui.labels import tr_label
from csu_console.ui.map.address_search import Place

#: The categories a caller reports, most frequent first; partners' risks after.
CALL_CATEGORIES = [
    Category.RIXE,
    Category.ACCIDENT,
    Category.INCENDIE,
    Category.CAMBRIOLAGE,
    Category.COMPORTEMENT_SUSPECT,
    Category.DEGRADATION,
    Category.DEMARCHAGE_ABUSIF,
    Category.ANIMAL_PERDU,
    *sorted(RISK_CATEGORIES),
    Category.AUTRE,
]


class PhoneAlertDialog(QDialog):
    """The « Nouvelle alerte ici » form; ``submitted(PhoneCall)`` when it checks out.

    The controller closes it (:meth:`accept`) once the alert is stored, or shows why
    not (:meth:`show_problems`).
    """

    submitted = Signal(object)

    def __init__(
        self,
        place: Place,
        priorities: Mapping[Category, int],
        personal_days: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nouvelle alerte (appel téléphonique)"))
        self.place = place
        self._priorities = priorities
        self._priority_touched = False
        self.category = QComboBox(self)
        for category in CALL_CATEGORIES:
            self.category.addItem(tr_label(CATEGORY_LABELS[category]), category)
        self.priority = QComboBox(self)
        for level, label in sorted(PRIORITY_LABELS.items()):
            self.priority.addItem(f"P{level} – {tr_label(label)}", level)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("ce que l'appelant signale, en quelques mots"))
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText(self.tr("détails de l'appel (facultatif)"))
        self.description.setMaximumHeight(110)
        self.description.setTabChangesFocus(True)  # Tab goes on to the place, the caller
        self.address = QLineEdit(place.address, self)
        self.address.setPlaceholderText(self.tr("adresse ou repère (facultatif)"))
        self.point = QLabel(f"{place.lat:.5f}, {place.lon:.5f}", self)
        self.caller_name = QLineEdit(self)
        self.caller_name.setPlaceholderText(self.tr("facultatif"))
        self.caller_phone = QLineEdit(self)
        self.caller_phone.setPlaceholderText(self.tr("facultatif, p. ex. 06 12 34 56 78"))
        privacy = QLabel(
            self.tr(
                "Nom et téléphone de l'appelant, comme la description : données personnelles, "
                "effacées au bout de {days} jours (RGPD)."
            ).format(days=personal_days),
            self,
        )
        privacy.setWordWrap(True)
        privacy.setStyleSheet("color: palette(mid);")
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c62828; font-weight: bold;")
        self.problems.hide()

        form = QFormLayout()
        form.addRow(self.tr("Catégorie"), self.category)
        form.addRow(self.tr("Priorité"), self.priority)
        form.addRow(self.tr("Titre"), self.title)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Lieu"), self.address)
        form.addRow(self.tr("Position"), self.point)
        form.addRow(self.tr("Appelant"), self.caller_name)
        form.addRow(self.tr("Téléphone"), self.caller_phone)
        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(
            self.tr("Créer l'alerte"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Entrée alone never creates an alert half typed: Ctrl+Entrée or the button.
        for button in (self.create_button, cancel):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.create_button.setToolTip(self.tr("Ctrl+Entrée"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(privacy)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.category.currentIndexChanged.connect(self._on_category_changed)
        self.priority.activated.connect(self._on_priority_chosen)
        self._on_category_changed()
        self.title.setFocus()
        self.setMinimumWidth(460)

    # -- priority from the rules -------------------------------------------------

    def chosen_category(self) -> Category:
        """The category chosen (Qt gives the enum's value back as a plain string)."""
        return Category(self.category.currentData())

    def rule_priority(self) -> int:
        """The site's priority for the category chosen."""
        category = self.chosen_category()
        return self._priorities.get(category, DEFAULT_PRIORITY_RULES[category])

    def _on_category_changed(self) -> None:
        if not self._priority_touched:
            self.priority.setCurrentIndex(self.priority.findData(self.rule_priority()))

    def _on_priority_chosen(self, _index: int) -> None:
        self._priority_touched = self.priority.currentData() != self.rule_priority()

    # -- submitting ----------------------------------------------------------------

    def call(self) -> PhoneCall:
        """What the form holds, as a call."""
        priority = int(self.priority.currentData())
        return PhoneCall(
            category=self.chosen_category(),
            priority=priority,
            title=self.title.text(),
            lat=self.place.lat,
            lon=self.place.lon,
            address=self.address.text(),
            description=self.description.toPlainText()[: MAX_DESCRIPTION + 1],
            caller_name=self.caller_name.text(),
            caller_phone=self.caller_phone.text(),
            priority_from_rules=priority == self.rule_priority(),
        )

    def submit(self) -> None:
        """Check the form; ``submitted`` when it is complete, else say what is missing."""
        call = self.call()
        problems = check_call(call)
        if problems:
            self.show_problems(problems)
            return
        self.create_button.setEnabled(False)  # one alert per click, even a double one
        self.submitted.emit(call)

    def show_problems(self, problems: list[str]) -> None:
        """List what stops the alert from being created; the form stays open."""
        self.problems.setText("\n".join(problems))
        self.problems.show()
        self.create_button.setEnabled(True)

    def typed(self) -> bool:
        """Whether the operator typed anything that closing would lose."""
        return bool(
            self.title.text().strip()
            or self.description.toPlainText().strip()
            or self.caller_name.text().strip()
            or self.caller_phone.text().strip()
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submit()
            return
        if enter:
            return  # not the default button's: see above
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self.typed() and self.isVisible():
            answer = QMessageBox.question(
                self,
                self.windowTitle(),
                self.tr("Abandonner cette alerte ? Ce qui a été saisi sera perdu."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.result() != QDialog.DialogCode.Accepted and self.typed():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
