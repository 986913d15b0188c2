"""Availability of each camera over a review's period, from the logged outages (Qt-free).

An outage is what the console logged: the priority-4 « caméra hors service »
alert (raised after ``[video] offline_after_s`` without a usable picture) up to
the camera's next ``camera_online`` event. Shorter drops raise nothing and are
not counted: availability here is « no outage long enough to alert ».
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from csu_console.core.review.activity import CameraOutage
from csu_console.core.review.period import Period


@dataclass(frozen=True, slots=True)
class CameraAvailability:
    """One camera over the period."""

    camera_id: str
    camera_name: str
    outages: int  # outages overlapping the period
    down_s: float  # seconds without picture within the period (overlaps merged)
    period_s: float

    @property
    def percent(self) -> float:
        """Share of the period with pictures, 0 to 100."""
        if self.period_s <= 0:
            return 100.0
        return max(0.0, 100.0 * (1.0 - self.down_s / self.period_s))


def _merged_seconds(spans: list[tuple[datetime, datetime]]) -> float:
    total, end = 0.0, None
    start = None
    for a, b in sorted(spans):
        if end is None or a > end:
            if end is not None and start is not None:
                total += (end - start).total_seconds()
            start, end = a, b
        elif b > end:
            end = b
    if end is not None and start is not None:
        total += (end - start).total_seconds()
    return total


def camera_availability(
    outages: Iterable[CameraOutage], period: Period, names: Mapping[str, str] | None = None
) -> list[CameraAvailability]:
    """Every camera of ``names`` (the site's, 100 % when never down) and every camera
    with an outage, least available first, then by name."""
    spans: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    labels = dict(names or {})
    for o in outages:
        start = max(o.down_since, period.start)
        end = period.end if o.back_at is None else min(o.back_at, period.end)
        if end <= start:
            continue
        spans[o.camera_id].append((start, end))
        counts[o.camera_id] += 1
        labels.setdefault(o.camera_id, o.camera_name)
    period_s = (period.end - period.start).total_seconds()
    out = [
        CameraAvailability(cid, name, counts[cid], _merged_seconds(spans[cid]), period_s)
        for cid, name in labels.items()
    ]
    return sorted(out, key=lambda a: (a.percent, a.camera_name))
