"""The triage in the database: a person's priority change (row + chained event with the
new digest, ``logbook verify`` still holds), accepted and refused suggestions logged
and read back after a restart."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.book import EntryDraft
from csu_console.core.logbook import EventKind, LogbookError
from csu_console.core.protocol import AlertMessage
from csu_console.core.triage import Suggestion, SuggestionKind
from csu_console.storage.alert_audit import verify_alerts
from csu_console.storage.book import write_entry
from csu_console.storage.store import Store
from csu_console.storage.triage import (
    change_priority,
    decided_suggestions,
    recent_calls,
    record_decision,
)

NOW = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)


def _alert(alert_id: str, priority: int = 3) -> Alert:
    return Alert(
        "voisins-vigilants", alert_id, NOW, Category.COMPORTEMENT_SUSPECT, priority,
        title="Homme menaçant", description="Un homme avec un couteau devant l'école",
        location=Location(60.17, 24.94, "2 rue de l'École", 10.0),
    )  # fmt: skip


RAISE = Suggestion(
    "priorite_haussee:voisins-vigilants/A1",
    SuggestionKind.RAISE_PRIORITY,
    ("voisins-vigilants", "A1"),
    "mots d'urgence : « couteau » → priorité 1",
    priority=1,
    words=("couteau",),
    score=0.8,
)


def _events(store: Store, kind: EventKind) -> list[dict[str, object]]:
    rows = store.conn.execute(
        "SELECT alert_pk, operator, details FROM events WHERE kind = ? ORDER BY pk", (kind.value,)
    ).fetchall()
    return [{"alert_pk": r[0], "operator": r[1], **json.loads(r[2])} for r in rows]


@pytest.mark.expected_logs("csu.logbook")  # the edit behind the console's back, named
def test_change_priority_writes_row_and_event_and_the_chain_still_verifies(tmp_path: Path) -> None:
    store = Store(tmp_path / "csu.sqlite3")
    [o] = store.commit_batch([AlertMessage(1, _alert("A1"))], "poste-1", NOW)
    assert o.stored is not None
    pk = o.stored.pk
    [after] = change_priority(
        store, [pk], 1, "mots d'urgence", station="poste-1", operator="op1", suggestion=RAISE
    )
    assert after.alert.priority == 1 and after.pk == pk
    [changed] = _events(store, EventKind.PRIORITY_CHANGED)
    assert changed["from"] == 3 and changed["to"] == 1 and changed["reason"] == "mots d'urgence"
    assert changed["alert_pk"] == pk and changed["operator"] == "op1"
    [accepted] = _events(store, EventKind.TRIAGE_ACCEPTED)
    assert accepted["suggestion"] == RAISE.id and accepted["words"] == ["couteau"]
    assert accepted["suggestion_kind"] == "priorite_haussee"
    report = verify_alerts(store.conn)
    assert report.ok, report.problems
    assert store.verify_chain().ok
    # An edit behind the console's back is still caught.
    store.conn.execute("UPDATE alerts SET priority = 4 WHERE pk = ?", (pk,))
    assert not verify_alerts(store.conn).ok
    store.close()


def test_the_same_priority_changes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "csu.sqlite3")
    [o] = store.commit_batch([AlertMessage(1, _alert("A1", 2))], "poste-1", NOW)
    assert o.stored is not None
    assert change_priority(store, [o.stored.pk], 2, "x", station="p", operator="op") == []
    assert _events(store, EventKind.PRIORITY_CHANGED) == []
    store.close()


@pytest.mark.parametrize(
    ("pk", "priority", "operator", "reason", "message"),
    [
        (999, 1, "op", "x", "inconnue"),
        (1, 0, "op", "x", "invalide"),
        (1, 1, "", "x", "Personne"),
        (1, 1, "op", "  ", "obligatoire"),
    ],
)
def test_bad_priority_changes_are_refused_and_nothing_is_written(
    tmp_path: Path, pk: int, priority: int, operator: str, reason: str, message: str
) -> None:
    store = Store(tmp_path / "csu.sqlite3")
    store.commit_batch([AlertMessage(1, _alert("A1"))], "poste-1", NOW)
    before = store.count("events")
    with pytest.raises(LogbookError, match=message):
        change_priority(store, [pk], priority, reason, station="p", operator=operator)
    assert store.count("events") == before
    assert store.conn.execute("SELECT priority FROM alerts").fetchone()[0] == 3
    store.close()


def test_decisions_are_read_back_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "csu.sqlite3"
    store = Store(path)
    store.commit_batch([AlertMessage(1, _alert("A1"))], "poste-1", NOW)
    record_decision(store, RAISE, False, alert_pk=1, station="poste-1", operator="op1")
    [refused] = _events(store, EventKind.TRIAGE_REFUSED)
    assert refused["reason"] == RAISE.reason and refused["proposed_priority"] == 1
    assert store.conn.execute("SELECT priority FROM alerts").fetchone()[0] == 3  # unchanged
    store.close()
    again = Store(path)
    assert decided_suggestions(again) == {RAISE.id}
    again.close()


def test_recent_calls_are_the_placed_phone_calls_not_tied_to_an_alert(tmp_path: Path) -> None:
    store = Store(tmp_path / "csu.sqlite3")
    store.commit_batch([AlertMessage(1, _alert("A1"))], "poste-1", NOW)
    at = NOW + timedelta(minutes=3)
    placed = EntryDraft("appel", "Commerçant : homme avec un couteau", 60.17, 24.94, "Quai")
    pk = write_entry(store, placed, station="poste-1", operator="op1", at=at)
    write_entry(store, EntryDraft("appel", "Sans lieu"), station="poste-1", operator="op1", at=at)
    write_entry(store, EntryDraft("radio", "Radio", 60.17, 24.94), station="poste-1",
                operator="op1", at=at)  # fmt: skip
    write_entry(store, placed, station="poste-1", operator="op1", alert_pk=1, at=at)
    write_entry(store, placed, station="poste-1", operator="op1", at=NOW - timedelta(hours=3))
    [c] = recent_calls(store, NOW - timedelta(hours=2), "poste-1")
    assert c.key == ("main-courante", f"poste-1:{pk}") and c.pk == pk
    assert (c.lat, c.lon, c.place) == (60.17, 24.94, "Quai")
    assert c.text == "Commerçant : homme avec un couteau" and c.at == at
    store.close()


def test_a_partners_cap_alert_keeps_its_issuers_priority(tmp_path: Path) -> None:
    store = Store(tmp_path / "csu.sqlite3")
    cap = replace(_alert("C1"), source="sdis@p", fmt="cap")
    [o] = store.commit_batch([AlertMessage(None, cap)], "poste-1", NOW)
    assert o.stored is not None
    with pytest.raises(LogbookError, match="suit son émetteur"):
        change_priority(store, [o.stored.pk], 1, "x", station="p", operator="op")
    assert _events(store, EventKind.PRIORITY_CHANGED) == []
    store.close()
