"""The team on screen (protocol § 9): hub messages fed through the console's real
LinkBridge into the real console — units shared and the confirmation to engage a
unit engaged elsewhere, presence (marks in the queue, the station list, what this
station reports), escalation (rung only where a supervisor is logged in, once per
eid), the hub's health and name. The hub itself is a fake sender: what the console
sends is recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_interrupt_cycle import OPERATOR, STATION, Harness, alert, inject, shown

from csu_console.app import Console
from csu_console.core.accounts import Account
from csu_console.core.alert_share import AlertShare
from csu_console.core.alerts import StoredAlert
from csu_console.core.dispatch import Stage, UnitStatus
from csu_console.core.hub_protocol import (
    Escalation,
    EscalationRaised,
    HubHealth,
    HubMessage,
    PresenceChanged,
    PresenceRecord,
    PresenceReport,
    Sync,
    UnitChanged,
    UnitRecord,
    UnitRequest,
    UnitResult,
    Welcome,
)
from csu_console.core.roles import Role
from csu_console.ui.bridge import listener_for
from csu_console.ui.console.alert_cells import COLUMNS

UNIT, UNIT_NAME = "pm-alpha-1", "Alpha 1"  # from config/site.toml
STATE = COLUMNS.index("state")


@dataclass
class FakeHub:
    """The link as far as the team is concerned: records what would go to the hub."""

    units: list[UnitRequest] = field(default_factory=list)
    presence: list[PresenceReport] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    shares: list[AlertShare] = field(default_factory=list)

    def send_unit(self, request: UnitRequest) -> None:
        self.units.append(request)

    def send_presence(self, report: PresenceReport) -> None:
        self.presence.append(report)

    def send_alert_share(self, share: AlertShare) -> None:
        self.shares.append(share)

    def send_escalation(self, escalation: Escalation) -> None:
        self.escalations.append(escalation)


def start(harness: Harness, **kw: Any) -> tuple[Console, FakeHub]:
    hub = FakeHub()
    console = harness.start(**kw)
    console.ctx.hub = hub
    # The real link (a HubSender since the station's hub side) already got the
    # login's presence: this recorder must hear it again.
    console.team._sent_presence = None
    return console, hub


def feed(console: Console, *messages: HubMessage) -> None:
    """As the link does: from its thread, through the bridge's queue."""
    listener = listener_for(console.bridge)
    for m in messages:
        listener.hub_message(m)


def arrived(harness: Harness, qtbot: Any, console: Console, **kw: Any) -> StoredAlert:
    a = alert(**kw)
    inject(harness.sim, a)
    qtbot.waitUntil(lambda: shown(console, a["id"]) is not None, timeout=10_000)
    item = shown(console, a["id"])
    assert item is not None
    return item


def now() -> datetime:
    return datetime.now(UTC)


def log_in(console: Console, role: Role, login: str = "chef") -> None:
    console.session.log_in(Account(login, login.title(), role))


# -- units ---------------------------------------------------------------------------


