"""Units and patrols, their live status, and the dispatch life cycle (Qt-free).

Units come from the settings (``[[dispatch.units]]`` in ``site.toml``); their
status is never stored as such but folded from the logbook's events
(:func:`unit_statuses`), so it survives a restart and cannot drift from the record.

One engagement of a unit on an alert goes ``dispatched`` → ``on_site`` ("sur
place") → ``dispatch_ended`` ("terminé", with an :class:`Outcome` and a free
comment). The alert itself moves to ``dispatched`` with its first unit (see
:mod:`csu_console.core.states`) and stays there, whatever the units do, until an
operator closes it; :func:`engaged_on` tells the screen when the last unit is done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from csu_console.core.alerts import AlertState
from csu_console.core.logbook import EventKind, LogbookError, LogEvent, clean_text
from csu_console.core.states import Actor, Claim, Transition, Verdict, decide, plan, stamp


class UnitKind(StrEnum):
    """What a unit moves with."""

    VEHICULE = "vehicule"
    MOTO = "moto"
    VELO = "velo"
    PEDESTRE = "pedestre"
    CYNOPHILE = "cynophile"
    AUTRE = "autre"


@dataclass(frozen=True)
class Unit:
    """A unit or patrol from the settings: ``name`` is its callsign (« Alpha 1 »)."""

    id: str
    name: str
    kind: UnitKind = UnitKind.VEHICULE


@dataclass(frozen=True)
class DispatchSettings:
    """``[dispatch]``: the units this centre can engage, in display order."""

    units: tuple[Unit, ...] = ()

    def unit(self, unit_id: str) -> Unit | None:
        """The unit with that id, or None."""
        return next((u for u in self.units if u.id == unit_id), None)


class UnitStatus(StrEnum):
    """A unit's live status."""

    DISPONIBLE = "disponible"
    EN_INTERVENTION = "en_intervention"
    INDISPONIBLE = "indisponible"


UNIT_STATUS_LABELS: dict[UnitStatus, str] = {
    UnitStatus.DISPONIBLE: "Disponible",
    UnitStatus.EN_INTERVENTION: "En intervention",
    UnitStatus.INDISPONIBLE: "Indisponible",
}


class Stage(StrEnum):
    """Where an engagement stands."""

    DISPATCHED = "dispatched"
    ON_SITE = "on_site"


STAGE_LABELS: dict[Stage, str] = {Stage.DISPATCHED: "Engagée", Stage.ON_SITE: "Sur place"}


class Outcome(StrEnum):
    """How an intervention ended."""

    INTERPELLATION = "interpellation"
    VERBALISATION = "verbalisation"
    RIEN_A_SIGNALER = "rien_a_signaler"
    REMIS_POLICE_NATIONALE = "remis_police_nationale"
    FAUSSE_ALERTE = "fausse_alerte"
    AUTRE = "autre"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.INTERPELLATION: "Interpellation",
    Outcome.VERBALISATION: "Verbalisation",
    Outcome.RIEN_A_SIGNALER: "Rien à signaler",
    Outcome.REMIS_POLICE_NATIONALE: "Remis à la police nationale",
    Outcome.FAUSSE_ALERTE: "Fausse alerte",
    Outcome.AUTRE: "Autre",
}


@dataclass(frozen=True)
class UnitState:
    """A unit's status, and its engagement when it has one."""

    status: UnitStatus = UnitStatus.DISPONIBLE
    alert_pk: int | None = None
    stage: Stage | None = None
    since: datetime | None = None
    #: Another station's engagement or change (the hub's record; "": this station).
    station: str = ""
    operator: str = ""
    alert_key: tuple[str, str] | None = None  # the alert, also when not here (yet)
    comment: str = ""

    def holder(self) -> str:
        """« poste-2 – Martin » when another station set this status, else ""."""
        if not self.station:
            return ""
        return f"{self.station} – {self.operator}" if self.operator else self.station


#: The event kinds :func:`unit_statuses` reads.
UNIT_EVENT_KINDS: tuple[str, ...] = tuple(
    k.value
    for k in (
        EventKind.DISPATCHED,
        EventKind.ON_SITE,
        EventKind.DISPATCH_ENDED,
        EventKind.UNIT_AVAILABLE,
        EventKind.UNIT_UNAVAILABLE,
        EventKind.CLOSED,
        EventKind.TAKEN_OVER,
    )
)

_FREE = UnitState()


