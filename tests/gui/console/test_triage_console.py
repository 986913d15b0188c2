"""Assisted triage in the real console (a real csu-sim, SQLite, the queue, the alarm):
an urgency word proposes a higher priority, accepting it changes the priority, rings
as the new priority and logs; refusing changes nothing, is logged and does not come
back after a restart; a duplicate from two sources is proposed (and merged)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QSplitter
from test_interrupt_cycle import Harness, alert, db_rows, events, inject, press

from csu_console.app import Console
from csu_console.core.alerts import Alert, Category, Location, StoredAlert
from csu_console.core.book import EntryDraft
from csu_console.core.cap_facts import CapFacts, MsgType, Scope, Status
from csu_console.core.triage import Suggestion, SuggestionKind
from csu_console.storage.alert_audit import verify_alerts
from csu_console.storage.book import write_entry
from csu_console.ui.console.alert_badges import BADGE_ROLE, Badge
from csu_console.ui.console.alert_cells import COLUMNS
from csu_console.ui.console.triage_panel import SuggestionCard

#: The wall's cameras may answer late on a loaded machine (their retries are logged
#: as warnings): not what these tests are about.
pytestmark = pytest.mark.expected_logs("csu.media", "csu.video")

#: Inside the demo site's « Secteur Port ».
PORT = (60.1670, 24.9510)


def start(harness: Harness) -> Console:
    console = harness.start()
    harness.wait_connected()
    return console


def citizen(description: str, *, category: str = "comportement_suspect", priority: int = 3,
            position: tuple[float, float] = PORT) -> dict[str, Any]:  # fmt: skip
    obj = alert(category=category, priority=priority, position=position)
    obj["title"] = "Signalement"
    obj["description"] = description
    return obj


def shown(console: Console, alert_id: str, source: str = "voisins-vigilants") -> StoredAlert:
    item = console.model.by_key((source, alert_id))
    assert item is not None
    return item


def wait_shown(qtbot: Any, console: Console, alert_id: str, source: str = "voisins-vigilants") -> StoredAlert:  # fmt: skip  # noqa: E501
    def ok() -> bool:
        item = console.model.by_key((source, alert_id))
        return item is not None and console.model.row_of(console.model.leader_pk(item.pk)) >= 0

    qtbot.waitUntil(ok, timeout=15_000)
    return shown(console, alert_id, source)


def suggestions(console: Console, pk: int, kind: SuggestionKind) -> list[Suggestion]:
    return [s for s in console.triage.controller.for_row(pk) if s.kind is kind]


def badges(console: Console, pk: int) -> list[str]:
    model = console.model
    found: tuple[Badge, ...] | None = model.data(
        model.index(model.row_of(model.leader_pk(pk)), COLUMNS.index("title")), BADGE_ROLE
    )
    return [b.text for b in found or ()]


def card(qtbot: Any, console: Console, pk: int) -> SuggestionCard:
    console.window.select_pk(pk)
    panel = console.triage.panel
    qtbot.waitUntil(lambda: bool(panel.cards) and panel.isVisible(), timeout=5000)
    return panel.cards[0]


def confirm(qtbot: Any, console: Console, answer: str) -> None:
    panel = console.triage.panel
    qtbot.waitUntil(lambda: panel.confirm_box is not None and panel.confirm_box.isVisible())
    box = panel.confirm_box
    assert isinstance(box, QMessageBox)
    default = box.defaultButton()
    assert default is not None and default.text() == "Annuler"  # Enter changes nothing
    [button] = [b for b in box.findChildren(QPushButton) if b.text() == answer]
    button.click()


def details(rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    return [{"alert_pk": r["alert_pk"], **json.loads(r["details"])} for r in rows]


def test_an_urgency_word_raises_the_priority_once_accepted_rings_as_p1_and_is_logged(
    harness: Harness, qtbot: Any
) -> None:
    console = start(harness)
    obj = citizen("Un homme armé d'un couteau crie devant l'école, des enfants autour")
    inject(harness.sim, obj)
    item = wait_shown(qtbot, console, obj["id"])
    assert item.alert.priority == 3
    qtbot.waitUntil(lambda: bool(suggestions(console, item.pk, SuggestionKind.RAISE_PRIORITY)),
                    timeout=5000)  # fmt: skip
    [s] = suggestions(console, item.pk, SuggestionKind.RAISE_PRIORITY)
    assert s.priority == 1 and s.words == ("armé", "couteau", "enfants")
    assert "À TRIER" in badges(console, item.pk)

    c = card(qtbot, console, item.pk)
    assert "#ffd54f" in c.reason.text() and "couteau" in c.reason.text()
    assert any("couteau</span>" in e.text() for e in c.excerpts)
    # By keyboard: Ctrl+T reaches « Accepter… »; Enter asks; Enter again cancels.
    press(qtbot, console, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(c.accept_button.hasFocus, timeout=3000)
    qtbot.keyClick(c.accept_button, Qt.Key.Key_Space)
    panel = console.triage.panel
    qtbot.waitUntil(lambda: panel.confirm_box is not None and panel.confirm_box.isVisible())
    box = panel.confirm_box
    assert box is not None
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=3000)
    assert events(console, "priority_changed") == [] and events(console, "triage_accepted") == []
    assert console.model.by_key(item.alert.key).alert.priority == 3  # type: ignore[union-attr]
    c.accept_button.click()
    confirm(qtbot, console, "Relever la priorité")

    qtbot.waitUntil(lambda: console.model.by_key(item.alert.key).alert.priority == 1,  # type: ignore[union-attr]
                    timeout=5000)  # fmt: skip
    [changed] = details(events(console, "priority_changed"))
    assert changed["alert_pk"] == item.pk and (changed["from"], changed["to"]) == (3, 1)
    assert "couteau" in changed["reason"]
    [accepted] = details(events(console, "triage_accepted"))
    assert accepted["suggestion"] == s.id and accepted["words"] == ["armé", "couteau", "enfants"]
    assert db_rows(console, "SELECT priority FROM alerts WHERE pk = ?", item.pk)[0][0] == 1
    # Still new: it rings again, as a P1.
    qtbot.waitUntil(lambda: harness.tones()[-1:] == ["priority1"], timeout=5000)
    # The queue shows it first, without the mark; the row sorted as a P1.
    assert console.model.row_of(item.pk) == 0
    qtbot.waitUntil(lambda: "À TRIER" not in badges(console, item.pk), timeout=5000)
    conn = sqlite3.connect(f"file:{console.writer.path}?mode=ro", uri=True)
    try:
        assert verify_alerts(conn).ok
    finally:
        conn.close()


def test_refusing_changes_nothing_is_logged_and_does_not_come_back_after_a_restart(
    harness: Harness, qtbot: Any
) -> None:
    console = start(harness)
    obj = citizen("Accrochage : un cycliste blessé au genou")
    inject(harness.sim, obj)
    item = wait_shown(qtbot, console, obj["id"])
    qtbot.waitUntil(lambda: bool(suggestions(console, item.pk, SuggestionKind.RAISE_PRIORITY)),
                    timeout=5000)  # fmt: skip
    [s] = suggestions(console, item.pk, SuggestionKind.RAISE_PRIORITY)
    card(qtbot, console, item.pk).refuse_button.click()
    qtbot.waitUntil(lambda: bool(events(console, "triage_refused")), timeout=5000)
    [refused] = details(events(console, "triage_refused"))
    assert refused["suggestion"] == s.id and refused["words"] == ["blessé"]
    assert refused["reason"] == s.reason
    # Nothing else changed.
    assert events(console, "priority_changed") == []
    assert db_rows(console, "SELECT priority FROM alerts WHERE pk = ?", item.pk)[0][0] == 3
    assert console.model.by_key(item.alert.key).alert.priority == 3  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not console.triage.panel.isVisible(), timeout=5000)
    assert "À TRIER" not in badges(console, item.pk)
    console.stop()

    # The next start reads the refusal back from the logbook.
    shutil.rmtree(harness.tmp_path / "config")
    again = start(harness)
    wait_shown(qtbot, again, obj["id"])
    other = citizen("Une femme agressée près du parking", position=(PORT[0] + 0.01, PORT[1]))
    inject(harness.sim, other)
    fresh = wait_shown(qtbot, again, other["id"])
    qtbot.waitUntil(
        lambda: bool(suggestions(again, fresh.pk, SuggestionKind.RAISE_PRIORITY)), timeout=5000
    )  # fmt: skip — the engine ran after the restart …
    restored = shown(again, obj["id"])
    assert suggestions(again, restored.pk, SuggestionKind.RAISE_PRIORITY) == []  # … not for it
    assert "À TRIER" not in badges(again, restored.pk)


def partner(description: str, north_m: float) -> Alert:
    """A partner's CAP alert a few metres north of the port."""
    return Alert(
        source="sdis@partenaire.example",
        id=f"FR-SDIS-{datetime.now(UTC).timestamp()}",
        sent=datetime.now(UTC),
        category=Category.RISQUE_TECHNOLOGIQUE,
        priority=2,
        title="Fumée noire quai du port",
        description=description,
        location=Location(PORT[0] + north_m / 111_320, PORT[1], "Quai du port"),
        fmt="cap",
        cap=CapFacts(msg_type=MsgType.ALERT, status=Status.ACTUAL, scope=Scope.PUBLIC),
    )


