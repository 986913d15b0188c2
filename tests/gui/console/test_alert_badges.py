"""The queue's CAP badges: painted before the title, in their colours, short forms in a
narrow cell; a withdrawn alert's row greyed and struck; the « sans annulées ni
expirées » view hides it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage

from csu_console.core.alerts import Category, IssuerState, StoredAlert
from csu_console.core.cap_facts import CapFacts, MsgType, Scope, Signature, Status
from csu_console.core.intake import Outcome
from csu_console.ui.console.alert_badges import BADGE_ROLE, DIMMED_TEXT, Badge
from csu_console.ui.console.alert_cells import COLUMNS
from csu_console.ui.console.alert_filters import STATE_FILTERS, AlertFilterProxy
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.queue_view import QueueView

TITLE = COLUMNS.index("title")


def cap(make: Any, priority: int = 2, **facts: Any) -> StoredAlert:
    status = facts.pop("status", Status.ACTUAL)
    alert = make.alert(
        category=Category.INONDATION,
        priority=priority,
        fmt="cap",
        cap=CapFacts(msg_type=MsgType.ALERT, status=status, **facts),
    )
    return make.stored(alert)


def badges(model: AlertTableModel, pk: int) -> tuple[Badge, ...]:
    found: tuple[Badge, ...] | None = model.data(model.index(model.row_of(pk), TITLE), BADGE_ROLE)
    return found or ()


def has_colour(image: QImage, x0: int, x1: int, y0: int, y1: int, colour: str) -> bool:
    want = QColor(colour).rgb()
    return any(image.pixel(x, y) == want for x in range(x0, x1) for y in range(y0, y1))


def test_badges_are_painted_before_the_title_and_short_in_a_narrow_cell(
    qtbot: Any, make: Any, tz: ZoneInfo
) -> None:
    model = AlertTableModel(tz)
    drill = cap(make, 1, status=Status.EXERCISE)
    signed = cap(make, 3, scope=Scope.PRIVATE, signature=Signature.VALID, restriction="SDIS")
    model.load([drill, signed])
    view = QueueView(model)
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1400, 300)
    view.size_columns(compact=False)
    view.show()
    qtbot.waitExposed(view)

    assert [b.text for b in badges(model, drill.pk)] == ["EXERCICE"]
    assert [b.text for b in badges(model, signed.pk)] == ["RESTREINTE", "signé ✔"]
    tip = str(model.data(model.index(model.row_of(signed.pk), TITLE), Qt.ItemDataRole.ToolTipRole))
    tip = tip.replace("\xa0", " ")  # plain text made rich: spaces kept as non-breaking
    assert "Diffusion restreinte (Private) : SDIS" in tip and signed.alert.title in tip

    def cell_has(pk: int, colour: str) -> bool:
        rect = view.visualRect(model.index(model.row_of(pk), TITLE))
        image = view.viewport().grab().toImage()
        return has_colour(image, rect.left(), rect.right(), rect.top(), rect.bottom(), colour)

    assert cell_has(drill.pk, "#6a1b9a")  # EXERCICE's purple
    assert cell_has(signed.pk, "#2e7d32")  # signé ✔'s green
    assert not cell_has(signed.pk, "#6a1b9a")

    # A narrow title cell: the short forms still paint (no text spills over the next cell).
    view.horizontalHeader().setSectionResizeMode(TITLE, view.horizontalHeader().ResizeMode.Fixed)
    view.horizontalHeader().resizeSection(TITLE, 120)
    assert cell_has(signed.pk, "#2e7d32")


def test_a_withdrawn_alert_is_greyed_struck_and_hidden_by_the_live_view(
    qtbot: Any, make: Any, tz: ZoneInfo
) -> None:
    model = AlertTableModel(tz)
    live, gone = cap(make, 2), cap(make, 1)
    model.load([live, gone])
    proxy = AlertFilterProxy(model)
    assert proxy.rowCount() == 2
    model.on_frames_committed(
        [
            Outcome(
                None, "cancelled", gone.alert.id, replace(gone, issuer_state=IssuerState.CANCELLED)
            )
        ]
    )
    row = model.row_of(gone.pk)
    assert [b.text for b in badges(model, gone.pk)] == ["ANNULÉE"]
    font = model.data(model.index(row, TITLE), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.strikeOut()
    assert model.data(model.index(row, COLUMNS.index("place")), Qt.ItemDataRole.ForegroundRole) == (
        DIMMED_TEXT
    )
    tip = str(model.data(model.index(row, COLUMNS.index("state")), Qt.ItemDataRole.ToolTipRole))
    assert tip.startswith("Annulée par l'émetteur")
    assert model.rowCount() == 2 and proxy.rowCount() == 2  # still in the open queue
    proxy.set_filters(STATE_FILTERS["live"], None, None, hide_withdrawn=True)
    assert proxy.rowCount() == 1
    assert model.alert_at(proxy.mapToSource(proxy.index(0, 0)).row()).pk == live.pk  # type: ignore[union-attr]


def test_an_update_that_raises_the_priority_moves_its_row_unless_held(
    make: Any, tz: ZoneInfo
) -> None:
    model = AlertTableModel(tz)
    low, high = cap(make, 3), cap(make, 2)
    model.load([low, high])
    assert model.alert_at(0).pk == high.pk  # type: ignore[union-attr]
    raised = replace(low, alert=replace(low.alert, priority=1), version=1)
    model.hold("pointer")
    model.on_frames_committed([Outcome(None, "updated", low.alert.id, raised, rings=True)])
    assert model.alert_at(1).alert.priority == 1  # type: ignore[union-attr]  # held: in place
    assert [b.text for b in badges(model, low.pk)] == ["MISE À JOUR"]
    assert badges(model, low.pk)[0].background == "#0d47a1"  # emphasised: not seen yet
    model.release("pointer")
    assert model.alert_at(0).pk == low.pk  # type: ignore[union-attr]
    model.mark_seen(low.pk)
    assert badges(model, low.pk)[0].background == "#e3f2fd"
