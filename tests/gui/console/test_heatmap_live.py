"""The live map's « Carte de chaleur »: it reads the stored alerts of the chosen
period from a real SQLite file, page by page on the storage thread, and shows them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from support import CONFIG_DIR

from csu_console.config.loader import load_site
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.core.retention import RetentionPolicy
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.heatmap_feed import LiveHeatmap, offered_periods
from csu_console.ui.map.map_pane import MapPane

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
LON, LAT = 24.9433, 60.1706


def store_live_heatmap_alerts(store: Store, ages_days: list[float]) -> None:
    """One positioned alert received ``age`` days before NOW for each age."""
    for n, age in enumerate(ages_days, 1):
        at = NOW - timedelta(days=age)
        alert = Alert(
            source="plateforme", id=f"LH-{n}", sent=at, category=Category.DEGRADATION,
            priority=3, title="Tag", description="",
            location=Location(LAT + n * 1e-5, LON + n * 1e-5, "ici", 10.0),
        )  # fmt: skip
        store.commit_batch([AlertMessage(n, alert)], "poste-1", at)


@pytest.fixture
def live(qtbot: QtBot, writer: StorageWriter) -> Iterator[tuple[MapPane, LiveHeatmap]]:
    pane = MapPane(load_site(CONFIG_DIR), None)
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.show()
    qtbot.waitExposed(pane)
    pane.view.center_on(LON, LAT, 15)
    tasks = DbTasks(writer, pane)
    feed = LiveHeatmap(
        pane, tasks, RetentionPolicy(personal_data_days=60), now=lambda: NOW, page_rows=4
    )
    yield pane, feed
    pane.view.shutdown()


def test_the_toggle_reads_the_period_from_the_store_page_by_page(
    live: tuple[MapPane, LiveHeatmap], writer: StorageWriter, qtbot: QtBot
) -> None:
    pane, feed = live
    # 9 alerts in the last 7 days, 3 between 7 and 30 days, 1 older.
    ages = [0.1, 0.5, 1, 2, 3, 4, 5, 6, 6.9, 10, 20, 29, 45]
    writer.submit(lambda s: store_live_heatmap_alerts(s, ages)).result(timeout=10)
    assert not feed.toggle.is_on() and not pane.heatmap.is_visible()
    assert feed.toggle.days() == 7
    assert feed.pages_read == 0  # off: nothing read

    with qtbot.waitSignal(feed.loaded, timeout=10_000) as loaded:
        feed.toggle.button.click()
    assert loaded.args == [9]
    assert feed.pages_read == 3  # 4 + 4 + 1: incoming alerts commit between pages
    assert pane.heatmap.is_visible() and pane.heatmap.count == 9
    assert pane.heatmap.label == "7 derniers jours"
    qtbot.waitUntil(lambda: pane.heatmap.item.shown is not None, timeout=10_000)

    with qtbot.waitSignal(feed.loaded, timeout=10_000) as loaded:
        feed.toggle.period_actions[30].trigger()
    assert loaded.args == [12]
    assert pane.heatmap.label == "30 derniers jours"


def test_the_heatmap_follows_new_alerts_and_off_drops_a_load_under_way(
    live: tuple[MapPane, LiveHeatmap], writer: StorageWriter, qtbot: QtBot
) -> None:
    pane, feed = live
    with qtbot.waitSignal(feed.loaded, timeout=10_000) as loaded:
        feed.toggle.button.click()
    assert loaded.args == [0]  # an empty store: an empty heatmap, no error
    writer.submit(lambda s: store_live_heatmap_alerts(s, [0.2, 0.3])).result(timeout=10)
    with qtbot.waitSignal(feed.loaded, timeout=10_000) as loaded:
        feed.reload()  # what the refresh timer does
    assert loaded.args == [2]

    feed.reload()
    feed.toggle.button.click()  # off while the load runs: its pages are dropped
    with qtbot.assertNotEmitted(feed.loaded, wait=300):
        pass
    assert not pane.heatmap.is_visible()


def test_periods_stay_within_the_retention_of_positions() -> None:
    assert offered_periods(RetentionPolicy(personal_data_days=90)) == (1, 7, 30, 90)
    assert offered_periods(RetentionPolicy(personal_data_days=30)) == (1, 7, 30)
    assert offered_periods(RetentionPolicy(personal_data_days=1)) == (1,)