def apply_event(states: Mapping[str, UnitState], event: LogEvent) -> dict[str, UnitState]:
    """The unit states after one more event (events of other kinds change nothing).

    Closing an alert frees the units still engaged on it; a unit engaged again
    elsewhere (after confirmation) leaves its previous engagement.
    """
    out = dict(states)
    unit = event.details.get("unit")
    kind = event.kind
    closed = kind == EventKind.CLOSED or (
        kind == EventKind.TAKEN_OVER and event.details.get("state") == AlertState.CLOSED
    )
    if closed:
        for uid, st in states.items():
            if st.status is UnitStatus.EN_INTERVENTION and st.alert_pk == event.alert_pk:
                out[uid] = UnitState(since=event.at)
        return out
    if not isinstance(unit, str) or unit not in states:
        return out  # a unit since removed from the settings, or not a unit event
    current = states[unit]
    engaged_here = (
        current.status is UnitStatus.EN_INTERVENTION and current.alert_pk == event.alert_pk
    )
    if kind == EventKind.DISPATCHED:
        out[unit] = UnitState(
            UnitStatus.EN_INTERVENTION, event.alert_pk, Stage.DISPATCHED, event.at
        )
    elif kind == EventKind.ON_SITE and engaged_here:
        out[unit] = replace(current, stage=Stage.ON_SITE, since=event.at)
    elif (kind == EventKind.DISPATCH_ENDED and engaged_here) or kind == EventKind.UNIT_AVAILABLE:
        out[unit] = UnitState(since=event.at)
    elif kind == EventKind.UNIT_UNAVAILABLE:
        comment = event.details.get("comment")
        out[unit] = UnitState(
            UnitStatus.INDISPONIBLE,
            since=event.at,
            comment=comment if isinstance(comment, str) else "",
        )
    return out


def unit_statuses(units: Iterable[Unit], events: Iterable[LogEvent]) -> dict[str, UnitState]:
    """Every unit's status from the logbook's events, oldest first."""
    states = {u.id: _FREE for u in units}
    for event in events:
        states = apply_event(states, event)
    return states


def engaged_on(states: Mapping[str, UnitState], alert_pk: int) -> list[str]:
    """The units still engaged on an alert (empty: it may be closed)."""
    return [
        uid
        for uid, st in states.items()
        if st.status is UnitStatus.EN_INTERVENTION and st.alert_pk == alert_pk
    ]


class DispatchVerdict(StrEnum):
    """What :func:`plan_dispatch` says."""

    ALLOWED = "allowed"
    NEEDS_CONFIRMATION = "needs_confirmation"  # unit busy or unavailable: ask, then confirmed=True
    NEEDS_TAKEOVER_REASON = "needs_takeover_reason"
    REFUSED = "refused"


@dataclass(frozen=True)
class DispatchPlan:
    """A dispatch ready to store (when allowed) or the question to ask.

    ``before`` is the alert's state it was planned against (the store writes
    nothing if it changed); ``transition`` moves the alert to ``dispatched`` (None
    when this operator had already dispatched it: a second unit); ``details`` are
    the ``dispatched`` event's; ``at`` is its time.
    """

    verdict: DispatchVerdict
    message: str = ""
    unit: Unit | None = None
    at: datetime | None = None
    before: Claim | None = None
    transition: Transition | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        """True when it may be stored as is."""
        return self.verdict is DispatchVerdict.ALLOWED


def _busy_message(unit: Unit, state: UnitState) -> str:
    holder = state.holder()
    if state.status is UnitStatus.INDISPONIBLE:
        if holder:
            why = f" ({state.comment})" if state.comment else ""
            return f"{unit.name} est indisponible{why}, selon {holder} : l'engager quand même ?"
        return f"{unit.name} est indisponible : l'engager quand même ?"
    stage = STAGE_LABELS[state.stage or Stage.DISPATCHED].lower()
    if holder:
        where = f"l'alerte n° {state.alert_pk}" if state.alert_pk is not None else "une alerte"
        if state.alert_pk is None and state.alert_key is not None:
            where = f"l'alerte {state.alert_key[1]}"
        return (
            f"{unit.name} est engagée par {holder} sur {where} ({stage}) : l'engager quand même ?"
        )
    return (
        f"{unit.name} est déjà engagée sur l'alerte n° {state.alert_pk} ({stage}) : "
        "l'engager quand même sur celle-ci ?"
    )


