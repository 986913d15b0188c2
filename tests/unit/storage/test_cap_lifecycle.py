"""A partner's CAP messages in the store (csu_console.storage.cap_lifecycle):
Update with history, Cancel, pending then applied, several references, the feed
log, duplicates by (sender, identifier), the raw documents, the expiry sweep,
``logbook verify`` after updates, the purge of the new tables, migration 8 from
a version-7 file with rows.

The messages are real ``parse_cap`` output of CAP documents sent as protocol v1
``cap`` frames; the facts the current parser does not give yet (msgType,
references as triplets, expires, the area) are added as the new parser gives them
(``CapFacts``, ``Alert.area``, ``Alert.expires``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from csu_console.cli_export import _export_rows
from csu_console.core.alerts import AlertState, IssuerState
from csu_console.core.cap_facts import CapFacts, CapInfo, CapRef, MsgType, Status
from csu_console.core.geo import Area
from csu_console.core.intake import Outcome
from csu_console.core.protocol import AlertMessage, decode_frame
from csu_console.core.retention import RetentionPolicy
from csu_console.storage import schema
from csu_console.storage.alert_audit import verify_alerts
from csu_console.storage.holds import hold_alert
from csu_console.storage.logbook import SEAL_PREFIX
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter

SENDER = "vigicrues@gard.example.fr"
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
NOW = T0 + timedelta(minutes=5)
FLOOD = Area(((((4.35, 43.83), (4.37, 43.83), (4.37, 43.85), (4.35, 43.85), (4.35, 43.83)),),))

_XML = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier><sender>{sender}</sender>
  <sent>{sent}</sent><status>{status}</status><msgType>{msg_type}</msgType>
  <scope>Public</scope>{references}{note}
  <info><language>fr-FR</language><category>Met</category><event>Inondation</event>
    <urgency>Immediate</urgency><severity>{severity}</severity><certainty>Observed</certainty>
    <headline>{headline}</headline><description>{description}</description>
    <area><areaDesc>Quais du Vistre</areaDesc>
      <polygon>43.83,4.35 43.83,4.37 43.85,4.37 43.85,4.35 43.83,4.35</polygon></area>
  </info>
</alert>
"""


def cap(
    identifier: str,
    seq: int,
    *,
    msg_type: MsgType = MsgType.ALERT,
    status: Status = Status.ACTUAL,
    refs: tuple[tuple[str, datetime], ...] = (),
    sent: datetime = T0,
    severity: str = "Moderate",
    headline: str = "Montée des eaux",
    description: str = "Le Vistre déborde au pont de la Servie.",
    note: str = "",
    expires: datetime | None = None,
    sender: str = SENDER,
    priority: int | None = None,
) -> AlertMessage:
    """A CAP document in a protocol v1 ``cap`` frame, decoded by today's parser,
    with the facts of the new parser."""
    triplets = tuple(CapRef(sender, i, s.isoformat()) for i, s in refs)
    xml = _XML.format(
        identifier=identifier,
        sender=sender,
        sent=sent.isoformat(),
        status=status.value,
        msg_type=msg_type.value if msg_type in (MsgType.ALERT, MsgType.UPDATE) else "Cancel",
        references=(
            "<references>"
            + " ".join(f"{r.sender},{r.identifier},{r.sent}" for r in triplets)
            + "</references>"
            if triplets
            else ""
        ),
        note=f"<note>{note}</note>" if note else "",
        severity=severity,
        headline=headline,
        description=description,
    )
    frame = json.dumps({"type": "cap", "seq": seq, "xml": xml})
    msg = decode_frame(frame, True)
    assert isinstance(msg, AlertMessage), msg
    facts = CapFacts(
        msg_type=msg_type,
        status=status,
        references=triplets,
        note=note,
        infos=(
            CapInfo(
                "fr-FR", "Inondation", ("Met",), headline, description, severity=severity,
                category="inondation",
            ),
        ),
        sent_text=sent.isoformat(),
        document_bytes=len(xml.encode()),
    )  # fmt: skip
    alert = replace(msg.alert, cap=facts, area=FLOOD, expires=expires)
    if priority is not None:
        alert = replace(alert, priority=priority, priority_from_rules=False)
    return replace(msg, alert=alert)


def commit(store: Store, *msgs: AlertMessage, at: datetime = NOW) -> list[Outcome]:
    outcomes = store.commit_batch(list(msgs), "poste-1", at)
    assert len(outcomes) == len(msgs)
    return outcomes


