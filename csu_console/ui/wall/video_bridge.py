"""Decoding threads → GUI thread, for video: the wall's one bridge.

A decoding thread calls :meth:`VideoBridge.frame_ready` for every frame; at most
one notification per source is in flight at a time, so when the GUI is behind,
frames are dropped (the tile paints whatever is newest in the source's slot when
it gets to it) instead of piling up in the event queue.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from csu_console.media.video.source import CameraSource, SourceStatus


class VideoBridge(QObject):
    """A :class:`~csu_console.media.video.source.SourceListener` for the GUI."""

    frame_available = Signal(object)  # CameraSource, on the GUI thread
    source_status_changed = Signal(object, object)  # CameraSource, SourceStatus
    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._in_flight: set[int] = set()
        self.dropped = 0  # notifications not sent because one was already in flight
        self._posted.connect(self._on_posted, Qt.ConnectionType.QueuedConnection)

    # SourceListener, called on decoding threads --------------------------------
    def frame_ready(self, source: CameraSource) -> None:
        with self._lock:
            if id(source) in self._in_flight:
                self.dropped += 1
                return
            self._in_flight.add(id(source))
        self._posted.emit(source)

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        self.source_status_changed.emit(source, status)

    # GUI thread -------------------------------------------------------------------
    @Slot(object)
    def _on_posted(self, source: CameraSource) -> None:
        with self._lock:
            self._in_flight.discard(id(source))
        self.frame_available.emit(source)
