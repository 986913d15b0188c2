"""The review's alert list: a click on a column header sorts the rows (numbers as
numbers, times as times), the selected alert stays selected, and a new load keeps
the order chosen."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, Qt
from review_shift import Data

from csu_console.ui.review.window import ReviewWindow


def shown_pks(window: ReviewWindow) -> list[int]:
    proxy, model = window.proxy, window.model
    rows = [
        model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())
    ]
    return [r.pk for r in rows if r is not None]


def click_header(qtbot: Any, window: ReviewWindow, column: int) -> None:
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_a_header_click_sorts_and_keeps_the_selection(
    qtbot: Any, window: ReviewWindow, data: Data
) -> None:
    window.picker.set_days(date(2025, 6, 1), date(2025, 6, 3))  # every alert, B0 to B9
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.picker.apply()
    rows = {r.pk: r for r in window.model.rows}
    by_time = sorted(rows, key=lambda pk: rows[pk].received_at)
    assert shown_pks(window) == by_time  # oldest first, as loaded
    window.table.selectRow(3)
    chosen = shown_pks(window)[3]

    click_header(qtbot, window, 2)  # priority: 1 (urgent) first, ties by time
    by_priority = sorted(by_time, key=lambda pk: rows[pk].priority)
    order = shown_pks(window)
    assert order in (by_priority, by_priority[::-1])
    if order != by_priority:  # the header toggled the other way: once more
        click_header(qtbot, window, 2)
        assert shown_pks(window) == by_priority
    selected = window.table.selectionModel().selectedRows()
    assert [shown_pks(window)[i.row()] for i in selected] == [chosen]

    # Reloading (another filter) keeps the column and direction chosen.
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.narrow("zones", "sud")
    kept = {r.pk: r for r in window.model.rows}
    assert shown_pks(window) == sorted(
        sorted(kept, key=lambda pk: kept[pk].received_at), key=lambda pk: kept[pk].priority
    )
    assert data.names(kept) == ["B2", "B4"]
