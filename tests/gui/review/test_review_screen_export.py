"""Exports from the review window: a mandatory reason, the file written off the GUI
thread, the ``export`` event in the main courante (who, why, which filter, the
file's SHA-256), reporters pseudonymised for a supervisor."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QProgressDialog
from review_shift import STATION, Data
from support import pdf_text

from csu_console.storage.review_export import ExportResult
from csu_console.storage.writer import StorageWriter
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker


def export_events(db: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT station, operator, details FROM events WHERE kind = 'export' ORDER BY pk"
        ).fetchall()
    finally:
        conn.close()
    return [{"station": s, "operator": o, **json.loads(d)} for s, o, d in rows]


def export(qtbot: Any, window: ReviewWindow, kind: str, reason: str) -> ExportResult:
    button = window.csv_button if kind == "csv" else window.pdf_button
    with qtbot.waitSignal(window.exports.finished, timeout=30_000) as done:
        button.click()
        dialog = window.exports.reason_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.setTextValue(reason)
        dialog.accept()
    result = done.args[0]
    assert isinstance(result, ExportResult)
    return result


def test_csv_export_is_logged_and_pseudonymised(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter, data: Data, tmp_path: Path
) -> None:
    narrowed = window.loaded
    with qtbot.waitSignal(narrowed, timeout=10_000):
        window.narrow("categories", "cambriolage")
    result = export(qtbot, window, "csv", "Réquisition OPJ n° 42")

    path = tmp_path / "revue-20250602-0600.csv"
    assert result.path == path and result.rows == 2  # B2, B3 (B0 came before the shift)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == result.sha256
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["identifiant"] for r in rows] == ["B2", "B3"]
    assert all(r["signalant"].startswith("sig-") and len(r["signalant"]) == 20 for r in rows)
    assert rows[0]["signalant"] != rows[1]["signalant"]
    assert "citoyen-" not in text  # the platform's pseudonyms never leave

    [event] = export_events(writer.path)
    assert (event["station"], event["operator"]) == (STATION, "chef")
    assert event["reason"] == "Réquisition OPJ n° 42"
    assert (event["format"], event["rows"], event["revealed"]) == ("csv", 2, False)
    assert event["sha256"] == result.sha256 and event["file"] == path.name
    assert event["filter"]["categories"] == ["cambriolage"]
    assert event["filter"]["start"].startswith("2025-06-02T04:00:00")
    box = window.exports.result_box
    assert box is not None and result.sha256 in box.text() and "Lignes : 2" in box.text()
    assert not window.reveal.isVisible()  # a supervisor cannot reveal reporters


def test_a_blank_reason_exports_nothing(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter, tmp_path: Path
) -> None:
    with qtbot.waitSignal(window.exports.failed, timeout=5000) as failed:
        window.csv_button.click()
        dialog = window.exports.reason_dialog
        assert dialog is not None
        dialog.setTextValue("   ")
        dialog.accept()
    assert failed.args[0] == "Export annulé : le motif est obligatoire."
    assert list(tmp_path.glob("*.csv")) == []
    assert writer.submit(lambda s: s.count("events")).result() > 0  # the storage thread
    assert export_events(writer.path) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent")
def test_pdf_report_export(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter, tmp_path: Path
) -> None:
    result = export(qtbot, window, "pdf", "Rapport au maire")
    assert result.path == tmp_path / "revue-20250602-0600.pdf"
    flat = pdf_text(result.path)
    assert "Rapport de vacation — CSU de test" in flat
    assert "Période du lundi 2 juin 2025 06:00 au lundi 2 juin 2025 14:00" in flat
    assert "Chaîne vérifiée : oui" in flat
    assert "Alertes reçues 6" in flat
    assert "Édité le" in flat and "par Claire Chef (Superviseur)" in flat
    [event] = export_events(writer.path)
    assert (event["format"], event["reason"], event["operator"]) == (
        "pdf",
        "Rapport au maire",
        "chef",
    )


def _end_while_the_gui_is_busy(
    qtbot: Any, window: ReviewWindow, worker: ReviewWorker, kind: str, done_when: Any
) -> list[str]:
    """Export with the GUI thread busy while the export ends, as in a storm; returns
    what happened to the progress dialog inside its own ``setValue``."""
    seen: list[str] = []
    inside: list[QProgressDialog] = []
    set_value, delete_later = QProgressDialog.setValue, QProgressDialog.deleteLater

    def watched_set_value(dialog: QProgressDialog, value: int) -> None:
        inside.append(dialog)
        try:
            set_value(dialog, value)  # a modal dialog runs the event loop in here
        finally:
            inside.pop()

    def watched_delete_later(dialog: QProgressDialog) -> None:
        if dialog in inside:
            seen.append("supprimée pendant son setValue")
        delete_later(dialog)

    gate = threading.Event()
    # A job ahead of the export holds the worker until the progress dialog is up.
    worker.submit(lambda _r, _s, _p: gate.wait(10), lambda _x: None, screen=False)
    QProgressDialog.setValue = watched_set_value  # type: ignore[method-assign]
    QProgressDialog.deleteLater = watched_delete_later  # type: ignore[method-assign]
    try:
        with qtbot.waitSignal(window.exports.finished, timeout=30_000):
            (window.pdf_button if kind == "pdf" else window.csv_button).click()
            dialog = window.exports.reason_dialog
            assert dialog is not None
            dialog.setTextValue("relève")
            dialog.accept()
            qtbot.waitUntil(lambda: bool(window.exports.progress)
                            and window.exports.progress.isVisible())  # fmt: skip
            gate.set()
            # The GUI thread is busy (no event handled) until the worker is done:
            # the export's last progress and its result wait together in the queue.
            deadline = time.monotonic() + 20
            while not done_when() and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.1)  # the worker emits its result just after
    finally:
        QProgressDialog.setValue = set_value  # type: ignore[method-assign]
        QProgressDialog.deleteLater = delete_later  # type: ignore[method-assign]
    return seen


def test_the_progress_dialog_is_not_deleted_under_its_own_set_value(
    qtbot: Any, window: ReviewWindow, worker: ReviewWorker, tmp_path: Path
) -> None:
    """Issue 14's segmentation fault: the export's result handled inside the modal
    progress dialog's ``setValue`` closed and deleted the dialog there."""
    csv_path = tmp_path / "revue-20250602-0600.csv"
    seen = _end_while_the_gui_is_busy(qtbot, window, worker, "csv", csv_path.exists)
    assert seen == []
    assert window.exports.progress is None  # closed, then deleted once setValue returned
    box = window.exports.result_box
    assert box is not None and "Export terminé" in box.text()
