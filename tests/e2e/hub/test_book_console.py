"""Issue 16's « done when » for entries, end to end: F9 at the real console (the GUI,
its receiving process, its SQLite) writes a chained entry that shows at once in « Main
courante du jour » and reaches another station through a real hub and a real
nats-server, chain checked there; that station's entry comes back into this
console's view."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hub_support import TOKENS, HubThread
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support import CONFIG_DIR
from test_book_hub import BookStation

from csu_console.app import Console
from csu_console.core.logbook import EventKind
from csu_console.startup import RunOptions
from csu_console.storage.book_sync import peer_breaks
from csu_console.storage.store import Store

# The demo site's cameras are not reachable here: the wall says so, and retries.
pytestmark = pytest.mark.expected_logs("csu.media", "csu.video")


@pytest.fixture
def console(qtbot: Any, qapp: QApplication, tmp_path: Path, hub: HubThread) -> Iterator[Console]:
    """The real console, station poste-1 of the demo site, linked to the hub (its data
    folder holds the key the hub knows)."""
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    c = Console(
        qapp,
        RunOptions(config, tmp_path / "poste-1", gateway=hub.url,
                   gateway_token=TOKENS["poste-1"], autologin="demo"),
    )  # fmt: skip
    qtbot.addWidget(c.window, before_close_func=lambda _w: c.stop())
    try:
        c.start()
        qtbot.waitUntil(lambda: c.session.account is not None, timeout=5000)
        yield c
    finally:
        c.stop()


def shown(console: Console) -> list[str]:
    model = console.book_model
    return [
        str(model.data(model.index(r, c)))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]


def test_an_f9_entry_reaches_the_other_station_and_its_entry_comes_back(
    console: Console, qtbot: Any, tmp_path: Path, hub: HubThread
) -> None:
    two = BookStation(tmp_path, "poste-2").start(hub.url)
    try:
        assert console.settings.station == "poste-1"
        console.window.show_book()
        window = console.window
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
        qtbot.keyClick(window, Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: console.book.dialog is not None and console.book.dialog.isVisible())
        dialog = console.book.dialog
        assert dialog is not None
        dialog.type_box.setCurrentIndex(dialog.type_box.findData("appel"))
        text = "Appel du gardien du parc : portail nord force, aucun blesse"
        qtbot.keyClicks(dialog.text_edit, text)  # ASCII: QTest aborts on « é » (PySide 6.11)
        qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)  # Entrée records
        qtbot.waitUntil(lambda: console.book.dialog is None, timeout=5000)
        qtbot.waitUntil(lambda: any(text in t for t in shown(console)), timeout=3000)

        # Chained here, at once.
        store = Store(console.writer.path, readonly=True)
        try:
            assert store.verify_chain().ok
            [(pk,)] = store.conn.execute("SELECT pk FROM events WHERE kind = 'entry'").fetchall()
        finally:
            store.close()

        # Copied at poste-2 through the hub, with poste-1's chain checked link by link.
        copied = "SELECT kind, operator, details FROM peer_events WHERE station = ? AND seq = ?"
        qtbot.waitUntil(lambda: bool(two.query(copied, "poste-1", pk)), timeout=20_000)
        [(kind, operator, details)] = two.query(copied, "poste-1", pk)
        assert (kind, operator, json.loads(details)["text"]) == ("entry", "demo", text)
        conn = sqlite3.connect(two.db)
        try:
            assert peer_breaks(conn) == []
        finally:
            conn.close()

        # poste-2 writes; its entry shows in this console's view, marked as its own.
        reply = "Reçu, la patrouille Alpha 2 passe au parc"
        two.writer.submit(
            lambda s: s.add_event(
                EventKind.ENTRY, None, "poste-2", "martin", {"type": "radio", "text": reply}
            )
        ).result()
        qtbot.waitUntil(lambda: any(reply in t for t in shown(console)), timeout=20_000)
        assert "poste-2" in shown(console)
    finally:
        two.stop()
