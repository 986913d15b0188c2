"""The assisted triage, Qt side: the station's suggestions, accepted or refused by a
person (the rules are in :mod:`csu_console.core.triage_engine`, no Qt).

:class:`TriageController` recomputes the suggestions when the queue changes (on a
short timer: a storm costs one pass; the pass runs off the GUI thread on a snapshot
of the queue, so a storm's big queue never freezes the screen), leaves out every
suggestion already accepted or refused at this station (read from the logbook at
start: a refusal survives a restart), marks the queue's rows that have one, and
applies what a person accepts:

- a priority (raise or lower) through :func:`csu_console.storage.triage.change_priority`
  (row + ``priority_changed`` + ``triage_accepted``, one transaction); the queue
  re-sorts and an alert still new rings again at its new priority;
- a duplicate through the shared groups' :meth:`GroupActions.merge`, then
  ``triage_accepted``.

Refusing writes ``triage_refused`` and changes nothing else. Both need
``HANDLE_ALERTS``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QTimer, Signal, Slot

from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.groups import GroupActions
from csu_console.core.intake import Outcome
from csu_console.core.roles import Permission
from csu_console.core.triage import AlertKey, Suggestion, SuggestionKind
from csu_console.core.triage_engine import CallReport, TriageEngine, is_call
from csu_console.errors import UserFacingError
from csu_console.storage.store import Store
from csu_console.storage.triage import (
    change_priority,
    decided_suggestions,
    recent_calls,
    record_decision,
)
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_badges import Badge
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.offthread import LatestResult

log = logging.getLogger("csu.triage")

#: How the logbook's reason of an accepted suggestion starts (the logbook is French).
LOG_PREFIX = "Tri assisté : "
#: The queue changed: suggestions are computed again this long after (a burst: once).
RECOMPUTE_MS = 400
#: The main courante's phone calls are read again this often (and when one is written)…
CALLS_EVERY_MS = 20_000
#: … those of the last two hours.
CALLS_SINCE = timedelta(hours=2)
#: … and at least this many times as long as the last pass took.
BUSY_FACTOR = 4


class TriageController(QObject):
    """The station's triage suggestions and what a person decides of them."""

    suggestions_changed = Signal()
    message = Signal(str)  # French, for the status bar
    decided = Signal(object, bool)  # Suggestion, accepted

    def __init__(
        self,
        model: AlertTableModel,
        ctx: StationContext,
        alarm: AlarmController | None,
        engine: TriageEngine | None = None,
        groups: GroupActions | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._ctx = ctx
        self._alarm = alarm
        self.engine = engine if engine is not None else TriageEngine()
        self.groups = groups
        self._done: set[str] = set()  # accepted or refused here (never proposed again)
        self._loaded = False
        self._stopped = False
        self._by_row: dict[int, list[Suggestion]] = {}
        self._calls: dict[AlertKey, CallReport] = {}  # the main courante's recent calls
        self._calls_timer = QTimer(self)
        self._calls_timer.setInterval(CALLS_EVERY_MS)
        self._calls_timer.timeout.connect(self.refresh_calls)
        self._refreshing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_MS)
        self._timer.timeout.connect(self.recompute)
        # The engine's pass, off the GUI thread (the engine is only ever used there).
        self._work = LatestResult("triage", self)
        model.cells.extra_badges = self.badges
        model.alerts_added.connect(self.schedule)
        model.dataChanged.connect(self._on_data_changed)
        model.layoutChanged.connect(self.schedule)
        model.rowsRemoved.connect(self.schedule)
        model.modelReset.connect(self.schedule)

    # -- reading ------------------------------------------------------------------

    def start(self) -> None:
        """Read what was decided before (the logbook), then propose."""
        self._ctx.tasks.run(decided_suggestions, self._on_decided_loaded, self._on_load_failed)
        self.refresh_calls()
        self._calls_timer.start()

    @Slot()
    def refresh_calls(self) -> None:
        """Read the main courante's recent phone calls again (an entry was written)."""
        if self._stopped:
            return
        since = datetime.now(UTC) - CALLS_SINCE
        station = self._ctx.station
        self._ctx.tasks.run(
            lambda store: recent_calls(store, since, station),
            self._on_calls_loaded,
            self._on_calls_failed,
        )

    def _on_calls_failed(self, exc: BaseException) -> None:
        level = logging.INFO if isinstance(exc, UserFacingError) else logging.ERROR
        log.log(level, "tri assisté : appels de la main courante illisibles : %s", exc)

    def _on_calls_loaded(self, calls: list[CallReport]) -> None:
        found = {c.key: c for c in calls}
        if found != self._calls:
            self._calls = found
            self.schedule()

    def call(self, key: AlertKey | None) -> CallReport | None:
        """A phone call of the main courante by its key."""
        return None if key is None else self._calls.get(key)

    def _on_decided_loaded(self, ids: set[str]) -> None:
        if self._stopped:
            return
        self._done |= ids
        self._loaded = True
        log.info("tri assisté : %d suggestions déjà décidées", len(ids))
        self.recompute()

    def stop(self) -> None:
        """The console stops: no more pass, no more reading."""
        self._stopped = True
        self._timer.stop()
        self._calls_timer.stop()
        self._work.stop()
        self._loaded = False

    def _on_load_failed(self, exc: BaseException) -> None:
        # Without the past decisions, a refused suggestion could come back: propose
        # nothing rather than ask again. The storage's fault is said, not a bug.
        level = logging.INFO if isinstance(exc, UserFacingError) else logging.ERROR
        log.log(level, "tri assisté : décisions passées illisibles, aucune suggestion : %s", exc)
        self.message.emit(
            QCoreApplication.translate("TriageController", "Tri assisté indisponible : {e}").format(
                e=str(exc)
            )
        )

    @Slot()
    def schedule(self) -> None:
        """The queue changed: compute again shortly."""
        if not self._refreshing and not self._timer.isActive():
            self._timer.start()

    @Slot(QModelIndex, QModelIndex, list)
    def _on_data_changed(self, _a: QModelIndex, _b: QModelIndex, _roles: list[int]) -> None:
        self.schedule()

    def _alerts(self) -> list[StoredAlert]:
        book = self._model.book
        found: list[StoredAlert] = []
        for row in book.rows:
            found.extend(book.members(row.pk))
        return found

    @Slot()
    def recompute(self) -> None:
        """Compute the suggestions of the queue's reports: a snapshot of the queue
        is taken here, the engine runs off the GUI thread, the marks follow."""
        if not self._loaded or self._stopped:
            return
        alerts = self._alerts()
        groups = {a.alert.key: self._model.group_key(a) for a in alerts}
        done = frozenset(self._done)
        calls = list(self._calls.values())
        engine = self.engine

        def run() -> list[Suggestion]:
            return engine.suggest(alerts, lambda a: groups[a.alert.key], done, calls)

        self._work.submit(run, self._on_suggested)

    def _on_suggested(self, suggestions: list[Suggestion]) -> None:
        took = self._work.last_took
        # A storm's big queue costs more: the next pass waits in proportion, so the
        # triage never takes more than a fifth of a core (two cores, and one GIL).
        self._timer.setInterval(max(RECOMPUTE_MS, int(took * 1000 * BUSY_FACTOR)))
        if took > 0.1:
            log.info("tri assisté : %d suggestions en %.0f ms", len(suggestions), took * 1000)
        by_row: dict[int, list[Suggestion]] = {}
        for s in suggestions:
            if s.id in self._done:
                continue  # decided while the pass ran
            for key in (s.alert, s.other):
                pk = self._row_pk(key)
                if pk is not None and s not in by_row.setdefault(pk, []):
                    by_row[pk].append(s)
        self._show(by_row)

    def _show(self, by_row: dict[int, list[Suggestion]]) -> None:
        changed = {pk for pk in by_row.keys() ^ self._by_row.keys()}
        changed |= {pk for pk in by_row if by_row[pk] != self._by_row.get(pk)}
        self._by_row = by_row
        if changed:
            self._refreshing = True
            try:
                self._model.refresh_rows(changed)
            finally:
                self._refreshing = False
            self.suggestions_changed.emit()

    def _row_pk(self, key: AlertKey | None) -> int | None:
        if key is None:
            return None
        item = self._model.by_key(key)
        return None if item is None else self._model.leader_pk(item.pk)

    def for_row(self, pk: int) -> list[Suggestion]:
        """The pending suggestions about the row of ``pk`` (any report of its group)."""
        return list(self._by_row.get(self._model.leader_pk(pk), ()))

    def pending(self) -> list[Suggestion]:
        """Every pending suggestion, once each, best first."""
        seen: dict[str, Suggestion] = {}
        for items in self._by_row.values():
            for s in items:
                seen.setdefault(s.id, s)
        return sorted(seen.values(), key=lambda s: (-s.score, s.id))

    def badges(self, item: StoredAlert) -> tuple[Badge, ...]:
        """The queue's mark of a row with a pending suggestion."""
        pending = self._by_row.get(item.pk)
        if not pending:
            return ()
        tip = (
            QCoreApplication.translate(
                "TriageController", "Suggestion de tri en attente (voir le détail) :"
            )
            + "\n"
            + "\n".join(f"• {s.reason}" for s in pending)
        )
        return (
            Badge(
                QCoreApplication.translate("TriageController", "À TRIER"),
                QCoreApplication.translate("TriageController", "TRI"),
                tip,
                "#8a4b00",
            ),
        )

    def alert(self, key: AlertKey | None) -> StoredAlert | None:
        """A report of the queue by its key."""
        return None if key is None else self._model.by_key(key)

    # -- deciding -----------------------------------------------------------------

    def _may(self) -> bool:
        if self._ctx.session.allowed(Permission.HANDLE_ALERTS):
            return True
        self.message.emit(
            QCoreApplication.translate(
                "TriageController", "Action réservée : il faut pouvoir traiter les alertes."
            )
        )
        return False

    def accept(self, s: Suggestion) -> None:
        """Apply ``s`` (a person decided) and log it."""
        if s.id in self._done or not self._may():
            return
        item = self.alert(s.alert)
        if item is None:
            self.message.emit(
                QCoreApplication.translate(
                    "TriageController", "Cette alerte n'est plus dans la liste."
                )
            )
            return
        if s.kind is SuggestionKind.DUPLICATE and is_call(s.other):
            self._tie_call(s, item)
        elif s.kind is SuggestionKind.DUPLICATE:
            self._merge(s, item)
        else:
            self._change_priority(s, item)

    def refuse(self, s: Suggestion) -> None:
        """Log that ``s`` was refused; nothing else changes, it is not proposed again."""
        if s.id in self._done or not self._may():
            return
        item = self.alert(s.alert)
        self._decide(s, False, item.pk if item is not None else None)

    def _decide(self, s: Suggestion, accepted: bool, pk: int | None) -> None:
        """Write the decision on ``s`` (on the alert ``pk``) off the GUI thread; it is
        not proposed again from now on."""
        station, operator = self._ctx.station, self._ctx.operator
        self._forget(s)

        def write(store: Store) -> int:
            return record_decision(
                store, s, accepted, alert_pk=pk, station=station, operator=operator
            )

        self._ctx.tasks.run(
            write, lambda _pk: self._on_decided(s, accepted), lambda e: self._on_failed(s, e)
        )

    def _tie_call(self, s: Suggestion, item: StoredAlert) -> None:
        """A call of the main courante is this alert's incident: the accepted
        suggestion, written on the alert, ties them in its timeline."""
        self._decide(s, True, item.pk)

    def _forget(self, s: Suggestion) -> None:
        """Take ``s`` off the screen at once (the write follows)."""
        self._done.add(s.id)
        self._show(
            {
                pk: kept
                for pk, items in self._by_row.items()
                if (kept := [x for x in items if x != s])
            }
        )
        self.recompute()

    def _change_priority(self, s: Suggestion, item: StoredAlert) -> None:
        priority = s.priority
        if priority is None:
            return
        pks = [item.pk]
        leader = self._model.alert_by_pk(self._model.leader_pk(item.pk))
        if (
            s.kind is SuggestionKind.RAISE_PRIORITY
            and leader is not None
            and leader.pk != item.pk
            and leader.alert.priority > priority
        ):
            pks.append(leader.pk)  # the row shows the group at its leader's priority
        station, operator = self._ctx.station, self._ctx.operator
        reason = LOG_PREFIX + s.reason
        self._forget(s)

        def write(store: Store) -> list[StoredAlert]:
            return change_priority(
                store, pks, priority, reason, station=station, operator=operator, suggestion=s
            )

        self._ctx.tasks.run(
            write,
            lambda stored: self._on_priority_changed(s, stored),
            lambda e: self._on_failed(s, e),
        )

    def _on_priority_changed(self, s: Suggestion, stored: Sequence[StoredAlert]) -> None:
        before = {a.pk: self._model.alert_by_pk(a.pk) or self._model.book.member(a.pk)
                  for a in stored}  # fmt: skip
        self._model.revise(list(stored))
        if self._alarm is not None:
            outcomes = []
            for a in stored:
                old = before.get(a.pk)
                rose = old is not None and a.alert.priority < old.alert.priority
                # Still new: it rings again, as new, at its new priority (a raised P1
                # rings as a P1). Taken already: the banner follows, no sound.
                rings = rose and a.state is AlertState.NEW
                outcomes.append(Outcome(a.seq, "updated", a.alert.id, a, rings=rings))
            self._alarm.on_frames_committed(outcomes)
        self._on_decided(s, True)
        label = QCoreApplication.translate("TriageController", "Priorité {p} : n° {pk}").format(
            p=s.priority, pk=", ".join(str(a.pk) for a in stored) or "—"
        )
        self.message.emit(label)

    def _merge(self, s: Suggestion, item: StoredAlert) -> None:
        other = self.alert(s.other)
        if other is None:
            self.message.emit(
                QCoreApplication.translate(
                    "TriageController", "L'autre signalement n'est plus dans la liste."
                )
            )
            return
        groups = self.groups if self.groups is not None else self._ctx.groups
        if groups is None:
            self.message.emit(
                QCoreApplication.translate(
                    "TriageController", "Regroupement indisponible sur ce poste."
                )
            )
            return
        # The row that stays is the more urgent one (then the earlier): a merge
        # never shows a P1 incident under a P2 row.
        rows = [
            r
            for r in (self._model.alert_by_pk(self._model.leader_pk(x.pk)) for x in (other, item))
            if r is not None
        ]
        if len(rows) < 2 or rows[0].pk == rows[1].pk:
            return  # one of them left the queue, or they are grouped already
        kept, joined = sorted(rows, key=lambda r: (r.alert.priority, r.received_at, r.pk))
        leader = self._model.group_key(kept)
        members = [m.alert.key for m in self._model.members(joined.pk)] or [joined.alert.key]
        try:
            groups.merge(
                leader,
                members,
                LOG_PREFIX + s.reason,
            )
        except (UserFacingError, ValueError) as exc:
            self.message.emit(
                QCoreApplication.translate("TriageController", "Regroupement refusé : {e}").format(
                    e=str(exc)
                )
            )
            return
        self._decide(s, True, item.pk)

    def _on_decided(self, s: Suggestion, accepted: bool) -> None:
        log.info(
            "suggestion %s %s (%s)", s.id, "acceptée" if accepted else "refusée", self._ctx.operator
        )
        self.decided.emit(s, accepted)
        self.schedule()

    def _on_failed(self, s: Suggestion, exc: BaseException) -> None:
        """Not written: the suggestion comes back, and the operator is told why."""
        if not isinstance(exc, UserFacingError):
            log.error("décision de tri non enregistrée (bogue)", exc_info=exc)
        self._done.discard(s.id)
        self.message.emit(
            QCoreApplication.translate("TriageController", "Décision non enregistrée : {e}").format(
                e=str(exc)
            )
        )
        self.recompute()
