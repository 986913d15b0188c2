"""Run ``csu-sim`` as a real process and drive it through its ``/control`` channel.

Used by the demo, the tests and the benchmarks, so all three exercise the same
gateway the same way.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

from csu_console import processes


class SimError(RuntimeError):
    """The simulator did not start or refused a command."""


class SimProcess:
    """A ``csu-sim`` subprocess on 127.0.0.1 that can be killed and restarted on
    the same port with the same state file (a gateway restart, not a new one)."""

    def __init__(
        self,
        config_dir: Path,
        state: Path | None = None,
        extra_args: list[str] | None = None,
        port: int = 0,
        log_path: Path | None = None,
        control_ssl: ssl.SSLContext | None = None,
        nice: int = 0,
    ) -> None:
        self.config_dir = config_dir
        self._tmp = tempfile.TemporaryDirectory(prefix="csu-sim-")
        self.state = state or Path(self._tmp.name) / "state.sqlite3"
        self.extra_args = extra_args or []
        self.port = port
        self.log_path = log_path or Path(self._tmp.name) / "sim.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._control: ClientConnection | None = None
        self._stack = contextlib.ExitStack()
        self.scheme = "wss" if "--tls-cert" in self.extra_args else "ws"
        self.control_ssl = control_ssl
        self.nice = nice  # > 0: yield the CPU to the console (benchmarks on one machine)

    @property
    def url(self) -> str:
        """Where consoles connect."""
        return f"{self.scheme}://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 20.0) -> SimProcess:
        """Start (or restart on the same port); returns when it listens."""
        port_file = Path(self._tmp.name) / "port"
        port_file.unlink(missing_ok=True)
        args = [
            *(["nice", "-n", str(self.nice)] if self.nice else []),
            sys.executable, "-m", "csu_console.sim.cli", "--port", str(self.port),
            "--port-file", str(port_file), "--config", str(self.config_dir),
            "--state", str(self.state), *self.extra_args,
        ]  # fmt: skip
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None:
                raise SimError(f"csu-sim s'est arrêté : {self.log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise SimError("csu-sim n'a pas démarré à temps")
            time.sleep(0.02)  # polling a file written by another process
        self.port = int(port_file.read_text())
        return self

    def kill(self) -> None:
        """SIGKILL: no goodbye, no flush (the state file keeps what was committed)."""
        self._close_control()
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        """SIGTERM and wait."""
        self._close_control()
        processes.terminate(self.proc)

    def close(self) -> None:
        """Stop and remove the temporary files."""
        self.stop()
        self._tmp.cleanup()

    def _close_control(self) -> None:
        self._stack.close()
        self._control = None

    def command(self, cmd: str, **params: Any) -> Any:
        """Send one control command and return its result."""
        if self._control is None:
            self._control = self._stack.enter_context(
                connect(
                    f"{self.scheme}://127.0.0.1:{self.port}/control",
                    max_size=64 * 1024 * 1024,
                    open_timeout=10,
                    ssl=self.control_ssl,
                )
            )
        self._control.send(json.dumps({"cmd": cmd, **params}))
        reply = json.loads(self._control.recv(timeout=60))
        if not reply.get("ok"):
            raise SimError(reply.get("error", "commande refusée"))
        return reply["result"]

    def __enter__(self) -> SimProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
