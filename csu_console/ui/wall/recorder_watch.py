"""The console's watch on the recorder: « enregistrement interrompu ».

Every ``every_s`` seconds the recorder's ``status.json`` is read on a worker thread
(the folder may be a network share: the GUI never waits on it); back on the GUI
thread, each camera whose recording is interrupted (a full disk) raises ONE
priority-4 technical alert per interruption through the same ``raise_alert`` the
wall's controller uses for a camera down; a recorder that died without stopping
(its status no longer rewritten) raises one too. No status file: no recorder on
this site (an NVR records), nothing to watch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from csu_console.config.schema import Camera
from csu_console.core.alerts import Alert
from csu_console.recorder.status import (
    RecorderStatus,
    StatusError,
    read_status,
    recorder_stopped_alert,
    recording_alert,
)
from csu_console.ui.offthread import LatestResult

log = logging.getLogger("csu.ui")


class RecorderWatch(QObject):
    """Polls ``<folder>/status.json`` and raises the recording alerts."""

    status_read = Signal(object)  # RecorderStatus | None, after each read (GUI thread)

    def __init__(
        self,
        folder: Path,
        cameras: Iterable[Camera],
        station: str,
        raise_alert: Callable[[Alert], None],
        parent: QObject | None = None,
        every_s: float = 10.0,
    ) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self._cameras = {c.id: c for c in cameras}
        self._station = station
        self._raise_alert = raise_alert
        self._raised: set[str] = set()
        self._work = LatestResult("recorder-watch", self)
        self.status: RecorderStatus | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(int(every_s * 1000))
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()
        self.poll()

    def stop(self) -> None:
        self._timer.stop()
        self._work.stop(wait=False)  # a read hanging on the share must not hold the quit

    @Slot()
    def poll(self) -> None:
        if self._work.busy:
            return  # the share is slow: one read at a time
        self._work.submit(self._read, self._on_status_read)

    def _read(self) -> RecorderStatus | None:
        try:
            return read_status(self.folder)
        except StatusError as exc:
            if (self.folder / "status.json").exists():
                log.warning("enregistreur : %s", exc)
            return None

    def _on_status_read(self, status: RecorderStatus | None) -> None:
        self.status = status
        self.status_read.emit(status)
        if status is None:
            return
        now = datetime.now(UTC)
        wanted: list[Alert] = []
        first = next(iter(self._cameras.values()), None)
        if first is None:
            return  # no camera: nothing is recorded, nowhere to put an alert
        if status.stale(now):
            if status.running:  # died without a clean stop
                wanted.append(
                    recorder_stopped_alert(status, first.lon, first.lat, self._station, now)
                )
        else:
            for cam in status.interrupted():
                where = self._cameras.get(cam.camera_id, first)
                wanted.append(recording_alert(cam, where.lon, where.lat, self._station, now))
        ids = {a.id for a in wanted}
        for alert in wanted:
            if alert.id not in self._raised:
                log.warning("enregistreur : %s", alert.title)
                self._raise_alert(alert)
        # An interruption that ended is forgotten: the next one is a new alert.
        self._raised = ids | (self._raised & ids)
