"""The data folder's lock: one console at a time, and no restore under a running one.

The console holds an exclusive ``flock`` on ``<data-dir>/console.lock`` while it runs
(the kernel releases it when the process ends, even after a crash). ``restore``
takes the same lock, so it refuses to write under a running console.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import IO

log = logging.getLogger("csu.backup")

LOCK_NAME = "console.lock"


class DataDirLock:
    """An exclusive, non-blocking lock on a data folder (``acquire`` says if it got it)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        """True when this process now holds the lock; False when another one does."""
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def holder(self) -> str:
        """The pid written by the holder (for messages), or ''."""
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def release(self) -> None:
        """Let go of the lock (closing the file releases it)."""
        if self._file is not None:
            self._file.close()
            self._file = None
