"""storage.heatmap: the positions of a period's alerts, whole or page by page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.storage.heatmap import heatmap_page, heatmap_points
from csu_console.storage.store import Store

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def seed_heatmap_alerts(
    store: Store, items: list[tuple[datetime, float | None, float | None, Category]]
) -> None:
    """One alert per (received_at, lon, lat, category), each committed at its time."""
    for n, (at, lon, lat, category) in enumerate(items, 1):
        location = None if lon is None or lat is None else Location(lat, lon, "ici", 10.0)
        alert = Alert(
            source="plateforme", id=f"HM-{n}", sent=at, category=category, priority=3,
            title="t", description="", location=location,
        )  # fmt: skip
        store.commit_batch([AlertMessage(n, alert)], "poste-1", at)


def test_points_of_the_period_only_with_a_position(store: Store) -> None:
    seed_heatmap_alerts(store, [
        (T0 - timedelta(days=8), 6.80, 47.50, Category.RIXE),  # before the period
        (T0 - timedelta(days=2), 6.81, 47.51, Category.RIXE),
        (T0 - timedelta(days=1), None, None, Category.RIXE),  # no position
        (T0 - timedelta(hours=1), 6.82, 47.52, Category.CAMBRIOLAGE),
        (T0, 6.83, 47.53, Category.RIXE),  # the end is excluded
    ])  # fmt: skip
    points = heatmap_points(store, T0 - timedelta(days=7), T0)
    assert len(points) == 2
    assert points.lon.tolist() == pytest.approx([6.81, 6.82])
    assert points.lat.tolist() == pytest.approx([47.51, 47.52])
    assert points.categories == ("rixe", "cambriolage")


def test_categories_narrow_and_none_means_none(store: Store) -> None:
    seed_heatmap_alerts(store, [
        (T0 - timedelta(hours=3), 6.81, 47.51, Category.RIXE),
        (T0 - timedelta(hours=2), 6.82, 47.52, Category.CAMBRIOLAGE),
        (T0 - timedelta(hours=1), 6.83, 47.53, Category.INCENDIE),
    ])  # fmt: skip
    since = T0 - timedelta(days=1)
    picked = heatmap_points(store, since, T0, categories={"rixe", "incendie"})
    assert picked.categories == ("rixe", "incendie")
    assert len(heatmap_points(store, since, T0, categories=())) == 0
    assert heatmap_page(store, since, T0, categories=())[1] is None


def test_pages_cover_every_point_once_even_at_the_same_instant(store: Store) -> None:
    # Seven alerts, three of them received at the same instant: the cursor is
    # (received_at, pk), not the time alone.
    times = [T0 - timedelta(minutes=m) for m in (50, 40, 30, 30, 30, 20, 10)]
    seed_heatmap_alerts(
        store, [(t, 6.8 + i / 100, 47.5, Category.RIXE) for i, t in enumerate(times)]
    )
    since = T0 - timedelta(hours=1)
    pages, cursor, seen = 0, None, []
    while True:
        points, cursor = heatmap_page(store, since, T0, after=cursor, limit=3)
        pages += 1
        seen += points.lon.tolist()
        if cursor is None:
            break
    assert pages == 3
    assert seen == pytest.approx([6.8 + i / 100 for i in range(7)])
    whole = heatmap_points(store, since, T0)
    assert np.allclose(whole.lon, seen)


def test_an_empty_store_and_an_empty_period(store: Store) -> None:
    points = heatmap_points(store, T0 - timedelta(days=30), T0)
    assert len(points) == 0 and points.lon.dtype == np.float64
    page, cursor = heatmap_page(store, T0 - timedelta(days=30), T0)
    assert len(page) == 0 and cursor is None
    with pytest.raises(ValueError, match="période vide"):
        heatmap_points(store, T0, T0)
