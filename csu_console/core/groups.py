"""Groups of reports shared across stations: the contract (Qt-free).

Automatic grouping (:mod:`csu_console.core.grouping`, same category, 150 m, 15 min)
decides where a report goes; an operator may also **merge** reports into one group
or **split** one out. Both must be the same at every station and survive a restart:
a :class:`GroupChange` travels through the hub to every station and is stored.

:class:`GroupActions` is what the UI calls (the triage's « Fusionner », the queue's
merge/split commands); its implementation sends the change to the hub (or applies it
locally without one) and logs ``EventKind.GROUP_MERGED`` / ``GROUP_SPLIT``.

How it is done (``docs/protocol.md`` § 9.9): the hubs keep one ordered list of
changes (stream ``CSU_GROUPS``) — the stations' merges and splits and the hubs'
automatic decisions (:mod:`csu_console.hub.auto_groups`, id ``auto:<source>/<id>``)
— and every station replays it in the same order
(:class:`~csu_console.core.group_ledger.GroupLedger`), from its SQLite at start
(``group_changes``, migration 11). The console's implementation is
:class:`csu_console.ui.console.groups.StationGroups`, at ``StationContext.groups``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

AlertKey = tuple[str, str]


class GroupChangeKind(StrEnum):
    MERGE = "merge"  # ``members`` join the group led by ``leader``
    SPLIT = "split"  # ``members`` leave their group, each alone again


@dataclass(frozen=True)
class GroupChange:
    id: str  # unique (station + counter or uuid): applied once everywhere
    kind: GroupChangeKind
    leader: AlertKey
    members: tuple[AlertKey, ...]
    station: str
    operator: str
    at: datetime  # aware
    reason: str = ""


class GroupActions(Protocol):
    """What the UI asks of the shared groups."""

    def merge(self, leader: AlertKey, members: Sequence[AlertKey], reason: str = "") -> None:
        """Put ``members`` in ``leader``'s group, at every station."""

    def split(self, members: Sequence[AlertKey], reason: str = "") -> None:
        """Take ``members`` out of their group, each alone, at every station."""
