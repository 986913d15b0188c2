"""Run the RTSP test-stream server (``rtsp_server.py``) as a real process.

Used by the demo, the tests and the benchmarks, so all three play the same streams
the same way. The server runs under Debian's ``/usr/bin/python3``, whose ``gi``
bindings reach GStreamer's RTSP server; nothing of it is imported here (Qt-free,
GStreamer-free).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlsplit, urlunsplit

from csu_console import processes
from csu_console.config.schema import Camera
from csu_console.errors import UserFacingError

log = logging.getLogger("csu.media")

SYSTEM_PYTHON = "/usr/bin/python3"
SERVER_SCRIPT = Path(__file__).with_name("rtsp_server.py")
# Everything the server needs from Debian (see SETUP_NOTES, "Video").
APT_PACKAGES = (
    "python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-rtsp-server-1.0 "
    "gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly "
    "gstreamer1.0-x"
)
EXIT_MISSING = 3  # rtsp_server.py: a piece of GStreamer is absent
LOCAL_HOSTS = ("127.0.0.1", "localhost")  # where the server listens (IPv4 only)
MAIN_SIZE = (1280, 720)
SUB_SIZE = (640, 360)


class StreamServerError(UserFacingError):
    """The test-stream server could not start; the message says why (in French)."""


class PortInUseError(StreamServerError):
    """The server's port is taken by another program."""


@dataclass(frozen=True)
class StreamMount:
    """One stream: ``rtsp://127.0.0.1:PORT/<name>`` showing ``label`` and a clock."""

    name: str
    label: str
    width: int = 640
    height: int = 360
    fps: int = 25
    #: None: the server's pattern; "black" or "frozen": a camera gone wrong (tests)
    pattern: str | None = None

    def argument(self) -> str:
        """The server's ``--mount`` value."""
        suffix = f"~{self.pattern}" if self.pattern else ""
        return f"{self.name}={self.label}@{self.width}x{self.height}@{self.fps}{suffix}"


@dataclass(frozen=True)
class RecordingMount:
    """A recorded file served as an NVR replays it: ``rtsp://127.0.0.1:PORT/<name>``,
    seekable with ``Range: npt=`` and with a start time in the URL
    (``?starttime=20261204T101500Z``, see ``rtsp_server.py``). ``origin``: the Unix
    time of the file's timestamp 0 (a generated recording's QR timecodes count from it).
    """

    name: str
    path: Path
    origin: float

    def argument(self) -> str:
        """The server's ``--recording`` value."""
        return f"{self.name}={self.path}@{self.origin:.3f}"


def join_segments(segments: Iterable[Path], out: Path) -> Path:
    """The segments (in time order, one camera, no hole between them) in one file,
    by FFmpeg's concat demuxer with stream copy: what an NVR keeps as one track.
    Timestamps follow on from one segment to the next."""
    files = [Path(f).resolve() for f in segments]
    if not files:
        raise ValueError("aucun segment à joindre")
    out.parent.mkdir(parents=True, exist_ok=True)
    listing = out.with_name(out.name + ".txt")
    listing.write_text("".join(f"file '{_concat_quote(f)}'\n" for f in files), encoding="utf-8")
    try:
        args = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0"]
        args += ["-i", str(listing), "-c", "copy", str(out)]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    finally:
        listing.unlink(missing_ok=True)
    if done.returncode != 0:
        raise StreamServerError(f"segments non joints : {done.stderr[-500:].strip()}")
    return out


def _concat_quote(path: Path) -> str:
    return str(path).replace("'", "'\\''")


