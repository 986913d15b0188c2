"""The real console process, killed with SIGKILL mid-stream, loses no acked alert;
SIGTERM shuts it down cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support import CONFIG_DIR, stored_keys, wait_until

from csu_console.sim.control import SimProcess

STATION = "poste-crash"


STORM = 15_000


def start_console(sim: SimProcess, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "csu_console", "--config", str(CONFIG_DIR), "--data-dir",
             str(data_dir), "--gateway", sim.url, "--station", STATION],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip


def station_stats(sim: SimProcess) -> dict[str, int]:
    return sim.command("stats")["stations"].get(STATION, {"acked": 0, "unanswered": -1})


@pytest.mark.slow
def test_sigkill_mid_stream_loses_no_acked_alert(sim: SimProcess, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    log = tmp_path / "console.log"
    console = start_console(sim, data_dir, log)
    try:
        wait_until(lambda: STATION in sim.command("stats")["connected"], 30, "console connectée")
        # Enough that the receiving process cannot already hold all of it when the
        # console dies (with 5,000 the whole storm was in its socket in 1 run of 5).
        sim.command("emit", count=STORM)
        # Answered by the gateway itself the moment the 300th ack comes.
        sim.command("wait", station=STATION, field="acked", at_least=300, timeout=30)
        console.send_signal(signal.SIGKILL)
        acked_at_kill = station_stats(sim)["acked"]
        console.wait(10)
        # Its receiving process sees the console gone, finishes what it holds, leaves.
        wait_until(
            lambda: STATION not in sim.command("stats")["connected"],
            30,
            "le processus de réception se retire",
        )
        acked = {tuple(k) for k in sim.command("acked_keys", station=STATION)}
        # The console died mid-stream; its receiving process then stores and acks
        # what it had already read (all of it, when its storage is the slower side).
        assert 300 <= acked_at_kill < STORM, "le SIGKILL doit tomber en plein flux"
        assert len(acked) >= acked_at_kill
        stored = set(stored_keys(data_dir / "csu.sqlite3"))
        assert acked <= stored, f"{len(acked - stored)} alertes acquittées perdues"

        console = start_console(sim, data_dir, log)

        def hellos() -> list[dict[str, object]]:
            return [h for h in sim.command("hellos") if h["station"] == STATION]

        wait_until(lambda: len(hellos()) >= 2, 30, "la console redémarrée se présente")
        wait_until(lambda: station_stats(sim)["unanswered"] == 0, 60, "reprise du flux")
        keys = stored_keys(data_dir / "csu.sqlite3")
        assert len(keys) == len(set(keys)) == STORM
        last_seq = hellos()[-1]["last_seq"]
        assert isinstance(last_seq, int) and last_seq >= 300

        console.send_signal(signal.SIGTERM)
        assert console.wait(20) == 0
    finally:
        if console.poll() is None:
            console.kill()
            console.wait(10)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "arrêt de la console" in text and "base" in text and "fermée" in text
    assert "Traceback" not in text
