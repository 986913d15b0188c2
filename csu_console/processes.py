"""Stopping the helper processes the console, the demo and the tests start
(gateway simulator, test stream servers)."""

from __future__ import annotations

import signal
import subprocess
from typing import Any


def terminate(proc: subprocess.Popen[Any] | None, wait_s: float = 10.0) -> bool:
    """SIGTERM and wait, SIGKILL if it lingers; True if it was running."""
    if proc is None or proc.poll() is not None:
        return False
    proc.terminate()
    try:
        proc.wait(wait_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    return True


def kill(proc: subprocess.Popen[Any] | None, wait_s: float = 10.0) -> bool:
    """SIGKILL (no clean shutdown: a crash) and wait; True if it was running."""
    if proc is None or proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait(wait_s)
    return True
