"""The room during a period (csu_console.core.review.activity): muted minutes (a
second mute restarts the silence, spans clipped to the period), camera outages,
operators' load, units still engaged — expected values worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from csu_console.core.review.activity import (
    CameraOutage,
    MutePeriod,
    camera_outages,
    mute_periods,
    muted_seconds,
    open_dispatches,
    operator_load,
)
from csu_console.core.review.period import Period
from csu_console.core.review.rows import CameraBack, MuteEvent, OutageAlert, UnitStep

T = datetime(2025, 6, 2, 4, 0, tzinfo=UTC)
PERIOD = Period(T, T + timedelta(hours=8))


def at(minutes: float) -> datetime:
    return T + timedelta(minutes=minutes)


def test_mutes_restart_merge_and_clip() -> None:
    events = [
        MuteEvent(at(60), "poste-1", "durand", 120),  # 05:00 – would end 05:02
        MuteEvent(at(61), "poste-1", "durand", 120),  # again at 05:01: ends 05:03
        MuteEvent(at(-1), "poste-2", "martin", 120),  # 03:59 – 04:01: 1 min inside
        MuteEvent(at(90), "poste-2", "martin", 300),  # 05:30 – 05:35
        MuteEvent(at(92), "poste-2", "leroy", 60),  # again at 05:32, shorter: ends 05:33
        MuteEvent(at(479), "poste-3", None, 120),  # 11:59 – clipped at 12:00
        MuteEvent(at(-30), "poste-3", None, 120),  # long over before the period
    ]
    periods = mute_periods(events, PERIOD)
    assert periods == [
        MutePeriod(at(0), at(1), "poste-2", ("martin",)),
        MutePeriod(at(60), at(63), "poste-1", ("durand",)),
        MutePeriod(at(90), at(93), "poste-2", ("martin", "leroy")),
        MutePeriod(at(479), at(480), "poste-3", ()),
    ]
    assert muted_seconds(periods) == (1 + 3 + 3 + 1) * 60


def test_no_mute() -> None:
    assert mute_periods([], PERIOD) == []


def test_camera_outages_end_at_the_next_return() -> None:
    alerts = [
        OutageAlert(10, "cam-07", "Place", at(240), at(245)),  # 08:00, back 09:00
        OutageAlert(11, "cam-03", "Gare", at(450), at(455)),  # 11:30, never back
        OutageAlert(12, "cam-07", "Place", at(-600), at(-595)),  # the day before, back then
        OutageAlert(13, "cam-09", "Parc", at(-60), at(-55)),  # 03:00, back 04:30
    ]
    backs = [
        CameraBack(at(-500), "cam-07"),
        CameraBack(at(300), "cam-07"),
        CameraBack(at(30), "cam-09"),
        CameraBack(at(100), "cam-99"),
    ]
    found = camera_outages(alerts, backs, PERIOD)
    assert found == [
        CameraOutage("cam-09", "Parc", at(-60), at(30), 13),
        CameraOutage("cam-07", "Place", at(240), at(300), 10),
        CameraOutage("cam-03", "Gare", at(450), None, 11),
    ]
    assert [o.seconds_in(PERIOD) / 60 for o in found] == [30, 60, 30]
    assert [o.down_at(PERIOD.end - timedelta(microseconds=1)) for o in found] == [
        False,
        False,
        True,
    ]


def test_operator_load_drops_events_without_operator() -> None:
    load = operator_load(
        [
            ("durand", "acknowledged", 3),
            ("martin", "acknowledged", 5),
            ("durand", "closed", 4),
            (None, "received", 40),
            ("", "received", 1),
        ]
    )
    assert load == {"durand": {"acknowledged": 3, "closed": 4}, "martin": {"acknowledged": 5}}
    assert list(load) == ["durand", "martin"]  # 7 events before 5


def step(pk: int, minutes: float, kind: str, alert: int, unit: str = "alpha") -> UnitStep:
    return UnitStep(pk, at(minutes), kind, alert, unit, unit.title())


def test_units_still_engaged_at_the_end() -> None:
    steps = [
        step(1, 10, "dispatched", 100),
        step(2, 20, "on_site", 100),
        step(3, 40, "dispatch_ended", 100),  # alpha free again
        step(4, 470, "dispatched", 105),  # alpha engaged at 11:50
        step(5, 100, "dispatched", 101, "bravo"),
        step(6, 110, "on_site", 101, "bravo"),  # bravo on site since 05:50
        step(7, 200, "dispatched", 102, "cyno"),
        step(8, 300, "dispatched", 103, "cyno"),  # cyno moved elsewhere: 102 done
        step(9, 500, "dispatch_ended", 105),  # after the end: not counted
        step(10, 250, "on_site", 102, "delta"),  # on site without a dispatch: ignored
    ]
    found = open_dispatches(steps, PERIOD.end)
    assert [(d.alert_pk, d.unit, d.stage, d.since) for d in found] == [
        (101, "bravo", "on_site", at(110)),
        (103, "cyno", "dispatched", at(300)),
        (105, "alpha", "dispatched", at(470)),
    ]
    assert found[0].unit_name == "Bravo"


def test_sound_back_early_ends_the_mute_there() -> None:
    """« Son rétabli » after 6 s: 6 s of silence, not the 2 min asked for."""
    events = [
        MuteEvent(at(60), "poste-1", "durand", 120),
        MuteEvent(at(60.1), "poste-1", "durand", 0, unmute=True),  # 6 s later
        MuteEvent(at(90), "poste-2", "martin", 120),
        MuteEvent(at(90.5), "poste-1", "durand", 0, unmute=True),  # another station's
        MuteEvent(at(200), "poste-1", "leroy", 0, unmute=True),  # nothing to end
    ]
    periods = mute_periods(events, PERIOD)
    assert periods == [
        MutePeriod(at(60), at(60.1), "poste-1", ("durand",)),
        MutePeriod(at(90), at(92), "poste-2", ("martin",)),
    ]
    assert periods[0].seconds == pytest.approx(6.0)
