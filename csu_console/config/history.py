"""Versions of the cameras and zones: every save keeps the previous files, and any
kept version can be restored (a restore is itself undoable).

Layout: ``<config>/history/<UTC time>-<n>/`` holds the ``cameras.geojson`` and
``zones.geojson`` *as they were before* a change, byte for byte, and a
``meta.json``: who made the change, why, when, and the SHA-256 of each file (checked
before a restore). ``n`` counts up across the folder, so versions sort even within
one second. At most ``keep`` versions are kept (50 by default), the oldest go first.
A lock file serialises two processes saving at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from csu_console.config.atomic import write_atomic
from csu_console.config.geo_checks import check_geo
from csu_console.config.geo_write import cameras_document, write_geo, zones_document
from csu_console.config.schema import CAMERAS_FILE, ZONES_FILE, Camera, Zone
from csu_console.errors import ConfigError, UserFacingError

log = logging.getLogger("csu.config.history")

HISTORY_DIR = "history"
META_FILE = "meta.json"
DEFAULT_KEEP = 50
GEO_FILES = (CAMERAS_FILE, ZONES_FILE)
_ID = re.compile(r"^(\d{8}T\d{6}Z)-(\d+)$")


class HistoryError(UserFacingError):
    """A version cannot be read or restored (missing, corrupt); text in French."""


@dataclass(frozen=True)
class Version:
    """One kept configuration: the files as they were before ``author``'s change.

    ``action`` says what replaced them (``save``, ``restore``, ``import``); ``files``
    maps each kept file name to its SHA-256.
    """

    id: str
    saved_at: datetime
    author: str
    reason: str
    action: str = "save"
    files: dict[str, str] = field(default_factory=dict)

    @property
    def number(self) -> int:
        """The version's rank in the folder (1 for the first ever kept)."""
        return _number(self.id)


