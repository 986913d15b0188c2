"""The review by commune and « Rapport par commune… » in the review window: the
commune filter offers the territory's communes and counts an alert where it lies;
the zones are listed under their zoning; one PDF per commune holds that commune's
alerts only (read back with poppler's pdftotext), each logged as an export with
its reason, its commune and its SHA-256 (see ``commune_report_data``)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from commune_report_data import AUDINCOURT, MONTBELIARD, SITE, Communes, build
from support import pdf_text

from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker

NOW = datetime(2025, 6, 3, 8, tzinfo=UTC)


def export_events(db: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT operator, details FROM events WHERE kind = 'export' ORDER BY pk"
        ).fetchall()
    finally:
        conn.close()
    return [{"operator": o, **json.loads(d)} for o, d in rows]


@pytest.fixture
def communes(writer: StorageWriter) -> Communes:
    return writer.submit(build).result(timeout=30)


@pytest.fixture
def window(
    qtbot: Any,
    writer: StorageWriter,
    communes: Communes,
    session: Session,
    worker: ReviewWorker,
    tmp_path: Path,
) -> ReviewWindow:
    del communes
    chosen = tmp_path / "rapports"
    chosen.mkdir()

    def choose(kind: str, name: str) -> Path:
        return chosen if kind == "folder" else chosen / name

    w = ReviewWindow(SITE, session, worker, writer, "poste-1", now=lambda: NOW,
                     choose_path=choose)  # fmt: skip
    qtbot.addWidget(w)
    w.show()
    w.picker.set_days(date(2025, 6, 2), date(2025, 6, 2))
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        w.picker.apply()
    return w


def test_the_commune_filter_lists_the_territory_and_follows_the_geometry(
    qtbot: Any, window: ReviewWindow, communes: Communes
) -> None:
    table = window.indicators.by_commune
    rows = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    assert rows == [("Audincourt (25031)", "2"), ("Montbéliard (25388)", "2"),
                    ("Hors territoire", "1")]  # fmt: skip
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        table.itemClicked.emit(table.item(0, 0))  # a click narrows to the commune
    assert communes.names(r.pk for r in window.model.rows) == ["A1", "A2"]
    box = window.filters.boxes["communes"]
    assert [box.itemText(i) for i in range(box.count())] == [
        "Tous", "Audincourt (25031)", "Montbéliard (25388)"]  # fmt: skip
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.narrow("communes", MONTBELIARD)
    assert communes.names(r.pk for r in window.model.rows) == ["M1", "M2"]
    assert "communes : Montbéliard (25388)" in window.scope.text()
    # M1's citizen typed Audincourt: the list says where it lies, and what was typed.
    lieu = {window.model.row_at(i).pk: window.model.index(i, 5).data()  # type: ignore[union-attr]
            for i in range(window.model.rowCount())}  # fmt: skip
    assert (
        lieu[communes.pks["M1"]] == "12 rue Dupont M1, Montbéliard (25388) (déclarée : Audincourt)"
    )
    zones = window.filters.boxes["zones"]
    texts = [zones.itemText(i).strip() for i in range(zones.count())]
    assert texts[:2] == ["Tous", "Secteurs de police municipale"]
    assert texts.index("Îlots de vidéoprotection") < texts.index("Les Halles")
    assert "Communes" not in texts and "Montbéliard" not in texts  # the « Commune » list's
    heading = zones.model().item(texts.index("Îlots de vidéoprotection"))  # type: ignore[attr-defined]
    assert not heading.isEnabled()  # a zoning's label is not a value
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.narrow("zones", "i-halles")
    assert communes.names(r.pk for r in window.model.rows) == ["M2"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent")
def test_one_report_per_commune_each_with_its_own_alerts_and_logged(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter, tmp_path: Path
) -> None:
    reports = window.communes_report
    with qtbot.waitSignal(reports.finished, timeout=60_000) as done:
        window.commune_button.click()
        picker = reports.picker
        assert picker is not None and picker.isVisible()
        assert picker.communes.currentIndex() == 0  # « toutes les communes »
        assert picker.communes.currentText() == "Toutes les communes (2 PDF, un par commune)"
        picker.accept()
        dialog = reports.reason_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.setTextValue("Bilan mensuel aux maires")
        dialog.accept()
    results = done.args[0]
    folder = tmp_path / "rapports"
    assert sorted(r.path.name for r in results) == [
        "rapport-25031-audincourt-20250602.pdf",
        "rapport-25388-montbeliard-20250602.pdf",
    ]
    texts = {r.path.name.split("-")[1]: pdf_text(r.path) for r in results}
    mont, aud = texts[MONTBELIARD], texts[AUDINCOURT]
    assert "Rapport d'activité — Montbéliard (25388)" in mont
    assert "Période : journée du lundi 2 juin 2025" in mont
    assert "période précédente de même durée : journée du dimanche 1 juin 2025" in mont
    assert "Alertes reçues 2 1 +1 (+100 %)" in mont  # M1, M2; M0 the day before
    assert "Dégradation" in mont and "Cambriolage" in mont and "Interpellation" in mont
    assert "Incendie" not in mont and "Animal perdu" not in mont  # Audincourt's
    assert "Rixe" not in mont  # X1 lies outside, whatever its citizen typed
    assert "Incendie" in aud and "Animal perdu" in aud and "Cambriolage" not in aud
    for text in (mont, aud):
        assert "Dupont" not in text and "citoyen-" not in text and "06 11" not in text
        assert "Conservation au CSU" in text and "(CNIL)" in text
        assert "par Claire Chef (Superviseur)" in text
    events = export_events(writer.path)
    assert len(events) == 2
    by_commune = {e["filter"]["communes"][0]: e for e in events}
    for key in (MONTBELIARD, AUDINCOURT):
        event = by_commune[key]
        assert event["reason"] == "Bilan mensuel aux maires" and event["operator"] == "chef"
        assert (event["format"], event["what"], event["rows"]) == ("pdf", "commune_report", 2)
    for result in results:
        event = next(e for e in events if e["file"] == result.path.name)
        assert event["sha256"] == hashlib.sha256(result.path.read_bytes()).hexdigest()
        assert result.path.parent == folder
    box = reports.result_box
    assert box is not None and "2 rapport(s)" in box.text()


def test_one_commune_report_to_a_file(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter, tmp_path: Path
) -> None:
    reports = window.communes_report
    with qtbot.waitSignal(reports.finished, timeout=60_000) as done:
        window.commune_button.click()
        picker = reports.picker
        assert picker is not None
        picker.communes.setCurrentIndex(picker.communes.findData(AUDINCOURT))
        picker.accept()
        assert reports.reason_dialog is not None
        reports.reason_dialog.setTextValue("Demande du maire d'Audincourt")
        reports.reason_dialog.accept()
    [result] = done.args[0]
    assert result.path == tmp_path / "rapports" / "rapport-25031-audincourt-20250602.pdf"
    assert result.path.read_bytes().startswith(b"%PDF")
    [event] = export_events(writer.path)
    assert event["filter"]["communes"] == [AUDINCOURT]
    assert event["commune"] == "Audincourt (25031)"


def test_a_blank_reason_writes_no_report(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter, tmp_path: Path
) -> None:
    reports = window.communes_report
    with qtbot.waitSignal(reports.failed, timeout=5000) as failed:
        window.commune_button.click()
        assert reports.picker is not None
        reports.picker.accept()
        assert reports.reason_dialog is not None
        reports.reason_dialog.setTextValue("  ")
        reports.reason_dialog.accept()
    assert failed.args[0] == "Export annulé : le motif est obligatoire."
    assert list((tmp_path / "rapports").iterdir()) == []
    assert export_events(writer.path) == []