def events(store: Store, kind: str) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT alert_pk, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
    ).fetchall()
    return [{"alert_pk": pk, **json.loads(d)} for pk, d in rows]


def row(store: Store, pk: int) -> dict[str, Any]:
    cur = store.conn.execute("SELECT * FROM alerts WHERE pk = ?", (pk,))
    return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


def tamper(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
    finally:
        conn.close()


def sha(msg: AlertMessage) -> str:
    assert msg.document_bytes is not None
    return hashlib.sha256(msg.document_bytes).hexdigest()


# --- new alerts ------------------------------------------------------------------------


def test_a_new_cap_alert_keeps_its_area_expiry_facts_and_document(store: Store) -> None:
    msg = cap("VIST-1", 1, expires=T0 + timedelta(hours=6))
    [o] = commit(store, msg)
    assert o.kind == "stored" and o.stored is not None
    [back] = store.recent_alerts()
    assert back.alert.area == FLOOD
    assert back.alert.expires == T0 + timedelta(hours=6)
    assert back.alert.cap == msg.alert.cap
    assert back.version == 0 and back.issuer_state is None
    [received] = events(store, "received")
    assert received["raw_sha256"] == sha(msg)
    assert store.cap_document(sha(msg)) == msg.document_bytes
    assert store.cap_document("0" * 64) is None
    # The CAP columns are a sixth group of the digest; the row verifies.
    assert received["alert_parts"].split(",")[-1].startswith("cap:")
    report = verify_alerts(store.conn)
    assert report.ok and report.checked == 1


def test_the_batch_order_is_kept_between_citizen_and_cap_alerts(store: Store) -> None:
    citizen = decode_frame(
        json.dumps(
            {
                "type": "alert", "seq": 1,
                "alert": {"source": "plateforme", "id": "J1", "sent": "2026-11-20T06:00:00Z",
                          "category": "rixe", "priority": 2,
                          "location": {"lat": 43.8, "lon": 4.36}},
            }
        ),
        True,
    )  # fmt: skip
    assert isinstance(citizen, AlertMessage)
    other = replace(citizen, seq=3, alert=replace(citizen.alert, id="J2"))
    outcomes = commit(store, citizen, cap("VIST-1", 2), other, citizen)
    assert [o.kind for o in outcomes] == ["stored", "stored", "stored", "duplicate"]
    assert [o.stored.pk for o in outcomes[:3] if o.stored] == [1, 2, 3]
    assert verify_alerts(store.conn).ok


# --- updates ---------------------------------------------------------------------------


def test_an_update_replaces_the_content_and_keeps_row_state_and_history(store: Store) -> None:
    original = cap("VIST-1", 1, severity="Moderate", priority=3)
    [first] = commit(store, original)
    assert first.stored is not None
    pk, before = first.stored.pk, first.stored.alert.priority
    store.set_state(pk, AlertState.ACKNOWLEDGED, "poste-1", "alice", NOW, "acknowledged")
    update = cap(
        "VIST-2", 2, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),),
        sent=T0 + timedelta(minutes=30), severity="Extreme", headline="Crue majeure", priority=1,
    )  # fmt: skip
    [o] = commit(store, update, at=NOW + timedelta(minutes=31))
    assert o.kind == "updated" and o.alert_id == "VIST-2" and o.stored is not None
    assert o.stored.pk == pk and o.stored.version == 1
    assert o.stored.alert.title == "Crue majeure" and o.stored.alert.id == "VIST-1"
    assert o.stored.alert.priority < before and o.rings
    assert o.stored.state is AlertState.ACKNOWLEDGED  # the CSU's handling is kept
    assert store.count("alerts") == 1
    [version] = store.alert_versions(pk)
    assert version.version == 0 and version.by_identifier == "VIST-2"
    assert version.stored.alert.title == "Montée des eaux"
    assert version.stored.alert.area == FLOOD
    [event] = events(store, "cap_updated")
    assert event["alert_pk"] == pk and event["raw_sha256"] == sha(update)
    assert event["version"] == 1 and len(event["alert_sha256"]) == 64
    assert verify_alerts(store.conn).ok  # against the latest digest, not the first
    # A later Update lowering the priority does not ring.
    lower = cap(
        "VIST-3", 3, msg_type=MsgType.UPDATE, refs=(("VIST-2", T0 + timedelta(minutes=30)),),
        sent=T0 + timedelta(hours=1), severity="Minor", headline="Décrue", priority=3,
    )  # fmt: skip
    [o3] = commit(store, lower)
    assert o3.kind == "updated" and not o3.rings and o3.stored is not None
    assert o3.stored.pk == pk and o3.stored.version == 2  # found through VIST-2
    assert [v.version for v in store.alert_versions(pk)] == [0, 1]
    assert verify_alerts(store.conn).ok
    feed = store.partner_feed()
    assert [(e.identifier, e.kind, e.alert_pk) for e in feed] == [
        ("VIST-3", "updated", pk),
        ("VIST-2", "updated", pk),
    ]
    assert feed[1].summary == "Crue majeure" and feed[1].document_sha256 == sha(update)
    history = store.alert_messages(pk)
    assert [(m.identifier, m.kind) for m in history] == [
        ("VIST-1", "new"),
        ("VIST-2", "updated"),
        ("VIST-3", "updated"),
    ]
    assert store.cap_document(history[0].document_sha256 or "") == original.document_bytes


