"""The logbook's hash chain: every event insert goes through :func:`append_events`
(:mod:`csu_console.storage.logbook_audit` checks the chain and names the first
broken link).

Each event stores ``details_sha256``, the SHA-256 of its details in *sealed
form* (see :func:`sealed`), and ``hash``, the SHA-256 of the canonical JSON array
``[prev_hash, pk, alert_pk, at, at_local, kind, station, operator, details_sha256]``;
``prev_hash`` is the previous event's ``hash`` (:data:`GENESIS` for the first).

Sealed form: the values of personal keys (:data:`~csu_console.core.logbook.PERSONAL_KEYS`)
are replaced by ``sha256:<hex>`` of a per-event random salt (``details_salt``) and
the value. The purge writes exactly that into ``details`` and forgets the salt,
so a purged event's sealed form, hence its digest and the whole chain, is
unchanged and still recomputed by the verification — a "purge" that changed
anything else would show as a broken link.

Two processes write events (the alert link's child and the GUI): the previous
hash is read inside the caller's ``BEGIN IMMEDIATE`` transaction, never cached.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from csu_console.core.logbook import PERSONAL_KEYS, PURGED_KEY
from csu_console.errors import StorageBugError
from csu_console.storage.codec import iso

GENESIS = "0" * 64
SEAL_PREFIX = "sha256:"

COLUMNS = (
    "pk", "alert_pk", "at", "at_local", "kind", "station", "operator",
    "details", "details_salt", "details_sha256", "prev_hash", "hash",
)  # fmt: skip
_INSERT = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES "
_ROW = "(" + ", ".join("?" * len(COLUMNS)) + ")"
_CHUNK = 500  # rows per statement: 6,000 parameters, under SQLite's 32,766


class NewEvent(NamedTuple):
    """An event to append; ``at`` is timezone-aware (a tuple: cheap by the thousand)."""

    kind: str
    at: datetime
    alert_pk: int | None = None
    station: str | None = None
    operator: str | None = None
    details: Mapping[str, Any] | None = None


# One encoder for the whole process: json.dumps() with options builds one per call.
canonical_text = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


def canonical(value: Any) -> bytes:
    """The one byte encoding that is hashed: sorted keys, no spaces, UTF-8.

    Decoding it and encoding again gives the same bytes (tuples are lists, keys
    are text either way), which is why the stored ``details`` are in this form.
    """
    return canonical_text(value).encode("utf-8")


def _scalar(value: Any) -> str | None:
    """Canonical JSON of a text, integer, boolean, finite float or null; None otherwise."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    return None


