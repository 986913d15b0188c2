"""A station's own alert into the alerts stream (``docs/protocol.md`` § 9.10).

An alert an operator created from a phone call, offered by its station
(:mod:`csu_console.core.alert_share`), is published like an upstream gateway's: on
``csu.alerts.station-<station>``, deduplicated by (source, id), with its origin in
the ``Csu`` header. Every station's consumer then delivers it; the station that took
the call already has it and recognises it by (source, id).
"""

from __future__ import annotations

import logging

import nats.errors
import nats.js.errors
from nats.js import JetStreamContext

from csu_console.core.alert_share import AlertShare
from csu_console.errors import CsuError
from csu_console.hub.jetstream import ALERTS_SUBJECT, H_ORIGIN, encode_origin, msg_id

log = logging.getLogger("csu.hub.stations")

#: Not stored by then: not answered, the station offers it again.
PUBLISH_TIMEOUT_S = 5.0


async def publish_share(js: JetStreamContext, station: str, share: AlertShare) -> None:
    """Store ``share``'s alert in the stream (once: a second offer is a duplicate);
    :class:`CsuError` when the stream cannot take it now."""
    alert = share.alert
    channel = f"station-{station}"
    headers = {
        "Nats-Msg-Id": msg_id(alert.source, alert.id),
        H_ORIGIN: encode_origin(channel, None, alert.key),
    }
    try:
        ack = await js.publish(
            f"{ALERTS_SUBJECT}.{channel}", share.frame(), timeout=PUBLISH_TIMEOUT_S, headers=headers
        )
    except (nats.errors.Error, nats.js.errors.Error, TimeoutError, OSError) as exc:
        raise CsuError(f"flux des alertes indisponible ({type(exc).__name__})") from exc
    log.info(
        "alerte %s/%s du poste %s partagée (seq %s%s)",
        alert.source, alert.id, station, ack.seq, ", déjà là" if ack.duplicate else "",
    )  # fmt: skip
