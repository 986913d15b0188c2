"""The hub's rules for shared claims and units: pure decisions, no I/O.

:class:`~csu_console.hub.shared.SharedState` reads a bucket entry, asks these
functions what to do with a station's request, and writes the answer with
compare-and-set; on a revision conflict it reads again and asks again. The claim
rules are the console's own (:func:`csu_console.core.states.decide`), applied to the
claim the hub holds (``docs/protocol.md`` § 9.3, 9.4):

- allowed (new alert, or same holder moving forwards): written;
- the same state and holder: applied, nothing written;
- held by someone else: written only as a ``taken_over`` with a reason and an
  ``expect`` equal to the current holder; otherwise refused with the holder;
- backwards, or a second dispatch by another holder: refused; ``reopened`` of a
  closed alert with a reason: written, back to « prise en compte »;
- a request whose id was already applied to this key (a resend after a crash, a
  lost answer): applied again, nothing written.

A plain protocol-v1 ``status`` (no ``sid``) gets a deterministic id, so a resend is
recognised too; it is applied when allowed or as a takeover (a v1 console asks the
reason itself), never backwards.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from csu_console.core.alerts import AlertState
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.hub_protocol import ClaimRecord, StatusRequest, UnitRecord, UnitRequest
from csu_console.core.states import MAX_REASON, Actor, Claim, Verdict, decide, stamp

#: How many applied request ids a bucket entry remembers (exact idempotency of resends).
REMEMBERED_IDS = 16

_HELD: dict[AlertState, str] = {
    AlertState.ACKNOWLEDGED: "prise en compte",
    AlertState.DISPATCHED: "engagée",
    AlertState.CLOSED: "clôturée",
}


# -- keys -------------------------------------------------------------------------------


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii")


def claim_key(source: str, alert_id: str) -> str:
    """A key-value key for an alert: ``<b64url(source)>.<b64url(id)>``.

    NATS keys allow only ``[-/_=.a-zA-Z0-9]``; URL-safe base64 stays within them, is
    reversible (no collisions) and keeps the two parts apart.
    """
    return f"{_b64(source)}.{_b64(alert_id)}"


def name_key(name: str) -> str:
    """A key for a unit or a station name (any text: spaces, accents)."""
    return _b64(name)


def v1_sid(req: StatusRequest) -> str:
    """The id given to a plain v1 ``status``: the same for a resend of the same status."""
    digest = hashlib.sha256(
        f"{req.source}\n{req.id}\n{req.station}\n{req.operator}\n{req.state.value}\n"
        f"{req.at.isoformat()}".encode()
    ).hexdigest()[:20]
    return f"v1:{req.station}:{digest}"[:200]


# -- stored values --------------------------------------------------------------------
# A bucket value is the record's JSON (``to_obj``) plus ``applied``: the ids of the
# last requests applied to this key. Parsers of the record ignore the extra field.


def dump_claim(claim: ClaimRecord, applied: Sequence[str]) -> bytes:
    obj = claim.to_obj()
    obj["applied"] = list(applied)[-REMEMBERED_IDS:]
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def dump_unit(unit: UnitRecord, applied: Sequence[str]) -> bytes:
    obj = unit.to_obj()
    obj["applied"] = list(applied)[-REMEMBERED_IDS:]
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def applied_ids(obj: dict[str, Any]) -> tuple[str, ...]:
    raw = obj.get("applied", [])
    if not isinstance(raw, list):
        return ()
    return tuple(x for x in raw if isinstance(x, str))


# -- claims -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusDecision:
    """What to do with a ``status``.

    ``write``: the claim to store (compare-and-set), None when nothing is written;
    ``applied``: the answer; ``claim``: the claim to answer with; ``again``: the
    request had already been applied (a resend): answer applied, write nothing.
    """

    applied: bool
    claim: ClaimRecord | None
    write: ClaimRecord | None = None
    message: str = ""
    again: bool = False
    sid: str = ""


def _as_claim(record: ClaimRecord | None) -> Claim:
    if record is None:
        return Claim()
    return Claim(record.state, record.station, record.operator, record.at)


def _label(record: ClaimRecord) -> str:
    return Actor(record.station, record.operator).label()


def _expect_matches(expect: ClaimRecord | None, current: ClaimRecord) -> bool:
    return (
        expect is not None
        and expect.state is current.state
        and expect.station == current.station
        and expect.operator == current.operator
    )


def decide_status(
    current: ClaimRecord | None, applied: Sequence[str], req: StatusRequest
) -> StatusDecision:
    """The hub's answer to ``req`` given the stored claim and the ids applied to it."""
    v1 = not req.sid
    sid = v1_sid(req) if v1 else req.sid
    if current is not None and (current.sid == sid or sid in applied):
        return StatusDecision(True, current, again=True, sid=sid)
    actor = Actor(req.station, req.operator)
    decision = decide(_as_claim(current), actor, req.state)
    reason = " ".join(req.reason.split())[:MAX_REASON]
    at = stamp(req.at, None if current is None else current.at)

    def record(kind: str, why: str = "") -> ClaimRecord:
        return ClaimRecord(
            req.source, req.id, req.state, req.station, req.operator, at, sid, kind, why
        )

    if decision.verdict is Verdict.ALLOWED:
        return StatusDecision(True, None, write=record(req.state.value), sid=sid)
    if decision.verdict is Verdict.UNCHANGED:
        return StatusDecision(True, current, sid=sid)
    if current is None:  # a new alert moved to « new »: refused by the life cycle
        return StatusDecision(False, None, message=decision.message, sid=sid)
    if decision.verdict is Verdict.NEEDS_TAKEOVER_REASON:
        if v1:
            return StatusDecision(True, None, write=record("taken_over", reason), sid=sid)
        if req.kind == "taken_over" and reason:
            if _expect_matches(req.expect, current):
                return StatusDecision(True, None, write=record("taken_over", reason), sid=sid)
            message = (
                f"Alerte désormais {_HELD[current.state]} par {_label(current)} : "
                "confirmez la reprise."
            )
            return StatusDecision(False, current, message=message, sid=sid)
        return StatusDecision(False, current, message=decision.message, sid=sid)
    # refused by the life cycle; a closed alert may still be reopened with a reason
    if (
        not v1
        and req.kind == "reopened"
        and current.state is AlertState.CLOSED
        and req.state is AlertState.ACKNOWLEDGED
        and reason
    ):
        return StatusDecision(True, None, write=record("reopened", reason), sid=sid)
    if req.kind == "reopened" and current.state is AlertState.CLOSED and not reason:
        return StatusDecision(
            False, current, message="Réouverture refusée : un motif est obligatoire.", sid=sid
        )
    return StatusDecision(False, current, message=decision.message, sid=sid)


