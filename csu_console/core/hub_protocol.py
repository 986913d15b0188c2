"""Protocol v1's hub extension: shared claims, units, presence, escalation, durable status.

Negotiated in ``hello`` (``features``) and answered by the hub's ``welcome``; a
station talking to a plain protocol-v1 gateway never sees any of these messages
and works as before. See ``docs/protocol.md`` § 9. Parsing raises
:class:`~csu_console.errors.ValidationError` naming the field, as for alerts;
building returns compact JSON text. No Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from csu_console.core.alert_share import FEATURE as SHARE_FEATURE
from csu_console.core.alert_share import (
    RESULT_TYPE,
    SHARE_TYPE,
    AlertShare,
    AlertShareResult,
    parse_share,
    parse_share_result,
)
from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.book_protocol import FEATURE as BOOK_FEATURE
from csu_console.core.book_protocol import HUB_TYPES as BOOK_HUB_TYPES
from csu_console.core.group_wire import change_from_obj, change_to_obj
from csu_console.core.groups import GroupChange
from csu_console.core.hub_records import (
    ROLES,
    AlertKey,
    ClaimRecord,
    PresenceRecord,
    UnitRecord,
    alert_key,
    alert_state,
    dump,
    json_list,
    new_key,
    text_field,
)
from csu_console.core.validate import describe, parse_rfc3339
from csu_console.errors import ValidationError

#: The records live in :mod:`csu_console.core.hub_records`; said here too, where
#: the stations and the hub have always found them.
__all__ = [
    "FEATURES", "HUB_MESSAGE_TYPES", "ROLES", "STATUS_KINDS", "AlertKey", "AlertShare",
    "AlertShareResult", "ClaimChanged", "ClaimRecord", "ClaimsApplied", "Escalation",
    "EscalationRaised", "GroupChanged", "GroupRequest", "GroupResult", "HelloInfo", "HubHealth",
    "HubMessage", "PresenceChanged", "PresenceRecord", "PresenceReport", "StationMessage",
    "StatusRequest", "StatusResult", "Sync", "UnitChanged", "UnitRecord", "UnitRequest",
    "UnitResult", "Welcome", "claim_changed", "hub_health", "new_key", "parse_hello",
    "parse_hub_message", "parse_station_message", "presence_changed", "status_result", "sync",
    "unit_changed", "unit_result", "welcome",
]  # fmt: skip

#: Everything this code base speaks; a station and a hub use the intersection.
FEATURES: tuple[str, ...] = (
    "claims", "units", "presence", "escalation", "durable_status", BOOK_FEATURE, "groups",
    SHARE_FEATURE,
)  # fmt: skip

#: The kinds of ``status`` a station sends (the logbook event kind of the transition).
STATUS_KINDS: tuple[str, ...] = ("acknowledged", "dispatched", "closed", "taken_over", "reopened")

# -- station → hub --------------------------------------------------------------------


@dataclass(frozen=True)
class StatusRequest:
    """A ``status`` with the extension's fields: an id to answer, what the station saw.

    ``expect`` is the claim the operator acted on (None: the alert was new); the hub
    applies a takeover only while that is still the holder.
    """

    sid: str
    source: str
    id: str
    state: AlertState
    kind: str
    station: str
    operator: str
    at: datetime
    reason: str = ""
    expect: ClaimRecord | None = None

    def to_json(self) -> str:
        return dump(
            {
                "type": "status",
                "sid": self.sid,
                "source": self.source,
                "id": self.id,
                "state": self.state.value,
                "kind": self.kind,
                "station": self.station,
                "operator": self.operator,
                "at": self.at.isoformat(),
                "reason": self.reason,
                "expect": None if self.expect is None else self.expect.to_obj(),
            }
        )


@dataclass(frozen=True)
class UnitRequest:
    """Change a unit's shared status; ``confirm`` overrides « already engaged »."""

    uid: str
    record: UnitRecord
    confirm: bool = False

    def to_json(self) -> str:
        return dump(
            {"type": "unit", "uid": self.uid, "unit": self.record.to_obj(), "confirm": self.confirm}
        )


