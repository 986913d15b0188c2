"""Tests of the SQLite store (csu_console.storage.store) on a real database file."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from csu_console.core.alerts import (
    Alert,
    AlertState,
    Category,
    Location,
    Reporter,
    StoredAlert,
)
from csu_console.core.cap import CAP_NAMESPACE
from csu_console.core.protocol import (
    MAX_FRAME_BYTES,
    RAW_KEEP_BYTES,
    AlertMessage,
    Rejection,
    decode_frame,
)
from csu_console.errors import DiskFullError, StorageBugError, StorageError
from csu_console.storage.schema import SCHEMA_VERSION, migrate
from csu_console.storage.store import Store, classify, iso

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
STATION = "poste-1"


def make_alert(alert_id: str = "SIG-1", source: str = "plateforme", **changes: Any) -> Alert:
    fields: dict[str, Any] = {
        "source": source,
        "id": alert_id,
        "sent": datetime(2024, 6, 1, 11, 58, 30, 250000, tzinfo=UTC),
        "category": Category.CAMBRIOLAGE,
        "priority": 2,
        "title": "Porte fracturée",
        "description": "Bruit de verre brisé.\nDeux personnes.",
        "location": Location(48.8566, 2.3522, "1 rue de la Paix", 15.0),
    }
    fields.update(changes)
    return Alert(**fields)


def msg(seq: int, alert_id: str = "SIG-1", **changes: Any) -> AlertMessage:
    return AlertMessage(seq, make_alert(alert_id, **changes))


def rejection(seq: int | None = None, data: bytes = b'{"type":"alerte"}') -> Rejection:
    if seq is not None:
        data = json.dumps({"type": "alerte", "seq": seq}).encode()
    result = decode_frame(data, True)
    assert isinstance(result, Rejection)
    return result


CAP_WITHOUT_POSITION = f"""<alert xmlns="{CAP_NAMESPACE}">
  <identifier>METEO-7</identifier>
  <sender>meteo@prefecture.example</sender>
  <sent>2024-06-01T13:30:00+02:00</sent>
  <status>Exercise</status>
  <msgType>Alert</msgType>
  <info>
    <event>Orages violents</event>
    <severity>Moderate</severity>
    <area><areaDesc>Tout le département</areaDesc></area>
  </info>
