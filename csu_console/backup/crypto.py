"""Encryption of the secrets part of a backup: scrypt key, AES-256-GCM.

File format (``secrets.enc``): one line of JSON (the header: format, scrypt
parameters, salt and nonce in base64), a newline, then the ciphertext with its
16-byte GCM tag. The header is the associated data: changing it fails the tag.
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from csu_console.errors import UserFacingError

FORMAT = "csu-secrets-aesgcm-scrypt-1"
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE = 12


class BadPassphrase(UserFacingError):
    """The passphrase does not open these secrets (or the file was altered)."""


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def encrypt(plain: bytes, passphrase: str) -> bytes:
    """``plain`` encrypted under ``passphrase`` (at least 12 characters)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserFacingError(f"phrase de passe trop courte : {MIN_PASSPHRASE} caractères au moins")
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps(
        {
            "format": FORMAT,
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": base64.b64encode(salt).decode("ascii"),
            "nonce": base64.b64encode(nonce).decode("ascii"),
        },
        sort_keys=True,
    ).encode("ascii")
    key = _key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return header + b"\n" + AESGCM(key).encrypt(nonce, plain, header)


def decrypt(blob: bytes, passphrase: str) -> bytes:
    """The plain bytes; ``BadPassphrase`` if the passphrase is wrong or the file altered."""
    header, sep, body = blob.partition(b"\n")
    try:
        meta = json.loads(header)
        if not sep or meta.get("format") != FORMAT:
            raise ValueError(meta.get("format") if isinstance(meta, dict) else header[:40])
        salt = base64.b64decode(meta["salt"])
        nonce = base64.b64decode(meta["nonce"])
        n, r, p = int(meta["n"]), int(meta["r"]), int(meta["p"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BadPassphrase(f"secrets chiffrés illisibles (format inconnu : {exc})") from None
    if not (2**10 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
        raise BadPassphrase("secrets chiffrés illisibles (paramètres scrypt hors bornes)")
    try:
        return AESGCM(_key(passphrase, salt, n, r, p)).decrypt(nonce, body, header)
    except InvalidTag:
        raise BadPassphrase(
            "phrase de passe incorrecte, ou fichier des secrets altéré : secrets non restaurés"
        ) from None
