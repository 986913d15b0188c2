"""Tests for the alarm scheduler (csu_console.core.interrupt) on a fake clock: floats, no sleep."""

from __future__ import annotations

import math

import pytest

from csu_console.core.interrupt import (
    TONE_URGENCY,
    AlarmPolicy,
    AlarmScheduler,
    Ring,
    RingReason,
    Tone,
    tone_for,
)

A = ("plateforme", "A")
B = ("plateforme", "B")
C = ("plateforme", "C")
POLICY = AlarmPolicy(
    repeat_s={1: 5.0, 2: 15.0, 3: 30.0, 4: 0.0},
    escalation_after_s=60.0,
    mute_max_s=120.0,
    link_lost_repeat_s=10.0,
)


@pytest.fixture
def alarm() -> AlarmScheduler:
    return AlarmScheduler(POLICY)


def ring_times(alarm: AlarmScheduler, until: float, step: float = 0.5) -> list[tuple[float, Ring]]:
    """Drive the scheduler like a UI timer would, every ``step`` seconds up to ``until``."""
    out: list[tuple[float, Ring]] = []
    steps = round(until / step)
    for i in range(steps + 1):
        now = i * step
        out += [(now, r) for r in alarm.due(now)]
    return out


def by_deadline(alarm: AlarmScheduler, until: float) -> list[tuple[float, Ring]]:
    """Drive the scheduler with a single timer armed at next_deadline, as the UI will."""
    out: list[tuple[float, Ring]] = []
    now = 0.0
    out += [(now, r) for r in alarm.due(now)]
    while (deadline := alarm.next_deadline(now)) is not None and deadline <= until:
        assert deadline > now, "a deadline in the past would spin the timer"
        now = deadline
        out += [(now, r) for r in alarm.due(now)]
    return out


# --- the basics ---------------------------------------------------------------


def test_tones_and_urgency_order() -> None:
    assert [tone_for(p) for p in (1, 2, 3, 4)] == [
        Tone.PRIORITY1,
        Tone.PRIORITY2,
        Tone.PRIORITY3,
        Tone.PRIORITY4,
    ]
    assert tone_for(0) is Tone.PRIORITY1 and tone_for(9) is Tone.PRIORITY4
    assert TONE_URGENCY[0] is Tone.ESCALATION
    assert set(TONE_URGENCY) == set(Tone)


def test_nothing_to_do_when_idle(alarm: AlarmScheduler) -> None:
    assert alarm.due(0.0) == []
    assert alarm.next_deadline(0.0) is None
    assert alarm.ringing_keys() == []


def test_new_alert_rings_at_once(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 3, now=100.0)
    assert alarm.next_deadline(100.0) == 100.0
    assert alarm.due(100.0) == [Ring(Tone.PRIORITY3, (A,), RingReason.NEW)]
    assert alarm.due(100.0) == []  # rang once, not twice
    assert alarm.ringing_keys() == [A]


@pytest.mark.parametrize(
    ("priority", "expected"),
    [
        (1, [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]),
        (2, [0.0, 15.0, 30.0]),
        (3, [0.0, 30.0]),
        (4, [0.0]),  # 0 = no repeat
    ],
)
def test_repeat_interval_per_priority(
    alarm: AlarmScheduler, priority: int, expected: list[float]
) -> None:
    alarm.alert_arrived(B, priority, now=0.0)
    rings = [(t, r) for t, r in ring_times(alarm, 30.0) if r.tone is not Tone.ESCALATION]
    assert [t for t, _ in rings] == expected
    assert [r.reason for _, r in rings] == [RingReason.NEW] + [RingReason.REPEAT] * (
        len(expected) - 1
    )
    assert {r.tone for _, r in rings} == {tone_for(priority)}


def test_single_timer_driving_gives_the_same_schedule(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 2, now=0.0)
    assert [t for t, _ in by_deadline(alarm, 60.0)] == [0.0, 15.0, 30.0, 45.0, 60.0]


def test_priority_4_without_repeat_has_no_deadline_after_its_ring(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 4, now=0.0)
    alarm.due(0.0)
    assert alarm.next_deadline(0.0) is None
    assert alarm.ringing_keys() == [A], "still awaiting acknowledgement"


def test_late_timer_does_not_burst(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 1, now=0.0)
    alarm.due(0.0)
    # The GUI froze for 23 s: one repeat, then back on a 5 s rhythm from now.
    assert [r.reason for r in alarm.due(23.0)] == [RingReason.REPEAT]
    assert alarm.due(23.0) == []
    assert alarm.next_deadline(23.0) == 28.0


def test_repeats_stay_on_their_grid_when_the_timer_is_slightly_late(
    alarm: AlarmScheduler,
) -> None:
    alarm.alert_arrived(A, 1, now=0.0)
    alarm.due(0.0)
    alarm.due(5.03)
    assert alarm.next_deadline(5.03) == 10.0  # no drift


