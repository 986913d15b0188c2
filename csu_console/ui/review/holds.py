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
    QCheckBox,
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
from csu_console.storage.holds import (
    alert_snapshots,
    held_alerts,
    hold_alert,
    list_holds,
    release_hold,
)
from csu_console.storage.review import ReviewReader
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.session import Session
from csu_console.ui.review.worker import ReviewWorker

log = logging.getLogger("csu.ui")

Held = dict[int, list[str]]  # alert pk → references of its active holds


def _held(reader: ReviewReader, _store: Store, _p: Callable[[float], None]) -> Held:
    if reader.dialect != "sqlite":
        return {}  # the central database keeps no holds: they are the station's
    return held_alerts(reader.conn)


def _active(reader: ReviewReader, pk: int) -> list[LegalHold]:
    """The active holds of alert ``pk`` and of its snapshots, newest first."""
    conn = reader.conn
    shots = [str(s) for s in alert_snapshots(conn, pk)]
    found = list_holds(conn, active_only=True, target=HoldTarget.ALERT, target_refs=[str(pk)])
    found += list_holds(conn, active_only=True, target=HoldTarget.SNAPSHOT, target_refs=shots)
    return sorted(found, key=lambda h: h.pk, reverse=True)


class HoldDialog(QDialog):
    """The alert's active holds, a reference to hold it again, a release button."""

    hold_requested = Signal(str, bool)  # the reference, with the alert's snapshots
    release_requested = Signal(int, str)  # hold pk, reason

    def __init__(
        self,
        pk: int,
        title: str,
        holds: list[LegalHold],
        snapshots: int,
        tz: ZoneInfo,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Réquisition judiciaire – alerte n° {pk}").format(pk=pk))
        self.setMinimumWidth(1300)  # a hold reads on one line: what, reference, when, who
        self.setStyleSheet("QWidget { font-size: 14pt; }")
        self.tz = tz
        self._targets = {
            HoldTarget.ALERT: self.tr("alerte n° {ref}"),
            HoldTarget.SNAPSHOT: self.tr("capture d'image n° {ref}"),
            HoldTarget.EXTRACTION: self.tr("extraction vidéo {ref}"),
        }
        heading = QLabel(self.tr("Alerte n° {pk} – {title}").format(pk=pk, title=title), self)
        heading.setStyleSheet("font-weight: bold;")
        self.holds = QListWidget(self)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText(self.tr("ex. PV 2026/1234 – TJ Montbéliard"))
        self.hold_button = QPushButton(self.tr("Placer sous réquisition"), self)
        self.with_snapshots = QCheckBox(
            self.tr("Conserver aussi ses {n} capture(s) d'image").format(n=snapshots), self
        )
        self.with_snapshots.setChecked(snapshots > 0)
        self.with_snapshots.setVisible(snapshots > 0)
        self.hold_button.clicked.connect(
            lambda: self.hold_requested.emit(self.reference.text(), self.with_snapshots.isChecked())
        )
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
        layout.addWidget(self.with_snapshots)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.show_holds(holds)

    def show_holds(self, holds: list[LegalHold]) -> None:
        """The alert's active holds (the release button needs one chosen)."""
        self.holds.clear()
        for h in holds:
            at = h.held_at.astimezone(self.tz).strftime("%d/%m/%Y %H:%M")
            text = self.tr("n° {n} – {what} – « {ref} » – le {at} par {who}")
            what = self._targets[h.target].format(ref=h.target_ref)
            who = h.held_by or "?"
            item = QListWidgetItem(text.format(n=h.pk, what=what, ref=h.reference, at=at, who=who))
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
            return _active(reader, pk), len(alert_snapshots(reader.conn, pk))

        def show(found: tuple[list[LegalHold], int]) -> None:
            dialog = HoldDialog(pk, title, found[0], found[1], self._tz, self._window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.hold_requested.connect(
                lambda ref, shots: self._write(pk, dialog, ref, None, "", shots)
            )
            dialog.release_requested.connect(
                lambda hold, why: self._write(pk, dialog, None, hold, why)
            )
            self.dialog = dialog
            dialog.open()

        self._worker.submit(holds, show, self._on_error, screen=False, owner=self)

    def _write(
        self,
        pk: int,
        dialog: HoldDialog,
        reference: str | None,
        hold_pk: int | None,
        why: str,
        with_snapshots: bool = False,
    ) -> None:
        """Hold (``reference``) or release (``hold_pk``, ``why``), then refresh."""
        account = self._session.account
        if account is None or not self._session.allowed(Permission.LEGAL_HOLD):
            dialog.error.setText(self._session.refusal(Permission.LEGAL_HOLD))
            return
        login, station, writer = account.login, self._station, self._writer

        def write(store: Store) -> list[LegalHold]:
            if hold_pk is None:
                return hold_alert(store, pk, reference or "", with_snapshots=with_snapshots,
                                  station=station, operator=login)  # fmt: skip
            return [release_hold(store, hold_pk, why, station=station, operator=login)]

        def job(reader: ReviewReader, _s: Store, _p: Callable[[float], None]) -> Any:
            done = writer.submit(write).result()
            return done, _active(reader, pk), held_alerts(reader.conn)

        def written(result: tuple[list[LegalHold], list[LegalHold], Held]) -> None:
            done, active, held = result
            first, shots = done[0], len(done) - 1
            if not first.active:
                text = self.tr("Conservation n° {n} levée (réquisition « {ref} »).")
            elif shots:
                text = self.tr(
                    "Alerte n° {pk} et {k} capture(s) d'image placées sous réquisition "
                    "« {ref} » : exclues de la purge."
                )
            else:
                text = self.tr(
                    "Alerte n° {pk} placée sous réquisition « {ref} » : exclue de la purge."
                )
            text = text.format(pk=pk, ref=first.reference, n=first.pk, k=shots)
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
