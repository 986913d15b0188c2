"""An MPEG-TS test stream over UDP, sent by ``ffmpeg`` (for libVLC).

Debian's libVLC has no RTSP client; it plays UDP MPEG-TS. This sends the same kind
of picture as the RTSP server: a moving pattern, a label, a running clock, H.264 with
one keyframe a second, to ``udp://127.0.0.1:PORT``. The receiver binds the port
(``udp://@127.0.0.1:PORT`` for VLC); the sender just sends, listener or not.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from csu_console import processes
from csu_console.media.stream_server.control import StreamServerError

log = logging.getLogger("csu.media")

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
STARTUP_S = 0.3  # ffmpeg fails on a bad filter or a missing font within this


def free_udp_port() -> int:
    """A UDP port on 127.0.0.1 that nothing has bound (at the time of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _filter_option(value: str) -> str:
    """``value`` escaped twice: for the filter's options, then for the filter graph."""
    for specials in ("\\':", "\\'[],;"):
        value = "".join("\\" + c if c in specials else c for c in value)
    return value


class UdpTestStream:
    """``ffmpeg`` sending ``testsrc2`` with ``label`` and a clock, MPEG-TS over UDP.

    ``port=0`` picks a free UDP port, kept across :meth:`restart`. ffmpeg gets
    SIGTERM if the thread that started it ends (``setpriv --pdeathsig``).
    """

    def __init__(
        self,
        label: str = "UDP test",
        port: int = 0,
        width: int = 640,
        height: int = 360,
        fps: int = 25,
        log_path: Path | None = None,
    ) -> None:
        self.label = label
        self.port = port or free_udp_port()
        self.width, self.height, self.fps = width, height, fps
        self._tmp = tempfile.TemporaryDirectory(prefix="csu-udp-")
        self.log_path = log_path or Path(self._tmp.name) / "ffmpeg.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The address a libVLC player opens (``@``: listen on it)."""
        return f"udp://@127.0.0.1:{self.port}"

    @property
    def ffmpeg_url(self) -> str:
        """The same stream as FFmpeg (and OpenCV) name it."""
        return f"udp://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        """True while ffmpeg is alive."""
        return self.proc is not None and self.proc.poll() is None

    def command(self) -> list[str]:
        """The ffmpeg command line."""
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise StreamServerError("ffmpeg introuvable. Installez : sudo apt-get install ffmpeg")
        if not FONT.exists():
            raise StreamServerError(
                f"police {FONT} introuvable. Installez : sudo apt-get install fonts-dejavu-core"
            )
        label_file = Path(self._tmp.name) / "label.txt"
        label_file.write_text(self.label, encoding="utf-8")  # no escaping of the label
        size = max(10, self.height // 18)
        common = (
            f"fontfile={_filter_option(str(FONT))}:fontsize={size}:fontcolor=white"
            ":box=1:boxcolor=black@0.5:boxborderw=4"
        )
        # testsrc2 draws its own timecode at the top left: the label goes top right.
        video_filter = (
            f"drawtext={common}:textfile={_filter_option(str(label_file))}:expansion=none"
            ":x=w-tw-10:y=10,"
            f"drawtext={common}:text='%{{localtime\\:%d/%m/%Y %X}}':x=w-tw-10:y=h-th-10"
        )
        return [
            ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", f"testsrc2=size={self.width}x{self.height}:rate={self.fps}",
            "-vf", video_filter,
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
            "-g", str(self.fps), "-pix_fmt", "yuv420p",
            "-f", "mpegts", f"udp://127.0.0.1:{self.port}?pkt_size=1316",
        ]  # fmt: skip

    def start(self) -> UdpTestStream:
        """Start sending; raises :class:`StreamServerError` if ffmpeg gives up at once."""
        if self.running:
            raise StreamServerError("le flux UDP de test tourne déjà")
        args = self.command()
        if setpriv := shutil.which("setpriv"):
            # ffmpeg would outlive a crashed parent; stop it when the calling thread
            # goes (so start it from a long-lived thread).
            args = [setpriv, "--pdeathsig", "TERM", *args]
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            code = self.proc.wait(STARTUP_S)
        except subprocess.TimeoutExpired:
            log.info("flux UDP de test envoyé vers 127.0.0.1:%d", self.port)
            return self
        tail = self.log_path.read_text(encoding="utf-8", errors="replace")[-2000:].strip()
        raise StreamServerError(f"ffmpeg s'est arrêté (code {code}) : {tail}")

    def stop(self) -> None:
        """SIGTERM and wait."""
        processes.terminate(self.proc)

    def kill(self) -> None:
        """SIGKILL: the stream stops mid-packet."""
        processes.kill(self.proc)

    def restart(self) -> UdpTestStream:
        """Stop if running, then send again to the same port."""
        self.stop()
        return self.start()

    def close(self) -> None:
        """Stop and remove the temporary files."""
        self.stop()
        self._tmp.cleanup()

    def __enter__(self) -> UdpTestStream:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
