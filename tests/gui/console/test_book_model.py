"""The book's table model: new lines come in at the top without a reset (the
selection and the scroll stay put), a cut list drops its oldest lines, corrections
strike the original through, the type too when it changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from csu_console.core.book import BookRow
from csu_console.ui.console.book_model import COLUMNS, HTML_ROLE, BookTableModel

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)


def row(seq: int, kind: str = "entry", **details: Any) -> BookRow:
    if kind == "entry" and not details:
        details = {"type": "radio", "text": f"message {seq}"}
    return BookRow("poste-1", seq, True, T0 + timedelta(minutes=seq), kind, "dupont", details)


def newest_first(*seqs: int) -> list[BookRow]:
    return [row(s) for s in sorted(seqs, reverse=True)]


def test_new_lines_are_inserted_at_the_top_and_a_cut_list_drops_the_oldest(qtbot: Any) -> None:
    model = BookTableModel(PARIS)
    model.set_rows(newest_first(1, 2, 3))
    resets: list[int] = []
    inserted: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))

    model.set_rows(newest_first(1, 2, 3, 4, 5))
    assert inserted == [(0, 1)] and resets == []
    assert [r.seq for r in model.rows()] == [5, 4, 3, 2, 1]

    model.set_rows(newest_first(4, 5, 6))  # limit 3: the oldest fell off the end
    assert removed == [(2, 4)] and inserted[-1] == (0, 0) and resets == []
    assert [r.seq for r in model.rows()] == [6, 5, 4]

    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))
    fixed = [model.rows()[0], replace(model.rows()[1], operator="durand"), model.rows()[2]]
    model.set_rows(fixed)
    assert changed == [1] and resets == []

    model.set_rows(newest_first(10, 11))  # another filter: a reset
    assert resets == [1]


def test_a_corrected_entry_strikes_the_original_and_names_a_changed_type(qtbot: Any) -> None:
    fix = BookRow("poste-1", 9, True, T0 + timedelta(hours=1), "correction", "durand",
                  {"corrects": 4, "comment": "type erroné", "type": "consigne",
                   "text": "Ronde à 22 h"})  # fmt: skip
    entry = replace(row(4, type="constat_video", text="Ronde à 22 h"), corrections=(fix,))
    machine = row(5, "displayed")
    model = BookTableModel(PARIS)
    model.set_rows([replace(fix, corrected=row(4, type="constat_video", text="Ronde à 22 h")),
                    machine, entry])  # fmt: skip
    text = COLUMNS.index("text")
    html = model.data(model.index(2, text), HTML_ROLE)
    assert "<s>Constat vidéo : Ronde à 22 h</s>" in html
    assert html.index("Consigne : Ronde à 22 h") < html.index("<s>")  # the new text first
    assert "type erroné" in html
    assert model.data(model.index(2, COLUMNS.index("what"))) == "Consigne"
    assert "<s>Constat vidéo : Ronde à 22 h</s>" in model.data(model.index(0, text), HTML_ROLE)
    assert model.data(model.index(0, COLUMNS.index("what"))) == "Correction"
    # A machine step: plain text, not bold; an operator's line: bold.
    assert model.data(model.index(1, text), HTML_ROLE) is None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole) is None
    assert model.data(model.index(2, text), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(2, 0)) == "10:04:00"  # local time (Paris, UTC+1)
