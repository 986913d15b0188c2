"""The OpenCV (FFmpeg) backend and the probe against the real RTSP test server."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from support import wait_until

from csu_console.cli import main
from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.media.video.opencv_source import OpenCvSource
from csu_console.media.video.probe import ProbeError, probe
from csu_console.media.video.source import (
    CameraSource,
    Frame,
    HealthSettings,
    PixelFormat,
    SourceStatus,
    StreamError,
    StreamState,
)
from csu_console.media.video.wire import CLOSED

MakeServer = Callable[..., RtspServerProcess]


class Recorder:
    """Keeps the frames (up to ``keep``) and statuses a source publishes."""

    def __init__(self, keep: int = 200) -> None:
        self.frames: list[Frame] = []
        self.statuses: list[SourceStatus] = []
        self.keep = keep
        self.changed = threading.Event()

    def frame_ready(self, source: CameraSource) -> None:
        frame = source.latest()
        if frame is not None and len(self.frames) < self.keep:
            self.frames.append(frame)

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        self.statuses.append(status)


@pytest.fixture
def started() -> Iterator[Callable[[OpenCvSource], OpenCvSource]]:
    sources: list[OpenCvSource] = []

    def start(source: OpenCvSource) -> OpenCvSource:
        sources.append(source)
        source.start()
        return source

    yield start
    for source in sources:
        source.stop()
    for source in sources:
        assert source.join(3.0)


def test_frames_are_new_pictures_that_change(
    rtsp_server: RtspServerProcess, started: Callable[[OpenCvSource], OpenCvSource]
) -> None:
    rec = Recorder()
    source = started(OpenCvSource(rtsp_server.url("cam02"), rec))
    wait_until(lambda: len(rec.frames) >= 1, 5.0, "première image")
    first = rec.frames[0]
    first_pixels = first.image.copy()
    wait_until(lambda: rec.frames[-1].mono - first.mono >= 0.6, 5.0, "0,6 s d'images")
    last = rec.frames[-1]
    assert first.fmt is PixelFormat.BGR24
    assert first.image.shape == (360, 640, 3)
    assert first.image.flags["C_CONTIGUOUS"]
    assert not np.array_equal(first.image, last.image)  # moving ball, running clock
    assert np.array_equal(first.image, first_pixels)  # never written again
    seqs = [f.seq for f in rec.frames]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    status = source.status
    assert (status.state, status.error, status.attempt) == (StreamState.PLAYING, None, 0)
    assert (status.width, status.height, status.codec) == (640, 360, "h264")
    assert status.last_frame_mono is not None


@pytest.mark.expected_logs("csu.media")
def test_camera_drop_is_lost_within_seconds_and_comes_back(
    make_rtsp_server: MakeServer, started: Callable[[OpenCvSource], OpenCvSource]
) -> None:
    server = make_rtsp_server([StreamMount("cam09", "CAM-09 Coupure")])
    rec = Recorder(keep=10_000)
    source = started(OpenCvSource(server.url("cam09"), rec, HealthSettings()))
    wait_until(lambda: source.status.state is StreamState.PLAYING, 5.0, "PLAYING")
    seq_before = source.latest().seq  # type: ignore[union-attr]
    killed = time.monotonic()
    server.kill()
    wait_until(lambda: source.status.state is StreamState.LOST, 3.5, "LOST après la coupure")
    lost = source.status
    assert lost.since_mono - killed <= source.health.freeze_after_s
    # FFmpeg saw the end; the check of why finds the port closed, or (when it ran
    # while the killed server's sockets were still being torn down) a connection
    # closed without an answer: either way the camera is gone, and said so.
    assert lost.error is StreamError.REFUSED or (
        lost.error is StreamError.OTHER and CLOSED in lost.detail
    ), lost
    assert lost.attempt >= 1 and lost.next_retry_s is not None
    server.restart()
    wait_until(lambda: source.status.state is StreamState.PLAYING, 5.0, "PLAYING au retour")
    back = source.status
    assert (back.error, back.attempt, back.next_retry_s) == (None, 0, None)
    assert source.latest().seq > seq_before  # type: ignore[union-attr]
    states = [s.state for s in rec.statuses]
    assert states[states.index(StreamState.LOST) :].count(StreamState.PLAYING) == 1


@pytest.mark.expected_logs("csu.media")
def test_a_stalled_camera_is_lost_after_the_read_timeout(
    make_rtsp_server: MakeServer, started: Callable[[OpenCvSource], OpenCvSource]
) -> None:
    """SIGSTOP: the connection stays open but nothing comes (a cut cable, a hung camera)."""
    server = make_rtsp_server([StreamMount("cam10", "CAM-10 Gel")])
    health = HealthSettings()
    source = started(OpenCvSource(server.url("cam10"), Recorder(), health))
    wait_until(lambda: source.status.state is StreamState.PLAYING, 5.0, "PLAYING")
    assert server.proc is not None
    server.proc.send_signal(signal.SIGSTOP)
    try:
        stalled = time.monotonic()
        wait_until(lambda: source.status.state is StreamState.LOST, 4.0, "LOST")
        assert source.status.since_mono - stalled <= health.freeze_after_s + 0.2
        assert source.status.error is StreamError.TIMEOUT
        assert source.status.detail.startswith("aucune image en 2.")
    finally:
        server.proc.send_signal(signal.SIGCONT)
    wait_until(lambda: source.status.state is StreamState.PLAYING, 5.0, "PLAYING au retour")


def test_cli_probe_of_a_good_mount(
    rtsp_server: RtspServerProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["camera", "probe", rtsp_server.url("cam01_hd"), "--timeout", "5"]) == 0
    out = capsys.readouterr().out
    assert "décodeur       : opencv (FFmpeg)" in out
    assert "résolution     : 1280x720" in out
    assert "codec          : h264" in out
    first = float(out.split("première image : ")[1].split(" s")[0])
    assert 0 < first < 5


@pytest.mark.expected_logs("csu.media")
def test_credentials_against_a_real_server(
    make_rtsp_server: MakeServer, started: Callable[[OpenCvSource], OpenCvSource]
) -> None:
    server = make_rtsp_server([StreamMount("cam05", "CAM-05 Privée")], auth=("admin", "s3cret"))
    with pytest.raises(ProbeError) as caught:
        probe(server.url("cam05"), timeout_s=3.0)
    assert caught.value.error is StreamError.UNAUTHORIZED
    assert caught.value.detail.startswith("identifiants requis (401")
    good = probe(server.url("cam05", credentials=True), timeout_s=5.0)
    assert (good.width, good.height, good.codec) == (640, 360, "h264")
    assert good.url.startswith("rtsp://***@127.0.0.1:")
    wrong = server.url("cam05").replace("rtsp://", "rtsp://admin:faux@")
    source = started(OpenCvSource(wrong, Recorder(), HealthSettings(open_timeout_s=2.0)))
    wait_until(lambda: source.status.state is StreamState.LOST, 4.0, "LOST")
    assert source.status.error is StreamError.UNAUTHORIZED
    assert source.status.detail.startswith("identifiants refusés (401")
