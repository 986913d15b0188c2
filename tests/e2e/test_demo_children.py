"""Issue 14: ``csu-console demo`` leaves no process behind when the console dies —
the gateway simulator, the test-stream server and the receiving process stop even
after a SIGKILL (a segmentation fault runs no clean-up either). Its stream server
burns the site's local time into the pictures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support import wait_until


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _descendants(pid: int) -> set[int]:
    todo, seen = [pid], set()
    while todo:
        for child in _children(todo.pop()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for init to reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="Linux /proc needed")
def test_sigkilled_demo_leaves_no_child_running(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    demo = subprocess.Popen(
        [sys.executable, "-m", "csu_console", "demo", "--data-dir", str(tmp_path / "demo"),
         "--rate", "1", "--burst", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    kids: set[int] = set()
    try:
        crash_log = tmp_path / "demo" / "logs" / "crash.log"  # faulthandler's, at start

        def started() -> bool:
            kids.update(_descendants(demo.pid))
            lines = [_cmdline(k) for k in kids]
            simulator = any("csu_console.sim.cli" in c for c in lines)
            receiver = any("multiprocessing" in c for c in lines)
            return simulator and receiver and crash_log.exists()

        wait_until(started, 60, "démo lancée (simulateur, console, réception)")
        # The demo streams' clock is in the site's zone, as the console's (item 13).
        for k in kids:
            if "rtsp_server.py" in _cmdline(k):
                environ = Path(f"/proc/{k}/environ").read_bytes().split(b"\0")
                assert b"TZ=Europe/Paris" in environ

        demo.send_signal(signal.SIGKILL)
        demo.wait(10)
        wait_until(lambda: not any(_running(k) for k in kids), 20, "enfants arrêtés")
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(10)
        for k in kids:
            if _running(k):
                os.kill(k, signal.SIGKILL)
