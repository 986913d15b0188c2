"""The entry dialog on its own: the seven types in French, Entrée records once,
Échap never loses typed text without asking, a correction needs its motive."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from csu_console.core.book import BookRow, EntryDraft
from csu_console.core.entries import ENTRY_TYPE_LABELS
from csu_console.ui.console.entry_dialog import EntryDialog

PARIS = ZoneInfo("Europe/Paris")
CAMERAS = [("cam-01", "Parvis de la gare"), ("cam-02", "Marché")]
ALERTS = [(12, "n° 12 · Rixe · Devant le bar"), (15, "n° 15 · Incendie · Poubelle")]


@pytest.fixture
def dialog(qtbot: Any) -> EntryDialog:
    d = EntryDialog(PARIS, "poste-1", "Opérateur démo (demo)", ALERTS, CAMERAS, alert_pk=15)
    qtbot.addWidget(d)
    d.open()
    qtbot.waitUntil(d.isVisible)
    return d


def submitted(dialog: EntryDialog) -> list[tuple[EntryDraft, int | None, str]]:
    out: list[tuple[EntryDraft, int | None, str]] = []
    dialog.submitted.connect(lambda draft, pk, reason: out.append((draft, pk, reason)))
    return out


def test_the_form_offers_the_seven_types_the_selected_alert_and_the_cameras(
    dialog: EntryDialog,
) -> None:
    labels = [dialog.type_box.itemText(i) for i in range(dialog.type_box.count())]
    assert labels == list(ENTRY_TYPE_LABELS.values())
    assert dialog.alert_pk() == 15  # the selected alert by default
    dialog.alert_box.setCurrentIndex(0)
    assert dialog.alert_pk() is None  # can be cleared
    assert dialog.camera_box.itemData(1) == "cam-01"
    assert "poste-1" in dialog.signature.text() and "Opérateur démo" in dialog.signature.text()
    assert datetime.now(PARIS).strftime("%d/%m/%Y") in dialog.signature.text()
    assert dialog.text_edit.hasFocus() or dialog.focusWidget() is dialog.text_edit


def test_enter_records_once_with_what_was_typed(dialog: EntryDialog, qtbot: Any) -> None:
    out = submitted(dialog)
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    assert out == [] and "obligatoire" in dialog.error_label.text()  # empty: refused
    dialog.type_box.setCurrentIndex(dialog.type_box.findData("appel"))
    qtbot.keyClicks(dialog.text_edit, "Appel du gardien du parking")
    dialog.place_edit.setText("Parking Carnot")
    dialog.set_place(45.7601, 4.8802)
    dialog.camera_box.setCurrentIndex(2)
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)  # a second Entrée: still one
    assert len(out) == 1
    draft, pk, reason = out[0]
    assert pk == 15 and reason == ""
    assert draft.details() == {
        "type": "appel", "text": "Appel du gardien du parking", "lat": 45.7601,
        "lon": 4.8802, "place": "Parking Carnot", "camera": "cam-02",
    }  # fmt: skip
    assert dialog.isVisible()  # open until the storage says it is written
    dialog.show_error("Base de données indisponible")
    assert dialog.save_button.isEnabled()  # retry possible, text kept
    assert dialog.text_edit.toPlainText() == "Appel du gardien du parking"
    dialog.written()
    assert not dialog.isVisible()


def test_escape_with_typed_text_asks_before_discarding(dialog: EntryDialog, qtbot: Any) -> None:
    qtbot.keyClicks(dialog.text_edit, "Message radio important")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.discard_question() is not None)
    box = dialog.discard_question()
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert dialog.isVisible()
    # Échap again (or « Continuer la saisie ») keeps the text.
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.discard_question() is None)
    assert dialog.isVisible() and dialog.text_edit.toPlainText() == "Message radio important"
    # Closing the window asks too; « Abandonner » discards.
    dialog.close()
    qtbot.waitUntil(lambda: dialog.discard_question() is not None)
    box = dialog.discard_question()
    assert box is not None
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_escape_on_an_empty_form_closes_at_once(dialog: EntryDialog, qtbot: Any) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.discard_question() is None


def test_a_correction_is_prefilled_and_needs_a_motive(qtbot: Any) -> None:
    entry = BookRow("poste-1", 41, True, datetime.now(UTC), "entry", "dupont",
                    {"type": "radio", "text": "Patrouille rue Hoche", "camera": "cam-01"},
                    alert_pk=12)  # fmt: skip
    d = EntryDialog(PARIS, "poste-1", "Durand (durand)", ALERTS, CAMERAS, alert_pk=12,
                    correcting=entry)  # fmt: skip
    qtbot.addWidget(d)
    d.open()
    out = submitted(d)
    assert "n° 41" in d.windowTitle()
    assert d.text_edit.toPlainText() == "Patrouille rue Hoche"
    assert d.type_box.currentData() == "radio" and d.camera_box.currentData() == "cam-01"
    assert not d.alert_box.isEnabled()
    assert not d.dirty()
    d.text_edit.setPlainText("Patrouille rue Foch")
    qtbot.keyClick(d.text_edit, Qt.Key.Key_Return)
    assert out == [] and "motif" in d.error_label.text()
    qtbot.keyClicks(d.reason_edit, "mauvaise rue")
    qtbot.keyClick(d.reason_edit, Qt.Key.Key_Return)
    assert len(out) == 1 and out[0][2] == "mauvaise rue"
    assert out[0][0].text == "Patrouille rue Foch"
