"""A stand-in for ``hub/shared.py`` until that branch is merged (tests only).

Keeps claims in memory, applies every status, and publishes applied claims on
``CSU_STATUS`` as the real one does. Removed once the real SharedState lands.
"""

from __future__ import annotations

from collections.abc import Callable

import nats.js.errors
from nats.js import JetStreamContext, api

from csu_console.core import hub_protocol as hp
from csu_console.hub.jetstream import STATUS_STREAM, STATUS_SUBJECT


class MemoryShared:
    def __init__(self, js: JetStreamContext, hub: str, replicas: int = 1) -> None:
        self._js = js
        self.hub = hub
        self.claims: dict[tuple[str, str], hp.ClaimRecord] = {}
        self._listeners: list[Callable[[hp.HubMessage], None]] = []

    async def start(self) -> None:
        try:
            await self._js.add_stream(
                api.StreamConfig(name=STATUS_STREAM, subjects=[STATUS_SUBJECT])
            )
        except nats.js.errors.BadRequestError:
            pass

    async def stop(self) -> None:
        return None

    def listen(self, callback: Callable[[hp.HubMessage], None]) -> None:
        self._listeners.append(callback)

    def claim_of(self, key: tuple[str, str]) -> hp.ClaimRecord | None:
        return self.claims.get(key)

    async def snapshot(self) -> hp.Sync:
        return hp.Sync(tuple(self.claims.values()))

    async def apply_status(self, req: hp.StatusRequest) -> hp.StatusResult:
        claim = hp.ClaimRecord(
            req.source, req.id, req.state, req.station, req.operator, req.at, req.sid, req.kind
        )
        self.claims[claim.key] = claim
        import json

        await self._js.publish(
            STATUS_SUBJECT,
            json.dumps(claim.to_obj()).encode(),
            headers={"Nats-Msg-Id": req.sid or f"{req.station}:{req.source}:{req.id}"},
        )
        for cb in self._listeners:
            cb(hp.ClaimChanged(claim))
        return hp.StatusResult(req.sid, True, claim)

    async def apply_unit(self, req: hp.UnitRequest) -> hp.UnitResult:
        for cb in self._listeners:
            cb(hp.UnitChanged(req.record))
        return hp.UnitResult(req.uid, True, req.record)

    async def set_presence(
        self, station: str, report: hp.PresenceReport | None, *, online: bool
    ) -> None:
        return None

    async def escalate(self, e: hp.Escalation) -> None:
        for cb in self._listeners:
            cb(hp.EscalationRaised(e))
