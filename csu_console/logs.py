"""Named loggers, log files and the last-resort hooks (installed once, by app/cli)."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from types import TracebackType

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
_installed = False


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