def _number(version_id: str) -> int:
    match = _ID.match(version_id)
    return int(match[2]) if match else 0


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ConfigHistory:
    """The versions of a config directory's GeoJSON files (see the module docstring)."""

    def __init__(self, config_dir: Path, *, keep: int = DEFAULT_KEEP) -> None:
        if keep < 1:
            raise ValueError(f"keep must be >= 1, got {keep}")
        self.config_dir = Path(config_dir)
        self.root = self.config_dir / HISTORY_DIR
        self.keep = keep

    # -- public ----------------------------------------------------------------------

    def save(
        self,
        cameras: Sequence[Camera],
        zones: Sequence[Zone],
        *,
        author: str,
        reason: str,
        action: str = "save",
    ) -> Version:
        """Keep the current files as a version, then write ``cameras`` and ``zones``.

        Raises :class:`~csu_console.errors.ConfigError` (nothing written) when the new
        configuration does not validate. Returns the version kept: restoring it undoes
        this save.
        """
        _, _, problems = check_geo(cameras_document(cameras), zones_document(zones))
        if problems:
            lines = [f"Configuration refusée ({len(problems)} problème(s)) :"]
            lines += [f"- {p}" for p in problems[:20]]
            raise ConfigError("\n".join(lines), list(problems))
        with self._locked():
            version = self._archive(author, reason, action)
            write_geo(self.config_dir, cameras, zones)
            self._prune()
        log.info("configuration enregistrée par %s (version précédente %s)", author, version.id)
        return version

    def versions(self) -> list[Version]:
        """Every kept version, newest first (unreadable folders are logged and skipped)."""
        found: list[Version] = []
        for folder in self._folders():
            try:
                found.append(self._read_meta(folder))
            except HistoryError as exc:
                log.warning("version ignorée : %s", exc)
        return sorted(found, key=lambda v: v.number, reverse=True)

    def get(self, version_id: str) -> Version:
        """The version ``version_id``; :class:`HistoryError` when missing or corrupt."""
        folder = self._folder(version_id)
        version = self._read_meta(folder)
        for name, digest in version.files.items():
            try:
                data = (folder / name).read_bytes()
            except OSError as exc:
                raise HistoryError(
                    f"Version {version_id} corrompue : {name} illisible ({exc.strerror or exc})."
                ) from exc
            if _sha256(data) != digest:
                raise HistoryError(
                    f"Version {version_id} corrompue : {name} ne correspond plus à son empreinte."
                )
        if not version.files:
            raise HistoryError(f"Version {version_id} vide : aucun fichier à restaurer.")
        return version

    def restore(self, version_id: str, *, author: str) -> Version:
        """Bring version ``version_id``'s files back, after keeping the current ones.

        Returns the version kept just before (restoring it undoes this restore).
        Raises :class:`HistoryError` for a missing or corrupt version.
        """
        with self._locked():
            version = self.get(version_id)
            folder = self._folder(version_id)
            contents = {name: (folder / name).read_bytes() for name in version.files}
            kept = self._archive(
                author, f"avant restauration de la version {version_id}", "restore"
            )
            # Zones first, as write_geo does: new zone ids exist before cameras use them.
            for name in sorted(contents, key=lambda n: n != ZONES_FILE):
                write_atomic(self.config_dir / name, contents[name])
            self._prune()
        log.info("version %s restaurée par %s", version_id, author)
        return kept

    # -- internals ---------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _folders(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.iterdir() if p.is_dir() and _ID.match(p.name)]

    def _folder(self, version_id: str) -> Path:
        if not _ID.match(version_id) or not (self.root / version_id).is_dir():
            known = ", ".join(v.id for v in self.versions()[:5]) or "aucune"
            raise HistoryError(
                f"Version « {version_id} » introuvable dans {self.root} "
                f"(dernières versions : {known})."
            )
        return self.root / version_id

    def _next_id(self, now: datetime) -> str:
        numbers = [_number(p.name) for p in self._folders()]
        return f"{now:%Y%m%dT%H%M%SZ}-{max(numbers, default=0) + 1}"

    def _archive(self, author: str, reason: str, action: str) -> Version:
        now = datetime.now(UTC)
        version_id = self._next_id(now)
        staging = self.root / f".{version_id}.tmp"
        staging.mkdir(parents=True)
        files: dict[str, str] = {}
        for name in GEO_FILES:
            source = self.config_dir / name
            if source.is_file():
                data = source.read_bytes()
                write_atomic(staging / name, data)
                files[name] = _sha256(data)
        version = Version(version_id, now, author, " ".join(reason.split()), action, files)
        meta = {
            "format": 1,
            "id": version.id,
            "saved_at": now.isoformat(timespec="seconds"),
            "author": version.author,
            "reason": version.reason,
            "action": action,
            "files": files,
        }
        text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
        write_atomic(staging / META_FILE, text.encode("utf-8"))
        staging.rename(self.root / version_id)  # the version appears whole or not at all
        return version

    def _read_meta(self, folder: Path) -> Version:
        try:
            meta: Any = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HistoryError(f"Version {folder.name} corrompue : {META_FILE} illisible.") from exc
        try:
            files = meta["files"]
            if not isinstance(files, dict) or not set(files) <= set(GEO_FILES):
                raise TypeError(files)
            return Version(
                id=folder.name,
                saved_at=datetime.fromisoformat(meta["saved_at"]),
                author=str(meta["author"]),
                reason=str(meta["reason"]),
                action=str(meta.get("action", "save")),
                files={str(k): str(v) for k, v in files.items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HistoryError(f"Version {folder.name} corrompue : {META_FILE} incomplet.") from exc

    def _prune(self) -> None:
        folders = sorted(self._folders(), key=lambda p: _number(p.name))
        for old in folders[: max(0, len(folders) - self.keep)]:
            shutil.rmtree(old)
            log.info("version %s supprimée (au-delà de %d versions)", old.name, self.keep)
