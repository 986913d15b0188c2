"""The book extension of the hub protocol (``docs/protocol.md`` § 10, feature ``book``).

Station → hub: ``head`` (its signed chain head), ``events`` (its own events in
order, from its cursor), ``book_ack`` (the relayed heads and peer events it
committed). Hub → station: ``head_result`` and ``events_result`` (answers),
``witness`` (a head the hub accepted, of any station, this one's included) and
``peer_events`` (other stations' events). Records are
:mod:`csu_console.core.book_wire`'s. Parsing raises
:class:`~csu_console.errors.ValidationError` naming the field; no Qt, no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from csu_console.core.book_wire import (
    ChainHead,
    EventRecord,
    WireError,
    parse_event,
    parse_head,
)
from csu_console.errors import ValidationError

FEATURE = "book"
#: Station → hub messages of the extension.
STATION_TYPES = frozenset({"head", "events", "book_ack"})
#: Hub → station messages of the extension.
HUB_TYPES = frozenset({"head_result", "events_result", "witness", "peer_events"})
#: At most this many events in one ``events`` or ``peer_events`` message.
MAX_EVENTS = 200


def _dump(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _record(obj: Any, parse: Any, where: str) -> Any:
    if not isinstance(obj, dict):
        raise ValidationError(f"{where} : objet attendu")
    try:
        return parse(json.dumps(obj, ensure_ascii=False))
    except WireError as exc:
        raise ValidationError(f"{where} : {exc}") from exc


def _list(obj: Mapping[str, Any], name: str) -> list[Any]:
    value = obj.get(name)
    if not isinstance(value, list):
        raise ValidationError(f"{name} : liste attendue")
    if len(value) > MAX_EVENTS:
        raise ValidationError(f"{name} : {len(value)} éléments, {MAX_EVENTS} au plus")
    return value


def _refs(obj: Mapping[str, Any]) -> tuple[str, ...]:
    refs = obj.get("refs")
    if not isinstance(refs, list) or not all(isinstance(r, str) and r for r in refs):
        raise ValidationError("refs : liste de références attendue")
    return tuple(refs)


def _result(obj: Mapping[str, Any]) -> bool:
    result = obj.get("result")
    if result not in ("applied", "refused"):
        raise ValidationError("result : « applied » ou « refused » attendu")
    return bool(result == "applied")


def _message(obj: Mapping[str, Any]) -> str:
    message = obj.get("message", "")
    if not isinstance(message, str):
        raise ValidationError("message : texte attendu")
    return message[:500]


def _int(obj: Mapping[str, Any], name: str) -> int:
    value = obj.get(name)
    if type(value) is not int or value < 0:
        raise ValidationError(f"{name} : entier positif attendu")
    return value


# -- station → hub -------------------------------------------------------------


@dataclass(frozen=True)
class HeadPublish:
    """The station's signed chain head."""

    head: ChainHead

    def to_json(self) -> str:
        return _dump({"type": "head", "head": json.loads(self.head.to_json())})


@dataclass(frozen=True)
class EventsPublish:
    """The station's own events, in order (consecutive ``seq``)."""

    events: tuple[EventRecord, ...]

    def to_json(self) -> str:
        return _dump({"type": "events", "events": [json.loads(e.to_json()) for e in self.events]})


@dataclass(frozen=True)
class BookAck:
    """Relayed heads / peer events committed at the station (their ``ref``)."""

    refs: tuple[str, ...]

    def to_json(self) -> str:
        return _dump({"type": "book_ack", "refs": list(self.refs)})


BookStationMessage = HeadPublish | EventsPublish | BookAck


def parse_station_message(obj: Mapping[str, Any]) -> BookStationMessage:
    """A station's book message (``type`` in :data:`STATION_TYPES`)."""
    mtype = obj.get("type")
    if mtype == "head":
        return HeadPublish(_record(obj.get("head"), parse_head, "head"))
    if mtype == "events":
        events = tuple(_record(e, parse_event, "events") for e in _list(obj, "events"))
        return EventsPublish(events)
    if mtype == "book_ack":
        return BookAck(_refs(obj))
    raise ValidationError(f"type de message inconnu : {mtype!r}")


# -- hub → station -------------------------------------------------------------


@dataclass(frozen=True)
class HeadResult:
    """The hub kept the head (``applied``) or refused it (the reason)."""

    station: str
    seq: int
    reason: str
    applied: bool
    message: str = ""

    def to_json(self) -> str:
        return _dump(
            {
                "type": "head_result", "station": self.station, "seq": self.seq,
                "reason": self.reason, "result": "applied" if self.applied else "refused",
                "message": self.message,
            }
        )  # fmt: skip


@dataclass(frozen=True)
class EventsResult:
    """The hub stored the station's events up to ``last`` (its highest seq), or refused."""

    last: int
    applied: bool
    message: str = ""

    def to_json(self) -> str:
        return _dump(
            {
                "type": "events_result", "last": self.last,
                "result": "applied" if self.applied else "refused", "message": self.message,
            }
        )  # fmt: skip


@dataclass(frozen=True)
class Witness:
    """A head the hub accepted (kept in ``CSU_HEADS``), to keep in ``witness_heads``."""

    ref: str
    head: ChainHead

    def to_json(self) -> str:
        return _dump({"type": "witness", "ref": self.ref, "head": json.loads(self.head.to_json())})


@dataclass(frozen=True)
class PeerEvents:
    """Other stations' events, in stream order; ``refs[i]`` is ``events[i]``'s."""

    refs: tuple[str, ...]
    events: tuple[EventRecord, ...]

    def to_json(self) -> str:
        return _dump(
            {
                "type": "peer_events",
                "refs": list(self.refs),
                "events": [json.loads(e.to_json()) for e in self.events],
            }
        )


BookHubMessage = HeadResult | EventsResult | Witness | PeerEvents


def parse_hub_message(obj: Mapping[str, Any]) -> BookHubMessage:
    """A hub's book message (``type`` in :data:`HUB_TYPES`)."""
    mtype = obj.get("type")
    if mtype == "head_result":
        station, reason = obj.get("station"), obj.get("reason")
        if not isinstance(station, str) or not isinstance(reason, str):
            raise ValidationError("head_result : station et reason attendus")
        return HeadResult(station, _int(obj, "seq"), reason, _result(obj), _message(obj))
    if mtype == "events_result":
        return EventsResult(_int(obj, "last"), _result(obj), _message(obj))
    if mtype == "witness":
        ref = obj.get("ref")
        if not isinstance(ref, str) or not ref:
            raise ValidationError("witness.ref : texte attendu")
        return Witness(ref, _record(obj.get("head"), parse_head, "witness.head"))
    if mtype == "peer_events":
        refs = _refs(obj)
        events = tuple(_record(e, parse_event, "peer_events") for e in _list(obj, "events"))
        if len(refs) != len(events):
            raise ValidationError("peer_events : autant de refs que d'événements attendu")
        return PeerEvents(refs, events)
    raise ValidationError(f"type de message inconnu : {mtype!r}")


def peer_events(pairs: Sequence[tuple[str, EventRecord]]) -> str:
    """The ``peer_events`` text of (ref, record) pairs."""
    return PeerEvents(tuple(r for r, _ in pairs), tuple(e for _, e in pairs)).to_json()
