"""The stream pool's bookkeeping: shared by URL, held by holders, reaped after grace.

The sources here are stand-ins that only count start/stop (the pool never looks
at frames); real decoders against the real RTSP server are in tests/e2e.
"""

from __future__ import annotations

import pytest

from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import (
    CameraSource,
    HealthSettings,
    SourceListener,
    SourceStatus,
    StreamState,
)


class CountingSource(CameraSource):
    """Stand-in for a decoder: records start/stop, decodes nothing."""

    backend = "test"

    def __init__(self, url: str, listener: SourceListener, health: HealthSettings) -> None:
        super().__init__(url, listener, health)
        self.started = self.stopped = 0

    def start(self) -> None:
        self.started += 1

    def stop(self) -> None:
        self.stopped += 1

    @property
    def status(self) -> SourceStatus:
        return SourceStatus(StreamState.STOPPED, 0.0)


class NoListener:
    def frame_ready(self, source: CameraSource) -> None: ...

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None: ...


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pool(clock: Clock) -> StreamPool:
    return StreamPool(CountingSource, NoListener(), grace_s=30.0, clock=clock)


def source(pool: StreamPool, url: str) -> CountingSource:
    s = pool.source(url)
    assert isinstance(s, CountingSource)
    return s


def test_one_decoder_per_url_shared_by_holders(pool: StreamPool) -> None:
    a = pool.acquire("rtsp://h/cam1", "tile:0")
    b = pool.acquire("rtsp://h/cam1", "prewarm:5")
    assert a is b and source(pool, "rtsp://h/cam1").started == 1
    assert pool.holders("rtsp://h/cam1") == ["prewarm:5", "tile:0"]


def test_unheld_stream_stops_only_after_the_grace_period(pool: StreamPool, clock: Clock) -> None:
    pool.acquire("rtsp://h/cam1", "tile:0")
    s = source(pool, "rtsp://h/cam1")
    pool.release("rtsp://h/cam1", "tile:0")
    clock.now += 29.9
    assert pool.reap() == [] and s.stopped == 0
    clock.now += 0.2
    assert pool.reap() == ["rtsp://h/cam1"] and s.stopped == 1
    assert pool.source("rtsp://h/cam1") is None


def test_coming_back_within_the_grace_keeps_the_same_decoder(
    pool: StreamPool, clock: Clock
) -> None:
    first = pool.acquire("rtsp://h/cam1", "tile:0")
    pool.release("rtsp://h/cam1", "tile:0")
    clock.now += 20
    again = pool.acquire("rtsp://h/cam1", "tile:3")
    clock.now += 20
    assert pool.reap() == [] and again is first
    assert source(pool, "rtsp://h/cam1").started == 1


def test_timed_hold_expires_then_grace_applies(pool: StreamPool, clock: Clock) -> None:
    pool.acquire("rtsp://h/cam1", "prewarm:7", until=clock.now + 60)
    clock.now += 59
    assert pool.reap() == []
    clock.now += 2  # hold expired: the grace period starts now
    assert pool.reap() == [] and pool.holders("rtsp://h/cam1") == []
    clock.now += 30
    assert pool.reap() == ["rtsp://h/cam1"]


def test_a_second_prewarm_never_shortens_a_hold(pool: StreamPool, clock: Clock) -> None:
    pool.acquire("rtsp://h/cam1", "prewarm:7", until=clock.now + 100)
    pool.acquire("rtsp://h/cam1", "prewarm:7", until=clock.now + 10)
    clock.now += 50
    assert pool.reap() == [] and pool.holders("rtsp://h/cam1") == ["prewarm:7"]
    pool.acquire("rtsp://h/cam1", "tile:0", until=clock.now + 1)
    pool.acquire("rtsp://h/cam1", "tile:0")  # untimed wins over timed
    clock.now += 500
    pool.reap()
    assert "tile:0" in pool.holders("rtsp://h/cam1")


def test_release_holder_and_stop_all(pool: StreamPool) -> None:
    pool.acquire("rtsp://h/cam1", "tile:0")
    pool.acquire("rtsp://h/cam2", "tile:0")
    pool.acquire("rtsp://h/cam2", "tile:1")
    pool.release_holder("tile:0")
    assert pool.holders("rtsp://h/cam1") == [] and pool.holders("rtsp://h/cam2") == ["tile:1"]
    pool.release("rtsp://h/unknown", "tile:9")  # unknown: ignored
    sources = [source(pool, u) for u in pool.active_urls()]
    pool.stop_all()
    assert [s.stopped for s in sources] == [1, 1] and pool.active_urls() == []
