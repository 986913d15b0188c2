"""Partners' CAP life cycle on the real console: a Cancel silences and marks its alert,
an exercise does not ring (unless the site says so), an expired alert stops ringing,
an Update rings again only when its priority rose, feed messages never reach the queue.

The alerts are stored by the console's own store (``commit_batch`` through
``Console.raise_local_alert``); what the issue 17 store does to them afterwards
(``updated``, ``cancelled``, the expiry sweep's result) is handed to the console as
the store hands it (same pk, ``issuer_state``, ``version``), on the bridge, because
this branch's store does not apply CAP Updates and Cancels yet (helper D's part).
The sweep's own round trip through ``Store.expire_due`` runs when that exists.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from test_interrupt_cycle import OPERATOR, Harness, db_rows, events, state_of

from csu_console.app import Console
from csu_console.core.alerts import Alert, AlertState, Category, IssuerState, Location, StoredAlert
from csu_console.core.cap_facts import CapFacts, MsgType, Scope, Signature, Status
from csu_console.core.intake import Outcome
from csu_console.ui.console.alert_badges import BADGE_ROLE, Badge
from csu_console.ui.console.alert_cells import COLUMNS

SOURCE = "vigicrues@example.fr"
#: Inside the demo site's « Secteur Port ».
PORT = (60.1670, 24.9510)
_n = iter(range(1, 1_000_000))


def cap_alert(
    *,
    priority: int = 2,
    status: Status = Status.ACTUAL,
    scope: Scope = Scope.PUBLIC,
    signature: Signature | None = None,
    expires: datetime | None = None,
) -> Alert:
    """A CAP alert as the parser makes it."""
    n = next(_n)
    return Alert(
        source=SOURCE,
        id=f"FR-CRUE-{n}-{datetime.now(UTC).timestamp()}",
        sent=datetime.now(UTC),
        category=Category.INONDATION,
        priority=priority,
        title="Crue du Vistre : vigilance orange",
        # ≈ 450 m apart: never grouped with the previous one (one row each).
        location=Location(PORT[0] + 0.004 * (n % 50), PORT[1], "Quai de la Fontaine"),
        fmt="cap",
        expires=expires,
        cap=CapFacts(msg_type=MsgType.ALERT, status=status, scope=scope, signature=signature),
    )


def start(harness: Harness) -> Console:
    """A started console, its link up (stopping a link still connecting waits)."""
    console = harness.start()
    harness.wait_connected()
    return console


def store(qtbot: Any, console: Console, alert: Alert) -> StoredAlert:
    """Stored by the console's store, shown in its queue."""
    console.raise_local_alert(alert)
    qtbot.waitUntil(lambda: shown(console, alert) is not None, timeout=10_000)
    item = shown(console, alert)
    assert item is not None
    return item


def shown(console: Console, alert: Alert) -> StoredAlert | None:
    item = console.model.by_key(alert.key)
    if item is None or console.model.row_of(item.pk) < 0:
        return None
    return item


def badges(console: Console, pk: int) -> list[str]:
    model = console.model
    found: tuple[Badge, ...] | None = model.data(
        model.index(model.row_of(pk), COLUMNS.index("title")), BADGE_ROLE
    )
    return [b.text for b in found or ()]


def commit(console: Console, *outcomes: Outcome) -> None:
    """What the store hands the console after a commit (bridge, GUI thread)."""
    console.bridge.frames_committed.emit(list(outcomes))


def ringing(console: Console) -> list[tuple[str, str]]:
    return console.alarm.scheduler.ringing_keys()


