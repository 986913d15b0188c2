"""The station's alert book: every alert it shows, in queue order, Qt-free.

The book holds the alerts by row id (``pk``) and by ``(source, id)``, the groups
(one row per group: its leader, the other reports as members), each report's state
and holder, the escalation marks, what other stations are looking at (the hub's
presence) and the alerts received but not merged yet. It is fed by the link's
commits (:meth:`receive`), the database at start (:meth:`queue`), the station's own
actions and the hub's claims (:meth:`apply_stored`, :meth:`apply_claim`).

With the site's territory, each alert is placed once as it enters the book (its
commune and secteurs from the geometry, :class:`~csu_console.core.alert_places.AlertPlaces`,
read by :meth:`placement`); a station given communes sees theirs first within each
priority (:meth:`set_preferred`, see :func:`sort_key`).

It decides *what* changes; a view (the Qt table model) says *how* it shows: it
asks :meth:`take_incoming` for a batch to merge, then :meth:`insertion_runs` for
where the new rows go, and announces each change to its views. The order of rows
never moves while a *hold* is set (the operator's pointer on the queue, an open
question): new alerts wait, counted, until the last hold is released.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from operator import itemgetter

from csu_console.core.alert_places import AlertPlaces
from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.cap_alarm import FEED_KINDS, REVISING_KINDS
from csu_console.core.group_ledger import GroupLedger, auto_id
from csu_console.core.grouping import Grouper
from csu_console.core.groups import AlertKey, GroupChange, GroupChangeKind
from csu_console.core.intake import Outcome
from csu_console.core.states import Claim
from csu_console.core.territory import NOWHERE, Placement, Territory

log = logging.getLogger("csu.core.alerts")

SortKey = tuple[int, int, float, int]
#: A run of new rows that go in at one place: (row, [(sort key, alert), …]).
Run = tuple[int, list[tuple[SortKey, StoredAlert]]]


def sort_key(item: StoredAlert, elsewhere: bool = False) -> SortKey:
    """Most urgent first, then the station's communes (``elsewhere`` False), then
    newest first.

    Urgency stays the first rule: a station given communes sees theirs before the
    others' *of the same priority*, never an urgent alert of another commune below a
    routine one of its own (the other commune's station may be busy, its operator
    away: the chef de salle and every desk must still see it at the top).
    """
    return (item.alert.priority, int(elsewhere), -item.received_at.timestamp(), -item.pk)


def with_claim(item: StoredAlert, claim: Claim) -> StoredAlert:
    """``item`` in the state ``claim`` describes."""
    return replace(
        item, state=claim.state, state_station=claim.station, state_operator=claim.operator
    )


@dataclass
class Merge:
    """What one merge of waiting alerts did."""

    fresh: list[StoredAlert] = field(default_factory=list)  # new rows (not yet placed)
    grown: set[int] = field(default_factory=set)  # leaders whose group got a report
    #: The reports that went straight into a group: whatever rang for one of them
    #: alone (before its group was decided) rings as that group now.
    joined: list[StoredAlert] = field(default_factory=list)
    #: Reports shown before the report that leads their group arrived: to
    #: :meth:`AlertBook.plan_regroup` once the new rows are placed.
    regroup: set[AlertKey] = field(default_factory=set)


@dataclass
class Regroup:
    """What a change of groups does to the rows (:meth:`AlertBook.plan_regroup`)."""

    removed: list[int] = field(default_factory=list)  # rows that join a group: remove
    rows: list[int] = field(default_factory=list)  # their rows now, top to bottom
    fresh: list[StoredAlert] = field(default_factory=list)  # reports that stand alone: insert
    grown: set[int] = field(default_factory=set)  # rows whose reports changed

    def __bool__(self) -> bool:
        return bool(self.removed or self.fresh or self.grown)


@dataclass(frozen=True)
class Viewer:
    """Another station looking at an alert (from the hub's presence)."""

    station: str
    operator: str


class AlertBook:
    """The alerts of the queue, their groups, states, holders and marks."""

    def __init__(
        self,
        grouper: Grouper | None = None,
        ledger: GroupLedger | None = None,
        territory: Territory | None = None,
        preferred: Iterable[str] = (),
    ) -> None:
        self.grouper = grouper
        #: The groups every station agrees on (merges, splits, the hub's automatic
        #: decisions): asked first. None: the automatic rule alone (tests, review).
        self.ledger = ledger
        #: The local rule decides the automatic groups (no hub deciding them).
        self.local_auto = True
        #: Group changes waiting for the rows to be released (:meth:`hold`).
        self.pending_regroup: set[AlertKey] = set()
        #: Each alert's commune and secteurs (None: the site draws no zones).
        self.places: AlertPlaces | None = (
            AlertPlaces(territory, preferred) if territory is not None else None
        )
        #: The station's communes come first in their priority (see sort_key).
        self._prefer = bool(self.places and self.places.preferred)
        self.rows: list[StoredAlert] = []  # leaders, in queue order
        self.keys: list[SortKey] = []  # sort_key of each row
        self._members: dict[int, list[StoredAlert]] = {}  # leader pk -> other reports
        self._leader_of: dict[int, int] = {}  # member pk -> leader pk
        self._by_key: dict[tuple[str, str], StoredAlert] = {}
        self._escalated: set[int] = set()
        self._viewers: dict[tuple[str, str], list[Viewer]] = {}  # alert key -> others
        self.incoming: list[StoredAlert] = []
        self._holds: set[str] = set()  # why rows must not move now
        self.rejected_count = 0
        #: Rows (leader pks) whose issuer updated the content since the operator
        #: last looked at them: « MISE À JOUR » is emphasised until then.
        self._unseen_updates: set[int] = set()
        #: A revision changed a row's priority: its place is wrong until the next
        #: relayout (not while the rows are held).
        self.unsorted = False
        self.feed_messages = 0  # CAP messages only in the partner-feed log
        #: Reports let go by :meth:`retire_closed` (pks): one reopened by another
        #: station comes back into the queue (:meth:`apply_stored`).
        self._retired: set[int] = set()

    # -- places -----------------------------------------------------------------

    def placement(self, pk: int) -> Placement:
        """Where report ``pk`` falls (placed when it entered the book); :data:`NOWHERE`
        without a territory or outside it."""
        return self.places.get(pk) if self.places is not None else NOWHERE

    def key_of(self, item: StoredAlert) -> SortKey:
        """``item``'s place in the queue (see :func:`sort_key`)."""
        places = self.places
        elsewhere = self._prefer and places is not None and not places.is_mine(item.pk)
        return sort_key(item, elsewhere)

    def set_preferred(self, on: bool) -> bool:
        """Show the station's communes first (``on``), or every commune alike (a
        supervisor). Returns True when the order must be computed again
        (:meth:`relayout`, not while rows are held: :attr:`unsorted` says so)."""
        on = on and self.places is not None and bool(self.places.preferred)
        if on == self._prefer:
            return False
        self._prefer = on
        self.keys = [self.key_of(a) for a in self.rows]
        self.unsorted = True
        return True

    @property
    def prefers_mine(self) -> bool:
        """True while the station's communes come first."""
        return self._prefer

    # -- feeding ------------------------------------------------------------

    def receive(self, outcomes: Iterable[Outcome]) -> None:
        """The link's committed frames: stored alerts wait for the next merge."""
        for o in outcomes:
            if o.kind in REVISING_KINDS:
                continue  # the same row, new content: see revise()
            if o.kind in FEED_KINDS:
                self.feed_messages += 1  # never in the queue
            elif o.stored is not None:
                self.incoming.append(o.stored)
            elif o.kind == "rejected":
                self.rejected_count += 1

    def revise(self, new: StoredAlert) -> int | None:
        """The issuer updated or cancelled an alert, or it expired: the same row (same
        pk) shows the new content. Returns the row that shows it (its leader's pk), or
        None when it is not in the book (still waiting: replaced there; unknown:
        ignored, a cancelled alert never enters the queue by this way).

        An Update whose version grew marks the row « unseen » (:meth:`mark_seen`);
        a changed priority leaves :attr:`unsorted` set for the next relayout.
        """
        old = self.alert_by_pk(new.pk) or self.member(new.pk)
        if old is None:
            if any(a.pk == new.pk for a in self.incoming):
                self.apply_stored(new)
            return None
        shown = self.apply_stored(new)
        # A cancelled or expired first report gathers no new ones under its grey row.
        grouper = self.grouper
        first = grouper is not None and grouper.group_of(new.alert.key) == new.alert.key
        if new.issuer_state is not None and grouper is not None and first:
            grouper.close(new.alert.key)
        if shown is None:
            return None
        if new.version > old.version:
            self._unseen_updates.add(shown)
        if self.places is not None:
            self.places.place(new)  # a revised CAP area may lie elsewhere
        row = self.row_of(new.pk)
        if row >= 0:
            key = self.key_of(new)
            if key != self.keys[row]:
                self.keys[row] = key
                before = self.keys[row - 1] if row > 0 else None
                after = self.keys[row + 1] if row + 1 < len(self.keys) else None
                if (before is not None and before > key) or (after is not None and key > after):
                    self.unsorted = True
        return shown

    def relayout(self) -> None:
        """Sort the rows again after revisions changed priorities."""
        self.resort([])
        self.unsorted = False

    def update_unseen(self, pk: int) -> bool:
        """The issuer's last Update of the row of ``pk`` was not looked at yet."""
        return self.leader_pk(pk) in self._unseen_updates

    def mark_seen(self, pk: int) -> bool:
        """The operator looked at the row of ``pk``; True when it was unseen."""
        leader = self.leader_pk(pk)
        if leader in self._unseen_updates:
            self._unseen_updates.discard(leader)
            return True
        return False

    def queue(self, alerts: Iterable[StoredAlert]) -> None:
        """Alerts to merge (the database's at start)."""
        self.incoming.extend(alerts)

    def group_key(self, item: StoredAlert) -> tuple[str, str]:
        """The key of the group ``item`` belongs to (its own key when alone): the
        ledger's when a change named it, else the local automatic rule's (when it
        decides), which the ledger then records (a split can undo it)."""
        key = item.alert.key
        ledger = self.ledger
        if ledger is not None:
            root = ledger.group_of(key)
            if root is not None:
                return root
        if self.grouper is None or not self.local_auto:
            return key
        known = self.grouper.group_of(key)
        if known is not None:
            return known
        loc = item.alert.location
        group = self.grouper.add(
            key,
            item.alert.category.value,
            loc.lon if loc else None,
            loc.lat if loc else None,
            item.received_at,
        )
        if ledger is not None and group != key:
            auto = GroupChange(
                auto_id(key), GroupChangeKind.MERGE, group, (key,), "", "", item.received_at
            )
            ledger.add(auto)
            return ledger.group_of(key) or group
        return group

    def apply_stored(self, new: StoredAlert) -> int | None:
        """A report changed (state, holder): the row that shows it now (its leader's
        pk), or None when it still waits for a merge (changed where it waits)."""
        leader_pk = self._leader_of.get(new.pk)
        if leader_pk is not None:
            members = self._members[leader_pk]
            self._members[leader_pk] = [new if m.pk == new.pk else m for m in members]
            self._by_key[new.alert.key] = new
            return leader_pk
        row = self.row_of(new.pk)
        if row < 0:
            if new.pk in self._retired:
                if new.state is not AlertState.CLOSED:  # reopened: back in the queue
                    self._retired.discard(new.pk)
                    self.incoming.append(new)
                return None
            # Never record it in _by_key here, or the merge would take it for a duplicate.
            self.incoming = [new if a.pk == new.pk else a for a in self.incoming]
            return None
        self._by_key[new.alert.key] = new
        self.rows[row] = new
        return new.pk

    def apply_claim(self, pk: int, claim: Claim) -> int | None:
        """Set the state and holder of one report (see :meth:`apply_stored`)."""
        item = self.alert_by_pk(pk) or self.member(pk)
        if item is None:
            waiting = next((a for a in self.incoming if a.pk == pk), None)
            if waiting is not None:
                self.apply_stored(with_claim(waiting, claim))
            return None
        return self.apply_stored(with_claim(item, claim))

    def mark_escalated(self, pk: int) -> None:
        """An urgent alert went unanswered and was escalated."""
        self._escalated.add(pk)

    def is_escalated(self, pk: int) -> bool:
        """Whether the alert (group leader) was escalated."""
        return pk in self._escalated

    # -- other stations looking ---------------------------------------------

    def set_viewing(self, station: str, operator: str, key: tuple[str, str] | None) -> set[int]:
        """``station`` now looks at ``key`` (None: at nothing). Returns the rows
        (leader pks) whose marks changed."""
        changed: set[int] = set()
        for k, viewers in list(self._viewers.items()):
            kept = [v for v in viewers if v.station != station]
            if len(kept) != len(viewers):
                changed.update(self._row_pks(k))
            if kept:
                self._viewers[k] = kept
            else:
                del self._viewers[k]
        if key is not None:
            self._viewers.setdefault(key, []).append(Viewer(station, operator))
            changed.update(self._row_pks(key))
        return changed

    def viewers(self, pk: int) -> list[Viewer]:
        """Other stations looking at the row of ``pk`` (any report of its group)."""
        leader = self.alert_by_pk(pk)
        if leader is None or not self._viewers:
            return []
        found: list[Viewer] = []
        for item in (leader, *self._members.get(pk, [])):
            for v in self._viewers.get(item.alert.key, []):
                if v not in found:
                    found.append(v)
        return found

    def _row_pks(self, key: tuple[str, str]) -> set[int]:
        item = self._by_key.get(key)
        return set() if item is None else {self.leader_pk(item.pk)}

    # -- merging --------------------------------------------------------------

    def take_incoming(self, limit: int | None = None) -> Merge:
        """Take up to ``limit`` waiting alerts: duplicates dropped, grouped reports
        joined to their leader; the rest are the new rows, still to be placed
        (:meth:`insertion_runs` then :meth:`insert_run`, or :meth:`resort`)."""
        merge = Merge()
        if limit is None or len(self.incoming) <= limit:
            batch, self.incoming = self.incoming, []
        else:
            batch, self.incoming = self.incoming[:limit], self.incoming[limit:]
        if self.places is not None:  # each new alert placed once, the batch at once
            self.places.place_all(a for a in batch if a.alert.key not in self._by_key)
        for a in batch:
            # The same alert can arrive twice in one tick (initial load + link).
            if a.alert.key in self._by_key:
                continue
            self._by_key[a.alert.key] = a
            if self.places is not None:
                self.places.of(a)  # once, as it enters the book (or when it first rang)
            leader = self._by_key.get(self.group_key(a))
            if leader is not None and leader.pk != a.pk:
                self._members.setdefault(leader.pk, []).append(a)
                self._leader_of[a.pk] = leader.pk
                merge.grown.add(leader.pk)
                merge.joined.append(a)
                continue
            merge.fresh.append(a)
            if self.ledger is not None:
                # reports of its group shown alone before it came
                merge.regroup.update(self.ledger.members(a.alert.key))
        return merge

    # -- changing groups --------------------------------------------------------

    def plan_regroup(self, keys: Iterable[AlertKey]) -> Regroup:
        """Put the reports of ``keys`` (and those sharing their rows) where the
        ledger says now. Memberships change here at once; the rows to remove
        (:meth:`drop_row`) and to insert (:meth:`insertion_runs`) are returned for
        the view to announce. A group whose leading report is not shown (not
        received yet, or purged) shows its reports alone until it comes."""
        plan = Regroup()
        affected: dict[int, StoredAlert] = {}
        todo = [k for k in keys if k in self._by_key]
        if not todo:
            return plan
        rows_by_pk = {a.pk: a for a in self.rows}  # once: a storm's batch is one pass
        row_pks = rows_by_pk.keys()
        seen: set[AlertKey] = set()
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            item = self._by_key.get(key)
            if item is None:
                continue
            lead = rows_by_pk.get(self.leader_pk(item.pk))
            group = [item] if lead is None else [lead, *self._members.get(lead.pk, [])]
            for it in group:
                if it.pk not in affected:
                    affected[it.pk] = it
                    todo.append(self.group_key(it))  # its new leader's row too
        desired: dict[int, int] = {}
        for pk, it in affected.items():
            lead_item = self._by_key.get(self.group_key(it))
            desired[pk] = lead_item.pk if lead_item is not None else pk
        for pk, target in list(desired.items()):
            # a leader that itself goes under another one is no leader
            if target != pk and desired.get(target, target) != target:
                desired[pk] = pk
        for pk in affected:
            current = self._leader_of.pop(pk, None)
            if current is not None:
                kept = [m for m in self._members.get(current, []) if m.pk != pk]
                if kept:
                    self._members[current] = kept
                else:
                    self._members.pop(current, None)
                plan.grown.add(current)
        for pk, it in sorted(affected.items()):
            target = desired[pk]
            if target == pk:
                if pk not in row_pks:
                    plan.fresh.append(it)
                continue
            if pk in row_pks:
                plan.removed.append(pk)
            self._members.setdefault(target, []).append(it)
            self._leader_of[pk] = target
            plan.grown.add(target)
        gone = set(plan.removed)
        plan.grown = {pk for pk in plan.grown if pk not in gone and pk in row_pks}
        if plan.removed:  # in queue order, with their rows: dropped from the bottom
            order = {pk: row for row, pk in enumerate(rows_by_pk)}
            plan.removed.sort(key=order.__getitem__)
            plan.rows = [order[pk] for pk in plan.removed]
        if plan:
            log.info(
                "groupes : %d ligne(s) regroupée(s), %d détachée(s), %d groupe(s) modifié(s)",
                len(plan.removed),
                len(plan.fresh),
                len(plan.grown),
            )
        return plan

    def drop_row(self, row: int) -> StoredAlert:
        """Remove ``row`` (its report joined a group: :attr:`Regroup.rows`, from the
        bottom so the others stay valid); the report it showed."""
        del self.keys[row]
        return self.rows.pop(row)

    def regroup_all(self, keys: Iterable[AlertKey]) -> Regroup:
        """:meth:`plan_regroup`, rows removed and inserted at once (no view: tests)."""
        plan = self.plan_regroup(keys)
        for row in reversed(plan.rows):
            self.drop_row(row)
        for run in reversed(self.insertion_runs(plan.fresh)):
            self.insert_run(run)
        return plan

    def insertion_runs(self, fresh: list[StoredAlert]) -> list[Run]:
        """Where ``fresh`` go: runs of neighbouring new rows, top to bottom.

        New alerts are the newest of their priority: they land in a few runs (one
        per priority).
        """
        incoming = sorted(((self.key_of(a), a) for a in fresh), key=itemgetter(0))
        runs: list[Run] = []
        for pair in incoming:
            at = bisect.bisect_right(self.keys, pair[0])
            if runs and runs[-1][0] == at:
                runs[-1][1].append(pair)
            else:
                runs.append((at, [pair]))
        return runs

    def insert_run(self, run: Run) -> None:
        """Put one run in place (insert from the bottom: earlier places stay valid)."""
        at, pairs = run
        self.keys[at:at] = [k for k, _a in pairs]
        self.rows[at:at] = [a for _k, a in pairs]

    def resort(self, runs: list[Run]) -> None:
        """Put every run in place at once and sort again (unusual orders: a restore)."""
        # Keys are computed once per alert; the sort compares tuples in C and
        # merges the sorted runs in about linear time.
        pairs = list(zip(self.keys, self.rows, strict=True))
        for _at, run in runs:
            pairs.extend(run)
        pairs.sort(key=itemgetter(0))
        self.keys = [p[0] for p in pairs]
        self.rows = [p[1] for p in pairs]

    def merge_all(self) -> Merge:
        """Merge everything waiting, in order (no view: tests, the review)."""
        merge = self.take_incoming()
        for run in reversed(self.insertion_runs(merge.fresh)):
            self.insert_run(run)
        if merge.regroup:
            self.regroup_all(merge.regroup)
        return merge

    # -- letting closed alerts go ---------------------------------------------

    def retirable(self, keep_closed: int, spare: Iterable[int] = ()) -> list[int]:
        """Rows (top to bottom) of closed groups older than the newest ones that hold
        ``keep_closed`` reports: what a console running for weeks lets go of.

        Reports are counted, not rows (a storm's groups hold dozens). A row goes
        only when every report of its group is closed; ``spare`` (row pks: the
        operator's selection) stays whatever its age. The database keeps
        everything (the main courante, the review); a closed alert reopened
        elsewhere comes back (:meth:`apply_stored`).
        """
        closed = [
            (item.received_at, row)
            for row, item in enumerate(self.rows)
            if item.state is AlertState.CLOSED
            and all(m.state is AlertState.CLOSED for m in self._members.get(item.pk, ()))
        ]
        closed.sort(reverse=True)  # newest first
        kept = set(spare)
        reports = 0
        gone: list[int] = []
        for _at, row in closed:
            if reports >= keep_closed and self.rows[row].pk not in kept:
                gone.append(row)
            else:
                reports += self.group_size(self.rows[row].pk)
        return sorted(gone)

    def retire_row(self, row: int) -> list[StoredAlert]:
        """Let go of ``row`` and its group's reports (rows from the bottom, so the
        others stay valid): everything the book kept of them. Returns the reports."""
        leader = self.rows.pop(row)
        del self.keys[row]
        reports = [leader, *self._members.pop(leader.pk, [])]
        for item in reports:
            key = item.alert.key
            self._by_key.pop(key, None)
            self._leader_of.pop(item.pk, None)
            self._escalated.discard(item.pk)
            self._unseen_updates.discard(item.pk)
            self._viewers.pop(key, None)
            self._retired.add(item.pk)
        if self.places is not None:
            self.places.forget(item.pk for item in reports)
        if self.grouper is not None:
            self.grouper.forget(self.grouper.group_of(leader.alert.key) or leader.alert.key)
        return reports

    def forget_groups(self, reports: Iterable[StoredAlert]) -> int:
        """After :meth:`retire_row` s: the group changes naming only the reports let
        go of are let go of too (one recomputation for the whole pass)."""
        if self.ledger is None:
            return 0
        return self.ledger.forget(item.alert.key for item in reports)

    def retire_closed(self, keep_closed: int, spare: Iterable[int] = ()) -> list[StoredAlert]:
        """:meth:`retirable` rows let go at once (no view: tests). The reports."""
        gone: list[StoredAlert] = []
        for row in reversed(self.retirable(keep_closed, spare)):
            gone += self.retire_row(row)
        self.forget_groups(gone)
        return gone

    def retired_count(self) -> int:
        """Reports let go since the start."""
        return len(self._retired)

    # -- holding the order ----------------------------------------------------

    def hold(self, reason: str) -> None:
        """Rows stay where they are until every hold is released."""
        self._holds.add(reason)

    def release(self, reason: str) -> bool:
        """End one hold; True when it was the last one."""
        if reason not in self._holds:
            return False
        self._holds.discard(reason)
        return not self._holds

    def is_held(self) -> bool:
        """True while rows must not move."""
        return bool(self._holds)

    # -- queries ------------------------------------------------------------

    def alert_at(self, row: int) -> StoredAlert | None:
        """The alert shown on ``row``."""
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def member(self, pk: int) -> StoredAlert | None:
        """A grouped report (not a leader) by row id."""
        leader = self._leader_of.get(pk)
        if leader is None:
            return None
        return next((m for m in self._members[leader] if m.pk == pk), None)

    def members(self, pk: int) -> list[StoredAlert]:
        """Every report of the group led by ``pk`` (the leader first)."""
        leader = self.alert_by_pk(pk)
        return [] if leader is None else [leader, *self._members.get(pk, [])]

    def report_count(self) -> int:
        """Reports shown, grouped ones included."""
        return len(self.rows) + sum(len(m) for m in self._members.values())

    def group_size(self, pk: int) -> int:
        """How many reports the row of ``pk`` stands for."""
        return 1 + len(self._members.get(pk, []))

    def by_key(self, key: tuple[str, str]) -> StoredAlert | None:
        """A report (row or group member) by (source, id)."""
        return self._by_key.get(key)

    def leader_pk(self, pk: int) -> int:
        """The row that shows report ``pk`` (itself unless grouped)."""
        return self._leader_of.get(pk, pk)

    def alert_by_pk(self, pk: int) -> StoredAlert | None:
        """The alert with this row id, if shown."""
        row = self.row_of(pk)
        return self.rows[row] if row >= 0 else None

    def row_of(self, pk: int) -> int:
        """Row of an alert, or -1."""
        for r, a in enumerate(self.rows):
            if a.pk == pk:
                return r
        return -1

    def count_in_state(self, state: AlertState) -> int:
        """How many rows are in ``state``."""
        return sum(1 for a in self.rows if a.state is state)

    def pending_merge(self) -> int:
        """Alerts received but not yet shown (waiting for the next merge)."""
        return len(self.incoming)