@dataclass(frozen=True)
class PresenceReport:
    """The station's operator, role and viewed alert (operator empty: logged out)."""

    operator: str
    role: str
    viewing: AlertKey | None = None

    def to_json(self) -> str:
        viewing = (
            None if self.viewing is None else {"source": self.viewing[0], "id": self.viewing[1]}
        )
        return dump(
            {"type": "presence", "operator": self.operator, "role": self.role, "viewing": viewing}
        )


@dataclass(frozen=True)
class Escalation:
    """An urgent alert escalated to the supervisors (``eid`` makes resends harmless)."""

    eid: str
    source: str
    id: str
    station: str
    operator: str
    at: datetime
    note: str = ""

    def to_json(self, message_type: str = "escalate") -> str:
        return dump(
            {
                "type": message_type,
                "eid": self.eid,
                "source": self.source,
                "id": self.id,
                "station": self.station,
                "operator": self.operator,
                "at": self.at.isoformat(),
                "note": self.note,
            }
        )

    @classmethod
    def from_obj(cls, o: Mapping[str, Any], where: str = "escalate") -> Escalation:
        return cls(
            eid=text_field(o, "eid", where, 200, required=True),
            source=text_field(o, "source", where, 100, required=True),
            id=text_field(o, "id", where, 200, required=True),
            station=text_field(o, "station", where, 100, required=True),
            operator=text_field(o, "operator", where, 100),
            at=parse_rfc3339(o.get("at"), f"{where}.at"),
            note=text_field(o, "note", where, 500),
        )


@dataclass(frozen=True)
class GroupRequest:
    """A merge or split made at a station, for every station (§ 9.9): answered by
    ``group_result``, stored once by its id, then told to every station."""

    change: GroupChange

    def to_json(self) -> str:
        return dump({"type": "group", "change": change_to_obj(self.change)})


StationMessage = (
    StatusRequest | UnitRequest | PresenceReport | Escalation | GroupRequest | AlertShare
)


def parse_station_message(obj: Mapping[str, Any]) -> StationMessage:
    """A station's message to the hub (``status``, ``unit``, ``presence``, ``escalate``).

    ``ack``, ``reject`` and ``hello`` are protocol v1 and handled by the caller.
    A v1 ``status`` without ``sid`` gets an empty ``sid`` (a plain console).
    """
    mtype = obj.get("type")
    if mtype == "status":
        expect_raw = obj.get("expect")
        return StatusRequest(
            sid=text_field(obj, "sid", "status", 200),
            source=text_field(obj, "source", "status", 100, required=True),
            id=text_field(obj, "id", "status", 200, required=True),
            state=alert_state(obj.get("state"), "status.state"),
            kind=_kind(obj.get("kind"), obj.get("state")),
            station=text_field(obj, "station", "status", 100, required=True),
            operator=text_field(obj, "operator", "status", 100),
            at=parse_rfc3339(obj.get("at"), "status.at"),
            reason=text_field(obj, "reason", "status", 500),
            expect=None if expect_raw is None else ClaimRecord.from_obj(expect_raw, "expect"),
        )
    if mtype == "unit":
        confirm = obj.get("confirm", False)
        if not isinstance(confirm, bool):
            raise ValidationError(f"confirm : booléen attendu, reçu {describe(confirm)}")
        return UnitRequest(
            uid=text_field(obj, "uid", "unit", 200, required=True),
            record=UnitRecord.from_obj(obj.get("unit")),
            confirm=confirm,
        )
    if mtype == "presence":
        role = text_field(obj, "role", "presence", 40)
        if role and role not in ROLES:
            raise ValidationError(f"presence.role : rôle inconnu {describe(role)}")
        return PresenceReport(
            operator=text_field(obj, "operator", "presence", 100),
            role=role,
            viewing=alert_key(obj.get("viewing"), "presence.viewing"),
        )
    if mtype == "escalate":
        return Escalation.from_obj(obj)
    if mtype == "group":
        return GroupRequest(change_from_obj(obj.get("change"), "group.change"))
    if mtype == SHARE_TYPE:
        return parse_share(obj)
    raise ValidationError(f"type de message inconnu : {describe(mtype)}")


