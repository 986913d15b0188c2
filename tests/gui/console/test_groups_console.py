"""Merges and splits at a console (real SQLite through the storage thread, the real
queue model and window): ``ctx.groups`` checks the permission, writes the change
with its logbook event and outbox row, and the queue shows the report under its
leader, or alone again; the hub's changes apply once; a restarted console shows
the same groups from SQLite; the queue's commands confirm first (Enter cancels)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from csu_console.config import load_site
from csu_console.core.accounts import Account
from csu_console.core.alerts import Location, StoredAlert
from csu_console.core.grouping import Grouper
from csu_console.core.groups import GroupChange, GroupChangeKind
from csu_console.core.hub_protocol import GroupChanged, GroupResult, Welcome
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks, LinkBridge
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.extraction_assembly import assemble_extraction
from csu_console.ui.console.groups_assembly import assemble_groups
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.session import Session

CONFIG = Path(__file__).resolve().parents[3] / "config"
TZ = ZoneInfo("Europe/Paris")


class CountingLink:
    """The link as far as the outbox is concerned: counts the nudges."""

    def __init__(self) -> None:
        self.nudges = 0

    def nudge_outbox(self) -> None:
        self.nudges += 1


class Console:
    """A console's queue and its groups, on one database."""

    def __init__(self, qtbot: Any, writer: StorageWriter, tmp_path: Path) -> None:
        site = load_site(CONFIG)
        self.session = Session()
        self.tasks = DbTasks(writer)
        self.model = AlertTableModel(TZ, grouper=Grouper())
        self.window = MainWindow(self.model, self.tasks, TZ, site.site.name, "poste-1",
                                 session=self.session)  # fmt: skip
        qtbot.addWidget(self.window)
        self.session.setParent(self.window)
        self.tasks.setParent(self.window)
        self.link = CountingLink()
        self.ctx = StationContext("poste-1", self.tasks, self.session, self.link)
        self.launcher = assemble_extraction(site, tmp_path, self.tasks, self.window, "poste-1")
        self.bridge = LinkBridge(self.window)
        self.groups = assemble_groups(self.ctx, self.model, self.window, self.bridge,
                                      self.launcher)  # fmt: skip
        self.messages: list[str] = []
        self.groups.message.connect(self.messages.append)
        qtbot.waitUntil(lambda: self.groups.loaded, timeout=5000)

    def rows(self) -> dict[int, list[int]]:
        return {
            a.pk: [m.pk for m in self.model.members(a.pk)[1:]]
            for a in (self.model.alert_at(r) for r in range(self.model.rowCount()))
            if a is not None
        }


@pytest.fixture
def alerts(make: Any) -> list[StoredAlert]:
    """Four reports ~1 km apart (no automatic group)."""
    return [
        make.stored(location=Location(4.80 + 0.013 * i, 45.76, f"{i} rue", 10.0)) for i in range(4)
    ]


def db_rows(writer: StorageWriter, sql: str) -> list[dict[str, Any]]:
    return writer.submit(lambda s: list(s.db.query(sql))).result(10)


def test_merge_and_split_are_checked_logged_sent_and_shown(
    qtbot: Any, writer: StorageWriter, tmp_path: Path, alerts: list[StoredAlert]
) -> None:
    c = Console(qtbot, writer, tmp_path)
    assert c.ctx.groups is c.groups
    c.model.load(alerts)
    a, b, d = alerts[0], alerts[1], alerts[3]
    assert len(c.rows()) == 4
    # Nobody logged in: refused, nothing written.
    c.groups.merge(a.alert.key, [b.alert.key])
    assert c.messages[-1].startswith("Action réservée")
    c.session.log_in(Account("dupont", "Dupont", Role.OPERATEUR))
    c.groups.merge(a.alert.key, [b.alert.key, d.alert.key], "même cambriolage")
    qtbot.waitUntil(lambda: c.rows().get(a.pk) == [b.pk, d.pk], timeout=5000)
    assert c.link.nudges == 1 and "regroupé" in c.messages[-1]
    (row,) = db_rows(writer, "SELECT * FROM group_changes")
    assert (row["kind"], row["station"], row["hub_seq"]) == ("merge", "poste-1", None)
    (out,) = db_rows(writer, "SELECT * FROM status_outbox WHERE kind = 'group'")
    assert out["key"] == row["id"] and out["answered_at"] is None
    (event,) = db_rows(writer, "SELECT * FROM events WHERE kind = 'group_merged'")
    assert (event["station"], event["operator"]) == ("poste-1", "dupont")
    assert "même cambriolage" in event["details"] and b.alert.id in event["details"]
    # The hub's answer closes the outbox row; its echo gives the change its place.
    change = c.groups.ledger.entries()[0].change
    c.groups.on_hub_message(GroupChanged(41, change))
    assert c.groups.ledger.entries()[0].seq == 41 and c.rows()[a.pk] == [b.pk, d.pk]
    # A split: d stands alone again, with its own row.
    c.groups.split([d.alert.key], "autre adresse")
    qtbot.waitUntil(lambda: d.pk in c.rows(), timeout=5000)
    assert c.rows()[a.pk] == [b.pk] and c.rows()[d.pk] == []
    kinds = [e["kind"] for e in db_rows(writer, "SELECT kind FROM events WHERE kind LIKE 'group%'")]
    assert kinds == ["group_merged", "group_split"]