</alert>"""


def cap_message(seq: int) -> AlertMessage:
    result = decode_frame(
        json.dumps({"type": "cap", "seq": seq, "xml": CAP_WITHOUT_POSITION}), True
    )
    assert isinstance(result, AlertMessage), result
    assert result.alert.location is None
    return result


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


# --- schema, migrations, WAL ------------------------------------------------------


def test_new_database_is_migrated_to_the_current_version(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(db_path)
    try:
        assert db_path.parent.is_dir()  # created on demand
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION >= 1
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"alerts", "rejected", "events", "meta"} <= tables
    finally:
        store.close()
    assert "migration du schéma 0 -> 1" in caplog.text


def test_migrations_are_idempotent_on_reopen(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = Store(db_path)
    first.commit_batch([msg(1)], STATION, T0)
    first.close()
    caplog.clear()
    second = Store(db_path)
    try:
        assert user_version(db_path) == SCHEMA_VERSION
        assert "migration" not in caplog.text
        assert second.count("alerts") == 1
        assert second.last_seq() == 1
        assert migrate(second.conn) == SCHEMA_VERSION  # nothing left to do
    finally:
        second.close()


def test_newer_database_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageBugError) as info:
        Store(db_path)
    assert f"version {SCHEMA_VERSION + 1}" in str(info.value)
    assert "mettez la console à jour" in str(info.value)
    assert user_version(db_path) == SCHEMA_VERSION + 1


def test_wal_mode_is_on_and_persistent(store: Store, db_path: Path) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_not_a_database_is_an_environment_error(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    with pytest.raises(StorageError, match="not a database"):
        Store(db_path)


# --- commit_batch -------------------------------------------------------------------


def test_commit_batch_stores_alert_and_received_event(store: Store) -> None:
    outcomes = store.commit_batch([msg(5)], STATION, T0)
    assert len(outcomes) == 1
    out = outcomes[0]
    assert (out.seq, out.kind, out.alert_id, out.rejection) == (5, "stored", "SIG-1", None)
    assert out.stored is not None
    assert out.stored == StoredAlert(pk=out.stored.pk, alert=make_alert(), received_at=T0, seq=5)
    assert store.count("alerts") == 1
    events = store.events_for(out.stored.pk)
    [received] = [json.loads(e.pop("details")) for e in events]
    assert {k: received[k] for k in ("seq", "fmt")} == {"seq": 5, "fmt": "json"}
    assert set(received) == {"seq", "fmt", "alert_sha256", "alert_parts"}  # no frame: no raw
    assert events == [{"at": iso(T0), "kind": "received", "station": STATION, "operator": None}]


def test_duplicates_across_batches(store: Store) -> None:
    [first] = store.commit_batch([msg(1)], STATION, T0)
    # The gateway resends it (new seq), or another path delivers the same report.
    outcomes = store.commit_batch([msg(2), msg(3, "SIG-2")], STATION, T0 + timedelta(seconds=1))
    assert [(o.seq, o.kind, o.alert_id) for o in outcomes] == [
        (2, "duplicate", "SIG-1"),
        (3, "stored", "SIG-2"),
    ]
    assert outcomes[0].stored is None
    assert store.count("alerts") == 2
    assert first.stored is not None
    assert len(store.events_for(first.stored.pk)) == 1  # no second "received"
    assert store.count("events") == 2
    assert store.last_seq() == 3


def test_duplicates_within_one_batch(store: Store) -> None:
    outcomes = store.commit_batch([msg(1), msg(2), msg(3)], STATION, T0)
    assert [o.kind for o in outcomes] == ["stored", "duplicate", "duplicate"]
    assert store.count("alerts") == 1
    assert store.count("events") == 1


def test_dedup_key_is_source_and_id(store: Store) -> None:
    outcomes = store.commit_batch(
        [msg(1), AlertMessage(2, make_alert("SIG-1", source="capteurs"))], STATION, T0
    )
    assert [o.kind for o in outcomes] == ["stored", "stored"]
    assert store.count("alerts") == 2


def test_rejections_are_stored_with_hash_and_truncated_raw(store: Store) -> None:
    small = rejection(4)
    big_frame = b'{"type":"alert","seq":9,"pad":"' + b"x" * MAX_FRAME_BYTES + b'"}'
    big = rejection(data=big_frame)
    assert big.raw_size == len(big_frame)
    outcomes = store.commit_batch([small, big], STATION, T0)
    assert [(o.seq, o.kind, o.rejection) for o in outcomes] == [
        (4, "rejected", small),
        (None, "rejected", big),
    ]
    rows = list(store.iter_rows("rejected"))
    assert [r["seq"] for r in rows] == [4, None]
    assert rows[0]["raw"] == small.raw
    assert rows[0]["reason"] == "type de message inconnu : chaîne 'alerte'"
    assert rows[0]["raw_sha256"] == hashlib.sha256(small.raw).hexdigest()
    assert (rows[0]["is_text"], rows[0]["received_at"]) == (1, iso(T0))
    # Only the first RAW_KEEP_BYTES are kept (and hashed); the size is the real one.
    assert rows[1]["raw"] == big_frame[:RAW_KEEP_BYTES]
    assert rows[1]["raw_size"] == len(big_frame)
    assert rows[1]["raw_sha256"] == hashlib.sha256(big_frame[:RAW_KEEP_BYTES]).hexdigest()
    assert "trame trop grande" in rows[1]["reason"]
    assert [r["pk"] for r in store.recent_rejected()] == [rows[1]["pk"], rows[0]["pk"]]
    assert store.count("alerts") == 0


def test_binary_rejection_keeps_is_text_false(store: Store) -> None:
    item = decode_frame(b"\x00\x01\x02", False)
    assert isinstance(item, Rejection)
    store.commit_batch([item], STATION, T0)
    [row] = store.iter_rows("rejected")
    assert (row["is_text"], row["raw"]) == (0, b"\x00\x01\x02")


def test_last_seq_is_the_max_and_never_decreases(store: Store, db_path: Path) -> None:
    assert store.last_seq() is None
    store.commit_batch([rejection()], STATION, T0)  # no readable seq
    assert store.last_seq() is None
    store.commit_batch([msg(3, "A"), msg(1, "B"), msg(2, "C")], STATION, T0)
    assert store.last_seq() == 3
    store.commit_batch([msg(2, "D")], STATION, T0)  # a late resend
    assert store.last_seq() == 3
    store.commit_batch([msg(4, "A")], STATION, T0)  # duplicates are committed too
    assert store.last_seq() == 4
    store.commit_batch([rejection(10)], STATION, T0)  # and so are rejections
    assert store.last_seq() == 10
    store.commit_batch([], STATION, T0)
    assert store.last_seq() == 10
    store.close()
    reopened = Store(db_path)
    try:
        assert reopened.last_seq() == 10
    finally:
        reopened.close()


def test_last_seq_beyond_32_bits(store: Store) -> None:
    store.commit_batch([msg(2**40)], STATION, T0)
    store.commit_batch([msg(2**33, "B")], STATION, T0)
    assert store.last_seq() == 2**40


# --- reading back -------------------------------------------------------------------


def test_row_to_stored_round_trips_every_field(store: Store) -> None:
    full = make_alert(
        "SIG-FULL",
        category=Category.AUTRE,
        category_raw="tapage_nocturne",
        priority=3,
        priority_from_rules=True,
        title='<b>Cris</b> & "bruit"',
        description="ligne 1\nligne 2\tfin",
        commune="Villeneuve",
        reporter=Reporter("voisin75", True),
        attachments=("https://cdn.example/1.jpg", "http://cdn.example/2.png"),
        extra={"note": "à vérifier"},
    )
    anonymous = make_alert("SIG-ANON", reporter=Reporter(None, False), location=Location(1, 2))
    cap = cap_message(3)
    received = T0 + timedelta(milliseconds=123)
    store.commit_batch([AlertMessage(1, full), AlertMessage(2, anonymous), cap], STATION, received)

    by_id = {s.alert.id: s for s in store.recent_alerts()}
    assert set(by_id) == {"SIG-FULL", "SIG-ANON", "METEO-7"}
    assert by_id["SIG-FULL"].alert == full
    assert by_id["SIG-ANON"].alert == anonymous
    assert by_id["METEO-7"].alert == cap.alert
    for stored, seq in ((by_id["SIG-FULL"], 1), (by_id["SIG-ANON"], 2), (by_id["METEO-7"], 3)):
        assert stored.seq == seq
        assert stored.received_at == received
        assert stored.state is AlertState.NEW
        assert (stored.state_station, stored.state_operator) == (None, None)

    restored_cap = by_id["METEO-7"].alert
    assert restored_cap.location is None
    assert restored_cap.fmt == "cap"
    assert restored_cap.extra == {
        "msgType": "Alert",
        "status": "Exercise",
        "severity": "Moderate",
        "areaDesc": "Tout le département",
        "phenomene": "orages",  # issue 17: « Orages violents » is météo
    }
    assert restored_cap.sent == datetime(2024, 6, 1, 11, 30, tzinfo=UTC)
    assert by_id["SIG-ANON"].alert.reporter == Reporter(None, False)
    assert by_id["SIG-ANON"].alert.location == Location(1.0, 2.0)


def test_alert_without_reporter_stays_without(store: Store) -> None:
    store.commit_batch([msg(1)], STATION, T0)
    [stored] = store.recent_alerts()
    assert stored.alert.reporter is None
    assert stored.alert.attachments == ()
    assert stored.alert.extra == {}


def test_recent_alerts_open_first_then_newest(store: Store) -> None:
    for i, alert_id in enumerate(["old", "closed-new", "mid", "new"]):
        store.commit_batch([msg(i, alert_id)], STATION, T0 + timedelta(minutes=i))
    store.conn.execute("UPDATE alerts SET state = 'closed' WHERE alert_id = 'closed-new'")
    store.conn.execute("UPDATE alerts SET state = 'acknowledged' WHERE alert_id = 'old'")
    assert [s.alert.id for s in store.recent_alerts()] == ["new", "mid", "old", "closed-new"]
    assert [s.alert.id for s in store.recent_alerts(limit=2)] == ["new", "mid"]
    states = {s.alert.id: s.state for s in store.recent_alerts()}
    assert states["old"] is AlertState.ACKNOWLEDGED
    assert states["closed-new"] is AlertState.CLOSED


def test_iter_rows_since_until(store: Store) -> None:
    times = [T0 + timedelta(hours=h) for h in range(4)]
    for i, at in enumerate(times):
        store.commit_batch([msg(i, f"A{i}"), rejection(100 + i)], STATION, at)

    def ids(**bounds: str) -> list[str]:
        return [r["alert_id"] for r in store.iter_rows("alerts", **bounds)]

    assert ids() == ["A0", "A1", "A2", "A3"]
    assert ids(since=iso(times[1])) == ["A1", "A2", "A3"]  # since is included
    assert ids(until=iso(times[2])) == ["A0", "A1"]  # until is excluded
    assert ids(since=iso(times[1]), until=iso(times[3])) == ["A1", "A2"]
    assert ids(since=iso(times[3] + timedelta(seconds=1))) == []
    rejected = store.iter_rows("rejected", since=iso(times[2]))
    assert [r["seq"] for r in rejected] == [102, 103]
    events = list(store.iter_rows("events", until=iso(times[1])))
    assert [(e["kind"], e["at"]) for e in events] == [("received", iso(times[0]))]


def test_add_event_and_count(store: Store) -> None:
    [out] = store.commit_batch([msg(1)], STATION, T0)
    assert out.stored is not None
    pk = store.add_event("acknowledged", out.stored.pk, STATION, "Léa", {"note": "vu"})
    assert pk > 0
    timeline = store.events_for(out.stored.pk)
    assert [e["kind"] for e in timeline] == ["received", "acknowledged"]
    assert timeline[1]["operator"] == "Léa"
    assert json.loads(timeline[1]["details"]) == {"note": "vu"}
    with pytest.raises(StorageBugError, match="table inconnue"):
        store.count("sqlite_master")


def test_add_event_for_unknown_alert_is_a_bug(store: Store) -> None:
    with pytest.raises(StorageBugError, match="FOREIGN KEY"):
        store.add_event("acknowledged", alert_pk=999)


def test_readonly_store_reads_but_refuses_writes(store: Store, db_path: Path) -> None:
    store.commit_batch([msg(1)], STATION, T0)
    reader = Store(db_path, readonly=True)
    try:
        assert reader.count("alerts") == 1
        with pytest.raises(StorageError, match="readonly"):
            reader.commit_batch([msg(2, "B")], STATION, T0)
        assert not reader.conn.in_transaction
    finally:
        reader.close()


# --- errors: environment or bug ------------------------------------------------------


def _real_error(store: Store, sql: str) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as info:
        store.conn.execute(sql)
    return info.value


def test_classify_real_errors(store: Store) -> None:
    syntax = _real_error(store, "SELEC 1")
    assert isinstance(classify(syntax), StorageBugError)
    missing = _real_error(store, "SELECT * FROM nulle_part")
    assert isinstance(classify(missing), StorageBugError)
    store.commit_batch([msg(1)], STATION, T0)
    integrity = _real_error(
        store,
        "INSERT INTO alerts (source, alert_id, fmt, sent, received_at, category, priority)"
        " SELECT source, alert_id, fmt, sent, received_at, category, priority FROM alerts",
    )
    assert isinstance(classify(integrity), StorageBugError)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (sqlite3.OperationalError("database or disk is full"), DiskFullError),
        (sqlite3.OperationalError("database is locked"), StorageError),
        (sqlite3.OperationalError("attempt to write a readonly database"), StorageError),
        (sqlite3.OperationalError("unable to open database file"), StorageError),
        (sqlite3.OperationalError("disk I/O error"), StorageError),
        (sqlite3.DatabaseError("database disk image is malformed"), StorageError),
        (sqlite3.DatabaseError("file is not a database"), StorageError),
        (sqlite3.OperationalError('near "SELEC": syntax error'), StorageBugError),
        (sqlite3.OperationalError("no such table: nulle_part"), StorageBugError),
        (sqlite3.IntegrityError("UNIQUE constraint failed: alerts.source"), StorageBugError),
        (sqlite3.ProgrammingError("Cannot operate on a closed database."), StorageBugError),
    ],
)
def test_classify_messages(exc: sqlite3.Error, kind: type[Exception]) -> None:
    result = classify(exc)
    assert type(result) is kind
    assert str(exc) in str(result)


def _big_batch(first_seq: int, count: int = 40) -> list[AlertMessage | Rejection]:
    items: list[AlertMessage | Rejection] = [
        msg(first_seq + i, f"FULL-{i}", description="d" * 4000) for i in range(count)
    ]
    items.append(rejection(first_seq + count))
    return items


def test_full_database_rolls_back_the_whole_batch(store: Store) -> None:
    """``PRAGMA max_page_count`` stands in for a full disk: SQLite then fails with
    SQLITE_FULL, "database or disk is full", exactly as when the disk is full."""
    store.commit_batch([msg(1)], STATION, T0)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    batch = _big_batch(2)

    with pytest.raises(StorageError, match="database or disk is full"):
        store.commit_batch(batch, STATION, T0)

    assert not store.conn.in_transaction
    assert (store.count("alerts"), store.count("events"), store.count("rejected")) == (1, 1, 0)
    assert store.last_seq() == 1

    store.conn.execute("PRAGMA max_page_count = 1073741823")
    outcomes = store.commit_batch(batch, STATION, T0)
    assert [o.kind for o in outcomes] == ["stored"] * 40 + ["rejected"]
    assert store.count("alerts") == 41
    assert store.last_seq() == 42


def test_unbindable_value_leaves_no_open_transaction(store: Store) -> None:
    # decode_frame never produces these; a bug elsewhere must not wedge the store.
    too_big = AlertMessage(2**64, make_alert("A"))
    with pytest.raises(OverflowError):
        store.commit_batch([msg(1, "ok"), too_big], STATION, T0)
    assert not store.conn.in_transaction
    assert store.count("alerts") == 0
    assert [o.kind for o in store.commit_batch([msg(1, "ok")], STATION, T0)] == ["stored"]


def test_a_batch_has_one_reception_time_as_stored_whatever_its_formats(store: Store) -> None:
    """The alerts handed to the screen carry the time read back later (milliseconds):
    a batch's citizen and CAP alerts then share one time (the groups' order relies
    on it: a CAP alert a few hundred microseconds "earlier" than the citizen alert
    before it made the queue recompute every group, once per CAP alert of a storm)."""
    received = T0 + timedelta(microseconds=475_757)
    outcomes = store.commit_batch([msg(1, "SIG-A"), cap_message(2)], STATION, received)
    times = {o.stored.alert.id: o.stored.received_at for o in outcomes if o.stored}
    assert set(times) == {"SIG-A", "METEO-7"}
    read_back = {s.alert.id: s.received_at for s in store.recent_alerts()}
    assert times == read_back
    assert set(times.values()) == {T0 + timedelta(milliseconds=475)}
