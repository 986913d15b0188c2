"""A station's own alert, for every station of the CSU (``docs/protocol.md`` § 9.10).

An alert an operator creates from a phone call (« Nouvelle alerte ici ») is stored
at once at its station (it rings, ranks its cameras and is logged there even with
the hub away), then offered to the hub in an ``alert_share`` message, durable in the
station's outbox until the hub answers. The hub puts it in the alerts stream as an
upstream gateway's alert: every station gets it in its queue; the station that took
the call recognises it by (source, id) and keeps its own copy.

The caller's name and number stay at the station that took the call: the shared
object has no ``reporter`` (the others see the incident, not who reported it).
Only the sources in :data:`SHAREABLE_SOURCES` are shared (a station never
re-publishes a citizen's or a partner's alert). Qt-free, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csu_console.core.alerts import Alert
from csu_console.core.hub_records import AlertKey, dump, text_field
from csu_console.core.phone_alert import SOURCE as PHONE_SOURCE
from csu_console.core.validate import describe, parse_alert_object
from csu_console.errors import ValidationError

#: The feature asked in ``hello`` and granted in ``welcome``.
FEATURE = "alert_share"
SHARE_TYPE = "alert_share"
RESULT_TYPE = "alert_share_result"
#: The alerts a station may offer: those its operators create.
SHAREABLE_SOURCES = frozenset({PHONE_SOURCE})


def share_key(key: AlertKey) -> str:
    """The outbox key of an alert's offer (answered by the hub's result)."""
    return f"share:{key[0]}/{key[1]}"


def share_object(alert: Alert) -> dict[str, Any]:
    """The protocol-v1 ``alert`` object of ``alert``, without the caller."""
    obj: dict[str, Any] = {
        "source": alert.source,
        "id": alert.id,
        "sent": alert.sent.isoformat(),
        "category": alert.category_raw or alert.category.value,
        "priority": alert.priority,
        "title": alert.title,
        "description": alert.description,
    }
    loc = alert.location
    if loc is not None:
        place: dict[str, Any] = {"lat": loc.lat, "lon": loc.lon}
        if loc.address:
            place["address"] = loc.address
        if loc.accuracy_m is not None:
            place["accuracy_m"] = loc.accuracy_m
        obj["location"] = place
    if alert.commune:
        obj["commune"] = alert.commune
    return obj


@dataclass(frozen=True)
class AlertShare:
    """A station's offer of one of its own alerts (station → hub)."""

    alert: Alert
    obj: Mapping[str, Any]  # the v1 alert object, as sent

    @classmethod
    def of(cls, alert: Alert) -> AlertShare:
        if alert.source not in SHAREABLE_SOURCES:
            raise ValueError(f"alerte de source {alert.source} : pas créée au poste")
        return cls(alert, share_object(alert))

    @property
    def key(self) -> str:
        return share_key(self.alert.key)

    def to_json(self) -> str:
        return dump({"type": SHARE_TYPE, "alert": dict(self.obj)})

    def frame(self) -> bytes:
        """The alert frame the hub stores in the alerts stream (no ``seq``: each
        delivery puts the stream's)."""
        return dump({"type": "alert", "alert": dict(self.obj)}).encode("utf-8")


def parse_share(obj: Mapping[str, Any]) -> AlertShare:
    """An ``alert_share`` message, its alert validated as an upstream one."""
    raw = obj.get("alert")
    if not isinstance(raw, dict):
        raise ValidationError(f"alert_share.alert : objet attendu, reçu {describe(raw)}")
    alert = parse_alert_object(raw)
    if alert.source not in SHAREABLE_SOURCES:
        raise ValidationError(
            f"alert_share.alert.source : {describe(alert.source)} n'est pas une alerte"
            " créée au poste"
        )
    if raw.get("reporter") is not None:
        raise ValidationError("alert_share.alert.reporter : l'appelant reste au poste")
    return AlertShare(alert, raw)


@dataclass(frozen=True)
class AlertShareResult:
    """The hub's answer to an offer: stored (or already there), or refused and why."""

    key: str
    applied: bool
    message: str = ""


def share_result(key: str, applied: bool, message: str = "") -> str:
    return dump(
        {
            "type": RESULT_TYPE,
            "key": key,
            "result": "applied" if applied else "refused",
            "message": message,
        }
    )


def parse_share_result(obj: Mapping[str, Any]) -> AlertShareResult:
    result = obj.get("result")
    if result not in ("applied", "refused"):
        raise ValidationError(
            f"alert_share_result.result : applied ou refused attendu, reçu {describe(result)}"
        )
    return AlertShareResult(
        text_field(obj, "key", RESULT_TYPE, 400, required=True),
        result == "applied",
        text_field(obj, "message", RESULT_TYPE, 500),
    )
