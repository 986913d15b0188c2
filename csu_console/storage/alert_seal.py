"""The alert in the chain: the digest of a stored alert's fields, in sealed form.

The ``received`` event of an alert carries ``raw_sha256`` (SHA-256 of the frame
as received; of the CAP document's bytes for CAP; absent for an alert the console
raised itself) and ``alert_sha256``, the digest of the alert's fields as stored.

The fields fall into five groups (:data:`GROUPS`), each hashed on its own:
three in clear (identity, ranking, the rest) and two *units* the purge may seal
(:data:`UNITS`): ``personnel`` (description, pseudonym, attachments: every alert,
at ``personal_data_days``) and ``lieu`` (title, coordinates, address, precision,
commune, a CAP area's text: citizen reports only, at ``citizen_days``). A unit's
hash is its *seal*: the SHA-256 of a per-alert random salt (``alerts.fields_salt``)
and the canonical JSON of its values — the same idea as an event's details
(:mod:`csu_console.storage.logbook`). The purge writes the seal in place of the
values and, once every sealable unit of the row is sealed, forgets the salt: the
digest, hence the alert's check, still holds, and the seals cannot be tested
against guesses. The place of an alert that is not a citizen report is never
sealed: its unit is hashed unsalted, so it stays verifiable once the salt is gone.

``alert_sha256`` is the SHA-256 of ``identite:<hex>,classement:<hex>,…`` (the
full group hashes in :data:`GROUPS` order); the event also keeps their first 12
hex digits (``alert_parts``) so that ``logbook verify`` names the edited group.

A partner's CAP alert has a sixth group, :data:`CAP_GROUP` (its area, ``expires``,
the message's facts and its version, migration 8), in clear; it is part of the
digest only when one of those columns holds something, so the digest of a row
stored before them, and of every citizen report, is what it was. A CAP Update
replaces the content: its ``cap_updated`` event carries the new digest (same
salt), which ``logbook verify`` then checks (:mod:`csu_console.storage.alert_audit`).

Stored form of a sealed unit (its seal kept in ``extra["_sealed"][unit]``, which
the digest leaves out): its text columns hold the seal (NULL stays NULL),
coordinates and precision are NULL, attachments ``[]``, ``extra["areaDesc"]``
the seal. Rows stored before the digest existed are not checked, and are purged
as before (emptied).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from csu_console.storage.logbook import SEAL_PREFIX, canonical_text

#: Where the seals of a row's sealed units are kept, in ``extra``.
SEALED_KEY = "_sealed"

#: The units the purge seals, each as one salted digest of its values:
#: ``personnel`` at ``personal_data_days`` (every alert), ``lieu`` at
#: ``citizen_days`` (citizen reports: what names a person or a place).
UNITS: dict[str, tuple[str, ...]] = {
    "personnel": ("description", "reporter_pseudonym", "attachments"),
    "lieu": ("title", "lat", "lon", "address", "accuracy_m", "commune", "extra.areaDesc"),
}


def is_citizen(fmt: Any, seq: Any) -> bool:
    """A citizen report: a JSON alert from the citizen app (through the gateway or
    the hub, so with a ``seq``) — not a partner's CAP alert, nor an alert the
    console raised itself (a camera down, without ``seq``)."""
    return fmt == "json" and seq is not None


def sealable_units(fmt: Any, seq: Any) -> tuple[str, ...]:
    """The units the purge may seal: a citizen report's title and place too, only
    the personal fields of the others (whose place is hashed unsalted: it stays
    verifiable once the salt is gone)."""
    return ("personnel", "lieu") if is_citizen(fmt, seq) else ("personnel",)


#: The fields hashed in clear.
CLEAR: dict[str, tuple[str, ...]] = {
    "identite": ("source", "alert_id", "seq", "fmt", "sent", "received_at"),
    "classement": ("category", "category_raw", "priority", "priority_from_rules"),
    "autres": ("reporter_verified", "extra"),
}
GROUPS = (*CLEAR, *UNITS)
#: A CAP alert's own columns (migration 8), hashed in clear as one more group only
#: when one of them holds something: the digest of every row stored before them
#: (and of every citizen report) is unchanged, and emptying them is seen.
CAP_GROUP = "cap"
CAP_COLUMNS = ("area", "expires", "cap", "version")
GROUP_LABELS = {
    "identite": "identité (source, identifiant, séquence, format, heures d'envoi et de réception)",
    "classement": "classement (catégorie, priorité)",
    "autres": "autres (vérification du signaleur, données CAP)",
    "personnel": "données personnelles (description, pseudonyme, pièces jointes)",
    "lieu": "titre et lieu (titre, coordonnées, adresse, précision, commune, zone CAP)",
    CAP_GROUP: "message CAP (zone géographique, expiration, faits du message, version)",
}
_REAL = frozenset({"lat", "lon", "accuracy_m"})
_TEXT = frozenset({"title", "description", "address", "commune", "reporter_pseudonym"})
#: Columns read to check a row (every column of the digest, and the salt).
COLUMNS = (
    *(c for g in CLEAR.values() for c in g),
    *(c for u in UNITS.values() for c in u if not c.startswith("extra.")),
    *CAP_COLUMNS,
    "fields_salt",
)
PART_DIGITS = 12


@dataclass(frozen=True)
class AlertDigest:
    """What the ``received`` event carries for the alert's fields."""

    sha256: str
    parts: dict[str, str]

    @property
    def parts_text(self) -> str:
        """The groups' short hashes as the event keeps them: ``group:hex,…`` (flat
        text, so the storm's events keep the fast path of their details' encoding)."""
        return ",".join(f"{g}:{h}" for g, h in self.parts.items())


