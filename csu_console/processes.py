"""Stopping the helper processes the console, the demo and the tests start
(gateway simulator, test stream servers)."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
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


#: ``prctl`` option: the signal the kernel sends a process when its parent dies.
_PR_SET_PDEATHSIG = 1


def parent_death_signal(sig: signal.Signals = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` making the child receive ``sig`` when this process dies,
    however it dies (a segmentation fault, SIGKILL): no orphan keeps running.

    Linux only (None elsewhere). The kernel watches the *thread* that starts the
    child: start it from the main thread. libc is loaded here, before the fork, so
    the child only makes two system calls; a parent already gone by then is caught
    by comparing the parent pid.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        if prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0 and os.getppid() != parent:
            os.kill(os.getpid(), sig)

    return preexec