def test_a_cancel_silences_and_marks_its_alert_with_a_notice(harness: Harness, qtbot: Any) -> None:
    console = start(harness)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        item = store(qtbot, console, cap_alert(priority=1))
    assert ringing(console) == [item.alert.key] and console.window.banner.isVisible()
    rings = len(harness.rings)

    cancel = CapFacts(msg_type=MsgType.CANCEL, status=Status.ACTUAL, note="Fausse alerte")
    cancelled = replace(
        item, alert=replace(item.alert, cap=cancel), issuer_state=IssuerState.CANCELLED
    )
    commit(console, Outcome(None, "cancelled", item.alert.id, cancelled))

    assert ringing(console) == []  # at once, not at the next repaint
    qtbot.waitUntil(lambda: not console.window.banner.isVisible())
    qtbot.waitUntil(lambda: "ANNULÉE" in badges(console, item.pk))
    assert console.model.alert_by_pk(item.pk).issuer_state is IssuerState.CANCELLED  # type: ignore[union-attr]
    message = console.window.statusBar().currentMessage()
    assert message == f"Alerte n° {item.pk} annulée par l'émetteur : Fausse alerte"
    # Nobody acknowledged it: the CSU's handling is untouched, nothing written for it.
    assert state_of_pk(console, item.pk) == "new"
    assert [e for e in events(console, "acknowledged") if e["alert_pk"] == item.pk] == []
    # Still in the open queue, dimmed; the « without cancelled » view hides it.
    filters = console.window.filters
    proxy = console.window.proxy
    assert item.pk in shown_pks(console)
    filters.state_box.setCurrentIndex(filters.state_box.findData("live"))
    assert item.pk not in shown_pks(console) and proxy.rowCount() == 0
    assert len(harness.rings) == rings  # no ring for the cancel


def shown_pks(console: Console) -> list[int]:
    proxy = console.window.proxy
    found = (
        console.model.alert_at(proxy.mapToSource(proxy.index(r, 0)).row())
        for r in range(proxy.rowCount())
    )
    return [a.pk for a in found if a is not None]


def state_of_pk(console: Console, pk: int) -> str:
    [row] = db_rows(console, "SELECT state FROM alerts WHERE pk = ?", pk)
    return str(row["state"])


def test_an_exercise_does_not_ring_unless_the_site_says_so(harness: Harness, qtbot: Any) -> None:
    console = start(harness)
    assert console.alarm.ring_exercises is False  # the default ([cap] ring_exercises)
    drill = store(qtbot, console, cap_alert(priority=1, status=Status.EXERCISE))
    assert ringing(console) == [] and harness.rings == []
    assert not console.window.banner.isVisible()
    assert "EXERCICE" in badges(console, drill.pk)

    console.alarm.ring_exercises = True  # as [cap] ring_exercises = true sets it
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000) as ring:
        second = store(qtbot, console, cap_alert(priority=1, status=Status.EXERCISE))
    assert ring.args[0] == "priority1"
    assert ringing(console) == [second.alert.key]
    banner = console.window.banner
    assert banner.text().startswith("EXERCICE")
    assert not banner._flash.isActive()  # steady: a flashing banner means a real alert
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        real = store(qtbot, console, cap_alert(priority=1))
    assert banner.pk == real.pk and banner._flash.isActive()


def test_an_expired_alert_stops_ringing(harness: Harness, qtbot: Any) -> None:
    console = start(harness)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        item = store(qtbot, console, cap_alert(priority=2))
    assert ringing(console) == [item.alert.key]

    # What Store.expire_due returns for it, handed over as the minute's sweep does.
    console.cap.sweep.expired.emit([replace(item, issuer_state=IssuerState.EXPIRED)])

    assert ringing(console) == []
    qtbot.waitUntil(lambda: "EXPIRÉE" in badges(console, item.pk))
    assert not console.window.banner.isVisible()
    assert console.window.statusBar().currentMessage().startswith(f"Alerte n° {item.pk} expirée")
    assert state_of_pk(console, item.pk) == "new"


def test_the_sweep_marks_an_alert_past_its_expiry_through_the_store(
    harness: Harness, qtbot: Any
) -> None:
    console = start(harness)
    soon = datetime.now(UTC) + timedelta(seconds=1)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        item = store(qtbot, console, cap_alert(priority=2, expires=soon))
    qtbot.waitUntil(lambda: datetime.now(UTC) > soon, timeout=5000)
    with qtbot.waitSignal(console.cap.sweep.expired, timeout=10_000):
        console.cap.sweep.sweep()
    assert ringing(console) == []
    qtbot.waitUntil(lambda: "EXPIRÉE" in badges(console, item.pk))