def _normalized(details: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    """The details as verify will read them back, and their canonical text.

    Flat objects with text keys (nearly every event) are encoded by hand, byte for
    byte what the canonical encoder gives, at a fraction of its cost; anything
    else goes through JSON once so that, say, integer keys sort as text.
    """
    parts: list[str] = []
    if all(type(k) is str for k in details):
        for key in sorted(details):
            value = _scalar(details[key])
            if value is None:
                break
            parts.append(f"{encode_basestring(key)}:{value}")
        else:
            return details, "{" + ",".join(parts) + "}"
    plain = json.loads(json.dumps(details, allow_nan=False))
    return plain, canonical_text(plain)


def seal(value: Any, salt: str | None) -> str:
    """``sha256:<hex>`` of the salt and the value (what the purge leaves behind)."""
    salt_bytes = bytes.fromhex(salt) if salt else b""
    return SEAL_PREFIX + hashlib.sha256(salt_bytes + canonical(value)).hexdigest()


def sealed(details: Mapping[str, Any], salt: str | None) -> dict[str, Any]:
    """The details with personal values sealed (already sealed ones as they are)."""
    done = details.get(PURGED_KEY) or ()
    return {
        k: v if k in done or k not in PERSONAL_KEYS else seal(v, salt)
        for k, v in details.items()
        if k != PURGED_KEY
    }


def details_digest(details: Mapping[str, Any], salt: str | None) -> str:
    """SHA-256 of the sealed form: the same before and after a purge."""
    return hashlib.sha256(canonical(sealed(details, salt))).hexdigest()


def _link_text(prev_hash: Any, row: Sequence[Any]) -> str | None:
    """``canonical([prev_hash, *row])`` as text, by hand (several times faster), or
    None when a value is not of the type the chain writes (verify of a tampered row)."""
    pk, alert_pk, at, at_local, kind, station, operator, digest = row
    texts = (prev_hash, at, at_local, kind, station, operator, digest)
    if type(pk) is not int or not (alert_pk is None or type(alert_pk) is int):
        return None
    if not all(t is None or type(t) is str for t in texts):
        return None
    q = ["null" if t is None else encode_basestring(t) for t in texts]
    a = "null" if alert_pk is None else alert_pk
    return f"[{q[0]},{pk},{a},{q[1]},{q[2]},{q[3]},{q[4]},{q[5]},{q[6]}]"


def link_hash(prev_hash: str, row: Sequence[Any]) -> str:
    """SHA-256 of ``[prev_hash, pk, alert_pk, at, at_local, kind, station, operator,
    details_sha256]`` in canonical JSON; ``row`` holds the eight values after ``prev_hash``."""
    text = _link_text(prev_hash, row)
    data = canonical([prev_hash, *row]) if text is None else text.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _details_row(raw: Mapping[str, Any] | None) -> tuple[str, str | None, str]:
    """Stored text, salt (None without personal data) and digest of an event's details."""
    details, text = _normalized(raw or {})  # stored canonical: verify re-encodes it
    if PURGED_KEY in details:
        raise StorageBugError(f"clé réservée {PURGED_KEY} dans les détails d'un événement")
    if PERSONAL_KEYS.isdisjoint(details):
        return text, None, hashlib.sha256(text.encode("utf-8")).hexdigest()
    salt = secrets.token_hex(16)
    return text, salt, details_digest(details, salt)


def _quoted(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _last_link(cur: sqlite3.Cursor) -> tuple[int, str]:
    row = cur.execute("SELECT pk, hash FROM events ORDER BY pk DESC LIMIT 1").fetchone()
    if row is None:
        return 0, GENESIS
    return int(row[0]), row[1] or GENESIS


def append_events(
    cur: sqlite3.Cursor, events: Sequence[NewEvent], tz: tzinfo | None = None
) -> list[int]:
    """Append events to the chain inside the caller's write transaction; their pks.

    ``tz`` gives ``at_local`` (None: the machine's zone). The link text is built
    here as :func:`link_hash` builds it, with what a batch repeats (time, kind,
    station, operator) encoded once: a storm's thousands of "received" events.
    """
    if not cur.connection.in_transaction:
        raise StorageBugError("append_events hors d'une transaction d'écriture")
    if not events:
        return []
    pk, prev = _last_link(cur)
    first = pk + 1
    shared: dict[tuple[Any, ...], tuple[str, str, str]] = {}
    rows: list[list[Any]] = []
    for event in events:
        pk += 1
        key = (event.at, event.kind, event.station, event.operator)
        context = shared.get(key)
        if context is None:
            at, local = iso(event.at), event.at.astimezone(tz).isoformat(timespec="milliseconds")
            middle = ",".join(map(_quoted, (at, local, event.kind, event.station, event.operator)))
            context = shared[key] = (at, local, middle)
        at, local, middle = context
        alert_pk = event.alert_pk
        if alert_pk is not None and type(alert_pk) is not int:
            raise StorageBugError(f"alert_pk entier attendu, reçu {alert_pk!r}")
        text, salt, digest = _details_row(event.details)
        alert = "null" if alert_pk is None else alert_pk
        link = f"[{encode_basestring(prev)},{pk},{alert},{middle},{_quoted(digest)}]"
        h = hashlib.sha256(link.encode("utf-8")).hexdigest()  # = link_hash(prev, …)
        rows.append(
            [pk, alert_pk, at, local, event.kind, event.station, event.operator,
             text, salt, digest, prev, h]
        )  # fmt: skip
        prev = h
    # One multi-row INSERT per chunk: one call into SQLite (and one GIL release)
    # for hundreds of rows, and cheaper than decoding them from JSON there.
    for i in range(0, len(rows), _CHUNK):
        chunk = rows[i : i + _CHUNK]
        cur.execute(_INSERT + ", ".join([_ROW] * len(chunk)), [v for r in chunk for v in r])
    return list(range(first, pk + 1))
