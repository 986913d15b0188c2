"""NVR replay over RTSP: the real GStreamer RTSP server plays a recorded file as an
NVR does (start time in the URL, ``Range: npt=``), PyAV decodes, and each frame's QR
timecode says when it was filmed: the replay's times are checked against it."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import av
import pytest
from support import NvrSite, wait_until

from csu_console.core.recording import Gap, GapReason
from csu_console.media.replay.nvr import NvrFeed, replay_url
from csu_console.media.replay.source import RecordedFrame, ReplayError
from csu_console.media.stream_server.control import RecordingMount, RtspServerProcess
from csu_console.media.stream_server.timecode import read_timecode


def first_frames(feed: NvrFeed, at: datetime, count: int = 12) -> list[RecordedFrame]:
    frames = feed.open(at)
    got: list[RecordedFrame] = []
    try:
        for item in frames:
            assert isinstance(item, RecordedFrame), item
            got.append(item)
            if len(got) >= count:
                break
    finally:
        frames.close()
    return got


def filmed(frames: list[RecordedFrame], t0: float) -> Iterator[tuple[float, float]]:
    """(time the replay says, time the QR code says) of the frames whose code reads."""
    for frame in frames:
        code = read_timecode(frame.image)
        if code is not None:
            yield frame.at, code.unix(t0)


@pytest.mark.parametrize("seconds", [12, 41])
def test_replay_nvr_starttime_lands_on_the_requested_time(
    nvr_server: NvrSite, seconds: int
) -> None:
    feed = NvrFeed("nvr-cam", nvr_server.template())
    at = nvr_server.origin + timedelta(seconds=seconds)
    frames = first_frames(feed, at)
    pairs = list(filmed(frames, nvr_server.origin.timestamp()))
    assert len(pairs) >= 6, "QR timecodes unreadable"
    said, truth = pairs[0]
    assert abs(truth - at.timestamp()) <= 1.0, truth - at.timestamp()
    assert abs(said - truth) <= 1.0
    assert frames[0].at == at.timestamp()
    assert frames[0].image.shape == (360, 640, 3)
    for said, truth in pairs:  # the frames that follow keep their times
        assert abs(said - truth) <= 1.0


def test_replay_nvr_dahua_form(nvr_server: NvrSite) -> None:
    template = nvr_server.server.url(nvr_server.dahua) + (
        "?channel=1&subtype=0&starttime={start:%Y_%m_%d_%H_%M_%S}"
    )
    at = nvr_server.origin + timedelta(seconds=33)
    assert "starttime=" + at.strftime("%Y_%m_%d_%H_%M_%S") in replay_url(template, at)
    pairs = list(
        filmed(first_frames(NvrFeed("nvr-cam", template), at), nvr_server.origin.timestamp())
    )
    assert pairs and abs(pairs[0][1] - at.timestamp()) <= 1.0


def test_replay_nvr_keyframe_before_the_requested_time(nvr_server: NvrSite) -> None:
    """Keyframes half a second off the whole second: the NVR starts at the one before,
    so the frames are filmed up to one keyframe interval (here 0.5 s) earlier than the
    replay says (documented in ``nvr.py``)."""
    t0 = nvr_server.origin.timestamp() + 0.5
    at = nvr_server.origin + timedelta(seconds=20)
    pairs = list(
        filmed(first_frames(NvrFeed("nvr-cam", nvr_server.template(nvr_server.half)), at), t0)
    )
    assert pairs
    said, truth = pairs[0]
    assert -1.0 <= truth - said < -0.25, truth - said  # measured: -0.5 s


def test_replay_nvr_npt_seek_lands_within_a_second(nvr_server: NvrSite) -> None:
    url = nvr_server.server.url(nvr_server.mount)
    t0 = nvr_server.origin.timestamp()
    for target in (7.0, 48.0):
        with av.open(url, options={"rtsp_transport": "tcp", "timeout": "5000000"}, timeout=5) as c:
            c.seek(int(target * 1e6))
            for frame in c.decode(c.streams.video[0]):
                code = read_timecode(frame.to_ndarray(format="bgr24"))
                if code is not None:
                    break
            assert code is not None
            assert abs(code.unix(t0) - (t0 + target)) <= 1.0


def test_replay_nvr_npt_seek_counts_from_the_start_time(nvr_server: NvrSite) -> None:
    at = nvr_server.origin + timedelta(seconds=10)
    url = replay_url(nvr_server.template(), at)
    with av.open(url, options={"rtsp_transport": "tcp", "timeout": "5000000"}, timeout=5) as c:
        c.seek(int(25 * 1e6))
        frame = next(iter(c.decode(c.streams.video[0])))
        code = read_timecode(frame.to_ndarray(format="bgr24"))
    assert code is not None and abs(code.timestamp_s - 35.0) <= 1.0


def test_replay_nvr_past_the_recording_is_a_gap(nvr_server: NvrSite) -> None:
    feed = NvrFeed("nvr-cam", nvr_server.template(), gap_s=7)
    at = nvr_server.origin + timedelta(seconds=nvr_server.seconds + 30)
    frames = feed.open(at)
    items = list(frames)
    frames.close()
    assert items == [Gap(at, at + timedelta(seconds=7), GapReason.NONE)]


def test_replay_nvr_end_of_recording_ends_with_a_gap(nvr_server: NvrSite) -> None:
    feed = NvrFeed("nvr-cam", nvr_server.template(), read_timeout_s=3)
    at = nvr_server.origin + timedelta(seconds=nvr_server.seconds - 2)
    frames = feed.open(at)
    items = list(frames)
    frames.close()
    assert isinstance(items[-1], Gap) and items[-1].reason is GapReason.NONE
    pictures = [i for i in items if isinstance(i, RecordedFrame)]
    assert 30 <= len(pictures) <= 60  # the last 2 s at 25 fps
    assert (
        abs(items[-1].start.timestamp() - nvr_server.origin.timestamp() - nvr_server.seconds) <= 1
    )


@pytest.mark.expected_logs("csu.replay")
def test_replay_nvr_refused_is_a_french_error_at_once() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    feed = NvrFeed("cam-07", f"rtsp://admin:s3cret@127.0.0.1:{port}/x?starttime={{start}}")
    began = time.monotonic()
    with pytest.raises(ReplayError, match="NVR injoignable") as info:
        feed.open(datetime.now().astimezone())
    assert time.monotonic() - began < 3
    assert "s3cret" not in str(info.value) and "admin" not in str(info.value)


@pytest.mark.expected_logs("csu.replay")
def test_replay_nvr_silent_nvr_times_out(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as server:  # accepts connections, never answers
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        feed = NvrFeed(
            "cam-07",
            f"rtsp://admin:s3cret@127.0.0.1:{port}/x?starttime={{start}}",
            open_timeout_s=2,
        )
        began = time.monotonic()
        with pytest.raises(ReplayError, match="injoignable"):
            feed.open(datetime.now().astimezone())
        took = time.monotonic() - began
    assert 1.5 <= took < 6, took
    assert "s3cret" not in caplog.text


@pytest.mark.expected_logs("csu.replay")
def test_replay_nvr_credentials(nvr_server: NvrSite, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="csu")
    user, password = "opérateur", "p@ss w/rd"
    mount = RecordingMount("Streaming/tracks/101", nvr_server.file, nvr_server.origin.timestamp())
    with RtspServerProcess([], auth=(user, password), recordings=[mount]) as server:
        good = server.url(mount, credentials=True) + "?starttime={start:%Y%m%dT%H%M%SZ}"
        at = nvr_server.origin + timedelta(seconds=30)
        pairs = list(
            filmed(first_frames(NvrFeed("cam-01", good), at, 4), nvr_server.origin.timestamp())
        )
        assert pairs and abs(pairs[0][1] - at.timestamp()) <= 1.0
        bad = good.replace("p%40ss", "pass")
        assert bad != good
        with pytest.raises(ReplayError, match="identifiants") as info:
            NvrFeed("cam-01", bad).open(at)
        with pytest.raises(ReplayError, match="identifiants"):
            NvrFeed("cam-01", server.url(mount) + "?starttime={start}").open(at)
    for text in (str(info.value), caplog.text, repr(NvrFeed("cam-01", bad))):
        assert "p@ss" not in text and "p%40ss" not in text and "w%2Frd" not in text
        assert "pass%20w" not in text


@pytest.fixture
def private_nvr(nvr_server: NvrSite) -> Iterator[tuple[RtspServerProcess, str]]:
    """A private NVR on the session's recording (this test may freeze or kill it)."""
    mount = RecordingMount(nvr_server.mount, nvr_server.file, nvr_server.origin.timestamp())
    server = RtspServerProcess([], recordings=[mount]).start()
    try:
        yield server, server.url(mount) + "?starttime={start}"
    finally:
        if server.proc is not None and server.running:
            os.kill(server.proc.pid, signal.SIGCONT)
        server.close()


