"""The station's Ed25519 key: one file under the data folder, mode 0600.

Created by ``csu-console keys init`` at install, or — if missing — at the
console's first start (logged); ``csu-console keys show`` prints the public key
for the hub's administrator (``[[station]] public_key`` in ``hub.toml``). The
file holds the key in PKCS#8 PEM, unencrypted (the station must sign unattended);
its protection is the file mode and the data folder's own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from csu_console.errors import StorageError

log = logging.getLogger("csu.storage")

KEY_DIR = "keys"
KEY_FILE = "station.ed25519"


def key_path(data_dir: Path) -> Path:
    """Where the station's key lives in ``data_dir``."""
    return data_dir / KEY_DIR / KEY_FILE


def load_key(path: Path) -> Ed25519PrivateKey:
    """The key in ``path``; :class:`StorageError` naming the file when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorageError(f"clé du poste illisible ({path}) : {exc.strerror or exc}") from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as exc:
        raise StorageError(f"clé du poste invalide ({path}) : {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise StorageError(f"clé du poste invalide ({path}) : Ed25519 attendue")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("clé du poste %s lisible par d'autres (mode %o) : remise en 0600", path, mode)
        with contextlib.suppress(OSError):
            path.chmod(0o600)
    return key


def create_key(path: Path) -> Ed25519PrivateKey:
    """A new key written to ``path`` (mode 0600 from its creation; never overwrites:
    :class:`FileExistsError` when the file is there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        path.parent.chmod(0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)  # atomic, and fails if another process created it meanwhile
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return key


def ensure_key(data_dir: Path) -> tuple[Ed25519PrivateKey, bool]:
    """The station's key, created when missing (logged); ``(key, created)``."""
    path = key_path(data_dir)
    if path.exists():
        return load_key(path), False
    try:
        key = create_key(path)
    except FileExistsError:  # the console's other process made it just now
        return load_key(path), False
    except OSError as exc:
        raise StorageError(f"clé du poste non créée ({path}) : {exc.strerror or exc}") from exc
    log.info("clé du poste créée : %s (à déclarer au hub : csu-console keys show)", path)
    return key, True
