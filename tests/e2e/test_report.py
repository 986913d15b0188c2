"""The PDF shift report end to end: a small shift written through the store's API,
reviewed on a read-only connection, its chain checked, the report exported (and
logged); then poppler renders page 1 (pdftoppm) and its text (pdftotext) holds the
period and the indicators worked out by hand below.

Morning of 2 June 2025 (04:00–12:00 UTC): X1 rixe 04:10, acknowledged after 30 s,
Alpha engaged after 120 s, « interpellation », closed; X2 cambriolage 05:00,
acknowledged after 120 s, closed; X3 incendie 11:50, acknowledged after 20 s, Alpha
engaged after 300 s, still open at 12:00. A 120 s mute at 06:00.
Acknowledged 20, 30, 120 s: median 30 s, p90 (rank 3 of 3) 120 s, max 120 s.
Engaged 120, 300 s: median 210 s, p90 (rank 2 of 2) 300 s. 13 events: 3 pages.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage
from support import pdf_text

from csu_console.core.alerts import Alert, AlertState, Category, Location
from csu_console.core.dispatch import Outcome, Unit, plan_dispatch, plan_end, unit_statuses
from csu_console.core.geo import Area
from csu_console.core.protocol import AlertMessage
from csu_console.core.review.export import export_details
from csu_console.core.review.filter import ReviewFilter
from csu_console.core.review.shifts import DEFAULT_SHIFTS, shift_period
from csu_console.core.states import Actor, plan
from csu_console.report.export import export_report
from csu_console.report.pdf import ReportData, paint_report
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_load import load_review, load_summary, verify_period
from csu_console.storage.store import DB_NAME, Store

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils absent",
)

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2025, 6, 2, tzinfo=UTC)
SHIFT = shift_period(DEFAULT_SHIFTS[0], date(2025, 6, 2), PARIS)
ME = Actor("poste-1", "durand")
ALPHA = Unit("pm-alpha-1", "Alpha 1")
NORD = Area.from_geojson(
    {"type": "Polygon", "coordinates": [[[2, 48.5], [2.5, 48.5], [2.5, 49], [2, 49], [2, 48.5]]]}
)


def t(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


def add(store: Store, name: str, category: Category, at: datetime) -> int:
    alert = Alert("plateforme", name, at, category, 1, title=f"Alerte {name}",
                  location=Location(48.7, 2.2), commune="Ville")  # fmt: skip
    [out] = store.commit_batch([AlertMessage(store.count("alerts") + 1, alert)], "poste-1", at)
    assert out.stored is not None
    return out.stored.pk


def move(store: Store, pk: int, target: AlertState, at: datetime) -> None:
    assert store.apply_transition(pk, plan(store.claim(pk), ME, target, at))


def engage(store: Store, pk: int, at: datetime) -> None:
    states = unit_statuses((ALPHA,), store.unit_events())
    p = plan_dispatch(ALPHA, states, pk, store.claim(pk), ME, at)
    assert store.record_dispatch(pk, p, ME.station, ME.operator)


def build(store: Store) -> None:
    store.set_timezone("Europe/Paris")
    x1 = add(store, "X1", Category.RIXE, t(4, 10))
    move(store, x1, AlertState.ACKNOWLEDGED, t(4, 10, 30))
    engage(store, x1, t(4, 12))
    store.add_event("on_site", x1, "poste-1", "durand", {"unit": ALPHA.id}, t(4, 20))
    states = unit_statuses((ALPHA,), store.unit_events())
    ended = plan_end(ALPHA, states, x1, Outcome.INTERPELLATION, "")
    store.add_event("dispatch_ended", x1, "poste-1", "durand", ended, t(4, 40))
    move(store, x1, AlertState.CLOSED, t(4, 45))
    x2 = add(store, "X2", Category.CAMBRIOLAGE, t(5))
    move(store, x2, AlertState.ACKNOWLEDGED, t(5, 2))
    move(store, x2, AlertState.CLOSED, t(5, 30))
    store.add_event("muted", None, "poste-1", "durand", {"seconds": 120}, t(6))
    x3 = add(store, "X3", Category.INCENDIE, t(11, 50))
    move(store, x3, AlertState.ACKNOWLEDGED, t(11, 50, 20))
    engage(store, x3, t(11, 55))


def test_shift_report_renders_with_its_period_and_indicators(qapp: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "data" / DB_NAME)
    build(store)
    ro = Store(store.path, readonly=True)
    reader = ReviewReader(ro.conn)
    f = ReviewFilter.for_period(SHIFT)
    zones = [("nord", NORD)]
    review = load_review(reader, f, zones)
    chain = verify_period(reader, SHIFT)
    data = ReportData(
        "CSU de test", PARIS, review, chain, "chef (superviseur)", t(12, 30), {"nord": "Nord"}
    )
    path = tmp_path / "rapport.pdf"

    def record(lines: int, sha256: str) -> int:
        details = export_details(fmt="pdf", review_filter=f, rows=lines, reason="relève",
                                 revealed=False, sha256=sha256, file_name=path.name)  # fmt: skip
        return store.add_event("export", None, "poste-1", "chef", details)

    seen: list[float] = []
    result = export_report(reader, data, path, zones=zones, record=record, progress=seen.append)
    assert result.rows == 13 and seen[-1] == 1.0
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    logged = json.loads(
        store.conn.execute(
            "SELECT details FROM events WHERE pk = ?", (result.event_pk,)
        ).fetchone()[0]
    )
    assert (logged["format"], logged["rows"], logged["sha256"]) == ("pdf", 13, result.sha256)

    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True, timeout=60,
    )  # fmt: skip
    [png] = list(tmp_path.glob("p-*.png"))
    image = QImage(str(png))
    assert (image.width(), image.height()) == (414, 585)  # A4 at 50 dpi
    dark = sum(
        image.pixelColor(x, y).lightness() < 128
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    )
    assert dark > 500  # text and bars, not a blank page

    flat = pdf_text(path)
    assert "Rapport de vacation — CSU de test" in flat
    assert "Période du lundi 2 juin 2025 06:00 au lundi 2 juin 2025 14:00" in flat
    assert "Chaîne vérifiée : oui (13 événements de la période)" in flat
    # The head a witness compares with (csu-console logbook verify): seq and hash.
    assert chain.seq > 0 and f"Tête de chaîne : n° {chain.seq} — empreinte {chain.head}" in flat
    assert "Alertes reçues 3" in flat
    assert "médiane 30 s, p90 2 min 00 s, max 2 min 00 s (3 alertes)" in flat
    assert "médiane 3 min 30 s, p90 5 min 00 s, max 5 min 00 s (2 alertes)" in flat
    assert "Alarme en sourdine 2 min 00 s" in flat
    assert "Alertes ouvertes en fin de période 1" in flat
    assert "Par zone Nord 3" in flat
    assert "Alpha 1 sur l'alerte n° 3 depuis 02/06 13:55:00" in flat
    assert "page 1 / 3" in flat and "page 3 / 3" in flat and "Main courante" in flat
    assert "02/06 06:10:30 Prise en compte poste-1 durand 1" in flat
    assert "issue : Interpellation" in flat
    ro.close()
    store.close()


def test_the_report_is_painted_a_page_at_a_time_into_memory(qapp: Any, tmp_path: Path) -> None:
    """As the review screen does (issue 14): the GUI thread paints one page per step
    into a buffer; the pages and the text are those of the file written at once."""
    store = Store(tmp_path / "data" / DB_NAME)
    build(store)
    ro = Store(store.path, readonly=True)
    reader = ReviewReader(ro.conn)
    f = ReviewFilter.for_period(SHIFT)
    data = ReportData("CSU", PARIS, load_summary(reader, f), None, "chef", t(12, 30))
    lines = list(reader.logbook(f))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    steps = list(paint_report(buffer, data, lines, len(lines)))
    assert steps == [0, 0, 13]  # page 1, page 2, then the main courante (one page)
    path = tmp_path / "rapport.pdf"
    path.write_bytes(bytes(buffer.data().data()))
    assert path.stat().st_size > 10_000
    assert "Chaîne vérifiée : non vérifiée" in pdf_text(path)
    ro.close()
    store.close()
