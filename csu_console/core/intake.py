"""What happened to each frame of a committed batch: shared by the console's store,
the alert link and the hub's intake (no Qt, no storage)."""

from __future__ import annotations

from dataclasses import dataclass

from csu_console.core.alerts import StoredAlert
from csu_console.core.protocol import Rejection


@dataclass(frozen=True)
class Outcome:
    """What happened to one frame of a committed batch.

    ``kind`` is ``stored``, ``duplicate`` or ``rejected``; ``stored`` is the alert as
    the console stored it (None at the hub, which keeps frames, not rows).
    """

    seq: int | None
    kind: str  # "stored" | "duplicate" | "rejected"
    alert_id: str | None = None
    stored: StoredAlert | None = None
    rejection: Rejection | None = None
    received_mono: float = 0.0  # time.monotonic() when the frame arrived (latency)
