"""The supervisor review on a real database (csu_console.storage.review and
review_load): a morning shift built through the store's own API — alerts from the
gateway, acknowledgements, dispatches, corrections, mutes, camera outages — then
every indicator compared with the value worked out by hand below.

The shift: 2 June 2025, « matin » 06:00–14:00 Paris = 04:00–12:00 UTC.

=====  ========  ======================  ==================================================
alert  received  what                    story (UTC)
=====  ========  ======================  ==================================================
A7     03:00     cambriolage P2, nord    ack durand 03:05; closed 12:30 (after the shift)
A8     03:30     dégradation P3          ack durand 03:31; closed durand 04:30
A1     04:10     rixe P1, nord           ack 04:10:30 (30 s); Alpha 04:12 (120 s); on site
                                         04:20; ended « interpellation » 04:40; closed 04:45
A2     05:00     cambriolage P2, sud     escalated 05:01; ack martin 05:02 (120 s); closed 05:30
A3     06:00     dégradation P3, nord    ack 06:00:10 (10 s); Bravo 06:05 (300 s); ended « rien
                                         à signaler » 06:30, corrected « verbalisation »; closed
A4     07:00     animal perdu P4         closed unread by martin 07:01
CAM7   08:05     camera down since 08:00 back 09:00; alert closed unread by martin 09:05
CAM3   11:35     camera down since 11:30 never back, alert left open
A5     11:50     incendie P1, nord       ack 11:50:20 (20 s); Alpha 11:55 (300 s): still there
A6     11:59     accident P1             ack martin 12:05 (360 s, after the shift)
A9     12:10     rixe P1                 after the shift
=====  ========  ======================  ==================================================

Mutes: poste-1 120 s at 05:00 and again at 05:01 (05:00–05:03), poste-2 120 s at
03:59 (04:00–04:01 inside the shift): 4 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from csu_console.config.schema import Zone
from csu_console.core.alerts import Alert, AlertState, Category, Location, Reporter
from csu_console.core.camera_health import Outage, outage_alert
from csu_console.core.dispatch import (
    Outcome,
    Unit,
    plan_dispatch,
    plan_end,
    plan_on_site,
    unit_statuses,
)
from csu_console.core.geo import Area
from csu_console.core.logbook import correction_details
from csu_console.core.protocol import AlertMessage
from csu_console.core.review.digest import Review
from csu_console.core.review.filter import NO_OUTCOME, ReviewFilter
from csu_console.core.review.places import ReviewZones
from csu_console.core.review.shifts import DEFAULT_SHIFTS, shift_period
from csu_console.core.review.stats import DelayStats
from csu_console.core.states import Actor, plan
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_load import load_review
from csu_console.storage.store import Store

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2025, 6, 2, tzinfo=UTC)
SHIFT = shift_period(DEFAULT_SHIFTS[0], date(2025, 6, 2), PARIS)
DURAND, MARTIN = Actor("poste-1", "durand"), Actor("poste-2", "martin")
ALPHA, BRAVO = Unit("pm-alpha-1", "Alpha 1"), Unit("pm-bravo", "Bravo")
UNITS = (ALPHA, BRAVO)


def box(lon0: float, lat0: float, lon1: float, lat1: float) -> Area:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return Area.from_geojson({"type": "Polygon", "coordinates": [ring]})


#: Nord lies in the commune « Ville » (no INSEE code), Sud in « Bourg » (01053):
#: the review places alerts in their communes from these zones (issue 19).
ZONES = ReviewZones(
    [
        Zone("nord", "Nord", "Ville", "secteur_pm", box(2.0, 48.5, 2.5, 49.0)),
        Zone("sud", "Sud", "Bourg", "secteur_pm", box(2.0, 48.0, 2.5, 48.5), "01053"),
    ]
)
NORD, SUD, NOWHERE = (2.2, 48.7), (2.2, 48.2), (3.0, 48.7)


def t(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


@dataclass
class Shift:
    """The pks of the data set, by the names of the table above."""

    pks: dict[str, int]
    ended_a3: int


def add(
    store: Store,
    name: str,
    category: Category,
    priority: int,
    at: datetime,
    where: tuple[float, float] | None,
    commune: str | None = "Ville",
) -> int:
    location = Location(where[1], where[0]) if where else None
    alert = Alert(
        "plateforme", name, at, category, priority, title=f"Alerte {name}", location=location,
        commune=commune, reporter=Reporter(f"citoyen-{name}", True),
    )  # fmt: skip
    [out] = store.commit_batch([AlertMessage(store.count("alerts") + 1, alert)], "poste-1", at)
    assert out.stored is not None
    return out.stored.pk


def move(store: Store, pk: int, who: Actor, target: AlertState, at: datetime) -> None:
    assert store.apply_transition(pk, plan(store.claim(pk), who, target, at))


def dispatch(store: Store, pk: int, unit: Unit, at: datetime) -> None:
    states = unit_statuses(UNITS, store.unit_events())
    p = plan_dispatch(unit, states, pk, store.claim(pk), DURAND, at)
    assert p.allowed, p.message
    assert store.record_dispatch(pk, p, DURAND.station, DURAND.operator)


def finish(store: Store, pk: int, unit: Unit, on_site: datetime, end: datetime, o: Outcome) -> int:
    states = unit_statuses(UNITS, store.unit_events())
    store.add_event("on_site", pk, "poste-1", "durand", plan_on_site(unit, states, pk), on_site)
    states = unit_statuses(UNITS, store.unit_events())
    details = plan_end(unit, states, pk, o, "")
    return store.add_event("dispatch_ended", pk, "poste-1", "durand", details, end)


def camera_down(store: Store, camera: str, down: datetime, raised: datetime) -> int:
    outage = Outage(camera, 0.0, down, raised=True)
    alert = outage_alert(outage, camera.upper(), NOWHERE[0], NOWHERE[1], "poste-1", raised)
    [out] = store.commit_batch([AlertMessage(None, alert)], "poste-1", raised)
    assert out.stored is not None
    return out.stored.pk


def build(store: Store) -> Shift:
    """The data set of the module docstring, in time order."""
    store.set_timezone("Europe/Paris")
    p: dict[str, int] = {}
    p["A7"] = add(store, "A7", Category.CAMBRIOLAGE, 2, t(3), NORD)
    move(store, p["A7"], DURAND, AlertState.ACKNOWLEDGED, t(3, 5))
    p["A8"] = add(store, "A8", Category.DEGRADATION, 3, t(3, 30), None)
    move(store, p["A8"], DURAND, AlertState.ACKNOWLEDGED, t(3, 31))
    store.add_event("muted", None, "poste-2", "martin", {"seconds": 120}, t(3, 59))
    move(store, p["A8"], DURAND, AlertState.CLOSED, t(4, 30))
    p["A1"] = add(store, "A1", Category.RIXE, 1, t(4, 10), NORD)
    move(store, p["A1"], DURAND, AlertState.ACKNOWLEDGED, t(4, 10, 30))
    dispatch(store, p["A1"], ALPHA, t(4, 12))
    finish(store, p["A1"], ALPHA, t(4, 20), t(4, 40), Outcome.INTERPELLATION)
    move(store, p["A1"], DURAND, AlertState.CLOSED, t(4, 45))
    p["A2"] = add(store, "A2", Category.CAMBRIOLAGE, 2, t(5), SUD, "Bourg")
    store.add_event("muted", None, "poste-1", "durand", {"seconds": 120}, t(5))
    store.add_event("escalated", p["A2"], "poste-1", None, {"to": "chef de salle"}, t(5, 1))
    store.add_event("muted", None, "poste-1", "durand", {"seconds": 120}, t(5, 1))
    move(store, p["A2"], MARTIN, AlertState.ACKNOWLEDGED, t(5, 2))
    move(store, p["A2"], MARTIN, AlertState.CLOSED, t(5, 30))
    p["A3"] = add(store, "A3", Category.DEGRADATION, 3, t(6), (2.3, 48.8))
    move(store, p["A3"], DURAND, AlertState.ACKNOWLEDGED, t(6, 0, 10))
    dispatch(store, p["A3"], BRAVO, t(6, 5))
    ended = finish(store, p["A3"], BRAVO, t(6, 10), t(6, 30), Outcome.RIEN_A_SIGNALER)
    fix = correction_details(ended, "erreur de saisie", outcome=Outcome.VERBALISATION.value)
    store.add_event("correction", p["A3"], "poste-1", "durand", fix, t(6, 35))
    move(store, p["A3"], DURAND, AlertState.CLOSED, t(6, 40))
    p["A4"] = add(store, "A4", Category.ANIMAL_PERDU, 4, t(7), None, None)
    move(store, p["A4"], MARTIN, AlertState.CLOSED, t(7, 1))
    p["CAM7"] = camera_down(store, "cam-07", t(8), t(8, 5))
    store.add_event("camera_online", None, "poste-1", None, {"camera_id": "cam-07"}, t(9))
    move(store, p["CAM7"], MARTIN, AlertState.CLOSED, t(9, 5))
    p["CAM3"] = camera_down(store, "cam-03", t(11, 30), t(11, 35))
    p["A5"] = add(store, "A5", Category.INCENDIE, 1, t(11, 50), (2.4, 48.9))
    move(store, p["A5"], DURAND, AlertState.ACKNOWLEDGED, t(11, 50, 20))
    dispatch(store, p["A5"], ALPHA, t(11, 55))
    p["A6"] = add(store, "A6", Category.ACCIDENT, 1, t(11, 59), NOWHERE)
    move(store, p["A6"], MARTIN, AlertState.ACKNOWLEDGED, t(12, 5))
    p["A9"] = add(store, "A9", Category.RIXE, 1, t(12, 10), NORD)
    move(store, p["A7"], DURAND, AlertState.CLOSED, t(12, 30))
    return Shift(p, ended)


def review(reader: ReviewReader, **filters: object) -> Review:
    return load_review(reader, ReviewFilter.for_period(SHIFT, **filters), ZONES)


def names(data: Shift, rows: object) -> list[str]:
    by_pk = {pk: name for name, pk in data.pks.items()}
    return [by_pk[r.pk] for r in rows]  # type: ignore[attr-defined]


def test_the_shift_is_0400_to_1200_utc() -> None:
    assert (SHIFT.start, SHIFT.end) == (t(4), t(12))


def test_indicators_of_the_shift(reader: ReviewReader, data: Shift) -> None:
    r = review(reader)
    a = r.indicators.alerts
    assert names(data, r.rows) == ["A1", "A2", "A3", "A4", "CAM7", "CAM3", "A5", "A6"]
    assert not r.truncated and a.count == 8
    assert a.by_category == {
        "autre": 2, "rixe": 1, "cambriolage": 1, "degradation": 1, "animal_perdu": 1,
        "incendie": 1, "accident": 1,
    }  # fmt: skip
    assert a.by_priority == {1: 3, 2: 1, 3: 1, 4: 3}
    assert a.by_zone == {"nord": 3, "sud": 1}
    assert a.by_outcome == {NO_OUTCOME: 6, "interpellation": 1, "verbalisation": 1}
    # acknowledged after 10, 20, 30, 120, 360 s: median 30, p90 rank ceil(4.5) = 5th
    assert a.ack == DelayStats(5, 30.0, 360.0, 360.0)
    # dispatched after 120, 300, 300 s: median 300, p90 rank ceil(2.7) = 3rd
    assert a.dispatch == DelayStats(3, 300.0, 300.0, 300.0)
    assert (a.escalated, a.never_acknowledged, a.never_dispatched) == (1, 3, 5)
    assert {h.hour: c for h, c in a.by_hour.items()} == {
        4: {"rixe": 1}, 5: {"cambriolage": 1}, 6: {"degradation": 1}, 7: {"animal_perdu": 1},
        8: {"autre": 1}, 11: {"autre": 1, "incendie": 1, "accident": 1},
    }  # fmt: skip
    ind = r.indicators
    assert ind.muted_s == 240 and ind.muted_by_station() == {"poste-2": 60, "poste-1": 180}
    assert [(o.camera_id, o.seconds_in(SHIFT) / 60) for o in ind.outages] == [
        ("cam-07", 60), ("cam-03", 30),
    ]  # fmt: skip
    assert ind.load == {
        "durand": {
            "acknowledged": 3, "dispatched": 3, "on_site": 2, "dispatch_ended": 2, "closed": 3,
            "correction": 1, "muted": 2,
        },
        "martin": {"acknowledged": 1, "closed": 3},
    }  # fmt: skip
    assert ind.open_at_end == 4


def test_end_of_shift_digest(reader: ReviewReader, data: Shift) -> None:
    d = review(reader).digest
    assert names(data, d.open_alerts) == ["A7", "CAM3", "A5", "A6"]
    states = [a.state_at(SHIFT.end.isoformat(timespec="milliseconds")) for a in d.open_alerts]
    assert states == ["acknowledged", "new", "dispatched", "new"]
    assert [(o.alert_pk, o.unit, o.stage, o.since) for o in d.open_dispatches] == [
        (data.pks["A5"], "pm-alpha-1", "dispatched", t(11, 55))
    ]
    assert [o.camera_id for o in d.cameras_down] == ["cam-03"]
    assert [(m.station, m.start, m.end) for m in d.mutes] == [
        ("poste-2", t(4), t(4, 1)), ("poste-1", t(5), t(5, 3)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"operators": {"martin"}}, ["A2", "A4", "CAM7", "A6"]),
        ({"stations": {"poste-2"}}, ["A2", "A4", "CAM7", "A6"]),
        ({"operators": {"martin", "durand"}, "categories": {"rixe"}}, ["A1"]),
        ({"zones": {"nord"}}, ["A1", "A3", "A5"]),
        ({"zones": {"nord", "sud"}, "priorities": {2}}, ["A2"]),
        ({"outcomes": {"verbalisation"}}, ["A3"]),  # the corrected outcome
        ({"outcomes": {"rien_a_signaler"}}, []),
        ({"outcomes": {NO_OUTCOME}}, ["A2", "A4", "CAM7", "CAM3", "A5", "A6"]),
        ({"categories": {"rixe", "incendie"}}, ["A1", "A5"]),
        ({"priorities": {1}}, ["A1", "A5", "A6"]),
        ({"communes": {"01053"}}, ["A2"]),  # Bourg, from the geometry (typed « Bourg » too)
        ({"communes": {"Ville"}}, ["A1", "A3", "A5"]),  # in Nord: typed « Ville » or nothing
    ],
)
def test_filters(
    reader: ReviewReader, data: Shift, filters: dict[str, object], expected: list[str]
) -> None:
    r = review(reader, **filters)
    assert names(data, r.rows) == expected
    assert r.indicators.alerts.count == len(expected)


def test_filters_narrow_the_open_alerts_and_the_load(reader: ReviewReader, data: Shift) -> None:
    r = review(reader, operators={"martin"})
    assert names(data, r.digest.open_alerts) == ["A6"]
    assert r.indicators.load == {"martin": {"acknowledged": 1, "closed": 3}}
    assert r.indicators.muted_s == 60  # martin's mute only
    assert review(reader, zones={"nord"}).indicators.open_at_end == 2  # A7, A5


def test_rows_beyond_max_rows_still_count(reader: ReviewReader) -> None:
    r = load_review(reader, ReviewFilter.for_period(SHIFT), ZONES, max_rows=3)
    assert len(r.rows) == 3 and r.truncated and r.indicators.alerts.count == 8


def test_progress_reaches_one(reader: ReviewReader) -> None:
    seen: list[float] = []
    load_review(reader, ReviewFilter.for_period(SHIFT), ZONES, progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen) and all(0 <= s <= 1 for s in seen)
