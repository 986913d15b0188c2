"""Legal holds (csu_console.storage.holds): a record under a judicial requisition,
its release, both logged with the reference, and what the purge reads."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from test_store import msg

from csu_console.core.holds import HoldError, HoldTarget, LegalHold
from csu_console.core.recording import ExtractionRequest, Requisition
from csu_console.storage.extractions import record_extraction
from csu_console.storage.holds import (
    alert_snapshots,
    held_alerts,
    hold_alert,
    list_holds,
    place_hold,
    place_holds,
    release_hold,
)
from csu_console.storage.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PV = "PV 2026/1234 – TJ Montbéliard"


@pytest.fixture
def alerts(store: Store) -> list[int]:
    outcomes = store.commit_batch([msg(1, "SIG-1"), msg(2, "SIG-2")], "poste-1", T0)
    return [o.stored.pk for o in outcomes if o.stored is not None]


def events(store: Store, *kinds: str) -> list[dict[str, Any]]:
    marks = ", ".join("?" * len(kinds))
    rows = store.conn.execute(
        f"SELECT kind, alert_pk, station, operator, details FROM events WHERE kind IN ({marks})"
        " ORDER BY pk",
        kinds,
    ).fetchall()
    return [
        {"kind": k, "alert_pk": a, "station": s, "operator": o, **json.loads(d)}
        for k, a, s, o, d in rows
    ]


def test_hold_an_alert_is_logged_with_the_reference(store: Store, alerts: list[int]) -> None:
    hold = place_hold(
        store, HoldTarget.ALERT, alerts[0], f"  {PV} ", station="poste-1", operator="chef", at=T0
    )
    assert hold == LegalHold(hold.pk, HoldTarget.ALERT, str(alerts[0]), PV, T0, "chef", "poste-1")
    assert hold.active and hold.describe() == f"alerte n° {alerts[0]}"
    assert events(store, "legal_hold") == [
        {"kind": "legal_hold", "alert_pk": alerts[0], "station": "poste-1", "operator": "chef",
         "hold": hold.pk, "target": "alert", "target_ref": str(alerts[0]), "reference": PV},
    ]  # fmt: skip
    assert store.verify_chain().ok
    assert held_alerts(store.conn) == {alerts[0]: [PV]}


def test_the_row_the_purge_reads(store: Store, alerts: list[int]) -> None:
    """The contract with the purge (storage/retention.py): an active hold is a row
    ``(target, target_ref)`` with ``released_at`` NULL; target_ref is the alert's or
    the snapshot's pk as text. A released hold no longer protects anything."""
    hold = place_hold(store, HoldTarget.ALERT, alerts[1], PV, station="p", operator="chef")
    purge_query = (
        "SELECT target_ref FROM legal_holds WHERE target = 'alert' AND released_at IS NULL"
    )
    assert [r[0] for r in store.conn.execute(purge_query)] == [str(alerts[1])]
    release_hold(store, hold.pk, "mainlevée du parquet", station="p", operator="chef")
    assert store.conn.execute(purge_query).fetchall() == []
    row = store.conn.execute(
        "SELECT target, target_ref, reference, held_by, station, released_by, release_reason,"
        " released_at IS NOT NULL FROM legal_holds"
    ).fetchone()
    assert row == ("alert", str(alerts[1]), PV, "chef", "p", "chef", "mainlevée du parquet", 1)


def test_release_is_logged_with_the_reference_and_why(store: Store, alerts: list[int]) -> None:
    hold = place_hold(store, HoldTarget.ALERT, alerts[0], PV, station="p", operator="chef", at=T0)
    later = T0 + timedelta(days=40)
    released = release_hold(
        store, hold.pk, "  fin de   procédure ", station="p2", operator="admin", at=later
    )
    assert (released.released_at, released.released_by) == (later, "admin")
    assert released.release_reason == "fin de procédure" and not released.active
    [event] = events(store, "legal_hold_released")
    assert event == {
        "kind": "legal_hold_released", "alert_pk": alerts[0], "station": "p2",
        "operator": "admin", "hold": hold.pk, "target": "alert", "target_ref": str(alerts[0]),
        "reference": PV, "release_reason": "fin de procédure",
    }  # fmt: skip
    assert held_alerts(store.conn) == {}
    assert store.verify_chain().ok


