"""What goes on the stations' wire besides alerts: the connection that writes
batches at once, shared-state changes rendered per station, HTTP answers."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Response

from csu_console.core import hub_protocol as hp
from csu_console.core.group_wire import group_changed
from csu_console.core.protocol import UpdateMessage
from csu_console.net.connection import write_frames_at_once


class StationConnection(ServerConnection):
    """Writes what is framed together in one ``transport.write`` (websockets writes
    each frame on its own: 10,000 system calls for a 10,000-alert burst)."""

    def send_data(self) -> None:
        write_frames_at_once(self)


def render(message: hp.HubMessage, features: tuple[str, ...]) -> str | None:
    """A shared-state change as the station hears it: the extension's message with
    the matching feature, a v1 ``update`` for a claim to a plain console, else None."""
    if isinstance(message, hp.ClaimChanged):
        if "claims" in features:
            return hp.claim_changed(message.claim)
        c = message.claim
        return v1_update(UpdateMessage(c.source, c.id, c.state, c.station, c.operator, c.at))
    if isinstance(message, hp.UnitChanged) and "units" in features:
        return hp.unit_changed(message.unit)
    if isinstance(message, hp.PresenceChanged) and "presence" in features:
        return hp.presence_changed(message.presence)
    if isinstance(message, hp.EscalationRaised) and "escalation" in features:
        return message.escalation.to_json("escalation")
    if isinstance(message, hp.GroupChanged) and "groups" in features:
        return group_changed(message.seq, message.change)
    return None


def v1_update(u: UpdateMessage) -> str:
    return json.dumps(
        {
            "type": "update",
            "source": u.source,
            "id": u.id,
            "state": u.state.value,
            "station": u.station,
            "operator": u.operator,
            "at": u.at.isoformat(),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def peer_address(connection: ServerConnection) -> str:
    try:
        addr = connection.remote_address
        return f"{addr[0]}:{addr[1]}"
    except (AttributeError, IndexError, TypeError, OSError):
        return "?"


def json_response(status: HTTPStatus, body: dict[str, Any]) -> Response:
    data = json.dumps(body, ensure_ascii=False, indent=1).encode()
    headers = Headers(
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
        ]
    )
    return Response(status.value, status.phrase, headers, data)
