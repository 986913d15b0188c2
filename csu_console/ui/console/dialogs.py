"""Small dialogs of the console: rejected messages, configuration problems, the
mandatory reason (takeover, camera viewed outside an alert)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class RejectedDialog(QDialog):
    """The most recent rejected frames with their reason (kept in the database)."""

    def __init__(
        self, rows: list[dict[str, Any]], tz: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Messages rejetés"))
        self.resize(1000, 500)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Ces messages de la passerelle ne respectent pas le protocole. Ils sont "
                    "conservés et la passerelle en a été avertie."
                )
            )
        )
        self.table = QTableWidget(len(rows), 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Reçu à"), self.tr("Seq"), self.tr("Taille"), self.tr("Motif")]
        )
        for r, row in enumerate(rows):
            at = datetime.fromisoformat(row["received_at"]).astimezone(tz)
            values = [
                at.strftime("%d/%m %H:%M:%S"),
                "—" if row["seq"] is None else str(row["seq"]),
                self.tr("{n} o").format(n=row["raw_size"]),  # o = octets
                row["reason"],
            ]
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ConfigProblemsDialog(QDialog):
    """Every configuration problem at once, instead of a console that dies."""

    def __init__(self, problems: list[str], config_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Configuration du site : problèmes détectés"))
        self.resize(900, 400)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "{n} problème(s) dans la configuration {d}. La console fonctionne avec ce "
                    "qui est valide ; faites corriger par l'installateur "
                    "(csu-console config check)."
                ).format(n=len(problems), d=config_dir)
            )
        )
        text = QPlainTextEdit(self)
        text.setReadOnly(True)
        text.setPlainText("\n".join(problems))
        layout.addWidget(text)
        self.text = text
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


def ask_reason(
    parent: QWidget,
    title: str,
    question: str,
    on_reason: Callable[[str], None],
    on_blank: Callable[[], None],
) -> QInputDialog:
    """Ask for a reason that may not be blank. Window-modal and opened with
    ``open()``: alerts keep ringing and flashing meanwhile."""
    dialog = QInputDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle(title)
    dialog.setLabelText(question)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)

    def chosen(text: str) -> None:
        if text.strip():
            on_reason(text)
        else:
            on_blank()

    dialog.textValueSelected.connect(chosen)
    dialog.open()
    return dialog
