"""The nightly backup, run by the console in its own thread (``[backup] dir``).

The thread sleeps until the next ``at`` (local time of the site), then writes a
backup with :func:`~csu_console.backup.make.make_backup` (the database through
SQLite's online backup: the console keeps writing), removes those beyond ``keep``
and logs the ``backup`` event through the console's storage writer (the single
writer, FIFO with everything else). It wakes at least once a minute, so a clock
change (daylight saving time, NTP step) moves the next run with it. A failure is
logged (``csu.backup``, ERROR), written in the main courante (``backup_failed``:
where, why) and told to the console (``on_done``: its status bar shows it to the
supervisors and administrators until a backup succeeds); the next night tries again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from csu_console.backup.make import BackupResult, make_backup, prune
from csu_console.config.backup_section import BackupConfig
from csu_console.core.logbook import EventKind
from csu_console.errors import CsuError
from csu_console.storage.logbook import NewEvent
from csu_console.storage.writer import StorageWriter

log = logging.getLogger("csu.backup")

#: How a failed night's message starts (the reason follows).
FAILED = "sauvegarde nocturne impossible : "

#: The longest sleep between two looks at the clock.
TICK_S = 60.0


def next_run(now: datetime, at: time, tz: tzinfo) -> datetime:
    """The next ``at`` (wall clock in ``tz``) strictly after ``now`` (aware), in UTC."""
    local = now.astimezone(tz)
    candidate = datetime.combine(local.date(), at, tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=tz)
    return candidate.astimezone(UTC)


class NightlyBackup:
    """One backup a day at ``at``; ``run_once`` also serves a backup asked now."""

    def __init__(
        self,
        data_dir: Path,
        dest: Path,
        *,
        at: time,
        keep: int,
        tz: tzinfo,
        config_dir: Path | None,
        record: Callable[[dict[str, Any]], None],
        on_done: Callable[[BackupResult | None, str], None] | None = None,
        record_failure: Callable[[dict[str, Any]], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.data_dir = data_dir
        self.dest = dest
        self.at = at
        self.keep = keep
        self.tz = tz
        self.config_dir = config_dir
        self._record = record
        self._on_done = on_done
        self._record_failure = record_failure
        self._clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="csu-backup", daemon=True)
        #: When the next backup is due (UTC).
        self.due = next_run(clock(), at, tz)

    def start(self) -> None:
        """Sleep until the first ``at``."""
        log.info("sauvegarde nocturne vers %s à %s (heure du site), %d gardées",
                 self.dest, self.at.strftime("%H:%M"), self.keep)  # fmt: skip
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """No further backup (one being written finishes in its thread)."""
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def run_once(self) -> BackupResult | None:
        """Write one backup now and prune; None (logged, said) when it failed."""
        try:
            result = make_backup(
                self.data_dir,
                self.dest,
                config_dir=self.config_dir,
                record=lambda details: self._record(details | {"via": "nocturne"}),
                verify=False,  # the GUI shares the GIL: the restore verifies
            )
            prune(self.dest, self.keep)
        except (CsuError, OSError) as exc:
            message = f"{FAILED}{exc}"
            log.error("%s", message)
            self._failed(str(exc), message)
            return None
        except Exception:  # a bug here must not stop the thread nor the console
            log.exception("sauvegarde nocturne : erreur inattendue")
            why = "erreur inattendue (voir le journal)"
            self._failed(why, FAILED + why)
            return None
        self._done(result, f"sauvegarde nocturne écrite : {result.path}")
        return result

    def _failed(self, error: str, message: str) -> None:
        if self._record_failure is not None:
            try:
                self._record_failure({"via": "nocturne", "dest": str(self.dest), "error": error})
            except Exception:  # the storage's own trouble: logged there, said here
                log.exception("sauvegarde nocturne : échec non inscrit dans la main courante")
        self._done(None, message)

    def _done(self, result: BackupResult | None, message: str) -> None:
        if self._on_done is not None:
            self._on_done(result, message)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = self._clock()
            if now >= self.due:
                self.run_once()
                self.due = next_run(self._clock(), self.at, self.tz)
                continue
            if self._stop.wait(min(TICK_S, (self.due - now).total_seconds())):
                return
            # The wall clock may have jumped: recompute from the new "now".
            if self._clock() < self.due - timedelta(days=1, hours=2):
                self.due = next_run(self._clock(), self.at, self.tz)


def start_nightly(
    config: BackupConfig,
    config_dir: Path,
    writer: StorageWriter,
    station: str,
    tz: tzinfo,
    on_done: Callable[[BackupResult | None, str], None] | None = None,
) -> NightlyBackup | None:
    """The console's nightly backup when ``[backup] dir`` is set (started), else None.

    The ``backup`` and ``backup_failed`` events go through ``writer`` (the console's
    single writer); ``on_done`` is called from the backup's thread.
    """
    if config.dir is None:
        return None

    def event(kind: EventKind) -> Callable[[dict[str, Any]], None]:
        def record(details: dict[str, Any]) -> None:
            now = datetime.now(UTC)
            writer.record([NewEvent(kind.value, now, None, station, "console", details)])

        return record

    nightly = NightlyBackup(
        writer.path.parent,
        config.dir,
        at=config.at,
        keep=config.keep,
        tz=tz,
        config_dir=config_dir,
        record=event(EventKind.BACKUP),
        on_done=on_done,
        record_failure=event(EventKind.BACKUP_FAILED),
    )
    nightly.start()
    return nightly
