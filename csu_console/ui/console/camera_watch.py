"""Every camera's health on the GUI side: the map's colours, the outage alert, the log.

:class:`CameraWatch` owns the Qt-free
:class:`~csu_console.core.camera_state.CameraHealthBook`, starts the background
prober over every camera of the site, takes the wall's decoders' reports too,
and once a second applies what changed: the camera's colour on the map, the
priority-4 « caméra hors service » alert for an outage past ``offline_after_s``
(whether or not anyone watches the camera), and a ``camera_online`` event in
the log when such an outage ends (the review counts availability from them).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from csu_console.config.schema import Camera, ProberConfig
from csu_console.core.alerts import Alert
from csu_console.core.camera_health import outage_alert
from csu_console.core.camera_state import (
    CameraHealthBook,
    CameraState,
    CameraStatus,
    Report,
    Witness,
)
from csu_console.core.logbook import EventKind
from csu_console.media.probe.prober import CameraProber
from csu_console.media.video.source import CameraSource, SourceStatus, StreamError, StreamState
from csu_console.storage.logbook import NewEvent
from csu_console.ui.map.items import CameraHealth
from csu_console.ui.map.overlays import MapOverlays

log = logging.getLogger("csu.prober")

MAP_HEALTH = {
    CameraState.OK: CameraHealth.OK,
    CameraState.UNKNOWN: CameraHealth.UNKNOWN,
    CameraState.OFFLINE: CameraHealth.OFFLINE,
    CameraState.BLACK: CameraHealth.DEGRADED,
    CameraState.FROZEN: CameraHealth.DEGRADED,
}


class CameraWatch(QObject):
    """See the module docstring; ``record`` appends the console's own events."""

    changed = Signal(object)  # tuple[CameraStatus, ...]: the list repaints those rows

    def __init__(
        self,
        cameras: Sequence[Camera],
        settings: ProberConfig,
        offline_after_s: float,
        station: str,
        raise_alert: Callable[[Alert], None],
        record: Callable[[list[NewEvent]], None],
        overlays: MapOverlays | None = None,
        parent: QObject | None = None,
        *,
        prober: CameraProber | None = None,
    ) -> None:
        super().__init__(parent)
        self.cameras = list(cameras)
        self._by_id = {c.id: c for c in cameras}
        self._by_url: dict[str, Camera] = {}
        for c in cameras:
            self._by_url[c.stream_main] = c
            if c.stream_sub:
                self._by_url[c.stream_sub] = c
        self.book = CameraHealthBook([c.id for c in cameras], offline_after_s)
        self.settings, self.station = settings, station
        self._raise_alert, self._record, self._overlays = raise_alert, record, overlays
        self.prober = prober or CameraProber(cameras, self.book, settings)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.apply)
        #: Opens the « Caméras » window (set by camera_assembly; tests call it).
        self.open_list: Callable[[], None] | None = None

    def start(self) -> None:
        """Start the prober (when ``[prober] enabled``) and the once-a-second update."""
        if self.settings.enabled:
            self.prober.start()
        self._tick.start()

    def stop(self) -> None:
        self._tick.stop()
        self.prober.stop()

    @Slot(object, object)
    def on_source_status(self, source: CameraSource, status: SourceStatus) -> None:
        """A wall decoder's report (``VideoBridge.source_status_changed``)."""
        camera = self._by_url.get(source.url)
        if camera is None:
            return
        if status.state is StreamState.PLAYING:
            state, detail = CameraState.OK, "image reçue sur le mur"
        elif status.state is StreamState.LOST:
            frozen = status.error is StreamError.FROZEN
            state = CameraState.FROZEN if frozen else CameraState.OFFLINE
            detail = status.error.value if status.error else status.detail
        else:
            return  # connecting, stopped, a replay's gap: says nothing of the camera
        now = datetime.now(UTC)
        self.book.report(Report(camera.id, state, Witness.WALL, now, time.monotonic(), detail))

    @Slot()
    def apply(self) -> None:
        """Apply what changed since the last call (map, alerts, log)."""
        found = self.book.tick(time.monotonic())
        if found.changed:
            if self._overlays is not None:
                for s in found.changed:
                    self._overlays.set_camera_health(s.camera_id, MAP_HEALTH[s.state])
            self.changed.emit(found.changed)
        now_utc = datetime.now(UTC)
        for outage in found.due:
            camera = self._by_id[outage.camera_id]
            log.warning(
                "caméra %s hors service depuis %s (%s)",
                camera.id, outage.down_since_utc, outage.detail,
            )  # fmt: skip
            self._raise_alert(
                outage_alert(outage, camera.name, camera.lon, camera.lat, self.station, now_utc)
            )
        events = []
        for outage in found.ended:
            log.info("caméra %s de nouveau en service", outage.camera_id)
            seconds = round((now_utc - outage.down_since_utc).total_seconds())
            details = {"camera_id": outage.camera_id, "down_s": seconds}
            events.append(
                NewEvent(EventKind.CAMERA_ONLINE.value, now_utc, None, self.station, None, details)
            )
        if events:
            self._record(events)

    def statuses(self) -> list[CameraStatus]:
        return self.book.all()
