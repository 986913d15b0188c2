"""The OpenCV source and the probe when a camera fails: real sockets of 127.0.0.1 (a
closed port, a silent server, a fake camera answering 401), real FFmpeg."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from fake_rtsp_camera import FakeRtspCamera, closed_port
from support import wait_until

from csu_console.cli import main
from csu_console.media.video.opencv_source import OpenCvSource
from csu_console.media.video.probe import ProbeError, probe
from csu_console.media.video.source import (
    CameraSource,
    HealthSettings,
    SourceStatus,
    StreamError,
    StreamState,
)

FAST = HealthSettings(open_timeout_s=1.0, read_timeout_s=1.0, freeze_after_s=1.5)
PASSWORD = "hunter2"


class Recorder:
    """Keeps every status a source publishes (from its thread)."""

    def __init__(self) -> None:
        self.statuses: list[SourceStatus] = []
        self.frames = threading.Event()

    def frame_ready(self, source: CameraSource) -> None:
        self.frames.set()

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        self.statuses.append(status)


@pytest.fixture
def silent() -> Iterator[FakeRtspCamera]:
    cam = FakeRtspCamera("silent")
    yield cam
    cam.close()


@pytest.mark.expected_logs("csu.media")
def test_refused_camera_is_lost_and_retried_with_backoff(caplog: pytest.LogCaptureFixture) -> None:
    url = f"rtsp://admin:{PASSWORD}@127.0.0.1:{closed_port()}/cam"
    rec = Recorder()
    source = OpenCvSource(url, rec, FAST)
    source.start()
    try:
        wait_until(lambda: source.status.attempt >= 2, 3.0, "deux essais")
    finally:
        began = time.monotonic()
        source.stop()
        assert time.monotonic() - began < 0.05
    assert source.join(2.0)
    lost = [s for s in rec.statuses if s.state is StreamState.LOST]
    assert {s.error for s in lost} == {StreamError.REFUSED}
    assert [s.next_retry_s for s in lost if s.next_retry_s][:2] == [0.5, 1.0]
    assert source.status.state is StreamState.STOPPED
    assert rec.frames.is_set() is False
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1  # once per outage, not at every retry
    assert "***@127.0.0.1" in warnings[0].getMessage()
    assert PASSWORD not in caplog.text
    assert all(PASSWORD not in s.detail for s in rec.statuses)


@pytest.mark.expected_logs("csu.media")
def test_silent_server_is_a_timeout_and_stop_does_not_wait_for_it(
    silent: FakeRtspCamera,
) -> None:
    rec = Recorder()
    source = OpenCvSource(silent.url(), rec, FAST)
    began = time.monotonic()
    source.start()
    wait_until(lambda: source.status.state is StreamState.LOST, 3.0, "LOST")
    assert time.monotonic() - began <= FAST.open_timeout_s + 0.7
    assert source.status.error is StreamError.TIMEOUT
    assert "pas de réponse" in source.status.detail
    wait_until(lambda: source.status.next_retry_s is None, 2.0, "second essai en cours")
    began = time.monotonic()
    source.stop()  # while FFmpeg blocks in its open
    assert time.monotonic() - began < 0.05
    assert source.join(FAST.open_timeout_s + 1.0)


@pytest.mark.expected_logs("csu.media")
def test_401_shows_the_same_words_as_the_probe() -> None:
    cam = FakeRtspCamera("digest")
    rec = Recorder()
    source = OpenCvSource(cam.url(), rec, FAST)
    try:
        source.start()
        wait_until(lambda: source.status.state is StreamState.LOST, 3.0, "LOST")
        assert source.status.error is StreamError.UNAUTHORIZED
        assert source.status.detail == "identifiants requis (401 Unauthorized)"
        with pytest.raises(ProbeError) as caught:
            probe(cam.url(), timeout_s=1.0)
        assert (caught.value.error, caught.value.detail) == (
            source.status.error,
            source.status.detail,
        )
    finally:
        source.stop()
        assert source.join(2.0)
        cam.close()


def test_probe_of_a_silent_server_ends_within_its_timeout(silent: FakeRtspCamera) -> None:
    began = time.monotonic()
    with pytest.raises(ProbeError) as caught:
        probe(silent.url(), timeout_s=1.0)
    assert time.monotonic() - began <= 1.0 + 0.5
    assert caught.value.error is StreamError.TIMEOUT


def test_cli_probe_failure_is_classified_without_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"rtsp://admin:{PASSWORD}@127.0.0.1:{closed_port()}/cam"
    assert main(["camera", "probe", url, "--timeout", "1"]) == 1
    out, err = capsys.readouterr()
    assert "échec          : refusé" in err
    assert "connexion refusée par 127.0.0.1:" in err
    assert "rtsp://***@127.0.0.1:" in err
    assert PASSWORD not in out + err


@pytest.mark.parametrize("timeout", ["0", "-1", "abc", "601"])
def test_cli_probe_rejects_a_bad_timeout(timeout: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["camera", "probe", "rtsp://127.0.0.1/x", "--timeout", timeout])
    assert caught.value.code == 2
    assert "durée en secondes attendue" in capsys.readouterr().err
