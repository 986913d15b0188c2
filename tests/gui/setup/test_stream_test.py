"""« Tester le flux » against the real RTSP test server, a closed port and a server
that accepts the connection and never answers: figures or a clear error, in 5 s."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from csu_console.media.stream_server.control import RtspServerProcess
from csu_console.media.video.probe import ProbeError, ProbeResult
from csu_console.ui.setup.window import SetupWindow

ANSWER_WITHIN_S = 5.0


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP port of 127.0.0.1 that accepts connections and never says a word."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)  # kept open, never read nor written

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2.0)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A port of 127.0.0.1 where nobody listens (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_test(qtbot: QtBot, window: SetupWindow, url: str) -> tuple[object, float]:
    """Point cam-01 at ``url``, press « Tester le flux », wait for the answer."""
    window.model.update_camera("cam-01", stream_main=url)
    window.model.select_camera("cam-01")
    window.tabs.setCurrentWidget(window.camera_form)
    began = time.monotonic()
    with qtbot.waitSignal(window.tester.finished, timeout=8_000) as blocker:
        window.camera_form.test_button.click()
        assert window.camera_form.test_label.text() == "Test en cours…"
        assert not window.camera_form.test_button.isEnabled()  # the GUI did not block
    elapsed = time.monotonic() - began
    assert blocker.args is not None
    assert window.camera_form.test_button.isEnabled()
    return blocker.args[0], elapsed


def test_stream_ok_shows_figures_and_the_picture(
    qtbot: QtBot, window: SetupWindow, rtsp_server: RtspServerProcess
) -> None:
    outcome, elapsed = run_test(qtbot, window, rtsp_server.url("cam02"))
    assert elapsed < ANSWER_WITHIN_S
    assert isinstance(outcome, ProbeResult), outcome
    assert (outcome.width, outcome.height) == (640, 360)
    assert 0 < outcome.time_to_first_frame_s < ANSWER_WITHIN_S
    text = window.camera_form.test_label.text()
    assert text.startswith("Flux OK")
    assert "640×360" in text and "h264" in text.lower()
    assert f"{outcome.time_to_first_frame_s:.2f} s" in text
    # The live picture in the tile, from the same stream.
    tile = window.tester.tile
    qtbot.waitUntil(lambda: tile.current_frame() is not None, timeout=5_000)
    frame = tile.current_frame()
    assert frame is not None and (frame.width, frame.height) == (640, 360)
    qtbot.waitUntil(lambda: tile.frames_painted > 0, timeout=3_000)
    # Another camera selected: the picture stops.
    window.model.select_camera("cam-02")
    assert window.tester.preview is None and tile.camera is None


@pytest.mark.expected_logs("csu.media")
def test_closed_port_is_refused_quickly(
    qtbot: QtBot, window: SetupWindow, closed_port: int
) -> None:
    outcome, elapsed = run_test(qtbot, window, f"rtsp://127.0.0.1:{closed_port}/cam01")
    assert isinstance(outcome, ProbeError)
    assert outcome.error.value == "refusé"
    assert elapsed < ANSWER_WITHIN_S
    text = window.camera_form.test_label.text()
    assert text.startswith("Échec") and "REFUSÉ" in text
    assert window.tester.preview is None


@pytest.mark.expected_logs("csu.media")
def test_silent_server_times_out_within_5_s(
    qtbot: QtBot, window: SetupWindow, silent_port: int
) -> None:
    outcome, elapsed = run_test(qtbot, window, f"rtsp://127.0.0.1:{silent_port}/cam01")
    assert isinstance(outcome, ProbeError)
    assert outcome.error.value == "délai dépassé"
    assert elapsed < ANSWER_WITHIN_S
    assert "DÉLAI DÉPASSÉ" in window.camera_form.test_label.text()
