"""The libVLC backend on the real UDP test stream (ffmpeg, MPEG-TS)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from support import wait_until

from csu_console.cli import main
from csu_console.media.stream_server.udp import UdpTestStream
from csu_console.media.video.source import (
    CameraSource,
    Frame,
    HealthSettings,
    PixelFormat,
    SourceStatus,
    StreamError,
    StreamState,
)
from csu_console.media.video.vlc_source import VlcSource


class Recorder:
    """Keeps the frames (the first 200) and statuses a source publishes."""

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.statuses: list[SourceStatus] = []

    def frame_ready(self, source: CameraSource) -> None:
        frame = source.latest()
        if frame is not None and len(self.frames) < 200:
            self.frames.append(frame)

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        self.statuses.append(status)


@pytest.fixture
def played(udp_stream: UdpTestStream) -> Iterator[tuple[VlcSource, Recorder]]:
    rec = Recorder()
    src = VlcSource(udp_stream.url, rec, HealthSettings())
    src.start()
    yield src, rec
    src.stop()
    assert src.join(5.0)


@pytest.mark.expected_logs("csu.media")
def test_libvlc_frames_change_have_the_visible_size_and_survive_a_drop(
    udp_stream: UdpTestStream, played: tuple[VlcSource, Recorder]
) -> None:
    source, rec = played
    wait_until(lambda: len(rec.frames) >= 1, 6.0, "première image libVLC")
    first = rec.frames[0]
    first_pixels = first.image.copy()
    # libVLC shows its first picture again while it buffers (~0.3 s): wait for motion
    wait_until(
        lambda: not np.array_equal(first.image, rec.frames[-1].image), 4.0, "une image qui change"
    )
    assert first.fmt is PixelFormat.BGRA32
    # the visible size, not libVLC's allocation size (640x386): nothing stretched
    assert first.image.shape == (360, 640, 4)
    assert first.image.flags["C_CONTIGUOUS"]
    assert first.image.ctypes.data % 32 == 0
    assert np.array_equal(first.image, first_pixels)  # a fresh buffer per frame
    status = source.status
    assert (status.state, status.width, status.height, status.codec) == (
        StreamState.PLAYING,
        640,
        360,
        "h264",
    )

    udp_stream.kill()
    cut = time.monotonic()
    wait_until(lambda: source.status.state is StreamState.LOST, 4.0, "LOST")
    assert source.status.since_mono - cut <= source.health.freeze_after_s + 0.5
    assert source.status.error is StreamError.TIMEOUT
    assert source.status.detail.startswith("plus rien reçu depuis")
    udp_stream.restart()
    wait_until(lambda: source.status.state is StreamState.PLAYING, 6.0, "PLAYING au retour")
    assert source.status.attempt == 0


def test_cli_probe_of_the_udp_stream(
    udp_stream: UdpTestStream, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["camera", "probe", udp_stream.url, "--timeout", "6"]) == 0
    out = capsys.readouterr().out
    assert "décodeur       : vlc (libVLC)" in out
    assert "résolution     : 640x360" in out
    assert "codec          : h264" in out


@pytest.mark.expected_logs("csu.media")
def test_a_still_picture_is_frozen(tmp_path: Path) -> None:
    """A camera stuck on one image: pictures keep being decoded, none differs."""
    still = tmp_path / "still.ts"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
         "-i", "color=c=gray:size=320x240:rate=25", "-t", "10",
         "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", str(still)],
        check=True, timeout=30,
    )  # fmt: skip
    health = HealthSettings(freeze_after_s=1.0)
    src = VlcSource(str(still), Recorder(), health)
    src.start()
    try:
        wait_until(lambda: src.status.state is StreamState.LOST, 6.0, "LOST")
        assert src.status.error is StreamError.FROZEN
        assert src.status.detail.startswith("image identique depuis")
        assert src.latest() is not None
        assert src.latest().seq == 1  # type: ignore[union-attr]
    finally:
        src.stop()
        assert src.join(5.0)
