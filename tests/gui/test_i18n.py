"""English UI: the translation file is complete, compiled, current and used."""

from __future__ import annotations

import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from csu_console.core.alerts import (
    CATEGORY_LABELS,
    ISSUER_STATE_LABELS,
    PRIORITY_LABELS,
    STATE_LABELS,
    Category,
)
from csu_console.core.closing import QUALIFICATION_LABELS
from csu_console.core.dispatch import OUTCOME_LABELS, STAGE_LABELS, UNIT_STATUS_LABELS
from csu_console.core.entries import ENTRY_TYPE_LABELS
from csu_console.core.logbook import EVENT_LABELS
from csu_console.core.recording import MARK_LABELS, GapReason
from csu_console.core.roles import PERMISSION_LABELS, ROLE_LABELS
from csu_console.core.triage import SUGGESTION_LABELS
from csu_console.core.weak_signals.model import SIGNAL_KIND_LABELS, SIGNAL_STATUS_LABELS
from csu_console.media.video.source import StreamError
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_cells import COLUMNS
from csu_console.ui.console.alert_detail import PURGED_LABEL
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.i18n import I18N_DIR, install_qt_translator, install_translator
from csu_console.ui.labels import LABEL_SOURCES, tr_label

TS = I18N_DIR / "csu_en.ts"
QM = I18N_DIR / "csu_en.qm"
UI_DIR = I18N_DIR.parent
APP_PY = UI_DIR.parent / "app.py"


