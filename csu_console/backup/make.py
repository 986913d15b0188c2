"""Write a backup: database (SQLite online backup), evidence, configuration, manifest.

The database is copied with SQLite's backup API in one step: one read transaction,
so the copy is one consistent state of the database even while the console's
writer commits alerts (WAL: the writer is never blocked). Files of the data folder
other than the database are copied as they are; the recorder's rolling video
(``recordings/``), the logs, the stream credentials (``secrets/``) and the station's
signing key (``keys/``) stay out; the last two go in ``secrets.enc`` when a
passphrase is given (see :mod:`csu_console.backup.crypto`).
"""

from __future__ import annotations

import errno
import io
import logging
import os
import shutil
import sqlite3
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from csu_console.backup import crypto
from csu_console.backup.lock import LOCK_NAME
from csu_console.backup.manifest import FileEntry, entry_for, write_manifest
from csu_console.core.logbook import EventKind
from csu_console.errors import UserFacingError
from csu_console.storage.logbook_audit import verify_chain
from csu_console.storage.store import DB_NAME, Store

log = logging.getLogger("csu.backup")

PREFIX = "sauvegarde-"
PARTIAL = ".partielle"
PRE_RESTORE = "avant-restauration-"
DATA = "data"
CONFIG = "config"
SECRETS_FILE = "secrets.enc"
#: Folders of the data folder that hold credentials or keys: only encrypted.
SECRET_DIRS = ("secrets", "keys")
#: Top-level entries of the data folder never copied as they are.
_SKIPPED = {
    DB_NAME,
    f"{DB_NAME}-wal",
    f"{DB_NAME}-shm",
    f"{DB_NAME}-journal",
    LOCK_NAME,
    "recordings",  # the recorder's rolling video: its own retention, far too large
    "logs",
    *SECRET_DIRS,
}

Recorder = Callable[[dict[str, Any]], None]


@dataclass
class BackupResult:
    """What a backup wrote (also the ``backup`` event's details)."""

    path: Path
    files: int
    bytes: int
    manifest_sha256: str
    events: int
    chain_head: str
    secrets: bool
    skipped: list[str] = field(default_factory=list)

    def details(self) -> dict[str, Any]:
        """The logbook event's details."""
        return {
            "to": str(self.path),
            "files": self.files,
            "bytes": self.bytes,
            "manifest_sha256": self.manifest_sha256,
            "events": self.events,
            "secrets": self.secrets,
        }


def backup_name(now: datetime) -> str:
    """« sauvegarde-20261205-030000 » (local time of the machine)."""
    return f"{PREFIX}{now.astimezone():%Y%m%d-%H%M%S}"


def copy_database(src: Path, dest: Path) -> None:
    """SQLite's online backup of ``src`` into a new, self-contained ``dest``."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dest)
    try:
        source.execute("PRAGMA busy_timeout = 30000")
        source.backup(target)  # pages=-1: all in one step, one consistent snapshot
        target.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        target.commit()
    finally:
        target.close()
        source.close()


def _copy_tree(src: Path, dest_root: Path, dest_parent: Path, skip_top: set[str]) -> list[Path]:
    """Copy the regular files under ``src`` (not the skipped top-level names, not
    symlinks, not the folder receiving backups); the copies' paths."""
    avoid = dest_parent.resolve()
    copied: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(src):
        here = Path(dirpath)
        top = here == src
        keep: list[str] = []
        for d in dirnames:
            full = here / d
            if full.is_symlink() or full.resolve() == avoid:
                continue  # the folder receiving the backups is never copied into them
            if top and (d in skip_top or d.startswith((PRE_RESTORE, PREFIX))):
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        for name in sorted(filenames):
            full = here / name
            if (top and name in skip_top) or full.is_symlink() or not full.is_file():
                continue
            if name.endswith(".tmp"):
                continue  # an atomic write in progress
            target = dest_root / full.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(full, target)
            copied.append(target)
    return copied


def _secrets_archive(data_dir: Path) -> bytes | None:
    """A tar of ``secrets/`` and ``keys/`` (None when neither exists)."""
    present = [d for d in SECRET_DIRS if (data_dir / d).is_dir()]
    if not present:
        return None
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for d in present:
            tar.add(data_dir / d, arcname=d)
    return buf.getvalue()


def unwritable(dest: Path, exc: OSError) -> str:
    """Why a backup could not be written into ``dest``, in French."""
    if dest.exists() and not dest.is_dir():
        return f"le dossier de sauvegarde {dest} est un fichier, pas un dossier"
    if isinstance(exc, PermissionError):
        return f"pas le droit d'écrire dans le dossier de sauvegarde {dest}"
    if exc.errno == errno.ENOSPC:
        return f"disque plein : plus de place dans le dossier de sauvegarde {dest}"
    if exc.errno == errno.EROFS:
        return f"le dossier de sauvegarde {dest} est en lecture seule"
    return f"dossier de sauvegarde {dest} inaccessible : {exc.strerror or exc}"