def test_same_reference_twice_is_refused_another_is_a_second_hold(
    store: Store, alerts: list[int]
) -> None:
    place_hold(store, HoldTarget.ALERT, alerts[0], PV, station="p", operator="chef")
    with pytest.raises(HoldError, match="déjà sous réquisition « PV 2026/1234"):
        place_hold(store, HoldTarget.ALERT, alerts[0], PV, station="p", operator="chef")
    place_hold(store, HoldTarget.ALERT, alerts[0], "PV 2026/99", station="p", operator="chef")
    assert held_alerts(store.conn) == {alerts[0]: [PV, "PV 2026/99"]}
    assert len(events(store, "legal_hold")) == 2  # the refused one wrote nothing


def test_after_a_release_the_same_reference_may_hold_again(store: Store, alerts: list[int]) -> None:
    first = place_hold(store, HoldTarget.ALERT, alerts[0], PV, station="p", operator="chef")
    release_hold(store, first.pk, "erreur de saisie", station="p", operator="chef")
    again = place_hold(store, HoldTarget.ALERT, alerts[0], PV, station="p", operator="chef")
    assert again.pk != first.pk
    assert [h.pk for h in list_holds(store.conn, active_only=True)] == [again.pk]
    assert [h.pk for h in list_holds(store.conn)] == [again.pk, first.pk]


@pytest.mark.parametrize(
    ("target", "ref", "reference", "message"),
    [
        (HoldTarget.ALERT, 1, "   ", "La référence de la réquisition est obligatoire"),
        (HoldTarget.ALERT, 1, "x" * 201, "trop longue"),
        (HoldTarget.ALERT, 999, PV, "Alerte n° 999 introuvable"),
        (HoldTarget.ALERT, "abc", PV, "Numéro d'alerte invalide « abc »"),
        (HoldTarget.ALERT, "-3", PV, "Numéro d'alerte invalide"),
        (HoldTarget.SNAPSHOT, 4, PV, "Capture d'image n° 4 introuvable"),
        (HoldTarget.EXTRACTION, " ", PV, "Identifiant de l'extraction vidéo manquant"),
    ],
)
def test_bad_holds_are_refused_and_write_nothing(
    store: Store, alerts: list[int], target: HoldTarget, ref: object, reference: str, message: str
) -> None:
    del alerts
    with pytest.raises(HoldError, match=message):
        place_hold(store, target, str(ref), reference, station="p", operator="chef")
    assert list_holds(store.conn) == []
    assert events(store, "legal_hold") == []


def test_an_extraction_is_held_by_its_id(store: Store) -> None:
    # Since the register exists (issue 18), an extraction hold names a row of it.
    with pytest.raises(HoldError, match="Extraction vidéo n° EXT-7 introuvable"):
        place_hold(store, HoldTarget.EXTRACTION, "EXT-7", PV, station="p", operator="chef")
    requisition = Requisition("R-1", "Commissariat", "Lt Martin", T0.date())
    request = ExtractionRequest(("cam-01",), T0, T0 + timedelta(minutes=1), requisition)
    rec = record_extraction(store, request, "/media/cle", [], "pv.pdf", "", "",
                            station="p", operator="chef")  # fmt: skip
    hold = place_hold(store, HoldTarget.EXTRACTION, rec.pk, PV, station="p", operator="chef")
    assert hold.describe() == f"extraction vidéo {rec.pk}"
    assert [e["alert_pk"] for e in events(store, "legal_hold")] == [None, None]


def test_a_snapshot_hold_goes_on_its_alert_timeline(store: Store, alerts: list[int]) -> None:
    store.conn.execute(
        "INSERT INTO snapshots (pk, at, camera_id, alert_pk, path, sha256) VALUES"
        " (5, ?, 'cam-01', ?, '/tmp/x.png', 'ab')",
        (T0.isoformat(), alerts[1]),
    )
    hold = place_hold(store, HoldTarget.SNAPSHOT, 5, PV, station="p", operator="chef")
    assert hold.describe() == "capture d'image n° 5"
    assert events(store, "legal_hold")[0]["alert_pk"] == alerts[1]
    assert held_alerts(store.conn) == {}  # the alert itself is not held


@pytest.mark.parametrize(
    ("pk", "reason", "message"),
    [
        (42, "fin", "Conservation n° 42 inconnue"),
        (None, "  ", "Le motif de la levée est obligatoire"),
    ],
)
def test_bad_releases_are_refused(
    store: Store, alerts: list[int], pk: int | None, reason: str, message: str
) -> None:
    hold = place_hold(store, HoldTarget.ALERT, alerts[0], PV, station="p", operator="chef")
    with pytest.raises(HoldError, match=message):
        release_hold(store, pk or hold.pk, reason, station="p", operator="chef")
    assert held_alerts(store.conn) == {alerts[0]: [PV]}