class RtspServerProcess:
    """``rtsp_server.py`` on 127.0.0.1, one H.264 stream per mount.

    With ``port=0`` the server picks a free port at the first start; the port is
    kept for every later start, so a :meth:`kill` then :meth:`restart` is a camera
    that drops and comes back at the same address. ``auth=(user, password)`` makes
    every mount require HTTP basic credentials. ``timezone`` (the site's) is the
    zone of the clock burned into the pictures: a snapshot and its record agree.
    ``timecode``: each frame carries a QR code of the Unix time it was made
    (:func:`read_timecode` reads it back). ``recordings``: recorded files served as
    an NVR's replay (:class:`RecordingMount`); ``mounts`` may then be empty.
    """

    def __init__(
        self,
        mounts: list[StreamMount],
        port: int = 0,
        auth: tuple[str, str] | None = None,
        log_path: Path | None = None,
        pattern: str = "ball",
        timezone: str | None = None,
        timecode: bool = False,
        recordings: Iterable[RecordingMount] = (),
    ) -> None:
        self.mounts = list(mounts)
        self.recordings = list(recordings)
        if not self.mounts and not self.recordings:
            raise ValueError("au moins un flux est nécessaire")
        self.port = port
        self.auth = auth
        self.pattern = pattern
        self.timezone = timezone
        self.timecode = timecode
        self._tmp = tempfile.TemporaryDirectory(prefix="csu-rtsp-")
        self.log_path = log_path or Path(self._tmp.name) / "rtsp-server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._stdin: IO[bytes] | None = None

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self.proc is not None and self.proc.poll() is None

    def url(self, mount: str | StreamMount | RecordingMount, *, credentials: bool = False) -> str:
        """The stream's address; with ``credentials``, the server's user and password in it."""
        name = mount if isinstance(mount, str) else mount.name
        names = {m.name for m in self.mounts} | {r.name for r in self.recordings}
        if name not in names:
            raise KeyError(name)
        userinfo = ""
        if credentials and self.auth:
            userinfo = f"{quote(self.auth[0], safe='')}:{quote(self.auth[1], safe='')}@"
        return f"rtsp://{userinfo}127.0.0.1:{self.port}/{name}"

    def start(self, timeout: float = 15.0) -> RtspServerProcess:
        """Start (or start again, on the same port); returns once it listens."""
        if self.running:
            raise StreamServerError("le serveur de flux de test tourne déjà")
        args = [SYSTEM_PYTHON, "-I", str(SERVER_SCRIPT), "--port", str(self.port)]
        args += ["--pattern", self.pattern, "--exit-with-stdin"]
        if self.timecode:
            args.append("--timecode")
        for mount in self.mounts:
            args += ["--mount", mount.argument()]
        for recording in self.recordings:
            args += ["--recording", recording.argument()]
        if self.auth:
            args += ["--auth", f"{self.auth[0]}:{self.auth[1]}"]
        began = time.monotonic()
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as out:
            try:
                self.proc = subprocess.Popen(
                    args, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                    env=server_environment(self.timezone),
                )  # fmt: skip
            except FileNotFoundError as exc:
                raise StreamServerError(
                    f"{SYSTEM_PYTHON} introuvable : le serveur de flux de test est lancé par "
                    f"le Python de Debian. Installez : sudo apt-get install python3 "
                    f"{APT_PACKAGES}"
                ) from exc
        self._stdin = self.proc.stdin  # closing it stops the server if we vanish
        port = self._wait_ready(offset, began + timeout)
        self.port = port
        log.info(
            "serveur RTSP de test prêt sur 127.0.0.1:%d (%d flux) en %.2f s",
            port, len(self.mounts) + len(self.recordings), time.monotonic() - began,
        )  # fmt: skip
        return self

    def _wait_ready(self, offset: int, deadline: float) -> int:
        assert self.proc is not None
        while True:
            output = self._output(offset)
            if m := re.search(r"^READY (\d+)$", output, re.MULTILINE):
                return int(m[1])
            if (code := self.proc.poll()) is not None:
                raise self._failure(code, output)
            if time.monotonic() > deadline:
                self.kill()
                raise StreamServerError(
                    f"le serveur de flux de test n'a pas démarré à temps : {self._tail(offset)}"
                )
            time.sleep(0.02)  # polling a file written by another process

    def _output(self, offset: int) -> str:
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    def _tail(self, offset: int) -> str:
        return self._output(offset)[-2000:].strip() or "(aucune sortie)"

    def _failure(self, code: int, output: str) -> StreamServerError:
        self._close_stdin()
        if code == EXIT_MISSING and (m := re.search(r"^MISSING (.*) \((.*)\)$", output, re.M)):
            return StreamServerError(
                f"serveur de flux de test : {m[1]} manque au Python de Debian. "
                f"Installez : sudo apt-get install {m[2]} (tout : {APT_PACKAGES})"
            )
        if "ERROR impossible d'écouter" in output:
            return PortInUseError(f"port {self.port} déjà pris : {output.strip()[-500:]}")
        return StreamServerError(
            f"le serveur de flux de test s'est arrêté (code {code}) : {output[-2000:].strip()}"
        )

    def stop(self) -> None:
        """SIGTERM and wait (clients see the end of their sessions)."""
        if processes.terminate(self.proc):
            log.info("serveur RTSP de test arrêté (port %d)", self.port)
        self._close_stdin()

    def kill(self) -> None:
        """SIGKILL: every camera drops at once, no RTSP teardown."""
        if processes.kill(self.proc):
            log.info("serveur RTSP de test tué (port %d)", self.port)
        self._close_stdin()

    def restart(self, timeout: float = 15.0) -> RtspServerProcess:
        """Stop if running, then start on the same port."""
        self.stop()
        return self.start(timeout)

    def close(self) -> None:
        """Stop and remove the temporary files."""
        self.stop()
        self._tmp.cleanup()

    def _close_stdin(self) -> None:
        if self._stdin is not None:
            with contextlib.suppress(OSError):
                self._stdin.close()
            self._stdin = None

    def __enter__(self) -> RtspServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def server_environment(timezone: str | None) -> dict[str, str]:
    """The server's environment: ours, with ``TZ`` set to ``timezone`` when given.
    GStreamer's ``clockoverlay`` writes local time as GLib sees it, from ``TZ``:
    without it, the machine's zone (often UTC) while the console shows the site's."""
    env = dict(os.environ)
    if timezone:
        env["TZ"] = timezone
    return env


