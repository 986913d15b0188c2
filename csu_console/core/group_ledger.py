"""The groups every station agrees on: the ordered :class:`GroupChange` s (Qt-free).

A group is a tree of reports: each report points to the report it was put under
(its *parent*), and the report at the top (the *root*) leads the group — the
queue shows the group on the root's row. The trees are the result of applying
every change, in one order that is the same at every station:

1. the changes the hub confirmed, by the hub's sequence number (``CSU_GROUPS``
   stream, ``docs/protocol.md`` § 9.9) — the hub's automatic decisions and every
   station's merges and splits, interleaved as the hub stored them;
2. then the changes not confirmed yet (made here while the hub is away, or with
   no hub at all, and this station's automatic decisions without a hub), by
   their time (``at``), then the order they came here in (a storm's batch shares
   one reception time: its reports' decisions then stay in arrival order, each
   appended at the end, never a recomputation from the start).

A change is kept once by its id: a resend, a replay at reconnection or the hub's
echo of a change made here is recognised (the echo gives it its place in the
hub's order). The rules, pure functions of that order:

- **merge** ``(leader, members)``: each member goes under the root of
  ``leader``'s group; a member that leads a group takes it along (the operator
  merged a row of the queue); a member under another report leaves alone (its
  own reports stay where it was).
- **split** ``members``: each member stands alone; the reports under it stay in
  the group, under its parent, or — when it led the group — under the first of
  them, which then leads.

Recomputing from the start costs one pass over the changes (a CSU makes a few a
day by hand; the hub's automatic ones are one per grouped report); appending at
the end of the order is applied at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from csu_console.core.groups import AlertKey, GroupChange, GroupChangeKind

log = logging.getLogger("csu.groups")

#: The id prefix of an automatic decision (the hub's, or this station's without hub).
AUTO_PREFIX = "auto:"


def auto_id(key: AlertKey) -> str:
    """The id of the automatic decision that put report ``key`` in a group: the same
    at every hub, so two hubs deciding for one report store it once."""
    return f"{AUTO_PREFIX}{key[0]}/{key[1]}"


@dataclass(frozen=True)
class Entry:
    """One change and its place: the hub's sequence number (None: not confirmed)."""

    change: GroupChange
    seq: int | None
    local: int  # arrival order here (ties of ``at``)

    def order(self) -> tuple[int, int, datetime | None, int, str]:
        if self.seq is not None:
            return (0, self.seq, None, 0, "")
        return (1, 0, self.change.at, self.local, self.change.id)


