"""The address search core: how a French operator types what a caller says."""

from __future__ import annotations

import pytest

from csu_console.core.address_search import (
    AddressIndex,
    normalize,
    number_keys,
    parse_query,
)

ROWS: list[tuple[str, str | None, float, float]] = [
    ("Boulevard Victor-Hugo", None, 2.3500, 48.8600),
    ("Boulevard Victor-Hugo", "10", 2.3501, 48.8601),
    ("Boulevard Victor-Hugo", "12", 2.3502, 48.8602),
    ("Boulevard Victor-Hugo", "12 bis", 2.3503, 48.8603),
    ("Boulevard Victor-Hugo", "14", 2.3504, 48.8604),
    ("Boulevard Victor-Hugo", "15", 2.3505, 48.8605),
    ("Avenue Victor Hugo", "3", 2.3600, 48.8700),
    ("Rue de la Paix", None, 2.3300, 48.8690),
    ("Rue de la Paix", "7", 2.3301, 48.8691),
    ("Rue de l'Église", "2", 2.3400, 48.8500),
    ("Place Saint-Étienne", "1", 2.3450, 48.8550),
    ("Allée des Érables", "5-7", 2.3700, 48.8800),
    ("Chemin des Prés", None, 2.3800, 48.8900),
]


@pytest.fixture
def index() -> AddressIndex:
    return AddressIndex(ROWS)


def test_normalize_drops_case_accents_and_punctuation() -> None:
    assert normalize("  Rue de l'ÉGLISE,  Saint-Étienne ") == "rue de l eglise saint etienne"


@pytest.mark.parametrize(
    ("text", "number", "words"),
    [
        ("12 bd Victor-Hugo", "12", ("boulevard", "victor", "hugo")),
        ("victor hugo 12", "12", ("victor", "hugo")),
        ("12 bis boulevard Victor Hugo", "12bis", ("boulevard", "victor", "hugo")),
        ("12bis bd victor hugo", "12bis", ("boulevard", "victor", "hugo")),
        ("bd victor hugo 12 bis", "12bis", ("boulevard", "victor", "hugo")),
        ("av. Victor Hugo", None, ("avenue", "victor", "hugo")),
        ("pl st étienne 1", "1", ("place", "saint", "etienne")),
        ("", None, ()),
    ],
)
def test_parse_query_finds_the_number_first_or_last(
    text: str, number: str | None, words: tuple[str, ...]
) -> None:
    parsed = parse_query(text)
    assert (parsed.number, parsed.words) == (number, words)


def test_exact_number_comes_first_whatever_the_order_and_abbreviation(index: AddressIndex) -> None:
    typed = ("12 bd Victor-Hugo", "victor hugo 12", "12, BOULEVARD VICTOR HUGO", "12 bd vic hug")
    for text in typed:
        best = index.search(text)[0]
        assert (best.street, best.number, best.exact) == ("Boulevard Victor-Hugo", "12", True), text
    assert index.search("12 bis bd victor hugo")[0].number == "12 bis"


def test_street_type_words_help_but_do_not_exclude(index: AddressIndex) -> None:
    # The caller says « avenue » for the boulevard: the boulevard still comes, after
    # the avenue that has the word.
    hits = index.search("avenue victor hugo")
    assert [h.street for h in hits[:2]] == ["Avenue Victor Hugo", "Boulevard Victor-Hugo"]
    assert index.search("rue de la") == []  # only little words: nothing yet


def test_accents_and_typos_are_forgiven(index: AddressIndex) -> None:
    assert index.search("2 rue de l eglise")[0].label == "2 Rue de l'Église"
    assert index.search("place saint etiene")[0].street == "Place Saint-Étienne"  # one typo
    assert index.search("allee erables 7")[0].number == "5-7"  # a range answers both numbers


def test_a_missing_number_offers_the_nearest_on_the_same_side_then_the_street(
    index: AddressIndex,
) -> None:
    hits = [h for h in index.search("16 bd victor hugo") if h.street == "Boulevard Victor-Hugo"]
    assert hits[0].number == "14" and hits[0].wanted == "16" and not hits[0].exact
    assert hits[1].number is None and hits[1].label == "Boulevard Victor-Hugo"
    assert index.search("7 chemin des pres")[0].label == "Chemin des Prés"  # no numbers known


def test_nothing_matches_gives_nothing(index: AddressIndex) -> None:
    assert index.search("rue inconnue") == []
    assert index.search("12") == []


def test_nearest_names_the_closest_house_within_range(index: AddressIndex) -> None:
    near = index.nearest(2.35021, 48.86021)
    assert near is not None and near.label == "12 Boulevard Victor-Hugo"
    assert index.nearest(2.0, 48.0) is None


def test_number_keys() -> None:
    assert number_keys("12 bis") == ["12bis"]
    assert number_keys("22-24") == ["22", "24"]
    assert number_keys("3B") == ["3b"]


def test_counts(index: AddressIndex) -> None:
    assert index.street_count == 7
    assert index.number_count == 10
