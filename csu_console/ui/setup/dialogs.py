"""The setup screen's dialogs: every problem of a configuration, and its history."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.history import Version
from csu_console.config.schema import ConfigProblem


class ProblemsDialog(QDialog):
    """Every problem at once, one a line, in French."""

    def __init__(
        self, title: str, intro: str, problems: list[ConfigProblem], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(980, 420)
        self.problems = problems
        layout = QVBoxLayout(self)
        label = QLabel(intro.format(n=len(problems)), self)
        label.setWordWrap(True)
        label.setStyleSheet("font-weight: bold;")
        layout.addWidget(label)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText("\n".join(f"• {p}" for p in problems))
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


class HistoryDialog(QDialog):
    """The kept versions, newest first; « Restaurer » asks for a confirmation, then
    ``restore_requested(version_id)``."""

    restore_requested = Signal(str)

    def __init__(
        self, versions: list[Version], tz: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Historique de la configuration"))
        self.resize(900, 460)
        self.versions = versions
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Chaque version est la configuration telle qu'elle était avant une "
                "modification. La restaurer garde d'abord la configuration actuelle."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        actions = {
            "save": self.tr("l'enregistrement"),
            "restore": self.tr("la restauration"),
            "import": self.tr("l'import"),
        }
        for v in versions:
            when = v.saved_at.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")
            action = actions.get(v.action, v.action)
            text = self.tr("Version {n} — avant {action} du {when} par {who} : {why}").format(
                n=v.number, action=action, when=when, who=v.author, why=v.reason or "—"
            )
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
        if not versions:
            QListWidgetItem(self.tr("Aucune version conservée pour l'instant."), self.list)
        layout.addWidget(self.list, 1)
        self.restore_button = QPushButton(self.tr("Restaurer cette version…"), self)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.confirm: QMessageBox | None = None

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_list_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self.restore_button.setEnabled(
            current is not None and current.data(Qt.ItemDataRole.UserRole) is not None
        )

    def select_version(self, version_id: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == version_id:
                self.list.setCurrentItem(item)

    @Slot()
    def _on_restore_clicked(self) -> None:
        item = self.list.currentItem()
        version_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not isinstance(version_id, str):
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Restaurer une version"),
            self.tr(
                "Remplacer les caméras et les zones par cette version ?\n"
                "La configuration actuelle est conservée dans l'historique."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        # A message box finishes with the standard button's value, not Accepted.
        box.finished.connect(lambda result: self._on_confirm_finished(version_id, result))
        self.confirm = box
        box.open()

    def _on_confirm_finished(self, version_id: str, result: int) -> None:
        if result == QMessageBox.StandardButton.Yes.value:
            self.restore_requested.emit(version_id)
            self.accept()
