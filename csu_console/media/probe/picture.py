"""A short decode of a camera's stream: is there a picture, is it black, is it frozen?

Only key frames are decoded (``skip_frame = NONKEY``): a camera sends one every
second or so, and decoding 3 of them costs a few milliseconds where every frame
of 3 seconds would cost ~100. Each picture is reduced to its luma plane averaged
over 16x16 cells: codec noise (a static scene re-encoded at another quantizer)
moves a cell by a level or two, a clock overlay's changing digit by tens.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from csu_console.media.video.redact import redact_text

log = logging.getLogger("csu.prober")

CELL = 16
#: A cell moved more than this (luma levels) between two key frames: the picture lives.
MOTION_LEVEL = 10.0
#: Black: this share of the pixels at most may be brighter than :data:`DARK_LEVEL`
#: (a camera's own overlays — name, clock — stay on a covered lens's picture).
BRIGHT_SHARE = 0.05
DARK_LEVEL = 40
#: Frozen: key frames this far apart (seconds of stream time) with no cell moved.
FROZEN_SPAN_S = 1.5


class Verdict:
    """What a decode concluded (values shown in the camera list's detail)."""

    LIVE = "live"
    BLACK = "black"
    FROZEN = "frozen"
    NO_PICTURE = "no_picture"


@dataclass(frozen=True, slots=True)
class PictureCheck:
    """One decode's outcome; ``detail`` is precise and free of credentials."""

    verdict: str
    detail: str
    frames: int = 0
    span_s: float = 0.0  # stream time between the first and last key frame


def cells(luma: np.ndarray) -> np.ndarray:
    """The luma plane averaged over CELL x CELL cells (float32)."""
    h, w = luma.shape[0] // CELL * CELL, luma.shape[1] // CELL * CELL
    block = luma[:h, :w].astype(np.float32).reshape(h // CELL, CELL, w // CELL, CELL)
    out: np.ndarray = block.mean(axis=(1, 3))
    return out


def is_black(luma: np.ndarray) -> bool:
    """Nearly every pixel dark (overlays allowed)."""
    bright = np.count_nonzero(luma[::2, ::2] > DARK_LEVEL)
    return bool(bright <= BRIGHT_SHARE * luma[::2, ::2].size)


def judge(pictures: list[tuple[float, np.ndarray]]) -> PictureCheck:
    """Decide from (stream time, luma plane) pairs, in stream order."""
    if not pictures:
        return PictureCheck(Verdict.NO_PICTURE, "aucune image décodée")
    n = len(pictures)
    span = pictures[-1][0] - pictures[0][0]
    if all(is_black(p) for _, p in pictures):
        return PictureCheck(Verdict.BLACK, "image noire", n, span)
    if n >= 2 and span >= FROZEN_SPAN_S:
        first = cells(pictures[0][1])
        moved = max(float(np.abs(cells(p) - first).max()) for _, p in pictures[1:])
        if moved <= MOTION_LEVEL:
            return PictureCheck(Verdict.FROZEN, f"image identique pendant {span:.1f} s", n, span)
    elif n >= 2 and span <= 0:
        return PictureCheck(Verdict.FROZEN, "horodatage du flux arrêté", n, span)
    return PictureCheck(Verdict.LIVE, "image vivante", n, span)


def decode_check(url: str, window_s: float, timeout_s: float) -> PictureCheck:
    """Open ``url`` (credentials in it, never logged), decode key frames for up to
    ``window_s`` of stream time, and judge them; the whole call ends within about
    ``timeout_s + window_s``."""
    import av  # PyAV: FFmpeg's demuxer and decoder, loaded only when a decode runs

    began = time.monotonic()
    deadline = began + timeout_s + window_s
    timeout_us = str(int(timeout_s * 1e6))
    options = {"rtsp_transport": "tcp", "timeout": timeout_us, "fflags": "nobuffer"}
    pictures: list[tuple[float, np.ndarray]] = []
    try:
        with av.open(url, options=options, timeout=timeout_s) as container:
            stream = container.streams.video[0]
            stream.codec_context.skip_frame = "NONKEY"
            stream.thread_type = "NONE"
            for frame in container.decode(stream):
                t = float(frame.time) if frame.time is not None else time.monotonic() - began
                pictures.append((t, frame.to_ndarray(format="gray")))
                if t - pictures[0][0] >= window_s or time.monotonic() > deadline:
                    break
                if len(pictures) >= 8:
                    break
    except (av.FFmpegError, OSError, IndexError, ValueError) as exc:
        if not pictures:
            return PictureCheck(Verdict.NO_PICTURE, redact_text(f"décodage impossible : {exc}"))
        log.debug("décodage interrompu : %s", redact_text(str(exc)))
    return judge(pictures)
