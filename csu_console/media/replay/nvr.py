"""Replaying a camera's recordings from its NVR over RTSP, decoded with PyAV (Qt-free).

OpenCV cannot seek an RTSP stream; FFmpeg (through PyAV) can, and NVRs take the
start time in the replay URL. A camera's ``replay_url`` in ``cameras.geojson`` is a
template with one ``{start…}`` placeholder, filled with the instant asked for, in
UTC, with a ``strftime`` format:

* Hikvision: ``rtsp://nvr:554/Streaming/tracks/101?starttime={start:%Y%m%dT%H%M%SZ}``
  (track ``<camera>01``; ``{start}`` with no format is this one);
* Dahua: ``rtsp://nvr:554/cam/playback?channel=1&subtype=0&starttime=
  {start:%Y_%m_%d_%H_%M_%S}`` (Dahua's time is the NVR's local time: set the NVR to
  UTC, or the replay is off by the zone's offset);
* any other NVR taking a start time in its URL, with the format it wants.

The user and password are those of the camera's streams (the credentials store,
:mod:`csu_console.config.secrets`, puts them in ``replay_url`` too), or typed in the
URL (``rtsp://user:pass@nvr/…``): they never reach a message or a log line
(:func:`~csu_console.media.video.redact.redact_url`).

The time of a frame: ``at`` (the requested instant, whole seconds) + its
presentation time − the first frame's. This relies on the NVR starting the stream at
the requested instant. It starts at the keyframe at or before it (GStreamer's RTSP
server does; NVRs too): the first frames are then up to one keyframe interval
earlier than said (measured on the test NVR with a keyframe a second, keyframes half
a second off the requested whole second: frames 0.5 s earlier than their ``at``).
The server's own time (``Range`` reply) is not used: NVRs answer it in their own
terms (absolute clock, npt from the file, from the start time…). FFmpeg gives the
first RTSP frame no presentation time: it is taken one frame period before the next.

Errors: an NVR that cannot be reached (refused, no answer within
``open_timeout_s``, name unknown) or that refuses the credentials (401/403) raises
:class:`ReplayError` (French, no credentials in it); an NVR that answers but refuses
the time (400, 404, 457, 5xx: nothing recorded then, on most NVRs) gives a gap.

What an NVR has recorded is not asked (their search APIs differ from brand to brand):
:meth:`NvrFeed.coverage` says « unknown: assumed recorded » (one span over the whole
period); a period without recording shows when it is replayed: the NVR sends
nothing, or refuses the time, and that is a :class:`~csu_console.core.recording.Gap`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import av
import av.error

from csu_console.config.checks import REPLAY_START_DEFAULT, replay_template_fields
from csu_console.core.recording import Coverage, Gap, GapReason, Span
from csu_console.media.replay.source import RecordedFrame, ReplayError
from csu_console.media.video.redact import redact_text, redact_url

log = logging.getLogger("csu.replay")

#: Frames a second assumed when the NVR's stream does not say.
DEFAULT_FPS = 25


def replay_url(template: str, at: datetime) -> str:
    """``template`` with its ``{start…}`` filled with ``at`` (UTC, whole seconds).

    ``ValueError`` (French) when the template has no ``{start…}`` or another field."""
    fields = replay_template_fields(template)
    if {name for name, _ in fields} != {"start"}:
        raise ValueError("le modèle d'URL de relecture doit contenir {start…} et lui seul")
    start = _utc(at).replace(microsecond=0)
    return template.replace("{start}", "{start:" + REPLAY_START_DEFAULT + "}").format(start=start)


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("heure sans fuseau")
    return at.astimezone(UTC)


class NvrFeed:
    """One camera's recordings on an NVR: ``url_template`` with ``{start…}``.

    ``open_timeout_s``: how long to wait for the NVR to answer and start the stream
    (an unreachable NVR raises :class:`ReplayError` after it); ``read_timeout_s``:
    silence in a running stream that ends it with a gap; ``gap_s``: how long the gap
    said after the NVR stops sending or refuses the time is (it tells nothing more).
    """

    def __init__(
        self,
        camera_id: str,
        url_template: str,
        *,
        open_timeout_s: float = 5.0,
        read_timeout_s: float = 4.0,
        gap_s: float = 10.0,
    ) -> None:
        replay_url(url_template, datetime.now(UTC))  # refuses a bad template now
        self.camera_id = camera_id
        self.url_template = url_template
        self.open_timeout_s = open_timeout_s
        self.read_timeout_s = read_timeout_s
        self.gap_s = gap_s

    def __repr__(self) -> str:
        return f"NvrFeed({self.camera_id!r}, {redact_url(self.url_template)!r})"

    def coverage(self, start: datetime, end: datetime) -> Coverage:
        """Unknown (NVR search APIs are not used): assumed recorded, one span."""
        if end <= start:
            return Coverage(self.camera_id, start, end)
        return Coverage(self.camera_id, start, end, (Span(start, end),))

    def open(self, at: datetime) -> NvrFrames:
        """The NVR's stream from ``at`` (whole seconds) on; blocks while the NVR
        answers (up to ``open_timeout_s``)."""
        start = _utc(at).replace(microsecond=0)
        url = replay_url(self.url_template, start)
        shown = redact_url(url)
        began = time.monotonic()
        options = {
            "rtsp_transport": "tcp",
            "timeout": str(int(self.open_timeout_s * 1e6)),  # socket I/O, µs
            # No probing beyond the SDP (it has the SPS/PPS) and the first packet: the
            # NVR sends in real time, so FFmpeg's probing waits for the bytes to come
            # (32 KB: 0.45 s of a 640x360 stream; first frame 0.46 s → 0.05 s p50).
            "analyzeduration": "0",
            "probesize": "32",
        }
        try:
            container = av.open(
                url, options=options, timeout=(self.open_timeout_s, self.read_timeout_s)
            )
        except (av.error.HTTPUnauthorizedError, av.error.HTTPForbiddenError):
            log.warning("NVR de %s : identifiants refusés (%s)", self.camera_id, shown)
            raise ReplayError(
                f"Relecture de {self.camera_id} : le NVR refuse les identifiants."
            ) from None
        except (av.error.HTTPClientError, av.error.HTTPServerError) as exc:
            # The NVR answered, and refused this time (400, 404, 457, 503…): nothing there.
            log.info("NVR de %s : rien à %s (%s)", self.camera_id, start, _reason(exc))
            return NvrFrames.empty(self, start, f"réponse du NVR : {_reason(exc)}")
        except (av.error.FFmpegError, OSError) as exc:
            log.warning(
                "NVR de %s injoignable en %.1f s (%s) : %s",
                self.camera_id, time.monotonic() - began, shown, _reason(exc),
            )  # fmt: skip
            raise ReplayError(
                f"Relecture de {self.camera_id} : NVR injoignable ({_reason(exc)})."
            ) from None
        try:
            stream = container.streams.video[0]
        except IndexError:
            container.close()
            raise ReplayError(
                f"Relecture de {self.camera_id} : le NVR n'envoie pas de vidéo."
            ) from None
        log.info(
            "relecture NVR de %s à %s ouverte en %.2f s (%s)",
            self.camera_id, start.isoformat(), time.monotonic() - began, shown,
        )  # fmt: skip
        return NvrFrames(self, start, container, stream)


def _reason(exc: BaseException) -> str:
    """An FFmpeg error in a few words, without the URL it quotes (credentials)."""
    text = getattr(exc, "strerror", None) or type(exc).__name__
    return redact_text(str(text))


class NvrFrames:
    """The NVR's pictures from ``start`` on, decoded on the caller's thread; a
    :class:`Gap` (« pas d'enregistrement ») when the stream ends or falls silent
    for ``read_timeout_s``, then nothing more (reopen at the gap's end).

    :meth:`close` may come from another thread while one iterates: when FFmpeg is
    reading or decoding just then, the iterating thread closes the stream as soon
    as it returns (FFmpeg's context is not used by two threads at once); the
    iteration then ends, without a gap.
    """

    def __init__(
        self,
        feed: NvrFeed,
        start: datetime,
        container: Any | None,
        stream: Any | None,
        refused: str = "",
    ) -> None:
        self.feed = feed
        self.start = start
        self.refused = refused  # why the NVR sent nothing, when it refused the time
        self._container = container
        self._stream = stream
        self._lock = threading.Lock()
        self._closed = False
        self._busy = False  # FFmpeg reading or decoding on the iterating thread

    @classmethod
    def empty(cls, feed: NvrFeed, start: datetime, why: str) -> NvrFrames:
        """The NVR answered but sends nothing for ``start``: one gap."""
        return cls(feed, start, None, None, refused=why)

    def __iter__(self) -> Iterator[RecordedFrame | Gap]:
        gap = timedelta(seconds=self.feed.gap_s)
        container, stream = self._container, self._stream
        if container is None or stream is None:
            if not self._closed:
                yield Gap(self.start, self.start + gap, GapReason.NONE)
            return
        rate = stream.average_rate or stream.guessed_rate or DEFAULT_FPS
        period = float(1 / Fraction(rate))
        base = float(stream.time_base or Fraction(1, 90000))
        first_pts: int | None = None
        first_at = 0.0  # seconds after start of the frame with first_pts
        last = -period  # seconds after start of the last frame given
        packets = container.demux(stream)
        while True:
            if not self._enter():
                return  # closed while we were away
            try:
                packet = next(packets)
                decoded = [
                    (
                        frame.pts if frame.pts is not None else packet.pts,
                        frame.to_ndarray(format="bgr24"),
                    )
                    for frame in packet.decode()
                ]
            except StopIteration:
                break  # end of stream: the NVR has no more
            except (av.error.FFmpegError, OSError) as exc:
                if self._closed:
                    return
                log.info("relecture NVR de %s interrompue : %s", self.feed.camera_id, _reason(exc))
                break
            finally:
                self._leave()
            for pts, image in decoded:
                if pts is None:  # FFmpeg's first RTSP frame has none
                    offset = last + period
                else:
                    if first_pts is None:
                        first_pts, first_at = pts, last + period
                    offset = first_at + (pts - first_pts) * base
                last = offset
                yield RecordedFrame(self.start.timestamp() + offset, image)
        if not self._closed:
            resume = self.start + timedelta(seconds=max(0.0, last + period))
            yield Gap(resume, resume + gap, GapReason.NONE)

    def _enter(self) -> bool:
        """Mark FFmpeg busy on this thread; False when closed."""
        with self._lock:
            if self._closed:
                return False
            self._busy = True
            return True

    def _leave(self) -> None:
        with self._lock:
            self._busy = False
            closing = self._closed
        if closing:  # close() came while FFmpeg was busy: ours to do
            self._release()

    def close(self) -> None:
        """End the stream (at once, or at the reader's next packet: see the class)."""
        with self._lock:
            self._closed = True
            busy = self._busy
        if not busy:
            self._release()

    def _release(self) -> None:
        with self._lock:
            container, self._container = self._container, None
        if container is not None:
            container.close()
