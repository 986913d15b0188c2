"""Issue 14, item 15: who the review credits, the shift it opens on, the shift combo,
readable timeline details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from review_shift import SITE, STATION, Data, add, t

from csu_console.core.alerts import Category
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker


def _cli_and_automatic_events(store: Store, pk: int) -> None:
    """``users add`` run as root, the console's purge, an automatic camera display
    and a deliberate one, during the morning shift."""
    user = {"login": "martin2", "role": "operateur"}
    store.add_event("user_added", None, "cli", "root", user, t(6))
    store.add_event("purged", None, STATION, "console", {"alerts": 0}, t(6, 5))
    auto = {"cameras": ["cam-02", "cam-01"], "context": "Alerte n° 1", "auto": True}
    store.add_event("camera_viewed", pk, STATION, None, auto, t(4, 11))
    chosen = {"cameras": ["cam-02", "cam-01"], "context": "Alerte n° 1"}
    store.add_event("camera_viewed", pk, STATION, "durand", chosen, t(4, 11, 30))
    store.add_event("displayed", pk, STATION, "chef", {}, t(4, 10, 5))


@pytest.fixture
def identities(writer: StorageWriter, data: Data) -> Data:
    writer.submit(lambda s: _cli_and_automatic_events(s, data.pks["B1"])).result(timeout=30)
    return data


def test_command_line_and_system_are_not_operators(
    qtbot: Any, identities: Data, window: ReviewWindow
) -> None:
    data = identities
    table = window.indicators.load
    operators = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "root" not in operators and "console" not in operators
    assert "chef" not in operators  # « Alerte affichée » is the console's, not chef's work
    others = window.indicators.others.text()
    assert "ligne de commande (root) : 1" in others and "système : 1" in others
    assert window.summary is not None
    load = window.summary.indicators.load
    assert load["durand"].get("camera_viewed") == 1  # the deliberate viewing only

    # The timeline: who did what, in words; details without Python's brackets.
    rows = window.table.model().rowCount()
    titles = [window.proxy.index(r, 0) for r in range(rows)]
    target = next(i for i in titles if window.model.row_at(window.proxy.mapToSource(i).row())
                  .pk == data.pks["B1"])  # fmt: skip
    with qtbot.waitSignal(window.worker.busy_changed, timeout=10_000,
                          check_params_cb=lambda busy: not busy):  # fmt: skip
        window.table.selectionModel().select(
            target, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )  # fmt: skip
    timeline = window.timeline.table
    lines = [[timeline.item(r, c).text() for c in range(5)] for r in range(timeline.rowCount())]
    viewed = [line for line in lines if line[1] == "Caméra consultée"]
    assert [line[3] for line in viewed] == ["système", "durand"]
    assert viewed[0][4] == ("affichage automatique : oui ; caméras : cam-02, cam-01 ; "
                            "contexte : Alerte n° 1")  # fmt: skip
    assert all("[" not in line[4] and "{" not in line[4] for line in lines)
    received = next(line for line in lines if line[1] == "Alerte reçue")
    assert received[3] == "système"


def test_opens_on_the_shift_under_way_when_the_last_one_is_empty(
    qtbot: Any, writer: StorageWriter, session: Session, worker: ReviewWorker, tmp_path: Path
) -> None:
    """The demo: every alert in the shift under way, the last completed one empty.
    Tuesday 3 June 2025, 12:00 Paris: the night shift is over and empty."""
    now = datetime(2025, 6, 3, 10, 0, tzinfo=UTC)
    writer.submit(
        lambda s: add(s, "D1", Category.RIXE, 1, now - timedelta(minutes=10), (2.2, 48.7))
    ).result(timeout=30)
    window = ReviewWindow(
        SITE, session, worker, writer, STATION, now=lambda: now,
        choose_path=lambda _kind, name: tmp_path / name,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.load_default()
    assert window.base_label.startswith("Matin du mardi 3 juin 2025")
    assert window.model.rowCount() == 1


def test_choosing_a_shift_shows_it_at_once(qtbot: Any, window: ReviewWindow) -> None:
    """No « Afficher » needed after picking a shift; the title follows."""
    assert window.base_label.startswith("Matin du lundi 2 juin 2025")
    assert "Matin du lundi 2 juin 2025" in window.windowTitle()
    picker = window.picker
    index = picker.shift.findData("apres-midi")
    assert index >= 0
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        picker.shift.setCurrentIndex(index)
        picker.shift.activated.emit(index)
    assert window.base_label.startswith("Après-midi du lundi 2 juin 2025")
    assert "Après-midi du lundi 2 juin 2025" in window.windowTitle()
    assert window.scope.text().startswith("Après-midi du lundi 2 juin 2025")