def make_backup(
    data_dir: Path,
    dest_parent: Path,
    *,
    config_dir: Path | None = None,
    passphrase: str | None = None,
    record: Recorder | None = None,
    now: datetime | None = None,
    verify: bool = True,
) -> BackupResult:
    """Back up ``data_dir`` (and ``config_dir``) into a new folder of ``dest_parent``.

    The folder is written as ``….partielle`` and renamed when complete: a backup
    cut short (power, disk full) never looks complete. ``record`` logs the
    ``backup`` event (default: appended to the data folder's database).
    ``verify``: walk the copy's logbook chain (Python work, holding the GIL a while
    on a big database); the console's own backups skip it (``chain_ok`` null) so
    that its GUI never waits: the restore always verifies.
    Raises ``UserFacingError`` with a French reason.
    """
    db = data_dir / DB_NAME
    if not db.is_file():
        raise UserFacingError(f"sauvegarde impossible : base introuvable ({db})")
    now = now or datetime.now(UTC)
    try:
        dest_parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserFacingError(unwritable(dest_parent, exc)) from exc
    final = dest_parent / backup_name(now)
    for n in range(2, 100):  # two backups within one second: -2, -3…
        if not final.exists() and not final.with_name(final.name + PARTIAL).exists():
            break
        final = dest_parent / f"{backup_name(now)}-{n}"
    else:
        raise UserFacingError(f"sauvegarde impossible : {final} existe déjà")
    tmp = final.with_name(final.name + PARTIAL)
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        result = _write(data_dir, tmp, final, config_dir, passphrase, now, verify)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise UserFacingError(unwritable(dest_parent, exc)) from exc
        raise
    os.replace(tmp, final)
    log.info(
        "sauvegarde écrite : %s (%d fichiers, %d octets, manifeste %s)",
        final, result.files, result.bytes, result.manifest_sha256[:16],
    )  # fmt: skip
    (record or _store_recorder(db))(result.details())
    return result


def _write(
    data_dir: Path,
    tmp: Path,
    final: Path,
    config_dir: Path | None,
    passphrase: str | None,
    now: datetime,
    verify: bool,
) -> BackupResult:
    tmp.mkdir(mode=0o700)  # personal data: the backup is private to its owner
    (tmp / DATA).mkdir()
    db_copy = tmp / DATA / DB_NAME
    try:
        copy_database(data_dir / DB_NAME, db_copy)
        conn = sqlite3.connect(db_copy)
        try:
            if verify:
                report = verify_chain(conn)
                events, head, chain_ok = report.count, report.head, report.broken is None
            else:
                events, head = conn.execute(
                    "SELECT count(*), (SELECT hash FROM events ORDER BY pk DESC LIMIT 1)"
                    " FROM events"
                ).fetchone()
                chain_ok = None
            schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UserFacingError(f"sauvegarde impossible : copie de la base : {exc}") from exc
    copied = [db_copy]
    copied += _copy_tree(data_dir, tmp / DATA, final.parent, _SKIPPED)
    if config_dir is not None and config_dir.is_dir():
        copied += _copy_tree(config_dir, tmp / CONFIG, final.parent, {".lock"})
    secrets = False
    archive = _secrets_archive(data_dir)
    if passphrase is not None:
        if archive is None:
            log.info("sauvegarde : aucun secret à chiffrer (ni secrets/ ni keys/)")
        else:
            (tmp / SECRETS_FILE).write_bytes(crypto.encrypt(archive, passphrase))
            copied.append(tmp / SECRETS_FILE)
            secrets = True
    entries: list[FileEntry] = [entry_for(tmp, p) for p in copied]
    meta = {
        "created_at": now.isoformat(),
        "data_dir": str(data_dir),
        "config_dir": str(config_dir) if config_dir is not None else None,
        "schema_version": schema,
        "events": events,
        "chain_head": head,
        "chain_ok": chain_ok,
        "secrets": "chiffrés" if secrets else ("exclus" if archive is not None else "aucun"),
    }
    digest = write_manifest(tmp, meta, entries)
    return BackupResult(
        path=final,
        files=len(entries),
        bytes=sum(e.size for e in entries),
        manifest_sha256=digest,
        events=int(events),
        chain_head=str(head or ""),
        secrets=secrets,
    )


def _store_recorder(db: Path) -> Recorder:
    def record(details: dict[str, Any]) -> None:
        from csu_console.cli_access import who_runs
        from csu_console.storage.admin import CLI_STATION

        store = Store(db)
        try:
            store.add_event(EventKind.BACKUP.value, None, CLI_STATION, who_runs(), details)
        finally:
            store.close()

    return record


def prune(dest_parent: Path, keep: int) -> list[Path]:
    """Remove the oldest complete backups of ``dest_parent`` beyond ``keep``; removed."""
    if keep < 1:
        return []
    done = sorted(
        p for p in dest_parent.glob(f"{PREFIX}*") if p.is_dir() and not p.name.endswith(PARTIAL)
    )
    removed = done[:-keep]
    for path in removed:
        shutil.rmtree(path)
        log.info("ancienne sauvegarde supprimée (%d gardées) : %s", keep, path)
    return removed
