"""The detector on hand-made histories: the explanation of a known case and its
figures, stable ids, and the edge cases (empty history, no zones, no position,
purged texts)."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pytest
from signals_support import DLAT, DLON, LAT0, LON0, NOW, make_territory

from csu_console.core.territory import Territory
from csu_console.core.weak_signals.detector import DetectorParams, detect
from csu_console.core.weak_signals.generator import PlantSpec, generate
from csu_console.core.weak_signals.model import AlertHistory, SignalKind
from csu_console.core.weak_signals.stats import fr_number

CATS = ("demarchage_abusif", "autre")
DAY = 86_400.0


def _history(rows: list[tuple[float, float, float, int, str]]) -> AlertHistory:
    return AlertHistory(
        t=np.array([r[0] for r in rows], dtype=np.float64),
        lon=np.array([r[1] for r in rows], dtype=np.float64),
        lat=np.array([r[2] for r in rows], dtype=np.float64),
        category=np.array([r[3] for r in rows], dtype=np.int32),
        categories=CATS,
        keys=[("test", f"a{i}") for i in range(len(rows))],
        text=[r[4] for r in rows],
    )


def _in_secteur(n: int, i: int) -> tuple[float, float]:
    """A point of secteur ``n`` (1…6), spread by ``i``."""
    col, row = (n - 1) % 3, (n - 1) // 3
    return (
        LON0 + (col + 0.1 + 0.8 * ((i * 37) % 100) / 100) * DLON,
        LAT0 + (row + 0.1 + 0.8 * ((i * 61) % 100) / 100) * DLAT,
    )


def known_case() -> AlertHistory:
    """Secteur 2: one démarchage every other week over the baseline, then 5 this
    week; every secteur: two « autre » reports a week throughout (the site's
    background)."""
    now = NOW.timestamp()
    rows = []
    for week in range(1, 10):  # week 1 = the window, weeks 2…9 = the baseline
        for s in range(1, 7):
            for j in range(2):
                lon, lat = _in_secteur(s, week * 10 + j)
                rows.append((now - (week - 1) * 7 * DAY - (1 + 3 * j) * DAY, lon, lat, 1, ""))
        if week >= 2 and week % 2 == 0:
            lon, lat = _in_secteur(2, week)
            rows.append((now - (week - 1) * 7 * DAY - 2 * DAY, lon, lat, 0, ""))
    for i in range(5):
        lon, lat = _in_secteur(2, 100 + i)
        rows.append((now - (1 + 1.3 * i) * DAY, lon, lat, 0, ""))
    return _history(rows)


def test_a_known_recurrence_is_explained_with_its_figures() -> None:
    territory = make_territory()
    history = known_case()
    signals = [s for s in detect(history, territory, NOW) if s.kind == SignalKind.RECURRENCE]
    secteur = [s for s in signals if s.zone_ids == ("secteur-2",)]
    assert len(secteur) == 1
    s = secteur[0]
    # The model's figures: zone's weekly volume (2 autre + ½ démarchage = 2,5) ×
    # the démarchages' share (4 of 100 baseline reports) as the prior mean,
    # worth 2 weeks, plus 4 démarchages over 8 weeks.
    prior = 2.5 * 4 / 100
    expected = (2 * prior + 4) / (2 + 8)
    assert s.observed == 5
    assert s.expected == pytest.approx(expected)
    assert s.title == (
        f"5 démarchages abusifs en 7 jours à Secteur 2, {fr_number(round(expected, 1))} attendus"
    )
    assert s.title == "5 démarchages abusifs en 7 jours à Secteur 2, 0,4 attendus"
    # 6 secteurs × autre, secteur 2 × démarchage, 2 quartiers × 2 categories.
    m = re.fullmatch(
        r"loi binomiale négative, p = ([0-9,× ⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+), corrigé pour 11 cellules : ([0-9,]+)",
        s.test,
    )
    assert m is not None, s.test
    assert s.p_value <= 0.05
    assert s.category == "demarchage_abusif"
    assert s.communes == ("25388",)
    assert s.start == NOW - timedelta(days=7) and s.end == NOW
    recent = (history.t >= NOW.timestamp() - 7 * DAY) & (history.category == 0)
    keys = {history.keys[i] for i in np.flatnonzero(recent)}
    assert set(s.alerts) == keys and len(s.places) == 5


def test_two_scans_give_the_same_ids_and_order_does_not_matter() -> None:
    territory = make_territory()
    made = generate(territory, NOW, weeks=12, seed=3, plants=PlantSpec(1, 1, 1))
    first = detect(made.history, territory, NOW)
    later = detect(made.history, territory, NOW + timedelta(hours=1))
    assert first
    assert {s.id for s in first if s.kind != SignalKind.CLUSTER} <= {s.id for s in later}
    h = made.history
    order = np.random.default_rng(0).permutation(len(h))
    shuffled = AlertHistory(
        h.t[order], h.lon[order], h.lat[order], h.category[order], h.categories,
        [h.keys[i] for i in order], [h.text[i] for i in order],
    )  # fmt: skip
    again = detect(shuffled, territory, NOW)
    assert [(s.id, s.title, set(s.alerts)) for s in again] == [
        (s.id, s.title, set(s.alerts)) for s in first
    ]
    assert [s.strength for s in first] == sorted((s.strength for s in first), reverse=True)


def test_an_empty_history_gives_no_signal() -> None:
    empty = AlertHistory(np.empty(0), np.empty(0), np.empty(0), np.empty(0, np.int32), ())
    assert detect(empty, make_territory(), NOW) == []
    assert detect(empty, Territory([]), NOW) == []


def test_without_zones_clusters_and_terms_still_work() -> None:
    territory = make_territory()
    made = generate(territory, NOW, weeks=12, seed=4, plants=PlantSpec(0, 1, 1))
    signals = detect(made.history, Territory([]), NOW)
    kinds = {s.kind for s in signals}
    assert SignalKind.RECURRENCE not in kinds
    assert {SignalKind.CLUSTER, SignalKind.TERM} <= kinds
    assert all(s.zone_ids == () and s.communes == () for s in signals)


def test_alerts_without_position_count_for_terms_only() -> None:
    territory = make_territory()
    made = generate(territory, NOW, weeks=12, seed=5, plants=PlantSpec(1, 1, 1))
    h = made.history
    h.lon[:] = np.nan
    h.lat[:] = np.nan
    signals = detect(h, territory, NOW)
    assert {s.kind for s in signals} == {SignalKind.TERM}
    assert all(s.places == () and s.zone_ids == () for s in signals)


@pytest.mark.parametrize("purged", ["", "sha256:0f3a9c"])
def test_purged_texts_give_no_term(purged: str) -> None:
    territory = make_territory()
    made = generate(territory, NOW, weeks=12, seed=6, plants=PlantSpec(0, 0, 1))
    assert any(s.kind == SignalKind.TERM for s in detect(made.history, territory, NOW))
    made.history.text[:] = [purged] * len(made.history)
    assert not any(s.kind == SignalKind.TERM for s in detect(made.history, territory, NOW))


def test_two_reports_never_make_a_recurrence() -> None:
    territory = make_territory()
    now = NOW.timestamp()
    rows = [(now - DAY * (1 + i), *_in_secteur(3, i), 0, "") for i in range(2)]
    params = DetectorParams(alpha=1.0)  # even without any correction
    assert [
        s for s in detect(_history(rows), territory, NOW, params) if s.kind == "recurrence"
    ] == []
    rows.append((now - DAY * 3, *_in_secteur(3, 7), 0, ""))
    found = detect(_history(rows), territory, NOW, params)
    assert any(s.kind == SignalKind.RECURRENCE and s.observed == 3 for s in found)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        detect(known_case(), make_territory(), NOW.replace(tzinfo=None))
