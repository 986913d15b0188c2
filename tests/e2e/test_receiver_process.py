"""The link's own process: supervised by the console, and never orphaned."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from support import RecordingListener, wait_until

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
        assert sum(1 for o in listener.outcomes if o.kind == "stored") == 20
    finally:
        receiver.stop()
    assert listener.phase is LinkPhase.STOPPED
