"""The logbook's hash chain (csu_console.storage.logbook) on a real SQLite file:
every write path chains, ``verify_chain`` names the first broken event when a row
is edited behind the console's back with the ``sqlite3`` tool, the triggers hold,
and two processes writing at once keep one chain."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from csu_console.core.alerts import Alert, AlertState, Category
from csu_console.core.protocol import AlertMessage
from csu_console.errors import StorageBugError
from csu_console.storage.logbook import (
    GENESIS,
    NewEvent,
    _normalized,
    append_events,
    canonical,
    details_digest,
    link_hash,
)
from csu_console.storage.store import Store

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def msg(seq: int, alert_id: str) -> AlertMessage:
    alert = Alert("plateforme", alert_id, T0, Category.RIXE, 1, title="Rixe")
    return AlertMessage(seq, alert)


def fill(store: Store) -> None:
    """Events through every write path: bulk, state change, single event."""
    store.commit_batch([msg(1, "A"), msg(2, "B"), msg(3, "C")], "poste-1", T0)  # pks 1-3
    store.set_state(1, AlertState.ACKNOWLEDGED, "poste-1", "durand", T0, "acknowledged")  # 4
    store.add_event("note", 2, "poste-1", "durand", {"text": "Appel de Mme X, 06 00 00 00 00"})
    store.add_event("muted", None, "poste-1", "durand", {"seconds": 60})  # 6


def sql(db: Path, script: str) -> None:
    """Edit the file as someone with a shell would: the ``sqlite3`` tool."""
    tool = shutil.which("sqlite3")
    if tool is None:  # the same SQL through Python's driver, another connection all the same
        conn = sqlite3.connect(db)
        conn.executescript(script)
        conn.close()
        return
    subprocess.run([tool, str(db), script], check=True, capture_output=True, timeout=30)


def test_every_write_path_chains(store: Store) -> None:
    fill(store)
    report = store.verify_chain()
    assert report.ok and report.count == 6
    rows = store.conn.execute("SELECT pk, prev_hash, hash FROM events ORDER BY pk").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0][1] == GENESIS
    assert all(b[1] == a[2] for a, b in itertools.pairwise(rows))
    assert report.head == rows[-1][2]


def test_hash_is_over_the_documented_fields(store: Store) -> None:
    store.add_event("muted", None, "poste-1", "durand", {"seconds": 60}, at=T0)
    r = store.conn.execute(
        "SELECT pk, alert_pk, at, at_local, kind, station, operator, details,"
        " details_salt, details_sha256, prev_hash, hash FROM events"
    ).fetchone()
    assert r[7] == '{"seconds":60}'  # stored canonical
    assert r[8] is None  # no personal data, no salt
    assert r[9] == details_digest({"seconds": 60}, None)
    assert r[11] == link_hash(GENESIS, [1, None, r[2], r[3], "muted", "poste-1", "durand", r[9]])


def test_local_time_in_the_stores_zone(db_path: Path) -> None:
    store = Store(db_path, tz=ZoneInfo("Europe/Paris"))
    try:
        store.add_event("muted", at=T0)
        store.set_timezone("America/Cayenne")
        store.add_event("muted", at=T0)
        rows = store.conn.execute("SELECT at, at_local FROM events ORDER BY pk").fetchall()
    finally:
        store.close()
    assert rows == [
        ("2024-06-01T12:00:00.000+00:00", "2024-06-01T14:00:00.000+02:00"),
        ("2024-06-01T12:00:00.000+00:00", "2024-06-01T09:00:00.000-03:00"),
    ]


def test_personal_details_get_a_salt(store: Store) -> None:
    store.add_event("note", details={"text": "Mme X", "n": 1})
    store.add_event("note", details={"text": "Mme X", "n": 1})
    salts = [r[0] for r in store.conn.execute("SELECT details_salt FROM events")]
    assert all(s and len(s) == 32 for s in salts) and salts[0] != salts[1]


def test_append_outside_a_transaction_is_a_bug(store: Store) -> None:
    with pytest.raises(StorageBugError, match="hors d'une transaction"):
        append_events(store.conn.cursor(), [NewEvent("muted", T0)])


def test_the_purge_marker_is_reserved(store: Store) -> None:
    with pytest.raises(StorageBugError, match="_purged"):
        store.add_event("note", details={"_purged": ["text"]})
    assert store.count("events") == 0


def test_canonical_is_stable_through_json() -> None:
    value = {"b": (1, 2.5), "a": {"z": None, "é": "ü"}, "c": [True]}
    once = canonical(value)
    assert once == b'{"a":{"z":null,"\xc3\xa9":"\xc3\xbc"},"b":[1,2.5],"c":[true]}'
    assert canonical(json.loads(once)) == once


# --- edited behind the console's back -------------------------------------------------------

EDITS = [
    pytest.param(
        "DROP TRIGGER events_no_update; UPDATE events SET operator = 'martin' WHERE pk = 4;",
        4, "événement modifié", id="operator",
    ),
    pytest.param(
        "DROP TRIGGER events_no_update;"
        " UPDATE events SET at = '2024-06-01T11:00:00.000+00:00' WHERE pk = 2;",
        2, "événement modifié", id="time",
    ),
    pytest.param(
        "DROP TRIGGER events_no_update; UPDATE events SET kind = 'closed' WHERE pk = 6;",
        6, "événement modifié", id="kind",
    ),
    pytest.param(
        "DROP TRIGGER events_no_update;"
        """ UPDATE events SET details = '{"seconds":5}' WHERE pk = 6;""",
        6, "détails modifiés", id="details",
    ),
    pytest.param(
        "DROP TRIGGER events_no_delete; DELETE FROM events WHERE pk = 3;",
        4, "maillon rompu", id="deleted",
    ),
    pytest.param(
        "DROP TRIGGER events_no_delete; DELETE FROM events WHERE pk = 1;",
        2, "aucun : début de la chaîne", id="first-deleted",
    ),
    pytest.param(
        # The trigger lets a purge-shaped update through; the chain still catches a fake one.
        """UPDATE events SET details_salt = NULL, details = json_object('text',
           'sha256:' || hex(randomblob(32)), '_purged', json_array('text')) WHERE pk = 5;""",
        5, "détails modifiés", id="fake-purge",
    ),
    pytest.param(
        "INSERT INTO events (pk, at, kind, details, details_sha256, prev_hash, hash)"
        " SELECT 7, at, 'closed', details, details_sha256, hash, hash FROM events WHERE pk = 6;",
        7, "événement modifié", id="forged-insert",
    ),
    pytest.param(
        "DROP TRIGGER events_no_update; UPDATE events SET hash = NULL WHERE pk = 3;",
        3, "hors chaîne", id="hash-removed",
    ),
]  # fmt: skip


@pytest.mark.expected_logs("csu.logbook")
@pytest.mark.parametrize(("script", "pk", "problem"), EDITS)
def test_an_edit_with_sqlite3_is_caught(
    store: Store, db_path: Path, script: str, pk: int, problem: str
) -> None:
    fill(store)
    assert store.verify_chain().ok
    sql(db_path, script)
    report = store.verify_chain()
    assert report.broken is not None, "the edit went unnoticed"
    assert report.broken.pk == pk
    assert problem in report.broken.problem
    intact = store.conn.execute("SELECT count(*) FROM events WHERE pk < ?", (pk,)).fetchone()[0]
    assert report.count == intact
    text = str(report.broken)
    assert text.startswith(f"événement n° {pk} (") and report.broken.kind in text


# --- the triggers --------------------------------------------------------------------------


def test_updates_other_than_a_purge_are_refused(store: Store) -> None:
    fill(store)
    for statement in (
        "UPDATE events SET kind = 'forged'",
        "UPDATE events SET details = '{}' WHERE pk = 6",
        # purge-shaped, but on an event without personal data (no salt to forget)
        """UPDATE events SET details = '{"_purged":[]}', details_salt = NULL WHERE pk = 6""",
        # purge-shaped details, but the salt kept
        """UPDATE events SET details = '{"_purged":["text"]}' WHERE pk = 5""",
        # a real purge shape that also touches a chained column
        """UPDATE events SET details = '{"_purged":["text"]}', details_salt = NULL,
           operator = 'x' WHERE pk = 5""",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute(statement)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM events WHERE pk = 6")
    with pytest.raises(sqlite3.IntegrityError, match="hash missing"):
        store.conn.execute("INSERT INTO events (at, kind) VALUES ('2024-01-01', 'forged')")
    assert store.verify_chain().ok and store.count("events") == 6


# --- two processes, one chain --------------------------------------------------------------

_WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from csu_console.core.alerts import Alert, Category
from csu_console.core.protocol import AlertMessage
from csu_console.storage.writer import StorageWriter
db, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
w = StorageWriter(db)
w.start()
now = datetime.now(UTC)
for i in range(count):
    if name == "link":  # the alert link's child: bulk batches of alerts
        batch = [AlertMessage(i * 10 + j, Alert("p", f"{i}-{j}", now, Category.RIXE, 1))
                 for j in range(5)]
        w.submit(lambda s, b=batch: s.commit_batch(b, "poste-1")).result()
    else:  # the GUI: one event at a time
        w.submit(lambda s, i=i: s.add_event("note", None, "poste-1", name, {"n": i})).result()
w.close()
"""


