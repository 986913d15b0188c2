"""The review window on the central PostgreSQL (``[review] source``): the known
shift written by the real storage thread, copied into a real PostgreSQL, and the
window opened on each — the same key figures, charts (per hour, delays,
categories, zones), list and verified chain."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from review_shift import STATION, Data

from csu_console.central.load import copy_station
from csu_console.core.roles import Permission
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker


@pytest.fixture
def central(writer: StorageWriter, data: Data, pg_dsn: str) -> Iterator[ReviewWorker]:
    del data
    src = sqlite3.connect(f"file:{writer.path}?mode=ro", uri=True)
    with psycopg.connect(pg_dsn, autocommit=True) as pg:
        copy_station(src, pg, STATION)
    src.close()
    w = ReviewWorker(writer.path, source=pg_dsn)
    yield w
    w.close()
    w.deleteLater()


def shown(window: ReviewWindow) -> dict[str, Any]:
    charts = window.charts
    return {
        "figures": window.figures.texts(),
        "hourly": charts.hourly.plotted(),
        "delays": charts.delays.plotted(),
        "categories": charts.categories.plotted(),
        "zones": charts.zones.plotted(),
        "rows": [(r.pk, r.title, r.ack_s, r.outcomes, r.zones) for r in window.model.rows],
        "label": window.base_label,
    }


def test_the_central_review_shows_the_same(
    qtbot: Any,
    session: Session,
    worker: ReviewWorker,
    central: ReviewWorker,
    open_review: Callable[[ReviewWorker], ReviewWindow],
) -> None:
    local = open_review(worker)
    remote = open_review(central)
    assert remote.worker.source.startswith("postgresql://")
    expected = shown(local)
    assert expected["figures"]["Alertes reçues"] == "6"
    assert shown(remote) == expected
    qtbot.waitUntil(lambda: "VÉRIFIÉE" in remote.chain_label.text(), timeout=10_000)
    # A filter from the panel: both narrow alike.
    for window in (local, remote):
        with qtbot.waitSignal(window.loaded, timeout=10_000):
            window.narrow("zones", "nord")
    assert shown(remote) == shown(local)
    # Legal holds are the station's own records: offered on its database only (the
    # central alert numbers are not the station's), and never read from PostgreSQL.
    if session.allowed(Permission.LEGAL_HOLD):
        assert not local.hold_button.isHidden()
    assert remote.hold_button.isHidden()
    assert remote.holds.held == {}