def test_an_update_older_than_the_content_changes_nothing(store: Store) -> None:
    commit(store, cap("VIST-1", 1))
    later = T0 + timedelta(hours=2)
    commit(store, cap("VIST-3", 2, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),), sent=later))
    stale = cap(
        "VIST-2", 3, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),),
        sent=T0 + timedelta(hours=1), headline="Ancienne",
    )  # fmt: skip
    [o] = commit(store, stale)
    assert o.kind == "logged" and o.stored is None
    assert row(store, 1)["title"] == "Montée des eaux" and row(store, 1)["version"] == 1
    assert verify_alerts(store.conn).ok


@pytest.mark.expected_logs("csu.storage.cap")
def test_a_reference_whose_sent_differs_is_applied_with_a_warning(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    commit(store, cap("VIST-1", 1))
    loose = T0 + timedelta(seconds=1)
    update = cap("VIST-2", 2, msg_type=MsgType.UPDATE, refs=(("VIST-1", loose),))
    [o] = commit(store, update)
    assert o.kind == "updated"
    assert any("appliquée quand même" in r.getMessage() for r in caplog.records)


# --- cancels ---------------------------------------------------------------------------


def test_a_cancel_marks_the_alert_and_keeps_its_csu_state(store: Store) -> None:
    [first] = commit(store, cap("VIST-1", 1))
    assert first.stored is not None
    pk = first.stored.pk
    store.set_state(pk, AlertState.DISPATCHED, "poste-1", "alice", NOW, "dispatched")
    cancel = cap(
        "VIST-9", 2, msg_type=MsgType.CANCEL, refs=(("VIST-1", T0),),
        sent=T0 + timedelta(hours=1), note="Fausse alerte capteur", description="Capteur en panne",
    )  # fmt: skip
    [o] = commit(store, cancel)
    assert o.kind == "cancelled" and o.stored is not None and o.stored.pk == pk
    assert o.stored.issuer_state is IssuerState.CANCELLED
    assert o.stored.state is AlertState.DISPATCHED
    assert row(store, pk)["issuer_state_at"] is not None
    [event] = events(store, "cap_cancelled")
    assert event["note"] == "Fausse alerte capteur" and event["text"] == "Capteur en panne"
    assert event["raw_sha256"] == sha(cancel)
    # An Update after the Cancel is applied, and the alert stays cancelled, silent.
    update = cap(
        "VIST-10", 3, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),),
        sent=T0 + timedelta(hours=2), severity="Extreme",
    )  # fmt: skip
    [o2] = commit(store, update)
    assert o2.kind == "updated" and not o2.rings and o2.stored is not None
    assert o2.stored.issuer_state is IssuerState.CANCELLED and o2.stored.version == 1
    assert verify_alerts(store.conn).ok


@pytest.mark.expected_logs("csu.storage.cap")
def test_a_cancel_of_nothing_is_never_an_alert(store: Store) -> None:
    [o] = commit(store, cap("VIST-9", 1, msg_type=MsgType.CANCEL))
    assert o.kind == "logged" and store.count("alerts") == 0


# --- pending ---------------------------------------------------------------------------


