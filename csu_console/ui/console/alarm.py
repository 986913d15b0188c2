"""The interrupt, Qt side: rings, flashes and raises the window for new alerts,
until they are acknowledged; escalates; mutes for a while; announces a lost link.

The rules live in :class:`~csu_console.core.interrupt.AlarmScheduler` (no Qt); this
controller feeds it, plays what it says, and arms one timer on its next deadline.
It reacts to committed alerts straight from the bridge, not to the queue's
rate-limited repaint, so the banner and the sound come first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.cap_alarm import RingAction, is_silent, ring_action
from csu_console.core.intake import Outcome
from csu_console.core.interrupt import AlarmScheduler, Ring, RingReason
from csu_console.media.alarm_sound import AlarmSound
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.storage.logbook import NewEvent
from csu_console.ui.console.alert_banner import AlertBanner
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.attention import AttentionRouter
from csu_console.ui.console.context import StationContext
from csu_console.ui.pacing import GUI_LOAD, GuiLoad

log = logging.getLogger("csu.ui")

AlertKey = tuple[str, str]
STORM_KEYS = 200  # unacknowledged groups beyond which evaluations are batched
STORM_TICK_S = 0.25


class AlarmController(QObject):
    """Owns the scheduler, the sound player, the banner's content and the timer."""

    rang = Signal(str, float)  # tone, time.monotonic() when play() was called
    escalated = Signal(int)  # pk of the group leader
    mute_changed = Signal()
    top_changed = Signal(object)  # StoredAlert | None: the alert the banner shows
    #: After a ring for new or escalated alerts: [(leader report, escalated)], the tone
    #: just played (the speech says them once the tone is over: ui/console/speech.py).
    announced = Signal(list, str)

    def __init__(
        self,
        scheduler: AlarmScheduler,
        sound: AlarmSound,
        banner: AlertBanner,
        model: AlertTableModel,
        window: QWidget,
        ctx: StationContext,
        parent: QObject | None = None,
        load: GuiLoad = GUI_LOAD,
        attention: AttentionRouter | None = None,
        ring_exercises: bool = False,
    ) -> None:
        super().__init__(parent)
        self._load = load
        #: ``[cap] ring_exercises``: a partner's exercise rings like a real alert.
        self.ring_exercises = ring_exercises
        #: Raises the console for a new alert, unless the review or setup window is
        #: being worked in (then their notice shows it): see ui/console/attention.py.
        self.attention = attention if attention is not None else AttentionRouter(window, self)
        self.scheduler = scheduler
        self.sound = sound
        self._banner = banner
        self._model = model
        self._window = window
        self._ctx = ctx
        self._tasks = ctx.tasks
        self._station = ctx.station
        self._ringing: dict[AlertKey, StoredAlert] = {}  # group key -> leader report
        self._rings_for: dict[int, AlertKey] = {}  # report pk -> the key it rings for
        self._top_pk: int | None = None  # the alert on the banner
        self._sizes: dict[AlertKey, int] = {}
        self._last_run = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._stopped = False
        #: True while a spoken alert plays (set by ui/console/sound_assembly.py): a
        #: repeat waits for the sentence's end instead of cutting it.
        self.speaking: Callable[[], bool] = lambda: False

    @property
    def operator(self) -> str:
        """Who is logged in (the station's context says)."""
        return self._ctx.operator

    # -- inputs -------------------------------------------------------------

    @Slot(object)
    def on_frames_committed(self, outcomes: list[Outcome]) -> None:
        """New alerts ring at once (grouped reports ring as their group); an issuer's
        Update rings again only when its priority rose; a Cancel silences its alert
        (core/cap_alarm.py says which)."""
        now = time.monotonic()
        wall = datetime.now(UTC)
        fresh = False
        withdrawn: list[StoredAlert] = []
        for o in outcomes:
            item = o.stored
            action = ring_action(
                o, ring_exercises=self.ring_exercises, station=self._station, now=wall
            )
            if item is None or action is RingAction.NONE:
                continue  # handled already (the hub's claim), an exercise, a feed message
            if action is RingAction.SILENCE:
                withdrawn.append(item)
                continue
            group = self._model.group_key(item)
            if action is RingAction.REFRESH:
                if group in self._ringing and self._ringing[group].pk == item.pk:
                    self._ring_as(group, item)  # the banner shows the new content
                    fresh = True
                continue
            if o.kind == "updated":
                # Its priority rose: the group rings again, as new, at the new priority.
                self._ring_as(group, item)
                self.scheduler.acknowledged(group, now)
                self._sizes.setdefault(group, 1)
            else:
                if group not in self._ringing:
                    self._ring_as(group, item)
                self._sizes[group] = self._sizes.get(group, 0) + 1
            self.scheduler.alert_arrived(group, item.alert.priority, now)
            fresh = True
        if withdrawn:
            self.withdraw(withdrawn, run=not fresh)
        if fresh:
            if self._storm() and now - self._last_run < STORM_TICK_S:
                # Thousands ringing: one evaluation per tick is enough (each one
                # walks every unacknowledged alert); the next tick rings these.
                self._arm(STORM_TICK_S - (now - self._last_run))
                return
            self._run(now)
            if not self._load.flooded:
                # Paint the banner now, not after whatever the event loop has queued
                # (a queue repaint can take tens of milliseconds). Not in a storm: a
                # repaint paints everything waiting in the window (the queue, the
                # map, the wall) right here, on each of the storm's batches.
                self._banner.repaint()

    def restore(self, alerts: list[StoredAlert]) -> None:
        """At start: alerts still new in the database ring again (nothing is lost)."""
        now = time.monotonic()
        wall = datetime.now(UTC)
        for item in alerts:
            if item.state.value != "new" or is_silent(item, self.ring_exercises, wall):
                continue  # taken, or cancelled, expired, a silent exercise
            group = self._model.group_key(item)
            if group not in self._ringing:
                self._ring_as(group, item)
            self._sizes[group] = self._sizes.get(group, 0) + 1
            age = max(0.0, (wall - item.received_at).total_seconds())
            self.scheduler.alert_arrived(group, item.alert.priority, now, since=now - age)
        self._run(now)

    def acknowledged(self, group: AlertKey, reports: Iterable[StoredAlert] = ()) -> None:
        """Someone (here or at another station) took the group: stop ringing for it.

        ``reports``: the reports taken. One that still rings under another key (it
        rang alone before its group was decided) stops too.
        """
        now = time.monotonic()
        keys = {group}
        keys.update(k for r in reports if (k := self._rings_for.get(r.pk)) is not None)
        for key in keys:
            self.scheduler.acknowledged(key, now)
            self._unring(key)
        if not self.scheduler.ringing_keys() and not self.scheduler.link_is_lost:
            self.sound.stop()
        self._run(now)

    @Slot(list)
    def regrouped(self, items: list[StoredAlert]) -> None:
        """Reports changed group (a merge, a split, the hub's automatic decision,
        ``docs/protocol.md`` § 9.9): one that rings now rings as its new group, whose
        row is the one to take (as a new report in a group does)."""
        now = time.monotonic()
        moved = False
        for item in items:
            old = self._rings_for.get(item.pk)
            if old is None:
                continue
            new = self._model.group_key(item)
            if old == new:
                continue
            size = self._sizes.get(old, 1)
            self._unring(old)
            self.scheduler.withdrawn(old, now)
            if new not in self._ringing:
                self._ring_as(new, item)
            self._sizes[new] = self._sizes.get(new, 0) + size
            self.scheduler.alert_arrived(new, item.alert.priority, now)
            moved = True
        if moved:
            self._run(now)

    @Slot(list)
    def forget(self, items: list[StoredAlert]) -> None:
        """Closed reports the queue let go of: nothing about them is kept (their
        escalated mark included), nor anything that still rang for them."""
        now = time.monotonic()
        for item in items:
            key = self._rings_for.get(item.pk)
            if key is not None:
                self.scheduler.acknowledged(key, now)
                self._unring(key)
            self.scheduler.forget(item.alert.key)

    def _ring_as(self, group: AlertKey, item: StoredAlert) -> None:
        """``item`` is the report the banner shows for ``group``."""
        old = self._ringing.get(group)
        if old is not None and self._rings_for.get(old.pk) == group:
            del self._rings_for[old.pk]
        self._ringing[group] = item
        self._rings_for[item.pk] = group

    def _unring(self, group: AlertKey) -> None:
        """``group`` rings no more: forget its report and its size."""
        item = self._ringing.pop(group, None)
        if item is not None and self._rings_for.get(item.pk) == group:
            del self._rings_for[item.pk]
        self._sizes.pop(group, None)

    @Slot(object)
    def withdraw(self, items: list[StoredAlert], run: bool = True) -> None:
        """Alerts their issuer cancelled, or that expired: their ringing stops now.

        Not an acknowledgement (nothing is written; the CSU's handling of the alert
        stays as it was). A group keeps ringing while another of its reports is new
        and still valid.
        """
        now = time.monotonic()
        for item in items:
            # What it rings for, when it rings as the one report of a key (maybe its
            # own, from before its group was decided), else its group.
            group = self._rings_for.get(item.pk) or self._model.group_key(item)
            if group not in self._ringing:
                continue
            leader = self._model.by_key(group)
            members = self._model.members(leader.pk) if leader is not None else []
            still = [
                m
                for m in members
                if m.pk != item.pk
                and m.state is AlertState.NEW
                and not is_silent(m, self.ring_exercises)
            ]
            if still:
                if self._ringing[group].pk == item.pk:
                    self._ring_as(group, still[0])
                continue
            self.scheduler.withdrawn(group, now)
            self._unring(group)
            log.info("alerte %s retirée par l'émetteur ou expirée : ne sonne plus", item.alert.key)
        if not self.scheduler.ringing_keys() and not self.scheduler.link_is_lost:
            self.sound.stop()
        if run:
            self._run(now)

    @Slot(object)
    def on_link_status_changed(self, status: LinkStatus) -> None:
        """A lost link is itself an alarm."""
        now = time.monotonic()
        lost = status.phase in (LinkPhase.LOST, LinkPhase.REFUSED, LinkPhase.STORAGE_DOWN)
        if lost and not self.scheduler.link_is_lost:
            self.scheduler.link_lost(now)
            self._run(now)
        elif not lost and status.phase is not LinkPhase.STOPPED and self.scheduler.link_is_lost:
            self.scheduler.link_restored(now)
            self._run(now)

    @Slot()
    def mute(self, seconds: float = 120.0) -> None:
        """Temporary silence (never permanent), logged with the operator's name."""
        now = time.monotonic()
        until = self.scheduler.mute(now, seconds, self.operator or "?")
        duration = round(until - now)
        self.sound.stop()
        station, operator = self._station, self.operator
        self._tasks.record(
            [NewEvent("muted", datetime.now(UTC), None, station, operator, {"seconds": duration})]
        )
        log.info("son coupé %d s par %s", duration, operator)
        self.mute_changed.emit()
        self._run(now)

    @Slot()
    def unmute(self) -> None:
        """Sound back before the end of the mute, logged (``unmuted``): the review
        counts the real silence, not the whole mute asked for."""
        now = time.monotonic()
        until = self.scheduler.muted_until
        if until is None or until <= now:
            return  # not muted (any more): nothing to bring back, nothing to log
        muted_by = self.scheduler.muted_by or ""
        self.scheduler.unmute(now)
        left = round(until - now)
        station, operator = self._station, self.operator
        details = {"remaining_s": left, "muted_by": muted_by}
        event = NewEvent("unmuted", datetime.now(UTC), None, station, operator, details)
        self._tasks.record([event])
        log.info("son rétabli par %s (%d s avant la fin de la sourdine)", operator, left)
        self.mute_changed.emit()
        self._run(now)

    def ring_once(self, tone: str) -> bool:
        """Play ``tone`` once, now (another station's escalation): not while muted.
        True when it was played."""
        if self._stopped or self.muted_remaining() > 0:
            return False
        if not self.sound.play(tone):
            return False
        self.rang.emit(tone, time.monotonic())
        return True

    def stop(self) -> None:
        """The console stops: silence, and no timer left to ring or write later.

        The controller may outlive the window (and the database writer): a timer
        firing after that would touch a deleted banner and a closed database.
        """
        self._stopped = True
        self._timer.stop()
        self.sound.stop()

    def muted_remaining(self) -> float:
        """Seconds of mute left (0 when not muted)."""
        until = self.scheduler.muted_until
        return 0.0 if until is None else max(0.0, until - time.monotonic())

    # -- engine -------------------------------------------------------------

    @Slot()
    def _on_timer(self) -> None:
        self._run(time.monotonic())

    def _storm(self) -> bool:
        return len(self._ringing) > STORM_KEYS

    def _arm(self, delay_s: float) -> None:
        ms = max(0, int(delay_s * 1000) + 1)
        if not self._timer.isActive() or self._timer.remainingTime() > ms:
            self._timer.start(ms)

    def _run(self, now: float) -> None:
        if self._stopped:
            return
        self._last_run = now
        was_muted = self.scheduler.muted_until is not None
        rings = self.scheduler.due(now)  # clears a mute that has run out
        if rings:
            self._ring(rings, now)
        self._update_banner()
        if was_muted and not self.scheduler.is_muted(now):
            self.mute_changed.emit()
        deadline = self.scheduler.next_deadline(now)
        if deadline is None:
            self._timer.stop()
        else:
            # Repeats of thousands of alerts come due a few ms apart: in a storm,
            # wake at most once per tick and ring them together.
            floor = STORM_TICK_S if self._storm() else 0.0
            self._timer.start(max(0, int(max(deadline - now, floor) * 1000) + 1))

    def _ring(self, rings: list[Ring], now: float) -> None:
        first = rings[0]
        repeat_only = all(r.reason is RingReason.REPEAT for r in rings)
        if repeat_only and self.speaking():
            log.debug("répétition %s passée : annonce vocale en cours", first.tone.value)
        elif self.sound.play(first.tone.value):
            self.rang.emit(first.tone.value, time.monotonic())
        spoken = [
            (self._ringing[key], ring.reason is RingReason.ESCALATION)
            for ring in rings
            if ring.reason in (RingReason.NEW, RingReason.ESCALATION)
            for key in ring.keys
            if key in self._ringing
        ]
        if spoken:
            self.announced.emit(spoken, first.tone.value)
        for ring in rings:
            if ring.reason is RingReason.ESCALATION:
                for key in ring.keys:
                    self._escalate(key)
        if any(r.reason is RingReason.NEW for r in rings):
            self._interrupt()

    def _escalate(self, group: AlertKey) -> None:
        item = self._ringing.get(group)
        if item is None:
            return
        pk, station = item.pk, self._station
        # The report that rings may be a late member of its group: mark the group's row.
        self._model.mark_escalated(self._model.leader_pk(pk))
        self._tasks.record(
            [NewEvent("escalated", datetime.now(UTC), pk, station, None, {"to": "chef de salle"})]
        )
        log.warning("alerte urgente %s non prise en compte : escaladée", group)
        self.escalated.emit(pk)

    def _interrupt(self) -> None:
        """Break the routine: bring the console to the front (or, over the review or
        setup window, show the alert in their notice), ask the WM for attention."""
        self.attention.interrupt()

    def _update_banner(self) -> None:
        groups = [g for g in self.scheduler.ringing_keys() if g in self._ringing]
        if not groups:
            self._banner.clear()
            self._set_top(None)
            self.attention.show_ringing(None)
            return
        top = min(
            groups,
            key=lambda g: (
                self._ringing[g].alert.priority,
                -self._ringing[g].received_at.timestamp(),
            ),
        )
        item = self._ringing[top]
        place = self._model.place_text(item)
        self._banner.show_alert(item, len(groups), self._sizes.get(top, 1), place)
        self.attention.show_ringing(item, len(groups), place)
        self._set_top(item)

    def _set_top(self, item: StoredAlert | None) -> None:
        """The banner shows another alert: ``top_changed`` (the wall follows it)."""
        pk = item.pk if item is not None else None
        if pk != self._top_pk:
            self._top_pk = pk
            self.top_changed.emit(item)

    def state(self) -> dict[str, Any]:
        """For the status bar and tests."""
        return {
            "ringing": len(self._ringing),
            "muted_s": self.muted_remaining(),
            "sound": self.sound.available,
        }
