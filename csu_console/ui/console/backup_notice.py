"""« Sauvegarde nocturne impossible » in the console's status bar.

Nobody watches the terminal at 3 a.m.: a nightly backup that could not be written
(full or unmounted disk, a folder without rights) is shown to those who answer for
the data (``Permission.BACKUP``: the administrator; ``VERIFY_LOGBOOK``: the
supervisors), from the failure — or from the start, read from the main courante —
until a backup is written (the next night, « Sauvegarder maintenant », or
``csu-console backup``). Operators are not interrupted by it; nothing rings.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, tzinfo
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from csu_console.backup.make import BackupResult
from csu_console.backup.nightly import FAILED
from csu_console.core.roles import Permission
from csu_console.storage.backup_events import BackupOutcome, last_backup
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session

log = logging.getLogger("csu.backup")

_STYLE = (
    "QPushButton#backupNotice { border: 2px solid #ef9a9a; border-radius: 9px;"
    " padding: 1px 10px; color: #ffffff; background: #b71c1c; font-weight: bold; }"
)


class BackupNotice(QPushButton):
    """The last backup failed: a red button in the status bar, details on a click."""

    _nightly = Signal(bool, str)  # from the backup's thread, queued to the GUI thread

    def __init__(
        self, session: Session, tasks: DbTasks, tz: tzinfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupNotice")
        self.setStyleSheet(_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never takes a key meant for the queue
        self.session = session
        self._tasks = tasks
        self._tz = tz
        #: The failure shown (None: the last backup was written, or none was made).
        self.failure: BackupOutcome | None = None
        self._nightly.connect(self._on_nightly, Qt.ConnectionType.QueuedConnection)
        self.clicked.connect(self._explain)
        session.changed.connect(self._update)
        self._update()

    def start(self) -> None:
        """Read the last backup's outcome from the main courante."""
        self._tasks.run(last_backup, self._on_read, self._on_read_failed, owner=self)

    def nightly_done(self, result: BackupResult | None, message: str) -> None:
        """The nightly backup's thread: written (``result``) or not (``message``)."""
        self._nightly.emit(result is not None, message)

    @Slot(bool, str)
    def on_backup_finished(self, ok: bool, _message: str) -> None:
        """« Sauvegarder maintenant » ended: written, the failure is over."""
        if ok:
            self.failure = None
            self._update()

    def _on_read(self, outcome: BackupOutcome | None) -> None:
        if self.failure is None and outcome is not None and not outcome.ok:
            self.failure = outcome
            self._update()

    def _on_read_failed(self, exc: BaseException) -> None:
        log.warning("dernière sauvegarde illisible dans la main courante : %s", exc)

    @Slot(bool, str)
    def _on_nightly(self, ok: bool, message: str) -> None:
        why = message.removeprefix(FAILED)  # as the main courante keeps it
        self.failure = None if ok else BackupOutcome(False, datetime.now(UTC), why)
        self._update()

    def _update(self, _account: Any = None) -> None:
        failure = self.failure
        if failure is not None:
            at = failure.at.astimezone(self._tz)
            self.setText(self.tr("Sauvegarde nocturne impossible ({at})").format(
                at=at.strftime("%d/%m %H:%M")
            ))  # fmt: skip
            self.setToolTip(failure.detail)
        allowed = self.session.allowed(Permission.BACKUP) or self.session.allowed(
            Permission.VERIFY_LOGBOOK
        )
        self.setVisible(failure is not None and allowed)

    @Slot()
    def _explain(self) -> None:
        failure = self.failure
        if failure is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Sauvegarde nocturne impossible"),
            self.tr(
                "La dernière sauvegarde nocturne n'a pas pu être écrite :\n{why}\n\n"
                "Vérifiez le dossier de sauvegarde ([backup] dir dans site.toml : disque"
                " branché, place libre, droits d'écriture), puis « Installation ›"
                " Sauvegarder maintenant » (administrateur) ou « csu-console backup »."
                " Sans cela, la prochaine est tentée la nuit suivante."
            ).format(why=failure.detail),
            QMessageBox.StandardButton.Close,
            self.window(),
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