@pytest.mark.expected_logs("csu.groups")  # the refused change is a warning
def test_changes_from_the_hub_apply_once_and_survive_a_restart(
    qtbot: Any, writer: StorageWriter, tmp_path: Path, alerts: list[StoredAlert]
) -> None:
    c = Console(qtbot, writer, tmp_path)
    c.model.load(alerts)
    a, b, x = alerts[0], alerts[1], alerts[2]
    c.groups.on_hub_message(Welcome("hub-a", ("claims", "groups")))
    assert c.groups.hub_mode and not c.model.book.local_auto
    other = GroupChange("poste-2:1", GroupChangeKind.MERGE, a.alert.key, (x.alert.key,),
                        "poste-2", "martin", datetime.now(UTC), "doublon")  # fmt: skip
    applied: list[object] = []
    c.groups.changed.connect(applied.append)
    # The receiving process stored it before the GUI hears of it (as hub_session does).
    writer.submit(lambda s: s.receive_group_changes([(7, other)])).result(10)
    for _ in range(3):  # a replay (sync after a reconnection) changes nothing
        c.groups.on_hub_message(GroupChanged(7, other))
    qtbot.waitUntil(lambda: c.rows().get(a.pk) == [x.pk], timeout=5000)  # shown together
    assert applied == [other]
    c.groups.on_hub_message(GroupResult("poste-1:zz", False, "liste trop longue"))
    assert "refusé" in c.messages[-1]
    qtbot.waitUntil(lambda: db_rows(writer, "SELECT value FROM meta WHERE key ="
                                             " 'groups_from_hub'") == [{"value": "1"}])  # fmt: skip
    # The console starts again: the same groups from SQLite, before any hub message.
    again = Console(qtbot, writer, tmp_path)
    again.model.load(alerts)
    again.model.merge_now()
    assert again.groups.hub_mode and again.rows()[a.pk] == [x.pk] and b.pk in again.rows()


def test_queue_commands_name_the_alerts_and_enter_cancels(
    qtbot: Any, writer: StorageWriter, tmp_path: Path, alerts: list[StoredAlert]
) -> None:
    c = Console(qtbot, writer, tmp_path)
    c.model.load(alerts)
    c.session.log_in(Account("dupont", "Dupont", Role.OPERATEUR))
    a, b = alerts[0], alerts[1]
    commands = c.groups.commands
    assert commands is not None
    menu = c.launcher.alert_menu(b, a)  # right click on b while a was selected
    texts = [act.text() for act in menu.actions() if act.text()]
    assert texts[1:] == ["Regrouper avec l'alerte sélectionnée…", "Détacher du groupe"]
    merge = next(act for act in menu.actions() if act.text().startswith("Regrouper"))
    split = next(act for act in menu.actions() if act.text() == "Détacher du groupe")
    assert merge.isEnabled() and not split.isEnabled()  # b stands alone
    merge.trigger()
    dialog = commands.dialog  # type: ignore[attr-defined]
    assert dialog is not None and dialog.isVisible()
    assert f"n° {a.pk}" in dialog.message and f"n° {b.pk}" in dialog.message
    assert dialog.cancel.isDefault() and not dialog.ok.isDefault()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # one key: nothing merged
    qtbot.waitUntil(lambda: commands.dialog is None, timeout=5000)  # type: ignore[attr-defined]
    assert c.rows()[b.pk] == [] and not db_rows(writer, "SELECT * FROM group_changes")
    menu.deleteLater()
    dialog = commands.confirm_merge(a, b)  # type: ignore[attr-defined]
    dialog.reason.setText("même incident")
    dialog.ok.click()
    qtbot.waitUntil(lambda: c.rows().get(a.pk) == [b.pk], timeout=5000)
    # Now the group's menu lists its reports to detach, each confirmed.
    menu2 = c.launcher.alert_menu(a, None)
    sub = next(act for act in menu2.actions() if act.text() == "Détacher du groupe").menu()
    assert isinstance(sub, QMenu) and sub.isEnabled()
    names = [act.text() for act in sub.actions()]
    assert names == [f"n° {a.pk} – {a.alert.title}", f"n° {b.pk} – {b.alert.title}"]
    sub.actions()[1].trigger()
    dialog = commands.dialog  # type: ignore[attr-defined]
    assert dialog is not None and f"n° {b.pk}" in dialog.message
    dialog.ok.click()
    qtbot.waitUntil(lambda: b.pk in c.rows(), timeout=5000)
    menu2.deleteLater()