def test_a_unit_engaged_at_another_station_shows_and_asks_before_engaging(
    harness: Harness, qtbot: Any
) -> None:
    console, hub = start(harness)
    item = arrived(harness, qtbot, console)
    elsewhere = UnitRecord(
        UNIT, UnitStatus.EN_INTERVENTION, "poste-2", "Martin", now(), item.alert.key,
        Stage.DISPATCHED, uid="poste-2:1",
    )  # fmt: skip
    feed(console, Sync(units=(elsewhere,)))
    chip = console.unit_strip.chips[UNIT]
    qtbot.waitUntil(lambda: "(poste-2)" in chip.text(), timeout=5000)
    assert console.dispatch.states[UNIT].status is UnitStatus.EN_INTERVENTION
    assert "poste-2 – Martin" in chip.toolTip()

    # Everywhere units show: the dispatch dialog names the other station too.
    console.dispatch.open_dispatch(item.pk)
    dialog = console.dispatch.dialog
    assert dialog is not None
    line = dialog.unit_list.item(0).text()
    assert line.startswith(UNIT_NAME) and line.endswith(" – par poste-2 – Martin")
    dialog.reject()

    other = arrived(harness, qtbot, console, position=(60.20, 25.05))  # another place
    leader = console.model.leader_pk(other.pk)
    console.dispatch.plan_and_record(leader, console.dispatch.units[0], "")
    box = console.dispatch.question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() is Qt.WindowModality.WindowModal
    assert f"{UNIT_NAME} est engagée par poste-2 – Martin sur l'alerte n° " in box.text()
    assert "l'engager quand même ?" in box.text()
    assert hub.units == []  # nothing before the operator answers
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: bool(hub.units), timeout=10_000)
    [request] = hub.units
    assert request.confirm and request.uid.startswith(f"{STATION}:")
    record = request.record
    assert record.unit == UNIT and record.status is UnitStatus.EN_INTERVENTION
    assert record.alert == other.alert.key and record.stage is Stage.DISPATCHED
    assert record.station == STATION and record.operator == OPERATOR
    # Ours now (the newest); the hub's echo and an older record change nothing.
    qtbot.waitUntil(lambda: console.dispatch.states[UNIT].alert_pk == leader, timeout=5000)
    feed(console, UnitResult(request.uid, True, record), UnitChanged(elsewhere))
    qtbot.waitUntil(lambda: not console.bridge.backlog(), timeout=2000)
    qtbot.wait(50)  # the queued messages are delivered (nothing should change)
    assert console.dispatch.states[UNIT].alert_pk == leader
    assert "(poste-2)" not in chip.text()
    # A newer change elsewhere wins: poste-2 makes it unavailable, with a comment.
    later = UnitRecord(
        UNIT, UnitStatus.INDISPONIBLE, "poste-2", "Martin", now() + timedelta(seconds=1),
        comment="véhicule en panne",
    )  # fmt: skip
    feed(console, UnitChanged(later))
    qtbot.waitUntil(lambda: console.dispatch.states[UNIT].status is UnitStatus.INDISPONIBLE)
    assert "véhicule en panne" in chip.toolTip()


def test_a_unit_engaged_on_an_alert_not_here_yet_gets_its_number_when_it_arrives(
    harness: Harness, qtbot: Any
) -> None:
    console, _hub = start(harness)
    harness.wait_connected()
    a = alert()
    key = ("voisins-vigilants", a["id"])
    record = UnitRecord(
        UNIT, UnitStatus.EN_INTERVENTION, "poste-2", "Martin", now(), key, Stage.DISPATCHED
    )
    feed(console, UnitChanged(record))
    chip = console.unit_strip.chips[UNIT]
    qtbot.waitUntil(lambda: "(poste-2)" in chip.text(), timeout=5000)
    assert "n°" not in chip.text()
    inject(harness.sim, a)
    qtbot.waitUntil(lambda: shown(console, a["id"]) is not None, timeout=10_000)
    item = shown(console, a["id"])
    assert item is not None
    qtbot.waitUntil(lambda: f"n° {item.pk}" in chip.text(), timeout=5000)


def test_a_refused_engagement_asks_again_then_insists(harness: Harness, qtbot: Any) -> None:
    console, hub = start(harness)
    item = arrived(harness, qtbot, console)
    console.dispatch.plan_and_record(item.pk, console.dispatch.units[0], "")
    qtbot.waitUntil(lambda: bool(hub.units), timeout=10_000)
    [request] = hub.units
    assert not request.confirm  # free as far as this station knew
    theirs = UnitRecord(
        UNIT, UnitStatus.EN_INTERVENTION, "poste-2", "Martin", now() - timedelta(seconds=5),
        ("voisins-vigilants", "ailleurs"), Stage.ON_SITE,
    )  # fmt: skip
    refusal = "Alpha 1 est déjà engagée par poste-2 – Martin (alerte ailleurs)."
    feed(console, UnitResult(request.uid, False, theirs, refusal))
    qtbot.waitUntil(lambda: console.team.question is not None, timeout=5000)
    box = console.team.question
    assert box is not None and refusal in box.text()
    # The hub's word stands meanwhile, although older than this station's own step.
    assert console.dispatch.states[UNIT].station == "poste-2"
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: len(hub.units) == 2, timeout=5000)
    again = hub.units[1]
    assert again.confirm and again.uid != request.uid
    assert again.record.alert == item.alert.key


