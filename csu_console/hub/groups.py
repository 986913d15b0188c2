"""Group changes shared by every station, in JetStream (``docs/protocol.md`` § 9.9).

One stream, ``CSU_GROUPS`` (subject ``csu.groups``), holds every group change in
one order — the stations' merges and splits (``group`` requests) and the hubs'
automatic decisions (:mod:`csu_console.hub.auto_groups`) — each published with
``Nats-Msg-Id`` = the change's id: a station's resend, or two hubs deciding for
the same report, is stored once. The stream sequence is the change's place in the
order every station replays (:mod:`csu_console.core.group_ledger`).

Every hub follows the stream from its start (:class:`~csu_console.hub.feed.StreamFeed`,
``initial="all"``): it keeps the changes for the stations' ``sync`` and tells its
listeners of each new one (``GroupChanged``), whichever hub stored it. Retention:
the alerts' (``alerts_days``); duplicates are recognised by JetStream for a day
and by this copy (ids seen) for as long as it holds them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from nats.aio.msg import Msg

from csu_console.core.group_wire import MAX_MEMBERS, change_from_obj, change_json
from csu_console.core.groups import GroupChange
from csu_console.core.hub_protocol import GroupChanged, GroupResult, HubMessage
from csu_console.hub.shared_io import DAY, SharedIO

log = logging.getLogger("csu.hub.groups")

GROUPS_STREAM = "CSU_GROUPS"
GROUPS_SUBJECT = "csu.groups"
#: A station that holds no change yet gets this many of the latest (one that holds
#: some says its last in ``hello`` and gets every newer one).
SYNC_MAX = 2000


class HubGroups:
    """The group changes as this hub knows them; publishes the stations' requests."""

    def __init__(self, io: SharedIO, emit: Callable[[HubMessage], None]) -> None:
        self._io = io
        self._emit = emit
        self.changes: list[tuple[int, GroupChange]] = []
        self._by_id: dict[str, GroupChange] = {}
        self._mentioned: set[tuple[str, str]] = set()

    async def ensure(self, replicas: int, max_age: float) -> None:
        await self._io.stream(
            GROUPS_STREAM, GROUPS_SUBJECT, max_age=max_age, dedup=DAY, replicas=replicas
        )

    def known(self, change_id: str) -> bool:
        return change_id in self._by_id

    def change(self, change_id: str) -> GroupChange | None:
        """The stored change of this id (None: none stored, or not heard yet)."""
        return self._by_id.get(change_id)

    def mentions(self, key: tuple[str, str]) -> bool:
        """Whether a stored change already named this report (the automatic rule
        leaves it to the people then)."""
        return key in self._mentioned

    async def apply(self, change: GroupChange) -> GroupResult:
        """Store a station's change once (its id); the answer for ``group_result``."""
        if not change.members or len(change.members) > MAX_MEMBERS:
            return GroupResult(change.id, False, "liste d'alertes vide ou trop longue")
        if change.id in self._by_id:
            return GroupResult(change.id, True)  # a resend: stored already
        await self.publish(change)
        return GroupResult(change.id, True)

    async def publish(self, change: GroupChange) -> None:
        await self._io.publish(
            GROUPS_SUBJECT, GROUPS_STREAM, change_json(change).encode("utf-8"), change.id
        )

    def on_msg(self, msg: Msg, loading: bool) -> None:
        """A change of the stream (in stream order): kept, and told when new."""
        change = change_from_obj(json.loads(msg.data))
        seq = msg.metadata.sequence.stream
        if change.id in self._by_id:
            log.info("changement de groupe %s déjà connu (n° %d) : ignoré", change.id, seq)
            return
        self._by_id[change.id] = change
        self._mentioned.add(change.leader)
        self._mentioned.update(change.members)
        self.changes.append((seq, change))
        if not loading:
            self._emit(GroupChanged(seq, change))

    def forget(self) -> None:
        """The stream was recreated: loaded again from its start."""
        self.changes.clear()
        self._by_id.clear()
        self._mentioned.clear()
