"""A phone alert in the database: stored as a received alert with its creation
event, and the caller's details sealed by the purge like a citizen's."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from csu_console.core.alerts import AlertState, Category
from csu_console.core.logbook import PURGED_KEY, EventKind
from csu_console.core.phone_alert import (
    SOURCE,
    CallProblem,
    PhoneCall,
    check_call,
    created_details,
    phone_alert,
)
from csu_console.core.retention import RetentionPolicy
from csu_console.storage.phone_alerts import store_phone_alert
from csu_console.storage.store import Store

NOW = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
CALL = PhoneCall(
    category=Category.RIXE,
    priority=1,
    title="Bagarre devant le bar",
    lat=60.1670,
    lon=24.9510,
    address="3 Eteläranta",
    description="Quatre personnes, une à terre.",
    caller_name="Jeanne Martin",
    caller_phone="06 12 34 56 78",
    priority_from_rules=True,
)


def test_a_call_becomes_an_alert_of_source_telephone() -> None:
    alert = phone_alert(CALL, "poste-1", NOW)
    assert alert.source == SOURCE == "telephone"
    assert alert.id.startswith("tel-poste-1-20261205T103000Z-")
    assert phone_alert(CALL, "poste-1", NOW).id != alert.id  # same second, still unique
    assert alert.location is not None and alert.location.address == "3 Eteläranta"
    assert alert.reporter is not None
    assert alert.reporter.pseudonym == "Jeanne Martin · 06 12 34 56 78"
    assert alert.priority_from_rules and alert.priority == 1
    anonymous = phone_alert(PhoneCall(Category.AUTRE, 3, "Bruit", 60.0, 24.0), "p", NOW)
    assert anonymous.reporter is None and anonymous.location is not None
    assert anonymous.location.address is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"title": "  "}, "Le titre est obligatoire"),
        ({"title": "x" * 201}, "Titre trop long"),
        ({"priority": 0}, "Priorité 0"),
        ({"lat": 91.0}, "Lieu hors du globe"),
        ({"caller_phone": "06 12 AB"}, "Téléphone de l'appelant : chiffres"),
        ({"caller_phone": "+" + "1" * 21}, "de 2 à 20 chiffres"),
        ({"caller_name": "n" * 101}, "Nom de l'appelant trop long"),
        ({"description": "d" * 2001}, "Description trop longue"),
    ],
)
def test_bad_calls_are_refused_with_a_reason(changes: dict[str, object], problem: str) -> None:
    call = PhoneCall(**{**CALL.__dict__, **changes})  # type: ignore[arg-type]
    problems = check_call(call)
    assert len(problems) == 1 and problem in problems[0], problems
    with pytest.raises(CallProblem, match=problem):
        phone_alert(call, "poste-1", NOW)


def test_stored_as_a_received_alert_with_its_creation_logged(store: Store) -> None:
    alert = phone_alert(CALL, "poste-1", NOW)
    outcomes = store_phone_alert(
        store, alert, "poste-1", "durand", created_details(alert, CALL), at=NOW
    )
    [outcome] = outcomes
    assert outcome.kind == "stored" and outcome.stored is not None
    pk = outcome.stored.pk
    assert outcome.stored.state is AlertState.NEW and outcome.stored.seq is None
    row = store.conn.execute(
        "SELECT source, alert_id, reporter_pseudonym, address FROM alerts WHERE pk = ?", (pk,)
    ).fetchone()
    assert row == ("telephone", alert.id, "Jeanne Martin · 06 12 34 56 78", "3 Eteläranta")
    kinds = store.conn.execute(
        "SELECT kind, station, operator, details FROM events WHERE alert_pk = ? ORDER BY pk",
        (pk,),
    ).fetchall()
    assert [k[0] for k in kinds] == ["received", EventKind.ALERT_CREATED.value]
    _kind, station, operator, text = kinds[1]
    created = json.loads(text)
    assert (station, operator) == ("poste-1", "durand")
    assert created["reporter"] == "Jeanne Martin" and created["phone"] == "06 12 34 56 78"
    assert created["category"] == "rixe" and created["alert_id"] == alert.id
    assert store.verify_chain().ok


def test_the_caller_is_sealed_after_the_personal_data_period(store: Store) -> None:
    old = NOW - timedelta(days=100)
    alert = phone_alert(CALL, "poste-1", old)
    [outcome] = store_phone_alert(
        store, alert, "poste-1", "durand", created_details(alert, CALL), at=old
    )
    assert outcome.stored is not None
    pk = outcome.stored.pk
    fresh = phone_alert(CALL, "poste-1", NOW)
    store_phone_alert(store, fresh, "poste-1", "durand", created_details(fresh, CALL), at=NOW)

    report = store.purge(RetentionPolicy(), NOW + timedelta(days=1))

    assert report.alerts == 1 and report.events >= 1
    pseudonym, description, title, address, purged = store.conn.execute(
        "SELECT reporter_pseudonym, description, title, address, purged_at FROM alerts"
        " WHERE pk = ?",
        (pk,),
    ).fetchone()
    assert "Jeanne" not in pseudonym and "06 12" not in pseudonym
    assert "Quatre" not in description and purged is not None
    # The place of a phone alert is not a citizen report's: it stays for the review.
    assert (title, address) == ("Bagarre devant le bar", "3 Eteläranta")
    text = store.conn.execute(
        "SELECT details FROM events WHERE alert_pk = ? AND kind = 'alert_created'", (pk,)
    ).fetchone()[0]
    sealed = json.loads(text)
    assert sorted(sealed[PURGED_KEY]) == ["phone", "reporter"]
    assert "Jeanne" not in text and "06 12" not in text
    assert sealed["category"] == "rixe"  # the statistics keep what was created
    # The recent call keeps its caller; the chain still verifies.
    kept = store.conn.execute(
        "SELECT reporter_pseudonym FROM alerts WHERE alert_id = ?", (fresh.id,)
    ).fetchone()[0]
    assert kept == "Jeanne Martin · 06 12 34 56 78"
    assert store.verify_chain().ok
