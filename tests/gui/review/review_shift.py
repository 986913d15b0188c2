"""A known morning shift written through the store's own API (real SQLite file,
real storage thread), and the review window on it.

« matin » of Monday 2 June 2025, 06:00–14:00 Paris = 04:00–12:00 UTC. Zones: « nord »
(lat 48.5–49) and « sud » (lat 48–48.5).

=====  ========  ============  ====  =====  ============================================
alert  received  category      prio  zone   story (UTC)
=====  ========  ============  ====  =====  ============================================
B0     03:00     cambriolage   2     nord   before the shift (never counted)
B1     04:10     rixe          1     nord   ack 04:10:30 (30 s); Alpha 04:12 (120 s);
                                            ended « interpellation » 04:40; closed 04:45
B2     04:40     cambriolage   2     sud    ack 04:42 (120 s); closed 05:00
B3     05:05     cambriolage   2     nord   ack 05:05:20 (20 s); still open at 12:00
B4     05:30     dégradation   3     sud    ack martin 05:40 (600 s); closed 06:00
B5     07:15     rixe          1     nord   ack 07:16 (60 s); Bravo 07:20 (300 s), engaged
B6     07:50     animal perdu  4     –      closed unread by martin 08:00
B9     12:30     rixe          1     nord   after the shift (never counted)
=====  ========  ============  ====  =====  ============================================

Reporters are « citoyen-B1 »… A mute of 120 s at 05:00 on poste-1 (durand).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from csu_console.config.schema import SiteConfig, SiteInfo, Zone
from csu_console.core.alerts import Alert, AlertState, Category, Location, Reporter
from csu_console.core.dispatch import Outcome, Unit, plan_dispatch, plan_end, unit_statuses
from csu_console.core.geo import Area
from csu_console.core.protocol import AlertMessage
from csu_console.core.states import Actor, plan
from csu_console.storage.store import Store

DAY = datetime(2025, 6, 2, tzinfo=UTC)
NOW = datetime(2025, 6, 2, 13, 0, tzinfo=UTC)  # 15:00 Paris: the morning shift is over
STATION = "poste-1"
DURAND, MARTIN = Actor(STATION, "durand"), Actor("poste-2", "martin")
ALPHA, BRAVO = Unit("pm-alpha-1", "Alpha 1"), Unit("pm-bravo", "Bravo")
NORD_AT, SUD_AT = (2.2, 48.7), (2.2, 48.2)


def t(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


def box(lon0: float, lat0: float, lon1: float, lat1: float) -> Area:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return Area.from_geojson({"type": "Polygon", "coordinates": [ring]})


SITE = SiteConfig(
    config_dir=Path("."),
    site=SiteInfo(name="CSU de test", commune="Ville", timezone="Europe/Paris"),
    zones=(
        Zone("nord", "Secteur Nord", "Ville", "secteur_pm", box(2.0, 48.5, 2.5, 49.0)),
        Zone("sud", "Secteur Sud", "Ville", "secteur_pm", box(2.0, 48.0, 2.5, 48.5)),
    ),
)


@dataclass
class Data:
    """Alert pks by the names of the table above."""

    pks: dict[str, int]

    def names(self, pks: object) -> list[str]:
        by_pk = {pk: name for name, pk in self.pks.items()}
        return sorted(by_pk[pk] for pk in pks)  # type: ignore[attr-defined]


def add(store: Store, name: str, category: Category, priority: int, at: datetime,
        where: tuple[float, float] | None) -> int:  # fmt: skip
    alert = Alert(
        "plateforme", name, at, category, priority, title=f"Alerte {name}",
        location=Location(where[1], where[0], f"{name} rue de la Paix") if where else None,
        commune="Ville", reporter=Reporter(f"citoyen-{name}", True),
    )  # fmt: skip
    [out] = store.commit_batch([AlertMessage(store.count("alerts") + 1, alert)], STATION, at)
    assert out.stored is not None
    return out.stored.pk


def move(store: Store, pk: int, who: Actor, target: AlertState, at: datetime) -> None:
    assert store.apply_transition(pk, plan(store.claim(pk), who, target, at))


def engage(store: Store, pk: int, unit: Unit, at: datetime) -> None:
    states = unit_statuses((ALPHA, BRAVO), store.unit_events())
    p = plan_dispatch(unit, states, pk, store.claim(pk), DURAND, at)
    assert p.allowed, p.message
    assert store.record_dispatch(pk, p, DURAND.station, DURAND.operator)


def build(store: Store) -> Data:
    """The data set of the module docstring."""
    store.set_timezone("Europe/Paris")
    p: dict[str, int] = {}
    p["B0"] = add(store, "B0", Category.CAMBRIOLAGE, 2, t(3), NORD_AT)
    p["B1"] = add(store, "B1", Category.RIXE, 1, t(4, 10), NORD_AT)
    move(store, p["B1"], DURAND, AlertState.ACKNOWLEDGED, t(4, 10, 30))
    engage(store, p["B1"], ALPHA, t(4, 12))
    states = unit_statuses((ALPHA, BRAVO), store.unit_events())
    ended = plan_end(ALPHA, states, p["B1"], Outcome.INTERPELLATION, "")
    store.add_event("dispatch_ended", p["B1"], STATION, "durand", ended, t(4, 40))
    move(store, p["B1"], DURAND, AlertState.CLOSED, t(4, 45))
    p["B2"] = add(store, "B2", Category.CAMBRIOLAGE, 2, t(4, 40), SUD_AT)
    move(store, p["B2"], DURAND, AlertState.ACKNOWLEDGED, t(4, 42))
    move(store, p["B2"], DURAND, AlertState.CLOSED, t(5))
    store.add_event("muted", None, STATION, "durand", {"seconds": 120}, t(5))
    p["B3"] = add(store, "B3", Category.CAMBRIOLAGE, 2, t(5, 5), NORD_AT)
    move(store, p["B3"], DURAND, AlertState.ACKNOWLEDGED, t(5, 5, 20))
    p["B4"] = add(store, "B4", Category.DEGRADATION, 3, t(5, 30), SUD_AT)
    move(store, p["B4"], MARTIN, AlertState.ACKNOWLEDGED, t(5, 40))
    move(store, p["B4"], MARTIN, AlertState.CLOSED, t(6))
    p["B5"] = add(store, "B5", Category.RIXE, 1, t(7, 15), NORD_AT)
    move(store, p["B5"], DURAND, AlertState.ACKNOWLEDGED, t(7, 16))
    engage(store, p["B5"], BRAVO, t(7, 20))
    p["B6"] = add(store, "B6", Category.ANIMAL_PERDU, 4, t(7, 50), None)
    move(store, p["B6"], MARTIN, AlertState.CLOSED, t(8))
    p["B9"] = add(store, "B9", Category.RIXE, 1, t(12, 30), NORD_AT)
    return Data(p)
