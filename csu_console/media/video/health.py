"""Health rules shared by every backend: the retry schedule and frozen-picture detection."""

from __future__ import annotations

import zlib

import numpy as np

from csu_console.media.video.source import HealthSettings

# Digest at most this often: a full-frame CRC costs ~0.4 ms at 640x360 (1.6 ms at
# 720p); twice a second per stream is negligible and still resolves a freeze of a
# few seconds. A coarse pixel subsample would be cheaper per frame but misses a
# camera's clock overlay, the only thing that moves in a still scene.
DIGEST_INTERVAL_S = 0.5


def backoff_delay(attempt: int, health: HealthSettings) -> float:
    """Seconds to wait before reconnection ``attempt`` (1, 2, 3...).

    ``backoff_initial_s`` doubling up to ``backoff_max_s``: with the defaults
    0.5, 1, 2, 4, 5, 5... forever.
    """
    if attempt < 1:
        return 0.0
    # min() first: 2 ** attempt would grow without bound after days of retries.
    doublings = min(attempt - 1, 32)
    return float(min(health.backoff_initial_s * 2.0**doublings, health.backoff_max_s))


class FreezeDetector:
    """Tells how long the picture has been identical (a camera stuck on one image).

    Call :meth:`update` for every decoded frame; it digests one frame per
    :data:`DIGEST_INTERVAL_S` and remembers when the digest last changed.
    """

    def __init__(self, now: float) -> None:
        self._digest: int | None = None
        self._changed_mono = now
        self._checked_mono = -1e9

    def reset(self, now: float) -> None:
        """Forget the picture (a new connection starts)."""
        self._digest = None
        self._changed_mono = now
        self._checked_mono = -1e9

    def update(self, image: np.ndarray, now: float) -> None:
        if now - self._checked_mono < DIGEST_INTERVAL_S:
            return
        self._checked_mono = now
        digest = zlib.crc32(np.ascontiguousarray(image).data)
        if digest != self._digest:
            self._digest = digest
            self._changed_mono = now

    def frozen_for(self, now: float) -> float:
        """Seconds since the picture last changed (0 just after a change)."""
        return max(0.0, now - self._changed_mono)
