"""Restore a backup into a stopped console's data folder (and its site configuration).

Order: everything is checked before anything is written — the manifest (every
file's size and SHA-256, nothing unlisted), the database copy (SQLite's integrity
check, the logbook's hash chain), the secrets' passphrase; then the data folder's
lock (no console running there). What the restore replaces is moved aside into
``avant-restauration-<date>/``, never deleted.
"""

from __future__ import annotations

import io
import logging
import shutil
import sqlite3
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from csu_console.backup import crypto
from csu_console.backup.lock import DataDirLock
from csu_console.backup.make import CONFIG, DATA, PRE_RESTORE, SECRET_DIRS, SECRETS_FILE
from csu_console.backup.manifest import BackupCorrupt, read_manifest, verify_files
from csu_console.core.logbook import EventKind
from csu_console.errors import UserFacingError
from csu_console.storage.logbook_audit import verify_chain
from csu_console.storage.store import DB_NAME, Store

log = logging.getLogger("csu.backup")


@dataclass
class RestoreResult:
    """What a restore did (also the ``restore`` event's details)."""

    source: Path
    data_dir: Path
    files: int
    events: int
    secrets: bool
    config: bool
    moved_aside: Path | None

    def details(self) -> dict[str, Any]:
        """The logbook event's details."""
        return {
            "from": str(self.source),
            "files": self.files,
            "events": self.events,
            "secrets": self.secrets,
            "config": self.config,
            "moved_aside": str(self.moved_aside) if self.moved_aside else None,
        }


def check_backup(source: Path) -> dict[str, Any]:
    """Verify a backup without restoring it; its manifest, or ``BackupCorrupt``."""
    meta, entries = read_manifest(source)
    verify_files(source, entries)
    db = source / DATA / DB_NAME
    if not db.is_file():
        raise BackupCorrupt(f"sauvegarde sans base de données ({DATA}/{DB_NAME})")
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            report = verify_chain(conn) if integrity == "ok" else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupCorrupt(f"base de la sauvegarde illisible : {exc}") from None
    if report is None:
        raise BackupCorrupt(f"base de la sauvegarde endommagée : {integrity}")
    if report.broken is not None:
        raise BackupCorrupt(
            f"main courante de la sauvegarde rompue après {report.count} événements : "
            f"{report.broken}"
        )
    meta["verified_events"] = report.count
    return meta


def _open_secrets(source: Path, passphrase: str | None) -> bytes | None:
    enc = source / SECRETS_FILE
    if not enc.is_file():
        if passphrase is not None:
            log.warning("restauration : phrase de passe donnée mais aucun secret dans %s", source)
        return None
    if passphrase is None:
        log.warning(
            "restauration sans les secrets chiffrés (identifiants des caméras, clé du poste) :"
            " donnez la phrase de passe pour les restaurer"
        )
        return None
    archive = crypto.decrypt(enc.read_bytes(), passphrase)
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            names = tar.getnames()
    except tarfile.TarError as exc:
        raise BackupCorrupt(f"secrets déchiffrés mais illisibles : {exc}") from None
    bad = [n for n in names if Path(n).parts[0] not in SECRET_DIRS]
    if bad:
        raise BackupCorrupt(f"secrets chiffrés inattendus : {bad[:3]}")
    return archive


def restore_backup(
    source: Path,
    data_dir: Path,
    *,
    config_dir: Path | None = None,
    passphrase: str | None = None,
    replace: bool = False,
    who: str = "?",
    station: str = "cli",
    now: datetime | None = None,
) -> RestoreResult:
    """Restore ``source`` into ``data_dir`` (and its configuration into ``config_dir``).

    Refuses (``UserFacingError``, French) a corrupt backup, a wrong passphrase, a
    data folder in use by a console, or one that already has a database unless
    ``replace`` (then the replaced files are moved aside, not deleted).
    """
    now = now or datetime.now(UTC)
    meta = check_backup(source)
    archive = _open_secrets(source, passphrase)
    lock = DataDirLock(data_dir)
    if not lock.acquire():
        pid = lock.holder()
        raise UserFacingError(
            f"une console utilise {data_dir}{f' (processus {pid})' if pid else ''} :"
            " arrêtez-la avant de restaurer"
        )
    try:
        if (data_dir / DB_NAME).exists() and not replace:
            raise UserFacingError(
                f"{data_dir} contient déjà une base : ajoutez --remplacer pour la remplacer"
                " (l'actuelle sera mise de côté, pas effacée)"
            )
        if config_dir is not None and _has_files(config_dir) and not replace:
            raise UserFacingError(
                f"{config_dir} contient déjà une configuration : ajoutez --remplacer"
            )
        stamp = f"{PRE_RESTORE}{now.astimezone():%Y%m%d-%H%M%S}"
        aside = data_dir / stamp
        moved = _move_aside(data_dir, aside, source / DATA, archive is not None)
        files = _copy_in(source / DATA, data_dir)
        restored_config = False
        if config_dir is not None and (source / CONFIG).is_dir():
            if _has_files(config_dir):
                config_aside = config_dir.with_name(f"{config_dir.name}.{stamp}")
                shutil.move(config_dir, config_aside)
                log.info("configuration remplacée mise de côté : %s", config_aside)
            files += _copy_in(source / CONFIG, config_dir)
            restored_config = True
        if archive is not None:
            with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
                tar.extractall(data_dir, filter="data")
        result = RestoreResult(
            source=source,
            data_dir=data_dir,
            files=files,
            events=int(meta["verified_events"]),
            secrets=archive is not None,
            config=restored_config,
            moved_aside=aside if moved else None,
        )
        store = Store(data_dir / DB_NAME)
        try:
            details = result.details() | {"backup_created_at": meta.get("created_at")}
            store.add_event(EventKind.RESTORE.value, None, station, who, details)
        finally:
            store.close()
    finally:
        lock.release()
    log.info("sauvegarde %s restaurée dans %s (%d fichiers)", source, data_dir, files)
    return result


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def _move_aside(data_dir: Path, aside: Path, incoming: Path, secrets: bool) -> bool:
    """Move what the restore would overwrite into ``aside``; True if anything moved."""
    names = {p.name for p in incoming.iterdir()}
    names |= {f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"}
    if secrets:
        names |= set(SECRET_DIRS)
    moved = False
    for name in sorted(names):
        path = data_dir / name
        if path.exists() or path.is_symlink():
            aside.mkdir(parents=True, exist_ok=True)
            shutil.move(path, aside / name)
            moved = True
    if moved:
        log.info("données remplacées mises de côté : %s", aside)
    return moved


def _copy_in(src: Path, dest: Path) -> int:
    count = 0
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    return count
