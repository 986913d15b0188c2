"""The link's own process: supervised by the console, and never orphaned."""

from __future__ import annotations

import os
import signal
import threading
from datetime import datetime
from pathlib import Path

import pytest
from support import RecordingListener, wait_until

from csu_console.core.intake import Outcome
from csu_console.net.link import LinkSettings
from csu_console.net.receiver import RECEIVER_NICE, ReceiverProcess
from csu_console.net.state import LinkPhase
from csu_console.sim.control import SimProcess
from csu_console.storage.writer import StorageWriter


@pytest.mark.expected_logs("csu.net")
def test_a_dead_receiver_is_announced_and_restarted(
    sim: SimProcess, writer: StorageWriter, tmp_path: Path
) -> None:
    listener = RecordingListener()
    receiver = ReceiverProcess(LinkSettings(sim.url, "poste-r"), writer.path, listener)
    receiver.start()
    try:
        wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 20, "connexion")
        first_pid = receiver.pid
        assert first_pid is not None and first_pid != os.getpid()
        # The operator's screen goes first when CPU is short (see receiver_main).
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, first_pid) == min(19, ours + RECEIVER_NICE)
        os.kill(first_pid, signal.SIGKILL)
        wait_until(
            lambda: any("processus de réception arrêté" in s.error for s in listener.statuses),
            20,
            "la perte du processus est annoncée",
        )
        wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 30, "nouveau processus")
        assert receiver.pid != first_pid
        sim.command("emit", count=20)
        sim.command("wait", station="poste-r", field="unanswered", at_most=0, timeout=30)
        assert writer.submit(lambda s: s.count("alerts")).result() == 20
        # Reports reach the console after the acknowledgements (their own thread).
        wait_until(
            lambda: sum(1 for o in listener.outcomes if o.kind == "stored") == 20,
            20,
            "les 20 alertes rapportées à la console",
        )
    finally:
        receiver.stop()
    assert listener.phase is LinkPhase.STOPPED


class FrozenScreen(RecordingListener):
    """A console whose GUI stopped reading: the first committed batch blocks its
    reader until the test lets go, so the pipe from the receiving process fills."""

    def __init__(self) -> None:
        super().__init__()
        self.frozen = threading.Event()
        self.thaw = threading.Event()

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        if not self.frozen.is_set():
            self.frozen.set()
            assert self.thaw.wait(60), "the test never let the screen go"
        super().frames_committed(outcomes)


def test_a_frozen_screen_does_not_hold_up_storing_and_acknowledging(
    sim: SimProcess, writer: StorageWriter
) -> None:
    """The link keeps receiving whatever the GUI does: with the console's reader
    stuck, thousands of alerts (far more than the pipe holds) are still stored and
    acknowledged; the screen then gets every one of them, in order."""
    listener = FrozenScreen()
    receiver = ReceiverProcess(LinkSettings(sim.url, "poste-f"), writer.path, listener)
    receiver.start()
    try:
        wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 20, "connexion")
        seqs = sim.command("emit", count=3000)
        assert listener.frozen.wait(30)
        sim.command("wait", station="poste-f", field="acked", at_least=3000, timeout=60)
        assert writer.submit(lambda s: s.count("alerts")).result() == 3000
        assert listener.outcomes == []  # the screen saw none of it yet
        listener.thaw.set()
        wait_until(lambda: len(listener.outcomes) == 3000, 30, "tout arrive à l'écran")
        assert [o.seq for o in listener.outcomes] == seqs
    finally:
        listener.thaw.set()
        receiver.stop()


def test_the_receiving_process_writes_the_sites_local_time(
    sim: SimProcess, writer: StorageWriter
) -> None:
    """Issue 14: its ``received`` events had their local time in the machine's zone
    (UTC here); they are in the site's zone, like the console's own events."""
    listener = RecordingListener()
    receiver = ReceiverProcess(
        LinkSettings(sim.url, "poste-tz"), writer.path, listener, timezone="America/Martinique"
    )
    receiver.start()
    try:
        wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 20, "connexion")
        sim.command("emit", count=3)
        sim.command("wait", station="poste-tz", field="unanswered", at_most=0, timeout=30)
    finally:
        receiver.stop()
    rows = writer.submit(
        lambda s: s.conn.execute(
            "SELECT at, at_local FROM events WHERE kind = 'received'"
        ).fetchall()
    ).result()
    assert len(rows) == 3
    for at, at_local in rows:
        assert at_local.endswith("-04:00")  # Martinique: UTC-4 all year
        assert datetime.fromisoformat(at_local) == datetime.fromisoformat(at)
