"""The review window's « Alarme en sourdine » figure counts the real silence: a
mute ended after 6 s by « son rétabli » shows as 6 s, not 2,0 min (a real
database file read by the review's own loader)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.shifts import DEFAULT_SHIFTS, shift_period
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_load import load_summary
from csu_console.storage.store import DB_NAME, Store
from csu_console.ui.review.indicators import KeyFigures

PARIS = ZoneInfo("Europe/Paris")
SHIFT = shift_period(DEFAULT_SHIFTS[0], date(2025, 6, 2), PARIS)  # 04:00–12:00 UTC
T = datetime(2025, 6, 2, 6, 0, tzinfo=UTC)


def test_a_six_second_mute_shows_as_six_seconds(qtbot: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / DB_NAME)
    store.add_event("muted", None, "poste-1", "durand", {"seconds": 120}, T)
    store.add_event("unmuted", None, "poste-1", "durand", {"remaining_s": 114},
                    T.replace(second=6))  # fmt: skip
    store.close()
    ro = Store(tmp_path / DB_NAME, readonly=True)
    try:
        summary = load_summary(ReviewReader(ro.conn), ReviewFilter.for_period(SHIFT))
    finally:
        ro.close()
    figures = KeyFigures()
    qtbot.addWidget(figures)
    figures.show_indicators(summary.indicators)
    texts = figures.texts()
    assert texts["Alarme en sourdine"] == "6 s"
