"""Shifts and periods (csu_console.core.review.shifts, .period, .filter): the UTC
range of a shift on a local date, across midnight and across both clock changes of
Europe/Paris; days of 23 and 25 hours; the review filter's checks and wording; the
``[shifts]`` settings, with one test per bad shape."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from csu_console.config import check_site, default_config_dir, load_site
from csu_console.core.review.filter import NO_OUTCOME, ReviewFilter
from csu_console.core.review.period import (
    Period,
    PeriodError,
    day_period,
    local_instant,
    long_datetime,
)
from csu_console.core.review.shifts import (
    DEFAULT_SHIFTS,
    Shift,
    ShiftSettings,
    last_completed,
    occurrences,
    shift_at,
    shift_period,
)

PARIS = ZoneInfo("Europe/Paris")
SETTINGS = ShiftSettings()
MATIN, APRES_MIDI, NUIT = DEFAULT_SHIFTS


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_default_shifts() -> None:
    assert [(s.id, s.hours) for s in SETTINGS.periods] == [
        ("matin", "06:00–14:00"),
        ("apres-midi", "14:00–22:00"),
        ("nuit", "22:00–06:00"),
    ]
    assert NUIT.crosses_midnight and not MATIN.crosses_midnight
    assert SETTINGS.shift("nuit") is NUIT and SETTINGS.shift("soir") is None


def test_a_summer_morning() -> None:
    p = shift_period(MATIN, date(2025, 6, 2), PARIS)
    assert (p.start, p.end) == (utc(2025, 6, 2, 4), utc(2025, 6, 2, 12))


def test_a_winter_night_crosses_midnight() -> None:
    p = shift_period(NUIT, date(2025, 1, 15), PARIS)
    assert (p.start, p.end) == (utc(2025, 1, 15, 21), utc(2025, 1, 16, 5))
    assert p.seconds == 8 * 3600


def test_the_spring_night_lasts_seven_hours() -> None:
    # 30 March 2025: 02:00 CET becomes 03:00 CEST.
    p = shift_period(NUIT, date(2025, 3, 29), PARIS)
    assert (p.start, p.end) == (utc(2025, 3, 29, 21), utc(2025, 3, 30, 4))
    assert p.seconds == 7 * 3600
    morning = shift_period(MATIN, date(2025, 3, 30), PARIS)
    assert morning.start == p.end  # back to back


def test_the_autumn_night_lasts_nine_hours() -> None:
    # 26 October 2025: 03:00 CEST becomes 02:00 CET.
    p = shift_period(NUIT, date(2025, 10, 25), PARIS)
    assert (p.start, p.end) == (utc(2025, 10, 25, 20), utc(2025, 10, 26, 5))
    assert p.seconds == 9 * 3600


def test_a_boundary_inside_the_changes() -> None:
    # 02:30 does not exist on the spring night: read with the winter offset (= 03:30
    # summer time); it happens twice on the autumn night: the first one.
    assert local_instant(date(2025, 3, 30), time(2, 30), PARIS) == utc(2025, 3, 30, 1, 30)
    assert local_instant(date(2025, 10, 26), time(2, 30), PARIS) == utc(2025, 10, 26, 0, 30)
    odd = Shift("x", "X", time(2, 30), time(14))
    p = shift_period(odd, date(2025, 3, 30), PARIS)
    assert p.seconds == 10.5 * 3600  # 03:30 CEST (01:30 UTC) to 14:00 CEST (12:00 UTC)


def test_days_of_23_and_25_hours() -> None:
    assert day_period(date(2025, 3, 30), None, PARIS).seconds == 23 * 3600
    assert day_period(date(2025, 10, 26), None, PARIS).seconds == 25 * 3600
    week = day_period(date(2025, 6, 2), date(2025, 6, 8), PARIS)
    assert (week.start, week.end) == (utc(2025, 6, 1, 22), utc(2025, 6, 8, 22))
    with pytest.raises(PeriodError):
        day_period(date(2025, 6, 2), date(2025, 6, 1), PARIS)


def test_occurrences_cover_a_range_back_to_back() -> None:
    found = list(occurrences(SETTINGS, PARIS, utc(2025, 3, 29, 12), utc(2025, 3, 30, 12)))
    assert [(o.shift.id, o.day.day) for o in found] == [
        ("matin", 29), ("apres-midi", 29), ("nuit", 29), ("matin", 30),
    ]  # fmt: skip
    for before, after in pairwise(found):
        assert before.period.end == after.period.start
    assert found[2].label() == "Nuit du samedi 29 mars 2025 (22:00–06:00)"


def test_shift_at_and_last_completed() -> None:
    now = utc(2025, 6, 2, 3, 30)  # 05:30 local: still the night of the 1st
    current = shift_at(SETTINGS, PARIS, now)
    assert current is not None and (current.shift.id, current.day) == ("nuit", date(2025, 6, 1))
    done = last_completed(SETTINGS, PARIS, now)
    assert done is not None and (done.shift.id, done.day) == ("apres-midi", date(2025, 6, 1))
    gap = ShiftSettings((Shift("jour", "Jour", time(8), time(18)),))
    assert shift_at(gap, PARIS, now) is None


def test_a_period_needs_aware_ordered_ends() -> None:
    with pytest.raises(PeriodError):
        Period(datetime(2025, 1, 1), datetime(2025, 1, 2))
    with pytest.raises(PeriodError):
        Period(utc(2025, 1, 2), utc(2025, 1, 1))
    local = Period(datetime(2025, 6, 2, 6, tzinfo=PARIS), datetime(2025, 6, 2, 14, tzinfo=PARIS))
    assert local.start == utc(2025, 6, 2, 4)  # kept in UTC
    assert local.label(PARIS) == "du lundi 2 juin 2025 06:00 au lundi 2 juin 2025 14:00"
    assert long_datetime(utc(2025, 12, 31, 23, 30), PARIS) == "jeudi 1 janvier 2026 00:30"


def test_review_filter() -> None:
    occurrence = next(iter(occurrences(SETTINGS, PARIS, utc(2025, 6, 2, 5), utc(2025, 6, 2, 6))))
    f = ReviewFilter.for_shift(occurrence, categories=["rixe"], priorities={1, 2})
    assert isinstance(f.categories, frozenset) and f.narrows_alerts
    assert not ReviewFilter.for_shift(occurrence).narrows_alerts
    g = f.narrowed(zones=frozenset({"nord"}), outcomes=frozenset({NO_OUTCOME}))
    assert g.to_details() == {
        "start": "2025-06-02T04:00:00.000+00:00",
        "end": "2025-06-02T12:00:00.000+00:00",
        "categories": ["rixe"],
        "priorities": [1, 2],
        "zones": ["nord"],
        "outcomes": [""],
    }
    assert g.describe(PARIS, {"nord": "Secteur Nord"}) == (
        "Période du lundi 2 juin 2025 06:00 au lundi 2 juin 2025 14:00 ; catégories : Rixe ; "
        "priorités : Urgente, Haute ; zones : Secteur Nord ; issues : Sans intervention terminée"
    )
    with pytest.raises(PeriodError):
        ReviewFilter(utc(2025, 1, 2), utc(2025, 1, 2))
    assert f.period == Period(f.start, f.end) and f.period.contains(f.start)
    assert not f.period.contains(f.end) and f.end - f.start == timedelta(hours=8)


# --- [shifts] -----------------------------------------------------------------------


def test_the_demo_site_has_the_three_default_shifts() -> None:
    assert load_site(default_config_dir()).shifts == ShiftSettings(DEFAULT_SHIFTS)


def site_with(tmp_path: Path, toml: str) -> tuple[object, list[str]]:
    target = tmp_path / "config"
    if not target.exists():
        shutil.copytree(default_config_dir(), target)
    (target / "site.toml").write_text(toml + "\n", encoding="utf-8")
    site, problems = check_site(target)
    return site, [str(p) for p in problems]


def test_shifts_from_the_file(tmp_path: Path) -> None:
    site, problems = site_with(
        tmp_path,
        '[shifts]\nperiods = [{ id = "jour", name = "Jour", start = "07:30", end = 19:30:00 },'
        ' { id = "nuit", start = "19:30", end = "07:30" }]',
    )
    assert problems == []
    assert site.shifts == ShiftSettings(
        (Shift("jour", "Jour", time(7, 30), time(19, 30)),
         Shift("nuit", "nuit", time(19, 30), time(7, 30)))
    )  # fmt: skip
    _site, none = site_with(tmp_path, "")
    assert none == []


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ("[]", "liste de vacations { id, name, start, end } attendue"),
        ('"matin"', "liste de vacations"),
        ('[{ id = "m", start = "6h", end = "14:00" }]',
         "vacation 1 (m) : start : heure locale HH:MM attendue (ex. « 06:00 »), reçu \"6h\""),
        ('[{ id = "m", start = "24:00", end = "14:00" }]', "start : heure locale HH:MM"),
        ('[{ start = "06:00", end = "14:00" }]', "vacation 1 : id : texte non vide attendu"),
        ('[{ id = "m", start = "06:00", end = "06:00" }]', "début et fin identiques"),
        ('[{ id = "m", start = "06:00", end = "14:00" }, { id = "m", start = "14:00",'
         ' end = "22:00" }]', "vacation 2 (m) : identifiant en double"),
        ('[{ id = "m", start = "06:00", end = "14:00", debut = "x" }]', "clé « debut » inconnue"),
        ('["matin"]', "vacation 1 : table { id, name, start, end } attendue"),
    ],
)  # fmt: skip
def test_bad_shifts_are_reported(tmp_path: Path, periods: str, message: str) -> None:
    _site, problems = site_with(tmp_path, f"[shifts]\nperiods = {periods}")
    assert len(problems) == 1 and "[shifts]" in problems[0], problems
    assert message in problems[0]


def test_a_misspelt_shifts_section_gets_a_hint(tmp_path: Path) -> None:
    _site, problems = site_with(tmp_path, "[vacations]\nperiods = []")
    assert problems == ["site.toml: [vacations]: section inconnue — vouliez-vous dire « shifts » ?"]