def parse_parts(text: Any) -> dict[str, str]:
    """The groups' short hashes from an event's ``alert_parts`` ({} if unreadable)."""
    if not isinstance(text, str):
        return {}
    out: dict[str, str] = {}
    for item in text.split(","):
        group, _, digest_hex = item.partition(":")
        out[group] = digest_hex
    return out


def new_salts(count: int) -> list[str]:
    """``count`` random 16-byte salts (hex), one read of the system's source."""
    data = os.urandom(16 * count).hex()
    return [data[i : i + 32] for i in range(0, 32 * count, 32)]


def _no_default(value: Any) -> Any:
    raise TypeError(f"valeur non JSON : {type(value).__name__}")


# The C encoder of the json module, called directly: canonical_text's own output
# (sorted keys, no spaces, UTF-8 text, no NaN) at a third of its cost per call,
# which the storm's thousands of alerts pay five times each.
_C_ENCODE = (
    c_make_encoder(None, _no_default, encode_basestring, None, ":", ",", True, False, False)
    if c_make_encoder is not None
    else None
)


def _array(values: list[Any]) -> bytes:
    """Canonical JSON of a list, as bytes."""
    if _C_ENCODE is not None:
        return "".join(_C_ENCODE(values, 0)).encode("utf-8")
    return canonical_text(values).encode("utf-8")


def _real(value: Any) -> Any:
    # A coordinate sent as 48 is stored REAL and read back 48.0: hash it as read.
    return float(value) if type(value) is int else value


def cap_values(fields: Mapping[str, Any]) -> list[Any] | None:
    """The :data:`CAP_GROUP`'s values, None when the row has none (then no group)."""
    values = [fields.get(c) for c in CAP_COLUMNS]
    if values[3] == 0:
        values[3] = None
    if all(v is None for v in values):
        return None
    values[3] = values[3] or 0
    return values


def _unit_values(fields: Mapping[str, Any], extra: Any, unit: str) -> list[Any]:
    """The values of a unit in :data:`UNITS` order (written out: the storm's path)."""
    f = fields
    if unit == "personnel":
        return [f["description"], f["reporter_pseudonym"], f["attachments"]]
    area = extra.get("areaDesc") if isinstance(extra, dict) else None
    lat, lon, accuracy = _real(f["lat"]), _real(f["lon"]), _real(f["accuracy_m"])
    return [f["title"], lat, lon, f["address"], accuracy, f["commune"], area]


def unit_seal(fields: Mapping[str, Any], extra: Any, unit: str, salt: str | None) -> str:
    """The hex SHA-256 of the salt and the unit's values (its seal without prefix)."""
    salt_bytes = bytes.fromhex(salt) if salt else b""
    return hashlib.sha256(salt_bytes + _array(_unit_values(fields, extra, unit))).hexdigest()


def digest(fields: Mapping[str, Any], salt: str | None) -> AlertDigest:
    """The digest of an alert's fields (``attachments`` as stored: JSON text;
    ``extra`` parsed); units already sealed are taken from ``extra["_sealed"]``."""
    extra = fields["extra"]
    done: Any = {}
    if isinstance(extra, dict) and (SEALED_KEY in extra or "areaDesc" in extra):
        done = extra.get(SEALED_KEY) or {}
        extra = {k: v for k, v in extra.items() if k not in (SEALED_KEY, "areaDesc")}
        if not isinstance(done, dict):
            raise ValueError("extra._sealed")
    sha, f = hashlib.sha256, fields
    # The clear groups, written out in CLEAR's order (the storm's path).
    identity = [f["source"], f["alert_id"], f["seq"], f["fmt"], f["sent"], f["received_at"]]
    ranking = [f["category"], f["category_raw"], f["priority"], f["priority_from_rules"]]
    full = {
        "identite": sha(_array(identity)).hexdigest(),
        "classement": sha(_array(ranking)).hexdigest(),
        "autres": sha(_array([f["reporter_verified"], extra])).hexdigest(),
    }
    salt_bytes = bytes.fromhex(salt) if salt else b""
    citizen = is_citizen(f["fmt"], f["seq"])
    for unit in UNITS:
        sealed = done.get(unit) if done else None
        if isinstance(sealed, str) and sealed.startswith(SEAL_PREFIX):
            full[unit] = sealed[len(SEAL_PREFIX) :]
        else:
            values = _unit_values(f, f["extra"], unit)
            salted = salt_bytes if citizen or unit == "personnel" else b""
            full[unit] = sha(salted + _array(values)).hexdigest()
    cap = cap_values(f)
    if cap is not None:
        full[CAP_GROUP] = sha(_array(cap)).hexdigest()
    text = ",".join([f"{g}:{h}" for g, h in full.items()])
    whole = sha(text.encode("ascii")).hexdigest()
    return AlertDigest(whole, {g: h[:PART_DIGITS] for g, h in full.items()})


