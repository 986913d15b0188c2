"""« Réquisition judiciaire… » in the review: the supervisor puts the selected
alert under a legal hold with the requisition's reference, the list marks it
« sous réquisition », a second hold with the same reference is refused in French,
and the release asks why; everything logged with the reference."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt

from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.review.holds import HoldDialog
from csu_console.ui.review.window import ReviewWindow

PV = "PV 2026/1234 – TJ Montbéliard"


def select_first(window: ReviewWindow) -> int:
    index = window.proxy.index(0, 0)
    window.table.selectionModel().select(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    row = window.model.row_at(window.proxy.mapToSource(index).row())
    assert row is not None
    return row.pk


def open_dialog(qtbot: Any, window: ReviewWindow) -> HoldDialog:
    window.holds.dialog = None
    window.hold_button.click()
    qtbot.waitUntil(lambda: window.holds.dialog is not None, timeout=5000)
    dialog = window.holds.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def logged(path: Path, kind: str) -> list[tuple[int | None, str | None, dict[str, Any]]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT alert_pk, operator, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
        ).fetchall()
    finally:
        conn.close()
    return [(a, o, json.loads(d)) for a, o, d in rows]


def test_hold_mark_refuse_twice_release(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter
) -> None:
    assert window.hold_button.isVisible() and not window.hold_button.isEnabled()
    pk = select_first(window)
    assert window.hold_button.isEnabled()
    dialog = open_dialog(qtbot, window)
    assert dialog.holds.item(0).text() == "aucune" and not dialog.release_button.isEnabled()

    dialog.reference.setText(PV)
    dialog.hold_button.click()
    qtbot.waitUntil(lambda: pk in window.model.held, timeout=10_000)
    title = window.model.index(window.proxy.mapToSource(window.proxy.index(0, 4)).row(), 4)
    assert title.data().startswith("⚖ RÉQUISITION – ")
    assert PV in window.model.index(title.row(), 0).data(Qt.ItemDataRole.ToolTipRole)
    assert window.status.text() == (
        f"Alerte n° {pk} placée sous réquisition « {PV} » : exclue de la purge."
    )
    assert dialog.holds.count() == 1
    assert dialog.holds.item(0).text().startswith(f"n° 1 – alerte n° {pk} – « {PV} » – le ")
    assert logged(writer.path, "legal_hold") == [
        (pk, "chef", {"hold": 1, "target": "alert", "target_ref": str(pk), "reference": PV})
    ]

    dialog.reference.setText(PV)
    dialog.hold_button.click()
    qtbot.waitUntil(lambda: "déjà sous réquisition" in dialog.error.text(), timeout=10_000)
    assert dialog.error.text().startswith(f"Alerte n° {pk} déjà sous réquisition « {PV} »")

    dialog.release_button.click()
    reason = dialog.reason_dialog
    assert reason is not None
    reason.setTextValue("mainlevée du parquet")
    reason.accept()
    qtbot.waitUntil(lambda: pk not in window.model.held, timeout=10_000)
    assert not title.data().startswith("⚖")
    [(alert_pk, who, details)] = logged(writer.path, "legal_hold_released")
    assert (alert_pk, who, details["reference"]) == (pk, "chef", PV)
    assert details["release_reason"] == "mainlevée du parquet"


def test_a_blank_reference_is_refused_in_french(qtbot: Any, window: ReviewWindow) -> None:
    select_first(window)
    dialog = open_dialog(qtbot, window)
    dialog.reference.setText("   ")
    dialog.hold_button.click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10_000)
    assert dialog.error.text().startswith("La référence de la réquisition est obligatoire")
    assert window.model.held == {}


def test_held_alerts_are_marked_when_the_list_loads(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter
) -> None:
    from csu_console.core.holds import HoldTarget
    from csu_console.storage.holds import place_hold

    pk = window.model.rows[-1].pk
    writer.submit(
        lambda s: place_hold(s, HoldTarget.ALERT, pk, PV, station="cli", operator="root")
    ).result(timeout=5)
    with qtbot.waitSignal(window.holds.held_changed, timeout=10_000):
        window.refresh()
    assert window.model.held == {pk: [PV]}


def test_an_operator_has_no_hold_button(qtbot: Any, window: ReviewWindow) -> None:
    window.session.log_in(Account("admin", "Admin", Role.ADMIN))
    assert window.hold_button.isVisible()  # the administrator may
    messages: list[str] = []
    window.holds.message.connect(messages.append)
    window.session.log_in(Account("inst", "Inst", Role.INSTALLATEUR))
    window.holds.open_for(1, "x")  # the window closes for this role; asked anyway
    assert messages and "placer ou lever une réquisition judiciaire" in messages[0]


def test_the_alert_s_snapshots_are_held_with_it(
    qtbot: Any, window: ReviewWindow, writer: StorageWriter
) -> None:
    pk = select_first(window)

    def shots(store: Any) -> None:
        for n in (1, 2):
            store.conn.execute(
                "INSERT INTO snapshots (at, camera_id, alert_pk, path, sha256) VALUES"
                " ('2025-06-02T05:00:00+00:00', 'cam-01', ?, ?, 'ab')",
                (pk, f"/tmp/s{n}.png"),
            )

    writer.submit(shots).result(timeout=5)
    dialog = open_dialog(qtbot, window)
    assert dialog.with_snapshots.isVisible() and dialog.with_snapshots.isChecked()
    assert dialog.with_snapshots.text() == "Conserver aussi ses 2 capture(s) d'image"
    dialog.reference.setText(PV)
    dialog.hold_button.click()
    qtbot.waitUntil(lambda: dialog.holds.count() == 3, timeout=10_000)
    texts = [dialog.holds.item(i).text() for i in range(3)]
    assert [t.split(" – ")[1] for t in texts] == [
        "capture d'image n° 2", "capture d'image n° 1", f"alerte n° {pk}",
    ]  # fmt: skip
    assert window.status.text() == (
        f"Alerte n° {pk} et 2 capture(s) d'image placées sous réquisition « {PV} » : "
        "exclues de la purge."
    )
    assert [d["target"] for _a, _o, d in logged(writer.path, "legal_hold")] == [
        "alert", "snapshot", "snapshot",
    ]  # fmt: skip


def test_without_snapshots_no_checkbox(qtbot: Any, window: ReviewWindow) -> None:
    select_first(window)
    dialog = open_dialog(qtbot, window)
    assert not dialog.with_snapshots.isVisible()
