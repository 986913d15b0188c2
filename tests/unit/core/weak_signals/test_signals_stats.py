"""The detector's statistics in numpy alone, checked against direct sums, and the
French writing of its numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from csu_console.core.weak_signals.stats import betainc, fr_number, fr_p, holm, lgamma, nb_sf
from csu_console.core.weak_signals.text import category_words, content_words, display_term, terms


def _nb_tail(y: int, mean: float, size: float) -> float:
    """P(Y ≥ y) summed term by term (fine away from the far tail)."""
    p = size / (size + mean)
    below = sum(
        math.exp(
            math.lgamma(j + size) - math.lgamma(size) - math.lgamma(j + 1)
            + size * math.log(p) + j * math.log(1 - p)
        )
        for j in range(y)
    )  # fmt: skip
    return 1.0 - below


@pytest.mark.parametrize(
    ("y", "mean", "size"),
    [
        (5, 0.6, 3.0),
        (3, 0.05, 10.0),
        (10, 8.0, 2.0),
        (200, 150.0, 20.0),
        (1, 0.1, 0.5),
        (0, 2.0, 1.0),
    ],
)
def test_negative_binomial_tail(y: int, mean: float, size: float) -> None:
    got = nb_sf(np.array([y], float), np.array([mean]), np.array([size]))[0]
    assert got == pytest.approx(_nb_tail(y, mean, size), rel=1e-9, abs=1e-15)


def test_far_tail_does_not_round_to_zero() -> None:
    """30 events when 1,2 are expected: far below 1e-15, where 1 − CDF gives 0."""
    tail = nb_sf(np.array([30.0]), np.array([1.2]), np.array([50.0]))[0]
    first = math.exp(
        math.lgamma(30 + 50) - math.lgamma(50) - math.lgamma(31)
        + 50 * math.log(50 / 51.2) + 30 * math.log(1.2 / 51.2)
    )  # fmt: skip
    assert first < tail < 1.1 * first


def test_lgamma_and_betainc() -> None:
    xs = np.array([0.2, 0.5, 1.0, 2.5, 10.0, 171.5])
    assert lgamma(xs) == pytest.approx([math.lgamma(x) for x in xs], rel=1e-12, abs=1e-12)
    # I_x(1, b) = 1 − (1 − x)^b
    assert betainc(np.array([1.0]), np.array([3.0]), np.array([0.2]))[0] == pytest.approx(
        1 - 0.8**3
    )


def test_holm() -> None:
    adjusted = holm(np.array([0.01, 0.04, 0.03, 0.5]))
    assert adjusted.tolist() == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert holm(np.array([])).size == 0


def test_french_numbers() -> None:
    assert fr_number(0.6) == "0,6"
    assert fr_number(5.0) == "5"
    assert fr_number(1234.0) == "1\u202f234"
    assert fr_p(0.0004) == "0,0004"
    assert fr_p(0.03) == "0,03"
    assert fr_p(2.3e-7) == "2,3 × 10⁻⁷"
    assert fr_p(1.0) == "1"


def test_terms_are_folded_without_stopwords_nor_category_words() -> None:
    words = content_words(
        "Une CAMIONNETTE blanche devant l'école, démarchage abusif",
        category_words("demarchage_abusif"),
    )
    assert words == ["camionnette", "blanche", "ecole"]
    assert terms(words) == {
        "camionnette", "blanche", "ecole", "camionnette blanche", "blanche ecole",
        "camionnette blanche ecole",
    }  # fmt: skip
    assert content_words("sha256:0123abcd") == []
    assert display_term("camionnette blanche", ["Une Camionnette Blanche"]) == "camionnette blanche"
    assert display_term("trottinette electrique", ["Trottinette électrique"]) == (
        "trottinette électrique"
    )
