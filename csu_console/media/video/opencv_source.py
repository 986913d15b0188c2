"""RTSP through FFmpeg, by way of OpenCV (the headless wheel), tuned for latency.

FFmpeg's default probing reads a second or more of stream before the first frame;
``analyzeduration;0|probesize;32`` starts decoding at once (0.2 s instead of 1.2 s
here). Opens run in parallel (see :mod:`ffmpeg_env`); still, a cheap TCP check
(:func:`classify.check_reachable`) runs before each open, so that a dead camera is
told apart at once and costs no decoder open at every retry.
"""

from __future__ import annotations

import logging
import time

import cv2

from csu_console.media.video.classify import Diagnosis, check_reachable, diagnose
from csu_console.media.video.ffmpeg_env import OptionsGate, configure_once
from csu_console.media.video.source import (
    HealthSettings,
    PixelFormat,
    SourceListener,
    StreamError,
)
from csu_console.media.video.threaded import ThreadedSource

log = logging.getLogger("csu.media")

TUNED_OPTIONS = "rtsp_transport;tcp|analyzeduration;0|probesize;32"
_GATE = OptionsGate()
_CODEC_NAMES = {"avc1": "h264", "h264": "h264", "hevc": "h265", "hev1": "h265", "hvc1": "h265"}


def fourcc_name(value: float) -> str | None:
    """OpenCV's FOURCC property (a float) as a codec name: ``"h264"``, ``"mjpg"``..."""
    code = int(value)
    if code <= 0:
        return None
    text = code.to_bytes(4, "little").decode("ascii", "replace").strip("\x00 ").lower()
    return _CODEC_NAMES.get(text, text) or None


def _read_limit_s(health: HealthSettings) -> float:
    """How long one read may block: a stalled stream is LOST after this, which must
    not exceed ``freeze_after_s`` (no new frame for that long is LOST)."""
    return min(health.read_timeout_s, health.freeze_after_s)


def open_capture(url: str, health: HealthSettings, *, tuned: bool = True) -> cv2.VideoCapture:
    """Open ``url`` with FFmpeg, bounded by the health settings' timeouts.

    ``tuned`` applies :data:`TUNED_OPTIONS` to ``rtsp(s)://`` URLs; False keeps
    FFmpeg's default probing (for comparison). Blocks for up to
    ``open_timeout_s``; check ``isOpened()``.
    """
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        round(health.open_timeout_s * 1000),
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        round(_read_limit_s(health) * 1000),
    ]
    rtsp = url.lower().startswith(("rtsp://", "rtsps://"))
    configure_once()
    with _GATE.holding(TUNED_OPTIONS if tuned and rtsp else None):
        return cv2.VideoCapture(url, cv2.CAP_FFMPEG, params)


class OpenCvSource(ThreadedSource):
    """One RTSP (or any FFmpeg-readable) stream decoded by OpenCV on its own thread,
    as BGR24 frames. ``tuned=False`` keeps FFmpeg's default probing."""

    backend = "opencv"

    def __init__(
        self,
        url: str,
        listener: SourceListener,
        health: HealthSettings | None = None,
        *,
        tuned: bool = True,
    ) -> None:
        super().__init__(url, listener, health or HealthSettings())
        self.tuned = tuned

    def _session(self) -> Diagnosis:
        h = self.health
        refused = check_reachable(self.url, h.open_timeout_s)
        if refused is not None:
            return refused
        if self.stopping:
            return Diagnosis(StreamError.OTHER, "arrêt demandé")
        t0 = time.monotonic()
        cap = open_capture(self.url, h, tuned=self.tuned)
        try:
            if not cap.isOpened():
                return self._explain(time.monotonic() - t0, "ouverture")
            self._set_status(
                width=int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)) or None,
                height=int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)) or None,
                codec=fourcc_name(cap.get(cv2.CAP_PROP_FOURCC)),
            )
            return self._pump(cap)
        finally:
            cap.release()

    def _pump(self, cap: cv2.VideoCapture) -> Diagnosis:
        stalled_after = 0.9 * _read_limit_s(self.health)
        while not self.stopping:
            # read() returns a new array every time: handing it over needs no copy,
            # and a later read never writes into it (Frame's contract).
            began = time.monotonic()
            ok, image = cap.read()
            now = time.monotonic()
            if now - began >= stalled_after:
                # FFmpeg's timeout fired; what it may still return is a broken
                # leftover (measured: True once, then False one timeout later).
                return Diagnosis(
                    StreamError.TIMEOUT, f"aucune image en {now - began:.1f} s (lecture)"
                )
            if not ok or image is None:
                return self._explain(now - began, "lecture")
            if not self._deliver(image, PixelFormat.BGR24, now):
                return self._frozen_diagnosis(now)
        return Diagnosis(StreamError.OTHER, "arrêt demandé")

    def _explain(self, waited_s: float, step: str) -> Diagnosis:
        """Why the decoder failed: a silent server makes it wait the whole timeout;
        anything quicker, the server itself is asked (refused, 401, 404...)."""
        h = self.health
        limit = h.open_timeout_s if step == "ouverture" else _read_limit_s(h)
        if waited_s >= 0.9 * limit:
            what = "pas de réponse" if step == "ouverture" else "aucune image"
            return Diagnosis(StreamError.TIMEOUT, f"{what} en {waited_s:.1f} s ({step})")
        found = diagnose(self.url, h.open_timeout_s)
        if found is not None:
            return found
        if step == "ouverture":
            return Diagnosis(StreamError.NO_VIDEO, "FFmpeg n'a pas pu décoder le flux")
        return Diagnosis(StreamError.OTHER, "flux interrompu par la caméra")