def test_replay_nvr_silence_is_a_gap(
    nvr_server: NvrSite, private_nvr: tuple[RtspServerProcess, str]
) -> None:
    server, template = private_nvr
    feed = NvrFeed("nvr-cam", template, read_timeout_s=2, gap_s=5)
    at = nvr_server.origin + timedelta(seconds=10)
    frames = feed.open(at)
    items = iter(frames)
    seen = [next(items) for _ in range(5)]
    assert all(isinstance(i, RecordedFrame) for i in seen)
    assert server.proc is not None
    os.kill(server.proc.pid, signal.SIGSTOP)  # the NVR hangs: nothing more comes
    began = time.monotonic()
    rest = list(items)  # frames already in the socket, then the gap
    took = time.monotonic() - began
    frames.close()
    assert isinstance(rest[-1], Gap) and rest[-1].reason is GapReason.NONE
    assert 1.5 <= took < 8, took
    last = [i for i in [*seen, *rest] if isinstance(i, RecordedFrame)][-1]
    assert abs(rest[-1].start.timestamp() - last.at) <= 0.1
    assert rest[-1].end - rest[-1].start == timedelta(seconds=5)


def test_replay_nvr_close_from_another_thread_while_reading(
    nvr_server: NvrSite, private_nvr: tuple[RtspServerProcess, str]
) -> None:
    server, template = private_nvr
    feed = NvrFeed("nvr-cam", template, read_timeout_s=2)
    frames = feed.open(nvr_server.origin + timedelta(seconds=10))
    got: list[RecordedFrame | Gap] = []
    ended = threading.Event()

    def read() -> None:
        for item in frames:
            got.append(item)
        ended.set()

    assert server.proc is not None
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    wait_until(lambda: len(got) >= 3, 10, "premières images")
    os.kill(server.proc.pid, signal.SIGSTOP)  # the reader blocks in FFmpeg
    wait_until(lambda: frames._busy, 5, "FFmpeg occupé à lire")
    frames.close()  # from this thread, while FFmpeg reads on the other: deferred
    assert ended.wait(6)
    assert not any(isinstance(i, Gap) for i in got)  # closed: no gap said
    assert frames._container is None  # released by the reader