def plan_dispatch(
    unit: Unit,
    states: Mapping[str, UnitState],
    alert_pk: int,
    claim: Claim,
    actor: Actor,
    now: datetime,
    *,
    confirmed: bool = False,
    reason: str = "",
    station_names: Mapping[str, str] | None = None,
) -> DispatchPlan:
    """May ``actor`` engage ``unit`` on an alert whose state is ``claim``?

    Refused when the unit is already on this alert or the alert cannot move to
    ``dispatched`` (closed, dispatched by someone else); a takeover reason is
    asked for an alert held by someone else; a confirmation for a unit engaged
    elsewhere or unavailable (``confirmed=True`` once the operator said yes).
    """
    state = states.get(unit.id, _FREE)
    if state.status is UnitStatus.EN_INTERVENTION and state.alert_pk == alert_pk:
        message = f"{unit.name} est déjà engagée sur cette alerte."
        return DispatchPlan(DispatchVerdict.REFUSED, message, unit)
    decision = decide(claim, actor, AlertState.DISPATCHED, station_names)
    if decision.verdict is Verdict.REFUSED:
        return DispatchPlan(DispatchVerdict.REFUSED, decision.message, unit)
    if decision.verdict is Verdict.NEEDS_TAKEOVER_REASON and not reason.strip():
        return DispatchPlan(DispatchVerdict.NEEDS_TAKEOVER_REASON, decision.message, unit)
    if state.status is not UnitStatus.DISPONIBLE and not confirmed:
        return DispatchPlan(DispatchVerdict.NEEDS_CONFIRMATION, _busy_message(unit, state), unit)
    transition = None
    if decision.verdict is not Verdict.UNCHANGED:
        transition = plan(claim, actor, AlertState.DISPATCHED, now, reason, station_names)
    details: dict[str, Any] = {"unit": unit.id, "unit_name": unit.name, "unit_kind": unit.kind}
    if transition is not None and transition.kind == EventKind.DISPATCHED:
        details = {**transition.details, **details}
    if state.status is UnitStatus.EN_INTERVENTION:
        details["previous_alert"] = state.alert_pk
    elif state.status is UnitStatus.INDISPONIBLE:
        details["was_unavailable"] = True
    at = transition.after.at if transition is not None else stamp(now, claim.at)
    return DispatchPlan(DispatchVerdict.ALLOWED, "", unit, at, claim, transition, details)


class DispatchRefused(LogbookError):
    """A step of an engagement that does not follow from the unit's status."""


def _engaged(unit: Unit, states: Mapping[str, UnitState], alert_pk: int) -> UnitState:
    state = states.get(unit.id, _FREE)
    if state.status is not UnitStatus.EN_INTERVENTION or state.alert_pk != alert_pk:
        raise DispatchRefused(f"{unit.name} n'est pas engagée sur l'alerte n° {alert_pk}.")
    return state


def plan_on_site(unit: Unit, states: Mapping[str, UnitState], alert_pk: int) -> dict[str, Any]:
    """Details of the ``on_site`` event, or :class:`DispatchRefused`."""
    if _engaged(unit, states, alert_pk).stage is Stage.ON_SITE:
        raise DispatchRefused(f"{unit.name} est déjà sur place.")
    return {"unit": unit.id, "unit_name": unit.name}


def plan_end(
    unit: Unit,
    states: Mapping[str, UnitState],
    alert_pk: int,
    outcome: Outcome,
    comment: str = "",
) -> dict[str, Any]:
    """Details of the ``dispatch_ended`` event; « autre » needs a comment."""
    _engaged(unit, states, alert_pk)
    text = clean_text(comment, required=outcome is Outcome.AUTRE)
    return {"unit": unit.id, "unit_name": unit.name, "outcome": outcome, "comment": text}


def plan_availability(
    unit: Unit, states: Mapping[str, UnitState], available: bool, comment: str = ""
) -> tuple[EventKind, dict[str, Any]]:
    """The event that makes a unit available or unavailable (not while engaged)."""
    state = states.get(unit.id, _FREE)
    if state.status is UnitStatus.EN_INTERVENTION:
        raise DispatchRefused(
            f"{unit.name} est en intervention (alerte n° {state.alert_pk}) : "
            "terminez d'abord l'intervention."
        )
    wanted = UnitStatus.DISPONIBLE if available else UnitStatus.INDISPONIBLE
    if state.status is wanted:
        raise DispatchRefused(f"{unit.name} est déjà {UNIT_STATUS_LABELS[wanted].lower()}.")
    kind = EventKind.UNIT_AVAILABLE if available else EventKind.UNIT_UNAVAILABLE
    return kind, {"unit": unit.id, "unit_name": unit.name, "comment": clean_text(comment)}
