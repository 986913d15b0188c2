"""Protocol v1's hub extension: shared claims, units, presence, escalation, durable status.

Negotiated in ``hello`` (``features``) and answered by the hub's ``welcome``; a
station talking to a plain protocol-v1 gateway never sees any of these messages
and works as before. See ``docs/protocol.md`` § 9. Parsing raises
:class:`~csu_console.errors.ValidationError` naming the field, as for alerts;
building returns compact JSON text. No Qt, no I/O.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.validate import check_text, describe, parse_rfc3339
from csu_console.errors import ValidationError

#: Everything this code base speaks; a station and a hub use the intersection.
FEATURES: tuple[str, ...] = ("claims", "units", "presence", "escalation", "durable_status")

#: The kinds of ``status`` a station sends (the logbook event kind of the transition).
STATUS_KINDS: tuple[str, ...] = ("acknowledged", "dispatched", "closed", "taken_over", "reopened")

ROLES: tuple[str, ...] = ("operator", "supervisor", "admin", "installer")


AlertKey = tuple[str, str]  # (source, id)


def new_key(station: str) -> str:
    """A station-unique id for a ``sid``, ``uid`` or ``eid``: ``poste-1:9f…``."""
    return f"{station}:{uuid.uuid4().hex}"


# -- records (the values kept in the hub's key-value buckets) -------------------------


@dataclass(frozen=True)
class ClaimRecord:
    """Who holds one alert, as the hub decided it (``sid``: the status that set it)."""

    source: str
    id: str
    state: AlertState
    station: str
    operator: str
    at: datetime
    sid: str = ""
    kind: str = ""
    reason: str = ""

    @property
    def key(self) -> AlertKey:
        return (self.source, self.id)

    def to_obj(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "id": self.id,
            "state": self.state.value,
            "station": self.station,
            "operator": self.operator,
            "at": self.at.isoformat(),
            "sid": self.sid,
            "kind": self.kind,
            "reason": self.reason,
        }

    @classmethod
    def from_obj(cls, obj: object, where: str = "claim") -> ClaimRecord:
        o = _object(obj, where)
        return cls(
            source=_text(o, "source", where, 100, required=True),
            id=_text(o, "id", where, 200, required=True),
            state=_state(o.get("state"), f"{where}.state"),
            station=_text(o, "station", where, 100, required=True),
            operator=_text(o, "operator", where, 100),
            at=parse_rfc3339(o.get("at"), f"{where}.at"),
            sid=_text(o, "sid", where, 200),
            kind=_text(o, "kind", where, 40),
            reason=_text(o, "reason", where, 500),
        )


@dataclass(frozen=True)
class UnitRecord:
    """A patrol's shared status: free, engaged on an alert (and how far), or unavailable."""

    unit: str
    status: UnitStatus
    station: str
    operator: str
    at: datetime
    alert: AlertKey | None = None
    stage: Stage | None = None
    comment: str = ""
    uid: str = ""

    def to_obj(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "status": self.status.value,
            "alert": None if self.alert is None else {"source": self.alert[0], "id": self.alert[1]},
            "stage": None if self.stage is None else self.stage.value,
            "station": self.station,
            "operator": self.operator,
            "at": self.at.isoformat(),
            "comment": self.comment,
            "uid": self.uid,
        }

    @classmethod
    def from_obj(cls, obj: object, where: str = "unit") -> UnitRecord:
        o = _object(obj, where)
        try:
            status = UnitStatus(str(o.get("status")))
        except ValueError:
            raise ValidationError(
                f"{where}.status : statut inconnu {describe(o.get('status'))}"
            ) from None
        stage_raw = o.get("stage")
        try:
            stage = None if stage_raw is None else Stage(str(stage_raw))
        except ValueError:
            raise ValidationError(f"{where}.stage : étape inconnue {describe(stage_raw)}") from None
        return cls(
            unit=_text(o, "unit", where, 100, required=True),
            status=status,
            station=_text(o, "station", where, 100, required=True),
            operator=_text(o, "operator", where, 100),
            at=parse_rfc3339(o.get("at"), f"{where}.at"),
            alert=_alert_key(o.get("alert"), f"{where}.alert"),
            stage=stage,
            comment=_text(o, "comment", where, 500),
            uid=_text(o, "uid", where, 200),
        )


