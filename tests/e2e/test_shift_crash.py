"""20 SIGKILLs at random moments of a scripted shift in the real console: the database
stays sound, the main courante's chain verifies, and every step the console had
confirmed on screen before the kill is in the log."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support import CONFIG_DIR, wait_until

from csu_console.sim.control import SimProcess
from csu_console.storage.store import DB_NAME, Store

STATION = "poste-nuit"
SCRIPT = Path(__file__).with_name("shift_script.py")
KILLS = 20


class Child:
    """The console running the scripted shift; its stdout read on a thread."""

    def __init__(self, sim: SimProcess, data: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), str(CONFIG_DIR), str(data), sim.url, STATION],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.strip()
            if line == "READY":
                self.ready.set()
            elif line.startswith("CONFIRMED "):
                self.lines.append(line)

    def kill(self) -> list[tuple[str, int]]:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._reader.join(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return [(kind, int(pk)) for _c, kind, pk in (line.split() for line in self.lines)]


def in_log(db: sqlite3.Connection, kind: str, pk: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM events WHERE kind = ? AND alert_pk = ? LIMIT 1", (kind, pk)
    ).fetchone()
    return row is not None


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_sigkills_during_a_shift_lose_no_confirmed_step(sim: SimProcess, tmp_path: Path) -> None:
    rng = random.Random(20261122)
    data = tmp_path / "data"
    confirmed: list[tuple[str, int]] = []
    for i in range(KILLS):
        sim.command("emit", count=3)
        child = Child(sim, data)
        try:
            assert child.ready.wait(60), "la console n'a pas démarré"
            time.sleep(rng.uniform(0.3, 2.5))  # the random moment of the crash, on purpose
        finally:
            steps = child.kill()
        confirmed += steps
        # its receiving process sees the console gone and leaves before the next start
        wait_until(lambda: STATION not in sim.command("stats")["connected"], 30, "réception")
        db = sqlite3.connect(data / DB_NAME)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",), f"tour {i}"
            lost = [(k, pk) for k, pk in steps if not in_log(db, k, pk)]
        finally:
            db.close()
        assert lost == [], f"tour {i} : étapes confirmées absentes du journal : {lost}"
    store = Store(data / DB_NAME, readonly=True)
    try:
        report = store.verify_chain()
    finally:
        store.close()
    assert report.ok, report
    kinds = {k for k, _pk in confirmed}
    # the shift went through every step, across the crashes
    assert {"acknowledged", "dispatched", "on_site", "dispatch_ended", "closed"} <= kinds, kinds
