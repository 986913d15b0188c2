"""Who may move an alert along its life cycle, and how other stations' updates apply.

The life cycle is ``new → acknowledged → dispatched → closed`` (:class:`AlertState`).
Steps may be skipped forwards (an urgent alert can be dispatched straight away, a
duplicate report closed — with a qualification, see :mod:`csu_console.core.closing`)
but never taken backwards, with one exception: a closed alert can be *reopened*
with a reason (:func:`plan_reopen`), back to « prise en compte » held by whoever
reopened it. Other stations keep it closed: an ``update`` never goes backwards
(they log it as ignored).

An alert that is not new has a *holder*: the station and operator who moved it
last. Acting on an alert held by someone else is a *takeover* and needs a reason,
which is logged; a second dispatch of an alert already dispatched by someone else
is refused outright.

Updates from other stations (protocol ``update``) are merged with one total order —
life-cycle rank first, then ``at``, then station and operator as a tie-break — so
every station ends on the same holder whatever order the updates arrive in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from csu_console.core.alerts import STATE_LABELS, AlertState, StoredAlert
from csu_console.core.protocol import UpdateMessage
from csu_console.errors import UserFacingError

#: Position of each state in the life cycle.
STATE_RANK: dict[AlertState, int] = {
    AlertState.NEW: 0,
    AlertState.ACKNOWLEDGED: 1,
    AlertState.DISPATCHED: 2,
    AlertState.CLOSED: 3,
}

MAX_REASON = 500  # characters kept of a takeover reason

_MS = timedelta(milliseconds=1)

# "Alerte <…> par Poste 2 – Dupont" for the states an alert can be held in.
_HELD: dict[AlertState, str] = {
    AlertState.ACKNOWLEDGED: "prise en compte",
    AlertState.DISPATCHED: "engagée",
    AlertState.CLOSED: "clôturée",
}


@dataclass(frozen=True)
class Actor:
    """An operator at a station: who asks for a transition or who holds an alert."""

    station: str
    operator: str = ""

    def label(self, station_names: Mapping[str, str] | None = None) -> str:
        """``Poste 2 – Dupont``: the station's display name when known, then the operator."""
        name = (station_names or {}).get(self.station, self.station)
        return f"{name} – {self.operator}" if self.operator else name


@dataclass(frozen=True)
class Claim:
    """The state of one alert and who brought it there (``at`` None when unknown)."""

    state: AlertState = AlertState.NEW
    station: str | None = None
    operator: str | None = None
    at: datetime | None = None

    @property
    def holder(self) -> Actor | None:
        """Who holds the alert: None while it is new or when nobody is recorded."""
        if self.state is AlertState.NEW or not self.station:
            return None
        return Actor(self.station, self.operator or "")

    @classmethod
    def of(cls, stored: StoredAlert, at: datetime | None = None) -> Claim:
        """The claim of a stored alert (StoredAlert does not carry ``state_at``)."""
        return cls(stored.state, stored.state_station, stored.state_operator, at)


class Verdict(StrEnum):
    """What :func:`decide` says about a requested transition."""

    ALLOWED = "allowed"
    NEEDS_TAKEOVER_REASON = "needs_takeover_reason"
    REFUSED = "refused"
    UNCHANGED = "unchanged"  # already in that state, held by the same actor: nothing to do


@dataclass(frozen=True)
class Decision:
    """The verdict, a French message for the operator, and the holder being displaced.

    ``message`` is empty when allowed; for a takeover it is the question to ask
    (« … : indiquez le motif de la reprise. »).
    """

    verdict: Verdict
    message: str = ""
    previous: Actor | None = None

    @property
    def allowed(self) -> bool:
        """True when the transition may go ahead without asking anything."""
        return self.verdict is Verdict.ALLOWED


def _state(state: AlertState) -> str:
    return f"« {STATE_LABELS[state]} »"


def decide(
    current: Claim,
    actor: Actor,
    target: AlertState,
    station_names: Mapping[str, str] | None = None,
) -> Decision:
    """May ``actor`` move an alert from ``current`` to ``target``?

    - to ``new``, out of ``closed``, or backwards: refused;
    - the same state and the same holder: unchanged;
    - ``dispatched`` again while another holder dispatched it: refused (no double
      dispatch);
    - any other move of an alert held by someone else (another station, or another
      operator at this station): needs a takeover reason;
    - otherwise allowed.
    """
    holder = current.holder
    by = f" par {holder.label(station_names)}" if holder else ""
    if current.state is AlertState.CLOSED:
        return Decision(Verdict.REFUSED, f"Alerte déjà clôturée{by}.", holder)
    if target is AlertState.NEW:
        return Decision(Verdict.REFUSED, f"Retour à l'état {_state(target)} impossible.", holder)
    if STATE_RANK[target] < STATE_RANK[current.state]:
        message = (
            f"Alerte déjà à l'état {_state(current.state)}{by} : "
            f"retour à {_state(target)} impossible."
        )
        return Decision(Verdict.REFUSED, message, holder)
    if holder is None or holder == actor:
        if target is current.state:
            return Decision(Verdict.UNCHANGED, f"Déjà à l'état {_state(target)}.", holder)
        return Decision(Verdict.ALLOWED, previous=holder)
    if target is AlertState.DISPATCHED and current.state is AlertState.DISPATCHED:
        message = f"Alerte déjà engagée{by} : pas de second engagement."
        return Decision(Verdict.REFUSED, message, holder)
    message = f"Alerte {_HELD[current.state]}{by} : indiquez le motif de la reprise."
    return Decision(Verdict.NEEDS_TAKEOVER_REASON, message, holder)


