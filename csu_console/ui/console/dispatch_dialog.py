"""Engaging a police municipale unit on an alert, then closing the intervention.

Keyboard first: the unit list has the focus, ↑/↓ choose, Ctrl+Entrée engages,
Échap cancels. The 17/18 reminder is always there, and loud when the alert looks
like an emergency for the police nationale or the firefighters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import CATEGORY_LABELS, Category, StoredAlert
from csu_console.core.dispatch import (
    OUTCOME_LABELS,
    STAGE_LABELS,
    UNIT_STATUS_LABELS,
    Outcome,
    Unit,
    UnitState,
    UnitStatus,
)
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import current

# Categories where lives may be at stake: the 17/18 reminder comes first, in red.
EMERGENCY_CATEGORIES = frozenset({Category.RIXE, Category.INCENDIE, Category.ACCIDENT})


def status_color(status: UnitStatus) -> str:
    """A unit's status as text colour, readable on the theme's list background."""
    theme = current()
    return {
        UnitStatus.DISPONIBLE: theme.ok_text,
        UnitStatus.EN_INTERVENTION: theme.warn_text,
        UnitStatus.INDISPONIBLE: theme.muted_text,
    }[status]


def looks_like_emergency(item: StoredAlert) -> bool:
    """An urgent alert, or one whose category may call for 17/18 rather than the PM."""
    return item.alert.priority == 1 or item.alert.category in EMERGENCY_CATEGORIES


def refusal_label(parent: QWidget) -> QLabel:
    """A hidden red line where a dialog says why it cannot be confirmed yet."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b71c1c; font-weight: bold;")
    label.hide()
    return label


def alert_summary(item: StoredAlert) -> str:
    a = item.alert
    place = (a.location.address if a.location else None) or a.commune or ""
    parts = [f"n° {item.pk}", tr_label(CATEGORY_LABELS[a.category]), a.title, place]
    return " · ".join(p for p in parts if p)