def test_availability_is_logged_and_shared(harness: Harness, qtbot: Any) -> None:
    console, hub = start(harness)
    console.dispatch.refresh_units()
    qtbot.waitUntil(lambda: bool(console.dispatch.local_states), timeout=5000)
    console.unit_strip.availability_requested.emit(UNIT, False, "pause repas")
    qtbot.waitUntil(lambda: bool(hub.units), timeout=10_000)
    record = hub.units[0].record
    assert record.status is UnitStatus.INDISPONIBLE and record.comment == "pause repas"
    assert record.alert is None and record.station == STATION
    assert console.dispatch.states[UNIT].status is UnitStatus.INDISPONIBLE
    # Another hub (a failover) that never heard of it: told again after its sync,
    # and only that unit (the others never changed here).
    feed(console, Welcome("hub-b", ("units",)), Sync())
    qtbot.waitUntil(lambda: len(hub.units) == 2, timeout=5000)
    assert hub.units[1].record.unit == UNIT and hub.units[1].record.comment == "pause repas"
    # A hub whose record is newer: nothing is sent again.
    newer = UnitRecord(UNIT, UnitStatus.DISPONIBLE, "poste-2", "martin", now() + timedelta(1))
    feed(console, Sync(units=(newer,)))
    qtbot.waitUntil(lambda: console.dispatch.states[UNIT].status is UnitStatus.DISPONIBLE)
    assert len(hub.units) == 2


# -- presence ------------------------------------------------------------------------


def test_presence_is_sent_at_login_on_selection_and_at_logout(harness: Harness, qtbot: Any) -> None:
    console, hub = start(harness)
    item = arrived(harness, qtbot, console)
    console.team.send_presence()  # the hub was plugged in after the autologin
    assert hub.presence[-1] == PresenceReport(OPERATOR, "operator", None)
    console.window.select_pk(item.pk)
    qtbot.waitUntil(lambda: hub.presence[-1].viewing == item.alert.key, timeout=5000)
    sent = len(hub.presence)
    console.window.select_pk(item.pk)  # the same alert again: nothing new to say
    qtbot.wait(600)  # longer than the debounce
    assert len(hub.presence) == sent
    console.sessions.handover()  # Ctrl+L: the digest first, then the login screen
    qtbot.waitUntil(lambda: console.handover.dialog is not None, timeout=10_000)
    dialog = console.handover.dialog
    assert dialog is not None
    dialog.hand_over_button.click()
    qtbot.waitUntil(lambda: hub.presence[-1].operator == "", timeout=5000)
    assert hub.presence[-1] == PresenceReport("", "", None)


def test_other_stations_marks_and_the_station_list(harness: Harness, qtbot: Any) -> None:
    console, _hub = start(harness)
    item = arrived(harness, qtbot, console)
    model = console.model
    t0 = now()
    feed(
        console,
        Welcome("hub-a", ("presence",)),
        Sync(
            presence=(
                PresenceRecord(STATION, OPERATOR, "operator", t0, None, True, "hub-a"),
                PresenceRecord("poste-2", "martin", "operator", t0, item.alert.key, True, "hub-a"),
                PresenceRecord("poste-3", "", "", t0 - timedelta(minutes=5), None, False),
            )
        ),
    )

    def mark() -> Any:  # in the first column: always on screen, whatever the width
        return model.data(model.index(model.row_of(item.pk), 0), Qt.ItemDataRole.DecorationRole)

    def tip() -> str:
        return str(
            model.data(model.index(model.row_of(item.pk), STATE), Qt.ItemDataRole.ToolTipRole)
        )

    qtbot.waitUntil(lambda: mark() is not None, timeout=5000)
    assert "poste-2 – martin consulte cette alerte" in tip()
    first = model.data(model.index(model.row_of(item.pk), 0), Qt.ItemDataRole.ToolTipRole)
    assert first == "poste-2 – martin consulte cette alerte"
    title = model.data(model.index(model.row_of(item.pk), COLUMNS.index("title")))
    assert title == item.alert.title  # the title is never touched

    # The station list: the chef de salle's (F10), not the operator's.
    assert not console.window.stations_action.isEnabled()
    log_in(console, Role.SUPERVISEUR)
    assert console.window.stations_action.isEnabled()
    console.window.stations_action.trigger()
    dialog = console.team.stations_dialog
    assert dialog is not None and dialog.isVisible()
    rows = [dialog.row_texts(r) for r in range(dialog.table.rowCount())]
    assert [r[0] for r in rows] == [f"{STATION} (ce poste)", "poste-2", "poste-3"]
    assert rows[1][1:3] == ["martin", "Opérateur"]
    assert rows[1][3].startswith("En ligne depuis ")
    assert rows[1][4].startswith(f"n° {item.pk} · ") and item.alert.title in rows[1][4]
    assert rows[2][3].startswith("HORS LIGNE depuis ")
    assert "serveur hub-a" in dialog.headline.text()

    # poste-2 looks elsewhere, then goes offline: the mark goes, the list follows.
    feed(
        console,
        PresenceChanged(
            PresenceRecord("poste-2", "martin", "operator", t0 + timedelta(seconds=1), None)
        ),
    )
    qtbot.waitUntil(lambda: mark() is None, timeout=5000)
    qtbot.waitUntil(lambda: dialog.row_texts(1)[4] == "—", timeout=5000)
    feed(
        console,
        PresenceChanged(
            PresenceRecord(
                "poste-2", "martin", "operator", t0 + timedelta(seconds=2), item.alert.key, False
            )
        ),
    )
    qtbot.waitUntil(lambda: dialog.row_texts(1)[3].startswith("HORS LIGNE"), timeout=5000)
    assert mark() is None  # offline: looking at nothing