# --- acknowledgement ------------------------------------------------------------


def test_acknowledgement_stops_the_repeats(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 1, now=0.0)
    alarm.alert_arrived(B, 1, now=0.0)
    alarm.due(0.0)
    assert alarm.acknowledged(A, now=3.0) is True
    assert alarm.acknowledged(A, now=3.0) is False  # not ringing any more
    assert alarm.due(5.0) == [Ring(Tone.PRIORITY1, (B,), RingReason.REPEAT)]
    assert alarm.ringing_keys() == [B]
    alarm.acknowledged(B, now=6.0)
    assert alarm.next_deadline(6.0) is None
    assert alarm.due(100.0) == []


def test_acknowledged_before_the_first_ring_never_rings(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 2, now=0.0)
    alarm.acknowledged(A, now=0.0)
    assert alarm.due(0.0) == []


def test_same_key_again_is_ignored_unless_more_urgent(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 3, now=0.0)
    alarm.due(0.0)
    alarm.alert_arrived(A, 3, now=10.0)  # a second report of the same group: one sound
    alarm.alert_arrived(A, 4, now=10.0)
    assert alarm.due(10.0) == []
    assert alarm.priority_of(A) == 3
    alarm.alert_arrived(A, 1, now=12.0)  # an urgent report joined the group
    assert alarm.due(12.0) == [Ring(Tone.PRIORITY1, (A,), RingReason.NEW)]
    assert alarm.priority_of(A) == 1
    assert [r.reason for r in alarm.due(17.0)] == [RingReason.REPEAT]


def test_a_group_acknowledged_rings_again_for_a_new_report(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 3, now=0.0)
    alarm.due(0.0)
    alarm.acknowledged(A, now=2.0)
    alarm.alert_arrived(A, 3, now=50.0)
    assert alarm.due(50.0) == [Ring(Tone.PRIORITY3, (A,), RingReason.NEW)]


# --- escalation -------------------------------------------------------------------


def test_urgent_alert_escalates_once_at_the_right_time(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 1, now=10.0)
    alarm.due(10.0)
    assert not alarm.escalated(A)
    for t in range(15, 70, 5):
        assert [r.reason for r in alarm.due(float(t))] == [RingReason.REPEAT]
    assert alarm.due(69.9) == []
    assert alarm.next_deadline(69.9) == 70.0
    rings = alarm.due(70.0)
    assert rings == [
        Ring(Tone.ESCALATION, (A,), RingReason.ESCALATION),
        Ring(Tone.PRIORITY1, (A,), RingReason.REPEAT),
    ]
    assert alarm.escalated(A)
    assert alarm.escalated_keys == (A,)
    later = [r for t in range(71, 300) for r in alarm.due(float(t))]
    assert all(r.tone is not Tone.ESCALATION for r in later)
    assert {r.reason for r in later} == {RingReason.REPEAT}  # repeats go on


def test_escalated_mark_survives_acknowledgement_until_forgotten(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 1, now=0.0)
    alarm.due(60.0)
    alarm.acknowledged(A, now=61.0)
    assert alarm.escalated(A)
    alarm.forget(A)
    assert not alarm.escalated(A)
    assert alarm.escalated_keys == ()


def test_acknowledged_in_time_never_escalates(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 1, now=0.0)
    alarm.due(0.0)
    alarm.acknowledged(A, now=59.0)
    assert alarm.due(60.0) == []
    assert not alarm.escalated(A)


@pytest.mark.parametrize("priority", [2, 3, 4])
def test_only_urgent_alerts_escalate(alarm: AlarmScheduler, priority: int) -> None:
    alarm.alert_arrived(A, priority, now=0.0)
    rings = ring_times(alarm, 600.0, step=1.0)
    assert all(r.tone is not Tone.ESCALATION for _, r in rings)
    assert not alarm.escalated(A)


def test_escalation_can_be_disabled() -> None:
    alarm = AlarmScheduler(AlarmPolicy(escalation_after_s=0.0))
    alarm.alert_arrived(A, 1, now=0.0)
    assert all(r.tone is not Tone.ESCALATION for _, r in ring_times(alarm, 300.0))


def test_escalation_counts_from_since_for_restored_alerts(alarm: AlarmScheduler) -> None:
    # Restored at start-up, received 100 s before: escalates at once.
    alarm.alert_arrived(A, 1, now=1000.0, since=900.0)
    assert [r.tone for r in alarm.due(1000.0)] == [Tone.ESCALATION, Tone.PRIORITY1]


