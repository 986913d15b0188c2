"""Two communes of an intercommunal CSU and their alerts, written through the
store's own API: the data of the review-by-commune and per-commune report tests.

Territory (boxes, lon/lat): Montbéliard (25388) drawn as a commune outline with a
« Secteur Gare » and an îlot « Les Halles » of a site-declared zoning « Îlots de
vidéoprotection »; Audincourt (25031) drawn only by its « Secteur Centre » and
« Secteur Sud » (no outline of its own).

Monday 2 June 2025 (Paris); the previous day is the comparison period.

=====  =====  ============  ====  ===========  ==================  =========================
alert  day    category      prio  lies in      citizen typed       story (UTC)
=====  =====  ============  ====  ===========  ==================  =========================
M0     1 Jun  dégradation   3     Mont., Gare  Montbéliard         (previous day)
M1     2 Jun  dégradation   3     Mont., Gare  **Audincourt**      ack 08:00:40 (40 s)
M2     2 Jun  cambriolage   2     Mont., îlot  Montbéliard         ack 30 s, Alpha 120 s,
                                                                   « interpellation », closed
A0     1 Jun  incendie      1     Aud., Sud    Audincourt          (previous day)
A1     2 Jun  incendie      1     Aud., Centre **Montbéliard**     ack 20 s
A2     2 Jun  animal perdu  4     Aud., Sud    Audincourt          closed unread
X1     2 Jun  rixe          1     outside      Montbéliard         never in a commune
=====  =====  ============  ====  ===========  ==================  =========================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from csu_console.config.schema import SiteConfig, SiteInfo, Zone
from csu_console.core.alerts import Alert, AlertState, Category, Location, Reporter
from csu_console.core.dispatch import Outcome, Unit, plan_dispatch, plan_end, unit_statuses
from csu_console.core.geo import Area
from csu_console.core.protocol import AlertMessage
from csu_console.core.review.period import Period, day_period
from csu_console.core.review.places import ReviewZones
from csu_console.core.states import Actor, plan
from csu_console.core.territory import DEFAULT_ZONINGS, Zoning
from csu_console.storage.store import Store

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2025, 6, 2, tzinfo=UTC)
PERIOD: Period = day_period(date(2025, 6, 2), None, PARIS)
ME = Actor("poste-1", "durand")
ALPHA = Unit("pm-alpha-1", "Alpha 1")
MONTBELIARD, AUDINCOURT = "25388", "25031"


def box(lon0: float, lat0: float, lon1: float, lat1: float) -> Area:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return Area.from_geojson({"type": "Polygon", "coordinates": [ring]})


ZONINGS = (*DEFAULT_ZONINGS, Zoning("commune", "Communes", "#333333"),
           Zoning("ilot", "Îlots de vidéoprotection", "#e65100"))  # fmt: skip
ZONE_LIST = (
    Zone("c-mont", "Montbéliard", "Montbéliard", "commune", box(6.77, 47.49, 6.82, 47.53),
         MONTBELIARD),
    Zone("s-gare", "Secteur Gare", "Montbéliard", "secteur_pm", box(6.79, 47.505, 6.81, 47.52),
         MONTBELIARD),
    Zone("i-halles", "Les Halles", "Montbéliard", "ilot", box(6.778, 47.498, 6.789, 47.504),
         MONTBELIARD),
    Zone("s-centre", "Secteur Centre", "Audincourt", "secteur_pm",
         box(6.83, 47.48, 6.86, 47.495), AUDINCOURT),
    Zone("s-sud", "Secteur Sud", "Audincourt", "secteur_pm", box(6.83, 47.465, 6.86, 47.48),
         AUDINCOURT),
)  # fmt: skip
ZONES = ReviewZones(ZONE_LIST, ZONINGS)
SITE = SiteConfig(
    config_dir=Path("."),
    site=SiteInfo(name="CSU Pays de Montbéliard", commune="Montbéliard",
                  timezone="Europe/Paris"),
    zones=ZONE_LIST,
    zonings=ZONINGS,
)  # fmt: skip
GARE, HALLES = (6.80, 47.51), (6.785, 47.501)
CENTRE, SUD, OUTSIDE = (6.845, 47.49), (6.845, 47.47), (7.5, 47.0)


@dataclass
class Communes:
    """Alert pks by the names of the table above."""

    pks: dict[str, int]

    def names(self, pks: object) -> list[str]:
        by_pk = {pk: name for name, pk in self.pks.items()}
        return sorted(by_pk[pk] for pk in pks)  # type: ignore[attr-defined]


def t(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, second, tzinfo=UTC)


def add(store: Store, name: str, category: Category, priority: int, at: datetime,
        where: tuple[float, float], typed: str) -> int:  # fmt: skip
    alert = Alert(
        "plateforme", name, at, category, priority, title=f"Alerte {name} chez M. Dupont",
        description="Mon voisin Jean Dupont, 06 11 22 33 44",
        location=Location(where[1], where[0], f"12 rue Dupont {name}"), commune=typed,
        reporter=Reporter(f"citoyen-{name}", True),
    )  # fmt: skip
    [out] = store.commit_batch([AlertMessage(store.count("alerts") + 1, alert)], "poste-1", at)
    assert out.stored is not None
    return out.stored.pk


def move(store: Store, pk: int, target: AlertState, at: datetime) -> None:
    assert store.apply_transition(pk, plan(store.claim(pk), ME, target, at))


def build(store: Store) -> Communes:
    """The data set of the module docstring."""
    store.set_timezone("Europe/Paris")
    p: dict[str, int] = {}
    p["M0"] = add(store, "M0", Category.DEGRADATION, 3, t(1, 9), GARE, "Montbéliard")
    p["A0"] = add(store, "A0", Category.INCENDIE, 1, t(1, 10), SUD, "Audincourt")
    p["M1"] = add(store, "M1", Category.DEGRADATION, 3, t(2, 8), GARE, "Audincourt")
    move(store, p["M1"], AlertState.ACKNOWLEDGED, t(2, 8, 0, 40))
    p["M2"] = add(store, "M2", Category.CAMBRIOLAGE, 2, t(2, 9), HALLES, "Montbéliard")
    move(store, p["M2"], AlertState.ACKNOWLEDGED, t(2, 9, 0, 30))
    states = unit_statuses((ALPHA,), store.unit_events())
    engaged = plan_dispatch(ALPHA, states, p["M2"], store.claim(p["M2"]), ME, t(2, 9, 2))
    assert store.record_dispatch(p["M2"], engaged, ME.station, ME.operator)
    states = unit_statuses((ALPHA,), store.unit_events())
    ended = plan_end(ALPHA, states, p["M2"], Outcome.INTERPELLATION, "")
    store.add_event("dispatch_ended", p["M2"], "poste-1", "durand", ended, t(2, 9, 30))
    move(store, p["M2"], AlertState.CLOSED, t(2, 9, 40))
    p["A1"] = add(store, "A1", Category.INCENDIE, 1, t(2, 11), CENTRE, "Montbéliard")
    move(store, p["A1"], AlertState.ACKNOWLEDGED, t(2, 11, 0, 20))
    p["A2"] = add(store, "A2", Category.ANIMAL_PERDU, 4, t(2, 12), SUD, "Audincourt")
    move(store, p["A2"], AlertState.CLOSED, t(2, 12, 5))
    p["X1"] = add(store, "X1", Category.RIXE, 1, t(2, 13), OUTSIDE, "Montbéliard")
    return Communes(p)
