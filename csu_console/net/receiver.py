"""The alert link in its own process, supervised by the console.

Why a process: decoding and storing a storm of alerts is CPU-bound Python. In the
GUI process it holds the GIL, and a Python Qt model needs the GIL for every
virtual call Qt makes while painting: the screen froze for hundreds of
milliseconds (measured: ``bench/alert_storm.py``). In a child process the link
runs on its own core and keeps receiving, storing and acknowledging even if the
GUI hangs or dies. The child reports to the parent over a pipe; the parent's
reader thread hands each report to a :class:`LinkListener` (the Qt bridge), so
the GUI sees exactly the same calls as with an in-process :class:`AlertLink`.

If the parent disappears (even SIGKILL), the child sees the pipe close, finishes
its in-flight commits and acknowledgements, and exits. If the child dies, the
parent says so on the link status and starts a new one.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from csu_console.core.alert_share import AlertShare
from csu_console.core.alerts import AlertState
from csu_console.core.hub_protocol import (
    Escalation,
    HubMessage,
    PresenceReport,
    UnitRequest,
)
from csu_console.core.intake import Outcome
from csu_console.core.protocol import UpdateMessage
from csu_console.logs import enable_crash_traces, setup_logging
from csu_console.net.link import AlertLink, LinkSettings
from csu_console.net.state import LinkListener, LinkPhase, LinkStatus
from csu_console.storage.writer import StorageWriter

log = logging.getLogger("csu.net")

RESTART_DELAY_S = 1.0
#: Niceness added to the receiving process (see receiver_main).
RECEIVER_NICE = 3


class _PipeListener:
    """Child side: forwards every link report to the parent, in order.

    Reports are queued and written by a thread of their own: the pipe fills up
    while the console's GUI is busy (a storm's batch is larger than the pipe), and
    the storage thread, which reports each commit, must not wait for it before the
    next commit.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._queue: queue.SimpleQueue[tuple[str, Any] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._write, name="csu-report", daemon=True)
        self._thread.start()

    def _send(self, kind: str, payload: Any) -> None:
        self._queue.put((kind, payload))  # from the network and storage threads

    def _write(self) -> None:
        while (message := self._queue.get()) is not None:
            # The parent may be gone: the command loop notices and stops us.
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(message)

    def close(self, timeout: float) -> None:
        """Write what is queued (the last report included), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    def link_status_changed(self, status: LinkStatus) -> None:
        self._send("status", status)

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        self._send("committed", outcomes)

    def update_received(self, update: UpdateMessage) -> None:
        self._send("update", update)

    def hub_message(self, message: HubMessage) -> None:
        self._send("hub", message)

    def storage_failed(self, message: str) -> None:
        self._send("storage_failed", message)


def receiver_main(
    conn: Connection,
    settings: LinkSettings,
    db_path: Path,
    log_dir: Path | None,
    timezone: str | None = None,
) -> None:
    """Entry point of the child process; ``timezone`` is the site's (the local time
    of the events written here, like the console's own)."""
    # Ctrl-C in a terminal reaches the whole process group: the console decides
    # when we stop (it asks over the pipe), never the keyboard.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # When the two are short of CPU (a storm on a small machine), the operator's
    # screen goes first: the GUI thread paints between our batches instead of
    # waiting for a core. Acknowledgements were not slower for it (docs/benchmarks.md).
    os.nice(RECEIVER_NICE)
    setup_logging(log_dir, stderr=True, filename="receiver.log")
    if log_dir is not None:  # its data folder: <log_dir>/logs/crash.log
        enable_crash_traces(log_dir, "réception")
    listener = _PipeListener(conn)
    writer = StorageWriter(db_path, tz=ZoneInfo(timezone) if timezone else None)
    try:
        writer.start()
    except Exception as exc:  # noqa: BLE001 - reported to the parent, then we exit
        listener.storage_failed(str(exc))
        listener.close(timeout=10.0)
        return
    link = AlertLink(settings, writer, listener)
    link.start()
    timeout = 10.0
    try:
        while True:
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                log.warning("console disparue : arrêt propre de la réception")
                break
            if kind == "stop":
                timeout = float(payload)
                break
            if kind == "status":
                link.send_status(*payload)
            elif kind == "outbox":
                link.nudge_outbox()
            elif kind == "unit":
                link.send_unit(payload)
            elif kind == "presence":
                link.send_presence(payload)
            elif kind == "escalate":
                link.send_escalation(payload)
            elif kind == "alert_share":
                link.send_alert_share(payload)
    finally:
        link.stop(timeout)
        writer.close(timeout)
        listener._send("stopped", None)
        listener.close(timeout)
        conn.close()