class GroupLedger:
    """Every group change known here, and the groups they make (see the module doc)."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._ordered: list[Entry] = []
        self._parent: dict[AlertKey, AlertKey] = {}
        self._children: dict[AlertKey, list[AlertKey]] = {}
        self._known: set[AlertKey] = set()  # reports some change named
        self._arrivals = 0

    # -- changes ------------------------------------------------------------------

    def add(self, change: GroupChange, seq: int | None = None) -> set[AlertKey]:
        """Take one change (``seq``: the hub's number, None: not confirmed yet).

        Returns the reports whose group may have changed (empty: nothing new — a
        duplicate, or a confirmation that keeps the change's place).
        """
        known = self._entries.get(change.id)
        if known is not None and (known.seq is not None or seq is None):
            return set()  # a resend or a replay: applied once
        self._arrivals += 1
        entry = Entry(change, seq, known.local if known is not None else self._arrivals)
        self._entries[change.id] = entry
        if known is None and (not self._ordered or self._ordered[-1].order() < entry.order()):
            self._ordered.append(entry)
            return self._apply(change)
        # out of the order's end (or a pending change confirmed): everything again
        old = {k: self.group_of(k) for k in self._known}
        self._ordered = sorted(self._entries.values(), key=Entry.order)
        self._rebuild()
        keys = self._known | set(old)
        return {k for k in keys if old.get(k) != self.group_of(k)}

    def load(self, stored: Iterable[tuple[GroupChange, int | None]]) -> set[AlertKey]:
        """Take the changes kept in the database at once (a start): one pass. Returns
        every report they name."""
        for change, seq in stored:
            known = self._entries.get(change.id)
            if known is not None and (known.seq is not None or seq is None):
                continue
            self._arrivals += 1
            self._entries[change.id] = Entry(change, seq, self._arrivals)
        self._ordered = sorted(self._entries.values(), key=Entry.order)
        self._rebuild()
        return set(self._known)

    def drop_local_auto(self) -> set[AlertKey]:
        """Forget this station's own automatic decisions (a hub decides them now: its
        answers come with the same ids). Returns the reports whose group changed."""
        local = [i for i, e in self._entries.items() if e.seq is None and i.startswith(AUTO_PREFIX)]
        if not local:
            return set()
        old = {k: self.group_of(k) for k in self._known}
        for change_id in local:
            del self._entries[change_id]
        self._ordered = sorted(self._entries.values(), key=Entry.order)
        self._rebuild()
        return {k for k in old if old[k] != self.group_of(k)}

    def forget(self, keys: Iterable[AlertKey]) -> int:
        """Let go of the changes that name only ``keys`` (reports the queue let go of:
        whole groups, closed long ago), so that a console running for weeks keeps
        the changes of what it still shows and a recomputation stays short. The
        groups of the other reports stay as they were. Returns how many went."""
        gone = set(keys)
        if not gone:
            return 0
        drop = {
            change_id
            for change_id, entry in self._entries.items()
            if gone.issuperset(entry.change.members)
            and (entry.change.kind is not GroupChangeKind.MERGE or entry.change.leader in gone)
        }
        if not drop:
            return 0
        for change_id in drop:
            del self._entries[change_id]
        self._ordered = [e for e in self._ordered if e.change.id not in drop]
        self._rebuild()
        return len(drop)

    def entries(self) -> list[Entry]:
        """Every change in the agreed order."""
        return list(self._ordered)

    def has(self, change_id: str) -> bool:
        return change_id in self._entries

    def mentions(self, key: AlertKey) -> bool:
        """Whether some change already named ``key``."""
        return key in self._known

    # -- queries --------------------------------------------------------------------

    def group_of(self, key: AlertKey) -> AlertKey | None:
        """The root of ``key``'s group; None when no change ever named ``key``."""
        if key not in self._known:
            return None
        seen = 0
        while (parent := self._parent.get(key)) is not None:
            key = parent
            seen += 1
            if seen > len(self._parent):  # cannot happen: the rules make no cycle
                log.error("groupes : cycle autour de %s", key)
                break
        return key

    def members(self, root: AlertKey) -> list[AlertKey]:
        """Every report under ``root`` (not ``root`` itself), depth first, in order."""
        out: list[AlertKey] = []
        stack = list(reversed(self._children.get(root, [])))
        while stack:
            key = stack.pop()
            out.append(key)
            stack.extend(reversed(self._children.get(key, [])))
        return out

    # -- the rules ------------------------------------------------------------------

    def _rebuild(self) -> None:
        self._parent.clear()
        self._children.clear()
        self._known.clear()
        for entry in self._ordered:
            self._apply(entry.change)

    def _apply(self, change: GroupChange) -> set[AlertKey]:
        touched: set[AlertKey] = set()
        if change.kind is GroupChangeKind.MERGE:
            self._known.add(change.leader)
            target = self.group_of(change.leader) or change.leader
            for member in change.members:
                self._known.add(member)
                if member == target or self.group_of(member) == target:
                    continue
                touched.add(member)
                if member in self._parent:  # under another report: leaves alone
                    self._detach(member)
                else:  # it led a group: the group comes along
                    touched.update(self.members(member))
                self._link(member, target)
            touched.add(target)
        else:
            for member in change.members:
                self._known.add(member)
                touched.add(member)
                if member in self._parent:
                    self._detach(member)  # the reports under it stay in the group
                else:
                    touched.update(self.members(member))  # a new leader for them
                    self._unroot(member)
        return touched

    def _link(self, child: AlertKey, parent: AlertKey) -> None:
        self._parent[child] = parent
        self._children.setdefault(parent, []).append(child)

    def _unlink(self, child: AlertKey) -> AlertKey | None:
        parent = self._parent.pop(child, None)
        if parent is not None:
            siblings = self._children.get(parent, [])
            if child in siblings:
                siblings.remove(child)
            if not siblings:
                self._children.pop(parent, None)
        return parent

    def _detach(self, key: AlertKey) -> None:
        """``key`` leaves its parent; the reports under it go under that parent."""
        parent = self._unlink(key)
        for child in self._children.pop(key, []):
            self._parent.pop(child, None)
            if parent is not None:
                self._link(child, parent)

    def _unroot(self, key: AlertKey) -> None:
        """``key`` led a group: the first report under it leads the rest."""
        children = self._children.pop(key, [])
        if not children:
            return
        first, rest = children[0], children[1:]
        self._parent.pop(first, None)
        for child in rest:
            self._parent.pop(child, None)
            self._link(child, first)
