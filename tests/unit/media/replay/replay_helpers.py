"""What the replay tests share: a listener that keeps what a source tells it, a
feed whose ``open`` waits (a slow disk or NVR), the frames' QR timecodes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from csu_console.core.recording import Coverage, Gap
from csu_console.media.replay.source import RecordedFrame, RecordedFrames, ReplayError, ReplayFeed
from csu_console.media.stream_server.timecode import read_timecode
from csu_console.media.video.source import CameraSource, Frame, SourceStatus, StreamState


@dataclass
class KeptReplay:
    """A SourceListener keeping every status and every frame published (thread-safe)."""

    statuses: list[SourceStatus] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def frame_ready(self, source: CameraSource) -> None:
        frame = source.latest()
        if frame is not None:
            with self.lock:
                self.frames.append(frame)

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        with self.lock:
            self.statuses.append(status)

    def states(self) -> list[StreamState]:
        with self.lock:
            return [s.state for s in self.statuses]

    def frames_since(self, n: int) -> list[Frame]:
        with self.lock:
            return self.frames[n:]

    def count(self) -> int:
        with self.lock:
            return len(self.frames)

    def last_status(self) -> SourceStatus | None:
        with self.lock:
            return self.statuses[-1] if self.statuses else None


class SlowFeed:
    """A real feed whose ``open`` first waits for ``release`` (stands for a slow
    disk or an NVR that takes its time), or fails ``failures`` times first."""

    def __init__(self, inner: ReplayFeed, *, failures: int = 0) -> None:
        self.inner = inner
        self.camera_id = inner.camera_id
        self.release = threading.Event()
        self.opening = threading.Event()
        self.failures = failures
        self.opens = 0

    def coverage(self, start: datetime, end: datetime) -> Coverage:
        return self.inner.coverage(start, end)

    def open(self, at: datetime) -> RecordedFrames:
        self.opens += 1
        self.opening.set()
        self.release.wait(30)
        if self.failures > 0:
            self.failures -= 1
            raise ReplayError("enregistreur injoignable (test)")
        return self.inner.open(at)


def filmed(frame: Frame, origin: datetime) -> float | None:
    """When ``frame`` was filmed according to its QR code (None: unreadable)."""
    code = read_timecode(frame.image)
    return None if code is None else code.unix(origin.timestamp())


class HeavyFeed:
    """A real feed whose pictures take ``cost_s`` each to come (a stream heavier
    to decode than this machine can at the speed asked)."""

    def __init__(self, inner: ReplayFeed, cost_s: float) -> None:
        self.inner = inner
        self.camera_id = inner.camera_id
        self.cost_s = cost_s
        self.opens = 0

    def coverage(self, start: datetime, end: datetime) -> Coverage:
        return self.inner.coverage(start, end)

    def open(self, at: datetime) -> RecordedFrames:
        self.opens += 1
        return _Heavy(self.inner.open(at), self.cost_s)


class _Heavy:
    def __init__(self, frames: RecordedFrames, cost_s: float) -> None:
        self.frames = frames
        self.cost_s = cost_s

    def __iter__(self) -> Iterator[RecordedFrame | Gap]:
        pause = threading.Event()
        for item in self.frames:
            if isinstance(item, RecordedFrame):
                pause.wait(self.cost_s)
            yield item

    def close(self) -> None:
        self.frames.close()