def test_releasing_twice_says_when_and_by_whom(store: Store, alerts: list[int]) -> None:
    hold = place_hold(store, HoldTarget.ALERT, alerts[0], PV, station="p", operator="chef")
    release_hold(store, hold.pk, "mainlevée", station="p", operator="martin", at=T0)
    with pytest.raises(HoldError, match=r"déjà levée le \d\d/\d\d/2026 à .* par martin"):
        release_hold(store, hold.pk, "mainlevée", station="p", operator="chef")
    assert len(events(store, "legal_hold_released")) == 1


def test_holds_are_readable_on_a_read_only_connection(store: Store, alerts: list[int]) -> None:
    place_hold(store, HoldTarget.ALERT, alerts[0], PV, station="p", operator="chef")
    ro = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    try:
        assert [h.reference for h in list_holds(ro, target=HoldTarget.ALERT)] == [PV]
        assert list_holds(ro, target_refs=[]) == []
    finally:
        ro.close()


def add_snapshot(store: Store, pk: int, alert_pk: int) -> None:
    store.conn.execute(
        "INSERT INTO snapshots (pk, at, camera_id, alert_pk, path, sha256) VALUES"
        " (?, ?, 'cam-01', ?, '/tmp/x.png', 'ab')",
        (pk, T0.isoformat(), alert_pk),
    )


def test_an_alert_and_its_snapshots_in_one_transaction(store: Store, alerts: list[int]) -> None:
    add_snapshot(store, 5, alerts[0])
    add_snapshot(store, 6, alerts[0])
    add_snapshot(store, 7, alerts[1])
    assert alert_snapshots(store.conn, alerts[0]) == [5, 6]
    targets = [(HoldTarget.ALERT, alerts[0])] + [
        (HoldTarget.SNAPSHOT, pk) for pk in alert_snapshots(store.conn, alerts[0])
    ]
    holds = place_holds(store, targets, PV, station="p", operator="chef")
    assert [h.describe() for h in holds] == [
        f"alerte n° {alerts[0]}", "capture d'image n° 5", "capture d'image n° 6",
    ]  # fmt: skip
    assert {e["target_ref"] for e in events(store, "legal_hold")} == {str(alerts[0]), "5", "6"}
    assert {e["alert_pk"] for e in events(store, "legal_hold")} == {alerts[0]}
    # Again: refused as a whole (nothing written), or the held ones skipped.
    with pytest.raises(HoldError, match="déjà sous réquisition"):
        place_holds(store, [(HoldTarget.SNAPSHOT, 7), *targets], PV, station="p", operator="c")
    assert len(list_holds(store.conn)) == 3
    added = place_holds(
        store, [(HoldTarget.SNAPSHOT, 7), *targets], PV, station="p", operator="c",
        skip_held=True,
    )  # fmt: skip
    assert [h.target_ref for h in added] == ["7"]
    assert store.verify_chain().ok


def test_one_bad_target_holds_nothing(store: Store, alerts: list[int]) -> None:
    with pytest.raises(HoldError, match="Capture d'image n° 9 introuvable"):
        place_holds(
            store, [(HoldTarget.ALERT, alerts[0]), (HoldTarget.SNAPSHOT, 9)], PV,
            station="p", operator="chef",
        )  # fmt: skip
    assert list_holds(store.conn) == [] and events(store, "legal_hold") == []


def test_hold_alert_with_snapshots(store: Store, alerts: list[int]) -> None:
    add_snapshot(store, 5, alerts[0])
    place_hold(store, HoldTarget.SNAPSHOT, 5, PV, station="p", operator="chef")
    add_snapshot(store, 6, alerts[0])
    holds = hold_alert(store, alerts[0], PV, with_snapshots=True, station="p", operator="chef")
    assert [h.describe() for h in holds] == [f"alerte n° {alerts[0]}", "capture d'image n° 6"]
    with pytest.raises(HoldError, match=f"Alerte n° {alerts[0]} déjà sous réquisition"):
        hold_alert(store, alerts[0], PV, with_snapshots=True, station="p", operator="chef")
    only = hold_alert(store, alerts[1], PV, with_snapshots=False, station="p", operator="c")
    assert [h.target for h in only] == [HoldTarget.ALERT]
    assert len(list_holds(store.conn, active_only=True)) == 4
