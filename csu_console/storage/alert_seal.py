"""The alert in the chain: the digest of a stored alert's fields, in sealed form.

The ``received`` event of an alert carries ``raw_sha256`` (SHA-256 of the frame
as received; of the CAP document's bytes for CAP) and ``alert_sha256``: the
SHA-256 of the alert's fields as stored, with every field that the purge may
later remove replaced by ``seal(value, fields_salt)`` — the same idea as an
event's details (:mod:`csu_console.storage.logbook`). The per-alert salt is kept
in ``alerts.fields_salt`` until every sealable field of the row is sealed; the
purge then forgets it. So the purge may replace a field by its seal and the
digest, hence the alert's check, still holds; any other change shows.

The fields fall into groups, each hashed on its own; the event keeps the first
12 hex digits of each group's hash (``alert_parts``) so that ``logbook verify``
can name the group that was edited. ``alert_sha256`` is the SHA-256 of the
canonical JSON object of the full group hashes.

Stored form of a sealed field (its seal is also listed in ``extra["_sealed"]``,
which the digest leaves out): text columns hold the seal itself; coordinates and
precision are NULL; attachments ``[]``; ``extra["areaDesc"]`` (a CAP area's
text) holds the seal. A NULL field stays NULL (there is nothing to seal).

Rows written before migration 7 (no digest in their ``received`` event) are
not checked and are purged as before (emptied).
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
_CLEAR_READ = tuple((g, names) for g, names in CLEAR.items() if g != "autres")
GROUP_LABELS = {
    "identite": "identité (source, identifiant, séquence, format, heures d'envoi et de réception)",
    "classement": "classement (catégorie, priorité)",
    "autres": "autres (vérification du signaleur, données CAP)",
    "personnel": "données personnelles (description, pseudonyme, pièces jointes)",
    "lieu": "titre et lieu (titre, coordonnées, adresse, précision, commune, zone CAP)",
}
_REAL = frozenset({"lat", "lon", "accuracy_m"})
_TEXT = frozenset({"title", "description", "address", "commune", "reporter_pseudonym"})
#: Columns read to check a row (every column of the digest, and the salt).
COLUMNS = (
    *(c for g in CLEAR.values() for c in g),
    *(c for u in UNITS.values() for c in u if not c.startswith("extra.")),
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


#: How each unit's values are read: 0 a column as is, 1 a REAL column, 2 an extra key.
_UNIT_SPECS = {
    unit: tuple(
        (n[6:], 2) if n.startswith("extra.") else (n, 1 if n in _REAL else 0) for n in names
    )
    for unit, names in UNITS.items()
}


def _unit_values(fields: Mapping[str, Any], extra: Any, unit: str) -> list[Any]:
    is_dict = isinstance(extra, dict)
    out: list[Any] = []
    for name, how in _UNIT_SPECS[unit]:
        if how == 0:
            out.append(fields[name])
        elif how == 1:
            out.append(_real(fields[name]))
        else:
            out.append(extra.get(name) if is_dict else None)
    return out


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
    sha = hashlib.sha256
    full: dict[str, str] = {}
    for group, names in _CLEAR_READ:
        full[group] = sha(_array([fields[n] for n in names])).hexdigest()
    full["autres"] = sha(_array([fields["reporter_verified"], extra])).hexdigest()
    salt_bytes = bytes.fromhex(salt) if salt else b""
    for unit in UNITS:
        sealed = done.get(unit)
        if isinstance(sealed, str) and sealed.startswith(SEAL_PREFIX):
            full[unit] = sealed[len(SEAL_PREFIX) :]
        else:
            values = _unit_values(fields, fields["extra"], unit)
            salted = salt_bytes if unit in sealable_units(fields["fmt"], fields["seq"]) else b""
            full[unit] = sha(salted + _array(values)).hexdigest()
    text = ",".join(f"{g}:{h}" for g, h in full.items())
    whole = hashlib.sha256(text.encode("ascii")).hexdigest()
    return AlertDigest(whole, {g: h[:PART_DIGITS] for g, h in full.items()})


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
    names = [g for g in GROUPS if parts.get(g) != recomputed.parts[g]]
    return names or list(GROUPS)


def describe_groups(groups: Sequence[str]) -> str:
    """The French names of the groups, joined."""
    return ", ".join(GROUP_LABELS[g] for g in groups)
