"""The CAP triplet (sender, identifier, sent) and the durable record of those stored.

A CAP document may reach the hub through a partner's ``POST /cap``, an Atom/RSS
feed and an upstream gateway; feeds list the same entries for days. Every channel
publishes a CAP alert to ``CSU_ALERTS`` with the same ``Nats-Msg-Id`` (a hash of
the triplet, ``sent`` as an instant in UTC), which catches copies within the
stream's duplicate window (minutes), and records the triplet in the key-value
bucket ``csu_cap_seen`` (file storage, replicated like the streams, entries aged
out after ``alerts_days``), which catches the later ones — across hub restarts and
between the hubs of a CSU.

Order: the alert is stored first, then recorded. A hub killed between the two
stores a later copy again (the stations recognise it by (sender, identifier));
recording first would lose the document if the publish then failed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import nats.errors
import nats.js.errors
from nats.js import JetStreamContext, api

from csu_console.core.alerts import Alert
from csu_console.hub.placement import placed

log = logging.getLogger("csu.hub.cap")

CAP_SEEN_BUCKET = "csu_cap_seen"


@dataclass(frozen=True)
class CapTriplet:
    """What identifies one CAP message: ``sent`` normalised to an instant in UTC."""

    sender: str
    identifier: str
    sent: str

    @classmethod
    def of(cls, alert: Alert) -> CapTriplet:
        return cls(alert.source, alert.id, normal_sent(alert.sent))

    def _digest(self) -> str:
        text = f"{self.sender}\x00{self.identifier}\x00{self.sent}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def msg_id(self) -> str:
        """``Nats-Msg-Id`` of a CAP alert, whichever channel brought it."""
        return f"cap-{self._digest()[:40]}"

    @property
    def kv_key(self) -> str:
        """Its key in ``csu_cap_seen`` (a hash: any sender or identifier is a valid key)."""
        return f"t.{self._digest()[:48]}"

    def to_obj(self) -> dict[str, str]:
        return {"sender": self.sender, "identifier": self.identifier, "sent": self.sent}


def normal_sent(sent: datetime) -> str:
    """``sent`` as the triplet compares it: an instant in UTC (feeds write the offset
    loosely: ``+01:00`` and ``Z`` for the same instant are the same message)."""
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    return sent.astimezone(UTC).isoformat()


async def ensure_seen_bucket(js: JetStreamContext, max_age_s: float, replicas: int) -> None:
    """Create ``csu_cap_seen`` (entries kept ``max_age_s``), or align its age."""
    try:
        await js.key_value(CAP_SEEN_BUCKET)
    except nats.js.errors.BucketNotFoundError:
        config = api.KeyValueConfig(
            bucket=CAP_SEEN_BUCKET,
            history=1,
            ttl=max_age_s,
            replicas=replicas,
            storage=api.StorageType.FILE,
        )
        await placed(lambda: js.create_key_value(config), CAP_SEEN_BUCKET)
        return
    stream = f"KV_{CAP_SEEN_BUCKET}"
    info = await js.stream_info(stream)
    if info.config.max_age != max_age_s:
        await js.update_stream(info.config.evolve(max_age=max_age_s))


class SeenTriplets:
    """Reads and writes ``csu_cap_seen`` (on the hub's loop)."""

    def __init__(self, js: JetStreamContext) -> None:
        self._js = js

    async def known(self, triplets: Iterable[CapTriplet]) -> set[CapTriplet]:
        """The triplets already stored (one request each, concurrently). Raises the
        client's errors when NATS does not answer: the caller acknowledges nothing."""
        wanted = list(dict.fromkeys(triplets))
        if not wanted:
            return set()
        try:
            kv = await self._js.key_value(CAP_SEEN_BUCKET)
        except nats.js.errors.BucketNotFoundError:
            log.info("%s absent : doublons vus par la seule fenêtre du flux", CAP_SEEN_BUCKET)
            return set()

        async def one(t: CapTriplet) -> bool:
            try:
                await kv.get(t.kv_key)
            except nats.js.errors.KeyNotFoundError:  # deleted or aged out included
                return False
            return True

        found = await asyncio.gather(*(one(t) for t in wanted))
        return {t for t, hit in zip(wanted, found, strict=True) if hit}

    async def record(self, triplet: CapTriplet, channel: str, seq: int | None) -> None:
        """Remember a stored triplet; a failure is logged (the alert is stored: a later
        copy outside the window would be stored again, and recognised by the stations)."""
        value = triplet.to_obj() | {
            "channel": channel,
            "seq": seq,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            kv = await self._js.key_value(CAP_SEEN_BUCKET)
            await kv.put(triplet.kv_key, json.dumps(value, ensure_ascii=False).encode())
        except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
            log.info("triplet CAP %s non enregistré (%s)", triplet.identifier, exc)
