"""A process writing to the logbook through the real StorageWriter, SIGKILLed 20
times at random moments (restarted between kills): the database stays sound, the
chain verifies, and every event whose commit was confirmed is there."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from csu_console.paths import REPO_DIR
from csu_console.storage.store import DB_NAME, Store

KILLS = 20

# Prints one line per confirmed write, after the storage thread's commit returned:
# "E <event pk> <round> <n>" for a single event, "A <alert pk> <round> <n>" per new
# alert of a bulk batch (whose "received" events are chained in the same commit).
_CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from csu_console.core.alerts import Alert, Category
from csu_console.core.protocol import AlertMessage
from csu_console.storage.writer import StorageWriter

db, rnd = Path(sys.argv[1]), int(sys.argv[2])
writer = StorageWriter(db)
writer.start()
print("ready", flush=True)
n = 0
while True:
    n += 1
    if n % 4 == 0:
        now = datetime.now(UTC)
        batch = [AlertMessage(None, Alert("crash", f"{rnd}-{n}-{j}", now, Category.RIXE, 1))
                 for j in range(3)]
        outcomes = writer.submit(lambda s, b=batch: s.commit_batch(b, "poste-1")).result()
        for o in outcomes:
            print(f"A {o.stored.pk} {rnd} {n}", flush=True)
    else:
        details = {"round": rnd, "n": n, "text": "x" * (n % 50)}
        pk = writer.submit(lambda s, d=details: s.add_event("note", None, "poste-1", "op", d))
        print(f"E {pk.result()} {rnd} {n}", flush=True)
"""


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_sigkill_loses_no_confirmed_event(tmp_path: Path) -> None:
    db = tmp_path / DB_NAME
    rng = random.Random(20240601)
    events: dict[int, tuple[int, int]] = {}  # event pk -> (round, n)
    alerts: dict[int, tuple[int, int]] = {}  # alert pk -> (round, n)
    for rnd in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(db), str(rnd)],
            stdout=subprocess.PIPE, text=True, cwd=REPO_DIR,
        )  # fmt: skip
        assert child.stdout is not None
        try:
            assert child.stdout.readline() == "ready\n"
            lines = [child.stdout.readline() for _ in range(rng.randint(1, 80))]
            child.send_signal(signal.SIGKILL)  # while it goes on writing
            child.wait(10)
            lines += child.stdout.read().splitlines(keepends=True)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(10)
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        for line in lines:
            if not line.endswith("\n"):
                continue  # cut by the kill mid-print
            what, pk, r, n = line.split()
            (events if what == "E" else alerts)[int(pk)] = (int(r), int(n))

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    store = Store(db)
    try:
        report = store.verify_chain()
        assert report.ok, report.broken
        stored = {
            pk: json.loads(details)
            for pk, details in store.conn.execute(
                "SELECT pk, details FROM events WHERE kind = 'note'"
            )
        }
        missing = [pk for pk in events if pk not in stored]
        assert not missing, f"{len(missing)} événements confirmés perdus"
        assert all((stored[pk]["round"], stored[pk]["n"]) == rn for pk, rn in events.items())
        received = dict(
            store.conn.execute(
                "SELECT a.pk, e.kind FROM alerts a LEFT JOIN events e ON e.alert_pk = a.pk"
                " WHERE a.source = 'crash'"
            ).fetchall()
        )
        assert all(received.get(pk) == "received" for pk in alerts), "alertes confirmées perdues"
    finally:
        store.close()
    assert len(events) > KILLS and len(alerts) > 0  # the loop really ran, both paths
