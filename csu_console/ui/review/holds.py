"""« Réquisition judiciaire… » in the review: put the selected alert under a legal
hold with the requisition's reference, or release one of its holds with a reason
(supervisor, administrator). The write goes through the console's storage thread
(:mod:`csu_console.storage.holds`: the hold and its event in one transaction);
the review's list then marks the held alerts « sous réquisition »."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.holds import HoldTarget, LegalHold
from csu_console.core.roles import Permission
from csu_console.errors import UserFacingError
from csu_console.storage.holds import held_alerts, list_holds, place_hold, release_hold
from csu_console.storage.review import ReviewReader
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.session import Session
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.ui")

Held = dict[int, list[str]]  # alert pk → references of its active holds


def _held(reader: ReviewReader, _store: Store, _p: Callable[[float], None]) -> Held:
    return held_alerts(reader.conn)


class HoldDialog(QDialog):
    """The alert's active holds, a reference to hold it again, a release button."""

    hold_requested = Signal(str)  # the reference
    release_requested = Signal(int, str)  # hold pk, reason

    def __init__(
        self, pk: int, title: str, holds: list[LegalHold], tz: ZoneInfo, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Réquisition judiciaire – alerte n° {pk}").format(pk=pk))
        self.setMinimumWidth(900)
        self.setStyleSheet("QWidget { font-size: 14pt; }")
        self.tz = tz
        heading = QLabel(self.tr("Alerte n° {pk} – {title}").format(pk=pk, title=title), self)
        heading.setStyleSheet("font-weight: bold;")
        self.holds = QListWidget(self)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText(self.tr("ex. PV 2026/1234 – TJ Montbéliard"))
        self.hold_button = QPushButton(self.tr("Placer sous réquisition"), self)
        self.hold_button.clicked.connect(lambda: self.hold_requested.emit(self.reference.text()))
        self.release_button = QPushButton(self.tr("Lever la conservation choisie…"), self)
        self.release_button.clicked.connect(self._ask_release)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.reason_dialog: QInputDialog | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(QLabel(self.tr("Conservations en cours :"), self))
        layout.addWidget(self.holds)
        layout.addWidget(self.release_button)
        layout.addWidget(QLabel(self.tr("Référence de la réquisition (obligatoire) :"), self))
        row = QHBoxLayout()
        row.addWidget(self.reference, 1)
        row.addWidget(self.hold_button)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.show_holds(holds)

    def show_holds(self, holds: list[LegalHold]) -> None:
        """The alert's active holds (the release button needs one chosen)."""
        self.holds.clear()
        for h in holds:
            at = h.held_at.astimezone(self.tz).strftime("%d/%m/%Y %H:%M")
            text = self.tr("n° {n} – « {ref} » – le {at} par {who}")
            who = h.held_by or "?"
            item = QListWidgetItem(text.format(n=h.pk, ref=h.reference, at=at, who=who))
            item.setData(Qt.ItemDataRole.UserRole, h.pk)
            self.holds.addItem(item)
        if not holds:
            self.holds.addItem(self.tr("aucune"))
        else:
            self.holds.setCurrentRow(0)
        self.release_button.setEnabled(bool(holds))

    def _ask_release(self) -> None:
        item = self.holds.currentItem()
        pk = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not isinstance(pk, int):
            return
        self.reason_dialog = ask_reason(
            self, self.tr("Lever la conservation n° {n}").format(n=pk),
            self.tr("Motif de la levée (mainlevée, fin de procédure…), inscrit à la main "
                    "courante :"),
            lambda reason: self.release_requested.emit(pk, reason),
            lambda: self.error.setText(self.tr("Levée annulée : le motif est obligatoire.")),
        )  # fmt: skip


class ReviewHolds(QObject):
    """The review's legal holds: the marks of the list and the dialog's writes."""

    held_changed = Signal(object)  # Held
    written = Signal(int)  # alert pk held or released (its timeline changed)
    message = Signal(str)  # French, for the review's status bar

    def __init__(
        self,
        window: QWidget,
        worker: ReviewWorker,
        writer: StorageWriter,
        session: Session,
        station: str,
        tz: ZoneInfo,
    ) -> None:
        super().__init__(window)
        self._window, self._worker, self._writer = window, worker, writer
        self._session, self._station, self._tz = session, station, tz
        self.held: Held = {}
        self.dialog: HoldDialog | None = None

    def reload(self) -> None:
        """Read which alerts are held (after the list is loaded)."""
        self._worker.submit(_held, self._on_held, self._on_error, screen=False, owner=self)

    def _on_held(self, held: Held) -> None:
        self.held = held
        self.held_changed.emit(held)

    def open_for(self, pk: int, title: str) -> None:
        """The dialog of alert ``pk`` (refused with a message without the role)."""
        if not self._session.allowed(Permission.LEGAL_HOLD):
            self.message.emit(self._session.refusal(Permission.LEGAL_HOLD))
            return

        def holds(reader: ReviewReader, _s: Store, _p: Callable[[float], None]) -> Any:
            return list_holds(
                reader.conn, active_only=True, target=HoldTarget.ALERT, target_refs=[str(pk)]
            )

        def show(found: list[LegalHold]) -> None:
            dialog = HoldDialog(pk, title, found, self._tz, self._window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.hold_requested.connect(lambda ref: self._write(pk, dialog, ref, None, ""))
            dialog.release_requested.connect(
                lambda hold, why: self._write(pk, dialog, None, hold, why)
            )
            self.dialog = dialog
            dialog.open()

        self._worker.submit(holds, show, self._on_error, screen=False, owner=self)

    def _write(
        self, pk: int, dialog: HoldDialog, reference: str | None, hold_pk: int | None, why: str
    ) -> None:
        """Hold (``reference``) or release (``hold_pk``, ``why``), then refresh."""
        account = self._session.account
        if account is None or not self._session.allowed(Permission.LEGAL_HOLD):
            dialog.error.setText(self._session.refusal(Permission.LEGAL_HOLD))
            return
        login, station, writer = account.login, self._station, self._writer

        def write(store: Store) -> LegalHold:
            if hold_pk is None:
                return place_hold(store, HoldTarget.ALERT, pk, reference or "",
                                  station=station, operator=login)  # fmt: skip
            return release_hold(store, hold_pk, why, station=station, operator=login)

        def job(reader: ReviewReader, _s: Store, _p: Callable[[float], None]) -> Any:
            done = writer.submit(write).result()
            active = list_holds(
                reader.conn, active_only=True, target=HoldTarget.ALERT, target_refs=[str(pk)]
            )
            return done, active, held_alerts(reader.conn)

        def written(result: tuple[LegalHold, list[LegalHold], Held]) -> None:
            done, active, held = result
            text = (
                self.tr("Alerte n° {pk} placée sous réquisition « {ref} » : exclue de la purge.")
                if done.active
                else self.tr("Conservation n° {n} levée (réquisition « {ref} »).")
            ).format(pk=pk, ref=done.reference, n=done.pk)
            self.message.emit(text)
            self._on_held(held)
            self.written.emit(pk)
            dialog.error.setText("")
            dialog.reference.clear()
            dialog.show_holds(active)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserFacingError):
                dialog.error.setText(str(exc))
            else:
                self._on_error(exc)
                dialog.error.setText(self.tr("Écriture impossible : {m}").format(m=exc))

        self._worker.submit(job, written, failed, screen=False, owner=dialog)

    def _on_error(self, exc: BaseException) -> None:
        log.error("revue : réquisitions illisibles", exc_info=exc)
        self.message.emit(self.tr("Réquisitions judiciaires illisibles : {m}").format(m=exc))