#: The order of a new row's values (``csu_console.storage.store.ALERT_COLUMNS``).
ROW_ORDER = (
    "source", "alert_id", "seq", "fmt", "sent", "received_at", "category", "category_raw",
    "priority", "priority_from_rules", "title", "description", "lat", "lon", "address",
    "accuracy_m", "commune", "reporter_pseudonym", "reporter_verified", "attachments", "extra",
)  # fmt: skip


def new_row_digest(row: Sequence[Any], extra: Any, salt: str) -> tuple[str, str]:
    """:func:`digest` of a row about to be stored (values in :data:`ROW_ORDER`,
    ``extra`` parsed, nothing sealed yet): ``alert_sha256`` and ``alert_parts``.
    Written out for the storm (thousands per batch); a test holds it to :func:`digest`."""
    sha = hashlib.sha256
    salt_bytes = bytes.fromhex(salt)
    citizen = row[3] == "json" and row[2] is not None
    area = extra.get("areaDesc") if isinstance(extra, dict) else None
    if area is not None:
        extra = {k: v for k, v in extra.items() if k != "areaDesc"}
    lat, lon, accuracy = _real(row[12]), _real(row[13]), _real(row[15])
    place = [row[10], lat, lon, row[14], accuracy, row[16], area]
    hashes = (
        sha(_array(list(row[0:6]))).hexdigest(),
        sha(_array(list(row[6:10]))).hexdigest(),
        sha(_array([row[18], extra])).hexdigest(),
        sha(salt_bytes + _array([row[11], row[17], row[19]])).hexdigest(),
        sha((salt_bytes if citizen else b"") + _array(place)).hexdigest(),
    )
    text = ",".join([f"{g}:{h}" for g, h in zip(GROUPS, hashes, strict=True)])
    parts = ",".join([f"{g}:{h[:PART_DIGITS]}" for g, h in zip(GROUPS, hashes, strict=True)])
    return sha(text.encode("ascii")).hexdigest(), parts


def row_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """The digest's fields of a stored row (``extra`` parsed; unreadable stays text)."""
    fields = {c: row[c] for c in COLUMNS if c != "fields_salt"}
    with contextlib.suppress(TypeError, ValueError):
        fields["extra"] = json.loads(row["extra"])
    return fields


def sealed_update(row: Mapping[str, Any], unit: str) -> dict[str, Any] | None:
    """The column values that seal ``unit`` of a row with its ``fields_salt``
    (``extra`` included); None when it is sealed already or has no salt."""
    salt = row["fields_salt"]
    extra = json.loads(row["extra"])
    if not isinstance(extra, dict):
        return None
    done = dict(extra.get(SEALED_KEY) or {})
    if unit in done or not salt or unit not in sealable_units(row["fmt"], row["seq"]):
        return None
    seal_text = SEAL_PREFIX + unit_seal(row, extra, unit, salt)
    done[unit] = seal_text
    changes: dict[str, Any] = {}
    for name in UNITS[unit]:
        if name.startswith("extra."):
            if name[6:] in extra:
                extra[name[6:]] = seal_text
        elif name in _TEXT:
            changes[name] = None if row[name] is None else seal_text
        elif name == "attachments":
            changes[name] = "[]"
        else:
            changes[name] = None
    extra[SEALED_KEY] = done
    changes["extra"] = json.dumps(extra, ensure_ascii=False)
    return changes


def stored_form_problem(row: Mapping[str, Any], extra: Any) -> str | None:
    """How a sealed unit's columns differ from what the purge writes, if they do."""
    if not isinstance(extra, dict):
        return None
    done = extra.get(SEALED_KEY)
    if not isinstance(done, dict):
        return None
    for unit, seal_text in done.items():
        for name in UNITS.get(unit, ()):
            if name.startswith("extra."):
                ok = extra.get(name[6:], seal_text) == seal_text
            elif name in _TEXT:
                ok = row.get(name) in (None, seal_text)
            elif name == "attachments":
                ok = row.get(name) == "[]"
            else:
                ok = row.get(name) is None
            if not ok:
                return f"champ {name} modifié après sa purge"
    return None


def changed_groups(parts: Mapping[str, Any], recomputed: AlertDigest) -> list[str]:
    """The groups whose hash differs from the event's (all of them if unknown)."""
    every = (*GROUPS, CAP_GROUP)
    names = [g for g in every if parts.get(g) != recomputed.parts.get(g)]
    return names or list(GROUPS)


def describe_groups(groups: Sequence[str]) -> str:
    """The French names of the groups, joined."""
    return ", ".join(GROUP_LABELS[g] for g in groups)
