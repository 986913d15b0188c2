"""The backup's manifest: every file with its size and SHA-256, and its checks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csu_console.errors import UserFacingError

MANIFEST = "manifest.json"
FORMAT = "csu-console-backup"
VERSION = 1
_CHUNK = 1 << 20


class BackupCorrupt(UserFacingError):
    """The backup does not match its manifest: nothing was restored."""


@dataclass(frozen=True)
class FileEntry:
    """One file of the backup, relative to its folder (``data/…``, ``config/…``)."""

    path: str
    size: int
    sha256: str


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def entry_for(root: Path, path: Path) -> FileEntry:
    """The manifest entry of ``path`` (inside ``root``)."""
    return FileEntry(path.relative_to(root).as_posix(), path.stat().st_size, sha256_file(path))


def write_manifest(root: Path, meta: dict[str, Any], files: list[FileEntry]) -> str:
    """Write ``manifest.json``; returns its own SHA-256 (what the logbook keeps)."""
    body = dict(meta)
    body["format"] = FORMAT
    body["version"] = VERSION
    body["files"] = [
        {"path": f.path, "size": f.size, "sha256": f.sha256}
        for f in sorted(files, key=lambda f: f.path)
    ]
    path = root / MANIFEST
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return sha256_file(path)


def read_manifest(root: Path) -> tuple[dict[str, Any], list[FileEntry]]:
    """The manifest's metadata and entries; ``BackupCorrupt`` if it is missing or malformed."""
    path = root / MANIFEST
    if not root.is_dir():
        raise BackupCorrupt(f"sauvegarde introuvable : {root} n'est pas un dossier")
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupCorrupt(f"sauvegarde incomplète : {MANIFEST} absent de {root}") from None
    except (OSError, ValueError) as exc:
        raise BackupCorrupt(f"manifeste illisible ({path}) : {exc}") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise BackupCorrupt(f"{path} n'est pas le manifeste d'une sauvegarde CSU Console")
    if body.get("version") != VERSION:
        raise BackupCorrupt(
            f"version de sauvegarde {body.get('version')!r} non prise en charge"
            f" (attendue : {VERSION})"
        )
    entries: list[FileEntry] = []
    try:
        for item in body["files"]:
            rel = str(item["path"])
            if rel.startswith("/") or ".." in Path(rel).parts:
                raise ValueError(f"chemin hors de la sauvegarde : {rel!r}")
            entries.append(FileEntry(rel, int(item["size"]), str(item["sha256"])))
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupCorrupt(f"manifeste malformé ({path}) : {exc}") from None
    return body, entries


def verify_files(root: Path, entries: list[FileEntry]) -> None:
    """Every listed file present, of its size and digest, and nothing unlisted.

    Raises ``BackupCorrupt`` naming every problem (the first ten).
    """
    problems: list[str] = []
    listed = {e.path for e in entries}
    for entry in entries:
        path = root / entry.path
        if not path.is_file():
            problems.append(f"{entry.path} : absent")
            continue
        if path.stat().st_size != entry.size:
            problems.append(f"{entry.path} : taille {path.stat().st_size} au lieu de {entry.size}")
            continue
        if sha256_file(path) != entry.sha256:
            problems.append(f"{entry.path} : empreinte SHA-256 différente du manifeste")
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and rel != MANIFEST and rel not in listed:
            problems.append(f"{rel} : fichier absent du manifeste")
    if problems:
        more = f" (et {len(problems) - 10} autres)" if len(problems) > 10 else ""
        raise BackupCorrupt(
            "sauvegarde corrompue, rien n'a été restauré : " + " ; ".join(problems[:10]) + more
        )