def test_updates_and_cancels_before_their_original_are_applied_when_it_comes(
    store: Store,
) -> None:
    ref = (("VIST-1", T0),)
    cancel = cap("VIST-3", 1, msg_type=MsgType.CANCEL, refs=ref, sent=T0 + timedelta(hours=2))
    update = cap(
        "VIST-2", 2, msg_type=MsgType.UPDATE, refs=ref, sent=T0 + timedelta(hours=1),
        headline="Crue majeure", severity="Extreme",
    )  # fmt: skip
    assert [o.kind for o in commit(store, cancel, update)] == ["pending", "pending"]
    assert store.count("alerts") == 0
    assert [(e.identifier, e.kind) for e in store.partner_feed()] == [
        ("VIST-2", "pending"),
        ("VIST-3", "pending"),
    ]
    assert len(events(store, "cap_pending")) == 2  # their documents' digests are in the chain
    [o] = commit(store, cap("VIST-1", 3))
    # Applied in ``sent`` order: the update, then the cancel; the alert comes so.
    assert o.kind == "stored" and o.stored is not None
    assert o.stored.version == 1 and o.stored.alert.title == "Crue majeure"
    assert o.stored.issuer_state is IssuerState.CANCELLED and not o.rings
    kinds = [
        k for (k,) in store.conn.execute("SELECT kind FROM events WHERE alert_pk = 1 ORDER BY pk")
    ]
    assert kinds == ["received", "cap_updated", "cap_cancelled"]
    assert store.conn.execute("SELECT count(*) FROM cap_pending").fetchone()[0] == 0
    assert [(e.identifier, e.kind, e.alert_pk) for e in store.partner_feed()] == [
        ("VIST-2", "updated", 1),
        ("VIST-3", "cancelled", 1),
    ]
    assert verify_alerts(store.conn).ok


def test_a_chain_of_pending_updates_follows_its_original(store: Store) -> None:
    second = cap(
        "VIST-3", 1, msg_type=MsgType.UPDATE, refs=(("VIST-2", T0 + timedelta(hours=1)),),
        sent=T0 + timedelta(hours=2), headline="Troisième",
    )  # fmt: skip
    first = cap(
        "VIST-2", 2, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),),
        sent=T0 + timedelta(hours=1), headline="Deuxième",
    )  # fmt: skip
    assert [o.kind for o in commit(store, second, first)] == ["pending", "pending"]
    [o] = commit(store, cap("VIST-1", 3))
    assert o.stored is not None and o.stored.version == 2
    assert o.stored.alert.title == "Troisième"
    assert verify_alerts(store.conn).ok


def test_an_alert_and_its_update_in_one_batch(store: Store) -> None:
    update = cap(
        "VIST-2", 2, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),), sent=T0 + timedelta(hours=1)
    )
    outcomes = commit(store, cap("VIST-1", 1), update)
    assert [o.kind for o in outcomes] == ["stored", "updated"]
    assert outcomes[1].stored is not None and outcomes[1].stored.pk == 1


# --- several references ----------------------------------------------------------------


def test_a_cancel_of_several_alerts_known_now_and_later(store: Store) -> None:
    commit(store, cap("VIST-1", 1), cap("VIST-2", 2))
    refs = (("VIST-1", T0), ("VIST-2", T0), ("VIST-4", T0))
    cancel = cap("VIST-5", 3, msg_type=MsgType.CANCEL, refs=refs, sent=T0 + timedelta(hours=1))
    [o] = commit(store, cancel)
    assert o.kind == "cancelled" and o.stored is not None
    assert [o.stored.pk, *(s.pk for s in o.others)] == [1, 2]
    assert all(s.issuer_state is IssuerState.CANCELLED for s in (o.stored, *o.others))
    # VIST-4 was not known: when it comes, it comes cancelled.
    [later] = commit(store, cap("VIST-4", 4))
    assert later.stored is not None and later.stored.issuer_state is IssuerState.CANCELLED
    assert store.conn.execute("SELECT count(*) FROM cap_pending").fetchone()[0] == 0
    assert len(events(store, "cap_cancelled")) == 3


@pytest.mark.expected_logs("csu.storage.cap")
def test_a_self_reference_is_ignored(store: Store) -> None:
    commit(store, cap("VIST-1", 1))
    refs = (("VIST-2", T0), ("VIST-1", T0))
    [o] = commit(store, cap("VIST-2", 2, msg_type=MsgType.UPDATE, refs=refs))
    assert o.kind == "updated" and o.stored is not None and o.stored.pk == 1


# --- duplicates and the feed log -------------------------------------------------------


