"""Alerts placed from their geometry as they enter the station's alert book (issue 19),
and the station's communes first within each priority — without Qt, on the demo site."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from csu_console.config import default_config_dir, load_site
from csu_console.core.alert_book import AlertBook
from csu_console.core.alert_places import AlertPlaces, secteur_zoning
from csu_console.core.alerts import Alert, AlertState, Category, Location, StoredAlert
from csu_console.core.geo import Area
from csu_console.core.intake import Outcome
from csu_console.core.territory import DEFAULT_ZONINGS, NOWHERE, Territory

T0 = datetime(2025, 1, 15, 8, 0, 0, tzinfo=UTC)
SITE = load_site(default_config_dir())
TERRITORY = SITE.territory
# Points of the demo site (lon, lat).
BOURG = (24.945, 60.167)  # Secteur Centre, Bourg-Centre (démo) 30901
PORT = (24.951, 60.167)  # Secteur Port, Port-Kaisan (démo) 30902
GARE = (24.940, 60.172)  # Secteur Gare, Val-de-Gare (démo) 30903
OUTSIDE = (24.960, 60.180)  # north-east of every zone


def stored(
    pk: int,
    where: tuple[float, float] | None,
    priority: int = 3,
    commune: str = "",
    **kw: Any,
) -> StoredAlert:
    alert = Alert(
        source="vv",
        id=f"A-{pk}",
        sent=T0,
        category=Category.CAMBRIOLAGE,
        priority=priority,
        title=f"Alerte {pk}",
        description="",
        location=Location(where[1], where[0], "1 rue", 10.0) if where else None,
        commune=commune,
        **kw,
    )
    return StoredAlert(
        pk=pk, alert=alert, received_at=T0 + timedelta(seconds=pk), seq=pk, state=AlertState.NEW
    )


def fill(book: AlertBook, items: list[StoredAlert]) -> None:
    book.receive([Outcome(a.seq, "stored", a.alert.id, a) for a in items])
    book.merge_all()


def test_the_commune_and_secteur_come_from_the_geometry_not_the_text() -> None:
    book = AlertBook(territory=TERRITORY)
    # The citizen typed another commune: the position decides, the text is kept.
    item = stored(1, PORT, commune="Val-de-Gare (démo)")
    fill(book, [item])
    placed = book.placement(1)
    assert placed.commune is not None and placed.commune.key == "30902"
    assert placed.commune.name == "Port-Kaisan (démo)"
    assert [z.id for z in placed.in_zoning("secteur_pm")] == ["secteur-port"]
    assert book.rows[0].alert.commune == "Val-de-Gare (démo)"  # kept as reported
    assert book.places is not None
    assert [z.name for z in book.places.secteurs(1)] == ["Secteur Port"]


def test_outside_or_without_position_is_nowhere_and_counts_as_mine() -> None:
    book = AlertBook(territory=TERRITORY, preferred=["30901"])
    fill(book, [stored(1, OUTSIDE), stored(2, None), stored(3, GARE)])
    assert book.placement(1) is NOWHERE and book.placement(2) is NOWHERE
    places = book.places
    assert places is not None
    assert places.is_mine(1) and places.is_mine(2) and not places.is_mine(3)


def test_a_cap_alert_without_point_is_placed_by_its_area() -> None:
    square = ((24.950, 60.166), (24.952, 60.166), (24.952, 60.168), (24.950, 60.168))
    area = Area((((*square, square[0]),),))
    book = AlertBook(territory=TERRITORY)
    fill(book, [stored(1, None, area=area)])
    placed = book.placement(1)
    assert placed.commune is not None and placed.commune.key == "30902"


def test_each_alert_is_placed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    place = Territory.place

    def counting(self: Territory, *args: Any) -> Any:
        calls.append(args)
        return place(self, *args)

    monkeypatch.setattr(Territory, "place", counting)
    book = AlertBook(territory=TERRITORY)
    items = [stored(1, PORT), stored(2, GARE)]
    fill(book, items)
    for _ in range(5):  # states change, rows are shown again and again: no new placing
        book.apply_stored(items[0])
        book.placement(1)
    book.queue(items)  # a duplicate (the database's load racing the link)
    book.merge_all()
    assert len(calls) == 2


def test_station_communes_first_within_each_priority() -> None:
    """Urgency first, then the station's communes: another commune's urgent alert
    stays above this station's routine ones."""
    book = AlertBook(territory=TERRITORY, preferred=["30901"])
    mine_p4 = stored(1, BOURG, priority=4)
    other_p1 = stored(2, GARE, priority=1)
    other_p3 = stored(3, PORT, priority=3)
    mine_p3 = stored(4, BOURG, priority=3)
    outside_p3 = stored(5, OUTSIDE, priority=3)
    other_p3_newer = stored(6, GARE, priority=3)
    fill(book, [mine_p4, other_p1, other_p3, mine_p3, outside_p3, other_p3_newer])
    # P1 elsewhere on top; among P3: mine and hors territoire (newest first), then others.
    assert [a.pk for a in book.rows] == [2, 5, 4, 6, 3, 1]
    # A supervisor: every commune alike (newest first within a priority).
    assert book.set_preferred(False) and book.unsorted
    book.relayout()
    assert [a.pk for a in book.rows] == [2, 6, 5, 4, 3, 1]
    assert not book.set_preferred(False)  # already so
    assert book.set_preferred(True)
    book.relayout()
    assert [a.pk for a in book.rows] == [2, 5, 4, 6, 3, 1]


def test_no_station_communes_no_preference() -> None:
    book = AlertBook(territory=TERRITORY)
    fill(book, [stored(1, BOURG), stored(2, GARE)])
    assert [a.pk for a in book.rows] == [2, 1]
    assert not book.set_preferred(True) and not book.prefers_mine


def test_secteur_zoning_is_the_first_declared_other_than_communes() -> None:
    assert secteur_zoning(TERRITORY) == "secteur_pm"
    assert secteur_zoning(Territory(SITE.zones, DEFAULT_ZONINGS)) == "secteur_pm"
    places = AlertPlaces(Territory(SITE.zones, SITE.zonings[2:]))  # only « commune »
    assert places.secteur_zoning is None
    places.place(stored(1, PORT))
    assert places.secteurs(1) == ()