def test_an_update_rings_again_only_when_its_priority_rose(harness: Harness, qtbot: Any) -> None:
    console = start(harness)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        item = store(qtbot, console, cap_alert(priority=3))
    console.operations.acknowledge(item.pk)
    qtbot.waitUntil(lambda: state_of(console, item.alert.id)["state"] == "acknowledged")
    qtbot.waitUntil(lambda: console.model.alert_by_pk(item.pk).state is AlertState.ACKNOWLEDGED)  # type: ignore[union-attr]
    assert ringing(console) == []
    held = console.model.alert_by_pk(item.pk)
    assert held is not None and held.state_operator == OPERATOR
    rings = len(harness.rings)

    same = replace(held, alert=replace(held.alert, title="Crue : cote 3,10 m"), version=1)
    commit(console, Outcome(None, "updated", item.alert.id, same, rings=False))
    qtbot.waitUntil(lambda: "MISE À JOUR" in badges(console, item.pk))
    assert ringing(console) == [] and len(harness.rings) == rings
    assert console.model.alert_by_pk(item.pk).alert.title == "Crue : cote 3,10 m"  # type: ignore[union-attr]
    assert console.window.statusBar().currentMessage() == (
        f"Alerte n° {item.pk} mise à jour par l'émetteur."
    )

    higher = replace(same, alert=replace(same.alert, priority=1), version=2)
    with qtbot.waitSignal(console.alarm.rang, timeout=5000) as ring:
        commit(console, Outcome(None, "updated", item.alert.id, higher, rings=True))
    assert ring.args[0] == "priority1"
    assert ringing(console) == [item.alert.key]
    assert console.window.banner.pk == item.pk and "MISE À JOUR" in console.window.banner.text()
    # The row moved up with its priority; its badge is emphasised until looked at.
    qtbot.waitUntil(lambda: console.model.row_of(item.pk) == 0)
    assert console.model.update_unseen(item.pk)
    console.window.select_pk(item.pk)
    assert not console.model.update_unseen(item.pk)
    # F2 answers it again (held already: nothing new written, the ring stops).
    console.operations.acknowledge(item.pk)
    assert ringing(console) == []


def test_feed_messages_never_enter_the_queue(harness: Harness, qtbot: Any) -> None:
    console = start(harness)
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        item = store(qtbot, console, cap_alert(priority=3))
    rows, rings = console.model.rowCount(), len(harness.rings)
    test_msg = replace(item, pk=item.pk + 1000, alert=cap_alert(status=Status.TEST))
    with qtbot.waitSignal(console.cap.notices.feed_changed, timeout=2000):
        commit(
            console,
            Outcome(None, "logged", test_msg.alert.id, test_msg),
            Outcome(None, "pending", "FR-CANCEL-early"),
        )
    console.model.merge_now()
    assert console.model.rowCount() == rows
    assert console.model.by_key(test_msg.alert.key) is None
    assert console.model.book.feed_messages == 2
    assert ringing(console) == [item.alert.key] and len(harness.rings) == rings


def test_restricted_and_signed_alerts_say_so_the_partner_log_opens_from_its_key(
    harness: Harness, qtbot: Any
) -> None:
    console = start(harness)
    item = store(
        qtbot,
        console,
        cap_alert(priority=2, scope=Scope.RESTRICTED, signature=Signature.INVALID),
    )
    assert badges(console, item.pk) == ["RESTREINTE", "signature invalide ✖"]
    ok = store(qtbot, console, cap_alert(priority=2, signature=Signature.VALID))
    assert badges(console, ok.pk) == ["signé ✔"]

    console.window.partner_log_action.trigger()
    log = console.cap.partner_log
    assert log.dialog is not None and log.dialog.isVisible()
    qtbot.waitUntil(lambda: log.loads >= 1, timeout=5000)
    log.dialog.close()