# -- escalation ----------------------------------------------------------------------


def escalation(item: StoredAlert, eid: str = "poste-2:e1") -> EscalationRaised:
    a = item.alert
    return EscalationRaised(Escalation(eid, a.source, a.id, "poste-2", "martin", now()))


def test_another_stations_escalation_rings_only_where_a_supervisor_is(
    harness: Harness, qtbot: Any
) -> None:
    console, _hub = start(harness)
    item = arrived(harness, qtbot, console, priority=3)
    received: list[Escalation] = []
    console.team.escalation_received.connect(received.append)
    feed(console, escalation(item, "poste-2:e1"))
    qtbot.waitUntil(lambda: len(received) == 1, timeout=5000)
    assert "escalation" not in harness.tones()  # an operator's station: no tone
    assert console.model.is_escalated(console.model.leader_pk(item.pk))

    other = arrived(harness, qtbot, console, priority=3, position=(60.20, 25.05))
    log_in(console, Role.SUPERVISEUR)
    with qtbot.waitSignal(
        console.alarm.rang, timeout=5000, check_params_cb=lambda tone, _at: tone == "escalation"
    ):
        feed(console, escalation(other, "poste-2:e2"))
    notice = console.team.notice
    assert notice is not None and notice.isVisible()
    assert "poste-2 – martin" in notice.text()
    show = next(b for b in notice.buttons() if b.text() == "Afficher l'alerte")
    show.click()  # the alert, selected in the queue, whatever was selected before
    qtbot.waitUntil(lambda: console.window.detail.current is not None, timeout=5000)
    shown_now = console.window.selected_alert()
    assert shown_now is not None and shown_now.pk == console.model.leader_pk(other.pk)
    # The same eid again (a resend after a failover): nothing more.
    feed(console, escalation(other, "poste-2:e2"), escalation(other, "poste-2:e2"))
    qtbot.wait(300)
    assert harness.tones().count("escalation") == 1
    assert len(received) == 2


@pytest.mark.expected_logs("csu.ui")  # the escalation is logged as a warning
def test_this_stations_escalation_is_sent_to_the_hub(harness: Harness, qtbot: Any) -> None:
    console, hub = start(harness, alarm={"repeat_p1_s": 0.3, "escalation_after_s": 0.5})
    item = arrived(harness, qtbot, console, priority=1)
    qtbot.waitUntil(lambda: bool(hub.escalations), timeout=10_000)
    [sent] = hub.escalations
    assert (sent.source, sent.id) == item.alert.key
    assert sent.station == STATION and sent.eid.startswith(f"{STATION}:")
    # Its echo from the hub rings nothing more.
    rings = harness.tones().count("escalation")
    feed(console, EscalationRaised(sent))
    qtbot.wait(300)
    assert harness.tones().count("escalation") == rings


# -- the hub's health and name -------------------------------------------------------


@pytest.mark.expected_logs("csu.ui")  # « serveur d'alertes dégradé » is a warning
def test_hub_health_and_name_next_to_the_link_state(harness: Harness, qtbot: Any) -> None:
    console, _hub = start(harness)
    harness.wait_connected()
    window = console.window
    feed(console, Welcome("hub-a", ("claims",)))
    qtbot.waitUntil(lambda: "Connecté au serveur hub-a" in window.link_status.text())
    assert window.hub_health.isHidden()
    since = now()
    feed(console, HubHealth("degraded", "NATS injoignable", since))
    qtbot.waitUntil(lambda: not window.hub_health.isHidden(), timeout=5000)
    assert window.hub_health.text().startswith("Serveur d'alertes dégradé")
    assert "NATS injoignable" in window.hub_health.toolTip().replace("\xa0", " ")
    assert not console.alarm.scheduler.link_is_lost  # not an alarm
    assert "Connecté au serveur hub-a" in window.link_status.text()  # still connected
    feed(console, HubHealth("ok", "", now()))
    qtbot.waitUntil(window.hub_health.isHidden, timeout=5000)