def test_next_deadline_includes_the_escalation() -> None:
    alarm = AlarmScheduler(AlarmPolicy(repeat_s={1: 0.0}, escalation_after_s=60.0))
    alarm.alert_arrived(A, 1, now=0.0)
    alarm.due(0.0)
    assert alarm.next_deadline(0.0) == 60.0
    assert [r.reason for r in alarm.due(60.0)] == [RingReason.ESCALATION]
    assert alarm.next_deadline(60.0) is None


# --- several due at once ------------------------------------------------------------


def test_several_due_at_once_most_urgent_first_with_all_keys(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 3, now=0.0)
    alarm.alert_arrived(B, 1, now=0.0)
    alarm.alert_arrived(C, 3, now=0.0)
    alarm.link_lost(0.0)
    rings = alarm.due(0.0)
    assert rings == [
        Ring(Tone.PRIORITY1, (B,), RingReason.NEW),
        Ring(Tone.LINK_LOST, (), RingReason.LINK_LOST),
        Ring(Tone.PRIORITY3, (A, C), RingReason.NEW),
    ]


def test_new_alert_rings_even_while_others_ring(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 1, now=0.0)
    alarm.due(0.0)
    alarm.alert_arrived(B, 4, now=2.0)
    assert alarm.next_deadline(2.0) == 2.0
    assert alarm.due(2.0) == [Ring(Tone.PRIORITY4, (B,), RingReason.NEW)]


def test_new_before_repeat_for_the_same_tone(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 2, now=0.0)
    alarm.due(0.0)
    alarm.alert_arrived(B, 2, now=15.0)
    assert alarm.due(15.0) == [
        Ring(Tone.PRIORITY2, (B,), RingReason.NEW),
        Ring(Tone.PRIORITY2, (A,), RingReason.REPEAT),
    ]


def test_storm_of_alerts_gives_one_ring_per_tone(alarm: AlarmScheduler) -> None:
    keys = [("plateforme", f"S{i}") for i in range(2000)]
    for i, key in enumerate(keys):
        alarm.alert_arrived(key, 1 + i % 4, now=0.0)
    rings = alarm.due(0.0)
    assert [r.tone for r in rings] == [
        Tone.PRIORITY1,
        Tone.PRIORITY2,
        Tone.PRIORITY3,
        Tone.PRIORITY4,
    ]
    assert sum(len(r.keys) for r in rings) == 2000
    assert rings[0].keys == tuple(keys[::4])  # arrival order


# --- mute ---------------------------------------------------------------------------


def test_mute_is_clamped_and_ends_by_itself(alarm: AlarmScheduler) -> None:
    until = alarm.mute(now=10.0, seconds=3600.0, operator="Dupont")
    assert until == 130.0  # never more than mute_max_s
    assert alarm.is_muted(129.9)
    assert alarm.muted_by == "Dupont"
    assert alarm.next_deadline(20.0) == 130.0  # the mute indicator's refresh
    assert not alarm.is_muted(130.0)
    assert alarm.muted_until is None and alarm.muted_by is None


def test_mute_shorter_than_max(alarm: AlarmScheduler) -> None:
    assert alarm.mute(now=0.0, seconds=30.0, operator="Dupont") == 30.0


@pytest.mark.parametrize("seconds", [0.0, -5.0, math.nan, math.inf])
def test_mute_refuses_non_positive_or_endless(alarm: AlarmScheduler, seconds: float) -> None:
    with pytest.raises(ValueError, match="durée de silence"):
        alarm.mute(now=0.0, seconds=seconds, operator="Dupont")
    assert not alarm.is_muted(0.0)


def test_muting_again_restarts_but_never_exceeds_the_max(alarm: AlarmScheduler) -> None:
    alarm.mute(now=0.0, seconds=120.0, operator="Dupont")
    assert alarm.mute(now=100.0, seconds=500.0, operator="Martin") == 220.0
    assert alarm.muted_by == "Martin"


def test_mute_silences_repeats_which_resume_when_it_ends(alarm: AlarmScheduler) -> None:
    alarm.alert_arrived(A, 2, now=0.0)
    alarm.due(0.0)
    alarm.mute(now=1.0, seconds=60.0, operator="Dupont")
    assert [r for t in range(2, 61) for r in alarm.due(float(t))] == []
    assert alarm.next_deadline(59.0) == 61.0
    assert alarm.due(61.0) == [Ring(Tone.PRIORITY2, (A,), RingReason.REPEAT)]  # one, not four
    assert alarm.next_deadline(61.0) == 76.0


def test_mute_holds_back_new_normal_alerts_until_it_ends(alarm: AlarmScheduler) -> None:
    alarm.mute(now=0.0, seconds=60.0, operator="Dupont")
    alarm.alert_arrived(A, 3, now=10.0)
    assert alarm.due(10.0) == []
    assert alarm.ringing_keys() == [A]  # still shown, still to acknowledge
    assert alarm.next_deadline(10.0) == 60.0
    assert alarm.due(60.0) == [Ring(Tone.PRIORITY3, (A,), RingReason.NEW)]


