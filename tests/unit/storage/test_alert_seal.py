"""The alert in the chain (csu_console.storage.alert_seal / alert_audit): the
``received`` event carries the frame's and the stored fields' digests; an alert
row edited afterwards is named; the purge seals citizen reports (title, place)
and personal fields, keeps the zone, respects legal holds, and every digest
still verifies."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from support import wait_until
from test_review import SHIFT, ZONES, Shift, build, review

from csu_console.core.alerts import Alert, Category, Location, Reporter
from csu_console.core.protocol import AlertMessage, decode_frame
from csu_console.core.retention import RetentionPolicy
from csu_console.storage.alert_audit import verify_alerts
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.purge_timer import PurgeTimer
from csu_console.storage.review import ReviewReader
from csu_console.storage.review_load import load_review
from csu_console.storage.store import DB_NAME, Store
from csu_console.storage.writer import StorageWriter

NOW = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=100)
CITIZEN_ONLY = RetentionPolicy(personal_data_days=365, citizen_days=30)
EVERYTHING = RetentionPolicy(personal_data_days=30, citizen_days=30)

CAP_XML = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>CRUE-2025-0007</identifier><sender>capteurs@ville.example</sender>
  <sent>2025-05-24T06:42:00+02:00</sent><status>Actual</status><msgType>Alert</msgType>
  <scope>Public</scope>
  <info><language>fr-FR</language><category>Met</category><event>Inondation</event>
    <headline>Montée des eaux</headline><description>Capteur n°3 à 1,20 m.</description>
    <area><areaDesc>Quai de la Seine</areaDesc><circle>48.2,2.2 0.25</circle></area>
  </info>
</alert>
"""


def citizen(alert_id: str, where: tuple[float, float] = (2.2, 48.7)) -> Alert:
    return Alert(
        "plateforme", alert_id, OLD, Category.RIXE, 2, title="Rixe devant le 12",
        description="Mme X, 3e étage, 06 12 34 56 78", location=Location(where[1], where[0],
        "12 rue des Lilas", 15.0), commune="Ville", reporter=Reporter("voisin75", True),
        attachments=("https://cdn.example/p.jpg",),
    )  # fmt: skip


def frame(alert_id: str, seq: int) -> AlertMessage:
    """A citizen report decoded from a real frame (so it has raw bytes)."""
    obj = {
        "type": "alert", "seq": seq,
        "alert": {
            "source": "plateforme", "id": alert_id, "sent": "2025-05-24T10:00:00Z",
            "category": "rixe", "priority": 2, "title": "Rixe", "description": "M. Y",
            "location": {"lat": 48.7, "lon": 2.2, "address": "3 rue Haute"},
            "reporter": {"pseudonym": "voisine", "verified": False},
        },
    }  # fmt: skip
    msg = decode_frame(json.dumps(obj).encode(), True)
    assert isinstance(msg, AlertMessage), msg
    return msg


def cap_frame(seq: int) -> tuple[AlertMessage, bytes]:
    raw = json.dumps({"type": "cap", "seq": seq, "xml": CAP_XML}).encode()
    msg = decode_frame(raw, True)
    assert isinstance(msg, AlertMessage), msg
    return msg, raw


def received(store: Store, pk: int) -> dict[str, Any]:
    row = store.conn.execute(
        "SELECT details FROM events WHERE alert_pk = ? AND kind = 'received'", (pk,)
    ).fetchone()
    return dict(json.loads(row[0]))


def column(store: Store, pk: int, name: str) -> Any:
    return store.conn.execute(f"SELECT {name} FROM alerts WHERE pk = ?", (pk,)).fetchone()[0]


