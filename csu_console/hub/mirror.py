"""One hub's in-memory copy of the shared buckets, and who is told of their changes.

Fed by the buckets' :class:`~csu_console.hub.feed.StreamFeed` (changes made by any
hub) and by this hub's own writes (so an answer and the cache agree at once). A
record is kept, and told to the listeners, only when its revision is newer than the
one held: every hub tells each change at most once, in revision order per key,
whoever saw it first. Initial values (``loading``) fill the cache silently, and a
rewrite of the same record (a presence refresh) is not a change.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nats.aio.msg import Msg

from csu_console.core.hub_protocol import (
    AlertKey,
    ClaimChanged,
    ClaimRecord,
    Escalation,
    EscalationRaised,
    HubMessage,
    PresenceChanged,
    PresenceRecord,
    UnitChanged,
    UnitRecord,
)
from csu_console.errors import ValidationError
from csu_console.hub.feed import header

log = logging.getLogger("csu.hub.shared")

CLAIMS_BUCKET = "csu_claims"
UNITS_BUCKET = "csu_units"
PRESENCE_BUCKET = "csu_presence"

#: An escalation heard later than this (seconds; a hub cut from NATS) is not rung.
ESCALATION_MAX_LATE = 600.0

_R = TypeVar("_R")


@dataclass(frozen=True)
class Cached(Generic[_R]):
    """A bucket entry as last seen: its revision, record and write time (epoch s)."""

    revision: int
    record: _R
    seen: float


class SharedMirror:
    """The claims, units and presence as this hub knows them, and its listeners."""

    def __init__(self) -> None:
        self.claims: dict[AlertKey, Cached[ClaimRecord]] = {}
        self.units: dict[str, Cached[UnitRecord]] = {}
        self.presence: dict[str, Cached[PresenceRecord]] = {}
        self._listeners: list[Callable[[HubMessage], None]] = []

    # -- listeners --------------------------------------------------------------------

    def listen(self, callback: Callable[[HubMessage], None]) -> None:
        self._listeners.append(callback)

    def emit(self, message: HubMessage) -> None:
        """Tell every listener; one that raises is logged and the others still told."""
        for callback in list(self._listeners):
            try:
                callback(message)
            except Exception:
                log.exception("écouteur de l'état partagé en erreur sur %s", type(message).__name__)

    # -- changes ----------------------------------------------------------------------

    def observe_claim(
        self, revision: int, record: ClaimRecord, seen: float | None = None, loading: bool = False
    ) -> None:
        cached = self.claims.get(record.key)
        if cached is not None and cached.revision >= revision:
            return
        self.claims[record.key] = Cached(revision, record, time.time() if seen is None else seen)
        if not loading and (cached is None or cached.record != record):
            self.emit(ClaimChanged(record))

    def observe_unit(
        self, revision: int, record: UnitRecord, seen: float | None = None, loading: bool = False
    ) -> None:
        cached = self.units.get(record.unit)
        if cached is not None and cached.revision >= revision:
            return
        self.units[record.unit] = Cached(revision, record, time.time() if seen is None else seen)
        if not loading and (cached is None or cached.record != record):
            self.emit(UnitChanged(record))

    def observe_presence(
        self,
        revision: int,
        record: PresenceRecord,
        seen: float | None = None,
        loading: bool = False,
    ) -> None:
        cached = self.presence.get(record.station)
        if cached is not None and cached.revision >= revision:
            return
        self.presence[record.station] = Cached(
            revision, record, time.time() if seen is None else seen
        )
        if not loading and (cached is None or cached.record != record):
            self.emit(PresenceChanged(record))

    def prune(self, older_than: float) -> int:
        """Forget claims and units last written before ``older_than`` (expired in NATS)."""
        claims = [k for k, c in self.claims.items() if c.seen < older_than]
        units = [k for k, u in self.units.items() if u.seen < older_than]
        for key in claims:
            del self.claims[key]
        for unit in units:
            del self.units[unit]
        return len(claims) + len(units)

    def forget(self, bucket: str) -> None:
        """Drop a bucket's copy (its stream was recreated: it is loaded again)."""
        if bucket == CLAIMS_BUCKET:
            self.claims.clear()
        elif bucket == UNITS_BUCKET:
            self.units.clear()
        elif bucket == PRESENCE_BUCKET:
            self.presence.clear()

    # -- feed handlers ----------------------------------------------------------------

    def on_claim_msg(self, msg: Msg, loading: bool) -> None:
        key, obj = _value(msg, CLAIMS_BUCKET)
        meta = msg.metadata
        if obj is None:
            alert = decode_claim_key(key)
            if alert is not None:
                self.claims.pop(alert, None)
            return
        record = ClaimRecord.from_obj(obj)
        self.observe_claim(meta.sequence.stream, record, meta.timestamp.timestamp(), loading)

    def on_unit_msg(self, msg: Msg, loading: bool) -> None:
        key, obj = _value(msg, UNITS_BUCKET)
        meta = msg.metadata
        if obj is None:
            self.units.pop(decode_name(key), None)
            return
        record = UnitRecord.from_obj(obj)
        self.observe_unit(meta.sequence.stream, record, meta.timestamp.timestamp(), loading)

    def on_presence_msg(self, msg: Msg, loading: bool) -> None:
        key, obj = _value(msg, PRESENCE_BUCKET)
        meta = msg.metadata
        if obj is None:
            self.presence.pop(decode_name(key), None)
            return
        # liveness by this hub's clock (when it heard the entry), not the server's:
        # a hub whose clock is off must not take every station for gone
        record = PresenceRecord.from_obj(obj)
        self.observe_presence(meta.sequence.stream, record, None, loading)

    def on_escalation_msg(self, msg: Msg, loading: bool) -> None:
        obj = json.loads(msg.data)
        if not isinstance(obj, dict):
            raise ValidationError("escalade : objet JSON attendu")
        escalation = Escalation.from_obj(obj)
        late = time.time() - msg.metadata.timestamp.timestamp()
        if late > ESCALATION_MAX_LATE:
            # heard after a long cut from NATS: ringing now would mislead the supervisor
            log.info("escalade %s reçue %.0f s après coup : pas de sonnerie", escalation.eid, late)
            return
        self.emit(EscalationRaised(escalation))


def _value(msg: Msg, bucket: str) -> tuple[str, dict[str, Any] | None]:
    """The key and the JSON object of a bucket message (None: deleted or expired)."""
    key = msg.subject[len(f"$KV.{bucket}.") :]
    if header(msg, "KV-Operation") in ("DEL", "PURGE") or header(msg, "Nats-Marker-Reason"):
        return key, None
    obj = json.loads(msg.data)
    if not isinstance(obj, dict):
        raise ValidationError(f"{bucket} : objet JSON attendu")
    return key, obj


def decode_name(key: str) -> str:
    """The unit or station name of a key made by :func:`~csu_console.hub.rules.name_key`."""
    try:
        return base64.urlsafe_b64decode(key.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError):
        return key


def decode_claim_key(key: str) -> AlertKey | None:
    """The (source, id) of a key made by :func:`~csu_console.hub.rules.claim_key`."""
    source, sep, alert_id = key.partition(".")
    if not sep:
        return None
    return decode_name(source), decode_name(alert_id)
