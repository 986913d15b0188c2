"""Closings without any unit are counted by the review under their qualification,
and a reopened alert is open again until it is closed anew (issue 14, item 3):
a real database, the store's own API, the review's own loader."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from csu_console.core.alerts import Alert, AlertState, Category
from csu_console.core.closing import Qualification, closing_details
from csu_console.core.protocol import AlertMessage
from csu_console.core.review.export import details_text
from csu_console.core.review.filter import NO_OUTCOME, ReviewFilter, outcome_label
from csu_console.core.review.period import Period
from csu_console.core.states import Actor, plan, plan_reopen
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_load import load_review
from csu_console.storage.store import Store

T = datetime(2025, 6, 2, 6, 0, tzinfo=UTC)
DURAND = Actor("poste-1", "durand")


def add(store: Store, name: str, minute: int) -> int:
    alert = Alert("plateforme", name, T, Category.CAMBRIOLAGE, 3, title=name)
    at = T + timedelta(minutes=minute)
    [out] = store.commit_batch([AlertMessage(store.count("alerts") + 1, alert)], "poste-1", at)
    assert out.stored is not None
    return out.stored.pk


def close(store: Store, pk: int, at: datetime, q: Qualification, comment: str = "") -> None:
    t = plan(store.claim(pk), DURAND, AlertState.CLOSED, at)
    details = {**t.details, **closing_details(q, comment)}
    assert store.set_state(
        pk, AlertState.CLOSED, "poste-1", "durand", t.after.at or at, "closed", details
    )


def test_qualified_closings_count_under_their_qualification_and_reopening_forgets_them(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "csu.db")
    doublon = add(store, "a1", 1)
    close(store, doublon, T + timedelta(minutes=2), Qualification.DOUBLON)
    passed = add(store, "a2", 3)
    close(store, passed, T + timedelta(minutes=4), Qualification.TRANSMIS_17)
    reopened = add(store, "a3", 5)
    close(store, reopened, T + timedelta(minutes=6), Qualification.FAUSSE_ALERTE)
    t = plan_reopen(store.claim(reopened), DURAND, T + timedelta(minutes=7), "rappel du témoin")
    assert store.apply_transition(reopened, t)
    still_open = add(store, "a4", 8)
    other = add(store, "a5", 9)
    close(store, other, T + timedelta(minutes=10), Qualification.FAUSSE_ALERTE)
    t = plan_reopen(store.claim(other), DURAND, T + timedelta(minutes=11), "erreur")
    assert store.apply_transition(other, t)
    close(store, other, T + timedelta(minutes=12), Qualification.AUTRE, "voisin prévenu")
    store.close()

    conn = sqlite3.connect(tmp_path / "csu.db")
    period = Period(T, T + timedelta(hours=1))
    review = load_review(ReviewReader(conn), ReviewFilter.for_period(period))
    outcomes = {r.pk: r.outcomes for r in review.rows}
    assert outcomes == {
        doublon: ("doublon",),
        passed: ("transmis_17",),
        reopened: (),  # reopened: its « fausse alerte » no longer counts
        still_open: (),
        other: ("autre",),
    }
    assert review.indicators.alerts.by_outcome == {
        NO_OUTCOME: 2, "doublon": 1, "transmis_17": 1, "autre": 1
    }  # fmt: skip
    closed_at = {r.pk: r.closed_at for r in review.rows}
    assert closed_at[reopened] is None and closed_at[other] is not None
    assert closed_at[other] > (T + timedelta(minutes=11)).isoformat()  # the new closing
    assert outcome_label("transmis_17") == "Transmis au 17 (police)"
    assert outcome_label("doublon") == "Doublon"
    # Filtered on a qualification like on an outcome.
    only = load_review(
        ReviewReader(conn),
        ReviewFilter.for_period(period, outcomes=frozenset({"transmis_17"})),
    )
    assert [r.pk for r in only.rows] == [passed]
    events = conn.execute(
        "SELECT kind, operator, details FROM events WHERE alert_pk = ? ORDER BY pk", (reopened,)
    ).fetchall()
    assert [e[0] for e in events] == ["received", "closed", "reopened"]
    assert json.loads(events[2][2])["reason"] == "rappel du témoin"
    conn.close()


def test_the_main_courante_says_the_qualification_in_french() -> None:
    details = {"from_state": "new", **closing_details(Qualification.TRANSMIS_18, "")}
    assert details_text(details, None) == (
        "état précédent : Nouvelle ; qualification : Transmis au 18 (pompiers)"
    )