def _local_rtsp_path(url: str | None) -> str | None:
    """The mount name of a ``rtsp://`` URL on this machine, else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "rtsp" or parts.hostname not in LOCAL_HOSTS:
        return None
    return parts.path.strip("/") or None


def mounts_for_cameras(cameras: Iterable[Camera], fps: int = 25) -> list[StreamMount]:
    """The mounts that make the cameras' local ``rtsp://`` URLs play.

    The main stream is 1280x720, the sub-stream 640x360, both labelled with the
    camera's name. URLs elsewhere than on this machine are left out. A 720p stream
    costs the server ~25 % of a core at 25 fps while someone watches it (360p: ~8 %).
    """
    mounts: dict[str, StreamMount] = {}
    for cam in cameras:
        for url, (width, height) in ((cam.stream_main, MAIN_SIZE), (cam.stream_sub, SUB_SIZE)):
            name = _local_rtsp_path(url)
            if name and name not in mounts:
                mounts[name] = StreamMount(name, cam.name, width, height, fps)
    return list(mounts.values())


def rewrite_port(url: str, port: int) -> str:
    """``url`` on ``port`` when it is a local ``rtsp://`` URL, else unchanged."""
    if _local_rtsp_path(url) is None:
        return url
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    host = f"{parts.hostname}:{port}"
    netloc = f"{userinfo}@{host}" if userinfo else host
    return urlunsplit(parts._replace(netloc=netloc))


def camera_on_port(camera: Camera, port: int) -> Camera:
    """The camera with its local RTSP URLs moved to ``port`` (where the server listens)."""
    return dataclasses.replace(
        camera,
        stream_main=rewrite_port(camera.stream_main, port),
        stream_sub=rewrite_port(camera.stream_sub, port) if camera.stream_sub else None,
    )


def serve_cameras(
    cameras: Iterable[Camera],
    log_path: Path | None = None,
    timeout: float = 15.0,
    fps: int = 25,
    pattern: str = "smpte",
    timezone: str | None = None,
) -> tuple[RtspServerProcess, list[Camera]]:
    """Start a server for the cameras' local streams (the demo's ``make demo``);
    scrolling colour bars by default: they read as a live picture on a wall.

    Listens on the port the URLs name (8554 on the demo site); when that port is
    taken, on a free one, and the cameras returned point there. ``timezone``: the
    site's, for the clock burned into the pictures.
    """
    cams = list(cameras)
    mounts = mounts_for_cameras(cams, fps)
    urls = [u for c in cams for u in (c.stream_main, c.stream_sub) if _local_rtsp_path(u)]
    ports = {urlsplit(u).port for u in urls if u}
    wanted = ports.pop() if len(ports) == 1 and None not in ports else 0
    server = RtspServerProcess(
        mounts, port=wanted or 0, log_path=log_path, pattern=pattern, timezone=timezone
    )
    try:
        server.start(timeout)
    except PortInUseError:
        if not wanted:
            raise
        log.info("port %d pris : serveur de flux de test sur un port libre", wanted)
        server.port = 0
        server.start(timeout)
    if server.port != wanted:
        cams = [camera_on_port(c, server.port) for c in cams]
    return server, cams