def test_any_cap_message_seen_again_is_a_duplicate(store: Store) -> None:
    original = cap("VIST-1", 1)
    update = cap("VIST-2", 2, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),))
    pending = cap("VIST-8", 3, msg_type=MsgType.CANCEL, refs=(("VIST-7", T0),))
    test = cap("TEST-1", 4, status=Status.TEST)
    commit(store, original, update, pending, test)
    before = store.count("events")
    again = [
        replace(m, seq=m.seq + 10 if m.seq else None) for m in (original, update, pending, test)
    ]
    assert [o.kind for o in commit(store, *again)] == ["duplicate"] * 4
    # An Alert reusing an Update's identifier is a repeat too.
    assert commit(store, cap("VIST-2", 20))[0].kind == "duplicate"
    assert store.count("events") == before
    assert row(store, 1)["version"] == 1


def test_ack_error_test_and_system_go_to_the_partners_log_only(store: Store) -> None:
    msgs = [
        cap("ACK-1", 1, msg_type=MsgType.ACK, note="Reçu"),
        cap("ERR-1", 2, msg_type=MsgType.ERROR, note="Schéma invalide"),
        cap("TEST-1", 3, status=Status.TEST),
        cap("SYS-1", 4, status=Status.SYSTEM),
    ]
    outcomes = commit(store, *msgs)
    assert [o.kind for o in outcomes] == ["logged"] * 4
    assert all(o.stored is None for o in outcomes) and store.count("alerts") == 0
    logged = events(store, "cap_logged")
    assert [e["raw_sha256"] for e in logged] == [sha(m) for m in msgs]
    assert [e["alert_pk"] for e in logged] == [None] * 4
    feed = store.partner_feed()
    assert [(e.identifier, e.msg_type, e.status, e.kind) for e in feed] == [
        ("SYS-1", "Alert", "System", "logged"),
        ("TEST-1", "Alert", "Test", "logged"),
        ("ERR-1", "Error", "Actual", "logged"),
        ("ACK-1", "Ack", "Actual", "logged"),
    ]
    assert feed[3].summary.endswith("Reçu")
    assert store.cap_document(sha(msgs[0])) == msgs[0].document_bytes
    assert len(store.partner_feed(limit=2)) == 2


# --- tampering -------------------------------------------------------------------------


@pytest.mark.expected_logs("csu.logbook")
def test_verify_names_an_edited_area_expiry_or_emptied_cap_columns(
    store: Store, db_path: Path
) -> None:
    commit(store, cap("VIST-1", 1, expires=T0 + timedelta(hours=6)), cap("VIST-2", 2))
    update = cap("VIST-3", 3, msg_type=MsgType.UPDATE, refs=(("VIST-2", T0),))
    commit(store, update)
    assert verify_alerts(store.conn).ok
    store.close()
    tamper(
        db_path,
        "UPDATE alerts SET area = replace(area, '4.37', '4.47') WHERE pk = 1;"
        " UPDATE alerts SET area = NULL, cap = NULL, expires = NULL WHERE pk = 2;",
    )
    reopened = Store(db_path)
    try:
        problems = {p.pk: p.problem for p in verify_alerts(reopened.conn).problems}
    finally:
        reopened.close()
    assert set(problems) == {1, 2}
    assert "message CAP" in problems[1] and "classement" not in problems[1]
    assert "message CAP" in problems[2]


@pytest.mark.expected_logs("csu.logbook")
def test_verify_names_a_rewritten_version_and_a_forged_issuer_state(
    store: Store, db_path: Path
) -> None:
    commit(store, cap("VIST-1", 1), cap("VIST-2", 2), cap("VIST-3", 3))
    commit(store, cap("VIST-4", 4, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),)))
    commit(store, cap("VIST-5", 5, msg_type=MsgType.CANCEL, refs=(("VIST-2", T0),)))
    assert verify_alerts(store.conn).ok
    store.close()
    tamper(
        db_path,
        "UPDATE alert_versions SET row = json_set(row, '$.title', 'Rien à signaler');"
        " UPDATE alerts SET issuer_state = NULL WHERE pk = 2;"
        " UPDATE alerts SET issuer_state = 'cancelled' WHERE pk = 3;",
    )
    reopened = Store(db_path)
    try:
        problems = [(p.pk, p.problem) for p in verify_alerts(reopened.conn).problems]
    finally:
        reopened.close()
    assert len(problems) == 3
    assert problems[0][0] == 1 and "version 0 modifiée" in problems[0][1]
    assert "titre et lieu" in problems[0][1]
    assert (3, "« annulée par l'émetteur » sans événement d'annulation") in problems
    assert (2, "annulation par l'émetteur effacée de la ligne") in problems


