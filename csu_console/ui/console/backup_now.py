"""« Sauvegarder maintenant » (Installation menu, administrators: ``Permission.BACKUP``).

The backup (:func:`~csu_console.backup.make.make_backup`: SQLite's online backup,
evidence, configuration; never the secrets) is written in its own thread into
``[backup] dir``; the GUI only hears the result, in French, in the status bar.
The ``backup`` event goes through the console's storage writer.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from csu_console.backup.make import make_backup, prune
from csu_console.config.backup_section import BackupConfig
from csu_console.core.logbook import EventKind
from csu_console.core.roles import Permission
from csu_console.errors import CsuError
from csu_console.storage.logbook import NewEvent
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.gates import ActionGates

log = logging.getLogger("csu.backup")


class BackupNow(QObject):
    """Runs one backup off the GUI thread when an administrator asks."""

    finished = Signal(bool, str)  # written, the French message
    _done = Signal(bool, str)  # from the backup thread, queued to the GUI thread

    def __init__(
        self,
        config: BackupConfig,
        config_dir: Path,
        writer: StorageWriter,
        ctx: StationContext,
        gates: ActionGates,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._config = config
        self._config_dir = config_dir
        self._writer = writer
        self._ctx = ctx
        self._gates = gates
        self._thread: threading.Thread | None = None
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True while a backup is being written."""
        return self._thread is not None and self._thread.is_alive()

    @Slot()
    def run(self) -> None:
        """Start a backup (refused without the permission, or while one runs)."""
        if not self._gates.check(Permission.BACKUP):
            return
        if self.running:
            self.finished.emit(False, self.tr("Une sauvegarde est déjà en cours."))
            return
        dest = self._config.dir
        if dest is None:
            self.finished.emit(
                False,
                self.tr(
                    "Aucun dossier de sauvegarde ([backup] dir dans site.toml) : sauvegardez"
                    " avec « csu-console backup --to DOSSIER »."
                ),
            )
            return
        station, operator = self._ctx.station, self._ctx.operator or None
        self._thread = threading.Thread(
            target=self._work, args=(dest, station, operator), name="csu-backup-now", daemon=True
        )
        self._thread.start()

    def _work(self, dest: Path, station: str, operator: str | None) -> None:
        def record(details: dict[str, Any]) -> None:
            event = NewEvent(
                EventKind.BACKUP.value, datetime.now(UTC), None, station, operator,
                details | {"via": "console"},
            )  # fmt: skip
            self._writer.record([event])

        try:
            result = make_backup(
                self._writer.path.parent,
                dest,
                config_dir=self._config_dir,
                record=record,
                verify=False,  # the GUI shares the GIL: the restore verifies
            )
            prune(dest, self._config.keep)
        except (CsuError, OSError) as exc:
            log.error("sauvegarde demandée par %s impossible : %s", operator, exc)
            self._done.emit(False, str(exc))
            return
        self._done.emit(True, str(result.path))

    @Slot(bool, str)
    def _on_done(self, ok: bool, detail: str) -> None:
        if ok:
            text = self.tr("Sauvegarde écrite : {path} (sans les identifiants des caméras).")
        else:
            text = self.tr("Sauvegarde impossible : {path}")
        self.finished.emit(ok, text.format(path=detail))

    def wait(self, timeout: float = 30.0) -> None:
        """The console stops: let a backup being written finish (bounded)."""
        if self._thread is not None:
            self._thread.join(timeout)
