"""One extraction on requisition, step by step, without the GUI ever waiting.

1. the MP4s, copied from the recorder's segments (the extraction's own thread);
2. the main courante's chain head (storage thread);
3. the procès-verbal painted (GUI thread, :mod:`csu_console.report.extraction_pv`)
   and written with its SHA-256 (extraction thread);
4. the extraction recorded in the main courante (storage thread): the EXTRACTION
   event and the register's row;
5. the JSON sidecar written and the source segments put under legal hold
   (extraction thread: both are files of the recording folder or the medium).

A step that fails (or « Annuler ») stops the rest, is told in French and written
as an ``extraction_failed`` event. Before step 4 nothing is claimed: every file of
this extraction is removed with its folder. After it the extraction exists (the
main courante is append-only): a failure then says what is missing.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import threading
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QBuffer, QIODevice, QObject, Qt, QTimer, Signal, Slot

from csu_console.core.recording import ExtractedFile, ExtractionRecord, ExtractionRequest
from csu_console.errors import UserFacingError
from csu_console.media.replay.extract import (
    ExtractionCancelled,
    extract_files,
    write_sidecar,
    write_whole,
)
from csu_console.recorder.index import RecordingIndex
from csu_console.report.extraction_pv import PvData, paint_pv
from csu_console.storage.extractions import (
    chain_head,
    hold_segments,
    record_extraction,
    record_extraction_failed,
)
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks

log = logging.getLogger("csu.extract")
T = TypeVar("T")


@dataclass(frozen=True)
class JobInput:
    """Everything the steps need, captured on the GUI thread when « Extraire » is pressed."""

    request: ExtractionRequest
    destination: Path  # the folder chosen (a USB key); the extraction makes its own in it
    recordings: Path  # the recorder's folder (segments and index.sqlite)
    station: str
    operator: str  # the login written into events
    operator_label: str  # « Jean Dupont (jdupont) » for the procès-verbal
    centre: str
    commune: str
    tz: ZoneInfo
    video_days: int = 30
    camera_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class JobResult:
    """What the operator is shown at the end."""

    record: ExtractionRecord
    folder: Path
    report: Path  # the procès-verbal (PDF)
    sidecar: Path
    problems: tuple[str, ...] = ()  # what failed after the extraction was recorded


def folder_name(request: ExtractionRequest, at: datetime) -> str:
    """« extraction_2026-001234_20261204-104213 »: one folder per extraction."""
    number = re.sub(r"[^0-9A-Za-z_-]+", "-", request.requisition.number).strip("-")[:40]
    return f"extraction_{number or 'sans-numero'}_{at.astimezone(UTC):%Y%m%d-%H%M%S}"


class _Thread(QObject):
    """One thread for the extraction's file work; results come back as a queued signal."""

    _finished = Signal(object, object, object)  # future, on_done, on_error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="csu-extract")
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        fut = self._pool.submit(fn)
        fut.add_done_callback(lambda f: self._finished.emit(f, on_done, on_error))

    @Slot(object, object, object)
    def _on_finished(self, fut: Future[Any], on_done: Any, on_error: Any) -> None:
        exc = fut.exception()
        if exc is None:
            on_done(fut.result())
        else:
            on_error(exc)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class ExtractionJob(QObject):
    """Runs the steps of one extraction (see the module docstring).

    ``progress(fraction, text)`` while it runs; then ``finished(JobResult)`` or
    ``failed(message)`` (French), once.
    """

    progress = Signal(float, str)
    finished = Signal(object)  # JobResult
    failed = Signal(str)
    _copy_progress = Signal(float)  # from the extraction thread

    def __init__(self, tasks: DbTasks, job: JobInput, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks, self.job = tasks, job
        self._thread = _Thread(self)
        self._cancel = threading.Event()
        self.at = datetime.now(UTC).replace(microsecond=0)
        self.folder = job.destination / folder_name(job.request, self.at)
        self.files: list[ExtractedFile] = []
        self.head = ""
        self.recorded: ExtractionRecord | None = None
        self.done = False
        self._pages: Generator[int, None, None] | None = None
        self._copy_progress.connect(self._on_copy_progress, Qt.ConnectionType.QueuedConnection)

    # -- control ------------------------------------------------------------------

    @property
    def cancellable(self) -> bool:
        """True until the extraction is being recorded (then it cannot be undone)."""
        return not self.done and self.recorded is None and not self._recording

    _recording = False

    def start(self) -> None:
        log.info("extraction %s : %d caméra(s) vers %s", self.job.request.requisition.number,
                 len(self.job.request.camera_ids), self.folder)  # fmt: skip
        self.progress.emit(0.0, self.tr("Copie des enregistrements…"))
        self._thread.run(self._copy, self._on_copied, self._fail_before_record)

    def cancel(self) -> None:
        """« Annuler »: honoured until the extraction is being recorded."""
        if self.cancellable:
            self._cancel.set()

    def close(self) -> None:
        self._cancel.set()
        self._thread.close()

    # -- step 1: the files (extraction thread) ---------------------------------------

    def _copy(self) -> list[ExtractedFile]:
        self.folder.mkdir(parents=True, exist_ok=False)
        index = RecordingIndex(self.job.recordings)
        try:
            return extract_files(
                index, self.job.request, self.folder, camera_names=self.job.camera_names,
                progress=self._copy_progress.emit, cancel=self._cancel,
            )  # fmt: skip
        finally:
            index.close()

    @Slot(float)
    def _on_copy_progress(self, fraction: float) -> None:
        if not self.done:
            self.progress.emit(0.8 * fraction, self.tr("Copie des enregistrements…"))

    def _on_copied(self, files: list[ExtractedFile]) -> None:
        self.files = files
        if self._check_cancel():
            return
        self.progress.emit(0.8, self.tr("Lecture de la tête de chaîne de la main courante…"))
        self._tasks.run(chain_head, self._on_head, self._fail_before_record, owner=self)

    # -- step 2, 3: the chain head, the procès-verbal ----------------------------------

    def _on_head(self, head: object) -> None:
        self.head = str(head or "")
        if self._check_cancel():
            return
        self.progress.emit(0.85, self.tr("Rédaction du procès-verbal…"))
        job = self.job
        data = PvData(
            job.centre, job.commune, job.tz, job.request, tuple(self.files), job.operator_label,
            job.station, self.at, self.head, str(self.folder), job.video_days, job.camera_names,
        )  # fmt: skip
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self._pages = paint_pv(buffer, data)
        self._paint_turn(buffer)

    def _paint_turn(self, buffer: QBuffer) -> None:
        """A page of the PV per turn of the event loop (GUI thread only)."""
        pages = self._pages
        if pages is None:
            return
        if self._check_cancel():
            pages.close()
            buffer.close()
            return
        try:
            next(pages)
        except StopIteration:
            self._pages = None
            pdf = bytes(buffer.data().data())
            buffer.close()
            self._thread.run(lambda: self._save_pv(pdf), self._on_pv_saved,
                             self._fail_before_record)  # fmt: skip
            return
        except Exception as exc:  # noqa: BLE001 — told, logged, and the files removed
            self._pages = None
            buffer.close()
            self._fail_before_record(exc)
            return
        QTimer.singleShot(0, self, lambda: self._paint_turn(buffer))

    def _pv_path(self) -> Path:
        return self.folder / f"proces-verbal_{self.folder.name.removeprefix('extraction_')}.pdf"

    def _save_pv(self, pdf: bytes) -> tuple[Path, str]:
        path = self._pv_path()
        write_whole(path, pdf)
        return path, hashlib.sha256(pdf).hexdigest()

    # -- step 4: the main courante (storage thread) ------------------------------------

    def _on_pv_saved(self, saved: tuple[Path, str]) -> None:
        if self._check_cancel():
            return
        path, sha = saved
        self._recording = True
        self.progress.emit(0.9, self.tr("Inscription à la main courante…"))
        job, files, folder, head = self.job, tuple(self.files), str(self.folder), self.head

        def record(store: Store) -> ExtractionRecord:
            return record_extraction(
                store, job.request, folder, files, path.name, sha, head,
                station=job.station, operator=job.operator, at=self.at,
            )  # fmt: skip

        self._tasks.run(record, lambda r: self._on_recorded(r, path), self._fail_before_record,
                        owner=self)  # fmt: skip

    # -- step 5: the sidecar and the hold (extraction thread) --------------------------

    def _on_recorded(self, record: ExtractionRecord, report: Path) -> None:
        self.recorded = record
        self.progress.emit(0.95, self.tr("Conservation des enregistrements sources…"))
        job = self.job
        sidecar = report.with_suffix(".json")

        def finish() -> tuple[str, ...]:
            problems: list[str] = []
            try:
                write_sidecar(sidecar, record, job.camera_names, job.tz)
            except Exception as exc:  # reported; the hold still comes next
                log.error("extraction n° %s : fichier JSON non écrit", record.pk, exc_info=exc)
                problems.append(f"Fichier JSON non écrit : {exc}")
            try:
                hold_segments(job.recordings, record)
            except Exception as exc:  # reported, and said in the main courante
                log.error("extraction n° %s : conservation impossible", record.pk, exc_info=exc)
                problems.append(f"Conservation des segments sources impossible : {exc}")
            return tuple(problems)

        def done(problems: tuple[str, ...]) -> None:
            self.done = True
            for p in problems:
                self._log_failure(p)
            result = JobResult(record, self.folder, report, sidecar, problems)
            self.progress.emit(1.0, self.tr("Extraction terminée."))
            self.finished.emit(result)

        self._thread.run(finish, done, lambda exc: done((str(exc),)))

    # -- failures -------------------------------------------------------------------------

    def _check_cancel(self) -> bool:
        if not self._cancel.is_set():
            return False
        self._fail_before_record(ExtractionCancelled("Extraction annulée : aucun fichier gardé."))
        return True

    def _fail_before_record(self, exc: BaseException) -> None:
        """Nothing claimed yet: remove this extraction's folder, say why, log it."""
        if self.done:
            return
        self.done = True
        self._pages = None
        if isinstance(exc, UserFacingError):
            message = str(exc)
        else:
            log.error("extraction en échec", exc_info=exc)
            message = self.tr("Extraction impossible (erreur interne) : {m}").format(m=exc)
        if self.recorded is None:
            self._thread.run(self._remove_folder, lambda _r: None, lambda _e: None)
        self._log_failure(message)
        self.failed.emit(message)

    def _remove_folder(self) -> None:
        if self.folder.is_dir():
            shutil.rmtree(self.folder, ignore_errors=True)

    def _log_failure(self, reason: str) -> None:
        job = self.job
        if self.recorded is not None:
            reason = f"extraction n° {self.recorded.pk} : {reason}"

        def write(store: Store) -> object:
            return record_extraction_failed(store, job.request, reason, station=job.station,
                                            operator=job.operator)  # fmt: skip

        self._tasks.run(write, lambda _r: None,
                        lambda e: log.error("extraction_failed non écrit", exc_info=e))  # fmt: skip
