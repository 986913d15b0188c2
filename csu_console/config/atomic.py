"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path

log = logging.getLogger("csu.config")


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` via a temporary file, fsync and ``os.replace``.

    A reader sees the old file or the new one, never half of one; the directory is
    synced too so that the rename survives a power cut. ``mode`` is the new file's
    permissions (None: those of the file replaced, else 0644); the temporary file
    is created 0600 and only then given ``mode``, so a secret is never exposed.
    """
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


def _sync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:  # not supported by some file systems: the file itself is synced
        log.debug("dossier %s non synchronisé : %s", directory, exc)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        log.debug("dossier %s non synchronisé : %s", directory, exc)
    finally:
        os.close(fd)
