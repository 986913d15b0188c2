"""What the administration tabs share: who acts, the reason asked, a status line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.roles import Permission
from csu_console.errors import UserFacingError
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session


@dataclass(frozen=True)
class AdminContext:
    """The station, the session at it and its storage tasks."""

    station: str
    session: Session
    tasks: DbTasks


class StatusLine(QLabel):
    """The tab's last outcome (« Compte « x » désactivé. », or why not), word-wrapped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("adminStatus")

    def ok(self, text: str) -> None:
        self.setProperty("error", False)
        self.setStyleSheet("")
        self.setText(text)

    def error(self, text: str) -> None:
        self.setProperty("error", True)
        self.setStyleSheet("color: #e05a4f;")
        self.setText(text)


@dataclass(frozen=True)
class TabParts:
    """A tab's list (one row selected at a time, read-only), buttons and status line."""

    table: QTableWidget
    buttons: list[QPushButton]
    status: StatusLine


def build_tab(tab: QWidget, columns: Sequence[str], buttons: Sequence[str], note: str) -> TabParts:
    """Lay out ``tab``: its table with ``columns``, a row of ``buttons`` (their
    texts), the status line and a word-wrapped ``note`` under it."""
    layout = QVBoxLayout(tab)
    table = QTableWidget(0, len(columns), tab)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    layout.addWidget(table)
    row = QHBoxLayout()
    made = [QPushButton(text, tab) for text in buttons]
    for button in made:
        row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    status = StatusLine(tab)
    layout.addWidget(status)
    label = QLabel(note, tab)
    label.setWordWrap(True)
    layout.addWidget(label)
    return TabParts(table, made, status)


def refused(ctx: AdminContext, permission: Permission, status: StatusLine) -> bool:
    """True (and the French refusal shown) when the session may not ``permission``."""
    if ctx.session.allowed(permission):
        return False
    status.error(ctx.session.refusal(permission))
    return True


def error_text(exc: BaseException) -> str:
    """A storage or config failure as shown to the administrator."""
    if isinstance(exc, UserFacingError):
        return str(exc)
    return f"Échec : {exc}"


OnError = Callable[[BaseException], None]
