"""The recorder service: every camera of the site, the disk, the retention and
``status.json`` (Qt-free).

One :class:`~csu_console.recorder.job.CameraJob` (one FFmpeg) per camera; one
housekeeping thread checks the disk every few seconds and after each segment
(:class:`~csu_console.recorder.disk.DiskGuard`), applies the retention at start and
every hour, and writes ``status.json`` in the recording folder atomically every
``status_every`` seconds (read by ``csu-recorder status`` and by the consoles).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from csu_console.config.atomic import write_atomic
from csu_console.config.recorder_section import RecorderConfig
from csu_console.recorder.disk import DiskGuard, apply_retention
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.job import CameraJob
from csu_console.recorder.status import STATUS_FILE

log = logging.getLogger("csu.recorder")

STATUS_FORMAT = 1
RETENTION_EVERY_S = 3600.0
DISK_EVERY_S = 5.0


@dataclass(frozen=True)
class RecordedCamera:
    """A camera to record: its id, name and stream URL (credentials in it)."""

    id: str
    name: str
    url: str


class RecorderService:
    """Records ``cameras`` into ``root`` until :meth:`stop`."""

    def __init__(
        self,
        root: Path,
        cameras: list[RecordedCamera],
        config: RecorderConfig,
        video_days: int,
        *,
        ffmpeg: str = "ffmpeg",
        status_every: float = 2.0,
        stall_s: float = 15.0,
    ) -> None:
        self.root = Path(root)
        self.cameras = list(cameras)
        self.config = config
        self.video_days = video_days
        self.status_every = status_every
        self.index = RecordingIndex(self.root)
        self.guard = DiskGuard(self.index, config.disk_budget_gb, config.min_free_gb)
        self.jobs = {
            cam.id: CameraJob(
                cam.id,
                cam.url,
                self.root,
                self.index,
                segment_s=config.segment_s,
                ffmpeg=ffmpeg,
                stall_s=stall_s,
                may_record=self._may_record,
                on_segment=self._disk_due_now,
            )
            for cam in self.cameras
        }
        self._stop = threading.Event()
        self._disk_due = threading.Event()
        self._thread: threading.Thread | None = None
        self.started_at = time.time()

    # -- life ------------------------------------------------------------------------

    def start(self) -> None:
        self.started_at = time.time()
        closed = self.index.close_open_gaps(self._previous_end())
        if closed:
            log.info(
                "%d interruption(s) laissée(s) ouverte(s) par l'arrêt précédent fermée(s)", closed
            )
        apply_retention(self.index, self.video_days)
        self.guard.check()
        log.info(
            "enregistreur : %d caméra(s) dans %s, segments de %d s, budget %s, minimum libre "
            "%g Go, rétention %d jours",
            len(self.jobs), self.root, self.config.segment_s,
            f"{self.config.disk_budget_gb:g} Go" if self.config.disk_budget_gb else "aucun",
            self.config.min_free_gb, self.video_days,
        )  # fmt: skip
        for job in self.jobs.values():
            job.start()
        self.write_status()
        self._thread = threading.Thread(target=self._housekeeping, name="csu-recorder-house")
        self._thread.start()

    def stop(self) -> None:
        """Stop every FFmpeg cleanly (each closes its last segment), file what they
        wrote, close every gap, write the last status."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        for job in self.jobs.values():
            job.request_stop()  # all at once: the FFmpeg processes close in parallel
        for job in self.jobs.values():
            job.stop()
        self.write_status()
        self.index.close()
        log.info("enregistreur arrêté")

    def wait(self, timeout: float | None = None) -> bool:
        return self._stop.wait(timeout)

    def _previous_end(self) -> datetime:
        """When the previous run was last alive (its status.json), else now."""
        now = datetime.now(UTC)
        try:
            data = json.loads((self.root / STATUS_FILE).read_text(encoding="utf-8"))
            written = float(data["written_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return now
        return min(now, datetime.fromtimestamp(written, UTC))

    # -- housekeeping ----------------------------------------------------------------

    def _may_record(self) -> bool:
        return not self.guard.state.full and not self._stop.is_set()

    def _disk_due_now(self) -> None:
        self._disk_due.set()

    def _housekeeping(self) -> None:
        last_disk = last_status = time.monotonic()
        last_retention = last_status
        while not self._stop.wait(0.25):
            now = time.monotonic()
            try:
                if self._disk_due.is_set() or now - last_disk >= DISK_EVERY_S:
                    self._disk_due.clear()
                    last_disk = now
                    if self.guard.check().full:
                        for job in self.jobs.values():
                            job.interrupt_for_disk()
                if now - last_retention >= RETENTION_EVERY_S:
                    last_retention = now
                    apply_retention(self.index, self.video_days)
                if now - last_status >= self.status_every:
                    last_status = now
                    self.write_status()
            except (OSError, sqlite3.Error) as exc:  # the environment's: said, retried
                log.error("enregistreur : %s (disque, index ou état)", exc)

    # -- status ----------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """What ``status.json`` holds (Unix times)."""
        now = datetime.now(UTC)
        cameras: dict[str, Any] = {}
        for cam in self.cameras:
            st = self.jobs[cam.id].status()
            cov = self.index.coverage(cam.id, now - timedelta(hours=24), now, now=now)
            cameras[cam.id] = {
                "name": cam.name,
                "state": st.state.value,
                "since": st.since,
                "detail": st.detail,
                "last_segment_end": st.last_segment_end,
                "recorded_24h_s": round(cov.recorded_seconds, 1),
                "open_gap": None
                if st.open_gap is None
                else {"start": st.open_gap[0], "reason": st.open_gap[1]},
            }
        disk = self.guard.state
        return {
            "format": STATUS_FORMAT,
            "written_at": now.timestamp(),
            "started_at": self.started_at,
            "pid": os.getpid(),
            "running": not self._stop.is_set(),
            "segment_s": self.config.segment_s,
            "video_days": self.video_days,
            "cameras": cameras,
            "disk": {
                "used": disk.used,
                "free": disk.free,
                "budget": disk.budget,
                "min_free": disk.min_free,
                "full": disk.full,
            },
        }

    def write_status(self) -> None:
        data = json.dumps(self.status(), ensure_ascii=False, indent=1).encode("utf-8")
        write_atomic(self.root / STATUS_FILE, data, mode=0o644)