# -- units ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitDecision:
    """What to do with a ``unit`` request (same fields as :class:`StatusDecision`)."""

    applied: bool
    unit: UnitRecord | None
    write: UnitRecord | None = None
    message: str = ""
    again: bool = False


def engages(record: UnitRecord) -> bool:
    """True when the record sends the unit out (en intervention, just dispatched)."""
    return record.status is UnitStatus.EN_INTERVENTION and record.stage is Stage.DISPATCHED


def decide_unit(
    current: UnitRecord | None, applied: Sequence[str], req: UnitRequest
) -> UnitDecision:
    """Engaging a unit already engaged elsewhere needs ``confirm``; the rest is applied."""
    if current is not None and (current.uid == req.uid or req.uid in applied):
        return UnitDecision(True, current, again=True)
    wanted = replace(
        req.record, uid=req.uid, at=stamp(req.record.at, None if current is None else current.at)
    )
    if (
        current is not None
        and engages(wanted)
        and current.status is UnitStatus.EN_INTERVENTION
        and (current.alert != wanted.alert or current.station != wanted.station)
        and not req.confirm
    ):
        where = f" (alerte {current.alert[1]})" if current.alert is not None else ""
        holder = Actor(current.station, current.operator).label()
        message = f"{current.unit} est déjà engagée par {holder}{where}."
        return UnitDecision(False, current, message=message)
    return UnitDecision(True, wanted, write=wanted)