def tamper(path: Path, sql: str) -> None:
    """An edit after the fact, with the sqlite3 module, as anyone with the file could."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
    finally:
        conn.close()


# --- the received event ----------------------------------------------------------------


def test_received_carries_the_frame_and_the_fields_digests(store: Store) -> None:
    json_msg = frame("J1", 1)
    cap_msg, cap_raw = cap_frame(2)
    local = AlertMessage(None, citizen("L1"))  # raised by the console: no frame
    store.commit_batch([json_msg, cap_msg, local], "poste-1", OLD)

    j, c, loc = received(store, 1), received(store, 2), received(store, 3)
    assert j["raw_sha256"] == hashlib.sha256(json_msg.raw).hexdigest()
    # For CAP the CAP document's bytes, not the frame around it.
    assert c["raw_sha256"] == hashlib.sha256(CAP_XML.encode("utf-8")).hexdigest()
    assert c["raw_sha256"] != hashlib.sha256(cap_raw).hexdigest()
    assert "raw_sha256" not in loc
    groups = ["identite", "classement", "autres", "personnel", "lieu"]
    # A CAP alert with an area, an expiry or its facts has the CAP group too.
    has_cap = any(column(store, 2, c) is not None for c in ("area", "expires", "cap"))
    for details, expected in ((j, groups), (c, groups + ["cap"] * has_cap), (loc, groups)):
        assert len(details["alert_sha256"]) == 64
        assert [p.split(":")[0] for p in details["alert_parts"].split(",")] == expected
    assert all(column(store, pk, "fields_salt") for pk in (1, 2, 3))
    report = verify_alerts(store.conn)
    assert (report.ok, report.checked, report.legacy) == (True, 3, 0)
    assert store.verify_chain().ok


def test_a_duplicate_in_the_batch_gets_the_first_ones_digest(store: Store) -> None:
    first, second = citizen("D1"), citizen("D1")
    second = Alert(second.source, second.id, OLD, Category.INCENDIE, 1, title="autre")
    store.commit_batch([AlertMessage(1, first), AlertMessage(2, second)], "poste-1", OLD)
    assert column(store, 1, "category") == "rixe"
    assert verify_alerts(store.conn).ok


@pytest.mark.parametrize(
    ("sql", "group"),
    [
        ("UPDATE alerts SET title = 'Tapage' WHERE pk = 2", "titre et lieu"),
        ("UPDATE alerts SET lat = lat + 0.001 WHERE pk = 2", "titre et lieu"),
        ("UPDATE alerts SET category = 'vol', priority = 4 WHERE pk = 2", "classement"),
        ("UPDATE alerts SET description = '' WHERE pk = 2", "données personnelles"),
        ("UPDATE alerts SET received_at = '2025-01-01T00:00:00.000+00:00' WHERE pk = 2",
         "identité"),
        ("UPDATE alerts SET reporter_verified = 0 WHERE pk = 2", "autres"),
    ],
)  # fmt: skip
@pytest.mark.expected_logs("csu.logbook")
def test_an_edited_alert_is_named_with_its_group(db_path: Path, sql: str, group: str) -> None:
    store = Store(db_path)
    store.commit_batch([AlertMessage(n, citizen(f"A{n}")) for n in (1, 2, 3)], "poste-1", OLD)
    store.close()
    tamper(db_path, sql)
    store = Store(db_path, readonly=True)
    try:
        report = verify_alerts(store.conn)
        assert store.verify_chain().ok  # the chain itself is intact: only the row changed
    finally:
        store.close()
    [problem] = report.problems
    assert (problem.pk, problem.source, problem.alert_id) == (2, "plateforme", "A2")
    assert str(problem).startswith("alerte n° 2 (plateforme / A2) : alerte modifiée")
    assert group in problem.problem
    assert report.checked == 3


@pytest.mark.expected_logs("csu.logbook")
def test_a_deleted_row_and_a_row_without_event_are_named(db_path: Path) -> None:
    store = Store(db_path)
    store.commit_batch([AlertMessage(n, citizen(f"A{n}")) for n in (1, 2)], "poste-1", OLD)
    store.close()
    tamper(
        db_path,
        "PRAGMA foreign_keys = OFF; DELETE FROM alerts WHERE pk = 1;"
        " INSERT INTO alerts (source, alert_id, fmt, sent, received_at, category, priority)"
        " VALUES ('faux', 'F1', 'json', 'x', 'x', 'rixe', 1);",
    )
    store = Store(db_path, readonly=True)
    try:
        problems = [str(p) for p in verify_alerts(store.conn).problems]
    finally:
        store.close()
    assert problems == [
        "alerte n° 3 (faux / F1) : aucun événement de réception (insérée hors console)",
        "alerte n° 1 (—) : ligne supprimée (événement de réception n° 1)",
    ]


def test_rows_stored_before_the_digest_are_counted_not_checked(store: Store) -> None:
    with store._transaction() as cur:
        cur.execute(
            "INSERT INTO alerts (source, alert_id, seq, fmt, sent, received_at, category,"
            " priority, title, description, lat, lon) VALUES ('p', 'V1', 9, 'json', ?, ?,"
            " 'rixe', 1, 'Ancienne', 'M. Z', 48.7, 2.2)",
            (OLD.isoformat(), OLD.isoformat()),
        )
        append_events(cur, [NewEvent("received", OLD, 1, "p1", details={"seq": 9, "fmt": "json"})])
        # What migration 7 records of a database written before the digest.
        cur.execute("UPDATE meta SET value = '1' WHERE key = 'alerts_legacy_max_pk'")
    report = verify_alerts(store.conn)
    assert (report.ok, report.checked, report.legacy) == (True, 0, 1)
    # The purge still reaches it, emptying as it did (there is no salt to seal with).
    assert store.purge(CITIZEN_ONLY, NOW, zones=ZONES).citizen == 1
    row = store.conn.execute("SELECT title, description, lat, zone FROM alerts").fetchone()
    assert row == ("", "", None, '["nord"]')
    assert store.purge(CITIZEN_ONLY, NOW, zones=ZONES).total == 0
    # Every legacy row is past the period: the purge no longer looks for them.
    legacy = store.conn.execute("SELECT value FROM meta WHERE key = 'alerts_legacy_max_pk'")
    assert legacy.fetchone()[0] == "0"


def test_the_hourly_purge_reads_only_what_is_left_to_purge(store: Store) -> None:
    """The statements use the partial indexes of migration 7: no scan of purged rows."""
    from csu_console.storage import retention

    plans = {
        "events": f"SELECT pk FROM events WHERE {retention._EVENTS_WHERE}",
        "personal": f"SELECT pk FROM alerts WHERE {retention._PERSONAL_WHERE}",
        "citizen": f"SELECT pk FROM alerts WHERE {retention._CITIZEN_WHERE}",
        "peer": f"SELECT 1 FROM peer_events p WHERE {retention._PEER_EVENTS_WHERE}",
    }
    indexes = {
        "events": "events_salted", "personal": "alerts_unpurged", "citizen": "alerts_salted",
        "peer": "peer_events_salted",
    }  # fmt: skip
    for name, sql in plans.items():
        plan = " ".join(
            str(r[-1]) for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, {"cut": "x"})
        )
        assert indexes[name] in plan, (name, plan)


def test_the_written_out_units_follow_their_declaration() -> None:
    from csu_console.storage import alert_seal, store

    assert alert_seal.ROW_ORDER == store.ALERT_COLUMNS
    area = Alert("p", "W4", OLD, Category.RIXE, 1, fmt="cap", extra={"areaDesc": "Quai", "x": "1"})
    messages = (AlertMessage(1, citizen("W1")), cap_frame(2)[0], AlertMessage(None, citizen("W3")))
    for msg in (*messages, AlertMessage(4, area)):
        row = store._alert_row(msg, "2025-06-02T08:00:00.000+00:00")
        fields = {**dict(zip(store.ALERT_COLUMNS, row, strict=True)), "extra": msg.alert.extra}
        salt = alert_seal.new_salts(1)[0]
        full = alert_seal.digest(fields, salt)
        assert alert_seal.new_row_digest(row, msg.alert.extra, salt) == (
            full.sha256,
            full.parts_text,
        )

    fields = {c: c for c in alert_seal.COLUMNS}
    extra = {"areaDesc": "extra.areaDesc"}
    for unit, names in alert_seal.UNITS.items():
        assert alert_seal._unit_values(fields, extra, unit) == list(names)


# --- the purge -----------------------------------------------------------------------------


def test_citizen_reports_are_sealed_and_everything_still_verifies(store: Store) -> None:
    cap_msg, _raw = cap_frame(3)
    store.commit_batch(
        [AlertMessage(1, citizen("C1")), AlertMessage(2, citizen("C2", (2.2, 48.2))), cap_msg],
        "poste-1", OLD,
    )  # fmt: skip
    before = store.verify_chain()

    report = store.purge(CITIZEN_ONLY, NOW, zones=ZONES)

    assert (report.citizen, report.alerts) == (2, 2)  # the CAP alert is not a citizen's
    c1 = dict(
        zip(
            ("title", "description", "lat", "lon", "address", "accuracy_m", "commune",
             "reporter_pseudonym", "attachments", "fields_salt", "zone", "category", "priority"),
            store.conn.execute(
                "SELECT title, description, lat, lon, address, accuracy_m, commune,"
                " reporter_pseudonym, attachments, fields_salt, zone, category, priority"
                " FROM alerts WHERE pk = 1"
            ).fetchone(),
            strict=True,
        )
    )  # fmt: skip
    extra = json.loads(column(store, 1, "extra"))["_sealed"]
    assert c1["title"] == c1["address"] == c1["commune"] == extra["lieu"]
    assert c1["description"] == c1["reporter_pseudonym"] == extra["personnel"]
    assert extra["lieu"].startswith("sha256:") and extra["personnel"].startswith("sha256:")
    assert (c1["lat"], c1["lon"], c1["accuracy_m"], c1["attachments"]) == (None, None, None, "[]")
    assert c1["fields_salt"] is None  # forgotten: the seals cannot be tested against guesses
    assert (c1["zone"], column(store, 2, "zone")) == ('["nord"]', '["sud"]')
    assert (c1["category"], c1["priority"]) == ("rixe", 2)
    assert column(store, 1, "purged_at") is not None
    # The partner's CAP alert keeps its place and title in clear.
    assert column(store, 3, "title") == "Montée des eaux"
    assert column(store, 3, "address") == "Quai de la Seine"
    after = store.verify_chain()
    assert after.ok and after.count == before.count + 1  # the "purged" event
    audit = verify_alerts(store.conn)
    assert (audit.ok, audit.checked) == (True, 3), audit.problems


def test_personal_fields_of_every_alert_then_the_cap_salt_is_forgotten(store: Store) -> None:
    cap_msg, _raw = cap_frame(3)
    store.commit_batch([AlertMessage(1, citizen("C1")), cap_msg], "poste-1", OLD)
    report = store.purge(RetentionPolicy(personal_data_days=30, citizen_days=365), NOW)
    assert (report.alerts, report.citizen) == (2, 0)
    assert column(store, 1, "description").startswith("sha256:")
    assert column(store, 1, "title") == "Rixe devant le 12"  # not yet citizen_days
    assert column(store, 1, "fields_salt") is not None  # kept: its place is sealed later
    assert column(store, 2, "description").startswith("sha256:")
    assert column(store, 2, "fields_salt") is None  # a CAP alert: nothing more to seal
    assert verify_alerts(store.conn).ok
    report = store.purge(EVERYTHING, NOW)  # citizen_days now reached
    assert (report.alerts, report.citizen) == (0, 1)
    assert column(store, 1, "fields_salt") is None
    assert verify_alerts(store.conn).ok and store.verify_chain().ok


@pytest.mark.expected_logs("csu.logbook")
def test_a_sealed_field_edited_afterwards_is_named(db_path: Path) -> None:
    store = Store(db_path)
    store.commit_batch([AlertMessage(1, citizen("C1"))], "poste-1", OLD)
    store.purge(EVERYTHING, NOW)
    store.close()
    tamper(db_path, "UPDATE alerts SET lat = 48.71 WHERE pk = 1")
    store = Store(db_path, readonly=True)
    try:
        [problem] = verify_alerts(store.conn).problems
    finally:
        store.close()
    assert problem.problem == "champ lat modifié après sa purge (événement n° 1)"


def hold(store: Store, target: str, ref: int, released: bool = False) -> None:
    with store._transaction() as cur:
        cur.execute(
            "INSERT INTO legal_holds (target, target_ref, reference, held_at, released_at)"
            " VALUES (?, ?, 'PV 2025/0042', ?, ?)",
            (target, str(ref), OLD.isoformat(), NOW.isoformat() if released else None),
        )


def test_an_active_legal_hold_is_exempt_until_released(store: Store, tmp_path: Path) -> None:
    store.commit_batch([AlertMessage(n, citizen(f"H{n}")) for n in (1, 2, 3)], "poste-1", OLD)
    store.add_event("note", 1, "poste-1", "durand", {"text": "témoin : M. W"}, at=OLD)
    image = tmp_path / "held.jpg"
    image.write_bytes(b"\xff\xd8")
    with store._transaction() as cur:
        for alert_pk in (None, 1):
            cur.execute(
                "INSERT INTO snapshots (at, camera_id, alert_pk, path, sha256)"
                " VALUES (?, 'cam-1', ?, ?, ?)",
                (OLD.isoformat(), alert_pk, str(image), "00" * 32),
            )
    hold(store, "alert", 1)
    hold(store, "snapshot", 1)
    hold(store, "alert", 2, released=True)  # released: purged like any other

    dry = store.purge(EVERYTHING, NOW, dry_run=True)
    report = store.purge(EVERYTHING, NOW)

    assert (dry.citizen, dry.alerts, dry.events, dry.snapshots) == (2, 2, 0, 0)
    assert (report.citizen, report.alerts, report.events, report.snapshots) == (2, 2, 0, 0)
    assert column(store, 1, "title") == "Rixe devant le 12"
    assert column(store, 1, "description").startswith("Mme X")
    assert column(store, 2, "title").startswith("sha256:")
    note = store.conn.execute("SELECT details FROM events WHERE kind = 'note'").fetchone()[0]
    assert json.loads(note) == {"text": "témoin : M. W"}
    assert store.conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 2
    assert image.exists()
    # Released: the next purge reaches them.
    with store._transaction() as cur:
        cur.execute("UPDATE legal_holds SET released_at = ?", (NOW.isoformat(),))
    report = store.purge(EVERYTHING, NOW)
    assert (report.citizen, report.events, report.snapshots) == (1, 1, 2)
    assert verify_alerts(store.conn).ok and store.verify_chain().ok


def peer_event(store: Store, seq: int, alert_id: str, details: dict[str, Any]) -> str:
    """Another station's event as the book's copy keeps it (chained there: a salt)."""
    from csu_console.storage.logbook import details_digest

    salt = "ab" * 16
    with store._transaction() as cur:
        cur.execute(
            "INSERT INTO peer_events (station, seq, alert_pk, alert_source, alert_id, at,"
            " kind, operator, details, details_salt, details_sha256, prev_hash, hash,"
            " received_at) VALUES ('poste-2', ?, 7, 'plateforme', ?, ?, 'note', 'martin',"
            " ?, ?, ?, '0', '0', ?)",
            (seq, alert_id, OLD.isoformat(), json.dumps(details), salt,
             details_digest(details, salt), OLD.isoformat()),
        )  # fmt: skip
    return details_digest(details, salt)


def test_the_other_stations_events_are_sealed_too_unless_held(store: Store) -> None:
    from csu_console.storage.logbook import details_digest

    store.commit_batch([AlertMessage(1, citizen("P1"))], "poste-1", OLD)
    hold(store, "alert", 1)
    digest_free = peer_event(store, 1, "AUTRE", {"text": "témoin : M. V", "unit": "pm-a"})
    peer_event(store, 2, "P1", {"text": "sous réquisition"})  # the held alert's
    report = store.purge(EVERYTHING, NOW)
    assert report.events == 1
    rows = store.conn.execute(
        "SELECT seq, details, details_salt FROM peer_events ORDER BY seq"
    ).fetchall()
    sealed_details = json.loads(rows[0][1])
    assert sealed_details["_purged"] == ["text"] and sealed_details["unit"] == "pm-a"
    assert sealed_details["text"].startswith("sha256:") and rows[0][2] is None
    assert details_digest(sealed_details, None) == digest_free  # its chain still verifies
    assert json.loads(rows[1][1]) == {"text": "sous réquisition"}


def test_the_review_zone_figures_do_not_change_after_the_purge(db_path: Path) -> None:
    store = Store(db_path)
    data: Shift = build(store)

    def figures() -> tuple[Any, ...]:
        ro = Store(db_path, readonly=True)
        try:
            reader = ReviewReader(ro.conn)
            whole = load_review(reader, _period(), ZONES)
            nord = review(reader, zones={"nord"})
            by_pk = {pk: name for name, pk in data.pks.items()}
            return (
                whole.indicators.alerts.by_zone,
                whole.indicators.alerts.by_category,
                whole.indicators.alerts.count,
                [by_pk[r.pk] for r in nord.rows],
                sorted((by_pk[r.pk], r.zones) for r in whole.rows),
            )
        finally:
            ro.close()

    before = figures()
    report = store.purge(CITIZEN_ONLY, datetime(2026, 1, 1, tzinfo=UTC), zones=ZONES)
    assert report.citizen == 9  # A1–A9 (A4, A8 without a position); not the cameras
    assert (
        store.conn.execute("SELECT count(*) FROM alerts WHERE lat IS NOT NULL").fetchone()[0] == 2
    )  # the two camera alerts keep theirs
    after = figures()
    store.close()
    assert after == before
    assert before[3] == ["A1", "A3", "A5"]


def _period() -> Any:
    from csu_console.core.review.filter import ReviewFilter

    return ReviewFilter.for_period(SHIFT)


# --- the timer -----------------------------------------------------------------------------


def test_the_timer_purges_while_the_storage_thread_runs(tmp_path: Path) -> None:
    path = tmp_path / "data" / DB_NAME
    writer = StorageWriter(path)
    writer.start()
    timer = PurgeTimer(writer.submit, EVERYTHING, station="poste-1", zones=ZONES, interval_s=0.05)
    try:
        timer.start()
        wait_until(lambda: timer.runs >= 1, 10, "première purge")
        recent = datetime.now(UTC)

        def store_reports(s: Store) -> None:
            old = recent - timedelta(days=40)
            s.commit_batch([AlertMessage(n, citizen(f"T{n}")) for n in (1, 2)], "p1", old)
            s.commit_batch([AlertMessage(3, citizen("T3"))], "p1", recent)
            s.conn.execute(
                "INSERT INTO legal_holds (target, target_ref, reference, held_at)"
                " VALUES ('alert', '2', 'PV 1', 'x')"
            )

        writer.submit(store_reports).result(timeout=10)

        def titles() -> list[str]:
            rows = writer.submit(
                lambda s: s.conn.execute("SELECT title FROM alerts ORDER BY pk").fetchall()
            ).result(timeout=10)
            return [r[0] for r in rows]

        wait_until(lambda: titles()[0].startswith("sha256:"), 10, "signalement ancien scellé")
        runs = timer.runs
        wait_until(lambda: timer.runs > runs, 10, "une purge de plus")
        assert titles()[1:] == ["Rixe devant le 12", "Rixe devant le 12"]  # held, recent
        audit = writer.submit(lambda s: verify_alerts(s.conn)).result(timeout=10)
        assert audit.ok and audit.checked == 3
    finally:
        timer.stop()
        writer.close()
