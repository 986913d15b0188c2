"""``csu-recorder run`` as a real process on a site's cameras: segments indexed,
``csu-recorder status`` readable while it runs (a camera down shown as such), and
SIGTERM stops every FFmpeg cleanly, files the last segments and closes the gaps."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support import CONFIG_DIR, REPO_DIR, wait_until

from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.status import read_status

AGES_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_DIR), env.get("PYTHONPATH", "")])
    return env


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """The demo site recording cam-01 and cam-02 in 2-s segments."""
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    with open(config / "site.toml", "a", encoding="utf-8") as f:
        f.write('\n[recorder]\nsegment_s = 2\nrecord = ["cam-01", "cam-02"]\nmin_free_gb = 0\n')
    return config


@pytest.fixture
def recorder(
    site_dir: Path, tmp_path: Path, make_rtsp_server: Callable[..., RtspServerProcess]
) -> Iterator[tuple[subprocess.Popen[str], RtspServerProcess, Path]]:
    server = make_rtsp_server([StreamMount("cam01", "CAM-01"), StreamMount("cam02", "CAM-02")])
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "csu_console.recorder", "run", "--config", str(site_dir),
         "--data-dir", str(data), "--stream-port", str(server.port)],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    yield proc, server, data / "recordings"
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()


def _status(site_dir: Path, folder: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "csu_console.recorder", "status", "--config", str(site_dir),
         "--dir", str(folder)],
        env=_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def _ffmpeg_children(folder: Path) -> list[int]:
    """FFmpeg processes writing into ``folder`` (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmd and cmd[0].endswith(b"ffmpeg") and any(str(folder).encode() in a for a in cmd):
            pids.append(int(entry.name))
    return pids


def test_run_status_and_sigterm(
    site_dir: Path, recorder: tuple[subprocess.Popen[str], RtspServerProcess, Path]
) -> None:
    proc, server, folder = recorder
    wait_until((folder / "status.json").exists, 30, "status.json")
    wait_until(
        lambda: all(c.recorded_24h_s >= 2 for c in read_status(folder).cameras), 40,
        "deux caméras enregistrées",
    )  # fmt: skip
    assert len(_ffmpeg_children(folder)) == 2
    text = _status(site_dir, folder)
    assert "Enregistreur : en marche" in text
    assert "cam-01 — " in text and "cam-02 — " in text and "cam-03" not in text
    assert text.count("état : enregistre depuis") == 2
    assert "Disque :" in text and "enregistré :" in text
    assert text.count("→ maintenant  (segment en cours)") == 2
    assert "caméra hors service" not in text
    # A camera down shows as such, with its gap, while the recorder runs.
    server.kill()
    wait_until(
        lambda: {c.state for c in read_status(folder).cameras} == {"down"},
        30,
        "caméras hors service",
    )
    text = _status(site_dir, folder)
    assert text.count("état : caméra hors service") == 2
    assert "interruptions :" in text and "caméra hors service (" in text
    # SIGTERM: every FFmpeg stops, the gaps close, nothing is left half-filed.
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    assert _ffmpeg_children(folder) == []
    st = read_status(folder)
    assert not st.running and st.stale()
    assert "Enregistreur : à l'arrêt" in _status(site_dir, folder)
    index = RecordingIndex(folder, create=False)
    try:
        open_gaps = index._db.execute("SELECT COUNT(*) FROM gaps WHERE end IS NULL").fetchone()
        assert open_gaps == (0,)
        for cam in ("cam-01", "cam-02"):
            segs = index.segments(cam, AGES_AGO, datetime.now(UTC) + timedelta(minutes=1))
            assert segs and all(s.path.is_file() for s in segs)
            assert not list((folder / cam / ".incoming").iterdir())
    finally:
        index.close()
    assert proc.stdout is not None
    out = proc.stdout.read()
    assert "enregistreur arrêté" in out and "Traceback" not in out


def _start(site_dir: Path, data: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "csu_console.recorder", "run", "--config", str(site_dir),
         "--data-dir", str(data), "--stream-port", str(port)],
        env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def test_killed_recorder_leaves_no_ffmpeg_and_the_next_run_tidies_up(
    site_dir: Path, recorder: tuple[subprocess.Popen[str], RtspServerProcess, Path]
) -> None:
    proc, server, folder = recorder
    wait_until(
        lambda: (folder / "status.json").exists() and len(_ffmpeg_children(folder)) == 2, 30,
        "deux FFmpeg",
    )  # fmt: skip
    server.kill()  # a camera down: its gap stays open when the recorder dies
    wait_until(lambda: {c.state for c in read_status(folder).cameras} == {"down"}, 30, "panne")
    server.start()
    wait_until(lambda: len(_ffmpeg_children(folder)) == 2, 30, "FFmpeg relancés")
    proc.kill()
    proc.wait(10)
    died = read_status(folder).written_at
    wait_until(lambda: _ffmpeg_children(folder) == [], 15, "FFmpeg arrêtés avec l'enregistreur")
    again = _start(site_dir, folder.parent, server.port)
    try:
        wait_until(lambda: read_status(folder).pid == again.pid, 30, "nouvel enregistreur")
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(30) == 0
    index = RecordingIndex(folder, create=False)
    try:
        gaps = index._db.execute("SELECT start, end FROM gaps").fetchall()
        assert gaps and all(end is not None for _s, end in gaps)
        # The previous run's gaps end when it was last seen alive, not at the restart.
        assert min(end for _s, end in gaps) <= died.timestamp() + 0.01
    finally:
        index.close()
    for cam in ("cam-01", "cam-02"):
        assert not list((folder / cam / ".incoming").iterdir())
