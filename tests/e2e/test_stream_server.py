"""The demo/test camera streams, played by a real decoder (OpenCV's FFmpeg).

RTSP from GStreamer's server (``rtsp_server.py`` under Debian's Python), UDP MPEG-TS
from ffmpeg. Frames are read as they come, with deadlines; nothing sleeps.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from support import CONFIG_DIR, wait_until

from csu_console.config.loader import load_site
from csu_console.config.schema import Camera
from csu_console.media.stream_server import control
from csu_console.media.stream_server.control import (
    PortInUseError,
    RtspServerProcess,
    StreamMount,
    StreamServerError,
    camera_on_port,
    mounts_for_cameras,
    rewrite_port,
    serve_cameras,
)
from csu_console.media.stream_server.udp import UdpTestStream

MakeServer = Callable[..., RtspServerProcess]
# What the console's OpenCV backend uses (SETUP_NOTES, "Video"): first frame in ~0.2 s.
TUNED_RTSP = "rtsp_transport;tcp|analyzeduration;0|probesize;32"


@pytest.fixture
def tuned_ffmpeg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", TUNED_RTSP)


@contextlib.contextmanager
def capture(url: str) -> Iterator[cv2.VideoCapture]:
    cap = cv2.VideoCapture(
        url,
        cv2.CAP_FFMPEG,
        [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 3000, cv2.CAP_PROP_READ_TIMEOUT_MSEC, 3000],
    )
    try:
        yield cap
    finally:
        cap.release()


def read_frame(cap: cv2.VideoCapture, timeout: float) -> np.ndarray:
    """The next decoded frame; a live stream may start with undecodable packets."""
    deadline = time.monotonic() + timeout
    while True:
        ok, frame = cap.read()
        if ok:
            return np.asarray(frame)
        if time.monotonic() > deadline:
            raise AssertionError(f"aucune image en {timeout} s")


def frames_apart(cap: cv2.VideoCapture, seconds: float) -> tuple[np.ndarray, np.ndarray]:
    """Two frames at least ``seconds`` apart, reading every frame in between."""
    first = read_frame(cap, 3.0)
    start = time.monotonic()
    while True:
        frame = read_frame(cap, 3.0)
        if time.monotonic() - start >= seconds:
            return first, frame
        assert time.monotonic() - start < seconds + 5, "le flux ne suit pas le temps réel"


def changed_pixels(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.count_nonzero(cv2.absdiff(a, b).max(axis=2) > 40))


@pytest.mark.parametrize(("mount", "size"), [("cam01", (640, 360)), ("cam01_hd", (1280, 720))])
def test_stream_plays_at_its_size_with_label_and_running_clock(
    rtsp_server: RtspServerProcess, tuned_ffmpeg: None, mount: str, size: tuple[int, int]
) -> None:
    width, height = size
    began = time.monotonic()
    with capture(rtsp_server.url(mount)) as cap:
        assert cap.isOpened()
        first = read_frame(cap, 3.0)
        assert time.monotonic() - began < 2.0  # tuned options: ~0.2 s here
        assert first.shape == (height, width, 3)
        label = first[: height // 8, : width // 3]
        assert np.count_nonzero(label.max(axis=2) > 200) > 100, "pas de nom en haut à gauche"
        a, b = frames_apart(cap, 1.05)
    clock = (slice(height - height // 8, height), slice(width // 2, width))
    assert changed_pixels(a[clock], b[clock]) > 20, "l'horloge ne tourne pas"


def test_four_streams_at_once(rtsp_server: RtspServerProcess, tuned_ffmpeg: None) -> None:
    with contextlib.ExitStack() as stack:
        caps = [stack.enter_context(capture(rtsp_server.url(f"cam0{i}"))) for i in range(1, 5)]
        frames = [read_frame(cap, 3.0) for cap in caps]
    assert all(f.shape == (360, 640, 3) for f in frames)


def test_unknown_mount_is_refused(rtsp_server: RtspServerProcess, tuned_ffmpeg: None) -> None:
    url = rtsp_server.url("cam01").replace("/cam01", "/nope")
    with capture(url) as cap:
        assert not cap.isOpened()
    with pytest.raises(KeyError):
        rtsp_server.url("nope")


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe absent (paquet ffmpeg)")
def test_one_keyframe_per_second_in_plain_4_2_0(rtsp_server: RtspServerProcess) -> None:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-select_streams", "v",
         "-read_intervals", "%+#60", "-show_entries", "frame=key_frame:stream=pix_fmt,profile",
         "-of", "json", rtsp_server.url("cam02")],
        capture_output=True, text=True, timeout=20, check=True,
    )  # fmt: skip
    probed = json.loads(out.stdout)
    # Not High 4:4:4, which x264enc makes when it is handed Y444 (many players refuse it).
    assert probed["streams"] == [{"profile": "Constrained Baseline", "pix_fmt": "yuv420p"}]
    keys = [i for i, f in enumerate(probed["frames"]) if f["key_frame"]]
    assert keys[0] == 0  # a new client starts on a keyframe
    assert len(keys) >= 2 and all(b - a == 25 for a, b in itertools.pairwise(keys))


def test_kill_then_restart_on_the_same_port(
    make_rtsp_server: MakeServer, tuned_ffmpeg: None
) -> None:
    server = make_rtsp_server([StreamMount("cam01", "Coupée")])
    url = server.url("cam01")
    with capture(url) as cap:
        read_frame(cap, 3.0)
        server.kill()
        wait_until(lambda: not cap.read()[0], 5.0, "le client voit la coupure")
    with capture(url) as cap:
        assert not cap.isOpened()
    server.restart()
    assert server.url("cam01") == url
    with capture(url) as cap:
        assert read_frame(cap, 3.0).shape == (360, 640, 3)


def test_auth_refuses_without_credentials(make_rtsp_server: MakeServer, tuned_ffmpeg: None) -> None:
    server = make_rtsp_server([StreamMount("cam01", "Privée")], auth=("csu", "s3cr:t/é"))
    with capture(server.url("cam01")) as cap:
        assert not cap.isOpened()
    with capture(server.url("cam01").replace("rtsp://", "rtsp://csu:faux@")) as cap:
        assert not cap.isOpened()
    with capture(server.url("cam01", credentials=True)) as cap:
        assert read_frame(cap, 3.0).shape == (360, 640, 3)


def test_udp_stream_decodes(udp_stream: UdpTestStream, monkeypatch: pytest.MonkeyPatch) -> None:
    # No tiny probe here: MPEG-TS carries no SDP, FFmpeg must see a keyframe to know
    # the size (with probesize 32, OpenCV opens at 0x0 and never decodes).
    monkeypatch.delenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", raising=False)
    assert udp_stream.url == f"udp://@127.0.0.1:{udp_stream.port}"
    with capture(udp_stream.ffmpeg_url) as cap:
        assert cap.isOpened()
        a, b = frames_apart(cap, 0.5)
    assert a.shape == (360, 640, 3)
    assert changed_pixels(a, b) > 100


def test_server_stops_when_its_parent_goes(make_rtsp_server: MakeServer) -> None:
    server = make_rtsp_server([StreamMount("cam01", "Orpheline")])
    server._close_stdin()  # what the OS does when the test process dies
    wait_until(lambda: not server.running, 5.0, "le serveur s'arrête seul")


def test_port_taken_is_reported(make_rtsp_server: MakeServer) -> None:
    first = make_rtsp_server([StreamMount("cam01", "A")])
    with pytest.raises(PortInUseError, match=f"port {first.port} déjà pris"):
        make_rtsp_server([StreamMount("cam01", "B")], port=first.port)


def test_bad_mount_name_is_reported(make_rtsp_server: MakeServer) -> None:
    with pytest.raises(StreamServerError, match="NAME=LABEL"):
        make_rtsp_server([StreamMount("a b", "espace")])


def test_missing_gi_says_what_to_install(
    make_rtsp_server: MakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The venv's Python has no gi, like a Debian Python without python3-gi.
    probe = [sys.executable, "-I", "-c", "import gi"]
    if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        pytest.skip("ce Python a gi")
    monkeypatch.setattr(control, "SYSTEM_PYTHON", sys.executable)
    with pytest.raises(StreamServerError, match="apt-get install python3-gi"):
        make_rtsp_server([StreamMount("cam01", "A")])


def test_missing_system_python(
    make_rtsp_server: MakeServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(control, "SYSTEM_PYTHON", str(tmp_path / "python3"))
    with pytest.raises(StreamServerError, match=r"introuvable.*apt-get install python3 "):
        make_rtsp_server([StreamMount("cam01", "A")])


def test_mounts_for_the_demo_site() -> None:
    cameras = load_site(CONFIG_DIR).cameras
    mounts = {m.name: m for m in mounts_for_cameras(cameras)}
    assert mounts["cam01"] == StreamMount("cam01", "CAM-01 Place de la Gare", 1280, 720)
    assert mounts["cam01_sub"] == StreamMount("cam01_sub", "CAM-01 Place de la Gare", 640, 360)
    expected = {c.stream_main for c in cameras} | {c.stream_sub for c in cameras if c.stream_sub}
    assert len(mounts) == len(expected)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("rtsp://127.0.0.1:8554/cam01", "rtsp://127.0.0.1:9000/cam01"),
        ("rtsp://localhost/live/cam01", "rtsp://localhost:9000/live/cam01"),
        ("rtsp://u:p@127.0.0.1:8554/cam01?x=1", "rtsp://u:p@127.0.0.1:9000/cam01?x=1"),
        ("rtsp://10.0.0.5:554/cam01", "rtsp://10.0.0.5:554/cam01"),  # a real camera
        ("udp://@127.0.0.1:5000", "udp://@127.0.0.1:5000"),
        ("http://127.0.0.1:8554/cam01", "http://127.0.0.1:8554/cam01"),
    ],
)
def test_rewrite_port(url: str, expected: str) -> None:
    assert rewrite_port(url, 9000) == expected


def test_serve_cameras_moves_to_a_free_port_when_taken(make_rtsp_server: MakeServer) -> None:
    squatter = make_rtsp_server([StreamMount("other", "Autre")])
    cam = Camera(
        id="cam-x", name="CAM-X Test", kind="fixe", lon=0.0, lat=0.0, heading_deg=0.0,
        fov_deg=60.0, range_m=50.0, stream_main=f"rtsp://127.0.0.1:{squatter.port}/camx",
        stream_sub=f"rtsp://127.0.0.1:{squatter.port}/camx_sub",
    )  # fmt: skip
    server, cams = serve_cameras([cam])
    try:
        assert server.port != squatter.port
        assert cams == [camera_on_port(cam, server.port)]
        assert [m.name for m in server.mounts] == ["camx", "camx_sub"]
    finally:
        server.close()


def test_the_burned_in_clock_is_in_the_sites_zone(tmp_path: Path) -> None:
    """Issue 14: the demo streams' clock showed the machine's time (UTC here) while
    the console shows the site's; the server runs with the site's ``TZ``, which
    GStreamer's clockoverlay follows (GLib's local time)."""
    log = tmp_path / "rtsp.log"
    with RtspServerProcess([StreamMount("cam01", "CAM-01")], log_path=log,
                           timezone="America/Martinique") as server:  # fmt: skip
        assert server.proc is not None
        environ = Path(f"/proc/{server.proc.pid}/environ").read_bytes().split(b"\0")
        assert b"TZ=America/Martinique" in environ
    text = log.read_text(encoding="utf-8")
    assert "horloge incrustée : America/Martinique (" in text and "UTC-0400" in text
    assert control.server_environment(None).get("TZ") == os.environ.get("TZ")
