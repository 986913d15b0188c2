"""The alert queue model: merge on a timer, order, dedupe, claims, grouping, storms,
display."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from csu_console.core.alert_book import sort_key
from csu_console.core.alerts import AlertState, Category, Location, StoredAlert
from csu_console.core.grouping import Grouper
from csu_console.core.intake import Outcome
from csu_console.core.states import Claim
from csu_console.ui.bridge import LinkBridge, listener_for
from csu_console.ui.console.alert_cells import COLUMNS, ESCALATED_COLOR
from csu_console.ui.console.alert_filters import AlertFilterProxy
from csu_console.ui.console.alert_model import (
    MAX_INSERT_RUNS,
    MERGE_MAX,
    AlertTableModel,
)
from csu_console.ui.icons import category_icon

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def model(qtbot: Any, tz: ZoneInfo) -> AlertTableModel:
    return AlertTableModel(tz)


def cell(model: AlertTableModel, row: int, column: str, role: Any = DISPLAY) -> Any:
    return model.data(model.index(row, COLUMNS.index(column)), role)


def feed(qtbot: Any, model: AlertTableModel, items: list[StoredAlert]) -> list[StoredAlert]:
    """Deliver one committed batch and wait for the merge tick; returns what was added."""
    with qtbot.waitSignal(model.alerts_added, timeout=2000) as blocker:
        model.on_frames_committed([Outcome(a.seq, "stored", a.alert.id, a) for a in items])
    added: list[StoredAlert] = blocker.args[0]
    return added


def pks(model: AlertTableModel) -> list[int]:
    return [a.pk for r in range(model.rowCount()) if (a := model.alert_at(r)) is not None]


def test_rows_appear_on_the_refresh_tick_most_urgent_then_newest(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    t0 = make.t0
    p3_old = make.stored(priority=3, received_at=t0)
    p1_old = make.stored(priority=1, received_at=t0 + timedelta(seconds=1))
    p2 = make.stored(priority=2, received_at=t0 + timedelta(seconds=2))
    p1_new = make.stored(priority=1, received_at=t0 + timedelta(seconds=3))
    p3_new = make.stored(priority=3, received_at=t0 + timedelta(seconds=4))
    batch = [p3_old, p1_old, p2, p1_new, p3_new]

    with qtbot.waitSignal(model.alerts_added, timeout=2000) as blocker:
        model.on_frames_committed([make.outcome(a) for a in batch])
        # Nothing is shown before the tick: the merge is deferred.
        assert model.rowCount() == 0
        assert model.pending_merge() == 5

    assert blocker.args[0] == batch
    assert model.pending_merge() == 0
    assert pks(model) == [p1_new.pk, p1_old.pk, p2.pk, p3_new.pk, p3_old.pk]
    assert cell(model, 0, "priority") == "1 – Urgente"


def test_model_passes_qt_model_checks(
    qtbot: Any, qtmodeltester: Any, model: AlertTableModel, make: Any
) -> None:
    feed(qtbot, model, [make.stored(priority=p) for p in (3, 1, 4, 2)])
    qtmodeltester.check(model)
    # A later merge re-sorts rows; the tester watches the layout change.
    feed(qtbot, model, [make.stored(priority=1), make.stored(priority=4)])
    assert model.rowCount() == 6


def test_duplicates_are_not_added_twice(qtbot: Any, model: AlertTableModel, make: Any) -> None:
    first = make.stored(make.alert("X-1"))
    feed(qtbot, model, [first])

    # Same (source, id) again, later and within one tick, with another pk.
    again = make.stored(make.alert("X-1"))
    new = make.stored(make.alert("X-2"))
    new_twice = make.stored(new.alert)
    added = feed(qtbot, model, [again, new, new_twice])

    assert added == [new]
    assert model.rowCount() == 2
    assert sorted(a.alert.id for a in (model.alert_at(0), model.alert_at(1)) if a) == [
        "X-1",
        "X-2",
    ]


def test_same_id_from_another_source_is_another_alert(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    a = make.stored(make.alert("X-1"))
    b = make.stored(make.alert("X-1", source="autre-plateforme"))
    feed(qtbot, model, [a, b])
    assert model.rowCount() == 2


def test_only_duplicates_add_nothing_but_still_refresh_counts(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    first = make.stored(make.alert("X-1"))
    feed(qtbot, model, [first])
    with qtbot.assertNotEmitted(model.alerts_added), qtbot.waitSignal(model.counts_changed):
        model.on_frames_committed([make.outcome(make.stored(make.alert("X-1")))])
    assert model.rowCount() == 1


def test_selection_survives_a_merge(qtbot: Any, model: AlertTableModel, make: Any) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    feed(qtbot, model, [make.stored(priority=p) for p in (2, 3, 4)])
    chosen = model.alert_at(1)
    assert chosen is not None and chosen.alert.priority == 3
    view.selectRow(1)

    # Two more urgent alerts arrive: the chosen one moves down two rows.
    feed(qtbot, model, [make.stored(priority=1), make.stored(priority=1)])

    rows = view.selectionModel().selectedRows()
    assert [r.row() for r in rows] == [3]
    assert model.alert_at(3) == chosen
    assert view.currentIndex().row() == 3


def test_selection_of_many_columns_moves_with_its_row(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    feed(qtbot, model, [make.stored(priority=4)])
    sm = view.selectionModel()
    sm.select(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    feed(qtbot, model, [make.stored(priority=1)])
    assert sm.isRowSelected(1)
    assert not sm.isRowSelected(0)


def test_claim_shows_station_and_operator(qtbot: Any, model: AlertTableModel, make: Any) -> None:
    item = make.stored(make.alert("U-1"))
    feed(qtbot, model, [item])
    assert cell(model, 0, "state") == "Nouvelle"
    assert cell(model, 0, "state", Qt.ItemDataRole.FontRole).bold()

    claim = Claim(AlertState.ACKNOWLEDGED, "poste-2", "Dupont", make.t0)
    with qtbot.waitSignals([model.dataChanged, model.counts_changed]):
        model.apply_claim(item.pk, claim)

    assert cell(model, 0, "state") == "Prise en compte · Dupont"
    tooltip = cell(model, 0, "state", Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Prise en compte par poste-2 – Dupont"
    assert cell(model, 0, "state", Qt.ItemDataRole.FontRole) is None  # no longer new
    assert model.count_in_state(AlertState.ACKNOWLEDGED) == 1
    assert model.count_in_state(AlertState.NEW) == 0
    shown = model.alert_at(0)
    assert shown is not None
    assert (shown.state_station, shown.state_operator) == ("poste-2", "Dupont")


def test_in_a_team_an_alert_held_elsewhere_names_the_station(
    qtbot: Any, tz: ZoneInfo, make: Any
) -> None:
    """Two stations share one hub, often with the same demo or shift logins: what tells
    the operator who has it is the station (the operator is in the tooltip)."""
    model = AlertTableModel(tz, station="poste-1")
    mine, theirs = make.stored(make.alert("M-1")), make.stored(make.alert("T-1"))
    feed(qtbot, model, [mine, theirs])
    model.apply_claim(mine.pk, Claim(AlertState.ACKNOWLEDGED, "poste-1", "Durand", make.t0))
    model.apply_claim(theirs.pk, Claim(AlertState.ACKNOWLEDGED, "poste-2", "Durand", make.t0))
    states = {model.alert_at(r).alert.id: cell(model, r, "state") for r in range(2)}  # type: ignore[union-attr]
    assert states == {"M-1": "Prise en compte · Durand", "T-1": "Prise en compte · poste-2"}
    row = model.row_of(theirs.pk)
    tooltip = cell(model, row, "state", Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Prise en compte par poste-2 – Durand"


def test_claim_without_operator_shows_the_station(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    item = make.stored()
    feed(qtbot, model, [item])
    model.apply_claim(item.pk, Claim(AlertState.DISPATCHED, "poste-3", None, make.t0))
    assert cell(model, 0, "state") == "Patrouille engagée · poste-3"
    tooltip = cell(model, 0, "state", Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Patrouille engagée par poste-3 – ?"


def test_claim_for_an_unknown_alert_is_ignored(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    feed(qtbot, model, [make.stored()])
    with qtbot.assertNotEmitted(model.dataChanged), qtbot.assertNotEmitted(model.counts_changed):
        model.apply_claim(999, Claim(AlertState.CLOSED, "poste-2", "X", make.t0))
    assert model.count_in_state(AlertState.NEW) == 1


def test_stored_change_of_an_alert_not_shown_does_not_hide_it_later(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    """A change read back from the database for an alert the queue has not seen
    yet is dropped, and the alert still shows when it arrives."""
    item = make.stored(make.alert("U-3"))
    model.apply_stored(dataclasses.replace(item, state=AlertState.ACKNOWLEDGED))
    assert model.by_key(item.alert.key) is None
    feed(qtbot, model, [item])
    assert pks(model) == [item.pk]


def test_change_arriving_before_the_merge_tick_is_kept(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    """Another station's update can be stored before the queue's next tick: the
    alert must still appear, in its new state."""
    item = make.stored(make.alert("U-2"))
    taken = dataclasses.replace(
        item, state=AlertState.DISPATCHED, state_station="poste-3", state_operator="Roux"
    )
    with qtbot.waitSignal(model.alerts_added, timeout=2000):
        model.on_frames_committed([make.outcome(item)])
        model.apply_stored(taken)
    assert pks(model) == [item.pk]
    assert cell(model, 0, "state") == "Patrouille engagée · Roux"


def test_escalated_alert_says_so_in_its_state(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    item = make.stored(priority=1)
    feed(qtbot, model, [item])
    with qtbot.waitSignal(model.dataChanged):
        model.mark_escalated(item.pk)
    assert model.is_escalated(item.pk)
    # A sign and red text, so that the holder is never pushed out of the column;
    # the words in the tooltip.
    assert cell(model, 0, "state") == "⚠ Nouvelle"
    assert cell(model, 0, "state", Qt.ItemDataRole.ForegroundRole) == ESCALATED_COLOR
    model.apply_claim(item.pk, Claim(AlertState.ACKNOWLEDGED, "poste-1", "Testeur", make.t0))
    assert cell(model, 0, "state") == "⚠ Prise en compte · Testeur"
    assert cell(model, 0, "state", Qt.ItemDataRole.ToolTipRole) == (
        "ESCALADÉE (urgente restée sans réponse) · Prise en compte par poste-1 – Testeur"
    )


def test_reports_of_one_place_and_time_are_grouped_under_the_first(
    qtbot: Any, tz: ZoneInfo, make: Any
) -> None:
    model = AlertTableModel(tz, grouper=Grouper(150.0, timedelta(minutes=15)))
    # about 25 m apart, one minute apart
    near = [
        Location(45.76 + d, 4.88 + d, f"{n} rue de la Paix", 15.0)
        for n, d in ((12, 0.0), (14, 0.0002), (16, 0.0004))
    ]
    first, second, third = (
        make.stored(location=loc, received_at=make.t0 + timedelta(minutes=i))
        for i, loc in enumerate(near)
    )
    elsewhere = make.stored(location=Location(45.80, 4.88, "loin", 15.0))
    other_kind = make.stored(category=Category.RIXE, location=near[1])
    no_position = make.stored(location=None)
    for item in (first, second, third, elsewhere, other_kind, no_position):
        model.group_key(item)  # arrival order, as the alarm controller does
    feed(qtbot, model, [first, second, third, elsewhere, other_kind, no_position])

    assert model.rowCount() == 4
    assert model.report_count() == 6
    assert [m.pk for m in model.members(first.pk)] == [first.pk, second.pk, third.pk]
    assert model.group_size(first.pk) == 3
    assert {model.leader_pk(p) for p in (first.pk, second.pk, third.pk)} == {first.pk}
    assert model.group_key(third) == first.alert.key
    row = model.row_of(first.pk)
    assert cell(model, row, "category") == "×3  Cambriolage"
    assert cell(model, model.row_of(elsewhere.pk), "category") == "Cambriolage"

    # A report of the group changes: the group's row repaints, the report keeps its state.
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.apply_claim(second.pk, Claim(AlertState.ACKNOWLEDGED, "poste-2", "Roux", make.t0))
    assert changed.args[0].row() == row
    assert [m.state for m in model.members(first.pk)] == [
        AlertState.NEW,
        AlertState.ACKNOWLEDGED,
        AlertState.NEW,
    ]
    updated = model.by_key(second.alert.key)
    assert updated is not None and updated.state is AlertState.ACKNOWLEDGED


def test_rejected_outcomes_are_counted(qtbot: Any, model: AlertTableModel, make: Any) -> None:
    with qtbot.waitSignal(model.counts_changed, timeout=2000):
        model.on_frames_committed([make.rejected(1), make.rejected(None), make.rejected(3)])
    assert model.rejected_count == 3
    assert model.rowCount() == 0
    with qtbot.waitSignal(model.alerts_added, timeout=2000):
        model.on_frames_committed([make.rejected(4), make.outcome(make.stored())])
    assert model.rejected_count == 4
    assert model.rowCount() == 1


def test_storm_is_merged_in_a_few_ticks(qtbot: Any, model: AlertTableModel, make: Any) -> None:
    """5,000 alerts in 50 batches, sent through the bridge from another thread."""
    bridge = LinkBridge()
    bridge.frames_committed.connect(model.on_frames_committed)
    listener = listener_for(bridge)
    batches = [
        [make.outcome(make.stored(priority=1 + (i % 4))) for i in range(100)] for _ in range(50)
    ]
    merges: list[int] = []
    model.alerts_added.connect(lambda added: merges.append(len(added)))

    def network() -> None:
        for batch in batches:
            listener.frames_committed(batch)

    thread = threading.Thread(target=network, name="fake-network")
    thread.start()
    qtbot.waitUntil(lambda: model.rowCount() == 5000, timeout=10_000)
    thread.join()

    assert model.pending_merge() == 0
    assert sum(merges) == 5000
    # A tick takes at most MERGE_MAX: the GUI paints between the steps.
    assert max(merges) <= MERGE_MAX
    assert 5000 // MERGE_MAX <= len(merges) <= 5000 // MERGE_MAX + 5, f"{len(merges)} merges"
    rows = [model.alert_at(r) for r in range(model.rowCount())]
    assert rows == sorted(rows, key=lambda a: sort_key(a) if a else (0, 0.0, 0))


def test_a_held_queue_keeps_its_rows_then_merges_a_storm_at_its_pace(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    """While the pointer is over the queue (or a dialog is open) rows do not move;
    what waits is counted; released, it joins in MERGE_MAX steps (issue 14, item 6)."""
    first = make.stored(priority=3)
    feed(qtbot, model, [first])
    model.hold("pointer")
    model.hold("dialog")
    waiting: list[int] = []
    model.held_back.connect(waiting.append)
    storm = [make.outcome(make.stored(priority=1)) for _ in range(3 * MERGE_MAX)]
    with qtbot.waitSignal(model.held_back, timeout=2000):
        model.on_frames_committed(storm)
    assert waiting[-1] == 3 * MERGE_MAX
    assert pks(model) == [first.pk]
    model.ensure_merged(first.pk)  # an action on a row already shown: nothing moves
    assert pks(model) == [first.pk]
    model.release("pointer")
    assert pks(model) == [first.pk]  # the dialog still holds it
    merges: list[int] = []
    model.alerts_added.connect(lambda added: merges.append(len(added)))
    model.release("dialog")
    assert waiting[-1] == 0
    qtbot.waitUntil(lambda: model.rowCount() == 1 + 3 * MERGE_MAX, timeout=5000)
    assert merges == [MERGE_MAX] * 3
    assert pks(model)[-1] == first.pk  # the urgent ones above it, in order


class CountingProxy(AlertFilterProxy):
    """The real filter proxy, counting the rows it is asked to test."""

    tested = 0

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        self.tested += 1
        return super().filterAcceptsRow(source_row, source_parent)


def test_new_alerts_are_inserted_and_only_they_are_filtered(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    proxy = CountingProxy(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    t0 = make.t0
    feed(
        qtbot,
        model,
        [
            make.stored(priority=1 + i % 4, received_at=t0 + timedelta(seconds=i))
            for i in range(400)
        ],
    )
    view.selectRow(7)
    chosen = proxy.data(proxy.index(7, 0), Qt.ItemDataRole.UserRole)
    layouts: list[int] = []
    inserted: list[tuple[int, int]] = []
    model.layoutChanged.connect(lambda *_: layouts.append(1))
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    proxy.tested = 0

    # Newer than everything: each priority's new alerts go on top of that priority.
    later = t0 + timedelta(hours=1)
    fresh = [
        make.stored(priority=1 + i % 4, received_at=later + timedelta(seconds=i)) for i in range(40)
    ]
    feed(qtbot, model, fresh)

    assert layouts == []
    assert len(inserted) == 4  # one run per priority
    assert sum(last - first + 1 for first, last in inserted) == 40
    assert proxy.tested == 40  # a relayout made it test all 440 rows
    assert proxy.rowCount() == 440
    rows = [model.alert_at(r) for r in range(model.rowCount())]
    assert rows == sorted(rows, key=lambda a: sort_key(a) if a else (0, 0.0, 0))
    # The operator's selection stays on the same alert.
    selected = view.selectionModel().selectedRows()
    assert [proxy.data(i, Qt.ItemDataRole.UserRole) for i in selected] == [chosen]


def test_alerts_landing_in_many_places_are_placed_by_one_relayout(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    t0 = make.t0
    feed(qtbot, model, [make.stored(received_at=t0 + timedelta(seconds=2 * i)) for i in range(100)])
    layouts: list[int] = []
    model.layoutChanged.connect(lambda *_: layouts.append(1))
    # Late arrivals dated between the rows already shown (a restore, a backlog).
    between = [
        make.stored(received_at=t0 + timedelta(seconds=2 * i + 1))
        for i in range(MAX_INSERT_RUNS + 10)
    ]
    feed(qtbot, model, between)

    assert layouts == [1]
    assert model.rowCount() == 100 + len(between)
    rows = [model.alert_at(r) for r in range(model.rowCount())]
    assert rows == sorted(rows, key=lambda a: sort_key(a) if a else (0, 0.0, 0))


def test_alert_without_location(qtbot: Any, model: AlertTableModel, make: Any) -> None:
    feed(
        qtbot,
        model,
        [
            make.stored(location=None, commune=None, priority=1),
            make.stored(location=None, commune="Bron", priority=2),
        ],
    )
    assert cell(model, 0, "place") == "sans localisation"
    assert cell(model, 1, "place") == "sans localisation"


def test_place_shows_address_and_commune(qtbot: Any, model: AlertTableModel, make: Any) -> None:
    full = make.stored()
    bare = make.stored(location=Location(45.7, 4.8), commune=None)
    feed(qtbot, model, [full, bare])
    assert cell(model, model.row_of(full.pk), "place") == "12 rue de la Paix"
    assert cell(model, model.row_of(full.pk), "commune") == "Villeurbanne"  # as reported
    assert cell(model, model.row_of(bare.pk), "place") == ""
    assert model.place_text(full) == "12 rue de la Paix – Villeurbanne"


def test_place_shows_the_zone_or_says_outside_or_without_position(
    qtbot: Any, tz: ZoneInfo, make: Any
) -> None:
    """With the site's zones, the place names the sector; an alert outside every
    zone or without a position is shown as such, never hidden."""

    def zone_namer(lon: float, lat: float) -> str | None:
        return "Secteur Centre" if lat < 46 else None

    model = AlertTableModel(tz, zone_namer=zone_namer)
    inside = make.stored(priority=1)
    outside = make.stored(priority=2, location=Location(48.85, 2.35, "1 rue de Rivoli", 10.0))
    nowhere = make.stored(priority=3, location=None)
    no_address = make.stored(priority=4, location=Location(45.7, 4.8))
    feed(qtbot, model, [inside, outside, nowhere, no_address])
    # « Secteur »: the sector first (a narrow column keeps it), its name without
    # « Secteur » (the header says it), then the address.
    assert [cell(model, r, "place") for r in range(4)] == [
        "Centre – 12 rue de la Paix",
        "HORS SECTEUR – 1 rue de Rivoli",
        "sans localisation",
        "Centre",
    ]
    tip = cell(model, 0, "place", Qt.ItemDataRole.ToolTipRole)
    assert tip == "12 rue de la Paix – Secteur Centre"  # whole
    # The banner's words: the address first.
    assert [model.place_text(model.alert_at(r)) for r in range(4)] == [  # type: ignore[arg-type]
        "12 rue de la Paix – Secteur Centre",
        "1 rue de Rivoli – HORS SECTEUR",
        "sans localisation",
        "Secteur Centre",
    ]
    assert model.rowCount() == 4  # none is hidden


def test_html_in_title_is_shown_verbatim(qtbot: Any, model: AlertTableModel, make: Any) -> None:
    title = "<b>bold</b><script>alert(1)</script>"
    feed(qtbot, model, [make.stored(title=title)])
    assert cell(model, 0, "title") == title
    # The tooltip would guess rich text: it gets an escaped version instead.
    tip = cell(model, 0, "title", Qt.ItemDataRole.ToolTipRole)
    assert "&lt;script&gt;" in tip
    assert "<script>" not in tip


def test_display_of_category_times_and_colours(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    feed(
        qtbot,
        model,
        [make.stored(category=Category.AUTRE, category_raw="tapage", priority=1, pk=7)],
    )
    assert cell(model, 0, "category") == "Autre (tapage)"
    # Paris time; not today: the seconds always, the day after them (a narrow column
    # cuts the day, never the time)
    assert cell(model, 0, "sent") == "09:00:00 (15/01)"
    assert cell(model, 0, "received") == "09:00:07 (15/01)"
    assert cell(model, 0, "priority", Qt.ItemDataRole.BackgroundRole).name() == "#d32f2f"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == model.alert_at(0)
    assert pks(model) == [7]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Priorité"


def test_todays_times_show_seconds_without_the_day(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    item = make.stored(pk=9)
    item = dataclasses.replace(item, received_at=now)
    feed(qtbot, model, [item])
    expected = now.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M:%S")
    assert cell(model, 0, "received") == expected


def test_every_category_has_its_icon_next_to_its_label(
    qtbot: Any, model: AlertTableModel, make: Any
) -> None:
    feed(qtbot, model, [make.stored(category=Category.RIXE, pk=11)])
    icon = cell(model, 0, "category", Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull() and icon.cacheKey() == category_icon(Category.RIXE).cacheKey()
    assert cell(model, 0, "title", Qt.ItemDataRole.DecorationRole) is None
    keys = {category_icon(c).cacheKey() for c in Category}
    assert len(keys) == len(Category)  # one distinct icon per category


def test_a_repaint_asks_the_model_once_per_cell_through_the_filter(
    qtbot: Any, model: AlertTableModel, make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed(qtbot, model, [make.stored(priority=1 + pk % 4, pk=pk) for pk in range(1, 41)])
    proxy = AlertFilterProxy(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    calls = {"fill": 0, "data": 0}
    fill, data = AlertTableModel.fill_roles, AlertTableModel.data

    def counted_fill(self: AlertTableModel, row: int, column: int, span: Any) -> None:
        calls["fill"] += 1
        fill(self, row, column, span)

    def counted_data(self: AlertTableModel, index: Any, role: Any = DISPLAY) -> Any:
        calls["data"] += 1
        return data(self, index, role)

    monkeypatch.setattr(AlertTableModel, "fill_roles", counted_fill)
    monkeypatch.setattr(AlertTableModel, "data", counted_data)
    view.grab()  # one paint of the whole view
    top, bottom = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
    shown_cells = (bottom - top + 1) * len(COLUMNS)
    assert calls["data"] == 0  # no call per role…
    assert shown_cells <= calls["fill"] <= shown_cells + len(COLUMNS)  # …one per cell
    # …and what the view painted is the model's: the urgent row's priority colour.
    urgent = next(r for r in range(proxy.rowCount()) if cell(model, r, "priority").startswith("1"))
    rect = view.visualRect(proxy.index(urgent, 0))
    picture = view.viewport().grab(rect).toImage()
    assert picture.pixelColor(3, rect.height() // 2).name() == "#d32f2f"


def test_old_closed_rows_are_let_go_but_not_the_selected_one_nor_while_held(
    qtbot: Any, qtmodeltester: Any, model: AlertTableModel, make: Any
) -> None:
    t0 = make.t0
    items = [
        make.stored(priority=1 + i % 4, received_at=t0 + timedelta(seconds=i)) for i in range(30)
    ]
    feed(qtbot, model, items)
    qtmodeltester.check(model)  # watches the removals that follow
    for item in items[:20]:
        model.apply_stored(dataclasses.replace(item, state=AlertState.CLOSED))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    oldest = items[0]
    view.selectRow(model.row_of(oldest.pk))
    model.spare = lambda: [oldest.pk]
    model.keep_closed = 5

    model.hold("pointeur")
    assert model.retire_closed() == [] and model.rowCount() == 30  # nothing moves
    model.release("pointeur")
    with qtbot.waitSignal(model.alerts_retired) as blocker:
        gone = model.retire_closed()

    assert blocker.args[0] == gone and len(gone) == 14  # 20 closed − 5 newest − the selected
    assert {a.pk for a in gone} == {a.pk for a in items[1:15]}
    assert model.rowCount() == 16 and model.count_in_state(AlertState.CLOSED) == 6
    rows = [model.alert_at(r) for r in range(model.rowCount())]
    assert rows == sorted(rows, key=lambda a: sort_key(a) if a else (0, 0.0, 0))
    selected = view.selectionModel().selectedRows()
    assert [model.alert_at(i.row()) for i in selected] == [
        dataclasses.replace(oldest, state=AlertState.CLOSED)
    ]
    # Reopened at another station: back in the queue at the next tick.
    reopened = dataclasses.replace(items[3], state=AlertState.ACKNOWLEDGED)
    with qtbot.waitSignal(model.alerts_added) as added:
        model.apply_stored(reopened)
    assert added.args[0] == [reopened] and model.alert_by_pk(items[3].pk) == reopened
