"""The alert's moments on the replay timeline, from the alert and its main courante."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from csu_console.core.alerts import Alert, Category, StoredAlert
from csu_console.core.recording import MarkKind
from csu_console.core.replay_marks import replay_marks

T0 = datetime(2026, 12, 5, 9, 42, 13, tzinfo=UTC)


def stored() -> StoredAlert:
    alert = Alert("vvs", "a1", T0, Category.CAMBRIOLAGE, 2, title="Cambriolage")
    return StoredAlert(pk=7, alert=alert, received_at=T0 + timedelta(seconds=4))


def at(s: float) -> str:
    return (T0 + timedelta(seconds=s)).isoformat()


def test_report_and_reception_come_from_the_alert() -> None:
    marks = replay_marks(stored())
    assert [(m.kind, m.at) for m in marks] == [
        (MarkKind.REPORTED, T0),
        (MarkKind.RECEIVED, T0 + timedelta(seconds=4)),
    ]


def test_the_first_acknowledgement_dispatch_and_arrival_count_in_time_order() -> None:
    events = [
        {"kind": "displayed", "at": at(5)},
        {"kind": "dispatched", "at": at(90)},
        {"kind": "acknowledged", "at": at(30)},
        {"kind": "on_site", "at": at(400)},
        {"kind": "dispatched", "at": at(60)},  # the first engagement, listed later
        {"kind": "taken_over", "at": at(200)},  # a later takeover is not the first ack
        {"kind": "on_site", "at": "pas une date"},  # unreadable: left out, not guessed
        {"kind": "on_site", "at": "2026-12-05T09:50:00"},  # no zone: left out
    ]
    marks = replay_marks(stored(), events)
    assert [(m.kind, (m.at - T0).total_seconds()) for m in marks] == [
        (MarkKind.REPORTED, 0),
        (MarkKind.RECEIVED, 4),
        (MarkKind.ACKNOWLEDGED, 30),
        (MarkKind.DISPATCHED, 60),
        (MarkKind.ON_SITE, 400),
    ]
    assert all(m.at.tzinfo is UTC for m in marks)