# -- hub → station --------------------------------------------------------------------


@dataclass(frozen=True)
class Welcome:
    """The hub's answer to ``hello``: its name and the features both sides speak."""

    hub: str
    features: tuple[str, ...]


@dataclass(frozen=True)
class Sync:
    """Sent right after ``welcome``, before any alert: the shared state as it stands."""

    claims: tuple[ClaimRecord, ...] = ()
    units: tuple[UnitRecord, ...] = ()
    presence: tuple[PresenceRecord, ...] = ()
    #: Every group change the hub keeps (§ 9.9), in its order: (seq, change).
    groups: tuple[tuple[int, GroupChange], ...] = ()


@dataclass(frozen=True)
class GroupChanged:
    """A group change the hub stored (any station's, or its automatic decision),
    with its place in the hub's order (§ 9.9)."""

    seq: int
    change: GroupChange


@dataclass(frozen=True)
class GroupResult:
    """The hub's answer to a station's ``group``: stored (``applied``) or refused."""

    id: str
    applied: bool
    message: str = ""


@dataclass(frozen=True)
class ClaimChanged:
    """The hub's holder of an alert changed (authoritative: apply as is)."""

    claim: ClaimRecord


@dataclass(frozen=True)
class StatusResult:
    """The hub's answer to a ``status``: ``applied`` or ``refused`` (with the holder)."""

    sid: str
    applied: bool
    claim: ClaimRecord | None
    message: str = ""


@dataclass(frozen=True)
class UnitChanged:
    """A unit's shared status changed."""

    unit: UnitRecord


@dataclass(frozen=True)
class UnitResult:
    """The hub's answer to a ``unit`` request; ``unit`` is the status now."""

    uid: str
    applied: bool
    unit: UnitRecord | None
    message: str = ""


@dataclass(frozen=True)
class PresenceChanged:
    """A station logged in, out, went away, or looks at another alert."""

    presence: PresenceRecord


@dataclass(frozen=True)
class EscalationRaised:
    """An alert was escalated: stations with a supervisor logged in ring."""

    escalation: Escalation


@dataclass(frozen=True)
class HubHealth:
    """The hub's durable storage: ``ok``, or ``degraded`` (NATS unreachable)."""

    state: str
    detail: str = ""
    since: datetime | None = None

    @property
    def degraded(self) -> bool:
        return self.state != "ok"


@dataclass(frozen=True)
class ClaimsApplied:
    """Station side only, never on the wire: the alerts whose stored row a hub
    message (``sync``, ``claim``, a frame's claim, ``status_result``) just changed,
    as they now stand, delivered to the GUI right after that message. ``refused``:
    the station's own status the hub refused (the GUI names the holder at once)."""

    stored: tuple[StoredAlert, ...]
    refused: StatusResult | None = None


HubMessage = (
    Welcome
    | Sync
    | ClaimChanged
    | StatusResult
    | UnitChanged
    | UnitResult
    | PresenceChanged
    | EscalationRaised
    | HubHealth
    | ClaimsApplied
    | GroupChanged
    | GroupResult
    | AlertShareResult
)

#: ``type`` of every hub → station message of the extension.
HUB_MESSAGE_TYPES: frozenset[str] = (
    frozenset(
        {
            "welcome",
            "sync",
            "claim",
            "status_result",
            "unit",
            "unit_result",
            "presence",
            "escalation",
            "hub_health",
            "group",
            "group_result",
            RESULT_TYPE,
        }
    )
    | BOOK_HUB_TYPES
)  # the book extension's (core/book_protocol.py, § 10)


