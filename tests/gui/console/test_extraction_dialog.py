"""« Extraction sur réquisition » with real parts: a copy of the recorded site as the
recorder's folder (real Matroska segments, real PyAV remux), the real storage
thread on a SQLite file, the real dialog offscreen, the procès-verbal read back
with poppler's ``pdftotext``.

The requisition's fields are required (each missing one named, nothing written);
a full extraction writes the MP4s, the PV and the JSON, records the EXTRACTION
event and the legal hold, puts the source segments under hold and is listed by the
register, whose CSV export is logged; a role without EXTRACT_VIDEO is refused;
« Annuler » leaves no file.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import av
import pytest
from PySide6.QtWidgets import QApplication
from support import RecordedSite

from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.recorder.index import RecordingIndex
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.extraction_dialog import ExtractionDialog, SiteFacts
from csu_console.ui.console.extraction_form import Prefill
from csu_console.ui.console.extraction_job import JobResult
from csu_console.ui.console.extractions_register import ExtractionsRegisterWindow
from csu_console.ui.console.session import Session

TZ = ZoneInfo("Europe/Paris")
STATION = "poste-1"
CAMERAS = [("cam-01", "Place de l'Horloge"), ("cam-02", "Rue de la République"),
           ("cam-03", "Parking des Arènes")]  # fmt: skip


@pytest.fixture
def recordings(recorded_site: RecordedSite, tmp_path: Path) -> Path:
    """A copy of the session's recorded site (the extraction puts holds in its index)."""
    root = tmp_path / "recordings"
    shutil.copytree(recorded_site.root, root)
    return root


@pytest.fixture
def parts(
    qtbot: Any, writer: StorageWriter, recordings: Path, tmp_path: Path
) -> Iterator[dict[str, Any]]:
    tasks = DbTasks(writer)
    session = Session()
    usb = tmp_path / "usb"
    usb.mkdir()
    site = SiteFacts("CSU de Nîmes", "Nîmes", TZ, CAMERAS, recordings, STATION, 30)
    yield {"tasks": tasks, "session": session, "site": site, "usb": usb, "writer": writer}


def make_dialog(qtbot: Any, parts: dict[str, Any], prefill: Prefill | None) -> ExtractionDialog:
    dialog = ExtractionDialog(parts["site"], parts["tasks"], parts["session"], prefill=prefill,
                              folder=parts["usb"])  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def period(site: RecordedSite) -> Prefill:
    start = site.origin + timedelta(seconds=5)
    return Prefill(("cam-01", "cam-02"), start, start + timedelta(seconds=30), "Alerte n° 7")


def fill_requisition(dialog: ExtractionDialog) -> None:
    dialog.form.number.setText("2026/001234")
    dialog.form.service.setText("Commissariat de police de Nîmes")
    dialog.form.opj.setText("Capitaine Jeanne Martin")
    dialog.form.issued.setText(datetime.now(TZ).strftime("%d/%m/%Y"))


