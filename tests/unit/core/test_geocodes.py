"""The site's geocode table (:mod:`csu_console.core.geocodes`): valueName spellings,
value forms, what wins, and unions of shapes."""

from __future__ import annotations

import pytest

from csu_console.config.schema import Zone
from csu_console.core.cap_facts import GeocodeResolver
from csu_console.core.geo import Area
from csu_console.core.geocodes import (
    DEPT,
    INSEE,
    NUTS3,
    GeocodeTable,
    geocode_key,
    key_text,
    kind_of,
    parse_key,
    union,
)


def square(x: float, y: float, size: float = 0.01) -> Area:
    ring = ((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y))
    return Area(((ring,),))


CENTRE = Zone("secteur-centre", "Centre", "Nîmes", "secteur_pm", square(4.35, 43.83))
GARE = Zone("secteur-gare", "Gare", "Nîmes", "secteur_pm", square(4.36, 43.83))
QUARTIER = Zone("quartier-ecusson", "Écusson", "Nîmes", "quartier", square(4.355, 43.835))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("INSEE", INSEE),
        ("code_insee", INSEE),
        ("INSEE_COMMUNE", INSEE),
        ("Code INSEE", INSEE),
        ("insee-com", INSEE),
        ("CODGEO", INSEE),
        ("COMMUNE", INSEE),
        ("DEPT", DEPT),
        ("Département", DEPT),
        ("code_departement", DEPT),
        ("codeDepartement", DEPT),
        ("INSEE_DEP", DEPT),
        ("ISO3166-2", DEPT),
        ("NUTS3", NUTS3),
        ("nuts_id", NUTS3),
        ("EMMA_ID", "EMMA_ID"),
        ("warncellid", "WARNCELLID"),
    ],
)
def test_value_name_spellings(name: str, kind: str) -> None:
    assert kind_of(name) == kind


@pytest.mark.parametrize(
    ("name", "value", "key"),
    [
        ("INSEE", " 30189 ", ("INSEE", "30189")),
        ("INSEE", "1004", ("INSEE", "01004")),  # a spreadsheet's lost zero
        ("INSEE", "2a004", ("INSEE", "2A004")),
        ("DEPT", "030", ("DEPT", "30")),
        ("DEPT", "1", ("DEPT", "01")),
        ("DEPT", "971", ("DEPT", "971")),
        ("DEPT", "2b", ("DEPT", "2B")),
        ("ISO3166-2", "FR-30", ("DEPT", "30")),
        ("NUTS3", "frj12", ("NUTS3", "FRJ12")),
        ("EMMA_ID", "FR030", ("EMMA_ID", "FR030")),
    ],
)
def test_value_forms(name: str, value: str, key: tuple[str, str]) -> None:
    assert geocode_key(name, value) == key


def test_parse_key() -> None:
    assert parse_key("code_insee:30189") == ("INSEE", "30189")
    assert key_text(parse_key("DEPT:030")) == "DEPT:30"
    for bad in ("30189", ":30189", "INSEE:", "INSEE: "):
        with pytest.raises(ValueError):
            parse_key(bad)


def test_entries_resolve_to_the_union_of_their_zones() -> None:
    table = GeocodeTable([CENTRE, GARE], {("INSEE", "30189"): ("secteur-centre", "secteur-gare")})
    area = table.resolve("code_insee", "30189")
    assert area is not None
    assert set(area.polygons) == set(CENTRE.area.polygons) | set(GARE.area.polygons)
    assert area.contains(4.355, 43.835) and area.contains(4.365, 43.835)
    assert table.resolve("INSEE", "30007") is None
    assert table.resolve("DEPT", "30") is None


def test_zone_ids_resolve_by_themselves_whatever_the_value_name() -> None:
    table = GeocodeTable([CENTRE, GARE])
    assert table.resolve("ZONE", "secteur-gare") == GARE.area
    assert table.resolve("partenaire", "secteur-gare") == GARE.area
    assert table.resolve("x", " Secteur-Centre ") == CENTRE.area
    assert table.resolve("x", "secteur") is None


def test_entries_win_over_the_file_and_the_file_unions_its_features() -> None:
    commune_a, commune_b = square(4.0, 43.0), square(4.1, 43.0)
    shapes = {
        ("INSEE", "30189"): (commune_a,),
        ("DEPT", "30"): (commune_a, commune_b),  # a département: its communes
    }
    table = GeocodeTable([CENTRE], {("INSEE", "30189"): ("secteur-centre",)}, shapes)
    assert table.resolve("INSEE", "30189") == CENTRE.area
    dept = table.resolve("departement", "030")
    assert dept is not None and len(dept.polygons) == 2
    assert len(table) == 3 and ("ZONE", "SECTEUR-CENTRE") in table.codes()


def test_unknown_zone_ids_in_entries_are_skipped() -> None:
    table = GeocodeTable(
        [CENTRE], {("INSEE", "1"): ("absente",), ("INSEE", "2"): ("secteur-centre", "x")}
    )
    assert table.resolve("INSEE", "1") is None
    assert table.resolve("INSEE", "2") == CENTRE.area


def test_resolve_all_and_union() -> None:
    table = GeocodeTable([CENTRE, GARE, QUARTIER])
    both = table.resolve_all(
        [("ZONE", "secteur-centre"), ("x", "inconnu"), ("ZONE", "secteur-gare")]
    )
    assert both is not None and len(both.polygons) == 2
    assert table.resolve_all([("x", "inconnu")]) is None
    assert union([CENTRE.area, CENTRE.area]) == CENTRE.area  # a polygon once
    assert union([]) is None


def test_is_a_geocode_resolver() -> None:
    resolver: GeocodeResolver = GeocodeTable([CENTRE])
    assert resolver.resolve("ZONE", "secteur-centre") == CENTRE.area
