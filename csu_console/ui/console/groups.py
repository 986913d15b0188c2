"""The station's shared groups: :class:`StationGroups`, the console's
:class:`~csu_console.core.groups.GroupActions` (``docs/protocol.md`` § 9.9).

A merge or split made here is checked (``HANDLE_ALERTS``), written with its
logbook event and its outbox row in one transaction, then shown: the queue puts
the reports where the ledger (:mod:`csu_console.core.group_ledger`) says. The link
sends the outbox row to the hub, which stores it once and tells every station —
this one included, which then knows the change's place in the hub's order. The
hub's changes (``sync`` at each connection, ``group`` after) are stored by the
receiving process before they reach here, so a restarted console replays them
from SQLite (:meth:`StationGroups.load`) before the hub answers. Without a hub
the changes apply here only, and the local automatic rule groups the reports.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from csu_console.core.group_ledger import GroupLedger
from csu_console.core.groups import AlertKey, GroupChange, GroupChangeKind
from csu_console.core.hub_protocol import GroupChanged, GroupResult, Sync, Welcome, new_key
from csu_console.core.roles import Permission
from csu_console.storage.store import Store
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext

log = logging.getLogger("csu.groups")

#: The hub's changes are shown together at most this often (a storm's automatic
#: decisions come one message each; each showing is one pass over the queue).
REGROUP_MS = 100

#: The feature a hub speaks when it decides the automatic groups and relays changes.
FEATURE = "groups"


class StationGroups(QObject):
    """Merges and splits at this station, and the groups every station agrees on."""

    message = Signal(str)  # French, for the status bar
    #: A change was applied (``GroupChange``): the triage and the detail may follow.
    changed = Signal(object)

    def __init__(
        self, ctx: StationContext, model: AlertTableModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._model = model
        self.ledger = GroupLedger()
        model.book.ledger = self.ledger
        self.hub_mode = False  # the hub decides the automatic groups
        self.loaded = False
        self.commands: QObject | None = None  # the queue's menu entries (assembly)
        self._waiting: set[AlertKey] = set()  # reports the hub's changes moved, to show
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REGROUP_MS)
        self._timer.timeout.connect(self._show_waiting)

    # -- start ------------------------------------------------------------------------

    def load(self) -> None:
        """Replay the changes kept in SQLite (submitted before the alerts' load: the
        storage runs tasks in order, so the first rows already find their groups)."""

        def read(store: Store) -> tuple[list[tuple[GroupChange, int | None]], bool]:
            return store.group_changes(), store.groups_from_hub()

        self._ctx.tasks.run(read, self._on_loaded)

    def _on_loaded(self, result: tuple[list[tuple[GroupChange, int | None]], bool]) -> None:
        changes, hub_mode = result
        self._set_hub_mode(hub_mode)
        keys = self.ledger.load(changes)
        self.loaded = True
        log.info(
            "groupes : %d changement(s) relus%s",
            len(changes),
            " (groupes automatiques décidés par le serveur)" if hub_mode else "",
        )
        if keys:
            self._model.regroup(keys, now=True)

    def _set_hub_mode(self, on: bool) -> None:
        self.hub_mode = on
        self._model.book.local_auto = not on
        if on:
            keys = self.ledger.drop_local_auto()
            if keys:
                self._model.regroup(keys)

    # -- GroupActions -----------------------------------------------------------------

    def merge(self, leader: AlertKey, members: Sequence[AlertKey], reason: str = "") -> None:
        """Put ``members`` in ``leader``'s group, at every station (logged)."""
        chosen = tuple(dict.fromkeys(m for m in members if m != leader))
        if not chosen:
            return
        self._make(GroupChangeKind.MERGE, leader, chosen, reason)

    def split(self, members: Sequence[AlertKey], reason: str = "") -> None:
        """Take ``members`` out of their group, each alone, at every station (logged)."""
        chosen = tuple(dict.fromkeys(members))
        if not chosen:
            return
        first = self._model.by_key(chosen[0])
        leader = self._model.group_key(first) if first is not None else chosen[0]
        self._make(GroupChangeKind.SPLIT, leader, chosen, reason)

    def _make(
        self, kind: GroupChangeKind, leader: AlertKey, members: tuple[AlertKey, ...], reason: str
    ) -> None:
        ctx = self._ctx
        if not ctx.session.allowed(Permission.HANDLE_ALERTS):
            self.message.emit(ctx.session.refusal(Permission.HANDLE_ALERTS))
            return
        change = GroupChange(
            id=new_key(ctx.station),
            kind=kind,
            leader=leader,
            members=members,
            station=ctx.station,
            operator=ctx.operator,
            at=datetime.now(UTC),
            reason=reason.strip()[:500],
        )
        ctx.tasks.run(
            lambda store: store.record_group_change(change),
            lambda written: self._on_recorded(change, written),
            lambda exc: self._on_failed(change, exc),
        )

    def _on_recorded(self, change: GroupChange, written: bool) -> None:
        if not written:
            return
        log.info(
            "%s %s : %s par %s (%s) : %s",
            "regroupement" if change.kind is GroupChangeKind.MERGE else "détachement",
            change.id,
            ", ".join("/".join(m) for m in change.members),
            change.operator,
            change.station,
            change.reason or "sans motif",
        )
        self._apply(change, None, now=True)
        self._ctx.link.nudge_outbox()
        self.message.emit(self._done_text(change))

    def _on_failed(self, change: GroupChange, exc: BaseException) -> None:
        log.error("changement de groupe %s non enregistré : %s", change.id, exc)
        self.message.emit(self.tr("Regroupement non enregistré : {e}").format(e=str(exc)))

    def _done_text(self, change: GroupChange) -> str:
        n = len(change.members)
        if change.kind is GroupChangeKind.MERGE:
            return self.tr("{n} signalement(s) regroupé(s), à tous les postes.").format(n=n)
        return self.tr("{n} signalement(s) détaché(s) de leur groupe, à tous les postes.").format(
            n=n
        )

    def _apply(self, change: GroupChange, seq: int | None, *, now: bool = False) -> None:
        keys = self.ledger.add(change, seq)
        if not keys:
            return
        self._waiting |= keys
        if now:  # the operator's own change: at once
            self._timer.stop()
            self._show_waiting(now=True)
        elif not self._timer.isActive():
            self._timer.start()
        self.changed.emit(change)

    @Slot()
    def _show_waiting(self, now: bool = False) -> None:
        keys, self._waiting = self._waiting, set()
        if keys:
            self._model.regroup(keys, now=now)

    # -- the hub ------------------------------------------------------------------------

    @Slot(object)
    def on_hub_message(self, message: object) -> None:
        """``welcome`` (who decides the automatic groups), ``sync`` and ``group``
        (already stored by the receiving process), ``group_result``."""
        if isinstance(message, Welcome):
            on = FEATURE in message.features
            if on != self.hub_mode:
                self._set_hub_mode(on)
                self._ctx.tasks.run(lambda store: store.set_groups_from_hub(on), _ignore)
        elif isinstance(message, Sync):
            for seq, change in message.groups:
                self._apply(change, seq)
        elif isinstance(message, GroupChanged):
            self._apply(message.change, message.seq)
        elif isinstance(message, GroupResult) and not message.applied:
            log.warning("changement de groupe %s refusé : %s", message.id, message.message)
            self.message.emit(
                self.tr("Regroupement refusé par le serveur d'alertes : {m}").format(
                    m=message.message or "?"
                )
            )


def _ignore(_result: object) -> None:
    pass
