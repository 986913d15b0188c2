"""Signing and checking a station's chain head (Ed25519 through ``cryptography``).

A :class:`~csu_console.core.book_wire.ChainHead` says « at ``at``, the last event
of ``station``'s book was n° ``seq`` with hash ``hash`` »; the station signs
:meth:`~csu_console.core.book_wire.ChainHead.signed_bytes` with its own key
(:mod:`csu_console.storage.station_key`), and whoever keeps the head (the hub,
the other stations) can later prove what the book held. No Qt, no I/O.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from csu_console.core.book_wire import ChainHead

#: Why a head is published: every minute while linked, and at each shift close.
HEAD_REASONS = ("minute", "shift_close")


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw 32-byte public key in base64 (what ``hub.toml`` registers)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key from its base64 text; :class:`ValueError` in French when it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("clé publique : base64 illisible") from exc
    if len(raw) != 32:
        raise ValueError(f"clé publique : 32 octets attendus, {len(raw)} reçus")
    return Ed25519PublicKey.from_public_bytes(raw)


def make_head(
    key: Ed25519PrivateKey,
    station: str,
    seq: int,
    chain_hash: str,
    reason: str,
    at: datetime | None = None,
) -> ChainHead:
    """The signed head of ``station``'s chain at event ``seq``."""
    if reason not in HEAD_REASONS:
        raise ValueError(f"motif de témoin inconnu : {reason}")
    when = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    head = ChainHead(station, seq, chain_hash, when, reason, public_key_b64(key))
    return sign_head(head, key)


def sign_head(head: ChainHead, key: Ed25519PrivateKey) -> ChainHead:
    """``head`` with its public key and signature set."""
    head = replace(head, public_key=public_key_b64(key))
    signature = key.sign(head.signed_bytes())
    return replace(head, signature=base64.b64encode(signature).decode("ascii"))


def head_problem(head: ChainHead, expected_key: str | None = None) -> str | None:
    """Why ``head`` cannot be trusted (French), or None when its signature holds.

    ``expected_key``: the station's registered public key (base64); a head signed
    by another key, even validly, is refused. Without it the head's own key is
    used (only says the head was not altered after signing).
    """
    if head.reason not in HEAD_REASONS:
        return f"motif inconnu « {head.reason} »"
    if head.seq < 0:
        return "numéro d'événement négatif"
    if expected_key is not None and head.public_key != expected_key:
        return "signé par une autre clé que celle du poste"
    try:
        public = parse_public_key(head.public_key)
        signature = base64.b64decode(head.signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        return f"signature ou clé illisible ({exc})"
    try:
        public.verify(signature, head.signed_bytes())
    except InvalidSignature:
        return "signature invalide"
    return None