def fire_twice(harness: Harness, qtbot: Any, console: Console) -> tuple[StoredAlert, StoredAlert]:
    """The same fire from a citizen (P1) and from a CAP partner 35 m north: a
    duplicate across sources that the automatic grouping does not catch."""
    obj = citizen("Des poubelles brûlent sur le quai du port, grosse fumée noire",
                  category="incendie", priority=1)  # fmt: skip
    inject(harness.sim, obj)
    first = wait_shown(qtbot, console, obj["id"])
    cap = partner("Feu de poubelles sur le quai du port, fumée noire", north_m=35)
    console.raise_local_alert(cap)
    return first, wait_shown(qtbot, console, cap.id, cap.source)


def test_a_duplicate_from_two_sources_is_proposed_and_merged(harness: Harness, qtbot: Any) -> None:
    console = start(harness)
    first, second = fire_twice(harness, qtbot, console)
    assert console.model.leader_pk(second.pk) == second.pk  # the grouping missed it
    qtbot.waitUntil(lambda: bool(suggestions(console, second.pk, SuggestionKind.DUPLICATE)),
                    timeout=5000)  # fmt: skip
    [s] = suggestions(console, second.pk, SuggestionKind.DUPLICATE)
    assert s.other == first.alert.key and s.alert == second.alert.key
    assert "même lieu (35 m)" in s.reason and "sources citoyen / CAP" in s.reason
    # Shown on both rows.
    assert suggestions(console, first.pk, SuggestionKind.DUPLICATE) == [s]
    c = card(qtbot, console, first.pk)
    assert len(c.excerpts) == 2
    c.accept_button.click()
    confirm(qtbot, console, "Regrouper")
    # The more urgent report (the citizen's P1 fire) leads; the CAP alert joins it.
    qtbot.waitUntil(lambda: console.model.leader_pk(second.pk) == first.pk, timeout=10_000)
    assert [m.pk for m in console.model.members(first.pk)] == [first.pk, second.pk]
    qtbot.waitUntil(lambda: bool(events(console, "triage_accepted")), timeout=5000)
    [accepted] = details(events(console, "triage_accepted"))
    assert accepted["suggestion"] == s.id and accepted["suggestion_kind"] == "doublon"
    [merged] = details(events(console, "group_merged"))
    assert "même lieu (35 m)" in json.dumps(merged, ensure_ascii=False)
    qtbot.waitUntil(lambda: not console.triage.controller.for_row(first.pk), timeout=5000)
    assert "À TRIER" not in badges(console, first.pk)