def qt_tool(name: str) -> str | None:
    """A PySide6 command-line tool: next to this interpreter, else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def translatable_sources() -> list[str]:
    """The files lupdate reads: the UI package and the composition root."""
    return [str(p) for p in sorted(UI_DIR.rglob("*.py"))] + [str(APP_PY)]


def messages(ts: Path) -> list[ET.Element]:
    return list(ET.parse(ts).getroot().iter("message"))


def keys(ts: Path) -> set[tuple[str, str]]:
    """(context, source) of every current message of a .ts file."""
    found: set[tuple[str, str]] = set()
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for msg in context.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") in ("obsolete", "vanished"):
                continue
            found.add((name, msg.findtext("source") or ""))
    return found


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """The English translator, removed afterwards along with the default locale."""
    saved = QLocale()
    translator = install_translator(qapp, "en")
    assert translator is not None
    try:
        yield
    finally:
        qapp.removeTranslator(translator)
        translator.deleteLater()
        QLocale.setDefault(saved)


@pytest.fixture
def tasks(writer: StorageWriter) -> Iterator[DbTasks]:
    t = DbTasks(writer)
    yield t
    t.deleteLater()


def build_window(qtbot: Any, tasks: DbTasks, tz: ZoneInfo, make: Any) -> MainWindow:
    model = AlertTableModel(tz)
    window = MainWindow(model, tasks, tz, "Villeurbanne", "CSU-1")
    qtbot.addWidget(window)
    model.setParent(window)
    model.load([make.stored(category=Category.CAMBRIOLAGE, priority=2)])
    return window


def test_main_window_in_english(
    qtbot: Any, english: None, tasks: DbTasks, tz: ZoneInfo, make: Any
) -> None:
    window = build_window(qtbot, tasks, tz, make)
    model = window.table.model()
    assert window.link_status.text() == "Link: starting…"
    assert window.windowTitle() == "CSU Console – Villeurbanne – CSU-1"
    assert window.station_label.text() == "Station: CSU-1 · nobody logged in"
    assert window.emergency.text().startswith("Citizens report, they do not intervene.")
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.counts_label.text() == "Alerts: 1 · new: 1"
    assert window.rejected_button.text() == "Rejected messages: 0"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == [
        "Priority",
        "Category",
        "Title",
        "Municipality",
        "Sector",
        "Reported at",
        "Received at",
        "Status",
    ]
    row = [model.index(0, c).data() for c in range(len(COLUMNS))]
    assert row[COLUMNS.index("category")] == "Burglary"
    assert row[COLUMNS.index("priority")] == "2 – High"
    assert row[COLUMNS.index("state")] == "New"
    assert "No alert selected" in window.detail.browser.toPlainText()

    window.select_row(0)
    assert "loading…" in window.detail.browser.toPlainText()
    qtbot.waitUntil(lambda: "loading…" not in window.detail.browser.toPlainText(), timeout=5000)
    text = window.detail.browser.toPlainText()
    assert "Timeline" in text
    assert "Burglary" in text
    assert "Category" in text


def test_french_again_without_the_translator(
    qtbot: Any, tasks: DbTasks, tz: ZoneInfo, make: Any
) -> None:
    window = build_window(qtbot, tasks, tz, make)
    assert window.link_status.text() == "Liaison : démarrage…"
    assert window.table.model().headerData(0, Qt.Orientation.Horizontal) == "Priorité"
    assert tr_label("Cambriolage") == "Cambriolage"


def test_every_core_label_is_translatable() -> None:
    """labels.py lists exactly the labels the UI passes through tr_label."""
    used = (
        set(CATEGORY_LABELS.values())
        | set(PRIORITY_LABELS.values())
        | set(STATE_LABELS.values())
        | set(ISSUER_STATE_LABELS.values())
        | set(EVENT_LABELS.values())
        | {PURGED_LABEL}
        | {e.value for e in StreamError}
        | set(UNIT_STATUS_LABELS.values())
        | set(STAGE_LABELS.values())
        | set(OUTCOME_LABELS.values())
        | set(QUALIFICATION_LABELS.values())
        | set(ROLE_LABELS.values())
        | set(PERMISSION_LABELS.values())
        | set(ENTRY_TYPE_LABELS.values())
        | {r.value for r in GapReason}
        | set(MARK_LABELS.values())
        | set(SUGGESTION_LABELS.values())
        | set(SIGNAL_KIND_LABELS.values())
        | set(SIGNAL_STATUS_LABELS.values())
    )
    assert used - LABEL_SOURCES == set(), "add them to csu_console/ui/labels.py"
    assert LABEL_SOURCES - used == set(), "stale entries in csu_console/ui/labels.py"
    in_ts = {source for context, source in keys(TS) if context == "Labels"}
    assert in_ts == LABEL_SOURCES


def test_every_message_is_translated() -> None:
    msgs = messages(TS)
    assert msgs
    bad = []
    for msg in msgs:
        tr = msg.find("translation")
        source = msg.findtext("source")
        if tr is None or tr.get("type") is not None or not (tr.text or "").strip():
            bad.append(source)
        elif source and "{" in source:
            # Placeholders filled by str.format must survive translation.
            assert sorted(_fields(source)) == sorted(_fields(tr.text or "")), source
    assert bad == [], f"untranslated: {bad}"


def _fields(text: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]


def test_committed_qm_matches_the_ts(tmp_path: Path) -> None:
    lrelease = qt_tool("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease not found (install PySide6 with its tools)")
    out = tmp_path / "csu_en.qm"
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(out)], check=True, timeout=60)
    assert out.read_bytes() == QM.read_bytes(), (
        "csu_en.qm is stale: run pyside6-lrelease csu_console/ui/i18n/csu_en.ts"
        " -qm csu_console/ui/i18n/csu_en.qm"
    )


def test_ts_has_every_string_of_the_sources(tmp_path: Path) -> None:
    """A new tr() string without a translation fails here, not in front of a user."""
    lupdate = qt_tool("pyside6-lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate not found (install PySide6 with its tools)")
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [lupdate, "-silent", *translatable_sources(), "-ts", str(fresh)], check=True, timeout=60
    )
    missing = keys(fresh) - keys(TS)
    stale = keys(TS) - keys(fresh)
    assert not missing, f"not in csu_en.ts (run pyside6-lupdate, then translate): {missing}"
    assert not stale, f"no longer in the sources (lupdate -no-obsolete): {stale}"


def _standard_texts(qtbot: Any) -> tuple[list[str], list[str]]:
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x",
                      buttons.Yes | buttons.No | buttons.Cancel | buttons.Save)  # fmt: skip
    qtbot.addWidget(box)
    choices = QDialogButtonBox.StandardButton
    bar = QDialogButtonBox(choices.Ok | choices.Cancel | choices.Open)
    qtbot.addWidget(bar)
    return sorted(b.text() for b in box.buttons()), sorted(b.text() for b in bar.buttons())


def test_qt_standard_buttons_speak_french(qtbot: Any, qapp: QApplication) -> None:
    """Issue 14: Qt's own buttons read « Cancel », « Yes », « Save » in the French UI."""
    translator = install_qt_translator(qapp, "fr")
    assert translator is not None
    try:
        box, bar = _standard_texts(qtbot)
    finally:
        qapp.removeTranslator(translator)
        translator.deleteLater()
    assert box == ["&Non", "&Oui", "Annuler", "Enregistrer"]
    assert bar == ["Annuler", "OK", "Ouvrir"]


def test_qt_standard_buttons_stay_english_with_lang_en(
    qtbot: Any, qapp: QApplication, english: None
) -> None:
    assert install_qt_translator(qapp, "en") is None  # Qt's own strings are English
    box, bar = _standard_texts(qtbot)
    assert box == ["&No", "&Yes", "Cancel", "Save"]
    assert bar == ["Cancel", "OK", "Open"]
