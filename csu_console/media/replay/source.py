"""Replaying one camera's recordings as a :class:`CameraSource` (Qt-free).

CONTRACT (foundation of issue 18; the bodies are filled in by the replay engine):

* A :class:`ReplayFeed` says where a camera's recordings are: the project's
  recorder (:class:`~csu_console.recorder.index.RecordingIndex` + segment files,
  ``LocalFeed``) or an NVR's RTSP replay (``camera.replay_url``, ``NvrFeed``).
  :class:`ReplayFeeds` picks one per camera.
* A :class:`ReplaySource` decodes with PyAV on its own thread and follows a
  :class:`~csu_console.media.replay.clock.ReplayClock`: it publishes the latest
  frame recorded at or before the clock's position, with ``Frame.at`` set (the
  Unix time the frame was filmed). When the clock's ``epoch`` changes it seeks
  again. The GUI thread never waits on it: :meth:`ReplaySource.start`,
  :meth:`~ReplaySource.stop` and every control return at once.
* Its :class:`SourceStatus`: ``CONNECTING`` while opening or seeking,
  ``PLAYING`` with frames, ``GAP`` at an instant with no recording (``detail`` is
  the :class:`~csu_console.core.recording.GapReason`'s French words: never a
  frozen picture), ``LOST`` when the backend fails (an NVR unreachable; retried).
* A corrupt segment is skipped (logged, shown as a gap « segment illisible »).
* ``ReplaySource.url`` is ``replay:<camera id>``: never mistaken for a live URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np

from csu_console.config import Camera
from csu_console.core.recording import Coverage, Gap
from csu_console.media.replay.clock import ReplayClock
from csu_console.media.video.source import (
    CameraSource,
    HealthSettings,
    SourceListener,
    SourceStatus,
)

REPLAY_SCHEME = "replay:"


class ReplayError(Exception):
    """Recordings that cannot be reached (NVR down, folder missing); French message."""


@dataclass(frozen=True, slots=True)
class RecordedFrame:
    """One decoded picture of a recording: BGR24 (H×W×3, C-contiguous) and the Unix
    time it was filmed."""

    at: float
    image: np.ndarray


class RecordedFrames(Protocol):
    """Pictures from an instant on, in recorded order, decoded on the caller's
    thread. A :class:`~csu_console.core.recording.Gap` comes in between when the
    recording stops (its end says where pictures resume; a local feed knows it
    from the index, an NVR says so by sending nothing)."""

    def __iter__(self) -> Iterator[RecordedFrame | Gap]: ...

    def close(self) -> None: ...


class ReplayFeed(Protocol):
    """Where one camera's recordings come from. Every method may block (disk,
    network): call it on a worker or the source's own thread, never the GUI's."""

    camera_id: str

    def coverage(self, start: datetime, end: datetime) -> Coverage:
        """What is recorded over ``[start, end)`` (the timeline under the tile)."""
        ...

    def open(self, at: datetime) -> RecordedFrames:
        """Pictures from the last keyframe at or before ``at`` on (the caller drops
        those before ``at``). Raises ``ReplayError`` (French message) when the
        recordings cannot be reached at all."""
        ...


class ReplayFeeds:
    """The feed of each camera: its NVR's when it has a ``replay_url``, else the
    project's recorder folder (``None``: no local recordings configured)."""

    def __init__(self, recordings_dir: object | None) -> None:
        raise NotImplementedError

    def feed(self, camera: Camera) -> ReplayFeed:
        raise NotImplementedError

    def coverage(self, camera: Camera, start: datetime, end: datetime) -> Coverage:
        return self.feed(camera).coverage(start, end)

    def close(self) -> None:
        raise NotImplementedError


class ReplaySource(CameraSource):
    """One camera's recordings following ``clock``; see the module's contract."""

    backend = "replay"

    def __init__(
        self,
        camera_id: str,
        feed: ReplayFeed,
        clock: ReplayClock,
        listener: SourceListener,
        health: HealthSettings | None = None,
    ) -> None:
        super().__init__(REPLAY_SCHEME + camera_id, listener, health or HealthSettings())
        self.camera_id = camera_id
        self.feed = feed
        self.clock = clock

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    @property
    def status(self) -> SourceStatus:
        raise NotImplementedError


def open_replay(
    camera: Camera, clock: ReplayClock, listener: SourceListener, feeds: ReplayFeeds
) -> ReplaySource:
    """A started :class:`ReplaySource` of ``camera`` on ``clock``."""
    source = ReplaySource(camera.id, feeds.feed(camera), clock, listener)
    source.start()
    return source