def parse_hub_message(obj: Mapping[str, Any]) -> HubMessage:
    """A hub → station message of the extension (``type`` in :data:`HUB_MESSAGE_TYPES`)."""
    mtype = obj.get("type")
    if mtype == "welcome":
        features = obj.get("features", [])
        if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
            raise ValidationError(f"features : liste de textes attendue, reçu {describe(features)}")
        return Welcome(text_field(obj, "hub", "welcome", 100), tuple(features))
    if mtype == "sync":
        return Sync(
            tuple(ClaimRecord.from_obj(c, "sync.claims") for c in json_list(obj, "claims")),
            tuple(UnitRecord.from_obj(u, "sync.units") for u in json_list(obj, "units")),
            tuple(PresenceRecord.from_obj(p, "sync.presence") for p in json_list(obj, "presence")),
            tuple(_sequenced(g, "sync.groups") for g in json_list(obj, "groups")),
        )
    if mtype == "group":
        seq, change = _sequenced(obj, "group")
        return GroupChanged(seq, change)
    if mtype == "group_result":
        return GroupResult(
            text_field(obj, "id", "group_result", 200, required=True),
            _result(obj),
            text_field(obj, "message", "group_result", 500),
        )
    if mtype == RESULT_TYPE:
        return parse_share_result(obj)
    if mtype == "claim":
        return ClaimChanged(ClaimRecord.from_obj(obj.get("claim")))
    if mtype == "status_result":
        claim = obj.get("claim")
        return StatusResult(
            sid=text_field(obj, "sid", "status_result", 200, required=True),
            applied=_result(obj),
            claim=None if claim is None else ClaimRecord.from_obj(claim),
            message=text_field(obj, "message", "status_result", 500),
        )
    if mtype == "unit":
        return UnitChanged(UnitRecord.from_obj(obj.get("unit")))
    if mtype == "unit_result":
        unit = obj.get("unit")
        return UnitResult(
            uid=text_field(obj, "uid", "unit_result", 200, required=True),
            applied=_result(obj),
            unit=None if unit is None else UnitRecord.from_obj(unit),
            message=text_field(obj, "message", "unit_result", 500),
        )
    if mtype == "presence":
        return PresenceChanged(PresenceRecord.from_obj(obj.get("presence")))
    if mtype == "escalation":
        return EscalationRaised(Escalation.from_obj(obj, "escalation"))
    if mtype == "hub_health":
        state = text_field(obj, "state", "hub_health", 20, required=True)
        since_raw = obj.get("since")
        since = None if since_raw is None else parse_rfc3339(since_raw, "hub_health.since")
        return HubHealth(state, text_field(obj, "detail", "hub_health", 500), since)
    raise ValidationError(f"type de message inconnu : {describe(mtype)}")


# builders for the hub side


def welcome(hub: str, features: Sequence[str]) -> str:
    return dump({"type": "welcome", "protocol": 1, "hub": hub, "features": list(features)})


def sync(
    claims: Sequence[ClaimRecord],
    units: Sequence[UnitRecord],
    presence: Sequence[PresenceRecord],
    groups: Sequence[tuple[int, GroupChange]] | None = None,
) -> str:
    obj: dict[str, Any] = {
        "type": "sync",
        "claims": [c.to_obj() for c in claims],
        "units": [u.to_obj() for u in units],
        "presence": [p.to_obj() for p in presence],
    }
    if groups is not None:  # only to a station that speaks « groups »
        obj["groups"] = [{"seq": seq, "change": change_to_obj(c)} for seq, c in groups]
    return dump(obj)


def claim_changed(claim: ClaimRecord) -> str:
    return dump({"type": "claim", "claim": claim.to_obj()})


