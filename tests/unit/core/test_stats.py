"""Indicators of the review (csu_console.core.review.stats): delays summarised by
median, p90 by nearest rank and max; counts by category, priority, zone, outcome
and hour — every expected value worked out by hand in the test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from csu_console.core.review.filter import NO_OUTCOME
from csu_console.core.review.rows import AlertRow
from csu_console.core.review.stats import (
    AlertTally,
    DelayStats,
    delay_stats,
    histogram,
    hour_start,
    nearest_rank,
    tally,
)

BASE = AlertRow(
    pk=1, received_at="2025-06-02T04:10:00.000+00:00", category="rixe", priority=1,
    title="Rixe", address=None, commune="Ville", lat=48.7, lon=2.2, source="plateforme",
    alert_id="A1", category_raw=None, reporter="citoyen-1", state="closed", ack_at=None,
    dispatch_at=None, closed_at=None, ack_s=None, dispatch_s=None, escalated=False,
    outcomes=(), operators=(),
)  # fmt: skip


def test_delays_of_an_odd_count() -> None:
    # 10 20 30 120 360: the middle one; p90 = rank ceil(4.5) = 5 → 360.
    assert delay_stats([120, 10, 360, 30, 20]) == DelayStats(5, 30, 360, 360)


def test_delays_of_an_even_count() -> None:
    # 1..10: median (5 + 6) / 2; p90 = rank ceil(9.0) = 9 → 9.
    assert delay_stats(range(1, 11)) == DelayStats(10, 5.5, 9, 10)


def test_no_delay_at_all() -> None:
    assert delay_stats([]) == DelayStats(0, None, None, None)


def test_a_negative_delay_counts_as_zero() -> None:
    assert delay_stats([-5.0, 40.0]) == DelayStats(2, 20.0, 40.0, 40.0)


@pytest.mark.parametrize(
    ("q", "expected"),
    [(0.5, 20), (0.9, 40), (0.2, 10), (0.21, 10), (0.26, 20), (1.0, 40)],
)
def test_nearest_rank(q: float, expected: float) -> None:
    assert nearest_rank([10, 20, 30, 40], q) == expected


def test_nearest_rank_is_not_fooled_by_floating_point() -> None:
    # 0.9 × 70 = 63 exactly: the 63rd value, not the 64th
    assert nearest_rank(list(range(1, 71)), 0.9) == 63


def test_nearest_rank_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        nearest_rank([], 0.9)


def test_histogram_bins_are_closed_on_the_left() -> None:
    # bins: <30, 30–60, 60–120, 120–300, 300–600, 600–1800, ≥1800
    assert histogram([0, 29.9, 30, 59, 60, 300, 1799, 1800, 99999]) == (2, 2, 1, 0, 1, 1, 2)


def test_hour_start() -> None:
    assert hour_start("2025-06-02T04:59:59.999+00:00") == datetime(2025, 6, 2, 4, tzinfo=UTC)


def test_tally_of_known_rows() -> None:
    rows = [
        BASE._replace(pk=1, ack_s=30.0, dispatch_s=120.0, outcomes=("interpellation",),
                zones=("nord",), escalated=False),
        BASE._replace(pk=2, category="cambriolage", priority=2, ack_s=120.0,
                received_at="2025-06-02T05:00:00.000+00:00", zones=("sud",), escalated=True),
        BASE._replace(pk=3, category="rixe", priority=1, ack_s=10.0, dispatch_s=300.0,
                received_at="2025-06-02T05:30:00.000+00:00", zones=("nord", "quartier"),
                outcomes=("verbalisation", "interpellation")),
        BASE._replace(pk=4, category="animal_perdu", priority=4,
                received_at="2025-06-02T07:00:00.000+00:00"),
    ]  # fmt: skip
    ind = tally(rows)
    assert ind.count == 4
    assert ind.by_category == {"rixe": 2, "cambriolage": 1, "animal_perdu": 1}
    assert ind.by_priority == {1: 2, 2: 1, 4: 1}
    assert ind.by_zone == {"nord": 2, "sud": 1, "quartier": 1}
    assert ind.by_outcome == {"interpellation": 2, NO_OUTCOME: 2, "verbalisation": 1}
    h = datetime(2025, 6, 2, tzinfo=UTC)
    assert ind.by_hour == {
        h.replace(hour=4): {"rixe": 1},
        h.replace(hour=5): {"cambriolage": 1, "rixe": 1},
        h.replace(hour=7): {"animal_perdu": 1},
    }
    # acknowledged: 10 30 120 → median 30, p90 rank ceil(2.7) = 3 → 120
    assert ind.ack == DelayStats(3, 30.0, 120.0, 120.0)
    # dispatched: 120 300 → median 210, p90 rank ceil(1.8) = 2 → 300
    assert ind.dispatch == DelayStats(2, 210.0, 300.0, 300.0)
    assert ind.ack_histogram == (1, 1, 0, 1, 0, 0, 0)
    assert ind.dispatch_histogram == (0, 0, 0, 1, 1, 0, 0)
    assert (ind.escalated, ind.never_acknowledged, ind.never_dispatched) == (1, 1, 2)


def test_tally_one_by_one_equals_tally_at_once() -> None:
    rows = [BASE._replace(pk=i, ack_s=float(i)) for i in range(1, 8)]
    running = AlertTally()
    for r in rows:
        running.add(r)
    assert running.result() == tally(rows)


def test_state_at_the_end_of_the_period() -> None:
    row = BASE._replace(
        ack_at="2025-06-02T04:10:30.000+00:00",
        dispatch_at="2025-06-02T04:12:00.000+00:00",
        closed_at="2025-06-02T12:30:00.000+00:00",
    )
    assert row.state_at("2025-06-02T04:10:00.000+00:00") == "new"
    assert row.state_at("2025-06-02T04:11:00.000+00:00") == "acknowledged"
    assert row.state_at("2025-06-02T12:00:00.000+00:00") == "dispatched"
    assert row.state_at("2025-06-02T13:00:00.000+00:00") == "closed"
    assert row.open_at("2025-06-02T12:00:00.000+00:00")
    assert not row.open_at("2025-06-02T13:00:00.000+00:00")
    assert not row.open_at("2025-06-02T04:00:00.000+00:00")  # not received yet