def events(path: Path, kind: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT details FROM events WHERE kind = ? ORDER BY pk", (kind,))
        return [json.loads(r[0]) for r in rows.fetchall()]
    finally:
        conn.close()


def table_count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def supervisor(session: Session) -> None:
    session.log_in(Account("chef", "Claire Chef", Role.SUPERVISEUR))


def test_every_requisition_field_is_required_and_named(
    qtbot: Any, parts: dict[str, Any], recorded_site: RecordedSite
) -> None:
    supervisor(parts["session"])
    dialog = make_dialog(qtbot, parts, period(recorded_site))
    form = dialog.form
    assert form.checked_cameras() == ["cam-01", "cam-02"]  # the alert's, first
    assert not dialog.extract_button.isEnabled()
    named = {k: form.messages[k].text() for k in ("number", "service", "opj", "issued")}
    assert named["number"].startswith("N° de réquisition : obligatoire")
    assert named["service"].startswith("Service requérant : obligatoire")
    assert named["opj"].startswith("OPJ : obligatoire")
    assert named["issued"].startswith("Date de la réquisition : obligatoire")
    assert all(form.messages[k].isVisible() for k in named)
    assert form.messages["cameras"].text() == "" and form.messages["period"].text() == ""
    # Filled one by one: « Extraire » waits for the last one, and the fields stay
    # where they were while their messages go (a click lands where it was aimed).
    where = {k: form.mapTo(dialog, getattr(form, k).pos()) for k in ("service", "opj", "issued")}
    form.number.setText("2026/001234")
    QApplication.processEvents()
    assert {k: form.mapTo(dialog, getattr(form, k).pos()) for k in where} == where
    form.service.setText("Commissariat de Nîmes")
    form.opj.setText("Capitaine Martin")
    assert form.messages["number"].text() == "" and not dialog.extract_button.isEnabled()
    form.issued.setText("31/02/2026")
    assert "illisible" in form.messages["issued"].text()
    form.issued.setText("04/12/2026")
    assert dialog.extract_button.isEnabled()
    # A blank field again (spaces only), pressed anyway: nothing is written.
    form.opj.setText("   ")
    assert not dialog.extract_button.isEnabled()
    dialog.extract()
    assert dialog.job is None
    assert list(parts["usb"].iterdir()) == []
    assert table_count(parts["writer"].path, "extractions") == 0
    assert events(parts["writer"].path, "extraction") == []
    # No camera checked: named too.
    form.opj.setText("Capitaine Martin")
    for i in range(form.camera_list.count()):
        form.camera_list.item(i).setCheckState(form.camera_list.item(i).checkState().Unchecked)
    assert "au moins une caméra" in form.messages["cameras"].text()
    assert not dialog.extract_button.isEnabled()


def test_a_full_extraction_writes_files_pv_json_event_and_hold(
    qtbot: Any, parts: dict[str, Any], recorded_site: RecordedSite, recordings: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    supervisor(parts["session"])
    dialog = make_dialog(qtbot, parts, period(recorded_site))
    fill_requisition(dialog)
    assert dialog.extract_button.isEnabled()
    with qtbot.waitSignal(dialog.extracted, timeout=60_000) as done:
        dialog.extract_button.click()
        assert dialog.progress.isVisible()  # the GUI did not wait
    result: JobResult = done.args[0]
    assert dialog.pages.currentIndex() == 1 and result.problems == ()
    folder = result.folder
    assert folder.parent == parts["usb"] and "2026-001234" in folder.name
    files = [f for f in result.record.files if f.sha256]
    assert [f.camera_id for f in files] == ["cam-01", "cam-02"]
    for f in files:
        assert f.path.parent == folder and f.path.is_file()
        assert hashlib.sha256(f.path.read_bytes()).hexdigest() == f.sha256
        with av.open(str(f.path)) as mp4:  # it plays: frames decode
            frame = next(mp4.decode(video=0))
            assert frame.width == 640
        # Covers the requested period within a segment's precision (10 s here).
        assert f.start <= result.record.request.start + timedelta(seconds=1)
        assert f.end >= result.record.request.end - timedelta(seconds=10)
    # The procès-verbal: a valid PDF naming the requisition and every file's SHA-256.
    assert result.report.is_file()
    text = subprocess.run(["pdftotext", "-layout", str(result.report), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    assert "Procès-verbal d'extraction" in text and "2026/001234" in text
    assert "Capitaine Jeanne Martin" in text and "page 1 /" in text
    for f in files:
        assert f.sha256 in text.replace(" ", "")
    pv_sha = hashlib.sha256(result.report.read_bytes()).hexdigest()
    assert result.record.report_sha256 == pv_sha
    # The JSON sidecar: the same facts.
    facts = json.loads(result.sidecar.read_text(encoding="utf-8"))
    assert facts["requisition"]["number"] == "2026/001234"
    assert facts["proces_verbal"]["sha256"] == pv_sha
    assert [c["file"]["sha256"] for c in facts["cameras"]] == [f.sha256 for f in files]
    # The main courante: the extraction, its legal hold; the segments held.
    db = parts["writer"].path
    (event,) = events(db, "extraction")
    assert event["requisition"] == "2026/001234" and event["report_sha256"] == pv_sha
    assert events(db, "extraction_failed") == []
    holds = [r for r in _rows(db, "SELECT target, target_ref FROM legal_holds")]
    assert ("extraction", str(result.record.pk)) in holds
    index = RecordingIndex(recordings, create=False)
    try:
        minute = recorded_site.origin + timedelta(minutes=1)
        held = [s for s in index.segments("cam-01", recorded_site.origin, minute) if s.held]
        assert held, "the source segments are under hold"
    finally:
        index.close()
    assert "Extraction n° " in dialog.summary.toPlainText()
    assert files[0].sha256[:16] in dialog.summary.toPlainText()

    # The register lists it; its CSV export asks why and is logged.
    csv_path = tmp_path / "registre.csv"
    register = ExtractionsRegisterWindow(
        parts["tasks"], parts["session"], TZ, STATION, dict(CAMERAS), centre="CSU de Nîmes",
        choose_path=lambda _name: csv_path, recordings=recordings,
    )  # fmt: skip
    qtbot.addWidget(register)
    register.show()
    with qtbot.waitSignal(register.loaded, timeout=10_000):
        register.refresh()
    assert register.table.rowCount() == 1
    row = [register.table.item(0, c).text() for c in range(register.table.columnCount())]
    assert row[1] == "2026/001234" and row[3] == "Capitaine Jeanne Martin"
    assert "Place de l'Horloge" in row[4] and row[-1] == "en cours"
    register.export_csv()
    reason = register.reason_dialog
    assert reason is not None
    with qtbot.waitSignal(register.exported, timeout=10_000):
        reason.setTextValue("réquisition CNIL annuelle")
        reason.accept()
    content = csv_path.read_text(encoding="utf-8-sig")
    assert "2026/001234" in content and files[0].sha256 in content
    exports = [e for e in events(db, "export") if e.get("what") == "extractions"]
    assert exports and exports[-1]["reason"] == "réquisition CNIL annuelle"
    assert exports[-1]["sha256"] == hashlib.sha256(csv_path.read_bytes()).hexdigest()

    # Mainlevée from the register: asks why, releases the hold and the segments.
    register.release_selected()
    assert "Choisissez" in register.status.text()  # nothing selected: nothing released
    register.table.selectRow(0)
    register.release_selected()
    why = register.reason_dialog
    assert why is not None and "2026/001234" in why.labelText()
    with qtbot.waitSignal(register.loaded, timeout=10_000):
        why.setTextValue("classement sans suite, avis du parquet")
        why.accept()
    assert register.table.item(0, register.table.columnCount() - 1).text().startswith("levée le")
    assert "segment(s)" in register.status.text()
    released = events(db, "legal_hold_released")
    assert released and released[-1]["release_reason"] == "classement sans suite, avis du parquet"
    index = RecordingIndex(recordings, create=False)
    try:
        segments = index.segments("cam-01", recorded_site.origin, minute)
        assert segments and not any(s.held for s in segments)
    finally:
        index.close()


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def test_a_role_without_extract_video_is_refused(
    qtbot: Any, parts: dict[str, Any], recorded_site: RecordedSite
) -> None:
    parts["session"].log_in(Account("inst", "Ingrid Installe", Role.INSTALLATEUR))
    dialog = make_dialog(qtbot, parts, period(recorded_site))
    fill_requisition(dialog)
    dialog.extract()
    assert dialog.job is None
    assert dialog.error.text().startswith("Action réservée : le rôle « Installateur »")
    assert list(parts["usb"].iterdir()) == []
    assert table_count(parts["writer"].path, "extractions") == 0


def test_cancel_leaves_no_file_and_is_logged(
    qtbot: Any, parts: dict[str, Any], recorded_site: RecordedSite
) -> None:
    supervisor(parts["session"])
    dialog = make_dialog(qtbot, parts, period(recorded_site))
    fill_requisition(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=60_000) as failed:
        dialog.extract_button.click()
        dialog.cancel_button.click()  # at once: before the copy's result is handed back
    assert "annulée" in failed.args[0]
    assert dialog.error.isVisible() and dialog.pages.currentIndex() == 0
    qtbot.waitUntil(lambda: list(parts["usb"].iterdir()) == [], timeout=10_000)
    db = parts["writer"].path
    qtbot.waitUntil(lambda: len(events(db, "extraction_failed")) == 1, timeout=10_000)
    assert events(db, "extraction") == [] and table_count(db, "extractions") == 0
    # The form is usable again: the same extraction can be asked once more.
    assert dialog.extract_button.isEnabled() and dialog.form.number.isEnabled()


def test_extraction_never_before_now(qtbot: Any, parts: dict[str, Any]) -> None:
    """Opened from an alert reported a minute ago, the end is not in the future."""
    supervisor(parts["session"])
    now = datetime.now(UTC).replace(microsecond=0)
    prefill = Prefill(("cam-03",), now - timedelta(minutes=10), now + timedelta(minutes=20))
    dialog = make_dialog(qtbot, parts, prefill)
    start, end = dialog.form.period()
    assert end <= datetime.now(UTC) + timedelta(seconds=1)
    assert start == now - timedelta(minutes=10)