# --- expiry ----------------------------------------------------------------------------


def test_expire_due_marks_what_is_past_its_expiry_once(store: Store) -> None:
    soon, later = T0 + timedelta(hours=1), T0 + timedelta(hours=5)
    commit(
        store,
        cap("E-1", 1, expires=soon),
        cap("E-2", 2, expires=later),
        cap("E-3", 3, expires=soon),  # closed: not swept
        cap("E-4", 4, expires=soon),  # cancelled: not swept
        cap("E-5", 5),  # no expiry: stays until closed
    )
    store.set_state(3, AlertState.CLOSED, "poste-1", "alice", NOW, "closed")
    commit(store, cap("C-4", 6, msg_type=MsgType.CANCEL, refs=(("E-4", T0),)))
    assert store.expire_due(T0 + timedelta(minutes=59)) == []
    swept = store.expire_due(soon + timedelta(minutes=1))
    assert [(s.pk, s.issuer_state) for s in swept] == [(1, IssuerState.EXPIRED)]
    assert store.expire_due(soon + timedelta(minutes=2)) == []
    [event] = events(store, "expired")
    assert event["alert_pk"] == 1
    assert [s.pk for s in store.expire_due(later)] == [2]
    assert store.expire_due(later + timedelta(days=1)) == []
    plan = " ".join(
        str(r[-1])
        for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT pk FROM alerts WHERE expires IS NOT NULL"
            " AND issuer_state IS NULL AND state != 'closed' AND expires <= ? LIMIT 1",
            ("x",),
        )
    )
    assert "alerts_expiring" in plan


def test_an_alert_arriving_past_its_expiry_comes_expired(store: Store) -> None:
    [o] = commit(store, cap("E-1", 1, expires=NOW - timedelta(minutes=1)))
    assert o.kind == "stored" and not o.rings
    assert o.stored is not None and o.stored.issuer_state is IssuerState.EXPIRED
    assert [e["alert_pk"] for e in events(store, "expired")] == [1]
    assert store.expire_due(NOW + timedelta(hours=1)) == []


def test_an_update_extending_an_expired_alert_brings_it_back(store: Store) -> None:
    commit(store, cap("E-1", 1, expires=T0 + timedelta(hours=1)))
    store.expire_due(T0 + timedelta(hours=2))
    update = cap(
        "E-2", 2, msg_type=MsgType.UPDATE, refs=(("E-1", T0),),
        sent=T0 + timedelta(hours=2), expires=T0 + timedelta(hours=8),
    )  # fmt: skip
    [o] = commit(store, update, at=T0 + timedelta(hours=2))
    assert o.stored is not None and o.stored.issuer_state is None


def test_the_writer_runs_the_sweep(writer: StorageWriter) -> None:
    writer.submit(
        lambda s: s.commit_batch([cap("E-1", 1, expires=T0)], "poste-1", T0 - timedelta(hours=1))
    ).result()
    swept = writer.expire_due(T0 + timedelta(seconds=1)).result(timeout=10)
    assert [s.alert.id for s in swept] == ["E-1"]
    assert writer.expire_due().result(timeout=10) == []


# --- retention -------------------------------------------------------------------------


