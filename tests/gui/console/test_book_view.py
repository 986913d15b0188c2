"""« Main courante du jour » on the real console window (``app.Console``: storage
thread, queue, map, session): F9 writes a chained entry that shows at once, a
correction shows the original struck through, a peer's event copied into
``peer_events`` shows within the poll, the filters narrow the book, and the PDF
carries the chain head and is logged as an export."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from support import CONFIG_DIR

from csu_console.app import Console
from csu_console.core.alerts import Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.startup import RunOptions
from csu_console.storage.store import Store
from csu_console.ui.console.book_model import COLUMNS, HTML_ROLE
from csu_console.ui.console.entry_dialog import EntryDialog

# The demo site's cameras are not reachable here: the wall says so, and retries.
pytestmark = pytest.mark.expected_logs("csu.media", "csu.net", "csu.video")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def console(qtbot: Any, qapp: QApplication, tmp_path: Path) -> Iterator[Console]:
    """The real console on a copy of the demo site, logged in as ``demo`` (an
    operator); no gateway listening (the book does not need one)."""
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    c = Console(
        qapp,
        RunOptions(config, tmp_path / "data", gateway=f"ws://127.0.0.1:{free_port()}/",
                   autologin="demo"),
    )  # fmt: skip
    qtbot.addWidget(c.window, before_close_func=lambda _w: c.stop())
    try:
        c.start()
        qtbot.waitUntil(lambda: c.session.account is not None, timeout=5000)
        yield c
    finally:
        c.stop()


def rows(console: Console, sql: str, *params: object) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{console.writer.path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def press_f9(qtbot: Any, console: Console) -> EntryDialog:
    window = console.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: console.book.dialog is not None and console.book.dialog.isVisible())
    dialog = console.book.dialog
    assert dialog is not None
    return dialog


def texts(console: Console) -> list[str]:
    m = console.book_model
    return [m.data(m.index(r, COLUMNS.index("text"))) for r in range(m.rowCount())]


def add_alert(console: Console, qtbot: Any, title: str = "Vitrine brisée") -> int:
    lat, lon = 60.1699, 24.9384
    msg = AlertMessage(None, console_alert(title, lat, lon))
    station = console.settings.station
    console.tasks.run(
        lambda s: s.commit_batch([msg], station), console.bridge.frames_committed.emit
    )
    qtbot.waitUntil(lambda: console.model.rowCount() == 1, timeout=5000)
    alert = console.model.alert_at(0)
    assert alert is not None
    return alert.pk


def console_alert(title: str, lat: float, lon: float) -> Any:
    from csu_console.core.alerts import Alert

    return Alert(
        source="voisins-vigilants",
        id="book-1",
        sent=datetime.now(UTC),
        category=Category.RIXE,
        priority=2,
        title=title,
        location=Location(lat, lon, "Esplanadi", 10.0),
    )


def test_f9_writes_a_chained_entry_on_the_selected_alert_shown_at_once(
    console: Console, qtbot: Any
) -> None:
    pk = add_alert(console, qtbot)
    console.window.select_row(0)
    dialog = press_f9(qtbot, console)
    assert dialog.alert_pk() == pk  # the selected alert by default
    assert "demo" in dialog.signature.text() and console.settings.station in dialog.signature.text()
    dialog.type_box.setCurrentIndex(dialog.type_box.findData("radio"))
    qtbot.keyClicks(dialog.text_edit, "Patrouille 2 sur place, calme revenu")
    # The place clicked on the map: the dialog steps aside, the next click answers.
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    picker = console.book.picker
    assert picker is not None
    qtbot.waitUntil(lambda: picker.active and not dialog.isVisible())
    view = console.map_pane.view
    middle = QPoint(view.viewport().width() // 2, view.viewport().height() // 2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    qtbot.waitUntil(dialog.isVisible)
    point = dialog.point()
    assert point is not None and abs(point[0] - 60.17) < 0.2 and abs(point[1] - 24.94) < 0.3
    dialog.camera_box.setCurrentIndex(1)
    camera = dialog.camera_box.currentData()
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)  # Entrée records
    qtbot.waitUntil(lambda: console.book.dialog is None, timeout=5000)

    [entry] = rows(console, "SELECT * FROM events WHERE kind = 'entry'")
    assert (entry["station"], entry["operator"], entry["alert_pk"]) == (
        console.settings.station, "demo", pk,
    )  # fmt: skip
    assert entry["at_local"] is not None
    details = __import__("json").loads(entry["details"])
    assert details["type"] == "radio" and details["camera"] == camera
    assert details["text"] == "Patrouille 2 sur place, calme revenu" and "lat" in details
    store = Store(console.writer.path, readonly=True)
    try:
        assert store.verify_chain().ok
    finally:
        store.close()
    # In the view at once (the controller re-reads after writing; no poll needed).
    qtbot.waitUntil(lambda: any("calme revenu" in t for t in texts(console)), timeout=3000)
    console.window.show_book()
    assert console.window.lower_tabs is not None
    assert console.window.lower_tabs.currentWidget() is console.book_view
    assert console.book_view.isVisible()


def test_a_correction_shows_the_original_struck_through(console: Console, qtbot: Any) -> None:
    dialog = press_f9(qtbot, console)
    qtbot.keyClicks(dialog.text_edit, "Appel de M. Durand rue Hoche")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.book.dialog is None, timeout=5000)
    view = console.book_view
    view.type_box.setCurrentIndex(view.type_box.findData("__entries__"))
    qtbot.waitUntil(lambda: console.book_model.rowCount() == 1, timeout=3000)

    view.table.selectRow(0)
    assert view.correct_button.isEnabled()
    qtbot.mouseClick(view.correct_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.book.dialog is not None and console.book.dialog.isVisible())
    fix = console.book.dialog
    assert fix is not None and fix.correcting is not None
    assert fix.text_edit.toPlainText() == "Appel de M. Durand rue Hoche"  # prefilled
    fix.text_edit.setPlainText("Appel de M. Durand rue Foch")
    fix._submit()  # no reason: refused in the dialog, nothing written
    assert "motif" in fix.error_label.text()
    qtbot.keyClicks(fix.reason_edit, "mauvaise rue")
    qtbot.keyClick(fix.reason_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.book.dialog is None, timeout=5000)

    qtbot.waitUntil(lambda: console.book_model.rowCount() == 2, timeout=3000)
    m = console.book_model
    correction, entry = m.row_at(0), m.row_at(1)
    assert correction is not None and correction.is_correction
    assert entry is not None and entry.is_entry and entry.corrections
    html = m.data(m.index(1, COLUMNS.index("text")), HTML_ROLE)
    assert "<s>Appel de M. Durand rue Hoche</s>" in html and "rue Foch" in html
    assert "mauvaise rue" in html
    view.table.selectRow(1)  # the line read out in full under the table, struck too
    assert "<s>Appel de M. Durand rue Hoche</s>" in view.reader.text()
    [original] = rows(console, "SELECT details FROM events WHERE kind = 'entry'")
    assert "rue Hoche" in original["details"]  # never edited
    store = Store(console.writer.path, readonly=True)
    try:
        assert store.verify_chain().ok
    finally:
        store.close()


def test_a_peer_event_appears_live_and_filters_narrow_the_book(
    console: Console, qtbot: Any
) -> None:
    console.window.show_book()
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    conn = sqlite3.connect(console.writer.path)
    with conn:
        conn.execute(
            "INSERT INTO peer_events (station, seq, at, kind, operator, details,"
            " details_sha256, prev_hash, hash, received_at)"
            " VALUES ('poste-2', 41, ?, 'entry', 'martin', ?, '', '', '', ?)",
            (now, '{"text":"Message radio de la BAC","type":"radio"}', now),
        )
    conn.close()
    qtbot.waitUntil(
        lambda: any("Message radio de la BAC" in t for t in texts(console)), timeout=4000
    )
    view = console.book_view
    qtbot.waitUntil(lambda: view.station_box.findData("poste-2") > 0, timeout=3000)
    view.station_box.setCurrentIndex(view.station_box.findData("poste-2"))
    qtbot.waitUntil(lambda: console.book_model.rowCount() == 1, timeout=3000)
    peer = console.book_model.row_at(0)
    assert peer is not None and not peer.own
    view.table.selectRow(0)
    assert not view.correct_button.isEnabled()  # another station's entry
    assert "Message radio de la BAC" in view.reader.text()  # read out in full
    view.station_box.setCurrentIndex(0)
    view.search.setText("BAC")
    qtbot.waitUntil(lambda: console.book_model.rowCount() == 1, timeout=3000)
    view.search.setText("introuvable")
    qtbot.waitUntil(lambda: console.book_model.rowCount() == 0, timeout=3000)


def test_printing_writes_the_pdf_with_the_chain_head_and_logs_an_export(
    console: Console, qtbot: Any, tmp_path: Path
) -> None:
    dialog = press_f9(qtbot, console)
    qtbot.keyClicks(dialog.text_edit, "Consigne : ronde au parc vers 22 h")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.book.dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: any("ronde au parc" in t for t in texts(console)), timeout=3000)
    target = tmp_path / "mc.pdf"
    done: list[Path] = []
    console.book.print_to(target, "réquisition n° 12", done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    [export] = rows(console, "SELECT * FROM events WHERE kind = 'export'")
    details = __import__("json").loads(export["details"])
    assert details["format"] == "pdf" and details["what"] == "main courante"
    assert details["chain_ok"] is True and details["head_seq"] >= 1
    assert details["reason"] == "réquisition n° 12"
    assert not list(tmp_path.glob(".mc.pdf.*"))  # no temporary file left
    # The footer prints the head: its hash is in the page's text.
    head = rows(console, "SELECT hash FROM events WHERE pk = ?", details["head_seq"])[0]["hash"]
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils absent : texte du PDF non vérifié")
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Tête de chaîne du poste" in text and "chaîne vérifiée" in text
    assert head[:16] in text.replace("\n", "")
    assert "ronde au parc" in text


def test_f9_is_refused_to_whom_may_not_write_and_greyed_for_nobody(
    console: Console, qtbot: Any
) -> None:
    window = console.window
    console.session.log_out()
    assert not window.entry_action.isEnabled() and not window.entry_button.isEnabled()
    messages: list[str] = []
    console.book.message.connect(messages.append)
    console.book.open_entry()  # reached anyway (a stray call): refused, said why
    assert console.book.dialog is None
    assert messages == ["Action réservée : personne n'est connecté à ce poste."]


def test_the_tab_counts_what_was_written_while_the_detail_was_shown(
    console: Console, qtbot: Any
) -> None:
    tabs = console.window.lower_tabs
    assert tabs is not None
    book = tabs.indexOf(console.book_view)
    qtbot.waitUntil(lambda: console.book.page.cursor.events > 0, timeout=3000)  # first reading
    assert tabs.currentIndex() != book
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    conn = sqlite3.connect(console.writer.path)
    with conn:
        conn.execute(
            "INSERT INTO peer_events (station, seq, at, kind, operator, details,"
            " details_sha256, prev_hash, hash, received_at)"
            " VALUES ('poste-2', 7, ?, 'entry', 'martin', ?, '', '', '', ?)",
            (now, '{"text":"Appel du gardien","type":"appel"}', now),
        )
    conn.close()
    qtbot.waitUntil(lambda: tabs.tabText(book) == "Main courante du jour (+1)", timeout=4000)
    console.window.show_book()
    assert tabs.tabText(book) == "Main courante du jour"