def status_result(sid: str, applied: bool, claim: ClaimRecord | None, message: str = "") -> str:
    return _result_message("status_result", "sid", sid, applied, "claim", claim, message)


def unit_changed(unit: UnitRecord) -> str:
    return dump({"type": "unit", "unit": unit.to_obj()})


def unit_result(uid: str, applied: bool, unit: UnitRecord | None, message: str = "") -> str:
    return _result_message("unit_result", "uid", uid, applied, "unit", unit, message)


def _result_message(
    mtype: str,
    id_name: str,
    request_id: str,
    applied: bool,
    record_name: str,
    record: ClaimRecord | UnitRecord | None,
    message: str,
) -> str:
    """The hub's answer to a request: applied or refused, with the record as it stands."""
    return dump(
        {
            "type": mtype,
            id_name: request_id,
            "result": "applied" if applied else "refused",
            record_name: None if record is None else record.to_obj(),
            "message": message,
        }
    )


def presence_changed(presence: PresenceRecord) -> str:
    return dump({"type": "presence", "presence": presence.to_obj()})


def hub_health(state: str, detail: str = "", since: datetime | None = None) -> str:
    return dump(
        {
            "type": "hub_health",
            "state": state,
            "detail": detail,
            "since": None if since is None else since.isoformat(),
        }
    )


@dataclass(frozen=True)
class HelloInfo:
    """What the hub reads from a station's ``hello``."""

    station: str
    last_seq: int | None
    features: tuple[str, ...] = field(default_factory=tuple)
    #: The last group change the station holds from the hubs (§ 9.9; None: none).
    groups_seq: int | None = None


def parse_hello(obj: Mapping[str, Any]) -> HelloInfo:
    """A station's ``hello`` (protocol v1, with the optional ``features`` list)."""
    if obj.get("type") != "hello":
        raise ValidationError("hello attendu en premier message")
    if obj.get("protocol") != 1:
        raise ValidationError(f"protocol : 1 attendu, reçu {describe(obj.get('protocol'))}")
    station = text_field(obj, "station", "hello", 100, required=True)
    last_seq = obj.get("last_seq")
    if last_seq is not None and (
        isinstance(last_seq, bool) or not isinstance(last_seq, int) or last_seq < 0
    ):
        raise ValidationError(f"last_seq : entier positif attendu, reçu {describe(last_seq)}")
    features = obj.get("features", [])
    if not isinstance(features, list):
        raise ValidationError(f"features : liste attendue, reçu {describe(features)}")
    groups_seq = obj.get("groups_seq")
    if groups_seq is not None and (
        isinstance(groups_seq, bool) or not isinstance(groups_seq, int) or groups_seq < 0
    ):
        raise ValidationError(f"groups_seq : entier positif attendu, reçu {describe(groups_seq)}")
    features_ok = tuple(f for f in features if isinstance(f, str))
    return HelloInfo(station, last_seq, features_ok, groups_seq)


# -- helpers ----------------------------------------------------------------------------


def _sequenced(obj: object, where: str) -> tuple[int, GroupChange]:
    if not isinstance(obj, dict):
        raise ValidationError(f"{where} : objet attendu, reçu {describe(obj)}")
    seq = obj.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValidationError(f"{where}.seq : entier positif attendu, reçu {describe(seq)}")
    return seq, change_from_obj(obj.get("change"), f"{where}.change")


def _kind(value: object, state: object) -> str:
    if value is None:
        return str(state)  # a v1 status: the kind is its state
    if value not in STATUS_KINDS:
        raise ValidationError(f"status.kind : type inconnu {describe(value)}")
    return str(value)


def _result(obj: Mapping[str, Any]) -> bool:
    result = obj.get("result")
    if result not in ("applied", "refused"):
        raise ValidationError(
            f"result : « applied » ou « refused » attendu, reçu {describe(result)}"
        )
    return bool(result == "applied")
