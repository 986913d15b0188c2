"""Read back the timecode the test streams carry (``rtsp_server.py --timecode``,
``make_recording.py``): a QR code at the bottom left of each frame holding the
frame's timestamp, and the ``TIMECODE <name> <t0>`` line the producer printed.

A frame was made at ``t0 + TIMESTAMP / 1e9`` (Unix time): the tests and the
benchmarks compare it with the time the recorder or the replay says the frame
has. OpenCV's ``QRCodeDetector`` reads the code (a few ms on a 640×360 frame);
now and then it misses one — callers read several frames.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_LINE = re.compile(r"^TIMECODE (\S+) ([0-9.]+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Timecode:
    """What one frame's QR code says."""

    timestamp_s: float  # the frame's timestamp in its producer's stream
    count: int  # 1 for the producer's first frame

    def unix(self, t0: float) -> float:
        return t0 + self.timestamp_s


def read_timecode(image: np.ndarray) -> Timecode | None:
    """The timecode of a BGR frame (H×W×3 or H×W×4), or None when unreadable."""
    import cv2

    if image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3]
    h, w = image.shape[:2]
    # The code sits in the lower-left quarter: reading only there is faster and surer.
    corner = np.ascontiguousarray(image[h // 3 :, : w // 2])
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(corner)
    if not text:
        return None
    try:
        data = json.loads(text)
        return Timecode(int(data["TIMESTAMP"]) / 1e9, int(data["BUFFERCOUNT"]))
    except (ValueError, KeyError, TypeError):
        return None


def timecode_origins(log_text: str) -> dict[str, list[float]]:
    """``TIMECODE`` lines of a producer's output: name → the ``t0`` of each stream
    started (a test server prints one per client pipeline)."""
    origins: dict[str, list[float]] = {}
    for name, t0 in _LINE.findall(log_text):
        origins.setdefault(name, []).append(float(t0))
    return origins


def origins_in(log_path: Path) -> dict[str, list[float]]:
    return timecode_origins(log_path.read_text(encoding="utf-8", errors="replace"))
