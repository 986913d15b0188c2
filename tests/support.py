"""Helpers shared by the tests (imported as ``support``; ``tests/`` is on sys.path)."""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from csu_console.core.hub_protocol import HubMessage
from csu_console.core.intake import Outcome
from csu_console.core.protocol import UpdateMessage
from csu_console.media.stream_server.control import RtspServerProcess
from csu_console.net.state import LinkPhase, LinkStatus

REPO_DIR = Path(__file__).resolve().parents[1]
CONFIG_DIR = REPO_DIR / "config"
ALSA_BASE_CONFIG = Path("/usr/share/alsa/alsa.conf")


def route_alsa_to_files() -> Path | None:
    """Point ALSA's default PCM of this process (and its children) at WAV files.

    ALSA reads its configuration once per process, at the first PCM it opens: call
    this before anything plays (the top of ``conftest.py``). Every opening of the
    default PCM then writes one file, ``capture.wav``, ``capture.wav.0001``, … (the
    ``file`` plugin with ``truncate false`` never overwrites), with exactly the
    samples the application wrote; the ``null`` slave accepts them at once.

    Returns the first file's path, or None when ALSA is absent or the environment
    already chose its own configuration (``ALSA_CONFIG_PATH``, respected as is).
    The directory is removed when the interpreter exits.
    """
    if "ALSA_CONFIG_PATH" in os.environ or not ALSA_BASE_CONFIG.exists():
        return None
    directory = Path(tempfile.mkdtemp(prefix="csu-alsa-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    capture = directory / "capture.wav"
    conf = directory / "asound.conf"
    conf.write_text(
        f'pcm.!default {{ type file slave.pcm "null" file "{capture}" format "wav"'
        " truncate false }\n",
        encoding="utf-8",
    )
    os.environ["ALSA_CONFIG_PATH"] = f"{ALSA_BASE_CONFIG}:{conf}"
    return capture


def captured_files(capture: Path) -> list[Path]:
    """Every file written through :func:`route_alsa_to_files`, oldest first."""
    return sorted(capture.parent.glob(capture.name + "*"))


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Wait for a condition of another process or thread (polled every 20 ms)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"délai dépassé ({timeout} s) en attendant : {what}")
        time.sleep(0.02)


class RecordingListener:
    """A LinkListener that keeps everything it is told (thread-safe appends)."""

    def __init__(self) -> None:
        self.statuses: list[LinkStatus] = []
        self.outcomes: list[Outcome] = []
        self.updates: list[UpdateMessage] = []
        self.storage_errors: list[str] = []
        self.hub_messages: list[HubMessage] = []

    def link_status_changed(self, status: LinkStatus) -> None:
        self.statuses.append(status)

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        self.outcomes.extend(outcomes)

    def update_received(self, update: UpdateMessage) -> None:
        self.updates.append(update)

    def hub_message(self, message: HubMessage) -> None:
        self.hub_messages.append(message)

    def storage_failed(self, message: str) -> None:
        self.storage_errors.append(message)

    @property
    def phase(self) -> LinkPhase | None:
        return self.statuses[-1].phase if self.statuses else None


def stored_keys(db: Path) -> list[tuple[str, str]]:
    """(source, id) of every stored alert, read from the database file itself."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [(r[0], r[1]) for r in conn.execute("SELECT source, alert_id FROM alerts")]
    finally:
        conn.close()


def pdf_text(path: Path) -> str:
    """The text of a PDF as poppler's ``pdftotext -layout`` reads it, on one line."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return " ".join(out.split())


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (created), unmounted afterwards.

    Only root may mount: otherwise, or if the mount fails, the test is skipped
    with a message saying so (a full disk cannot be made for real then).
    """
    import pytest  # here: support is imported by non-test helpers too

    if os.geteuid() != 0:
        pytest.skip("disque plein : monter un tmpfs demande d'être root (test non exécuté)")
    folder.mkdir(parents=True, exist_ok=True)
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False, timeout=20,
    )  # fmt: skip
    if mount.returncode != 0:
        pytest.skip(f"disque plein : tmpfs impossible ici ({mount.stderr.strip()})")
    try:
        yield folder
    finally:
        done = subprocess.run(["umount", str(folder)], check=False, timeout=20)
        if done.returncode != 0:  # a child still closing a file there: detach it now
            subprocess.run(["umount", "-l", str(folder)], check=True, timeout=20)


def fill_disk(folder: Path) -> Path:
    """A ballast file that takes every free byte of ``folder``'s filesystem."""
    ballast = folder / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 16, 4096, 1):
            block = b"\0" * size
            try:
                while os.write(fd, block):
                    pass
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)
    assert os.statvfs(folder).f_bavail == 0
    return ballast


@dataclass(frozen=True)
class RecordedSite:
    """Recordings made for the session (read-only: copy ``root`` to change them)."""

    root: Path
    origin: datetime  # the first frame of every camera
    seconds: int
    segment_s: int
    cameras: tuple[str, ...]

    @property
    def end(self) -> datetime:
        return self.origin + timedelta(seconds=self.seconds)


@dataclass(frozen=True)
class NvrSite:
    """A test NVR (``nvr_server``): a recorded file of ``seconds`` served with seeking
    at ``mount`` (Hikvision-style ``?starttime=``), at ``dahua`` (the same file,
    ``/cam/playback?channel=1&starttime=…``) and at ``half`` (the same file said to
    start half a second later: keyframes fall half a second off the whole seconds)."""

    server: RtspServerProcess
    file: Path
    origin: datetime  # the file's first frame (its QR timecodes count from it)
    seconds: int
    mount: str = "Streaming/tracks/101"
    dahua: str = "cam/playback"
    half: str = "Streaming/tracks/201"

    def template(self, mount: str | None = None) -> str:
        """The Hikvision replay URL template of ``mount`` (default: ``mount``)."""
        return self.server.url(mount or self.mount) + "?starttime={start:%Y%m%dT%H%M%SZ}"
