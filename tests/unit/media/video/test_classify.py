"""Failure classification against real sockets of 127.0.0.1: a closed port, a silent
server, and a fake camera (see ``fake_rtsp_camera``) for 401, 404 and worse."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_rtsp_camera import FakeRtspCamera, closed_port

from csu_console.media.video.classify import check_reachable, diagnose, network_target
from csu_console.media.video.source import StreamError

TIMEOUT_S = 0.6
MARGIN_S = 0.4


@pytest.fixture
def camera(request: pytest.FixtureRequest) -> Iterator[FakeRtspCamera]:
    cam = FakeRtspCamera(request.param)
    yield cam
    cam.close()


def test_closed_port_is_refused() -> None:
    url = f"rtsp://127.0.0.1:{closed_port()}/cam"
    for check in (check_reachable, diagnose):
        found = check(url, TIMEOUT_S)
        assert found is not None
        assert found.error is StreamError.REFUSED
        assert "connexion refusée" in found.detail


@pytest.mark.parametrize("camera", ["silent"], indirect=True)
def test_silent_server_times_out_within_the_deadline(camera: FakeRtspCamera) -> None:
    assert check_reachable(camera.url(), TIMEOUT_S) is None  # it does accept
    began = time.monotonic()
    found = diagnose(camera.url(), TIMEOUT_S)
    elapsed = time.monotonic() - began
    assert found is not None
    assert found.error is StreamError.TIMEOUT
    assert "ne répond pas" in found.detail
    assert TIMEOUT_S * 0.9 <= elapsed <= TIMEOUT_S + MARGIN_S


@pytest.mark.parametrize("camera", ["digest"], indirect=True)
def test_401_without_credentials_asks_for_them(camera: FakeRtspCamera) -> None:
    found = diagnose(camera.url(), TIMEOUT_S)
    assert found is not None
    assert found.error is StreamError.UNAUTHORIZED
    assert found.detail == "identifiants requis (401 Unauthorized)"


@pytest.mark.parametrize("camera", ["digest"], indirect=True)
def test_digest_answer_with_the_right_password_passes(camera: FakeRtspCamera) -> None:
    assert diagnose(camera.url(userinfo="admin:secret"), TIMEOUT_S) is None
    assert [r.split(" ")[0] for r in camera.requests] == ["DESCRIBE", "DESCRIBE"]


@pytest.mark.parametrize("camera", ["digest"], indirect=True)
def test_wrong_password_is_refused_and_not_leaked(camera: FakeRtspCamera) -> None:
    found = diagnose(camera.url(userinfo="admin:hunter2"), TIMEOUT_S)
    assert found is not None
    assert found.error is StreamError.UNAUTHORIZED
    assert found.detail == "identifiants refusés (401 Unauthorized)"
    assert "hunter2" not in found.detail
    assert "hunter2" not in " ".join(camera.requests)  # Digest: never sent in clear


@pytest.mark.parametrize(
    ("camera", "error", "words"),
    [
        ("404", StreamError.NO_VIDEO, "flux introuvable (404 Not Found)"),
        ("no-video", StreamError.NO_VIDEO, "aucune piste vidéo"),
        ("garbage", StreamError.OTHER, "pas un serveur RTSP"),
        ("close", StreamError.OTHER, "connexion fermée sans réponse"),
    ],
    indirect=["camera"],
)
def test_bad_answers(camera: FakeRtspCamera, error: StreamError, words: str) -> None:
    found = diagnose(camera.url(), TIMEOUT_S)
    assert found is not None
    assert found.error is error
    assert words in found.detail


def test_unknown_host() -> None:
    found = diagnose("rtsp://user:pw@camera.invalid/stream", TIMEOUT_S)
    assert found is not None
    if found.error is StreamError.TIMEOUT:
        pytest.skip("résolveur DNS injoignable sur cette machine")
    assert found.error is StreamError.UNKNOWN_HOST
    assert found.detail.startswith("camera.invalid")


def test_missing_file_has_no_video(tmp_path: Path) -> None:
    found = diagnose(str(tmp_path / "absent.ts"), TIMEOUT_S)
    assert found is not None
    assert found.error is StreamError.NO_VIDEO
    assert "fichier introuvable" in found.detail


@pytest.mark.parametrize("url", ["udp://@239.1.1.1:1234", "rtp://@:5004"])
def test_listeners_have_nothing_to_ask(url: str) -> None:
    assert diagnose(url, TIMEOUT_S) is None


@pytest.mark.parametrize(
    ("url", "host", "port", "uri", "user", "password"),
    [
        ("rtsp://cam/x", "cam", 554, "rtsp://cam/x", None, None),
        ("rtsp://a:b%40c@cam:8554/x?ch=1", "cam", 8554, "rtsp://cam:8554/x?ch=1", "a", "b@c"),
        ("rtsps://[::1]/s", "::1", 322, "rtsps://[::1]/s", None, None),
        ("http://u@cam/mjpg", "cam", 80, "http://cam/mjpg", "u", None),
    ],
)
def test_network_target(
    url: str, host: str, port: int, uri: str, user: str | None, password: str | None
) -> None:
    target = network_target(url)
    assert target is not None
    assert (target.host, target.port, target.request_uri) == (host, port, uri)
    assert (target.user, target.password) == (user, password)
