"""``python -m csu_console.hub run`` as a real process, with its embedded NATS:
SIGKILL mid-stream loses nothing it acknowledged; ``status`` reads the CSU's state;
SIGTERM stops the hub and its NATS cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import StationFactory
from hub_support import TOKENS
from support import stored_keys, wait_until

from csu_console.hub.config import token_hash
from csu_console.hub.nats_server import free_port
from csu_console.sim.control import SimProcess

UPSTREAM = "csu-test"


class HubProcess:
    def __init__(self, config: Path, port: int, log: Path) -> None:
        self.config, self.port, self.log = config, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> HubProcess:
        env = dict(os.environ, PYTHONPATH=str(Path.cwd()))
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "csu_console.hub", "run", "--config", str(self.config)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        wait_until(self.healthy, 30, "hub prêt (/health 200)")
        return self

    def health(self) -> tuple[int, dict[str, Any]]:
        url = f"http://127.0.0.1:{self.port}/health"
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def healthy(self) -> bool:
        try:
            return self.health()[0] == 200
        except (OSError, ValueError):
            return False

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def terminate(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(30)


@pytest.fixture
def hub_toml(tmp_path: Path, sim: SimProcess) -> tuple[Path, int]:
    port = free_port()
    stations = "\n".join(
        f'[[station]]\nid = "{s}"\ntoken_sha256 = "{token_hash(t)}"\n' for s, t in TOKENS.items()
    )
    text = f"""
[hub]
id = "hub-a"
csu = "{UPSTREAM}"
listen = "127.0.0.1:{port}"
data_dir = "data"

[retention]
max_gb = 1

[[upstream]]
name = "simulateur"
url = "{sim.url}"

{stations}
"""
    path = tmp_path / "hub.toml"
    path.write_text(text, encoding="utf-8")
    return path, port


@pytest.fixture
def hub_process(tmp_path: Path, hub_toml: tuple[Path, int]) -> Iterator[HubProcess]:
    hub = HubProcess(hub_toml[0], hub_toml[1], tmp_path / "hub-stdout.log")
    yield hub
    if hub.proc is not None and hub.proc.poll() is None:
        hub.terminate()
    pid_file = tmp_path / "data" / "nats" / "nats-server.pid"
    if pid_file.exists():  # the last NATS stopped with its hub
        pid = int(pid_file.read_text())
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def status_output(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(Path.cwd()))
    return subprocess.run(
        [sys.executable, "-m", "csu_console.hub", "status", "--config", str(config), *extra],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip


@pytest.mark.expected_logs("csu.net")
def test_hub_killed_mid_stream_loses_nothing_it_acknowledged(
    sim: SimProcess,
    hub_process: HubProcess,
    hub_toml: tuple[Path, int],
    make_station: StationFactory,
) -> None:
    hub_process.start()
    url = f"ws://127.0.0.1:{hub_toml[1]}"
    _link, _listener, writer = make_station(url, "poste-1")
    sim.command("emit", count=3000, cap_ratio=0.1, duplicates=100)
    sim.command("wait", station=UPSTREAM, field="acked", at_least=300, timeout=30)
    hub_process.kill()
    acked_before = set(map(tuple, sim.command("acked_keys", station=UPSTREAM)))
    assert len(acked_before) >= 300
    hub_process.start()  # its embedded NATS was left running: stopped and restarted
    sim.command("wait", station=UPSTREAM, field="unanswered", at_most=0, timeout=60)
    ids = sorted(map(tuple, sim.command("ids")))
    wait_until(lambda: len(stored_keys(writer.path)) == len(ids), 60, "tout au poste")
    keys = stored_keys(writer.path)
    assert len(keys) == len(set(keys)) == 3000
    assert acked_before <= set(keys)  # every alert acknowledged before the kill is there
    assert sorted(keys) == ids

    # csu-hub status, from the config (the embedded NATS's URL is in data_dir)
    def settled() -> bool:
        text = status_output(hub_toml[0]).stdout
        return "poste-1 : 0 en attente" in text and "Hub hub-a : OK" in text and "connected" in text

    wait_until(settled, 30, "backlog 0 et liaison publiée")
    out = status_output(hub_toml[0])
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "JetStream disponible" in text
    assert "flux CSU_ALERTS : 3000 messages" in text
    assert "Hub hub-a : OK" in text, text
    assert "amont simulateur" in text and ": connected" in text, text
    assert "poste-1 : 0 en attente ; connecté à hub-a" in text
    assert "poste-2 : pas encore de file ; jamais vu" in text
    as_json = json.loads(status_output(hub_toml[0], "--json").stdout)
    assert as_json["stations"]["poste-1"]["backlog"] == 0
    assert as_json["streams"]["CSU_ALERTS"]["messages"] == 3000

    assert hub_process.terminate() == 0
    log = (hub_toml[0].parent / "data" / "logs" / "hub.log").read_text(encoding="utf-8")
    assert "hub hub-a arrêté" in log
    assert "csu.hub.stations" in log and "csu.hub.intake" in log and "csu.hub.nats" in log


def test_status_says_when_no_hub_runs(tmp_path: Path, nats_server: Any) -> None:
    env = dict(os.environ, PYTHONPATH=str(Path.cwd()))
    out = subprocess.run(
        [sys.executable, "-m", "csu_console.hub", "status", "--nats", nats_server.url],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    assert "Hubs : aucun en service" in out.stdout
    assert "flux CSU_ALERTS : absent" in out.stdout
    started = time.monotonic()
    dead = subprocess.run(
        [sys.executable, "-m", "csu_console.hub", "status", "--nats", "nats://127.0.0.1:1"],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    assert dead.returncode == 1 and "NATS injoignable" in dead.stderr
    assert time.monotonic() - started < 20