class TransitionRefused(UserFacingError):
    """A transition that :func:`plan` cannot make; the text is shown to the operator."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


@dataclass(frozen=True)
class Transition:
    """A transition ready to store (one row update + one event) and to send upstream.

    ``kind`` is the event kind: the target state (``acknowledged``, ``dispatched``,
    ``closed``) or ``taken_over``; ``details`` is the event's JSON details.
    """

    before: Claim
    after: Claim
    kind: str
    details: dict[str, str] = field(default_factory=dict)


def stamp(now: datetime, after: datetime | None = None) -> datetime:
    """``now`` in UTC to the millisecond (what SQLite keeps), strictly after ``after``.

    A transition must sort after the state it replaces, or other stations would
    take it for a stale update when this station's clock runs behind.
    """
    at = _to_ms(now)
    if after is not None and at <= _to_ms(after):
        at = _to_ms(after) + _MS
    return at


def _to_ms(dt: datetime) -> datetime:
    utc = dt.astimezone(UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def plan(
    current: Claim,
    actor: Actor,
    target: AlertState,
    now: datetime,
    reason: str = "",
    station_names: Mapping[str, str] | None = None,
) -> Transition:
    """The transition to store and send, or :class:`TransitionRefused`.

    Raises when :func:`decide` refuses, when nothing would change, and when a
    takeover comes without a reason (blank reasons do not count). The reason is
    kept up to :data:`MAX_REASON` characters.
    """
    decision = decide(current, actor, target, station_names)
    if decision.verdict in (Verdict.REFUSED, Verdict.UNCHANGED):
        raise TransitionRefused(decision)
    after = Claim(target, actor.station, actor.operator, stamp(now, current.at))
    details = {"from_state": current.state.value}
    if decision.verdict is Verdict.ALLOWED:
        return Transition(current, after, target.value, details)
    reason = " ".join(reason.split())[:MAX_REASON]
    if not reason:
        raise TransitionRefused(decision)
    previous = decision.previous
    assert previous is not None  # a takeover always displaces someone
    details.update(
        state=target.value,
        from_station=previous.station,
        from_operator=previous.operator,
        reason=reason,
    )
    return Transition(current, after, "taken_over", details)


def plan_reopen(
    current: Claim,
    actor: Actor,
    now: datetime,
    reason: str,
) -> Transition:
    """Reopen a closed alert: back to « prise en compte », held by ``actor``.

    Raises :class:`TransitionRefused` when the alert is not closed or the reason is
    blank (kept up to :data:`~csu_console.core.states.MAX_REASON` characters).
    """
    if current.state is not AlertState.CLOSED:
        raise TransitionRefused(
            Decision(Verdict.REFUSED, "Seule une alerte clôturée peut être rouverte.")
        )
    reason = " ".join(reason.split())[:MAX_REASON]
    if not reason:
        raise TransitionRefused(
            Decision(Verdict.REFUSED, "Réouverture annulée : un motif est obligatoire.")
        )
    previous = current.holder
    after = Claim(AlertState.ACKNOWLEDGED, actor.station, actor.operator, stamp(now, current.at))
    details = {
        "from_state": AlertState.CLOSED.value,
        "reason": reason,
        "from_station": previous.station if previous else "",
        "from_operator": previous.operator if previous else "",
    }
    return Transition(current, after, "reopened", details)


class UpdateEffect(StrEnum):
    """What an ``update`` from the gateway did to our copy of the alert."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # same state and holder (our own status echoed back, a resend)
    STALE = "stale"  # same state, not later than what we have
    BACKWARDS = "backwards"  # an earlier state of the life cycle: ignored
    UNKNOWN_ALERT = "unknown_alert"  # used by the store: no such alert here


@dataclass(frozen=True)
class UpdateDecision:
    """The effect of an update and the claim to keep (``after`` is ``current`` unless applied)."""

    effect: UpdateEffect
    after: Claim


def _order(state: AlertState, at: datetime, station: str, operator: str) -> tuple[object, ...]:
    return (STATE_RANK[state], at, station, operator)


def apply_update(current: Claim, update: UpdateMessage) -> UpdateDecision:
    """Merge another station's ``update`` into ``current``.

    Applied when it sorts after ``current`` by (life-cycle rank, ``at``, station,
    operator): a later state always wins, an equal state wins when more recent (a
    takeover), and an update older than what we have is ignored. An update to
    ``new`` is never applied. Our own status echoed back is a duplicate.
    """
    if update.state is AlertState.NEW or STATE_RANK[update.state] < STATE_RANK[current.state]:
        return UpdateDecision(UpdateEffect.BACKWARDS, current)
    if update.state is current.state and current.holder == Actor(update.station, update.operator):
        return UpdateDecision(UpdateEffect.DUPLICATE, current)
    at = stamp(update.at)
    if (
        update.state is AlertState.CLOSED
        and current.holder == Actor(update.station, update.operator)
        and current.at is not None
        and at < current.at
    ):
        # A reopen is the only step back: the same holder's earlier « closed »,
        # late (our own echoed after the reopen), does not close it again.
        return UpdateDecision(UpdateEffect.STALE, current)
    if (
        update.state is current.state
        and current.at is not None
        and _order(update.state, at, update.station, update.operator)
        <= _order(current.state, current.at, current.station or "", current.operator or "")
    ):
        return UpdateDecision(UpdateEffect.STALE, current)
    return UpdateDecision(
        UpdateEffect.APPLIED, Claim(update.state, update.station, update.operator, at)
    )
