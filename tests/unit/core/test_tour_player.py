"""Free viewing's Qt-free core: a tour's steps, dwell, interruption by an alert and
resumption; layouts and tours validated; the browser's search."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from csu_console.core.viewing import (
    WHOLE_WALL,
    Tour,
    TourPlayer,
    TourState,
    ViewingError,
    WallLayout,
    camera_rows,
    clean_name,
    search,
)

CAMS = ("c1", "c2", "c3", "c4", "c5")


def test_a_tour_in_one_tile_shows_each_camera_for_its_dwell_then_loops() -> None:
    player = TourPlayer(Tour("Centre", CAMS[:3], dwell_s=10), target=0, started_at=100.0)
    assert player.page == ("c1",)
    assert not player.due(109.9)
    assert player.due(110.0)
    assert player.advance(110.0) == ("c2",)
    assert not player.due(119.0)
    assert player.advance(120.0) == ("c3",)
    assert player.advance(130.0) == ("c1",)  # after the last, the first again
    assert player.shown == 4


def test_on_the_whole_wall_a_step_is_a_page_of_columns_squared_cameras() -> None:
    tour = Tour("Ville", CAMS, dwell_s=5, columns=2)
    assert tour.pages(WHOLE_WALL) == [("c1", "c2", "c3", "c4"), ("c5",)]
    player = TourPlayer(tour, WHOLE_WALL, started_at=0.0)
    assert player.page == ("c1", "c2", "c3", "c4")
    assert player.advance(5.0) == ("c5",)


def test_an_alert_interrupts_and_the_tour_resumes_on_the_same_step_with_a_whole_dwell() -> None:
    player = TourPlayer(Tour("Centre", CAMS, dwell_s=10), target=2, started_at=0.0)
    player.advance(10.0)  # c2
    assert player.interrupt()
    assert player.state is TourState.INTERRUPTED
    assert not player.due(1000.0)  # interrupted: nothing is due
    assert not player.interrupt()  # a second alert changes nothing
    with pytest.raises(ViewingError):
        player.advance(1000.0)
    assert player.resume(500.0) == ("c2",)
    assert player.state is TourState.PLAYING
    assert not player.due(509.0)
    assert player.due(510.0)
    assert player.interruptions == 1
    assert player.resume(600.0) is None  # not interrupted
    assert player.stop() and not player.stop()
    assert not player.interrupt()


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"cameras": ()}, "au moins une caméra"),
        ({"dwell_s": 1.0}, "hors limites"),
        ({"dwell_s": 7200.0}, "hors limites"),
        ({"columns": 5}, "inconnue"),
        ({"cameras": tuple(f"c{i}" for i in range(201))}, "au plus"),
    ],
)
def test_a_bad_tour_is_refused_with_its_reason(kwargs: dict[str, object], reason: str) -> None:
    values: dict[str, object] = {"name": "x", "cameras": ("c1",), "dwell_s": 10.0, "columns": 2}
    values.update(kwargs)
    with pytest.raises(ViewingError, match=reason):
        Tour(**values)  # type: ignore[arg-type]


def test_a_layout_fits_its_grid_and_names_are_cleaned() -> None:
    WallLayout("Gare", 2, ("c1", None, "c3", "c4"))
    with pytest.raises(ViewingError, match="tuiles"):
        WallLayout("Gare", 1, ("c1", "c2"))
    with pytest.raises(ViewingError, match="inconnue"):
        WallLayout("Gare", 0, ())
    assert clean_name("  Nuit   centre ") == "Nuit centre"
    with pytest.raises(ViewingError, match="obligatoire"):
        clean_name("   ")
    with pytest.raises(ViewingError, match="trop long"):
        clean_name("x" * 61)


@dataclass(frozen=True)
class Cam:
    id: str
    name: str
    zones: tuple[str, ...]


@dataclass(frozen=True)
class Zn:
    id: str
    name: str
    commune: str


def test_search_by_name_zone_and_commune_ignores_accents_and_puts_favourites_first() -> None:
    zones = [Zn("z1", "Secteur Gare", "Montbéliard"), Zn("z2", "Hôtel de Ville", "Audincourt")]
    rows = camera_rows(
        [
            Cam("cam-01", "Place de la Gare", ("z1",)),
            Cam("cam-02", "Parvis mairie", ("z2",)),
            Cam("cam-03", "Rue Carnot", ("z1", "unknown")),
        ],
        zones,
    )
    assert rows[2].zones == ("Secteur Gare",) and rows[2].communes == ("Montbéliard",)
    assert [r.id for r in search(rows, "montbeliard")] == ["cam-01", "cam-03"]
    assert [r.id for r in search(rows, "hotel ville")] == ["cam-02"]
    assert [r.id for r in search(rows, "GARE place")] == ["cam-01"]
    assert [r.id for r in search(rows, "")] == ["cam-02", "cam-01", "cam-03"]
    favs = frozenset({"cam-03"})
    assert search(rows, "", favourites=favs)[0].id == "cam-03"
    assert [r.id for r in search(rows, "", favourites=favs, favourites_only=True)] == ["cam-03"]
    assert search(rows, "introuvable") == []
