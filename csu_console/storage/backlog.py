"""The console's own events while the disk is full: kept in memory, in order.

Events the console writes itself — an alert displayed, a camera viewed, the
sound muted — happen whether or not the disk has room. When a write of them
fails for the environment's reason (disk full, above all), the storage thread
(:mod:`csu_console.storage.writer`) keeps them here, in the order they came,
and writes them, oldest first and before anything newer, as soon as a write
succeeds again. Their hash chain is computed at that moment: the chain's order
is the order of writing, their ``at`` the moment they happened.

**Bound.** At most :data:`BACKLOG_LIMIT` events are kept (some 25 MB). Beyond,
the *newest* are not kept: the record from the moment the disk filled stays
whole, and what could not be kept is counted (:attr:`DiskState.dropped`), shown
in the status bar and logged with its count — never silently.
"""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from csu_console.storage.logbook import NewEvent

#: Events kept in memory at most while they cannot be written.
BACKLOG_LIMIT = 50_000
#: Events written per transaction when the backlog is flushed (a failed attempt
#: costs one chunk, not the whole backlog).
FLUSH_CHUNK = 500
#: Below this much free space in the data folder, « espace disque faible ».
LOW_SPACE_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class DiskState:
    """What the storage thread knows of its disk (a value: handed across threads)."""

    full: bool = False  # the last write failed because the disk is full
    failing: bool = False  # the last write failed (full, or another environment fault)
    pending: int = 0  # own events kept in memory, waiting for room
    dropped: int = 0  # own events not kept (beyond the bound) since the trouble began
    since: datetime | None = None  # when writes began to fail
    error: str = ""  # the last failure's text
    free_bytes: int | None = None  # free space of the data folder's filesystem
    low: bool = False  # free space under the threshold

    @property
    def trouble(self) -> bool:
        """Writes fail, or events wait in memory."""
        return self.failing or self.pending > 0


class EventBacklog:
    """A bounded FIFO of events waiting to be written (one thread: the storage's)."""

    def __init__(self, limit: int = BACKLOG_LIMIT) -> None:
        self.limit = limit
        self._events: deque[NewEvent] = deque()
        #: Events refused since the backlog was last empty.
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._events)

    def keep(self, events: Sequence[NewEvent]) -> int:
        """Append ``events`` in order, up to the bound; how many were kept."""
        room = max(0, self.limit - len(self._events))
        kept = list(events[:room])
        self._events.extend(kept)
        self.dropped += len(events) - len(kept)
        return len(kept)

    def head(self, n: int = FLUSH_CHUNK) -> list[NewEvent]:
        """The ``n`` oldest events (not removed)."""
        return [self._events[i] for i in range(min(n, len(self._events)))]

    def written(self, n: int) -> None:
        """The ``n`` oldest events were written: forget them."""
        for _ in range(n):
            self._events.popleft()
        if not self._events:
            self.dropped = 0


def free_bytes(folder: Path) -> int | None:
    """Free space for us on ``folder``'s filesystem (None: cannot tell)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
