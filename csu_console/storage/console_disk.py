"""The console's disk, as the operator must see it (Qt-free state).

Two processes write to the database: the console's own storage thread (its
:class:`~csu_console.storage.backlog.DiskState`) and the alert link's process,
which reports only its link status (``STORAGE_DOWN`` with the error's text).
:class:`ConsoleDisk` puts the two together; the status bar's « DISQUE PLEIN »
subscribes to it (``ui/console/disk_status.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.storage.backlog import DiskState
from csu_console.storage.codec import is_disk_full


@dataclass(frozen=True)
class ConsoleDisk:
    """The disk as the console's writes and the link's commits found it."""

    writer: DiskState = field(default_factory=DiskState)
    link_full: bool = False  # the link could not commit alerts: disk full
    link_failing: bool = False  # … for any storage reason
    link_error: str = ""

    @property
    def full(self) -> bool:
        """« DISQUE PLEIN »: the last write of either process failed for lack of room."""
        return self.writer.full or self.link_full

    @property
    def failing(self) -> bool:
        """Writes fail (disk full, or another environment fault such as a read-only disk)."""
        return self.writer.failing or self.link_failing

    @property
    def pending(self) -> int:
        """The console's own events waiting in memory."""
        return self.writer.pending

    @property
    def error(self) -> str:
        """The latest failure's text, of either process."""
        return self.writer.error or self.link_error

    def with_writer(self, state: DiskState) -> ConsoleDisk:
        """The console's storage thread said something new."""
        return replace(self, writer=state)

    def with_link(self, status: LinkStatus) -> ConsoleDisk:
        """A new link status: ``STORAGE_DOWN`` says the link's commits fail; any
        other phase but a lost connection says they work (or are not tried)."""
        if status.phase is LinkPhase.STORAGE_DOWN:
            return replace(
                self,
                link_full=is_disk_full(status.error),
                link_failing=True,
                link_error=status.error,
            )
        if status.phase in (LinkPhase.CONNECTED, LinkPhase.STOPPED):
            return replace(self, link_full=False, link_failing=False, link_error="")
        return self  # connecting or lost: nothing learnt about the disk
