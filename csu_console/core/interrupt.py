"""When the alarm rings: new alerts, repeats, escalation, temporary mute, lost link.

:class:`AlarmScheduler` is pure logic on an injected clock (float seconds, e.g.
``time.monotonic()``): the UI tells it what happened, asks :meth:`~AlarmScheduler.due`
what to play now, and arms one timer at :meth:`~AlarmScheduler.next_deadline`.
Nothing here plays sound or knows about Qt.

Rules:

- a new alert rings at once, with its priority's tone;
- an alert not acknowledged rings again every ``repeat_s[priority]`` seconds
  (0: no repeat);
- an urgent alert (priority 1) still unacknowledged ``escalation_after_s`` after it
  arrived rings the ``escalation`` tone once and is marked escalated;
- a lost link rings ``link_lost`` at once, then every ``link_lost_repeat_s``;
- a mute lasts at most ``mute_max_s`` and ends by itself. It silences repeats and
  new alerts of priority 2–4, but never hides an emergency: a *new urgent* alert,
  an escalation and the *first* ring of a lost link still ring. What a mute held
  back is not lost: what is still unacknowledged rings once as soon as it ends;
- when several rings are due at once, :meth:`~AlarmScheduler.due` lists them most
  urgent first (see :data:`TONE_URGENCY`): play the first, flash all their keys.

Key the scheduler by what the operator acknowledges: the group's key when reports
are grouped (see :mod:`csu_console.core.grouping`), so a group rings once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from csu_console.core.alerts import PRIORITY_MAX, PRIORITY_MIN

AlertKey = tuple[str, str]
"""(source, id), as :attr:`csu_console.core.alerts.Alert.key`."""

URGENT = PRIORITY_MIN  # the priority that escalates and rings through a mute


class Tone(StrEnum):
    """The sound to play; one WAV file per tone (``assets/sounds/<tone>.wav``)."""

    PRIORITY1 = "priority1"
    PRIORITY2 = "priority2"
    PRIORITY3 = "priority3"
    PRIORITY4 = "priority4"
    ESCALATION = "escalation"
    LINK_LOST = "link_lost"


class RingReason(StrEnum):
    """Why a ring is due."""

    NEW = "new"
    REPEAT = "repeat"
    ESCALATION = "escalation"
    LINK_LOST = "link_lost"


#: Most urgent first. An urgent alert outranks a lost link, which outranks the rest.
TONE_URGENCY: tuple[Tone, ...] = (
    Tone.ESCALATION,
    Tone.PRIORITY1,
    Tone.LINK_LOST,
    Tone.PRIORITY2,
    Tone.PRIORITY3,
    Tone.PRIORITY4,
)
_TONE_RANK = {tone: rank for rank, tone in enumerate(TONE_URGENCY)}
_REASON_RANK = {reason: rank for rank, reason in enumerate(RingReason)}


def tone_for(priority: int) -> Tone:
    """The tone of a priority (out-of-range priorities are clamped to 1–4)."""
    return Tone(f"priority{min(max(priority, PRIORITY_MIN), PRIORITY_MAX)}")


@dataclass(frozen=True)
class Ring:
    """One tone to play now, the alerts it is for (arrival order) and why."""

    tone: Tone
    keys: tuple[AlertKey, ...]
    reason: RingReason


def _default_repeats() -> dict[int, float]:
    return {1: 5.0, 2: 15.0, 3: 30.0, 4: 0.0}


@dataclass(frozen=True)
class AlarmPolicy:
    """The settings of the alarm, in seconds; 0 disables a repeat or the escalation.

    Raises ``ValueError`` on negative or non-finite values or a ``mute_max_s`` ≤ 0
    (the config loader reports these in French first).
    """

    repeat_s: Mapping[int, float] = field(default_factory=_default_repeats)
    escalation_after_s: float = 60.0
    mute_max_s: float = 120.0
    link_lost_repeat_s: float = 10.0

    def __post_init__(self) -> None:
        values = [*self.repeat_s.values(), self.escalation_after_s, self.link_lost_repeat_s]
        if not all(math.isfinite(v) and v >= 0 for v in [*values, self.mute_max_s]):
            raise ValueError(f"durées finies et positives attendues : {self}")
        if self.mute_max_s <= 0:
            raise ValueError("mute_max_s : durée > 0 attendue")

    def repeat_for(self, priority: int) -> float:
        """Seconds between repeats for ``priority`` (0: no repeat; unknown: 0)."""
        return self.repeat_s.get(priority, 0.0)


@dataclass
class _Entry:
    """An unacknowledged alert."""

    priority: int
    next_ring: float | None  # None once it will not ring again
    escalate_at: float | None
    rang: bool = False


def _next(scheduled: float, interval: float, now: float) -> float | None:
    """The repeat after ``scheduled``; never in the past when the caller ran late."""
    if interval <= 0:
        return None
    nxt = scheduled + interval
    return nxt if nxt > now else now + interval


class AlarmScheduler:
    """Decides what rings when; see the module docstring for the rules."""

    def __init__(self, policy: AlarmPolicy | None = None) -> None:
        self.policy = policy or AlarmPolicy()
        self._entries: dict[AlertKey, _Entry] = {}
        self._escalated: dict[AlertKey, None] = {}  # ordered set
        self._mute_until: float | None = None
        self._muted_by: str | None = None
        self._link_next: float | None = None  # set while the link is lost
        self._link_lost = False
        self._link_rang = False

    # -- what happened ------------------------------------------------------

    def alert_arrived(
        self, key: AlertKey, priority: int, now: float, since: float | None = None
    ) -> None:
        """A new alert (or a new report of a group) to ring for until acknowledged.

        ``since`` is when it arrived on this clock (default ``now``): an alert
        restored at start-up with an old ``since`` escalates as soon as it is due.
        A key already ringing is left alone, unless the new report is more urgent:
        then it takes that priority and rings again at once as new.
        """
        entry = self._entries.get(key)
        if entry is not None and priority >= entry.priority:
            return
        escalate_at = None
        if priority <= URGENT and self.policy.escalation_after_s > 0:
            escalate_at = (now if since is None else since) + self.policy.escalation_after_s
        self._entries[key] = _Entry(priority, now, escalate_at)

    def acknowledged(self, key: AlertKey, now: float) -> bool:
        """Stop ringing for ``key`` (acknowledged here or taken by another station).

        Returns False when it was not ringing. The escalated mark is kept.
        """
        del now  # part of the "what happened at when" API; nothing depends on it yet
        return self._entries.pop(key, None) is not None

    def withdrawn(self, key: AlertKey, now: float) -> bool:
        """Stop ringing for ``key``: its issuer cancelled it, or it expired. Not an
        acknowledgement (nobody answered it), but it rings no more; the escalated
        mark is kept. Returns False when it was not ringing."""
        return self.acknowledged(key, now)

    def forget(self, key: AlertKey) -> None:
        """Drop everything about ``key``, escalated mark included (alert closed, purged)."""
        self._entries.pop(key, None)
        self._escalated.pop(key, None)

    def mute(self, now: float, seconds: float, operator: str) -> float:
        """Mute for ``seconds``, clamped to ``mute_max_s``; returns when the mute ends.

        Muting again restarts the mute from ``now`` (still clamped). The caller logs
        the ``muted`` event with ``operator`` and the returned end.
        """
        if not math.isfinite(seconds) or seconds <= 0:
            raise ValueError(f"durée de silence > 0 attendue, reçu {seconds}")
        self._mute_until = now + min(seconds, self.policy.mute_max_s)
        self._muted_by = operator
        return self._mute_until

    def unmute(self, now: float) -> None:
        """End the mute now; what it held back rings at the next :meth:`due`."""
        del now
        self._mute_until = None
        self._muted_by = None

    def link_lost(self, now: float) -> None:
        """The alert link is down: ring ``link_lost`` now and repeat until restored."""
        if not self._link_lost:
            self._link_lost = True
            self._link_rang = False
            self._link_next = now

    def link_restored(self, now: float) -> None:
        """The alert link is back: stop the ``link_lost`` rings."""
        del now
        self._link_lost = False
        self._link_next = None

    # -- what to do now -----------------------------------------------------

    def is_muted(self, now: float) -> bool:
        """True while a mute is running; an expired mute is cleared here."""
        if self._mute_until is not None and now >= self._mute_until:
            self.unmute(now)
        return self._mute_until is not None

    @property
    def muted_until(self) -> float | None:
        """When the current mute ends (None: not muted); see :meth:`is_muted`."""
        return self._mute_until

    @property
    def muted_by(self) -> str | None:
        """The operator who muted, while muted."""
        return self._muted_by

    @property
    def link_is_lost(self) -> bool:
        """True between :meth:`link_lost` and :meth:`link_restored`."""
        return self._link_lost

    def due(self, now: float) -> list[Ring]:
        """The rings due at ``now``, most urgent first, and schedule the next ones.

        One :class:`Ring` per (tone, reason), listing every key concerned. Play the
        first: it is the most urgent tone. Call again at :meth:`next_deadline`.
        """
        muted = self.is_muted(now)
        found: dict[tuple[Tone, RingReason], list[AlertKey]] = {}
        for key, entry in self._entries.items():
            if entry.escalate_at is not None and entry.escalate_at <= now:
                entry.escalate_at = None
                self._escalated[key] = None
                found.setdefault((Tone.ESCALATION, RingReason.ESCALATION), []).append(key)
            if entry.next_ring is None or entry.next_ring > now:
                continue
            if muted and not self._rings_through_mute(entry):
                continue  # held back: stays due until the mute ends
            reason = RingReason.REPEAT if entry.rang else RingReason.NEW
            found.setdefault((tone_for(entry.priority), reason), []).append(key)
            entry.rang = True
            entry.next_ring = _next(entry.next_ring, self.policy.repeat_for(entry.priority), now)
        if (
            self._link_next is not None
            and self._link_next <= now
            and not (muted and self._link_rang)
        ):
            found[(Tone.LINK_LOST, RingReason.LINK_LOST)] = []
            self._link_rang = True
            self._link_next = _next(self._link_next, self.policy.link_lost_repeat_s, now)
        rings = [Ring(tone, tuple(keys), reason) for (tone, reason), keys in found.items()]
        rings.sort(key=lambda r: (_TONE_RANK[r.tone], _REASON_RANK[r.reason]))
        return rings

    def next_deadline(self, now: float) -> float | None:
        """When :meth:`due` will next have something (maybe ≤ ``now``: call it now).

        Includes the end of a mute, so the same timer can refresh a mute indicator.
        None when nothing is scheduled.
        """
        mute_end = self._mute_until if self.is_muted(now) else None
        times: list[float] = [] if mute_end is None else [mute_end]
        for entry in self._entries.values():
            if entry.escalate_at is not None:
                times.append(entry.escalate_at)
            if entry.next_ring is not None:
                held = mute_end is not None and not self._rings_through_mute(entry)
                times.append(max(entry.next_ring, mute_end or 0.0) if held else entry.next_ring)
        if self._link_next is not None:
            held = mute_end is not None and self._link_rang
            times.append(max(self._link_next, mute_end or 0.0) if held else self._link_next)
        return min(times, default=None)

    @staticmethod
    def _rings_through_mute(entry: _Entry) -> bool:
        return not entry.rang and entry.priority <= URGENT

    # -- state for the UI ---------------------------------------------------

    def ringing_keys(self) -> list[AlertKey]:
        """Every unacknowledged key, in arrival order (what the banner flashes for)."""
        return list(self._entries)

    def priority_of(self, key: AlertKey) -> int | None:
        """The priority ``key`` rings at, or None when it is not ringing."""
        entry = self._entries.get(key)
        return None if entry is None else entry.priority

    def escalated(self, key: AlertKey) -> bool:
        """True once ``key`` has rung the escalation tone (kept after acknowledgement)."""
        return key in self._escalated

    @property
    def escalated_keys(self) -> tuple[AlertKey, ...]:
        """Every escalated key, in escalation order."""
        return tuple(self._escalated)
