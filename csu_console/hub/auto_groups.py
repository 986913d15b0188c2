"""The automatic groups, decided once for every station (``docs/protocol.md`` § 9.9).

Each hub follows ``CSU_ALERTS`` in stream order and places every citizen alert with
the console's rule (:class:`~csu_console.core.grouping.Grouper`: same category,
``radius_m`` metres and ``window`` minutes of a group's first report), on the time
the alert entered the stream — the same for every hub. When the alert joins a
group the hub publishes a merge to ``CSU_GROUPS`` with the id
``auto:<source>/<id>``: two hubs deciding for one alert store it once (the first),
and every station applies the stored answer, in the stream's order, between the
people's merges and splits. The stations' own rule stays off while they talk to
such a hub.

A hub that starts reads the alerts of the last two windows again to rebuild its
open groups: an alert with a stored decision is placed as decided; only alerts
younger than one window get a new decision published (an older one was decided,
or left alone, by the hub that took it in; moving it now would surprise the
operators). An alert a person already merged or split is left to them. Partners'
CAP messages are not grouped here (their Updates and Cancels revise an alert; the
triage suggests merging duplicates).
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta

from nats.aio.msg import Msg

from csu_console.core.group_ledger import auto_id
from csu_console.core.grouping import Grouper
from csu_console.core.groups import GroupChange, GroupChangeKind
from csu_console.core.validate import parse_alert_object
from csu_console.errors import CsuError, ValidationError
from csu_console.hub.groups import HubGroups
from csu_console.hub.tasks import end_tasks

log = logging.getLogger("csu.hub.groups")

#: Decisions waiting to be published at most (an outage longer than this many
#: grouped alerts loses the oldest: those alerts stay alone).
QUEUE_MAX = 10_000


class AutoGroups:
    """Places the alerts of ``CSU_ALERTS`` and publishes the merges (see module doc)."""

    def __init__(self, groups: HubGroups, hub: str, radius_m: float, window: timedelta) -> None:
        self._groups = groups
        self.hub = hub
        self.grouper = Grouper(radius_m, window)
        self.window = window
        self._pending: asyncio.Queue[GroupChange] = asyncio.Queue(QUEUE_MAX)
        self._task: asyncio.Task[None] | None = None
        self.decided = 0

    def since(self) -> datetime:
        """Where the feed starts: two windows back (the open groups are rebuilt)."""
        return datetime.now(UTC) - 2 * self.window

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._publish_loop())

    async def stop(self) -> None:
        task, self._task = self._task, None
        await end_tasks(task)

    def on_msg(self, msg: Msg, _loading: bool) -> None:
        """One alert of the stream, in stream order (the feed's handler)."""
        if not self.grouper.enabled:
            return
        obj = json.loads(msg.data)
        if not isinstance(obj, dict) or obj.get("type") != "alert":
            return  # CAP and the rest: not grouped here
        alert = parse_alert_object(obj.get("alert"))
        key = alert.key
        at = msg.metadata.timestamp
        loc = alert.location
        lon, lat = (loc.lon, loc.lat) if loc is not None else (None, None)
        category = alert.category.value
        stored = self._groups.change(auto_id(key))
        if stored is not None:
            self.grouper.place(key, stored.leader, category, lon, lat, at)
            return
        group = self.grouper.add(key, category, lon, lat, at)
        if group == key or self._groups.mentions(key):
            return
        if datetime.now(UTC) - at > self.window:
            return  # a replayed alert: decided (or left alone) when it came
        change = GroupChange(
            auto_id(key), GroupChangeKind.MERGE, group, (key,), self.hub, "", at,
            "regroupement automatique",
        )  # fmt: skip
        try:
            self._pending.put_nowait(change)
        except asyncio.QueueFull:
            log.error("regroupement de %s/%s perdu : file pleine", *key)

    async def _publish_loop(self) -> None:
        while True:
            change = await self._pending.get()
            while True:
                try:
                    if not self._groups.known(change.id):
                        await self._groups.publish(change)
                        self.decided += 1
                    break
                except CsuError as exc:  # NATS away: try again shortly
                    log.info("regroupement %s pas encore publié : %s", change.id, exc)
                    await asyncio.sleep(0.5)
                except ValidationError as exc:  # cannot happen: we built it
                    log.error("regroupement %s invalide : %s", change.id, exc)
                    break
