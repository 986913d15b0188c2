"""The replay source on real recordings (PyAV decoding the session's generated
segments): the time a frame is said to be filmed is proved by the QR timecode it
carries, gaps and unreadable segments show as gaps with no picture, sources on one
clock stay in step, the controls move the picture, and the caller never waits."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import av
import pytest
from replay_helpers import HeavyFeed, KeptReplay, SlowFeed, filmed
from support import RecordedSite, wait_until

from csu_console.core.recording import GapReason
from csu_console.media.replay.clock import ReplayClock
from csu_console.media.replay.local import LocalFeed
from csu_console.media.replay.source import ReplayFeed, ReplaySource
from csu_console.media.video.source import Frame, HealthSettings, StreamState
from csu_console.recorder.index import RecordingIndex

Start = Callable[..., tuple[ReplaySource, KeptReplay]]


@pytest.fixture
def index(recorded_site: RecordedSite) -> Iterator[RecordingIndex]:
    idx = RecordingIndex(recorded_site.root, create=False)
    yield idx
    idx.close()


@pytest.fixture
def start() -> Iterator[Start]:
    """Start a ReplaySource on a feed and a clock; stopped and joined at the end."""
    sources: list[ReplaySource] = []

    def _start(
        feed: ReplayFeed, clock: ReplayClock, health: HealthSettings | None = None
    ) -> tuple[ReplaySource, KeptReplay]:
        kept = KeptReplay()
        source = ReplaySource(feed.camera_id, feed, clock, kept, health)
        sources.append(source)
        source.start()
        return source, kept

    yield _start
    for source in sources:
        source.stop()
    for source in sources:
        assert source.join(5.0), "le fil de la relecture ne s'arrête pas"


def _at(site: RecordedSite, seconds: float) -> datetime:
    return site.origin + timedelta(seconds=seconds)


def _copy(site: RecordedSite, tmp_path: Path) -> tuple[RecordingIndex, Path]:
    root = tmp_path / "site"
    shutil.copytree(site.root, root)
    return RecordingIndex(root, create=False), root


def _proved(frames: list[Frame], site: RecordedSite, tolerance: float = 0.1) -> int:
    """How many of ``frames`` carry a readable QR code agreeing with their ``at``;
    fails on one that disagrees."""
    proved = 0
    for frame in frames:
        shown = filmed(frame, site.origin)
        if shown is None:
            continue
        assert frame.at is not None
        assert abs(shown - frame.at) < tolerance, (shown - frame.at, frame.at)
        proved += 1
    return proved


@pytest.mark.parametrize(
    "offset", [5.3, 9.98, 10.02, 57.5], ids=["mid", "avant-10s", "apres-10s", "fin"]
)
@pytest.mark.parametrize("playing", [True, False], ids=["lecture", "pause"])
def test_first_frame_is_the_requested_time_proved_by_its_timecode(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start, offset: float, playing: bool
) -> None:
    requested = _at(recorded_site, offset)
    clock = ReplayClock(requested, playing=playing)
    source, kept = start(LocalFeed("cam-02", index), clock)
    wait_until(lambda: kept.count() >= (4 if playing else 1), 10, "premières images")
    first = kept.frames_since(0)[0]
    assert first.at is not None and first.mono > 0
    assert abs(first.at - requested.timestamp()) < 1.0
    if not playing:  # the latest frame at or before the instant: exact
        assert requested.timestamp() - 0.041 <= first.at <= requested.timestamp() + 0.001
    assert _proved(kept.frames_since(0)[:6], recorded_site) >= 1
    assert source.status.state is StreamState.PLAYING
    assert StreamState.CONNECTING in kept.states()


def test_playback_goes_on_across_a_segment_boundary(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start
) -> None:
    clock = ReplayClock(_at(recorded_site, 19.4), speed=2.0)
    source, kept = start(LocalFeed("cam-01", index), clock)
    boundary = _at(recorded_site, 20).timestamp()
    wait_until(
        lambda: (f := source.latest()) is not None and f.at is not None and f.at > boundary + 0.8,
        10,
        "des images après la frontière de segment",
    )
    frames = kept.frames_since(0)
    ats = [f.at for f in frames if f.at is not None]
    assert ats == sorted(ats)
    assert max(b - a for a, b in itertools.pairwise(ats)) < 0.5  # no hole at the boundary
    after = [f for f in frames if f.at is not None and f.at > boundary]
    assert _proved(after[:8], recorded_site) >= 1
    assert StreamState.GAP not in kept.states()


def test_before_the_first_recording_is_a_gap_then_pictures(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start
) -> None:
    clock = ReplayClock(_at(recorded_site, -1.5))
    source, kept = start(LocalFeed("cam-03", index), clock)
    wait_until(lambda: source.status.state is StreamState.GAP, 5, "un trou")
    assert source.status.detail == GapReason.NONE.value == "pas d'enregistrement"
    assert source.latest() is None
    wait_until(lambda: kept.count() >= 3, 10, "des images après le trou")
    assert all(f.at is not None and f.at >= recorded_site.origin.timestamp() for f in kept.frames)
    assert source.status.state is StreamState.PLAYING


def test_after_the_last_recording_is_a_gap_with_no_picture(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start
) -> None:
    clock = ReplayClock(_at(recorded_site, recorded_site.seconds - 0.6))
    source, kept = start(LocalFeed("cam-01", index), clock)
    wait_until(lambda: kept.count() >= 1, 10, "des images avant la fin")
    wait_until(lambda: source.status.state is StreamState.GAP, 10, "le trou après la fin")
    assert source.status.detail == "pas d'enregistrement"
    assert source.latest() is None  # never the last picture as if it were current
    n = kept.count()
    clock.skip(5)
    threading.Event().wait(0.3)
    assert kept.count() == n and source.status.state is StreamState.GAP


@pytest.mark.parametrize("reason", [GapReason.NONE, GapReason.CAMERA_DOWN])
def test_a_missing_segment_is_a_gap_and_playback_resumes_after_it(
    recorded_site: RecordedSite, start: Start, tmp_path: Path, reason: GapReason
) -> None:
    index, _root = _copy(recorded_site, tmp_path)
    try:
        removed = index.segments("cam-01", _at(recorded_site, 21), _at(recorded_site, 22))[0]
        assert index.remove([removed.pk]) == 1
        removed.path.unlink()
        if reason is not GapReason.NONE:  # the recorder logged why
            index.close_gap(index.open_gap("cam-01", removed.start, reason), removed.end)
        clock = ReplayClock(_at(recorded_site, 19.0), speed=4.0)
        source, kept = start(LocalFeed("cam-01", index), clock)
        wait_until(lambda: source.status.state is StreamState.GAP, 10, "le trou du segment")
        assert source.status.detail == reason.value
        assert source.latest() is None
        wait_until(
            lambda: (
                source.status.state is StreamState.PLAYING
                and kept.last_status() is not None
                and StreamState.GAP in kept.states()
            ),
            10,
            "la reprise après le trou",
        )
        hole = (removed.start.timestamp(), removed.end.timestamp())
        ats = [f.at for f in kept.frames_since(0) if f.at is not None]
        assert not [a for a in ats if hole[0] + 0.001 < a < hole[1] - 0.001]
        assert any(a < hole[0] for a in ats) and any(a >= hole[1] for a in ats)
    finally:
        index.close()


@pytest.mark.expected_logs("csu.replay")
@pytest.mark.parametrize("damage", ["ecrase", "tronque"])
def test_a_corrupt_segment_is_skipped_and_shown_as_unreadable(
    recorded_site: RecordedSite,
    start: Start,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    damage: str,
) -> None:
    index, _root = _copy(recorded_site, tmp_path)
    try:
        bad = index.segments("cam-02", _at(recorded_site, 21), _at(recorded_site, 22))[0]
        data = bad.path.read_bytes()
        if damage == "ecrase":
            bad.path.write_bytes(b"\x00garbage" * (len(data) // 8))
        else:
            bad.path.write_bytes(data[: len(data) * 2 // 5])
        clock = ReplayClock(_at(recorded_site, 18.5), speed=4.0)
        source, kept = start(LocalFeed("cam-02", index), clock)
        wait_until(lambda: source.status.state is StreamState.GAP, 10, "le segment illisible")
        assert source.status.detail == "segment illisible"
        assert source.latest() is None
        wait_until(
            lambda: (
                (f := source.latest()) is not None
                and f.at is not None
                and f.at >= bad.end.timestamp()
            ),
            10,
            "la lecture après le segment illisible",
        )
        assert source.status.state is StreamState.PLAYING
        warnings = [
            r for r in caplog.records if r.name == "csu.replay" and r.levelname == "WARNING"
        ]
        assert any(str(bad.path) in r.getMessage() for r in warnings)
        ats = [f.at for f in kept.frames_since(0) if f.at is not None]
        if damage == "ecrase":
            assert not [a for a in ats if bad.start.timestamp() + 0.001 < a < bad.end.timestamp()]
        assert (
            _proved(
                [f for f in kept.frames_since(0) if f.at and f.at >= bad.end.timestamp()][:8],
                recorded_site,
            )
            >= 1
        )
    finally:
        index.close()


def test_three_sources_on_one_clock_stay_in_step(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start
) -> None:
    clock = ReplayClock(_at(recorded_site, 12.0), playing=False)
    sources = [start(LocalFeed(cam, index), clock)[0] for cam in recorded_site.cameras]

    def in_step(tolerance: float) -> bool:
        pos = clock.position().timestamp()
        ats = [s.latest() for s in sources]
        if any(f is None or f.at is None for f in ats):
            return False
        times = [f.at for f in ats if f is not None and f.at is not None]
        return max(times) - min(times) <= tolerance and all(
            abs(t - pos) <= tolerance for t in times
        )

    wait_until(lambda: in_step(0.05), 10, "trois images à l'instant de l'horloge")
    clock.seek(_at(recorded_site, 41.3))
    wait_until(lambda: in_step(0.05), 10, "trois images après le saut")
    clock.seek(_at(recorded_site, 3.0))
    clock.set_speed(4.0)
    clock.play()
    wait_until(lambda: in_step(0.5), 10, "la lecture à 4×")
    samples = []
    for _ in range(20):
        threading.Event().wait(0.05)
        samples.append(in_step(0.5))
    assert sum(samples) >= 16, samples  # a loaded machine may miss a beat, not more


def test_pause_step_skip_and_speed_move_the_picture(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start
) -> None:
    clock = ReplayClock(_at(recorded_site, 12.0), playing=False)
    source, kept = start(LocalFeed("cam-03", index), clock)

    def shown() -> float:
        frame = source.latest()
        return -1.0 if frame is None or frame.at is None else frame.at

    def near(target: datetime, tolerance: float) -> Callable[[], bool]:
        return lambda: abs(shown() - target.timestamp()) <= tolerance

    wait_until(near(_at(recorded_site, 12.0), 0.041), 10, "l'image de 12 s")
    held, n = source.latest(), kept.count()
    threading.Event().wait(0.3)
    assert source.latest() is held and kept.count() == n  # paused: the picture holds
    before = shown()
    clock.step(1)
    wait_until(lambda: 0.02 < shown() - before < 0.06, 5, "une image plus loin")
    clock.step(-1)
    wait_until(lambda: abs(shown() - before) < 0.01, 5, "une image en arrière")
    clock.skip(10)
    wait_until(near(_at(recorded_site, 22.0), 1.0), 5, "+10 s")
    clock.skip(-10)
    wait_until(near(_at(recorded_site, 12.0), 1.0), 5, "-10 s")
    clock.set_speed(2.0)
    clock.play()
    wait_until(lambda: shown() > _at(recorded_site, 12.5).timestamp(), 5, "la lecture à 2×")
    t0, a0 = time.monotonic(), shown()
    threading.Event().wait(1.0)
    rate = (shown() - a0) / (time.monotonic() - t0)
    assert 1.4 < rate < 2.6, rate


def test_the_caller_never_waits_on_a_slow_feed(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start
) -> None:
    feed = SlowFeed(LocalFeed("cam-01", index))
    clock = ReplayClock(_at(recorded_site, 30.0))
    t0 = time.monotonic()
    source, kept = start(feed, clock)
    assert time.monotonic() - t0 < 0.1
    assert feed.opening.wait(5)  # the source's thread is inside open(), blocked
    t0 = time.monotonic()
    clock.seek(_at(recorded_site, 40.0))
    clock.skip(10)
    _ = source.status, source.latest()
    assert time.monotonic() - t0 < 0.1
    assert source.status.state is StreamState.CONNECTING
    feed.release.set()
    wait_until(lambda: kept.count() >= 1, 10, "une image une fois le disque revenu")
    frame = source.latest()
    assert frame is not None and frame.at is not None
    assert abs(frame.at - clock.position().timestamp()) < 1.0  # the last jump, not the first
    t0 = time.monotonic()
    source.stop()
    assert time.monotonic() - t0 < 0.1
    assert source.join(5.0)


@pytest.mark.expected_logs("csu.replay")
def test_an_unreachable_feed_is_lost_then_retried(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start
) -> None:
    feed = SlowFeed(LocalFeed("cam-02", index), failures=2)
    feed.release.set()
    clock = ReplayClock(_at(recorded_site, 30.0))
    health = HealthSettings(backoff_initial_s=0.05, backoff_max_s=0.2)
    source, kept = start(feed, clock, health)
    wait_until(lambda: source.status.state is StreamState.PLAYING, 10, "la reprise")
    lost = [s for s in kept.statuses if s.state is StreamState.LOST]
    assert [s.attempt for s in lost] == [1, 2]
    assert lost[0].detail == "enregistreur injoignable (test)"
    assert feed.opens == 3


def test_at_8x_a_stream_too_heavy_to_decode_skips_ahead_to_keep_up(
    recorded_site: RecordedSite, index: RecordingIndex, start: Start
) -> None:
    """Pictures that take 10 ms each come at 4× real time at most: at 8× the
    source drops frames and skips to the next keyframes instead of falling ever
    further behind (it would be 8 s behind after 2 s)."""
    feed = HeavyFeed(LocalFeed("cam-01", index), 0.01)
    clock = ReplayClock(_at(recorded_site, 5.0), speed=8.0)
    source, kept = start(feed, clock)
    wait_until(lambda: kept.count() >= 1, 10, "la première image")
    lags: list[float] = []
    for _ in range(30):
        threading.Event().wait(0.05)
        frame = source.latest()
        if frame is not None and frame.at is not None:
            lags.append(clock.position().timestamp() - frame.at)
    assert feed.opens > 3  # it skipped
    assert len(lags) >= 25 and sorted(lags)[len(lags) // 2] < 1.2, lags
    assert max(lags) < 3.0, lags


def test_segments_whose_timestamps_start_at_zero_replay_at_the_right_time(
    recorded_site: RecordedSite, start: Start, tmp_path: Path
) -> None:
    """FFmpeg may reset each segment's timestamps to 0 (``-reset_timestamps``, a
    remux): the time filmed comes from the index's start plus the offset in the
    file, proved by the QR code."""
    index, _root = _copy(recorded_site, tmp_path)
    try:
        for segment in index.segments("cam-03", recorded_site.origin, recorded_site.end):
            zero = segment.path.with_suffix(".zero.mkv")
            subprocess.run(
                ["ffmpeg", "-v", "error", "-y", "-i", str(segment.path), "-c", "copy", str(zero)],
                check=True,
                timeout=30,
            )
            zero.replace(segment.path)
        with av.open(str(segment.path)) as container:
            assert container.streams.video[0].start_time == 0
        requested = _at(recorded_site, 44.3)
        _source, kept = start(LocalFeed("cam-03", index), ReplayClock(requested))
        wait_until(lambda: kept.count() >= 6, 10, "des images")
        first = kept.frames_since(0)[0]
        assert first.at is not None and abs(first.at - requested.timestamp()) < 1.0
        assert _proved(kept.frames_since(0)[:6], recorded_site) >= 1
    finally:
        index.close()
