"""Named loggers, log files and the last-resort hooks (installed once, by app/cli)."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TextIO

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
_installed = False
#: The file faulthandler writes to (kept open for the life of the process).
_crash_file: TextIO | None = None
CRASH_LOG = "crash.log"


def setup_logging(
    data_dir: Path | None,
    level: int = logging.INFO,
    stderr: bool = True,
    filename: str = "console.log",
) -> None:
    """Log to ``<data_dir>/logs/<filename>`` (rotated) and, optionally, stderr."""
    root = logging.getLogger("csu")
    root.setLevel(level)
    root.propagate = False
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    if stderr:
        err = logging.StreamHandler(sys.stderr)
        err.setFormatter(formatter)
        root.addHandler(err)
    if data_dir is not None:
        log_dir = data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(
            log_dir / filename, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
        fh.setFormatter(formatter)
        root.addHandler(fh)


def install_crash_hooks() -> None:
    """Route uncaught exceptions of every thread to the ``csu.crash`` logger."""
    global _installed  # noqa: PLW0603 - hooks are installed once per process
    if _installed:
        return
    _installed = True
    log = logging.getLogger("csu.crash")

    def excepthook(
        etype: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        log.critical("exception non rattrapée", exc_info=(etype, value, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        log.critical(
            "exception non rattrapée dans le fil %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )

    sys.excepthook = excepthook
    threading.excepthook = thread_hook


def enable_crash_traces(data_dir: Path | None, process: str = "console") -> Path | None:
    """A fatal signal (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) writes the Python
    stack of every thread to ``<data_dir>/logs/crash.log``, after a line naming the
    process and its pid: a crash in C++ (Qt, a driver) leaves a trace to read.

    Returns the file (None when there is no data folder: then stderr).
    """
    global _crash_file  # noqa: PLW0603 - one handler per process, like the hooks
    if data_dir is None:
        faulthandler.enable(all_threads=True)
        return None
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / CRASH_LOG
    previous = _crash_file
    _crash_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open until exit
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    _crash_file.write(f"--- {process} pid {os.getpid()} démarré {stamp}\n")
    _crash_file.flush()
    faulthandler.enable(file=_crash_file, all_threads=True)
    if previous is not None:
        previous.close()
    return path
