"""The demo's CSU: ``csu-hub`` (with its embedded NATS) between ``csu-sim`` and the
stations, as a CSU installs it, on 127.0.0.1.

The hub's folder is ``<demo data>/hub``: its ``hub.toml`` (written here, the
simulator's URL changes at each start), its NATS data, its logs, and the demo
stations' tokens (``demo-tokens.json``, mode 0600: a real CSU never keeps them, only
their SHA-256 in ``hub.toml``). Tokens are kept across runs, so a station's place in
the hub (its durable consumer) is too.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from csu_console.errors import UserFacingError
from csu_console.hub.config import token_hash
from csu_console.hub.nats_server import free_port
from csu_console.processes import parent_death_signal, terminate

DEMO_CSU = "csu-demo"
START_TIMEOUT_S = 30.0


def station_ids(count: int) -> list[str]:
    """``poste-1`` … ``poste-N``, as the demo site calls its stations."""
    return [f"poste-{i}" for i in range(1, count + 1)]


def demo_tokens(hub_dir: Path, stations: list[str]) -> dict[str, str]:
    """Each demo station's token, created once and kept (file mode 0600)."""
    path = hub_dir / "demo-tokens.json"
    tokens: dict[str, str] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            tokens = {str(k): str(v) for k, v in loaded.items()}
        except (ValueError, AttributeError):
            tokens = {}
    changed = False
    for station in stations:
        if station not in tokens:
            tokens[station] = secrets.token_urlsafe(32)
            changed = True
    if changed or not path.exists():
        hub_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(tokens, out, indent=1)
    return tokens


def demo_public_keys(data_dir: Path, stations: list[str]) -> dict[str, str]:
    """Each demo station's public key, its key created at install as a CSU does
    (``csu-console keys init``) in its data folder: ``poste-1`` in the demo's
    folder, the others in ``<demo data>/<station>``."""
    from csu_console.core.witness import public_key_b64
    from csu_console.storage.station_key import ensure_key

    keys = {}
    for station in stations:
        folder = data_dir if station == stations[0] else data_dir / station
        keys[station] = public_key_b64(ensure_key(folder)[0])
    return keys


def write_hub_toml(
    hub_dir: Path,
    upstream_url: str,
    port: int,
    tokens: dict[str, str],
    public_keys: dict[str, str] | None = None,
) -> Path:
    """The demo hub's ``hub.toml``: one upstream (the simulator), the demo stations
    (with their public keys: their signed chain heads are checked)."""
    keys = public_keys or {}
    stations = "\n".join(
        f'[[station]]\nid = "{s}"\nname = "Poste {s.rsplit("-", 1)[-1]} (démo)"\n'
        f'token_sha256 = "{token_hash(t)}"\n' + (f'public_key = "{keys[s]}"\n' if s in keys else "")
        for s, t in sorted(tokens.items())
    )
    text = (
        "# Écrit par csu-console demo à chaque lancement.\n"
        f'[hub]\nid = "hub-demo"\ncsu = "{DEMO_CSU}"\nlisten = "127.0.0.1:{port}"\n'
        'data_dir = "."\n\n'
        "[retention]\nalerts_days = 30\nmax_gb = 1\n\n"
        f'[[upstream]]\nname = "simulateur"\nurl = "{upstream_url}"\n\n{stations}'
    )
    path = hub_dir / "hub.toml"
    path.write_text(text, encoding="utf-8")
    return path


class DemoHub:
    """A real ``csu-hub run`` process for the demo, stopped with the demo."""

    def __init__(self, hub_dir: Path, upstream_url: str, stations: int = 1) -> None:
        self.hub_dir = hub_dir
        self.upstream_url = upstream_url
        self.stations = station_ids(max(1, stations))
        self.tokens = demo_tokens(hub_dir, self.stations)
        self.public_keys = demo_public_keys(hub_dir.parent, self.stations)
        self.port = free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self) -> None:
        """Start the hub (it starts its NATS) and wait for ``/health``."""
        config = write_hub_toml(
            self.hub_dir, self.upstream_url, self.port, self.tokens, self.public_keys
        )
        log = (self.hub_dir / "hub-stdout.log").open("ab")
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "csu_console.hub", "run", "--config", str(config)],
                stdout=log,
                stderr=subprocess.STDOUT,
                # SIGTERM when the demo dies, however: the hub then stops its NATS.
                preexec_fn=parent_death_signal(),  # noqa: PLW1509 - from the main thread
            )
        finally:
            log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._healthy():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise UserFacingError(
                    "le serveur d'alertes (csu-hub) n'a pas démarré : "
                    f"voir {self.hub_dir / 'logs' / 'hub.log'}"
                )
            time.sleep(0.05)

    def _healthy(self) -> bool:
        try:
            url = f"http://127.0.0.1:{self.port}/health"
            with urllib.request.urlopen(url, timeout=1) as resp:
                return bool(resp.status == 200)
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def stop(self) -> None:
        terminate(self._proc, 20.0)
        self._proc = None
