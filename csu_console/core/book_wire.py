"""One station's logbook event as it travels to the other stations and the central
review (JetStream stream ``CSU_EVENTS``, subject ``csu.events.<station>``,
``Nats-Msg-Id`` ``<station>:<seq>``), and a chain head as it is witnessed
(stream ``CSU_HEADS``, subject ``csu.heads.<station>``).

An event record carries everything needed to re-check its link of the station's
chain (:func:`csu_console.storage.logbook.link_hash` over ``[prev_hash, seq,
alert_pk, at, at_local, kind, station, operator, details_sha256]``) plus the
alert's key, since alert pks are local to each station. ``details_salt`` travels
with personal details so that the copy can be sealed by the purge as the
original is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

WIRE_VERSION = 1


class WireError(ValueError):
    """A record that is not one (the message says which field, in French)."""


@dataclass(frozen=True)
class EventRecord:
    """One chained event of ``station`` (``seq`` is its pk there)."""

    station: str
    seq: int
    at: str
    at_local: str | None
    kind: str
    operator: str | None
    details: Mapping[str, Any]
    details_salt: str | None
    details_sha256: str
    prev_hash: str
    hash: str
    alert_pk: int | None = None
    alert_source: str | None = None
    alert_id: str | None = None
    #: The event's own ``station`` column when it is not ``station`` (the command
    #: line's events say ``cli``, ``chain_started`` has none: None); "" (the
    #: default, or absent on the wire): the same as ``station``. The link's hash
    #: covers that column, so a copy must know it (:meth:`link_row`).
    event_station: str | None = ""

    def chained_station(self) -> str | None:
        """The ``station`` value the link's hash covers."""
        return self.station if self.event_station == "" else self.event_station

    def link_row(self) -> list[Any]:
        """The eight values after ``prev_hash`` that
        :func:`csu_console.storage.logbook.link_hash` hashes."""
        return [
            self.seq, self.alert_pk, self.at, self.at_local, self.kind,
            self.chained_station(), self.operator, self.details_sha256,
        ]  # fmt: skip

    def msg_id(self) -> str:
        """JetStream's deduplication id: one copy per station and sequence."""
        return f"{self.station}:{self.seq}"

    def to_json(self) -> bytes:
        """The payload published (UTF-8 JSON object, ``v`` first)."""
        return json.dumps({"v": WIRE_VERSION, **asdict(self)}, ensure_ascii=False).encode()


@dataclass(frozen=True)
class ChainHead:
    """A station's chain head, signed with the station's Ed25519 key.

    ``signature`` (base64) signs :meth:`signed_bytes`; ``public_key`` is the raw
    32-byte key in base64; ``reason`` is ``minute`` or ``shift_close``.
    """

    station: str
    seq: int
    hash: str
    at: str
    reason: str
    public_key: str = ""
    signature: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def signed_bytes(self) -> bytes:
        """What the signature covers: canonical JSON of [station, seq, hash, at, reason]."""
        return json.dumps(
            [self.station, self.seq, self.hash, self.at, self.reason],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()

    def to_json(self) -> bytes:
        """The payload published."""
        return json.dumps({"v": WIRE_VERSION, **asdict(self)}, ensure_ascii=False).encode()


def _text(obj: Mapping[str, Any], key: str, *, optional: bool = False) -> Any:
    value = obj.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or (not optional and not value):
        raise WireError(f"champ {key} : texte attendu")
    return value


def _int(obj: Mapping[str, Any], key: str, *, optional: bool = False) -> Any:
    value = obj.get(key)
    if value is None and optional:
        return None
    if type(value) is not int:
        raise WireError(f"champ {key} : entier attendu")
    return value


def _object(data: bytes | str) -> Mapping[str, Any]:
    try:
        obj = json.loads(data)
    except (TypeError, ValueError) as exc:
        raise WireError(f"JSON illisible : {exc}") from exc
    if not isinstance(obj, dict):
        raise WireError("objet JSON attendu")
    if obj.get("v") != WIRE_VERSION:
        raise WireError(f"version {obj.get('v')!r} inconnue (attendu {WIRE_VERSION})")
    return obj


def parse_event(data: bytes | str) -> EventRecord:
    """An :class:`EventRecord` from its payload; :class:`WireError` says what is wrong."""
    obj = _object(data)
    details = obj.get("details")
    if not isinstance(details, dict):
        raise WireError("champ details : objet attendu")
    return EventRecord(
        station=_text(obj, "station"),
        seq=_int(obj, "seq"),
        at=_text(obj, "at"),
        at_local=_text(obj, "at_local", optional=True),
        kind=_text(obj, "kind"),
        operator=_text(obj, "operator", optional=True),
        details=details,
        details_salt=_text(obj, "details_salt", optional=True),
        details_sha256=_text(obj, "details_sha256"),
        prev_hash=_text(obj, "prev_hash"),
        hash=_text(obj, "hash"),
        alert_pk=_int(obj, "alert_pk", optional=True),
        alert_source=_text(obj, "alert_source", optional=True),
        alert_id=_text(obj, "alert_id", optional=True),
        event_station="" if "event_station" not in obj else _event_station(obj),
    )


def _event_station(obj: Mapping[str, Any]) -> str | None:
    value = obj.get("event_station")
    if value is not None and not isinstance(value, str):
        raise WireError("champ event_station : texte ou null attendu")
    return value


def parse_head(data: bytes | str) -> ChainHead:
    """A :class:`ChainHead` from its payload (signature not checked here)."""
    obj = _object(data)
    extra = obj.get("extra") or {}
    if not isinstance(extra, dict):
        raise WireError("champ extra : objet attendu")
    return ChainHead(
        station=_text(obj, "station"),
        seq=_int(obj, "seq"),
        hash=_text(obj, "hash"),
        at=_text(obj, "at"),
        reason=_text(obj, "reason"),
        public_key=_text(obj, "public_key"),
        signature=_text(obj, "signature"),
        extra=extra,
    )
