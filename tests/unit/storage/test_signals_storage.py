"""Weak signals in storage (csu_console.storage.weak_signals, migration 10): a scan
saved by id, a decision that survives rescans, every new signal and every decision
written to the main courante in the same transaction as the row, and the scan
runner (csu_console.storage.signal_scan) with the stand-in detector."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from signals_ui_support import StandIn, alert_msg, demo_site, point_in, store_alerts

from csu_console.config.schema import SignalsConfig
from csu_console.core.alerts import Category
from csu_console.core.logbook import EventKind
from csu_console.core.weak_signals.model import Signal, SignalKind, SignalStatus, signal_id
from csu_console.storage.signal_scan import history_start, run_scan
from csu_console.storage.store import Store
from csu_console.storage.weak_signals import (
    SignalError,
    count_new,
    get_signal,
    list_signals,
    save_scan,
    set_signal_status,
    signal_alerts,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
START = NOW - timedelta(days=7)


def sig(cell: str, strength: float = 3.0, **kw: object) -> Signal:
    values: dict[str, object] = {
        "id": signal_id(SignalKind.RECURRENCE, cell, START), "kind": SignalKind.RECURRENCE,
        "title": f"5 démarchages abusifs en 7 jours à {cell}, 0,6 attendus",
        "test": "Poisson, p corrigé = 0,002", "strength": strength, "start": START,
        "end": NOW, "observed": 5, "expected": 0.6, "p_value": 0.002,
        "category": "demarchage_abusif", "zone_ids": (cell,), "communes": ("25388",),
        "alerts": (("vv", "A1"), ("vv", "A2")), "places": ((6.79, 47.51), (6.8, 47.5)),
    }  # fmt: skip
    values.update(kw)
    return Signal(**values)  # type: ignore[arg-type]


def events(store: Store, kind: str) -> list[tuple[str | None, str | None, dict[str, object]]]:
    rows = store.conn.execute(
        "SELECT station, operator, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
    ).fetchall()
    return [(s, o, json.loads(d)) for s, o, d in rows]


def test_a_scan_is_saved_and_read_back_strongest_first(store: Store) -> None:
    a, b = sig("secteur-gare", 2.0), sig("secteur-port", 5.0, term="camionnette blanche")
    assert save_scan(store, [a, b], NOW, "poste-1") == [a.id, b.id]
    listed = list_signals(store)
    assert [s.id for s in listed] == [b.id, a.id]
    got = listed[1]
    assert got.signal == a  # every field, lists and times included
    assert got.status is SignalStatus.NEW and got.first_seen == got.last_seen == NOW
    assert count_new(store) == 2
    detected = events(store, EventKind.SIGNAL_DETECTED)
    assert [d["signal"] for _, _, d in detected] == [a.id, b.id]
    station, operator, details = detected[0]
    assert station == "poste-1" and operator is None
    assert details["text"] == a.title and details["zones"] == ["secteur-gare"]
    assert store.verify_chain().ok


def test_a_rescan_keeps_the_decision_and_logs_nothing_new(store: Store) -> None:
    a = sig("secteur-gare")
    save_scan(store, [a], NOW, "poste-1")
    set_signal_status(store, a.id, SignalStatus.FOLLOWED, "poste-2", "chef1", "  patrouille  ")
    later = NOW + timedelta(hours=1)
    grown = replace(a, observed=6, title="6 démarchages abusifs en 7 jours", strength=4.0)
    c = sig("secteur-centre")
    assert save_scan(store, [grown, c], later, "poste-1") == [c.id]
    again = get_signal(store, a.id)
    assert again is not None
    assert again.status is SignalStatus.FOLLOWED  # the supervisor's decision stays
    assert (again.status_by, again.status_station, again.comment) == ("chef1", "poste-2",
                                                                      "patrouille")  # fmt: skip
    assert again.first_seen == NOW and again.last_seen == later  # first sighting kept
    assert again.signal.observed == 6 and again.signal.title.startswith("6 ")  # latest figures
    assert len(events(store, EventKind.SIGNAL_DETECTED)) == 2  # a, then c; not a twice
    assert count_new(store) == 1
    assert [s.id for s in list_signals(store, status=SignalStatus.FOLLOWED)] == [a.id]


def test_decisions_are_logged_with_their_comment(store: Store) -> None:
    a = sig("secteur-gare")
    save_scan(store, [a], NOW, "poste-1")
    followed = set_signal_status(store, a.id, SignalStatus.FOLLOWED, "poste-2", "chef1", "à voir")
    assert followed.status is SignalStatus.FOLLOWED and followed.status_at is not None
    set_signal_status(store, a.id, SignalStatus.DISMISSED, "poste-2", "chef2")
    [(st, op, d)] = events(store, EventKind.SIGNAL_FOLLOWED)
    assert (st, op) == ("poste-2", "chef1")
    assert d == {"signal": a.id, "text": a.title, "previous": "nouveau", "comment": "à voir"}
    [(_, op2, d2)] = events(store, EventKind.SIGNAL_DISMISSED)
    assert op2 == "chef2" and d2["previous"] == "suivi" and "comment" not in d2
    stored = get_signal(store, a.id)
    assert stored is not None and stored.status is SignalStatus.DISMISSED
    assert stored.comment == ""
    assert store.verify_chain().ok


@pytest.mark.parametrize("status", [SignalStatus.NEW])
def test_a_signal_cannot_go_back_to_new(store: Store, status: SignalStatus) -> None:
    a = sig("secteur-gare")
    save_scan(store, [a], NOW, "poste-1")
    with pytest.raises(SignalError):
        set_signal_status(store, a.id, status, "poste-2", "chef1")
    assert events(store, EventKind.SIGNAL_FOLLOWED) == []


def test_an_unknown_signal_is_refused_and_nothing_is_logged(store: Store) -> None:
    with pytest.raises(SignalError, match="introuvable"):
        set_signal_status(store, "nope", SignalStatus.FOLLOWED, "poste-2", "chef1")
    assert events(store, EventKind.SIGNAL_FOLLOWED) == []


@pytest.mark.expected_logs("csu.signals")
@pytest.mark.parametrize(
    "bad",
    [{"strength": float("nan")}, {"p_value": float("inf")}, {"title": ""},
     {"start": START.replace(tzinfo=None)}],
    ids=["strength-nan", "p-inf", "no-title", "naive-start"],
)  # fmt: skip
def test_a_bad_finding_is_left_out_and_the_rest_saved(
    store: Store, bad: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    good = sig("secteur-gare")
    wrong = replace(sig("secteur-port"), **bad)  # type: ignore[arg-type]
    assert save_scan(store, [wrong, good], NOW, "poste-1") == [good.id]
    assert [s.id for s in list_signals(store)] == [good.id]
    assert "écarté" in caplog.text


def test_filters_by_kind_and_commune(store: Store) -> None:
    a = sig("secteur-gare", communes=("25388",))
    b = sig("x", kind=SignalKind.CLUSTER, communes=("25031", "25388"),
            id=signal_id(SignalKind.CLUSTER, "x", START))  # fmt: skip
    save_scan(store, [a, b], NOW, "poste-1")
    assert [s.id for s in list_signals(store, kind=SignalKind.CLUSTER)] == [b.id]
    assert {s.id for s in list_signals(store, commune="25388")} == {a.id, b.id}
    assert [s.id for s in list_signals(store, commune="25031")] == [b.id]


def test_the_status_column_refuses_an_unknown_value(store: Store) -> None:
    save_scan(store, [sig("secteur-gare")], NOW, "poste-1")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE signals SET status = 'oublié'")


def test_the_alerts_behind_a_signal(store: Store) -> None:
    site = demo_site()
    gare = point_in(site, "secteur-gare")
    store_alerts(store, [alert_msg(1, NOW - timedelta(days=2), where=gare),
                         alert_msg(2, NOW - timedelta(days=1), where=None)], NOW)  # fmt: skip
    keys = (("voisins-vigilants", "S-00002"), ("voisins-vigilants", "S-00001"), ("x", "gone"))
    got = signal_alerts(store, keys)
    assert [a.alert_id for a in got] == ["S-00001", "S-00002"]  # oldest first, unknown left out
    assert got[0].place == "Rue de la Gare" and got[0].lon == pytest.approx(gare[0])
    assert got[1].place == "Helsinki" and got[1].lon is None  # the reported commune
    assert got[0].category == Category.DEMARCHAGE_ABUSIF.value


def test_run_scan_reads_the_window_and_its_baseline_then_saves(store: Store) -> None:
    site = demo_site()
    gare = point_in(site, "secteur-gare")
    recent = [alert_msg(i, NOW - timedelta(days=1, hours=i), where=gare) for i in range(1, 5)]
    old = [alert_msg(10, NOW - timedelta(weeks=20), where=gare)]
    store_alerts(store, recent + old, NOW)
    settings = SignalsConfig(window_days=7, baseline_weeks=8)
    assert history_start(settings, NOW) == NOW - timedelta(days=63)
    standin = StandIn()
    result = run_scan(store, site.territory, settings, NOW, "poste-1", standin.engine())
    assert result.found == 1 and result.findings.alerts == 4  # the 20-week-old one is not read
    assert standin.seen == [settings]
    [stored] = list_signals(store)
    assert "secteur-gare" in stored.signal.zone_ids
    assert result.new_ids == [stored.id]
    again = run_scan(store, site.territory, settings, NOW + timedelta(hours=1), "poste-1",
                     standin.engine())  # fmt: skip
    assert again.found == 1 and again.new_ids == []
