"""« Tester le flux »: the probe on a worker thread, then the live picture in a tile.

:func:`~csu_console.media.video.probe.probe` blocks for up to its timeout (network
check, then the real decoder): it runs on a thread of its own and its answer comes
back as a Qt signal. After a success the stream keeps playing in a wall tile, so the
installer sees what the camera aims at while adjusting its field of view.
"""

from __future__ import annotations

import logging
import threading
import time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from csu_console.config.schema import Camera
from csu_console.media.video.backend import Preference, create_source
from csu_console.media.video.probe import ProbeError, ProbeResult, probe
from csu_console.media.video.source import CameraSource, HealthSettings, SourceStatus, StreamError
from csu_console.ui.wall.tile import CameraTile
from csu_console.ui.wall.video_bridge import VideoBridge

log = logging.getLogger("csu.ui")

#: The probe's budget: with its margin the answer comes within 5 s whatever the camera.
PROBE_TIMEOUT_S = 4.0
PREVIEW_JOIN_S = 3.0


class StreamTester(QObject):
    """Runs one probe at a time; ``finished(result)`` brings a ProbeResult or a
    ProbeError back on the GUI thread, with the seconds it took."""

    finished = Signal(object, float)  # ProbeResult | ProbeError, elapsed seconds
    _done = Signal(int, object, float)

    def __init__(
        self,
        tz: ZoneInfo,
        backend: Preference = "auto",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend: Preference = backend
        self._generation = 0
        self._threads: list[threading.Thread] = []
        self.running = False
        self.bridge = VideoBridge(self)
        self.bridge.frame_available.connect(self._on_bridge_frame_available)
        self.bridge.source_status_changed.connect(self._on_bridge_status_changed)
        self.tile = CameraTile(tz)
        self.tile.snap_button.setEnabled(False)  # no evidence from the setup screen
        self.tile.hide()  # until a test succeeds
        self.preview: CameraSource | None = None
        self._done.connect(self._on_done)

    def start(self, camera: Camera, url: str) -> None:
        """Probe ``url`` (credentials included) for ``camera``; stops any preview."""
        self.stop_preview()
        self._generation += 1
        generation = self._generation
        self.running = True
        self._camera = camera
        self._url = url

        def work() -> None:
            began = time.monotonic()
            outcome: ProbeResult | ProbeError
            try:
                outcome = probe(url, PROBE_TIMEOUT_S, self._backend)
            except ProbeError as exc:
                outcome = exc
            except Exception as exc:  # a bug in a decoder must still answer the screen
                log.exception("test de flux : erreur inattendue")
                outcome = ProbeError(StreamError.OTHER, str(exc))
            self._done.emit(generation, outcome, time.monotonic() - began)

        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=work, name="csu-setup-probe", daemon=True)
        self._threads.append(thread)
        thread.start()

    def cancel(self) -> None:
        """Forget the probe under way (its thread ends by itself within the timeout)."""
        self._generation += 1
        self.running = False

    @Slot(int, object, float)
    def _on_done(self, generation: int, outcome: object, elapsed: float) -> None:
        if generation != self._generation:
            return
        self.running = False
        if isinstance(outcome, ProbeResult):
            self._start_preview()
        self.finished.emit(outcome, elapsed)

    # -- the live picture --------------------------------------------------------

    def _start_preview(self) -> None:
        health = HealthSettings(open_timeout_s=PROBE_TIMEOUT_S, read_timeout_s=PROBE_TIMEOUT_S)
        source = create_source(self._url, self.bridge, health, self._backend)
        self.preview = source
        self.tile.show_camera(self._camera, source)
        self.tile.show()
        source.start()

    def stop_preview(self) -> None:
        """Stop the picture (another camera selected, the window closed)."""
        source, self.preview = self.preview, None
        self.tile.show_camera(None, None)
        self.tile.hide()
        if source is not None:
            source.stop()
            source.join(PREVIEW_JOIN_S)

    def shutdown(self) -> None:
        """Stop everything and wait for the probe threads (window closing)."""
        self.cancel()
        self.stop_preview()
        for thread in self._threads:
            thread.join(PROBE_TIMEOUT_S + 1.0)
        self._threads = []

    @Slot(object)
    def _on_bridge_frame_available(self, source: CameraSource) -> None:
        if source is self.preview:
            self.tile.on_frame()

    @Slot(object, object)
    def _on_bridge_status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        if source is self.preview:
            self.tile.on_status(status)

    def tile_widget(self) -> QWidget:
        return self.tile