def test_two_processes_writing_at_once_keep_one_chain(db_path: Path) -> None:
    Store(db_path).close()  # migrated before the race
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(db_path), name, "150"])
        for name in ("link", "gui-1", "gui-2")
    ]
    assert [p.wait(120) for p in procs] == [0, 0, 0]
    store = Store(db_path)
    try:
        report = store.verify_chain()
        assert report.ok, report.broken
        assert report.count == 150 * 5 + 150 * 2
        kinds = dict(store.conn.execute("SELECT kind, count(*) FROM events GROUP BY kind"))
        assert kinds == {"received": 750, "note": 300}
    finally:
        store.close()


def test_commit_batch_events_follow_another_writers_event(store: Store, db_path: Path) -> None:
    store.add_event("muted")
    other = Store(db_path)
    try:
        other.add_event("note", details={"n": 1})
    finally:
        other.close()
    store.commit_batch([msg(1, "A"), msg(2, "B")], "poste-1", T0 + timedelta(seconds=1))
    report = store.verify_chain()
    assert report.ok and report.count == 4


# --- the hand encoder is the canonical encoder ---------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text() | st.integers(0, 99), _VALUES, max_size=6))
def test_normalized_details_are_canonical_and_stable(details: dict[Any, Any]) -> None:
    assume(len({str(k) for k in details}) == len(details))  # 1 and "1" would be one key
    plain, text = _normalized(details)
    reread = json.loads(text)
    assert text == json.dumps(reread, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert plain == reread
    assert _normalized(reread)[1] == text  # what verify computes from the stored text


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(
        st.integers(1, 2**62), st.none() | st.integers(1, 2**62), st.text(),
        st.none() | st.text(), st.text(), st.none() | st.text(), st.none() | st.text(),
    )
)  # fmt: skip
def test_link_hash_is_the_hash_of_the_canonical_array(row: tuple[Any, ...]) -> None:
    values = [*row, "ab" * 32]
    expected = hashlib.sha256(canonical(["00" * 32, *values])).hexdigest()
    assert link_hash("00" * 32, values) == expected


def test_a_bad_alert_pk_is_a_bug(store: Store) -> None:
    with pytest.raises(StorageBugError, match="alert_pk entier attendu"):
        store.add_event("note", alert_pk="3")  # type: ignore[arg-type]
    assert store.count("events") == 0


def test_a_large_batch_is_inserted_in_chunks(store: Store) -> None:
    messages = [msg(i, f"A{i}") for i in range(1, 1201)]  # more than one 500-row statement
    store.commit_batch(messages, "poste-1", T0)
    report = store.verify_chain()
    assert report.ok and report.count == 1200
    pks = [r[0] for r in store.conn.execute("SELECT alert_pk FROM events ORDER BY pk")]
    assert pks == list(range(1, 1201))