class ReceiverProcess:
    """Parent side: starts, supervises and stops the receiving process."""

    def __init__(
        self,
        settings: LinkSettings,
        db_path: Path,
        listener: LinkListener,
        log_dir: Path | None = None,
        timezone: str | None = None,
    ) -> None:
        settings.validate()
        self._timezone = timezone
        self.settings = settings
        self._db_path = db_path
        self._listener = listener
        self._log_dir = log_dir
        self._ctx = mp.get_context("spawn")  # never fork a process that runs Qt
        self._proc: Any = None
        self._conn: Connection | None = None
        self._reader: threading.Thread | None = None
        self._stopping = False
        self._stopped = threading.Event()
        self._send_lock = threading.Lock()
        self._status = LinkStatus(LinkPhase.STOPPED, settings.url, datetime.now(UTC))
        self._presence: PresenceReport | None = None

    @property
    def status(self) -> LinkStatus:
        """The latest status reported by the child."""
        return self._status

    @property
    def pid(self) -> int | None:
        """The child's process id (tests, diagnostics)."""
        return None if self._proc is None else int(self._proc.pid)

    def start(self) -> None:
        """Start the child and the thread that reads its reports."""
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        self._proc = self._ctx.Process(
            target=receiver_main,
            args=(child_conn, self.settings, self._db_path, self._log_dir, self._timezone),
            name="csu-receiver",
            daemon=False,
        )
        self._proc.start()
        child_conn.close()
        self._conn = parent_conn
        self._stopped.clear()
        self._reader = threading.Thread(target=self._read, name="csu-receiver-reader", daemon=True)
        self._reader.start()
        log.info("processus de réception démarré (pid %s)", self._proc.pid)
        if self._presence is not None:
            self._send(("presence", self._presence))

    def send_status(
        self, source: str, alert_id: str, state: AlertState, operator: str, at: datetime
    ) -> None:
        """Ask the child to send a ``status`` message upstream."""
        self._send(("status", (source, alert_id, state, operator, at)))

    def nudge_outbox(self) -> None:
        """The console wrote a durable ``status`` to the outbox: send it now (the
        child also finds it by itself within seconds, even if this is lost)."""
        self._send(("outbox", None))

    def send_unit(self, request: UnitRequest) -> None:
        """A unit's change to the hub (durable in the outbox until answered)."""
        self._send(("unit", request))

    def send_presence(self, report: PresenceReport) -> None:
        """Who is logged in here, what they look at (kept: a restarted child gets it)."""
        self._presence = report
        self._send(("presence", report))

    def send_escalation(self, escalation: Escalation) -> None:
        """An escalation to the supervisors (durable until written to a hub)."""
        self._send(("escalate", escalation))

    def send_alert_share(self, share: AlertShare) -> None:
        """One of this station's own alerts, for every station (durable until the
        hub answers, § 9.10)."""
        self._send(("alert_share", share))

    def _send(self, message: tuple[str, Any]) -> None:
        with self._send_lock:
            if self._conn is not None:
                try:
                    self._conn.send(message)
                except (OSError, ValueError) as exc:
                    log.error("processus de réception injoignable : %s", exc)

    def stop(self, timeout: float = 10.0) -> None:
        """Let the child commit and acknowledge what it has, then end it."""
        self._stopping = True
        proc = self._proc
        if proc is None:
            return
        self._send(("stop", timeout))
        proc.join(timeout + 5)
        if proc.is_alive():
            log.error("le processus de réception ne s'arrête pas : SIGKILL")
            proc.kill()
            proc.join(5)
        if self._reader is not None:
            self._reader.join(5)
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _read(self) -> None:
        conn = self._conn
        assert conn is not None
        dispatch: dict[str, Callable[[Any], None]] = {
            "status": self._on_status,
            "committed": self._listener.frames_committed,
            "update": self._listener.update_received,
            "hub": self._listener.hub_message,
            "storage_failed": self._listener.storage_failed,
        }
        while True:
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                break
            if kind == "stopped":
                break
            try:
                dispatch[kind](payload)
            except Exception:
                log.exception("rapport %s du processus de réception", kind)
        self._stopped.set()
        if not self._stopping:
            self._restart_after_crash()

    def _on_status(self, status: LinkStatus) -> None:
        self._status = status
        self._listener.link_status_changed(status)

    def _restart_after_crash(self) -> None:
        code = None if self._proc is None else self._proc.exitcode
        log.error("le processus de réception s'est arrêté (code %s) : redémarrage", code)
        lost = LinkStatus(
            LinkPhase.LOST,
            self._status.url,
            datetime.now(UTC),
            lost_since=self._status.lost_since or datetime.now(UTC),
            attempt=self._status.attempt + 1,
            next_retry_s=RESTART_DELAY_S,
            error=f"processus de réception arrêté (code {code})",
        )
        self._on_status(lost)
        if self._proc is not None:
            self._proc.join(5)
        time.sleep(RESTART_DELAY_S)  # on the reader thread, never the GUI
        if not self._stopping:
            self.start()
