"""Availability per camera in the review: from the logged outage alerts and returns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from csu_console.core.camera_health import Outage, outage_alert
from csu_console.core.protocol import AlertMessage
from csu_console.core.review.activity import CameraOutage
from csu_console.core.review.availability import camera_availability
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.shifts import DEFAULT_SHIFTS, shift_period
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_load import load_summary
from csu_console.storage.store import DB_NAME, Store
from csu_console.ui.review.indicators import IndicatorPanel

PARIS = ZoneInfo("Europe/Paris")
SHIFT = shift_period(DEFAULT_SHIFTS[0], date(2025, 6, 2), PARIS)  # 04:00–12:00 UTC
T = datetime(2025, 6, 2, 6, 0, tzinfo=UTC)


def test_availability_merges_overlaps_and_clips_to_the_period() -> None:
    h = timedelta(hours=1)
    outages = [
        CameraOutage("a", "A", T, T + h, 1),
        CameraOutage("a", "A", T + h / 2, T + 2 * h, 2),  # overlaps the first
        CameraOutage("b", "B", SHIFT.start - h, SHIFT.start + h, 3),  # began before
        CameraOutage("c", "C", SHIFT.end - h, None, 4),  # still down at the end
    ]
    rows = camera_availability(outages, SHIFT, {"a": "A", "z": "Z"})
    by = {r.camera_id: r for r in rows}
    assert by["a"].outages == 2 and by["a"].down_s == 2 * 3600
    assert by["a"].percent == 75.0  # 2 h of 8
    assert by["b"].down_s == 3600 and by["c"].down_s == 3600
    assert by["z"].percent == 100.0 and by["z"].outages == 0
    assert rows[0].camera_id == "a" and rows[-1].camera_id == "z"  # least available first


def test_the_review_shows_each_cameras_availability(qtbot: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / DB_NAME)
    outage = Outage("cam-02", 0.0, T, "hors service")
    alert = outage_alert(outage, "CAM-02 Gare", 24.9, 60.1, "poste-1", T + timedelta(minutes=5))
    store.commit_batch([AlertMessage(None, alert)], "poste-1", T + timedelta(minutes=5))
    store.add_event("camera_online", None, "poste-1", None, {"camera_id": "cam-02"},
                    T + timedelta(hours=2))  # fmt: skip
    store.close()
    ro = Store(tmp_path / DB_NAME, readonly=True)
    try:
        summary = load_summary(ReviewReader(ro.conn), ReviewFilter.for_period(SHIFT))
    finally:
        ro.close()
    panel = IndicatorPanel(PARIS)
    qtbot.addWidget(panel)
    panel.camera_names = {"cam-01": "CAM-01 Mairie", "cam-02": "CAM-02 Gare"}
    panel.show_indicators(summary.indicators)
    table = panel.availability
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert rows == [
        ["CAM-02 Gare", "75.0 %", "1", rows[0][3]],
        ["CAM-01 Mairie", "100.0 %", "0", "–"],
    ]
    assert rows[0][3] != "–"