def test_the_purge_drops_old_pending_empties_versions_and_deletes_documents(
    store: Store,
) -> None:
    long_ago = NOW - timedelta(days=120)
    held = cap("H-1", 1)
    commit(store, cap("VIST-1", 2), held, at=long_ago)
    update = cap("VIST-2", 3, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),))
    held_update = cap("H-2", 4, msg_type=MsgType.UPDATE, refs=(("H-1", T0),))
    orphan = cap("VIST-8", 5, msg_type=MsgType.CANCEL, refs=(("NEVER", T0),))
    commit(store, update, held_update, orphan, at=long_ago + timedelta(days=1))
    fresh = cap("VIST-3", 6, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),))
    commit(store, fresh, at=NOW - timedelta(days=1))
    hold_alert(store, 2, "PV 2026/42", with_snapshots=False, station="poste-1", operator="chef")
    policy = RetentionPolicy(personal_data_days=90, rejected_days=30, citizen_days=90)
    dry = store.purge(policy, NOW, dry_run=True)
    report = store.purge(policy, NOW)
    assert (report.cap_pending, report.cap_versions, report.cap_documents) == (1, 1, 3)
    assert (dry.cap_pending, dry.cap_versions, dry.cap_documents) == (1, 1, 3)
    assert "CAP" in report.summary()
    assert store.conn.execute("SELECT count(*) FROM cap_pending").fetchone()[0] == 0
    [dropped] = [e for e in store.partner_feed() if e.identifier == "VIST-8"]
    assert dropped.kind == "logged" and dropped.summary.startswith("Abandonné")
    # The held alert's documents stay; the others' old ones go; the fresh one stays.
    assert store.cap_document(sha(held)) is not None
    assert store.cap_document(sha(held_update)) is not None
    assert store.cap_document(sha(update)) is None and store.cap_document(sha(orphan)) is None
    assert store.cap_document(sha(fresh)) is not None
    versions = store.alert_versions(1)
    # Replaced 119 days ago: sealed (its event's digest still verifies), salt forgotten.
    assert versions[0].stored.alert.description.startswith(SEAL_PREFIX)
    assert (
        json.loads(
            store.conn.execute(
                "SELECT row FROM alert_versions WHERE version = 0 AND alert_pk = 1"
            ).fetchone()[0]
        )["fields_salt"]
        is None
    )
    assert versions[1].stored.alert.description != ""  # replaced yesterday
    assert store.alert_versions(2)[0].stored.alert.description != ""  # held
    assert verify_alerts(store.conn).ok and store.verify_chain().ok
    assert store.purge(policy, NOW).total == 0


# --- migration 8 -----------------------------------------------------------------------


def test_migration_8_from_a_version_7_file_with_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v7.sqlite3"
    old_cap = cap("VIST-1", 1)
    old_cap = replace(old_cap, alert=replace(old_cap.alert, cap=None, area=None))
    citizen = decode_frame(
        json.dumps(
            {
                "type": "alert", "seq": 2,
                "alert": {"source": "plateforme", "id": "J1", "sent": "2026-11-20T06:00:00Z",
                          "category": "rixe", "priority": 2, "description": "M. Y",
                          "location": {"lat": 43.8, "lon": 4.36}},
            }
        ),
        True,
    )  # fmt: skip
    assert isinstance(citizen, AlertMessage)
    with monkeypatch.context() as m:
        m.setattr(schema, "SCHEMA_VERSION", 7)
        v7 = Store(path)
        # Version 7 stored every alert, CAP or not, through the bulk insert.
        with v7._transaction() as cur:
            v7._insert_bulk(cur, [old_cap, citizen], NOW, "poste-1")
        assert v7.conn.execute("PRAGMA user_version").fetchone()[0] == 7
        v7.close()
    store = Store(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        report = verify_alerts(store.conn)
        assert report.ok and report.checked == 2  # their digests did not change
        [old] = [s for s in store.recent_alerts() if s.alert.id == "VIST-1"]
        assert old.version == 0 and old.alert.area is None and old.issuer_state is None
        # The CAP alert stored before is known by its key: repeats, references.
        assert commit(store, cap("VIST-1", 3))[0].kind == "duplicate"
        update = cap("VIST-2", 4, msg_type=MsgType.UPDATE, refs=(("VIST-1", T0),))
        [o] = commit(store, update)
        assert o.kind == "updated" and o.stored is not None and o.stored.pk == old.pk
        assert o.stored.alert.area == FLOOD
        assert verify_alerts(store.conn).ok
        [entry] = store.conn.execute(
            "SELECT document_sha256 FROM cap_messages WHERE identifier = 'VIST-1'"
        ).fetchall()
        assert entry[0] == sha(old_cap)
    finally:
        store.close()


def test_the_export_carries_the_area_as_geojson(store: Store) -> None:
    commit(store, cap("VIST-1", 1, expires=T0 + timedelta(hours=6)))
    commit(store, cap("VIST-2", 2, msg_type=MsgType.CANCEL, refs=(("VIST-1", T0),)))
    [out] = list(_export_rows(store, "alerts", None, None))
    assert Area.from_geojson(json.loads(out["area"])) == FLOOD
    assert out["expires"] == "2026-11-20T12:00:00.000+00:00"
    assert (out["issuer_state"], out["version"]) == ("cancelled", 0)
