"""``csu-console camera probe URL``: can this camera be played, and how?

For installers: the backend that would play the URL, its resolution, codec and
time to the first decoded frame, or the French class of the failure with the
precise reason. The network is asked first (:func:`classify.diagnose`: refused,
401, 404, silent server...), then the real decoder; the whole probe ends within
``timeout_s`` plus a small margin, whatever the camera does.
"""

from __future__ import annotations

import argparse
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from csu_console.errors import UserFacingError
from csu_console.media.video.redact import redact_text, redact_url

if TYPE_CHECKING:  # the decoders (numpy, cv2, vlc) load only when a probe runs
    from csu_console.media.video.backend import Preference
    from csu_console.media.video.source import CameraSource, SourceStatus, StreamError

MARGIN_S = 0.5
BACKEND_LABELS = {"opencv": "opencv (FFmpeg)", "vlc": "vlc (libVLC)"}


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What a successful probe saw; ``url`` is redacted."""

    url: str
    backend: str
    width: int | None
    height: int | None
    codec: str | None
    time_to_first_frame_s: float  # from the start of the probe, network check included
    check_s: float  # of which the network check


class ProbeError(UserFacingError):
    """The camera cannot be played; ``error`` is the class, ``detail`` the reason."""

    def __init__(self, error: StreamError, detail: str, backend: str | None = None) -> None:
        self.error = error
        self.detail = redact_text(detail)
        self.backend = backend
        super().__init__(f"{error.value} : {self.detail}")


class _FirstFrame:
    """Listener: wakes the probe at the first frame or the first failure."""

    def __init__(self) -> None:
        self.done = threading.Event()

    def frame_ready(self, source: CameraSource) -> None:
        self.done.set()

    def status_changed(self, source: CameraSource, status: SourceStatus) -> None:
        if status.error is not None:  # LOST: the first failure is the answer
            self.done.set()


def probe(url: str, timeout_s: float = 5.0, backend: Preference = "auto") -> ProbeResult:
    """Play ``url`` until its first frame; raises :class:`ProbeError` on failure."""
    from csu_console.media.video.backend import choose_backend, create_source, is_rtsp
    from csu_console.media.video.classify import diagnose
    from csu_console.media.video.source import HealthSettings, StreamError
    from csu_console.media.video.threaded import ThreadedSource

    began = time.monotonic()
    deadline = began + timeout_s
    chosen = choose_backend(url, backend)
    if backend == "vlc" and chosen != "vlc" and is_rtsp(url):
        raise ProbeError(StreamError.UNSUPPORTED, "la libVLC de ce poste n'a pas de client RTSP")
    found = diagnose(url, timeout_s)
    if found is not None:
        raise ProbeError(found.error, found.detail, chosen)
    check_s = time.monotonic() - began
    left = deadline - time.monotonic()
    if left <= 0:
        raise ProbeError(StreamError.TIMEOUT, f"délai de {timeout_s:.1f} s épuisé", chosen)
    health = HealthSettings(open_timeout_s=left, read_timeout_s=left, freeze_after_s=left)
    listener = _FirstFrame()
    source = create_source(url, listener, health, prefer=chosen)
    source.start()
    try:
        listener.done.wait(left + MARGIN_S)
    finally:
        source.stop()  # returns at once; the thread ends within the open timeout
    if isinstance(source, ThreadedSource):  # let it release the decoder, within the budget
        source.join(max(0.0, deadline + MARGIN_S - time.monotonic()))
    frame, status = source.latest(), source.status
    if frame is not None:
        return ProbeResult(
            url=redact_url(url),
            backend=source.backend,
            width=frame.width,
            height=frame.height,
            codec=status.codec,
            time_to_first_frame_s=frame.mono - began,
            check_s=check_s,
        )
    if status.error is not None:
        raise ProbeError(status.error, status.detail, source.backend)
    raise ProbeError(StreamError.TIMEOUT, f"aucune image en {timeout_s:.1f} s", source.backend)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"durée en secondes attendue (0 à 600), reçu {text!r}")
    return value


def add_probe_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``camera probe`` on the ``csu-console`` command line."""
    cam = sub.add_parser("camera", help="caméras : vérifier un flux")
    cam_sub = cam.add_subparsers(dest="camera_command", required=True)
    p = cam_sub.add_parser("probe", help="ouvrir un flux et décrire la première image")
    p.add_argument("url", metavar="URL", help="rtsp://, udp://, http://... ou fichier")
    p.add_argument("--timeout", type=_seconds, default=5.0, metavar="S", help="secondes (défaut 5)")
    p.add_argument("--backend", choices=("auto", "opencv", "vlc"), default="auto")


def probe_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``camera probe``: the description on ``out`` (0), or the failure on ``err`` (1)."""
    safe_url = redact_url(args.url)
    try:
        result = probe(args.url, args.timeout, args.backend)
    except ProbeError as exc:
        err.write(f"{safe_url}\n")
        if exc.backend:
            err.write(f"décodeur       : {BACKEND_LABELS.get(exc.backend, exc.backend)}\n")
        err.write(f"échec          : {exc.error.value}\n")
        err.write(f"détail         : {exc.detail}\n")
        return 1
    size = f"{result.width}x{result.height}" if result.width else "inconnue"
    out.write(f"{result.url}\n")
    out.write(f"décodeur       : {BACKEND_LABELS.get(result.backend, result.backend)}\n")
    out.write(f"résolution     : {size}\n")
    out.write(f"codec          : {result.codec or 'inconnu'}\n")
    out.write(
        f"première image : {result.time_to_first_frame_s:.2f} s "
        f"(dont vérification réseau {result.check_s:.2f} s)\n"
    )
    return 0
