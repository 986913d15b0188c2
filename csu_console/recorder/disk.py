"""The recorder's disk: a budget, a free-space floor, and the CNIL retention.

Past the budget (``disk_budget_gb``, 0: none) or under the floor (``min_free_gb``),
the oldest segments that are NOT under a legal hold are deleted first (file and
index row). When nothing more can be freed, :meth:`DiskGuard.check` says so and
the service interrupts the recording (« enregistrement interrompu », a gap
« disque plein ») until room comes back. The retention (``[retention]
video_days``, 30 at most) deletes unheld segments older than that; held ones
survive both.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from csu_console.core.recording import Segment
from csu_console.recorder.index import RecordingIndex

log = logging.getLogger("csu.recorder")

GB = 1_000_000_000  # the settings' « Go », as disks are sold


@dataclass(frozen=True)
class DiskState:
    """The recording folder's disk, as last checked."""

    used: int  # bytes of indexed segments
    free: int  # bytes free on the file system
    budget: int  # 0: none
    min_free: int
    full: bool  # recording interrupted: nothing more can be freed


class DiskGuard:
    """Keeps the recording folder within its budget and above its floor."""

    def __init__(self, index: RecordingIndex, budget_gb: float, min_free_gb: float) -> None:
        self.index = index
        self.budget = int(budget_gb * GB)
        self.min_free = int(min_free_gb * GB)
        self.state = DiskState(0, 0, self.budget, self.min_free, False)

    def _free(self) -> int:
        return shutil.disk_usage(self.index.root).free

    def _over(self, used: int, free: int) -> bool:
        return (self.budget > 0 and used > self.budget) or free < self.min_free

    def check(self) -> DiskState:
        """Rotate the oldest unheld segments while over budget or under the floor;
        ``full`` when that was not enough."""
        used, free = self.index.total_size(), self._free()
        rotated = freed = 0
        while self._over(used, free):
            progressed = False
            for seg in self.index.oldest_unheld(16):
                if delete_segment(self.index, seg):
                    progressed = True
                    rotated, freed, used = rotated + 1, freed + seg.size, used - seg.size
                free = self._free()
                if not self._over(used, free):
                    break
            if not progressed:
                break  # nothing unheld left (or held meanwhile): never loop on it
        if rotated:
            log.info(
                "disque : %d segment(s) les plus anciens supprimés (%.1f Mo libérés)",
                rotated, freed / 1e6,
            )  # fmt: skip
        full = self._over(used, free)
        if full and not self.state.full:
            log.error(
                "disque plein : %.1f Mo enregistrés (budget %s), %.1f Mo libres (minimum "
                "%.1f Mo) et plus rien à supprimer hors saisie judiciaire : "
                "enregistrement interrompu",
                used / 1e6, f"{self.budget / 1e6:.1f} Mo" if self.budget else "aucun",
                free / 1e6, self.min_free / 1e6,
            )  # fmt: skip
        elif self.state.full and not full:
            log.info("disque : de la place à nouveau, l'enregistrement reprend")
        self.state = DiskState(used, free, self.budget, self.min_free, full)
        return self.state


def delete_segment(index: RecordingIndex, seg: Segment) -> bool:
    """A segment's file, its index row and its day folder once empty; never a held
    one (False then)."""
    if seg.held or index.remove([seg.pk]) == 0:
        return False
    seg.path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        seg.path.parent.rmdir()  # only when empty
    return True


def apply_retention(index: RecordingIndex, video_days: int, now: datetime | None = None) -> int:
    """Delete the unheld segments that ended more than ``video_days`` ago (and the
    closed gaps as old); how many segments went."""
    before = (now or datetime.now(UTC)) - timedelta(days=video_days)
    count = 0
    while batch := index.expired(before, 500):
        deleted = sum(delete_segment(index, seg) for seg in batch)
        count += deleted
        if not deleted:
            break
    index.forget_gaps_before(before)
    if count:
        log.info("rétention : %d segment(s) de plus de %d jours supprimés", count, video_days)
    return count


def folder_free(path: Path) -> int:
    return shutil.disk_usage(path).free