def test_acknowledged_during_mute_never_rings(alarm: AlarmScheduler) -> None:
    alarm.mute(now=0.0, seconds=60.0, operator="Dupont")
    alarm.alert_arrived(A, 3, now=10.0)
    alarm.acknowledged(A, now=20.0)
    assert alarm.due(60.0) == []


def test_new_urgent_alert_rings_through_a_mute(alarm: AlarmScheduler) -> None:
    alarm.mute(now=0.0, seconds=120.0, operator="Dupont")
    alarm.alert_arrived(A, 1, now=10.0)
    alarm.alert_arrived(B, 2, now=10.0)
    assert alarm.next_deadline(10.0) == 10.0
    assert alarm.due(10.0) == [Ring(Tone.PRIORITY1, (A,), RingReason.NEW)]
    # Its repeats are muted; the escalation is not.
    assert [r for t in range(11, 70) for r in alarm.due(float(t))] == []
    assert alarm.due(70.0) == [Ring(Tone.ESCALATION, (A,), RingReason.ESCALATION)]
    assert alarm.escalated(A)
    assert alarm.due(120.0) == [
        Ring(Tone.PRIORITY1, (A,), RingReason.REPEAT),
        Ring(Tone.PRIORITY2, (B,), RingReason.NEW),
    ]


def test_unmute_releases_what_was_held_back(alarm: AlarmScheduler) -> None:
    alarm.mute(now=0.0, seconds=120.0, operator="Dupont")
    alarm.alert_arrived(A, 3, now=5.0)
    alarm.unmute(now=8.0)
    assert not alarm.is_muted(8.0)
    assert alarm.due(8.0) == [Ring(Tone.PRIORITY3, (A,), RingReason.NEW)]


# --- link lost ----------------------------------------------------------------------


def test_link_lost_rings_at_once_and_repeats_until_restored(alarm: AlarmScheduler) -> None:
    alarm.link_lost(5.0)
    assert alarm.link_is_lost
    alarm.link_lost(6.0)  # told twice: one alarm
    rings = by_deadline(alarm, 35.0)
    assert [t for t, _ in rings] == [5.0, 15.0, 25.0, 35.0]
    assert {r for _, r in rings} == {Ring(Tone.LINK_LOST, (), RingReason.LINK_LOST)}
    alarm.link_restored(36.0)
    assert not alarm.link_is_lost
    assert alarm.next_deadline(36.0) is None
    assert alarm.due(100.0) == []


def test_link_lost_again_after_restore_rings_again(alarm: AlarmScheduler) -> None:
    alarm.link_lost(0.0)
    alarm.due(0.0)
    alarm.link_restored(3.0)
    alarm.link_lost(4.0)
    assert alarm.due(4.0) == [Ring(Tone.LINK_LOST, (), RingReason.LINK_LOST)]


def test_link_lost_without_repeat() -> None:
    alarm = AlarmScheduler(AlarmPolicy(link_lost_repeat_s=0.0))
    alarm.link_lost(0.0)
    assert len(alarm.due(0.0)) == 1
    assert alarm.next_deadline(0.0) is None


def test_link_lost_first_ring_goes_through_a_mute_not_its_repeats(
    alarm: AlarmScheduler,
) -> None:
    alarm.mute(now=0.0, seconds=60.0, operator="Dupont")
    alarm.link_lost(10.0)
    assert alarm.due(10.0) == [Ring(Tone.LINK_LOST, (), RingReason.LINK_LOST)]
    assert [r for t in range(11, 60) for r in alarm.due(float(t))] == []
    assert alarm.next_deadline(30.0) == 60.0
    assert alarm.due(60.0) == [Ring(Tone.LINK_LOST, (), RingReason.LINK_LOST)]


# --- policy -------------------------------------------------------------------------


def test_default_policy_matches_the_issue() -> None:
    policy = AlarmPolicy()
    assert [policy.repeat_for(p) for p in (1, 2, 3, 4)] == [5.0, 15.0, 30.0, 0.0]
    assert policy.repeat_for(7) == 0.0
    assert (policy.escalation_after_s, policy.mute_max_s) == (60.0, 120.0)


@pytest.mark.parametrize(
    "changes",
    [
        {"repeat_s": {1: -1.0}},
        {"repeat_s": {1: math.nan}},
        {"escalation_after_s": -1.0},
        {"link_lost_repeat_s": math.inf},
        {"mute_max_s": 0.0},
        {"mute_max_s": math.inf},
    ],
)
def test_bad_policy_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        AlarmPolicy(**changes)  # type: ignore[arg-type]
