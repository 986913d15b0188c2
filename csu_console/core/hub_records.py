"""The records of the hub extension: what the hub keeps in its key-value buckets
(who holds an alert, a patrol's status, who is logged in where), and the JSON helpers
they share with the messages (:mod:`csu_console.core.hub_protocol`). No Qt, no I/O."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.validate import check_text, describe, parse_rfc3339
from csu_console.errors import ValidationError

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
        o = json_object(obj, where)
        return cls(
            source=text_field(o, "source", where, 100, required=True),
            id=text_field(o, "id", where, 200, required=True),
            state=alert_state(o.get("state"), f"{where}.state"),
            station=text_field(o, "station", where, 100, required=True),
            operator=text_field(o, "operator", where, 100),
            at=parse_rfc3339(o.get("at"), f"{where}.at"),
            sid=text_field(o, "sid", where, 200),
            kind=text_field(o, "kind", where, 40),
            reason=text_field(o, "reason", where, 500),
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
        o = json_object(obj, where)
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
            unit=text_field(o, "unit", where, 100, required=True),
            status=status,
            station=text_field(o, "station", where, 100, required=True),
            operator=text_field(o, "operator", where, 100),
            at=parse_rfc3339(o.get("at"), f"{where}.at"),
            alert=alert_key(o.get("alert"), f"{where}.alert"),
            stage=stage,
            comment=text_field(o, "comment", where, 500),
            uid=text_field(o, "uid", where, 200),
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
        o = json_object(obj, where)
        role = text_field(o, "role", where, 40)
        if role and role not in ROLES:
            raise ValidationError(f"{where}.role : rôle inconnu {describe(role)}")
        online = o.get("online", True)
        if not isinstance(online, bool):
            raise ValidationError(f"{where}.online : booléen attendu, reçu {describe(online)}")
        return cls(
            station=text_field(o, "station", where, 100, required=True),
            operator=text_field(o, "operator", where, 100),
            role=role,
            at=parse_rfc3339(o.get("at"), f"{where}.at"),
            viewing=alert_key(o.get("viewing"), f"{where}.viewing"),
            online=online,
            hub=text_field(o, "hub", where, 100),
        )


# -- JSON helpers, shared with the messages ----------------------------------------


def dump(obj: Mapping[str, Any]) -> str:
    """Compact JSON text, UTF-8 kept (the messages' wire form)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def json_object(obj: object, where: str) -> Mapping[str, Any]:
    """``obj`` when it is a JSON object, else :class:`ValidationError` at ``where``."""
    if not isinstance(obj, dict):
        raise ValidationError(f"{where} : objet attendu, reçu {describe(obj)}")
    return obj


def json_list(obj: Mapping[str, Any], name: str) -> list[Any]:
    """The list at ``obj[name]`` (absent: empty), else :class:`ValidationError`."""
    value = obj.get(name, [])
    if not isinstance(value, list):
        raise ValidationError(f"{name} : liste attendue, reçu {describe(value)}")
    return value


def text_field(
    o: Mapping[str, Any], name: str, where: str, limit: int, required: bool = False
) -> str:
    """The text at ``o[name]``, bounded and clean (absent: empty), else
    :class:`ValidationError` naming ``where.name``."""
    return check_text(o.get(name), f"{where}.{name}", limit, required=required) or ""


def alert_state(value: object, where: str) -> AlertState:
    """An :class:`AlertState` from its text, else :class:`ValidationError` at ``where``."""
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return AlertState(value)
    except ValueError:
        raise ValidationError(f"{where} : état inconnu {describe(value)}") from None


def alert_key(value: object, where: str) -> AlertKey | None:
    """``{"source", "id"}`` as an alert key (None when absent)."""
    if value is None:
        return None
    o = json_object(value, where)
    return (
        text_field(o, "source", where, 100, required=True),
        text_field(o, "id", where, 200, required=True),
    )