def test_a_phone_call_of_the_main_courante_is_tied_to_its_alert(
    harness: Harness, qtbot: Any
) -> None:
    console = start(harness)
    obj = citizen("Des poubelles brûlent sur le quai du port, grosse fumée noire",
                  category="incendie", priority=1)  # fmt: skip
    inject(harness.sim, obj)
    item = wait_shown(qtbot, console, obj["id"])
    draft = EntryDraft("appel", "Commerçant : poubelles en feu sur le quai, fumée noire",
                       PORT[0] + 40 / 111_320, PORT[1], "Quai du port")  # fmt: skip
    written: list[int] = []
    console.tasks.run(
        lambda store: write_entry(store, draft, station="poste-1", operator="testeur"),
        written.append,
    )
    qtbot.waitUntil(lambda: bool(written), timeout=5000)
    console.triage.controller.refresh_calls()  # the book's refresh does it in the console
    qtbot.waitUntil(lambda: bool(suggestions(console, item.pk, SuggestionKind.DUPLICATE)),
                    timeout=5000)  # fmt: skip
    [s] = suggestions(console, item.pk, SuggestionKind.DUPLICATE)
    assert s.other == ("main-courante", f"poste-1:{written[0]}")
    assert f"avec l'appel reçu (main courante n° {written[0]})" in s.reason
    c = card(qtbot, console, item.pk)
    assert any("Commerçant" in e.text() for e in c.excerpts)
    c.accept_button.click()
    confirm(qtbot, console, "Rattacher")
    qtbot.waitUntil(lambda: bool(events(console, "triage_accepted")), timeout=5000)
    [accepted] = details(events(console, "triage_accepted"))
    # Written on the alert: its timeline shows the call tied to it.
    assert accepted["alert_pk"] == item.pk and accepted["other_key"] == list(s.other)
    assert events(console, "group_merged") == []
    qtbot.waitUntil(lambda: not console.triage.controller.for_row(item.pk), timeout=5000)