@dataclass(frozen=True)
class PresenceRecord:
    """Who is logged in at a station, with which role, looking at which alert."""

    station: str
    operator: str
    role: str
    at: datetime
    viewing: AlertKey | None = None
    online: bool = True
    hub: str = ""

    def to_obj(self) -> dict[str, Any]:
        return {
            "station": self.station,
            "operator": self.operator,
            "role": self.role,
            "viewing": None
            if self.viewing is None
            else {"source": self.viewing[0], "id": self.viewing[1]},
            "at": self.at.isoformat(),
            "online": self.online,
            "hub": self.hub,
        }

    @classmethod
    def from_obj(cls, obj: object, where: str = "presence") -> PresenceRecord:
        o = _object(obj, where)
        role = _text(o, "role", where, 40)
        if role and role not in ROLES:
            raise ValidationError(f"{where}.role : rôle inconnu {describe(role)}")
        online = o.get("online", True)
        if not isinstance(online, bool):
            raise ValidationError(f"{where}.online : booléen attendu, reçu {describe(online)}")
        return cls(
            station=_text(o, "station", where, 100, required=True),
            operator=_text(o, "operator", where, 100),
            role=role,
            at=parse_rfc3339(o.get("at"), f"{where}.at"),
            viewing=_alert_key(o.get("viewing"), f"{where}.viewing"),
            online=online,
            hub=_text(o, "hub", where, 100),
        )


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
        return _dump(
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
        return _dump(
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
        return _dump(
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
        return _dump(
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
            eid=_text(o, "eid", where, 200, required=True),
            source=_text(o, "source", where, 100, required=True),
            id=_text(o, "id", where, 200, required=True),
            station=_text(o, "station", where, 100, required=True),
            operator=_text(o, "operator", where, 100),
            at=parse_rfc3339(o.get("at"), f"{where}.at"),
            note=_text(o, "note", where, 500),
        )


StationMessage = StatusRequest | UnitRequest | PresenceReport | Escalation


def parse_station_message(obj: Mapping[str, Any]) -> StationMessage:
    """A station's message to the hub (``status``, ``unit``, ``presence``, ``escalate``).

    ``ack``, ``reject`` and ``hello`` are protocol v1 and handled by the caller.
    A v1 ``status`` without ``sid`` gets an empty ``sid`` (a plain console).
    """
    mtype = obj.get("type")
    if mtype == "status":
        expect_raw = obj.get("expect")
        return StatusRequest(
            sid=_text(obj, "sid", "status", 200),
            source=_text(obj, "source", "status", 100, required=True),
            id=_text(obj, "id", "status", 200, required=True),
            state=_state(obj.get("state"), "status.state"),
            kind=_kind(obj.get("kind"), obj.get("state")),
            station=_text(obj, "station", "status", 100, required=True),
            operator=_text(obj, "operator", "status", 100),
            at=parse_rfc3339(obj.get("at"), "status.at"),
            reason=_text(obj, "reason", "status", 500),
            expect=None if expect_raw is None else ClaimRecord.from_obj(expect_raw, "expect"),
        )
    if mtype == "unit":
        confirm = obj.get("confirm", False)
        if not isinstance(confirm, bool):
            raise ValidationError(f"confirm : booléen attendu, reçu {describe(confirm)}")
        return UnitRequest(
            uid=_text(obj, "uid", "unit", 200, required=True),
            record=UnitRecord.from_obj(obj.get("unit")),
            confirm=confirm,
        )
    if mtype == "presence":
        role = _text(obj, "role", "presence", 40)
        if role and role not in ROLES:
            raise ValidationError(f"presence.role : rôle inconnu {describe(role)}")
        return PresenceReport(
            operator=_text(obj, "operator", "presence", 100),
            role=role,
            viewing=_alert_key(obj.get("viewing"), "presence.viewing"),
        )
    if mtype == "escalate":
        return Escalation.from_obj(obj)
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
)

#: ``type`` of every hub → station message of the extension.
HUB_MESSAGE_TYPES: frozenset[str] = frozenset(
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
    }
)


def parse_hub_message(obj: Mapping[str, Any]) -> HubMessage:
    """A hub → station message of the extension (``type`` in :data:`HUB_MESSAGE_TYPES`)."""
    mtype = obj.get("type")
    if mtype == "welcome":
        features = obj.get("features", [])
        if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
            raise ValidationError(f"features : liste de textes attendue, reçu {describe(features)}")
        return Welcome(_text(obj, "hub", "welcome", 100), tuple(features))
    if mtype == "sync":
        return Sync(
            tuple(ClaimRecord.from_obj(c, "sync.claims") for c in _list(obj, "claims")),
            tuple(UnitRecord.from_obj(u, "sync.units") for u in _list(obj, "units")),
            tuple(PresenceRecord.from_obj(p, "sync.presence") for p in _list(obj, "presence")),
        )
    if mtype == "claim":
        return ClaimChanged(ClaimRecord.from_obj(obj.get("claim")))
    if mtype == "status_result":
        claim = obj.get("claim")
        return StatusResult(
            sid=_text(obj, "sid", "status_result", 200, required=True),
            applied=_result(obj),
            claim=None if claim is None else ClaimRecord.from_obj(claim),
            message=_text(obj, "message", "status_result", 500),
        )
    if mtype == "unit":
        return UnitChanged(UnitRecord.from_obj(obj.get("unit")))
    if mtype == "unit_result":
        unit = obj.get("unit")
        return UnitResult(
            uid=_text(obj, "uid", "unit_result", 200, required=True),
            applied=_result(obj),
            unit=None if unit is None else UnitRecord.from_obj(unit),
            message=_text(obj, "message", "unit_result", 500),
        )
    if mtype == "presence":
        return PresenceChanged(PresenceRecord.from_obj(obj.get("presence")))
    if mtype == "escalation":
        return EscalationRaised(Escalation.from_obj(obj, "escalation"))
    if mtype == "hub_health":
        state = _text(obj, "state", "hub_health", 20, required=True)
        since_raw = obj.get("since")
        since = None if since_raw is None else parse_rfc3339(since_raw, "hub_health.since")
        return HubHealth(state, _text(obj, "detail", "hub_health", 500), since)
    raise ValidationError(f"type de message inconnu : {describe(mtype)}")


# builders for the hub side


def welcome(hub: str, features: Sequence[str]) -> str:
    return _dump({"type": "welcome", "protocol": 1, "hub": hub, "features": list(features)})


def sync(
    claims: Sequence[ClaimRecord],
    units: Sequence[UnitRecord],
    presence: Sequence[PresenceRecord],
) -> str:
    return _dump(
        {
            "type": "sync",
            "claims": [c.to_obj() for c in claims],
            "units": [u.to_obj() for u in units],
            "presence": [p.to_obj() for p in presence],
        }
    )


def claim_changed(claim: ClaimRecord) -> str:
    return _dump({"type": "claim", "claim": claim.to_obj()})


def status_result(sid: str, applied: bool, claim: ClaimRecord | None, message: str = "") -> str:
    return _dump(
        {
            "type": "status_result",
            "sid": sid,
            "result": "applied" if applied else "refused",
            "claim": None if claim is None else claim.to_obj(),
            "message": message,
        }
    )


def unit_changed(unit: UnitRecord) -> str:
    return _dump({"type": "unit", "unit": unit.to_obj()})


def unit_result(uid: str, applied: bool, unit: UnitRecord | None, message: str = "") -> str:
    return _dump(
        {
            "type": "unit_result",
            "uid": uid,
            "result": "applied" if applied else "refused",
            "unit": None if unit is None else unit.to_obj(),
            "message": message,
        }
    )


def presence_changed(presence: PresenceRecord) -> str:
    return _dump({"type": "presence", "presence": presence.to_obj()})


def hub_health(state: str, detail: str = "", since: datetime | None = None) -> str:
    return _dump(
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


def parse_hello(obj: Mapping[str, Any]) -> HelloInfo:
    """A station's ``hello`` (protocol v1, with the optional ``features`` list)."""
    if obj.get("type") != "hello":
        raise ValidationError("hello attendu en premier message")
    if obj.get("protocol") != 1:
        raise ValidationError(f"protocol : 1 attendu, reçu {describe(obj.get('protocol'))}")
    station = _text(obj, "station", "hello", 100, required=True)
    last_seq = obj.get("last_seq")
    if last_seq is not None and (
        isinstance(last_seq, bool) or not isinstance(last_seq, int) or last_seq < 0
    ):
        raise ValidationError(f"last_seq : entier positif attendu, reçu {describe(last_seq)}")
    features = obj.get("features", [])
    if not isinstance(features, list):
        raise ValidationError(f"features : liste attendue, reçu {describe(features)}")
    return HelloInfo(station, last_seq, tuple(f for f in features if isinstance(f, str)))


# -- helpers ----------------------------------------------------------------------------


def _dump(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _object(obj: object, where: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise ValidationError(f"{where} : objet attendu, reçu {describe(obj)}")
    return obj


def _list(obj: Mapping[str, Any], name: str) -> list[Any]:
    value = obj.get(name, [])
    if not isinstance(value, list):
        raise ValidationError(f"{name} : liste attendue, reçu {describe(value)}")
    return value


def _text(o: Mapping[str, Any], name: str, where: str, limit: int, required: bool = False) -> str:
    return check_text(o.get(name), f"{where}.{name}", limit, required=required) or ""


def _state(value: object, where: str) -> AlertState:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return AlertState(value)
    except ValueError:
        raise ValidationError(f"{where} : état inconnu {describe(value)}") from None


def _kind(value: object, state: object) -> str:
    if value is None:
        return str(state)  # a v1 status: the kind is its state
    if value not in STATUS_KINDS:
        raise ValidationError(f"status.kind : type inconnu {describe(value)}")
    return str(value)


def _alert_key(value: object, where: str) -> AlertKey | None:
    if value is None:
        return None
    o = _object(value, where)
    return (
        _text(o, "source", where, 100, required=True),
        _text(o, "id", where, 200, required=True),
    )


def _result(obj: Mapping[str, Any]) -> bool:
    result = obj.get("result")
    if result not in ("applied", "refused"):
        raise ValidationError(
            f"result : « applied » ou « refused » attendu, reçu {describe(result)}"
        )
    return bool(result == "applied")
