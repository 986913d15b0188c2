"""The territory contract: communes and secteurs from the geometry."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csu_console.core.geo import Area
from csu_console.core.territory import COMMUNE_ZONING, NOWHERE, Commune, Territory


@dataclass(frozen=True)
class _Zone:
    id: str
    name: str
    commune: str
    zoning: str
    area: Area
    insee: str = ""


def _square(x0: float, y0: float, x1: float, y1: float) -> Area:
    return Area(((((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)),),))


ZONES = (
    _Zone("s-nord", "Secteur Nord", "Audincourt", "secteur_pm", _square(0, 1, 2, 2), "25031"),
    _Zone("s-sud", "Secteur Sud", "Montbéliard", "secteur_pm", _square(0, 0, 2, 1), "25388"),
    _Zone("c-mont", "Montbéliard", "Montbéliard", COMMUNE_ZONING, _square(0, 0, 2, 1.5), "25388"),
)


def test_commune_comes_from_the_commune_zoning_before_other_zones() -> None:
    territory = Territory(ZONES)
    placed = territory.place(1.0, 1.2)  # in Secteur Nord (Audincourt) and Montbéliard's outline
    assert placed.commune == Commune("25388", "Montbéliard")
    assert placed.zone_ids == ("s-nord", "c-mont")
    assert [z.id for z in placed.in_zoning("secteur_pm")] == ["s-nord"]
    assert territory.place(1.0, 1.8).commune == Commune("25031", "Audincourt")


def test_outside_every_zone_is_nowhere_and_area_alerts_are_placed_by_their_area() -> None:
    territory = Territory(ZONES)
    assert territory.place(5.0, 5.0) is NOWHERE
    assert territory.place(None, None) is NOWHERE
    placed = territory.place(None, None, _square(1.5, 1.6, 3.0, 3.0))
    assert placed.zone_ids == ("s-nord",)


def test_place_many_matches_place_one_by_one() -> None:
    territory = Territory(ZONES)
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(-0.5, 2.5, 500), rng.uniform(-0.5, 2.5, 500)
    lon[3] = np.nan
    many = territory.place_many(lon, lat)
    for i in range(500):
        one = territory.place(None if np.isnan(lon[i]) else float(lon[i]), float(lat[i]))
        assert many[i] == one
    assert [c.key for c in territory.communes] == ["25031", "25388"]
    assert territory.commune("Montbéliard") == Commune("25388", "Montbéliard")
