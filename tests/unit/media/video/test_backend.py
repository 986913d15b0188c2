"""Which decoder plays which URL, and libVLC's RTSP detection."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from csu_console.media.video import backend
from csu_console.media.video.backend import choose_backend, libvlc_supports_rtsp
from csu_console.media.video.opencv_source import OpenCvSource
from csu_console.media.video.source import CameraSource, SourceStatus
from csu_console.media.video.vlc_source import VlcSource

NO_RTSP = "libVLC sans client RTSP : les flux rtsp:// passent par FFmpeg/OpenCV"


class _Ignore:
    def frame_ready(self, source: CameraSource) -> None:
        pass

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        pass


@pytest.fixture
def fresh_detection(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("VLC_PLUGIN_PATH", raising=False)
    libvlc_supports_rtsp.cache_clear()
    yield
    libvlc_supports_rtsp.cache_clear()


def test_this_machines_libvlc_has_no_rtsp_and_says_so_once(
    fresh_detection: None, caplog: pytest.LogCaptureFixture
) -> None:
    """Debian 12's libVLC is built without live555 (SETUP_NOTES, "Video")."""
    assert libvlc_supports_rtsp() is False
    assert libvlc_supports_rtsp() is False
    said = [r for r in caplog.records if r.name == "csu.media" and r.getMessage() == NO_RTSP]
    assert len(said) == 1
    assert said[0].levelno == logging.INFO


def test_a_live555_plugin_is_found(
    fresh_detection: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin directory laid out like VLC's, with an (empty) live555 plugin file."""
    (tmp_path / "demux").mkdir()
    (tmp_path / "demux" / "liblive555_plugin.so").write_bytes(b"")
    monkeypatch.setenv("VLC_PLUGIN_PATH", str(tmp_path))
    assert libvlc_supports_rtsp() is True


@pytest.mark.parametrize(
    ("url", "prefer", "expected"),
    [
        ("rtsp://cam/1", "auto", "opencv"),
        ("rtsps://cam/1", "auto", "opencv"),
        ("RTSP://cam/1", "vlc", "opencv"),  # no RTSP client in this libVLC
        ("rtsp://cam/1", "opencv", "opencv"),
        ("udp://@239.0.0.1:1234", "auto", "vlc"),
        ("rtp://@:5004", "auto", "vlc"),
        ("http://cam/mjpg", "auto", "vlc"),
        ("https://cam/live.ts", "vlc", "vlc"),
        ("/srv/videos/cam1.mp4", "auto", "vlc"),
        ("udp://@239.0.0.1:1234", "opencv", "opencv"),
    ],
)
def test_choose_backend(fresh_detection: None, url: str, prefer: str, expected: str) -> None:
    assert choose_backend(url, prefer) == expected  # type: ignore[arg-type]


def test_create_source_builds_the_chosen_backend(fresh_detection: None) -> None:
    rtsp = backend.create_source("rtsp://cam/1", _Ignore())
    udp = backend.create_source("udp://@239.0.0.1:1234", _Ignore())
    assert isinstance(rtsp, OpenCvSource)
    assert isinstance(udp, VlcSource)
    assert (rtsp.backend, udp.backend) == ("opencv", "vlc")