def _at(console: Console, qtbot: Any, width: int, height: int) -> None:
    window = console.window
    window.showNormal()
    window.resize(width, height)
    qtbot.waitUntil(
        lambda: window.size() == QSize(width, height).expandedTo(window.minimumSizeHint())
    )


def test_on_a_1366x768_screen_the_card_is_one_line_and_nothing_is_drawn_over(
    harness: Harness, qtbot: Any
) -> None:
    """A 1366×768 screen gives the detail pane about 110 px: the whole card was
    squeezed below its own height and its lines were drawn over each other. There
    the card is one line (kind, effect, buttons), its reason in the tooltip; with
    the pane dragged taller it is whole again."""
    console = start(harness)
    first, _second = fire_twice(harness, qtbot, console)
    _at(console, qtbot, 1366, 768)
    c = card(qtbot, console, first.pk)
    panel, browser = console.triage.panel, console.window.detail.browser

    def not_squeezed() -> bool:
        return c.height() >= c.minimumSizeHint().height() and panel.height() >= (
            panel.minimumSizeHint().height()
        )

    qtbot.waitUntil(lambda: c.compact and not_squeezed(), timeout=5000)
    assert c.chip.isVisible() and c.accept_button.isVisible() and c.refuse_button.isVisible()
    assert not c.reason.isVisible() and not any(e.isVisible() for e in c.excerpts)
    assert "même lieu (35 m)" in c.toolTip() and "fumée noire" in c.toolTip()
    for part in (c.chip, c.effect, c.accept_button, c.refuse_button):
        assert c.rect().contains(part.geometry())  # inside the card, not cut
    assert browser.height() >= 50  # the alert's own text keeps room under it
    # The operator drags the handle up: the whole card comes back.
    column = console.window.table.parentWidget()
    while not isinstance(column, QSplitter) or column.orientation() != Qt.Orientation.Vertical:
        column = column.parentWidget()
    queue_h, _detail_h = column.sizes()
    column.moveSplitter(queue_h - 200, 1)
    qtbot.waitUntil(lambda: not c.compact and not_squeezed(), timeout=5000)
    assert c.reason.isVisible() and all(e.isVisible() for e in c.excerpts)
    assert not c.chip.isVisible() and c.toolTip() == ""