class CtrlEnterDialog(QDialog):
    """Ctrl+Entrée validates from anywhere in the dialog (text fields ignore it)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.accept()
            return
        super().keyPressEvent(event)


class DispatchDialog(CtrlEnterDialog):
    """Choose a unit and write the instructions; the caller plans and stores."""

    def __init__(
        self,
        item: StoredAlert,
        units: Sequence[Unit],
        states: Mapping[str, UnitState],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Engager une patrouille"))
        self.setMinimumWidth(640)
        self.item = item
        self.units = list(units)
        self.states = states

        summary = QLabel(alert_summary(item), self)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        summary.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.reminder = QLabel(
            self.tr(
                "Urgence vitale ou délit en cours : appelez le 17 (police) ou le 18 "
                "(pompiers), le 15 (SAMU), le 112. La police municipale ne les remplace pas."
            ),
            self,
        )
        self.reminder.setWordWrap(True)
        self.emergency = looks_like_emergency(item)
        self.reminder.setStyleSheet(
            "background: #b71c1c; color: white; font-weight: bold; padding: 8px;"
            if self.emergency
            else f"color: {current().danger_text}; padding: 4px;"
        )

        self.unit_list = QListWidget(self)
        self.unit_list.setStyleSheet("QListWidget { font-size: 13pt; }")
        for unit in self.units:
            entry = QListWidgetItem(self._unit_text(unit), self.unit_list)
            entry.setData(Qt.ItemDataRole.UserRole, unit.id)
            status = states.get(unit.id, UnitState()).status
            entry.setForeground(QColor(status_color(status)))
        first_free = next(
            (
                i
                for i, u in enumerate(self.units)
                if states.get(u.id, UnitState()).status is UnitStatus.DISPONIBLE
            ),
            0,
        )
        self.unit_list.setCurrentRow(first_free)
        self.instructions = QPlainTextEdit(self)
        self.instructions.setPlaceholderText(
            self.tr("Consignes pour l'équipage (lieu précis, signalement, prudence…)")
        )
        self.instructions.setMaximumHeight(110)
        self.instructions.setTabChangesFocus(True)

        buttons = QDialogButtonBox(self)
        self.engage_button = buttons.addButton(
            self.tr("Engager (Ctrl+Entrée)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(self.tr("Annuler (Échap)"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.unit_list.itemActivated.connect(lambda _i: self.accept())

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.reminder)
        layout.addWidget(QLabel(self.tr("Unité (↑/↓, Entrée pour engager) :"), self))
        layout.addWidget(self.unit_list, 1)
        layout.addWidget(QLabel(self.tr("Consignes :"), self))
        layout.addWidget(self.instructions)
        layout.addWidget(buttons)
        self.unit_list.setFocus()

    def _unit_text(self, unit: Unit) -> str:
        state = self.states.get(unit.id, UnitState())
        text = f"{unit.name}  —  {tr_label(UNIT_STATUS_LABELS[state.status])}"
        if state.status is UnitStatus.EN_INTERVENTION and state.alert_pk is not None:
            stage = tr_label(STAGE_LABELS[state.stage]) if state.stage else ""
            text += self.tr(" (alerte n° {pk}, {stage})").format(pk=state.alert_pk, stage=stage)
        elif state.comment:
            text += f" ({state.comment})"
        if state.station:  # another station's engagement or change (the hub's record)
            text += self.tr(" – par {who}").format(who=state.holder())
        return text

    def chosen_unit(self) -> Unit | None:
        row = self.unit_list.currentRow()
        return self.units[row] if 0 <= row < len(self.units) else None

    def instructions_text(self) -> str:
        return self.instructions.toPlainText().strip()


class EndDialog(CtrlEnterDialog):
    """« Terminé » : how the intervention ended, with a free comment."""

    def __init__(
        self, item: StoredAlert, units: Sequence[Unit], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fin d'intervention"))
        self.setMinimumWidth(560)
        self.units = list(units)
        summary = QLabel(alert_summary(item), self)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        summary.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.unit_box = QComboBox(self)
        for unit in self.units:
            self.unit_box.addItem(unit.name, unit.id)
        self.outcome_box = QComboBox(self)
        for outcome, label in OUTCOME_LABELS.items():
            self.outcome_box.addItem(tr_label(label), outcome.value)
        # No default: an outcome pre-selected and confirmed with Ctrl+Entrée would
        # record an arrest (or anything) that never happened.
        self.outcome_box.setPlaceholderText(self.tr("— choisir l'issue —"))
        self.outcome_box.setCurrentIndex(-1)
        self.error = refusal_label(self)
        self.outcome_box.currentIndexChanged.connect(lambda _i: self.error.hide())
        self.comment = QPlainTextEdit(self)
        self.comment.setPlaceholderText(self.tr("Compte rendu (obligatoire pour « Autre »)"))
        self.comment.setMaximumHeight(110)
        self.comment.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow(self.tr("Unité :"), self.unit_box)
        form.addRow(self.tr("Issue :"), self.outcome_box)
        form.addRow(self.tr("Commentaire :"), self.comment)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.tr("Terminer (Ctrl+Entrée)"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuler (Échap)"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.outcome_box.setFocus()

    def accept(self) -> None:
        """Refused, with a message in the dialog, until an outcome is chosen."""
        if self.outcome() is None:
            self.error.setText(self.tr("Choisissez l'issue de l'intervention."))
            self.error.show()
            self.outcome_box.setFocus()
            return
        super().accept()

    def chosen_unit(self) -> Unit | None:
        index = self.unit_box.currentIndex()
        return self.units[index] if 0 <= index < len(self.units) else None

    def outcome(self) -> Outcome | None:
        """The outcome chosen, or None (nothing is pre-selected)."""
        value = self.outcome_box.currentData()
        return Outcome(value) if isinstance(value, str) else None

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()
