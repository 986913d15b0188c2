"""Trends for the signals screen (csu_console.core.signal_trends): a signal's cell
week by week against its baseline, and a period against the ones before it, by
category and by commune; counts worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from signals_ui_support import demo_site, point_in

from csu_console.core.signal_trends import (
    OUTSIDE,
    PlacedHistory,
    compare_periods,
    signal_weeks,
)
from csu_console.core.weak_signals.model import AlertHistory, Signal, SignalKind

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CATS = ("demarchage_abusif", "rixe")


def history(rows: list[tuple[datetime, tuple[float, float] | None, int, str]]) -> AlertHistory:
    return AlertHistory(
        t=np.array([t.timestamp() for t, _, _, _ in rows]),
        lon=np.array([np.nan if p is None else p[0] for _, p, _, _ in rows]),
        lat=np.array([np.nan if p is None else p[1] for _, p, _, _ in rows]),
        category=np.array([c for _, _, c, _ in rows], dtype=np.int32),
        categories=CATS,
        keys=[("vv", str(i)) for i in range(len(rows))],
        text=[x for _, _, _, x in rows],
    )


def signal(**kw: object) -> Signal:
    values: dict[str, object] = {
        "id": "s", "kind": SignalKind.RECURRENCE, "title": "t", "test": "x", "strength": 1.0,
        "start": NOW - timedelta(days=7), "end": NOW, "observed": 3, "expected": 1.0,
        "p_value": 0.01, "category": "demarchage_abusif", "zone_ids": ("secteur-gare",),
    }  # fmt: skip
    values.update(kw)
    return Signal(**values)  # type: ignore[arg-type]


@pytest.fixture
def placed() -> PlacedHistory:
    site = demo_site()
    gare, port = point_in(site, "secteur-gare"), point_in(site, "secteur-port")
    rows = [(NOW - timedelta(days=1, hours=i), gare, 0, "camionnette blanche") for i in range(3)]
    rows += [(NOW - timedelta(weeks=w, days=1), gare, 0, "démarcheur") for w in (1, 2, 3)]
    rows += [(NOW - timedelta(days=2), port, 0, "camionnette blanche")]  # not in the zone
    rows += [(NOW - timedelta(days=2), gare, 1, "bagarre")]  # not the category
    rows += [(NOW - timedelta(days=3), None, 1, "bagarre")]  # nowhere
    rows += [(NOW - timedelta(weeks=30), gare, 0, "")]  # before the chart
    return PlacedHistory.place(history(rows), site.territory)


def test_the_signals_cell_week_by_week(placed: PlacedHistory) -> None:
    weeks = signal_weeks(placed, signal(), weeks=12, baseline_weeks=8)
    assert len(weeks.counts) == 12 and weeks.starts[-1] == NOW - timedelta(days=7)
    assert weeks.counts[-4:] == (1, 1, 1, 3)  # weeks 3, 2, 1 back, then the window
    assert sum(weeks.counts) == 6
    assert weeks.baseline_mean == pytest.approx(3 / 8) and weeks.window_weeks == 1


def test_a_term_signal_counts_the_reports_with_its_term(placed: PlacedHistory) -> None:
    s = signal(category=None, zone_ids=(), communes=(), term="Camionnette blanche",
               kind=SignalKind.TERM)  # fmt: skip
    assert signal_weeks(placed, s).counts[-1] == 4  # both zones: a term has no zone


def test_a_cluster_counts_the_reports_around_its_places_not_its_zones(
    placed: PlacedHistory,
) -> None:
    gare = point_in(demo_site(), "secteur-gare")
    s = signal(kind=SignalKind.CLUSTER, category=None, zone_ids=("secteur-gare", "secteur-port"),
               places=(gare,))  # fmt: skip
    # Only the reports at its place (Gare, any category), not Port's in its zones.
    assert signal_weeks(placed, s).counts[-1] == 4


def test_a_week_against_the_previous_ones(placed: PlacedHistory) -> None:
    c = compare_periods(placed, NOW - timedelta(days=7), NOW, previous=4)
    assert c.totals == (0, 1, 1, 1, 6)
    cats = {r.key: r for r in c.by_category}
    assert cats["demarchage_abusif"].current == 4 and cats["demarchage_abusif"].mean == 0.75
    assert cats["demarchage_abusif"].change == pytest.approx(4 / 0.75 - 1)
    assert cats["rixe"].current == 2 and cats["rixe"].change is None  # nothing before
    communes = {r.key: r for r in c.by_commune}
    assert communes[OUTSIDE].current == 1
    assert sum(r.current for r in c.by_commune) == 6
    assert c.by_category[0].key == "demarchage_abusif"  # the strongest rise first


def test_an_empty_period_is_refused(placed: PlacedHistory) -> None:
    with pytest.raises(ValueError):
        compare_periods(placed, NOW, NOW)
