"""What a CAP life-cycle outcome does to the alarm and the queue (no Qt).

The store says what became of each frame (:class:`~csu_console.core.intake.Outcome`);
this module says what the station does about it:

- ``stored``: a new row; it rings unless it is already cancelled or expired (an
  original arriving after its Cancel), an exercise (unless ``[cap] ring_exercises``),
  or no longer new (the hub's claim);
- ``updated``: the row's content is replaced; it rings again only when its priority
  rose (``Outcome.rings``), the alert is still the station's to answer (new, or held
  here) and neither withdrawn nor a silent exercise;
- ``cancelled`` (and the expiry sweep's expired alerts): the row is marked and its
  ringing stops at once — never an operator's acknowledgement;
- ``pending`` and ``logged``: nothing in the queue (the partner-feed log).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from csu_console.core.alerts import AlertState, StoredAlert
from csu_console.core.cap_facts import MsgType, is_exercise
from csu_console.core.intake import Outcome

#: Outcomes that change a row already known (same pk) instead of adding one.
REVISING_KINDS = frozenset({"updated", "cancelled"})
#: Outcomes that never reach the queue (the partner-feed log shows them).
FEED_KINDS = frozenset({"pending", "logged"})


class RingAction(StrEnum):
    """What the alarm does for one outcome."""

    RING = "ring"  # a new alert, or an Update whose priority rose: ring (as new)
    REFRESH = "refresh"  # the alert's content changed: no sound, the banner follows
    SILENCE = "silence"  # cancelled or expired: its ringing stops now
    NONE = "none"  # nothing for the alarm


def is_new_row(outcome: Outcome) -> bool:
    """The outcome adds a row to the queue (a new alert, whatever it rings)."""
    return (
        outcome.stored is not None
        and outcome.kind not in REVISING_KINDS
        and outcome.kind not in FEED_KINDS
    )


def is_expired(item: StoredAlert, now: datetime) -> bool:
    """Past its CAP ``expires`` (the sweep may not have marked it yet)."""
    expires = item.alert.expires
    return expires is not None and expires <= now


def is_silent(item: StoredAlert, ring_exercises: bool, now: datetime | None = None) -> bool:
    """Never rings: withdrawn by its issuer, expired, or an exercise not set to ring."""
    if item.issuer_state is not None:
        return True
    if now is not None and is_expired(item, now):
        return True
    return is_exercise(item.alert.cap) and not ring_exercises


def ring_action(
    outcome: Outcome,
    *,
    ring_exercises: bool,
    station: str | None,
    now: datetime | None = None,
) -> RingAction:
    """What the alarm does for ``outcome`` (see the module docstring)."""
    item = outcome.stored
    if item is None or outcome.kind in FEED_KINDS:
        return RingAction.NONE
    if outcome.kind == "cancelled" or item.issuer_state is not None:
        return RingAction.SILENCE
    if outcome.kind == "updated":
        ours = item.state is AlertState.NEW or (
            item.state is not AlertState.CLOSED and item.state_station in (None, station)
        )
        if outcome.rings and ours and not is_silent(item, ring_exercises, now):
            return RingAction.RING
        return RingAction.REFRESH
    if item.state is not AlertState.NEW or is_silent(item, ring_exercises, now):
        return RingAction.NONE
    return RingAction.RING


def issuer_text(item: StoredAlert) -> str:
    """What a Cancel said, when the alert carries the Cancel's facts: its ``note``,
    else its info block's description or headline ("" when it said nothing)."""
    facts = item.alert.cap
    if facts is None or facts.msg_type is not MsgType.CANCEL:
        return ""
    if facts.note.strip():
        return " ".join(facts.note.split())
    if facts.infos:
        info = facts.infos[min(max(facts.chosen_info, 0), len(facts.infos) - 1)]
        for text in (info.description, info.headline):
            if text.strip():
                return " ".join(text.split())
    return ""


def shorten(text: str, limit: int = 160) -> str:
    """One line of at most ``limit`` characters (a notice, not the document)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
