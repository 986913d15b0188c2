"""A :class:`~csu_console.core.groups.GroupChange` as JSON, for the hub's wire and
stream (``docs/protocol.md`` § 9.9) and the station's outbox. Parsing raises
:class:`~csu_console.errors.ValidationError` naming the field. No Qt, no I/O."""

from __future__ import annotations

from typing import Any

from csu_console.core.groups import GroupChange, GroupChangeKind
from csu_console.core.hub_records import alert_key, dump, json_object, text_field
from csu_console.core.validate import describe, parse_rfc3339
from csu_console.errors import ValidationError

#: At most this many reports in one change (a merge of a whole storm is refused).
MAX_MEMBERS = 200


def change_to_obj(change: GroupChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "kind": change.kind.value,
        "leader": {"source": change.leader[0], "id": change.leader[1]},
        "members": [{"source": s, "id": i} for s, i in change.members],
        "station": change.station,
        "operator": change.operator,
        "at": change.at.isoformat(),
        "reason": change.reason,
    }


def change_from_obj(obj: object, where: str = "change") -> GroupChange:
    o = json_object(obj, where)
    try:
        kind = GroupChangeKind(str(o.get("kind")))
    except ValueError:
        raise ValidationError(f"{where}.kind : type inconnu {describe(o.get('kind'))}") from None
    leader = alert_key(o.get("leader"), f"{where}.leader")
    if leader is None:
        raise ValidationError(f"{where}.leader : alerte attendue")
    raw = o.get("members")
    if not isinstance(raw, list) or not raw:
        raise ValidationError(f"{where}.members : liste non vide attendue, reçu {describe(raw)}")
    if len(raw) > MAX_MEMBERS:
        raise ValidationError(f"{where}.members : {len(raw)} alertes, {MAX_MEMBERS} au plus")
    members = tuple(k for m in raw if (k := alert_key(m, f"{where}.members")) is not None)
    return GroupChange(
        id=text_field(o, "id", where, 200, required=True),
        kind=kind,
        leader=leader,
        members=members,
        station=text_field(o, "station", where, 100, required=True),
        operator=text_field(o, "operator", where, 100),
        at=parse_rfc3339(o.get("at"), f"{where}.at"),
        reason=text_field(o, "reason", where, 500),
    )


def change_json(change: GroupChange) -> str:
    """The change alone, as stored in ``CSU_GROUPS`` and in the station's table."""
    return dump(change_to_obj(change))


def group_request(change: GroupChange) -> str:
    """Station → hub: ``{"type": "group", "change": …}`` (answered by ``group_result``)."""
    return dump({"type": "group", "change": change_to_obj(change)})


def group_changed(seq: int, change: GroupChange) -> str:
    """Hub → station: a change stored by the hub, with its place in the hub's order."""
    return dump({"type": "group", "seq": seq, "change": change_to_obj(change)})


def group_result(change_id: str, applied: bool, message: str = "") -> str:
    """Hub → station: the change is stored (``applied``) or refused (why)."""
    return dump(
        {
            "type": "group_result",
            "id": change_id,
            "result": "applied" if applied else "refused",
            "message": message,
        }
    )
