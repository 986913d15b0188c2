"""Work that a storm would repeat on every batch, run at most every so often."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


def start_after(timer: QTimer, every_s: float, last: float) -> None:
    """Start the single-shot ``timer`` for what is left of ``every_s`` since ``last``
    (a ``time.monotonic()``), at once if that has passed: always on a later turn of
    the event loop, after what the current batch paints. A running timer is left be.
    """
    if not timer.isActive():
        wait = every_s - (time.monotonic() - last)
        timer.start(max(0, int(wait * 1000) + 1))
