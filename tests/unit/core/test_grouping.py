"""Tests for the grouping of reports (csu_console.core.grouping)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from csu_console.core.geo import destination_point, haversine_m
from csu_console.core.grouping import Grouper

T0 = datetime(2024, 6, 1, 21, 0, tzinfo=UTC)
HERE = (24.94146, 60.17132)  # central Helsinki, as in the demo site
BURGLARY = "cambriolage"


def k(name: str) -> tuple[str, str]:
    return ("plateforme", name)


def near(metres: float, bearing: float = 90.0) -> tuple[float, float]:
    return destination_point(*HERE, bearing, metres)


@pytest.fixture
def grouper() -> Grouper:
    return Grouper(radius_m=150.0, window=timedelta(minutes=15))


def test_first_report_opens_its_own_group(grouper: Grouper) -> None:
    assert grouper.add(k("A"), BURGLARY, *HERE, T0) == k("A")
    assert grouper.group_of(k("A")) == k("A")
    assert grouper.members(k("A")) == (k("A"),)
    assert grouper.count(k("A")) == 1


def test_same_place_same_time_same_category_is_grouped(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    assert grouper.add(k("B"), BURGLARY, *near(80), T0 + timedelta(minutes=3)) == k("A")
    assert grouper.add(k("C"), BURGLARY, *near(149, 200), T0 + timedelta(minutes=15)) == k("A")
    assert grouper.members(k("A")) == (k("A"), k("B"), k("C"))
    assert grouper.group_of(k("C")) == k("A")
    assert grouper.count(k("A")) == 3


def test_different_category_is_not_grouped(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    assert grouper.add(k("B"), "rixe", *HERE, T0) == k("B")
    assert grouper.members(k("A")) == (k("A"),)


def test_151_metres_away_is_not_grouped(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    lon, lat = near(151)
    assert haversine_m(*HERE, lon, lat) == pytest.approx(151, abs=0.01)
    assert grouper.add(k("B"), BURGLARY, lon, lat, T0) == k("B")


def test_exactly_at_the_radius_is_grouped(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    assert grouper.add(k("B"), BURGLARY, *near(150), T0) == k("A")


def test_16_minutes_later_is_not_grouped(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    assert grouper.add(k("B"), BURGLARY, *HERE, T0 + timedelta(minutes=16)) == k("B")


def test_distance_and_time_count_from_the_first_report_not_the_last(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    grouper.add(k("B"), BURGLARY, *near(100), T0 + timedelta(minutes=10))
    # 200 m from A (100 m from B): a chain does not stretch the group.
    assert grouper.add(k("C"), BURGLARY, *near(200), T0 + timedelta(minutes=11)) == k("C")
    # 14 min after B but 20 min after A: too late for A's group.
    assert grouper.add(k("D"), BURGLARY, *near(10), T0 + timedelta(minutes=20)) == k("D")


@pytest.mark.parametrize(("lon", "lat"), [(None, None), (24.9, None), (None, 60.1)])
def test_reports_without_position_are_never_grouped(
    grouper: Grouper, lon: float | None, lat: float | None
) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    assert grouper.add(k("B"), BURGLARY, lon, lat, T0) == k("B")
    assert grouper.add(k("C"), BURGLARY, lon, lat, T0) == k("C")  # nor with each other
    assert grouper.add(k("D"), BURGLARY, *HERE, T0) == k("A")  # and they open nothing
    assert grouper.members(k("B")) == (k("B"),)


def test_expired_groups_are_dropped(grouper: Grouper) -> None:
    for i in range(10):
        grouper.add(k(f"G{i}"), BURGLARY, *near(500 * i), T0 + timedelta(minutes=i))
    assert grouper.open_groups() == 10
    grouper.add(k("late"), BURGLARY, *near(5000), T0 + timedelta(minutes=20))
    # Groups opened at minutes 0-4 are more than 15 min old: out of the search.
    assert grouper.open_groups() == 6
    assert grouper.members(k("G0")) == (k("G0"),)  # but still readable


def test_an_old_report_arriving_late_does_not_reopen_expired_groups(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    grouper.add(k("B"), BURGLARY, *near(5000), T0 + timedelta(minutes=30))
    assert grouper.add(k("C"), BURGLARY, *HERE, T0 + timedelta(minutes=1)) == k("C")


def test_the_first_open_group_wins_when_several_match(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    grouper.add(k("B"), BURGLARY, *near(200), T0)  # too far from A: its own group
    # 100 m from both A and B: goes to A, opened first.
    assert grouper.add(k("C"), BURGLARY, *near(100), T0) == k("A")


def test_adding_a_key_twice_changes_nothing(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    grouper.add(k("B"), BURGLARY, *HERE, T0)
    assert grouper.add(k("B"), BURGLARY, *near(1000), T0) == k("A")
    assert grouper.members(k("A")) == (k("A"), k("B"))


def test_unknown_keys() -> None:
    grouper = Grouper()
    assert grouper.group_of(k("nope")) is None
    assert grouper.members(k("nope")) == ()
    assert grouper.count(k("nope")) == 0


@pytest.mark.parametrize(
    ("radius", "window"), [(0.0, timedelta(minutes=15)), (150.0, timedelta(0))]
)
def test_zero_radius_or_window_turns_grouping_off(radius: float, window: timedelta) -> None:
    grouper = Grouper(radius, window)
    assert not grouper.enabled
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    assert grouper.add(k("B"), BURGLARY, *HERE, T0) == k("B")
    assert grouper.open_groups() == 0


def test_negative_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        Grouper(-1.0)
    with pytest.raises(ValueError):
        Grouper(150.0, timedelta(minutes=-1))


def test_forget_drops_the_group_and_its_memberships(grouper: Grouper) -> None:
    grouper.add(k("A"), BURGLARY, *HERE, T0)
    grouper.add(k("B"), BURGLARY, *HERE, T0)
    grouper.forget(k("A"))
    assert grouper.group_of(k("B")) is None
    assert grouper.members(k("A")) == ()
    assert grouper.add(k("C"), BURGLARY, *HERE, T0) == k("C")


def test_deterministic_for_the_same_sequence() -> None:
    rng = random.Random(3)
    reports = [
        (
            k(f"R{i}"),
            rng.choice([BURGLARY, "rixe"]),
            *near(rng.uniform(0, 600), rng.uniform(0, 360)),
            T0 + timedelta(seconds=rng.uniform(0, 3600)),
        )
        for i in range(300)
    ]
    reports.sort(key=lambda r: r[4])

    def run() -> list[tuple[str, str]]:
        grouper = Grouper()
        return [grouper.add(*r) for r in reports]

    first = run()
    assert first == run()
    assert len(set(first)) < len(reports)  # some grouping happened


def test_search_only_looks_at_open_groups() -> None:
    """Over a long shift, the open set stays bounded by the window, not the history."""
    grouper = Grouper()
    for i in range(5000):
        grouper.add(k(f"R{i}"), BURGLARY, *near(1000 * (i % 7)), T0 + timedelta(minutes=i))
        assert grouper.open_groups() <= 16
