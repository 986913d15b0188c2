"""A mute ended early (« son rétabli ») counts its real length everywhere: the
review's figures, the handover digest and the PDF report — a real database file,
a read-only review connection, poppler reading the PDF back.

06:00 UTC: poste-1 muted for 120 s, sound back 6 s later (``unmuted``);
07:00 UTC: poste-2 muted for 120 s, never brought back early. 2 min 06 s in all.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from support import pdf_text

from csu_console.core.review.digest import indicator_table
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.shifts import DEFAULT_SHIFTS, shift_period
from csu_console.report.pdf import ReportData, write_report
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_load import load_review, verify_period
from csu_console.storage.store import DB_NAME, Store

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2025, 6, 2, tzinfo=UTC)
SHIFT = shift_period(DEFAULT_SHIFTS[0], date(2025, 6, 2), PARIS)  # 04:00–12:00 UTC


def t(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    store = Store(tmp_path / "data" / DB_NAME)
    store.set_timezone("Europe/Paris")
    store.add_event("muted", None, "poste-1", "durand", {"seconds": 120}, t(6))
    store.add_event(
        "unmuted", None, "poste-1", "durand", {"remaining_s": 114, "muted_by": "durand"},
        t(6, 0, 6),
    )  # fmt: skip
    store.add_event("muted", None, "poste-2", "martin", {"seconds": 120}, t(7))
    store.close()
    return store.path


def test_the_review_counts_the_real_silence(db: Path) -> None:
    ro = Store(db, readonly=True)
    try:
        review = load_review(ReviewReader(ro.conn), ReviewFilter.for_period(SHIFT))
    finally:
        ro.close()
    ind = review.indicators
    assert ind.muted_by_station() == {"poste-1": 6, "poste-2": 120}
    assert dict(indicator_table(ind))["Alarme en sourdine"] == "2 min 06 s"
    assert [(m.station, m.seconds) for m in review.digest.mutes] == [
        ("poste-1", 6), ("poste-2", 120),
    ]  # fmt: skip


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent")
def test_the_pdf_shows_six_seconds_not_two_minutes(qapp: Any, db: Path, tmp_path: Path) -> None:
    ro = Store(db, readonly=True)
    try:
        reader = ReviewReader(ro.conn)
        review = load_review(reader, ReviewFilter.for_period(SHIFT))
        chain = verify_period(reader, SHIFT)
    finally:
        ro.close()
    path = tmp_path / "rapport.pdf"
    data = ReportData("CSU de test", PARIS, review, chain, "chef", t(12, 30), {})
    write_report(path, data, lambda: [])
    flat = pdf_text(path)
    assert "Alarme en sourdine 2 min 06 s" in flat
    assert "poste-1 02/06 08:00:00 – 02/06 08:00:06 (6 s) durand" in flat
    assert "poste-2 02/06 09:00:00 – 02/06 09:02:00 (2 min 00 s) martin" in flat
